// The single pass: every file is read once and every event decoded once, whatever the number of
// rules. The events judged are those the query `sort @timestamp asc` sees (time range, accounts,
// regions, the first copy of an eventID), read as it reads them: the files in time order by their
// names, in the parallel scan's worker threads when they are work enough. The rules run where the
// events are read (judge.ts); here, file after file in scan order, their findings are made and
// counted, and the correlations judged as the scan goes: once a file is applied, no finding still
// to come is older than the next file's bound, so the timeline can hand on what is older.
import { Reader, type ReadStats } from "../sources/index.js";
import type { RemoteFiles } from "../sources/types.js";
import { POS_PER_FILE, admitter, scanInline, scanOrder, type ScanOrder } from "../exec/scan.js";
import { WorkerPool, columnValue, parallelSplit, scanParallel, type RunColumn } from "../exec/parallel.js";
import { taskPipeline } from "../exec/pipeline.js";
import { Deduper } from "../exec/event-ids.js";
import { parseQuery } from "../lang/index.js";
import { buildPlan } from "../plan/build.js";
import { IndexPruner } from "../sources/field-index.js";
import { indexClauses } from "../exec/index-clauses.js";
import { scanFacts } from "../exec/facts.js";
import { rangeHint, selectionHint } from "../exec/hints.js";
import type { TimeRange } from "../time/range.js";
import type { CompiledSigma, RuleInfo } from "./sigma.js";
import type { TemplateRule } from "./templates.js";
import { CorrelationJudge, matchFields, type CompiledCorrelation, type Match } from "./correlation.js";
import { EventJudge, SHOWN_FIELDS, judgeData, type Feed, type FileFindings, type JudgeRules } from "./judge.js";
import { levelRank, type Level } from "./rule.js";
import { Tally } from "./tally.js";
import { plural } from "../cli/summary.js";

/** An event with a finding: what a finding shows of it, shared by its findings. */
export interface FindingEvent {
  /** @timestamp, epoch ms (NaN when the event has no usable eventTime). */
  readonly time: number;
  readonly principal: string | null;
  readonly sourceIP: string | null;
  readonly eventName: string | null;
  readonly region: string | null;
  readonly account: string | null;
  readonly eventID: string | null;
  /** `file#index`: where the whole event is (as @ptr). */
  readonly ptr: string;
  /** Where the scan met the event (Row.pos): the timeline's last tie-break. */
  readonly place: number;
}

/**
 * An event of a file's FileFindings: its columns read from the file's (packed) columns when asked.
 * The timeline holds about an hour of findings; their events' texts made only when written are
 * garbage the young generation collects, where made at once they outlived it.
 */
class FileEvent implements FindingEvent {
  constructor(
    private readonly fields: RunColumn,
    private readonly e: number,
    private readonly file: string,
    private readonly index: number,
    readonly time: number,
    readonly place: number,
  ) {}

  /** The k-th of the fields a finding shows (judge.ts FINDING_FIELDS' order). */
  private column(k: number): string | null {
    return columnValue(this.fields, this.e * SHOWN_FIELDS + k) as string | null;
  }
  get principal(): string | null {
    return this.column(0);
  }
  get sourceIP(): string | null {
    return this.column(1);
  }
  get eventName(): string | null {
    return this.column(2);
  }
  get region(): string | null {
    return this.column(3);
  }
  get account(): string | null {
    return this.column(4);
  }
  get eventID(): string | null {
    return this.column(5);
  }
  get ptr(): string {
    return `${this.file}#${this.index}`;
  }
}

/** One row of the timeline: a rule and the event it found, with its keys in the timeline's order. */
export class Finding {
  /** The event's time, Infinity when it has none (last in the timeline). */
  readonly t: number;

  constructor(
    readonly event: FindingEvent,
    readonly rule: RuleInfo,
    /** The rule's place in the order of titles (Detector.titleRank). */
    readonly rank: number,
    /** Correlations: what made them fire. */
    readonly detail?: string,
  ) {
    this.t = Number.isNaN(event.time) ? Infinity : event.time;
  }
}

