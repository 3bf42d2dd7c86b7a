// Running a plan over inputs: events from the reader are pushed through the pipeline, results go
// to the sink. Returns the figures the summary line reports.
import type { Plan } from "../plan/plan.js";
import { Reader, exactSize, type ReadStats, type ReaderOptions, type SourceFile } from "../sources/index.js";
import { eventReads, requiredText } from "../plan/reads.js";
import { indexClauses } from "./index-clauses.js";
import { IndexPruner } from "../sources/field-index.js";
import type { TimeRange } from "../time/range.js";
import type { SourceSelection } from "../plan/commands/source.js";
import { buildPipeline, type Pipeline, type ResultSink } from "./pipeline.js";
import type { FoundFile } from "../sources/walk.js";
import { admitter, earlyReadAhead, scanInline, scanOrder, timeSortOf } from "./scan.js";
import type { ReadAhead } from "../sources/read-ahead.js";
import { FILE_COUNTERS, WorkerPool, parallelSplit, scanParallel, workersSetting, type FileDone } from "./parallel.js";
import { isNull, type Value } from "./values.js";
import { subqueries } from "../plan/walk.js";
import { ExitCode, UserError } from "../errors.js";
import { Deduper } from "./event-ids.js";
import { scanFacts, type ScanFacts } from "./facts.js";
import { spreadOver } from "./spread.js";
import { copyPlaceHint, fieldHints, rangeHint, selectionHint, timeHint } from "./hints.js";
import { setOwn } from "./own.js";
import { Holding, MemoryBudget, defaultMemory, valueBytes } from "./memory.js";

export interface RunResult {
  read: ReadStats;
  rowsOut: number;
  elapsedMs: number;
  /** Compile-time and plan warnings. */
  warnings: string[];
  /** The run was stopped before the inputs ended (Ctrl-C, or the output closed). */
  interrupted: boolean;
  /** Worker threads the scan used (0: it ran on this thread). */
  workers: number;
  /** What the files not needed (read.filesUnneeded) hold: events newer, or older, than the rows kept. */
  unneeded?: "newer" | "older";
  /** Bytes written to spill files past the memory budget (0: everything fit). */
  spilled: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** A new reader over the same inputs for another plan: subqueries, join and appendcols read them before the scan. */
  reopen?: (plan: Plan) => Reader;
  /** Only events whose @timestamp lies in the range (inclusive) are seen by the query. */
  range?: TimeRange;
  /** Only events of these accounts / regions (--account, --region); SOURCE may narrow them further. */
  accounts?: string[];
  regions?: string[];
  /** Keep every copy of an event (the same eventID in several files); by default the first in scan order is kept. */
  keepDuplicates?: boolean;
  /** The memory budget in bytes (--memory; default: defaultMemory()): see memory.ts. */
  memory?: number;
  /** Data problems found while running (an eventTime that is not a time). */
  warn?: (message: string) => void;
  /** Called once the files to read are listed (the progress bar's totals). */
  onListed?: (files: SourceFile[]) => void;
  /** Called after each batch (progress display). */
  onProgress?: (read: ReadStats) => void;
}

export async function runPlan(plan: Plan, reader: Reader, sink: ResultSink, opts: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  if (plan.estimate) return estimate(plan, reader, sink, started);
  const memory = new MemoryBudget(opts.memory ?? defaultMemory());
  try {
    const result = await runWithin(plan, reader, sink, opts, memory, started);
    result.spilled += memory.spill.written;
    return result;
  } finally {
    memory.close();
  }
}

