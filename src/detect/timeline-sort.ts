// The timeline's order, kept as the scan goes. Findings come file by file, each file's in no
// particular order; once the scan says no finding still to come is older than a bound (the files
// are read in time order), those older are handed on: oldest first, then by the rule's title, then
// where the scan met the event (engine.ts timelineOrder). Each file's findings are sorted once, as
// a run; a release merges the runs' parts older than the bound.
//
// Findings the scan cannot bound (files without a time in their name come first, and a file holds
// events up to an hour older than its name says) are held. Past `limit` of them, the timeline is
// handed to `overflow` (a sort that spills to disk), which takes them all and every one to come.
import type { Finding } from "./engine.js";

/** The timeline's order by the keys a finding carries: time, its rule's title rank, its place. */
const byTimeline = (a: Finding, b: Finding): number => a.t - b.t || a.rank - b.rank || a.event.place - b.event.place;

/** The first index of the (sorted) run whose time is not before `bound`. */
function firstNotBefore(run: readonly Finding[], bound: number): number {
  let lo = 0;
  let hi = run.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (run[mid]!.t < bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where the timeline goes once it holds too much: the findings in any order, its bounds, its end. */
export interface TimelineOverflow {
  push(f: Finding): void;
  release(bound: number): void;
  end(): void;
  /** Findings it wrote after younger ones (it hands on by bounds too until it spills). */
  readonly late: number;
}

export class TimelineSort {
  /** The findings pushed since the last release (one file's, or a few). */
  private batch: Finding[] = [];
  /** Sorted runs of findings, handed on up to `at`. */
  private runs: { items: Finding[]; at: number }[] = [];
  private held = 0;
  private overflowed: TimelineOverflow | undefined;
  /** The latest bound released here (not by the overflow): the findings older than it are written. */
  private released = -Infinity;
  /** Findings that came older than what this sort had already written. */
  private lateHere = 0;

  constructor(
    private readonly next: (f: Finding) => void,
    private readonly limit: number,
    private readonly overflow: () => TimelineOverflow,
  ) {}

  /**
   * Findings that came older than what was already written: a file held events more than the
   * scan's margin older than the time in its name (a late or repeated delivery). They are written
   * after younger ones; the caller says how many.
   */
  get late(): number {
    return this.lateHere + (this.overflowed?.late ?? 0);
  }

  push(f: Finding): void {
    if (f.t < this.released) this.lateHere++;
    if (this.overflowed) return this.overflowed.push(f);
    this.batch.push(f);
    if (++this.held > this.limit) this.handOver();
  }

  /** Hands on, in order, the findings older than `bound`: no finding still to come is. */
  release(bound: number): void {
    if (this.overflowed) return this.overflowed.release(bound);
    if (bound > this.released) this.released = bound;
    this.handOn((run) => firstNotBefore(run, bound));
  }

  /** Hands on the findings held, in order. */
  end(): void {
    if (this.overflowed) return this.overflowed.end();
    this.handOn((run) => run.length);
  }

  private handOn(upTo: (run: readonly Finding[]) => number): void {
    if (this.batch.length) {
      this.runs.push({ items: this.batch.sort(byTimeline), at: 0 });
      this.batch = [];
    }
    const out: Finding[] = [];
    let from = 0;
    let kept = 0;
    for (const run of this.runs) {
      const n = upTo(run.items);
      if (n > run.at) from++;
      for (let i = run.at; i < n; i++) out.push(run.items[i]!);
      run.at = Math.max(run.at, n);
      if (run.at === run.items.length) continue;
      // what was handed on is let go once it is half the run
      if (run.at > run.items.length >>> 1) {
        run.items = run.items.slice(run.at);
        run.at = 0;
      }
      this.runs[kept++] = run;
    }
    this.runs.length = kept;
    // each run is in order: only parts of several need merging (sort finds the runs)
    if (from > 1) out.sort(byTimeline);
    this.held -= out.length;
    for (const f of out) this.next(f);
  }

  /** Everything held goes to the overflow, and from now on every finding. */
  private handOver(): void {
    const o = (this.overflowed = this.overflow());
    for (const run of this.runs) for (let i = run.at; i < run.items.length; i++) o.push(run.items[i]!);
    for (const f of this.batch) o.push(f);
    this.runs = [];
    this.batch = [];
    this.held = 0;
  }
}