export interface DetectOptions {
  range?: TimeRange;
  accounts?: string[];
  regions?: string[];
  keepDuplicates?: boolean;
  /** Findings below this level are not kept (rules still run: correlations see every match). */
  minLevel?: Level;
  /** What the timeline may hold (--memory): a file that may find more than a share of it is read on this thread, which hands its findings on as it goes. */
  memoryLimit?: number;
  warn(message: string): void;
  signal?: AbortSignal;
  /** The s3:// inputs, listed (src/sources/s3/). */
  remote?: RemoteFiles;
  onProgress?: (read: ReadStats) => void;
  /** Each finding as it is made (the timeline's sort then orders them); without it they are kept, in time order, in `findings`. */
  onFinding?: (f: Finding) => void;
  /** No finding still to come is older than `bound` (epoch ms): the timeline may hand on the older ones. */
  onBound?: (bound: number) => void;
}

export interface DetectResult {
  /** The findings in time order (empty when they went to DetectOptions.onFinding). */
  findings: Finding[];
  /** Their figures, for the summary. */
  tally: Tally;
  /** Events seen (admitted by the selection). */
  events: number;
  /** Events with at least one finding. */
  eventsWithFinding: number;
  read: ReadStats;
  /** Duplicates skipped. */
  duplicates: number;
  interrupted: boolean;
  elapsedMs: number;
  /** Sigma rules that saw an event (dispatch worked) — for the performance notes. */
  dispatch: { indexed: number; always: number };
  /** Worker threads the scan used (0: it ran on this thread). */
  workers: number;
}

/** What the timeline's order reads of a finding (a Finding, or a record of one kept for its place). */
export interface TimelinePlace {
  t: number;
  rule: { title: string };
  event: { place: number };
}

/** The timeline's order: oldest first (no time last), ties by rule title, then where the scan met the event. */
export function timelineOrder(a: TimelinePlace, b: TimelinePlace): number {
  return a.t < b.t ? -1 : a.t > b.t ? 1 : a.rule.title < b.rule.title ? -1 : a.rule.title > b.rule.title ? 1 : a.event.place - b.event.place;
}

/**
 * The query whose scan detect's is: every event, oldest first. Its selection, its order of files
 * (by the stamps in their names), its worker threads and its skipping of copies are detect's; the
 * rules take the place of its commands.
 */
const SCAN_QUERY = "sort @timestamp asc";

/**
 * The workers' young generation (MB): detect parses whole events, and the rows a worker holds until
 * the files before them have their eventIDs in are several MB of them; with the queries' 8 MB they
 * outlived it (150k events: 6.2 s of CPU with 48, 6.7 with 8; one worker's 718k events: 9.0, 8.6,
 * 8.4 and 8.6 s with 16, 32, 48 and 96). Under bin/trailq, detect's V8 flags give every thread as
 * much (16 MB semi-spaces: bin/snapshot.mjs), which a worker's own ask cannot override.
 */
const DETECT_YOUNG_MB = 48;

/** Events with a finding a file read on this thread holds before handing on what it found (Timeline.apply's part). */
const PART_EVENTS = 10_000;

export class Detector {
  private readonly feeds: (Feed[] | null)[];
  private readonly shown: boolean[];
  private readonly always: number;

  constructor(
    readonly sigma: readonly CompiledSigma[],
    readonly correlations: readonly CompiledCorrelation[],
    readonly templates: readonly TemplateRule[],
  ) {
    const index = new Map(sigma.map((r, i) => [r, i]));
    this.feeds = sigma.map(() => null);
    // a rule's own findings are hidden when it feeds only correlations that do not generate them
    const hidden = new Set<number>();
    const shown = new Set<number>();
    correlations.forEach((c, ci) => {
      c.rules.forEach((r, at) => {
        const i = index.get(r)!;
        const f = (this.feeds[i] ??= []);
        if (!f.some((x) => x.corr === ci)) f.push({ corr: ci, index: at, fields: matchFields(c, at) });
        (c.generate ? shown : hidden).add(i);
      });
    });
    this.shown = sigma.map((_, i) => !hidden.has(i) || shown.has(i));
    this.always = sigma.filter((r) => !r.eventNames).length;
    const byTitle = [...sigma, ...templates, ...correlations].sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
    byTitle.forEach((r, i) => this.ranks.set(r, i > 0 && byTitle[i - 1]!.title === r.title ? this.ranks.get(byTitle[i - 1]!)! : i));
  }

  private readonly ranks = new Map<RuleInfo, number>();