async function runWithin(plan: Plan, reader: Reader, sink: ResultSink, opts: RunOptions, memory: MemoryBudget, started: number): Promise<RunResult> {
  const subWarnings: string[] = [];
  let spilled = 0;
  // the subqueries' rows are held while the query runs
  const subRows = new Holding(memory, "a subquery (in, join, appendcols)");
  for (const sub of subqueries(plan.ops)) {
    if (!opts.reopen) throw new UserError("subqueries, join and appendcols read the inputs twice: give files or folders, not standard input or a named pipe");
    const rows: Record<string, Value>[] = [];
    const collect: ResultSink = {
      row(values) {
        const o: Record<string, Value> = {};
        sub.plan.columns.forEach((c, i) => {
          if (!isNull(values[i])) setOwn(o, c.name, values[i]);
        });
        rows.push(o);
        subRows.add(o, valueBytes);
      },
      end() {},
    };
    const done = await runPlan(sub.plan, opts.reopen(sub.plan), collect, { ...opts, memory: memory.limit });
    for (const w of done.warnings) if (!subWarnings.includes(w)) subWarnings.push(w);
    spilled += done.spilled;
    sub.done(rows);
  }
  const { pipeline, outcome, workers, facts, found, select, desc } = await scan(plan, reader, sink, opts, memory);
  const { interrupted, unneeded } = outcome;
  reader.stats.filesUnneeded += unneeded;
  pipeline.head.end();
  // why a result may be empty: said once the scan is complete
  const hints = interrupted ? [] : [...rangeHint(select, facts, reader.stats), ...selectionHint(select, facts, reader.stats), ...timeHint(select, facts, reader.stats), ...copyPlaceHint(plan, reader.stats), ...(await fieldHints(plan, facts, found, reader.stats))];
  const result: RunResult = {
    read: reader.stats,
    rowsOut: pipeline.rowsOut,
    elapsedMs: performance.now() - started,
    warnings: [...new Set([...plan.warnings, ...subWarnings, ...pipeline.warnings, ...hints])],
    interrupted,
    workers,
    spilled,
  };
  if (unneeded > 0) result.unneeded = desc ? "older" : "newer";
  return result;
}

interface Scanned {
  pipeline: Pipeline;
  outcome: { interrupted: boolean; unneeded: number };
  workers: number;
  facts: ScanFacts;
  /** The files listed to scan. */
  found: FoundFile[];
  /** What the scan let through (the time range the facts' figures are about). */
  select: SourceSelection;
  /** The files were read newest first (a sort on @timestamp desc). */
  desc: boolean;
}

/** Files found before a parallel scan may start while the listing goes on (TRAILQ_WORKERS set: fewer, so that tests take that road). */
const STREAM_MIN_FILES = 64;
const STREAM_MIN_FILES_FORCED = 8;
/** A slice of the listing between the workers' messages: at least this many files, and this long. */
const LIST_SLICE_FILES = 64;
const LIST_SLICE_MS = 2;

