// What a scan learns on the way, for the warnings at the end of a run (hints.ts): which of the event
// paths the query reads some event had (a path no event had may be misspelt), and, under a time
// range, how many events fell in it and the span of the times of those that did not (to say where
// the data are when none did). Cheap: a path is looked for only until an event has it (usually in
// the first batch: then nothing more is done), and a time is compared only when outside the range.
// A parallel scan's workers gather their own and hand them over per file (take); this thread adds
// them up in the files' scan order (add), so the facts are those of a single-threaded scan.
import type { Plan } from "../plan/plan.js";
import { eventReads } from "../plan/reads.js";
import { valuePath } from "./compile.js";

/** A worker's facts of one file. */
export interface FileFacts {
  /** Indexes (into ScanFacts.paths) of the paths first met in this file. */
  present: number[];
  inRange: number;
  /** Events of the accounts and regions asked for (--account, --region), in the range. */
  selected: number;
  /** Events without a usable time, left out by the time range. */
  untimed: number;
  first: number;
  last: number;
}

export class ScanFacts {
  /** Whether some event had each path (1) or none yet (0). */
  private readonly seen: Uint8Array;
  private readonly getters: ((ev: unknown) => unknown)[];
  /** Paths not met yet. */
  private left: number;
  /** Paths met since the last take(). */
  private fresh: number[] = [];
  /** Events whose @timestamp fell in the time range (a ranged scan only). */
  inRange = 0;
  /** Events of the accounts and regions asked for, in the range (a scan with --account or --region only). */
  selected = 0;
  /** Events without a usable time, which a time range leaves out (a ranged scan only). */
  untimed = 0;
  /** The earliest and latest times of the events outside the range (±Infinity: none). */
  first = Infinity;
  last = -Infinity;

  /** The paths looked for: the query's, then the probes. */
  private readonly paths: string[][];

  /**
   * `fields`: the event paths the query reads (`["userIdentity", "userName"]`); `probes`: other paths
   * whose presence tells what a missing field was meant to be (a dashed name's key).
   */
  constructor(
    private readonly fields: string[][],
    probes: string[][] = [],
  ) {
    this.paths = [...fields, ...probes];
    this.seen = new Uint8Array(this.paths.length);
    this.getters = this.paths.map((p) => valuePath(p));
    this.left = this.paths.length;
  }

  /** Looks in a batch of events for the paths not met yet. */
  see(events: readonly Record<string, unknown>[]): void {
    if (this.left === 0) return;
    for (let p = 0; p < this.paths.length; p++) {
      if (this.seen[p]) continue;
      const get = this.getters[p]!;
      for (let i = 0; i < events.length; i++) {
        if (get(events[i]) !== undefined) {
          this.mark(p);
          break;
        }
      }
    }
  }

  private mark(p: number): void {
    if (this.seen[p]) return;
    this.seen[p] = 1;
    this.left--;
    this.fresh.push(p);
  }

  /** A worker's facts since the last take (one file's), and a fresh start for the next file. */
  take(): FileFacts {
    const f: FileFacts = { present: this.fresh, inRange: this.inRange, selected: this.selected, untimed: this.untimed, first: this.first, last: this.last };
    this.fresh = [];
    this.inRange = 0;
    this.selected = 0;
    this.untimed = 0;
    this.first = Infinity;
    this.last = -Infinity;
    return f;
  }

  /** Adds a worker's facts of one file. */
  add(f: FileFacts): void {
    for (const p of f.present) this.mark(p);
    this.inRange += f.inRange;
    this.selected += f.selected;
    this.untimed += f.untimed;
    this.first = Math.min(this.first, f.first);
    this.last = Math.max(this.last, f.last);
  }

  /** The query's fields no event had. */
  missing(): string[][] {
    return this.fields.filter((_, p) => !this.seen[p]);
  }

  /** Whether some event had a path looked for (a field or a probe). */
  had(path: readonly string[]): boolean {
    const p = this.indexOf(path);
    return p >= 0 && this.seen[p] === 1;
  }

  /** Whether a path was looked for (a field or a probe) and no event had it. */
  lacks(path: readonly string[]): boolean {
    const p = this.indexOf(path);
    return p >= 0 && this.seen[p] === 0;
  }

  private indexOf(path: readonly string[]): number {
    const key = path.join("\0");
    return this.paths.findIndex((x) => x.join("\0") === key);
  }
}

/** The path @timestamp is read from: an event without it has no time. */
export const EVENT_TIME = ["eventTime"];

/**
 * The facts a scan of this plan gathers: the event paths its commands and output read, the keys its
 * dashed names may mean, and eventTime when the plan reads @timestamp.
 */
export function scanFacts(plan: Plan): ScanFacts {
  const reads = eventReads(plan);
  return new ScanFacts(reads.fields, [...reads.dashed.map((d) => d.path), ...(reads.names.has("@timestamp") ? [EVENT_TIME] : [])]);
}