  /** The rule's place in the order of titles (timelineOrder's second key, as a number). */
  titleRank(r: RuleInfo): number {
    return this.ranks.get(r)!;
  }

  private rules(minRank: number): JudgeRules {
    return { sigma: this.sigma, templates: this.templates, shown: this.shown, feeds: this.feeds, minRank };
  }

  async run(inputs: string[], opts: DetectOptions): Promise<DetectResult> {
    const started = performance.now();
    const now = Date.now();
    const select = {
      ...(opts.range?.start !== undefined ? { start: opts.range.start } : {}),
      ...(opts.range?.end !== undefined ? { end: opts.range.end } : {}),
      ...(opts.accounts ? { accounts: opts.accounts } : {}),
      ...(opts.regions ? { regions: opts.regions } : {}),
    };
    // whole events: extracting the 70 paths the public rules, templates and findings read
    // (sources/project.ts) costs more than JSON.parse of every record, as two rules read
    // requestParameters whole (docs/detect.md); @message is the event written out again
    // a folder's field index leaves out the files outside the time range, accounts and regions
    const plan = buildPlan(parseQuery(SCAN_QUERY), { now });
    const reader = new Reader(inputs, { warn: opts.warn, select, raw: false, index: new IndexPruner(indexClauses(plan, select), inputs, select), ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.remote ? { remote: opts.remote } : {}) });
    const found = [...reader.found()];
    const order = scanOrder(plan, found);
    reader.willRead(order.files);
    const dedup = opts.keepDuplicates ? undefined : new Deduper();
    const minRank = opts.minLevel ? levelRank(opts.minLevel) : 0;
    const timeline = new Timeline(this, order, minRank, opts);

    let interrupted = false;
    let workers = 0;
    // what the scan learns of the range and the accounts and regions (where the data are when they select nothing)
    const facts = scanFacts(plan);
    const split = reader.local ? parallelSplit(plan, order.files, opts.memoryLimit) : undefined;
    if (split) {
      const pool = new WorkerPool(plan, DETECT_YOUNG_MB);
      try {
        workers = split.workers;
        // the plan's commands don't run (the task takes their place): nothing reaches its pipeline
        const idle = taskPipeline();
        const outcome = await scanParallel({
          plan,
          pool,
          split: { ...split, mode: "rows" },
          order,
          pipeline: idle,
          reader,
          select,
          facts,
          ...(opts.range ? { range: opts.range } : {}),
          ...(dedup ? { dedup } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
          warn: opts.warn,
          ...(opts.onProgress ? { onProgress: () => opts.onProgress!(reader.stats) } : {}),
          task: { init: { name: "detect", data: judgeData(this.rules(minRank), now) }, apply: (r, ordinal) => timeline.apply(r as FileFindings, ordinal) },
        });
        interrupted = outcome.interrupted;
      } finally {
        pool.close();
      }
    } else {
      // on this thread: the rules take the place of the plan's commands, each file's findings made after it
      const judge = new EventJudge(this.rules(minRank));
      const outcome = await scanInline({
        order,
        pipeline: taskPipeline(judge.head),
        reader,
        admit: admitter(select, opts.warn, reader.stats, facts),
        ...(dedup ? { dedup } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.onProgress ? { onProgress: () => opts.onProgress!(reader.stats) } : {}),
        endFile: (ordinal) => timeline.apply(judge.endFile(), ordinal),
        // a big file (JSON lines, standard input) hands on what it has found as it goes: held until
        // its end, its findings would grow with it, out of reach of the timeline's spilling sort
        endBatch: (ordinal) => {
          if (judge.held >= PART_EVENTS) timeline.apply(judge.endFile(), ordinal, true);
        },
      });
      interrupted = outcome.interrupted;
    }
    const findings = timeline.end();
    if (!interrupted) for (const w of [...rangeHint(select, facts, reader.stats), ...selectionHint(select, facts, reader.stats)]) opts.warn(w);
    return {
      findings,
      tally: timeline.tally,
      events: timeline.events,
      eventsWithFinding: timeline.withFinding,
      read: reader.stats,
      duplicates: dedup?.skipped ?? 0,
      interrupted,
      elapsedMs: performance.now() - started,
      dispatch: { indexed: this.sigma.length - this.always, always: this.always },
      workers,
    };
  }
}