/** Lists the files, then reads them on this thread or in workers (parallel.ts), into the pipeline. */
async function scan(plan: Plan, reader: Reader, sink: ResultSink, opts: RunOptions, memory: MemoryBudget): Promise<Scanned> {
  const current = queryRange(plan, opts);
  const found: FoundFile[] = [];
  const facts = scanFacts(plan);
  const pool = new WorkerPool(plan);
  const dedup = opts.keepDuplicates ? undefined : new Deduper();
  /** A read-ahead thread started while listing, for a scan on this thread (closed if the workers read). */
  let ahead: ReadAhead | undefined;
  const closeAhead = (): void => {
    ahead?.close();
    ahead = undefined;
  };
  try {
    // The listing: all of it before reading, unless the workers can start while it goes on (below).
    const listing = reader.found()[Symbol.iterator]();
    let listed = false;
    const mayReadAhead = reader.local && !reader.readsStdin;
    const list = (enough: () => boolean): void => {
      while (!enough()) {
        const r = listing.next();
        if (r.done) {
          listed = true;
          return;
        }
        found.push(r.value);
        pool.found(r.value);
        if (!ahead && mayReadAhead && !pool.worthIt) ahead = earlyReadAhead(plan, found.length);
      }
    };
    // Files are read in the listing's order unless the query sorts on @timestamp (time order needs
    // every name first): then, once the files found are work enough for workers (workersPay), the
    // workers read while this thread lists the rest, a slice between messages.
    const forced = workersSetting() !== undefined;
    const streams = pool.parallel && !reader.readsStdin && timeSortOf(plan) === undefined;
    list(streams ? () => found.length >= (forced ? STREAM_MIN_FILES_FORCED : STREAM_MIN_FILES) && (forced || pool.worthIt) : () => false);
    if (!listed) {
      const split = parallelSplit(plan, found, memory.limit);
      if (split) {
        closeAhead();
        const more = (): boolean => {
          const until = performance.now() + LIST_SLICE_MS;
          let k = 0;
          list(() => ++k > LIST_SLICE_FILES && performance.now() >= until);
          return !listed;
        };
        const select = scanSelection(plan, opts);
        const onProgress = opts.onProgress ? () => opts.onProgress!(reader.stats) : undefined;
        const order = scanOrder(plan, found);
        const pipeline = buildPipeline(plan, sink, { range: current, memory }, split.barrier);
        const common = { order, reader, ...(dedup ? { dedup } : {}), ...(opts.signal ? { signal: opts.signal } : {}), ...(onProgress ? { onProgress } : {}) };
        const done = (): void => {
          opts.onListed?.(found.map((f) => f.file));
        };
        const outcome = await scanParallel({ ...common, plan, pool, split, pipeline, select, range: current, facts, memory, listing: { more, done }, ...(opts.warn ? { warn: opts.warn } : {}), ...(opts.onProgress ? { onProgress: arrivals(reader.stats, opts.onProgress) } : {}) });
        if (!listed) list(() => false); // stopped early: the hints and figures are about every file
        return { facts, found, select, desc: false, pipeline, outcome, workers: split.workers };
      }
      list(() => false);
    }
    opts.onListed?.(found.map((f) => f.file));
    const order = scanOrder(plan, found);
    reader.willRead(order.files);
    const select = scanSelection(plan, opts);
    const onProgress = opts.onProgress ? () => opts.onProgress!(reader.stats) : undefined;
    const common = { order, reader, ...(dedup ? { dedup } : {}), ...(opts.signal ? { signal: opts.signal } : {}), ...(onProgress ? { onProgress } : {}) };
    // remote files still to fetch (s3://) are read here as they come: workers read files on disk
    const split = reader.local ? parallelSplit(plan, order.files, memory.limit) : undefined;
    const scanned = { facts, found, select, desc: order.timeSort?.desc ?? false };
    if (!split) {
      pool.close();
      const pipeline = buildPipeline(plan, sink, { range: current, memory });
      const early = ahead;
      ahead = undefined; // the scan closes it
      return { ...scanned, pipeline, outcome: await scanInline({ ...common, pipeline, admit: admitter(select, opts.warn, reader.stats, facts), ...(early ? { ahead: early } : {}) }), workers: 0 };
    }
    closeAhead(); // the workers read
    const pipeline = buildPipeline(plan, sink, { range: current, memory }, split.barrier);
    const outcome = await scanParallel({ ...common, plan, pool, split, pipeline, select, range: current, facts, memory, ...(opts.warn ? { warn: opts.warn } : {}), ...(opts.onProgress ? { onProgress: arrivals(reader.stats, opts.onProgress) } : {}) });
    return { ...scanned, pipeline, outcome, workers: split.workers };
  } finally {
    pool.close();
    closeAhead();
    reader.stats.eventsDuplicate += dedup?.skipped ?? 0;
  }
}

/**
 * The progress of a scan in workers: the files' figures as their results arrive (the reader's stats
 * grow as results are applied, in scan order, which can lag far behind: a stats scan hands the
 * biggest files out first), over what this thread counted (pruned, ignored files).
 */
function arrivals(stats: ReadStats, onProgress: (read: ReadStats) => void): (arrived: readonly FileDone[]) => void {
  const seen = Object.fromEntries(FILE_COUNTERS.map((k) => [k, 0])) as Record<(typeof FILE_COUNTERS)[number], number>;
  return (arrived) => {
    for (const r of arrived) for (const k of FILE_COUNTERS) seen[k] += r.stats[k];
    onProgress({ ...stats, ...seen });
  };
}

/**
 * What the query may see: the time range of the options and of SOURCE (both apply: the later start,
 * the earlier end), and the accounts and regions of SOURCE and the options (each event's
 * recipientAccountId / awsRegion).
 */
export function queryRange(plan: Plan, opts: Pick<RunOptions, "range" | "accounts" | "regions">): SourceSelection {
  const sel: SourceSelection = {};
  const starts = [opts.range?.start, plan.source?.start].filter((x): x is number => x !== undefined);
  const ends = [opts.range?.end, plan.source?.end].filter((x): x is number => x !== undefined);
  if (starts.length) sel.start = Math.max(...starts);
  if (ends.length) sel.end = Math.min(...ends);
  const both = (a?: string[], b?: string[]): string[] | undefined => (a && b ? a.filter((x) => b.includes(x)) : a ?? b);
  const accounts = both(plan.source?.accounts, opts.accounts);
  const regions = both(plan.source?.regions, opts.regions);
  if (accounts) sel.accounts = accounts;
  if (regions) sel.regions = regions;
  return sel;
}