/**
 * The findings made from each file's FileFindings, in scan order: counted (the summary), handed on
 * (DetectOptions.onFinding) or kept, the correlations fed and judged up to the next file's bound.
 */
class Timeline {
  readonly tally = new Tally();
  events = 0;
  withFinding = 0;
  private readonly findings: Finding[] = [];
  private readonly ruleInfo: RuleInfo[];
  /** Each rule's titleRank, by the rule's number as the workers give it. */
  private readonly ruleRank: number[];
  private readonly corrRank: number[];
  /** Per correlation, its judge (none below --min-level: its matches go nowhere). */
  private readonly judges: (CorrelationJudge<FindingEvent> | undefined)[];

  constructor(
    detector: Detector,
    private readonly order: ScanOrder,
    minRank: number,
    private readonly opts: DetectOptions,
  ) {
    this.ruleInfo = [...detector.sigma, ...detector.templates];
    this.ruleRank = this.ruleInfo.map((r) => detector.titleRank(r));
    this.corrRank = detector.correlations.map((c) => detector.titleRank(c));
    this.judges = detector.correlations.map((c) => (levelRank(c.level) >= minRank ? new CorrelationJudge<FindingEvent>(c) : undefined));
  }

  private emit(f: Finding): void {
    this.tally.add(f.rule, f.event.time);
    if (this.opts.onFinding) this.opts.onFinding(f);
    else this.findings.push(f);
  }

  /** A file's findings; `part`: of the events read so far (more of the file is to come). */
  apply(ff: FileFindings, ordinal: number, part = false): void {
    const display = this.order.files[ordinal]!.file.display;
    this.events += ff.events;
    this.withFinding += ff.withFinding;
    const events: (FindingEvent | undefined)[] = [];
    const event = (e: number): FindingEvent => {
      let f = events[e];
      if (!f) {
        const index = ff.index[e]!;
        events[e] = f = new FileEvent(ff.shown, e, display, index, ff.time[e]!, ordinal * POS_PER_FILE + index);
      }
      return f;
    };
    for (let k = 0; k < ff.rule.length; k++) {
      const r = ff.rule[k]!;
      this.emit(new Finding(event(ff.of[k]!), this.ruleInfo[r]!, this.ruleRank[r]!));
    }
    if (ff.matches.length) {
      const seen: { found: boolean }[] = [];
      for (const m of ff.matches) {
        const judge = this.judges[m.corr];
        if (!judge) continue;
        const match: Match<FindingEvent> = { t: ff.time[m.of]!, rule: m.rule, group: m.group, value: m.value, event: event(m.of), seen: (seen[m.of] ??= { found: ff.found[m.of] === 1 }) };
        judge.add(match);
      }
    }
    // the rest of a file read in part may hold events as old as any of it
    const bound = this.order.timeSort!.bound(part ? ordinal : ordinal + 1);
    this.judge(bound);
    this.opts.onBound?.(bound);
  }

  /** The correlations judged up to `bound`: their findings. */
  private judge(bound: number): void {
    for (let c = 0; c < this.judges.length; c++) {
      const j = this.judges[c];
      if (!j) continue;
      for (const fired of j.flush(bound)) {
        this.emit(new Finding(fired.match.event, j.corr, this.corrRank[c]!, fired.detail));
        // an event only a correlation found counts among the events with a finding
        if (!fired.match.seen.found) {
          fired.match.seen.found = true;
          this.withFinding++;
        }
      }
    }
  }

  /** The scan is over: the correlations judged to the end; the findings kept, in the timeline's order. */
  end(): Finding[] {
    this.judge(Infinity);
    for (const j of this.judges) {
      if (j?.untimed) {
        this.opts.warn?.(`correlation ${j.corr.title}: ${plural(j.untimed, "match", "matches")} of events without a usable eventTime ${j.untimed === 1 ? "is" : "are"} in no window: left out`);
      }
      if (!j?.late) continue;
      this.opts.warn?.(
        `correlation ${j.corr.title}: ${plural(j.late, "match", "matches")} came after later ones were judged (a file held events more than an hour older than the time in its name: a late or repeated delivery) and ${j.late === 1 ? "was" : "were"} left out, so it may have missed a finding there`,
      );
    }
    return this.findings.sort(timelineOrder);
  }
}