/**
 * What the scan reads: the query's selection, and for diff also the range before it (diff compares
 * the two). This is what the reader prunes files by.
 */
export function scanSelection(plan: Plan, opts: Pick<RunOptions, "range" | "accounts" | "regions">): SourceSelection {
  const sel = queryRange(plan, opts);
  const diff = plan.ops.find((o) => o.op === "pattern" && o.diff);
  if (diff?.op === "pattern" && sel.start !== undefined) sel.start -= diff.diff!.shiftMs ?? (sel.end ?? plan.now) - sel.start + 1;
  return sel;
}

/**
 * How the scan of `inputs` reads for this plan: the files its selection can hold (pruned by name,
 * and by the folders' field indexes), only the event keys it reads, and not parsing files whose
 * text can't pass its filter.
 */
export function scanReaderOptions(plan: Plan, opts: Pick<RunOptions, "range" | "accounts" | "regions" | "keepDuplicates">, inputs: readonly string[]): Pick<ReaderOptions, "select" | "project" | "fingerprint" | "prefilter" | "index" | "raw"> {
  const select = scanSelection(plan, opts);
  const reads = eventReads(plan);
  const index = new IndexPruner(indexClauses(plan, select), inputs, select);
  const out: Pick<ReaderOptions, "select" | "project" | "fingerprint" | "prefilter" | "index" | "raw"> = { select, index, raw: reads.raw };
  // estimate counts the events the files it would open hold (as it counts their bytes): its sample is not ruled out by the filter's text
  if (!plan.estimate) out.prefilter = requiredText(plan);
  const paths = reads.paths;
  if (paths) {
    // the account and region filters read recipientAccountId and awsRegion (see admitter)
    if (select.accounts) paths.push(["recipientAccountId"]);
    if (select.regions) paths.push(["awsRegion"]);
    // the scan skips copies of an event by its eventID's fingerprint (event-ids.ts)
    if (!opts.keepDuplicates) out.fingerprint = "eventID";
    out.project = paths;
  }
  return out;
}

/** How many files `estimate` reads in full to extrapolate decoded bytes and events. */
const ESTIMATE_SAMPLE = 3;

/**
 * estimate: walks the inputs (after pruning) without reading them, then reads a few files spread
 * over the list to extrapolate decoded bytes and events from the bytes on disk.
 */
async function estimate(plan: Plan, reader: Reader, sink: ResultSink, started: number): Promise<RunResult> {
  const files: FoundFile[] = [];
  let onDisk = 0;
  for (const f of reader.found()) {
    // standard input has no size to extrapolate from, and read here it would be gone for the query
    if (f.file.path === "-") throw new UserError("estimate extrapolates from the files' sizes on disk: standard input has none (give files or folders)", ExitCode.usage);
    files.push(f);
    onDisk += exactSize(f.file);
  }
  const sample = spreadOver(files, ESTIMATE_SAMPLE);
  // the sample read by the run's own reader: an s3:// object is fetched first (opened by its cache
  // path before it was there, it read as nothing: estimates of 0 events), and warnings name it
  reader.willRead(sample);
  const before = { bytesRead: reader.stats.bytesRead, bytesDecoded: reader.stats.bytesDecoded, eventsRead: reader.stats.eventsRead };
  for (const f of sample) {
    for await (const _batch of reader.read(f)) {
      // reading is all that is needed: the reader counts bytes and events
    }
  }
  const read = reader.stats.bytesRead - before.bytesRead || 1;
  const decoded = reader.stats.bytesDecoded - before.bytesDecoded;
  const events = reader.stats.eventsRead - before.eventsRead;
  const row = [files.length, onDisk, Math.round((onDisk * decoded) / read), Math.round((onDisk * events) / read), sample.length];
  sink.row(row);
  sink.end();
  return { read: reader.stats, rowsOut: 1, elapsedMs: performance.now() - started, warnings: plan.warnings, interrupted: false, workers: 0, spilled: 0 };
}
