// The parallel scan: worker threads (worker.ts) read the files and run the plan's row-by-row
// commands; this thread hands out the files and puts the results together, so that the result is
// the one a single-threaded scan gives:
//
// - the commands up to the first one that looks across rows (the barrier) run in the workers;
// - stats (aggregate mode): each worker keeps partial groups; they are merged here at the end (or
//   earlier, past a worker's share of the memory budget) and come out in the order of each group's
//   first row (Row.pos), as in a single-threaded scan;
// - sort with a limit (top mode): each worker sends each file's first n rows; this thread keeps the
//   first n of all, and stops handing out files when none left can hold a better row (time order);
// - sort then dedup (firstPerKey mode): each worker keeps the row of each dedup key that sorts
//   first (handing them over early past its share of the memory budget), and this thread the
//   first of those (see FirstPerKeyOp);
// - a sort on @timestamp alone that ends the plan (ordered mode: `fields ...`, whose default order it
//   is): each worker sends each file's output values sorted, and this thread merges the files'
//   runs, handing on the rows no file still to come can precede (time order);
// - anything else (rows mode): each file's rows are sent and pushed into the rest of the plan here;
//   a sort on @timestamp hands on its first rows as the files are applied (time order).
//
// Per-file results (figures, warnings, rows) are applied in the files' scan order whatever order
// the workers finish in, so warnings and rows come in the same order as in a single-threaded scan.
// Files are handed out a few at a time to whichever worker is free (two messages in flight each),
// the biggest first when order does not matter (stats), so that no worker is left with a big file
// at the end.
//
// Copies of events (the same eventID) are skipped by the workers themselves, through a table of
// eventIDs they share (shared-ids.ts): each file's rows go on once every file before it has its ids
// in, less those a file before holds, so that the rows kept are those a single-threaded scan keeps.
import type { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import type { Query } from "../lang/ast.js";
import type { Plan } from "../plan/plan.js";
import { ROW_LOCAL } from "../plan/reads.js";
import type { SourceSelection } from "../plan/commands/source.js";
import type { Reader, ReaderOptions, ReadStats, SkippedInput } from "../sources/index.js";
import { plainFound, type FoundFile } from "../sources/walk.js";
import { subqueries } from "../plan/walk.js";
import type { Pipeline } from "./pipeline.js";
import { Row } from "./row.js";
import { POS_PER_FILE, lateRowsWarning, orderKey, timeSortOf, timeSortOp, timeSortStep, type ScanOrder } from "./scan.js";
import type { StatsOp, PartialGroup } from "./operators/stats.js";
import type { Value } from "./values.js";
import { EVENT_BYTES, type Deduper } from "./event-ids.js";
import { SharedIds, sharedIdsMemory, type SharedIdsMemory } from "./shared-ids.js";
import { ExitCode, UserError } from "../errors.js";
import type { FileFacts, ScanFacts } from "./facts.js";
import { SCAN_HEAP_FLOOR, heapKeeper, type MemoryBudget } from "./memory.js";
import { threadModule, threads } from "./threads.js";
import type { TaskInit } from "./tasks.js";

/** The worker's module, beside this one (threadModule). */
const WORKER_MODULE = threadModule("worker", import.meta.url);

/**
 * A worker thread that could not start (ERR_WORKER_INIT_FAILED: EMFILE under a low `ulimit -n`) is
 * the environment's, not a bug: a message, exit 2.
 */
function workerStartError(e: unknown): unknown {
  if ((e as NodeJS.ErrnoException).code !== "ERR_WORKER_INIT_FAILED") return e;
  const why = (e as Error).message.replace(/^Worker initialization failure: /, "");
  return new UserError(`a worker thread could not start (${why}): the limits on open files or memory are too low for it (ulimit -n, ulimit -v); raise them, or read on one thread with TRAILQ_WORKERS=0`, ExitCode.path);
}

/**
 * Errors of workers started before a scan listens to them (WorkerPool starts them while the files
 * are listed): an 'error' event with no listener ended the process (exit 1, a line of minified
 * code) when a worker could not start under a low `ulimit -n`.
 */
const earlyErrors = new WeakMap<Worker, unknown>();

function startWorker(youngMb: number): Worker {
  const w = new (threads().Worker)(WORKER_MODULE, { resourceLimits: { maxYoungGenerationSizeMb: youngMb } });
  w.once("error", (e) => earlyErrors.set(w, e));
  return w;
}

/**
 * What a file costs a scan on one thread, measured (2026-12-06, CPU of the whole process, the
 * group-by with copies skipped): about 7.5 µs per file (open, read, close, a gunzip call) and 25 ns
 * per byte on disk (gunzip, projection, the commands): the small-file trail (23,363 files, 53 MB)
 * 1.4-1.6 s; the 1M trail (3,240 files, 141 MB) 3.5-3.7 s; 104,304 tiny files (105 MB) 3.1 s.
 */
const FILE_COST_US = 7.5;
const BYTE_COST_US = 0.025;
/**
 * What two workers add to a scan's work, measured the same way: about 0.3 s to start them (loading
 * the program twice: the sample trail, 1,246 files, 0.35 s more), 16 µs a file (messages, the
 * file's figures, a third heap's collections) and 7 ns a byte on disk (eventIDs in the shared
 * table, groups and rows crossing): the small-file trail 1.0-1.1 s more, the tiny files 2.7 s, the
 * 1M trail 0.9-1.2 s.
 */
const WORKERS_START_US = 300_000;
const WORKERS_FILE_US = 16;
const WORKERS_BYTE_US = 0.007;
/**
 * Two threads sharing the machine's memory and caches each go slower than one alone (gunzip and
 * JSON.parse of the small-file trail: 1.1 times; whole scans: up to 1.2).
 */
const SHARING_SLOWDOWN = 1.2;

/** The work of a scan on one thread (µs) by its files and their bytes on disk. */
export function scanCost(files: number, bytes: number): number {
  return files * FILE_COST_US + bytes * BYTE_COST_US;
}

/**
 * Whether two workers finish a scan sooner than one thread: each takes half of the work and of what
 * workers add, slowed by sharing the machine, so they do when what they add is under 2 / 1.2 - 1 =
 * 2/3 of the work: past about 32 MB of big files, or 27,000 files of 8 events; never for files of
 * one or two events (30 µs of work a file against 23 added). On one thread a scan also holds half
 * the memory. The sample trail (1,246 files, 4.6 MB) and the small-file trail (23,363 files of 8
 * events: 1.29-1.37 s on one thread against 1.32-1.41 with two workers) stay on one thread.
 */
export function workersPay(files: number, bytes: number): boolean {
  const added = WORKERS_START_US + WORKERS_FILE_US * files + WORKERS_BYTE_US * bytes;
  return added < (2 / SHARING_SLOWDOWN - 1) * scanCost(files, bytes);
}
/**
 * A worker's young generation (MB). Its garbage is short-lived (each file's text, each record's
 * pieces): a small young generation stays in cache and is quicker to sweep. 8 instead of V8's
 * default of 32-64 measured 10% faster and 80 MB less per scan of 1M events. V8's
 * --max-semi-space-size, which bin/trailq starts node with (dist/trailq.flags), overrides it: each
 * thread's semi-spaces are then the flag's size (4 MB; 16 for detect), a young generation of 3 times that.
 */
const WORKER_YOUNG_MB = 8;
/** Messages of files a worker holds at once: one it reads, one waiting, so that it never waits. */
const IN_FLIGHT = 2;
/**
 * With dedup, messages a worker has not yet read: a message's results come back only once every
 * file before its files has its eventIDs in (another worker may be reading them), so the worker
 * says when it has read a message (FilesRead) and is handed the next at once. Counting the messages
 * not yet answered instead tied each worker to the other's pace: on the 1M trail each one waited
 * 350-700 ms for files, even with 16 messages allowed.
 */
const IN_FLIGHT_DEDUP = 3;
/**
 * Files per message when the files are big (one when the scan may stop early: reading ahead would
 * be wasted); small files go more to a message, up to MESSAGE_BYTES on disk.
 */
const FILES_PER_MESSAGE = 8;
/** Bytes on disk per message that small files are gathered up to (then a message is worth its cost). */
const MESSAGE_BYTES = 256 << 10;
/** Files per message at most, however small. */
const MAX_FILES_PER_MESSAGE = 256;
/**
 * Bytes on disk per message at most when copies of events are skipped: a worker holds its rows
 * until every file before them is read, so the others' messages are kept short (two files of 300
 * gzipped events; forty of 8 events).
 */
const DEDUP_MESSAGE_BYTES = 96 << 10;

export type ParallelMode = "aggregate" | "top" | "firstPerKey" | "ordered" | "rows";

export interface WorkerInit {
  kind: "init";
  query: Query;
  now: number;
  barrier: number;
  mode: ParallelMode;
  readerOptions: Pick<ReaderOptions, "project" | "prefilter" | "raw">;
  select: SourceSelection;
  range?: { start?: number; end?: number };
  /** Skip copies of events (the same eventID): the table of ids the workers share (absent: --keep-duplicates). */
  ids?: SharedIdsMemory;
  /**
   * aggregate and firstPerKey modes: the bytes of groups or rows the worker may hold (its share of
   * the memory budget); past them it hands what it holds to this thread (WorkerPartial).
   */
  memory?: number;
  /** Work the workers run on the rows admitted instead of the plan's commands (tasks.ts), in rows mode. */
  task?: TaskInit;
  /** Say when a message's files are read (FilesRead), before their results can be sent (dedup). */
  ackRead?: boolean;
}

/** Files to read (a few at once: fewer messages); or: every file is done; or: stop reading (Ctrl-C). */
export type ToWorker = { kind: "files"; ordinals: number[]; files: FoundFile[] } | { kind: "end" } | { kind: "stop" };

export interface WireRow {
  ev: Record<string, unknown> | null;
  /** The event's text (@message), when the commands after the barrier read it. */
  raw?: string;
  x: Record<string, Value> | null;
  ts: number;
  pos: number;
  index: number;
}

/**
 * A file's result rows in the sort's order, by column: each row's place in the order of time
 * (orderKey), its Row.pos (ties), its output values.
 */
export interface OrderedRun {
  keys: Float64Array;
  pos: Float64Array;
  columns: RunColumn[];
}

/**
 * A column as it crosses between threads: its values, or, when they are all strings or null, their
 * text end to end, where each ends, and which are null. A million rows are a few thousand objects
 * to copy and to hold instead of millions (the main thread's garbage collector copies what it
 * holds, and copies no text past 128 KiB).
 */
export type RunColumn = Value[] | { text: string; ends: Uint32Array; nulls: Uint8Array | null };

export function packColumn(values: Value[]): RunColumn {
  const ends = new Uint32Array(values.length);
  let nulls: Uint8Array | null = null;
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) (nulls ??= new Uint8Array(values.length))[i] = 1;
    else if (typeof v === "string") at += v.length;
    else return values;
    ends[i] = at;
  }
  return { text: values.join(""), ends, nulls };
}

export function columnValue(c: RunColumn, i: number): Value {
  if (Array.isArray(c)) return c[i];
  if (c.nulls !== null && c.nulls[i] === 1) return null;
  return c.text.slice(i === 0 ? 0 : c.ends[i - 1], c.ends[i]);
}

/** The figures a worker's reading of a file adds to the scan's (listing and pruning are this thread's). */
export const FILE_COUNTERS = ["filesRead", "filesSkipped", "filesEmpty", "filesUnmatched", "eventsRead", "eventsBadTime", "bytesRead", "bytesDecoded"] as const;
type FileCounter = (typeof FILE_COUNTERS)[number];

export interface FileDone {
  ordinal: number;
  stats: Pick<ReadStats, FileCounter> & { skipped: SkippedInput[] };
  warnings: string[];
  rows: WireRow[];
  /** The events skipped as copies of one met before (dedup). */
  copies: number;
  /** What the scan learnt of the file (exec/facts.ts). */
  facts: FileFacts;
  /** ordered mode: the rows as output values, sorted. */
  run?: OrderedRun;
  /** A task's result for the file (ScanTask.endFile). */
  task?: unknown;
}

/** A worker's last word: every file is done, and what it held was handed over (WorkerPartial). */
export interface WorkerDone {
  kind: "done";
}

/**
 * What a worker held across files, handed over a slice at a time, at the end and past its share
 * of the memory budget: stats' partial groups, or firstPerKey's rows.
 */
export interface WorkerPartial {
  kind: "partial";
  groups?: PartialGroup[];
  rows?: WireRow[];
}

/** A worker has read the files of a message (their rows wait for the ids of the files before them). */
export interface FilesRead {
  kind: "read";
}

/** What a worker made of the files of one message (packResults). */
export interface FilesDone {
  kind: "files";
  results: PackedResults;
  /** aggregate and firstPerKey modes: the bytes the worker holds now (counted in this thread's budget). */
  held?: number;
}

/**
 * A message's file results as they cross between threads: the figures of the files with nothing
 * else to say (most: no warning, no row, no skipped input, no path first met) as numbers in one
 * array, PLAIN_WORDS a file; the others whole. Thousands of small files a second cost a structured
 * clone of eight objects each otherwise.
 */
export interface PackedResults {
  plain: Float64Array;
  others: FileDone[];
}

/** A plain file's words: ordinal, the FILE_COUNTERS, copies, and the facts' inRange, selected, untimed, first, last. */
const PLAIN_WORDS = FILE_COUNTERS.length + 7;
const NO_WARNINGS: string[] = [];
const NO_ROWS: WireRow[] = [];
const NO_PATHS: number[] = [];

const isPlain = (r: FileDone): boolean => r.warnings.length === 0 && r.rows.length === 0 && r.stats.skipped.length === 0 && r.facts.present.length === 0 && r.run === undefined && r.task === undefined;

export function packResults(results: FileDone[]): PackedResults {
  const plain: FileDone[] = [];
  const others: FileDone[] = [];
  for (const r of results) (isPlain(r) ? plain : others).push(r);
  const words = new Float64Array(plain.length * PLAIN_WORDS);
  let at = 0;
  for (const r of plain) {
    words[at++] = r.ordinal;
    for (const k of FILE_COUNTERS) words[at++] = r.stats[k];
    words[at++] = r.copies;
    words[at++] = r.facts.inRange;
    words[at++] = r.facts.selected;
    words[at++] = r.facts.untimed;
    words[at++] = r.facts.first;
    words[at++] = r.facts.last;
  }
  return { plain: words, others };
}

export function unpackResults(p: PackedResults): FileDone[] {
  const out = p.others.slice();
  const w = p.plain;
  for (let at = 0; at < w.length; ) {
    const ordinal = w[at++]!;
    const stats = { skipped: [] } as unknown as FileDone["stats"];
    for (const k of FILE_COUNTERS) stats[k] = w[at++]!;
    const copies = w[at++]!;
    const facts = { present: NO_PATHS, inRange: w[at++]!, selected: w[at++]!, untimed: w[at++]!, first: w[at++]!, last: w[at++]! };
    out.push({ ordinal, stats, warnings: NO_WARNINGS, rows: NO_ROWS, copies, facts });
  }
  return out;
}

type FromWorker = FilesDone | FilesRead | WorkerDone | WorkerPartial | { kind: "error"; message: string; exitCode?: number };

/** The worker threads a scan may use: TRAILQ_WORKERS when set (0 or 1: none), else undefined (one per core). */
export function workersSetting(): number | undefined {
  const set = process.env["TRAILQ_WORKERS"];
  if (set === undefined || set === "") return undefined;
  if (!/^\d+$/.test(set.trim())) throw new UserError(`bad value for TRAILQ_WORKERS ${JSON.stringify(set)}: not a whole number of worker threads (0 or 1: none)`, ExitCode.usage);
  return Number(set);
}

/** Worker threads to use: TRAILQ_WORKERS if set (0 or 1: none), else one per core. */
function workerCount(): number {
  return workersSetting() ?? availableParallelism();
}

/** Whether the plan can run in workers at all (whatever the files). */
function parallelizable(plan: Plan): boolean {
  // Subqueries run before the scan, on this thread; lookup tables live on this thread.
  return !plan.estimate && subqueries(plan.ops).length === 0 && !plan.ops.some((o) => o.op === "lookup" || o.op === "cidrlookup");
}

/**
 * Worker threads started while the files are listed, as soon as the scan is known to be big enough,
 * so that they load while the listing goes on.
 */
export class WorkerPool {
  private readonly started: Worker[] = [];
  private bytes = 0;
  private files = 0;
  private readonly wanted: number;

  /** Whether to start the workers while listing (not for a scan that likely stays on this thread: fewFilesRead). */
  private readonly early: boolean;

  /** `youngMb`: the workers' young generation (a task whose rows live longer may want more). */
  constructor(
    plan: Plan,
    private readonly youngMb = WORKER_YOUNG_MB,
  ) {
    this.wanted = parallelizable(plan) ? workerCount() : 0;
    this.early = workersSetting() !== undefined || smallTimeTop(plan) < 0;
  }

  /** A file was found. */
  found(f: FoundFile): void {
    this.bytes += f.file.size;
    this.files++;
    if (this.started.length === 0 && this.wanted >= 2 && this.early && this.worthIt) this.start(this.wanted);
  }

  /** Whether the files found so far are work enough for workers (workersPay). */
  get worthIt(): boolean {
    return workersPay(this.files, this.bytes);
  }

  /** Whether workers are (or would be) used for this plan at all. */
  get parallel(): boolean {
    return this.wanted >= 2;
  }

  private start(n: number): void {
    while (this.started.length < n) this.started.push(startWorker(this.youngMb));
  }

  /** n workers, started now if they were not. */
  take(n: number): Worker[] {
    this.start(n);
    return this.started.slice(0, n);
  }

  /** Stops the workers (the scan ran on this thread, or is over). */
  close(): void {
    for (const w of this.started.splice(0)) void w.terminate();
  }
}

/** How a plan splits between the workers and this thread, or undefined when it runs on one thread. */
export function parallelSplit(plan: Plan, files: FoundFile[], memoryLimit?: number): { barrier: number; mode: ParallelMode; workers: number } | undefined {
  const workers = Math.min(workerCount(), files.length);
  if (workers < 2 || !parallelizable(plan)) return undefined;
  if (files.some((f) => f.file.path === "-")) return undefined;
  const forced = process.env["TRAILQ_WORKERS"] !== undefined;
  if (!forced && !workersPay(files.length, files.reduce((n, f) => n + f.file.size, 0))) return undefined;
  let barrier = plan.ops.findIndex((o) => !ROW_LOCAL.has(o.op));
  if (barrier < 0) barrier = plan.ops.length;
  const op = plan.ops[barrier];
  const mode: ParallelMode =
    op?.op === "stats" ? "aggregate"
    : op?.op === "sort" && op.topK !== undefined ? "top"
    : op?.op === "sort" && plan.ops[barrier + 1]?.op === "dedup" ? "firstPerKey"
    : op?.op === "sort" && barrier === plan.ops.length - 1 && op.keys.length === 1 && timeSortOf(plan)?.op === barrier ? "ordered"
    : "rows";
  if (!forced && mode === "top" && fewFilesRead(plan, barrier, files)) return undefined;
  // a worker holds a file's rows until the file is done (rows, ordered), outside the budget: a file
  // that may hold more than a share of it is read on this thread, whose commands spill as they must
  // (4 JSON-lines files of 150 MB, sort eventID, --memory 20M: 534-602 MB with workers, 208 on one thread)
  if (memoryLimit !== undefined && (mode === "rows" || mode === "ordered") && files.some((f) => decodedSize(f.file) > memoryLimit / (2 * workers))) return undefined;
  return { barrier, mode, workers };
}

/** A file's size once decoded, about: gzip holds CloudTrail's JSON in about an eighth of it. */
function decodedSize(file: FoundFile["file"]): number {
  return /\.gz$/i.test(file.path) ? 8 * file.size : file.size;
}

/**
 * The index of the plan's sort when it is a top-k on @timestamp of at most TOP_INLINE_MAX rows with
 * only commands that keep every row before it (see fewFilesRead), else -1.
 */
function smallTimeTop(plan: Plan): number {
  const t = timeSortOf(plan);
  if (!t) return -1;
  const op = plan.ops[t.op];
  if (op?.op !== "sort" || op.topK === undefined || op.topK > TOP_INLINE_MAX) return -1;
  return plan.ops.slice(0, t.op).every((o) => KEEPS_EVERY_ROW.has(o.op)) ? t.op : -1;
}

/** The most rows a time-ordered top-k kept on one thread (below): past it, reading may go on long. */
const TOP_INLINE_MAX = 10_000;
/** Commands that keep every row (before the sort, they can't make the early stop come later). */
const KEEPS_EVERY_ROW = new Set(["compute", "parse", "parseFormat"]);

/**
 * Whether a top-k on @timestamp (`sort @timestamp desc | limit n`, `limit n` in the default order)
 * will read few files: no command before it drops rows, n is small and every file's name has its
 * delivery stamp (time order and the early stop go by it), so the scan stops after the files that
 * hold the first n events and those their times overlap: a handful. Workers would cost more to
 * start (about 0.15 s of CPU each) than they save (issue 17: `limit 1` over 47,684 files).
 */
function fewFilesRead(plan: Plan, barrier: number, files: readonly FoundFile[]): boolean {
  if (smallTimeTop(plan) !== barrier) return false;
  return files.every((f) => f.file.stamped);
}

export interface ParallelScan {
  plan: Plan;
  pool: WorkerPool;
  split: NonNullable<ReturnType<typeof parallelSplit>>;
  order: ScanOrder;
  /** The plan's commands from the barrier on, ending in the sink. */
  pipeline: Pipeline;
  /** The caller's reader: the workers read with what it extracts (Reader.extraction). */
  reader: Reader;
  select: SourceSelection;
  range?: { start?: number; end?: number };
  /** Where the workers' facts of each file are added up, in scan order. */
  facts?: ScanFacts;
  warn?: (m: string) => void;
  signal?: AbortSignal;
  /** After each message of results: the files' results that came with it (applied or not yet: they are applied in scan order). */
  onProgress?: (arrived: readonly FileDone[]) => void;
  /** Skips events whose eventID was met before, in scan order (absent: --keep-duplicates). */
  dedup?: Deduper;
  /** This thread's memory budget: in aggregate and firstPerKey modes the workers' shares come out of it. */
  memory?: MemoryBudget;
  /** A task the workers run instead of the plan's commands, and what takes each file's result here, in scan order. */
  task?: { init: TaskInit; apply(result: unknown, ordinal: number): void };
  /**
   * The listing, when it is not over: more() adds the next slice of files to order.files (in scan
   * order: no time order then) and says whether any may be left; done() once it is over.
   */
  listing?: { more(): boolean; done(): void };
}

/**
 * A worker's share of the memory budget in the modes where workers hold groups or rows across
 * files: at most half the budget goes to the workers (past its share, a worker hands what it holds
 * to this thread); what they hold, as each says with its results, counts in this thread's budget.
 */
export function workerShare(limit: number, workers: number): number {
  return Math.floor(limit / (2 * workers));
}

/**
 * Files per message: about MESSAGE_BYTES on disk (DEDUP_MESSAGE_BYTES when copies are skipped), at
 * least FILES_PER_MESSAGE without dedup, at most MAX_FILES_PER_MESSAGE, and at least 16 messages
 * per worker so that the work stays balanced to the end. Thousands of files of a few events each
 * go a few dozen to a message: a message costs tens of microseconds on both sides, a small file's
 * read about as much.
 */
export function filesPerMessage(n: number, bytes: number, workers: number, dedup: boolean, listed = true): number {
  // TRAILQ_FILES_PER_MESSAGE: a fixed number, for the tests that compare one file a message with many
  const set = Number(process.env["TRAILQ_FILES_PER_MESSAGE"] ?? "");
  if (Number.isInteger(set) && set > 0) return set;
  if (n === 0) return 1;
  const mean = Math.max(1, bytes / n);
  const bySize = Math.floor((dedup ? DEDUP_MESSAGE_BYTES : MESSAGE_BYTES) / mean);
  const wanted = dedup ? bySize : Math.max(FILES_PER_MESSAGE, bySize);
  // while listing, the files yet to be found are not known: the 16 messages a worker are about those found
  return Math.max(1, Math.min(MAX_FILES_PER_MESSAGE, wanted, listed ? Math.floor(n / (workers * 16)) : MAX_FILES_PER_MESSAGE));
}

export async function scanParallel(s: ParallelScan): Promise<{ interrupted: boolean; unneeded: number }> {
  // While s.listing goes on, `files` grows: the listing is pulled a slice at a time between messages.
  const { files } = s.order;
  const { barrier, mode } = s.split;
  const head = s.pipeline.head;
  let n = files.length;
  let listed = s.listing === undefined;
  // Hand-out order: biggest first for stats; else scan order (results are applied in scan order, and
  // the early stop needs the files in it). With dedup, scan order always: a file's rows wait for
  // the ids of every file before it.
  const { dedup } = s;
  const handout = files.map((_, i) => i);
  if (mode === "aggregate" && !dedup && listed) handout.sort((a, b) => files[b]!.file.size - files[a]!.file.size || a - b);
  let handed = 0;
  // 16 messages per worker at least, so that the work stays balanced to the end.
  // With dedup, about DEDUP_MESSAGE_BYTES a message: a worker's rows wait for the files before them,
  // which the other workers read a message at a time.
  let bytes = 0;
  for (const f of files) bytes += f.file.size;
  const messageSize = (): number => (mode === "top" ? 1 : filesPerMessage(n, bytes, s.split.workers, dedup !== undefined, listed));
  let perMessage = messageSize();
  let applied = 0;
  // the files not needed from this one on (time order, with a limit); none known while listing
  let stopAt = listed ? n : Infinity;
  const results = new Map<number, FileDone>();
  const sort = timeSortOp(s.order, s.pipeline);
  const stats = mode === "aggregate" ? (head as StatsOp) : undefined;
  const sum = s.reader.stats;

  const init: WorkerInit = { kind: "init", query: s.plan.query, now: s.plan.now, barrier, mode, readerOptions: s.reader.extraction, select: s.select };
  // the ids' table, sized for the files found so far and grown as more are found, while it is
  // nearly empty (gzipped CloudTrail: about 150 bytes an event)
  const ids = dedup ? new SharedIds(sharedIdsMemory(bytes / EVENT_BYTES)) : undefined;
  if (ids) init.ids = ids.memory;
  if (s.range) init.range = s.range;
  if (s.task) init.task = s.task.init;
  // with dedup, a worker is handed files as it reads them, not as its results come back (IN_FLIGHT_DEDUP)
  const ackRead = dedup !== undefined && mode !== "top";
  if (ackRead) init.ackRead = true;
  // what the workers hold, as they last said, counts in this thread's budget
  const shares = s.memory?.account();
  const held = new Array<number>(s.split.workers).fill(0);
  if (shares && (mode === "aggregate" || mode === "firstPerKey")) init.memory = workerShare(shares.budget.limit, s.split.workers);
  const workers = s.pool.take(s.split.workers);

  const pushRows = (rows: WireRow[], ordinal: number): void => {
    const file = files[ordinal]!.file;
    for (const w of rows) {
      const row = new Row(w.ev, file, w.index, w.ts);
      row.x = w.x;
      row.pos = w.pos;
      if (w.raw !== undefined) row.raw = w.raw;
      head.push(row);
    }
  };
  const merger = mode === "ordered" ? new RunMerger(s.order.timeSort!.desc, (v) => s.pipeline.emit(v)) : undefined;
  const apply = (r: FileDone): void => {
    for (const w of r.warnings) s.warn?.(w);
    for (const k of FILE_COUNTERS) sum[k] += r.stats[k];
    sum.skipped.push(...r.stats.skipped);
    if (dedup) dedup.skipped += r.copies;
    s.facts?.add(r.facts);
    pushRows(r.rows, r.ordinal);
    if (r.run) merger!.add(r.run);
    if (r.task !== undefined) s.task!.apply(r.task, r.ordinal);
  };

  const inFlightMax = ackRead ? IN_FLIGHT_DEDUP : IN_FLIGHT;
  // a task keeps its own (detect's timeline holds far more)
  const collect = s.task ? undefined : heapKeeper(SCAN_HEAP_FLOOR);
  /** The scan is over (done, failed or stopped): the listing is pulled no more. */
  let over = false;
  await new Promise<void>((resolve, reject) => {
    let ended = 0;
    /** Messages a worker has not answered; and (ackRead) not read. */
    const inFlight = new Array<number>(workers.length).fill(0);
    const unread = ackRead ? new Array<number>(workers.length).fill(0) : inFlight;
    let stopping = false;
    let ending = false;
    const finish = (): void => {
      // Every file needed is applied: the workers hand over their groups (stats) and stop.
      if ((applied < stopAt && !stopping) || inFlight.some((k) => k > 0) || ending) return;
      ending = true;
      for (const w of workers) w.postMessage({ kind: "end" } satisfies ToWorker);
    };
    /** Interrupted: what has come is applied whatever its order (the rows found so far are kept). */
    const applyAll = (): void => {
      for (const r of [...results.values()].sort((a, b) => a.ordinal - b.ordinal)) apply(r);
      results.clear();
    };
    const feed = (i: number): void => {
      while (!stopping && unread[i]! < inFlightMax && handed < n && handout[handed]! < stopAt) {
        // while listing, only full messages: the next slice of the listing fills the rest
        if (!listed && n - handed < perMessage) return;
        const ordinals: number[] = [];
        while (ordinals.length < perMessage && handed < n && handout[handed]! < stopAt) ordinals.push(handout[handed++]!);
        inFlight[i]!++;
        if (ackRead) unread[i]!++;
        workers[i]!.postMessage({ kind: "files", ordinals, files: ordinals.map((o) => plainFound(files[o]!)) } satisfies ToWorker);
      }
    };
    /**
     * Pulls the next slice of the listing, hands it out, and comes back after the messages waiting.
     * What the listing throws (the limit on open files reached) ends the scan with it.
     */
    const pump = (): void => {
      if (listed || over || s.signal?.aborted) return;
      let more: boolean;
      try {
        more = s.listing!.more();
      } catch (e) {
        return reject(e);
      }
      for (let k = n; k < files.length; k++) {
        handout.push(k);
        bytes += files[k]!.file.size;
      }
      n = files.length;
      if (!more) {
        listed = true;
        stopAt = Math.min(stopAt, n);
        s.listing!.done();
      }
      perMessage = messageSize();
      ids?.expect(bytes / EVENT_BYTES);
      workers.forEach((_, i) => feed(i));
      if (listed) finish();
      else setImmediate(pump);
    };
    // Ctrl-C: the workers stop reading (the file being read ends where it is), say what they read,
    // and hand over what they hold (stats groups), so that the rows found so far are printed
    const onAbort = (): void => {
      stopping = true;
      for (const w of workers) w.postMessage({ kind: "stop" } satisfies ToWorker);
      applyAll();
      finish();
    };
    s.signal?.addEventListener("abort", onAbort, { once: true });
    const onMessage = (m: FromWorker, i: number): void => {
      if (m.kind === "error") return reject(m.exitCode !== undefined ? new UserError(m.message, m.exitCode) : new Error(`scan worker: ${m.message}`));
      if (m.kind === "partial") {
        if (m.groups) stats!.merge(m.groups);
        for (const w of m.rows ?? []) pushRows([w], Math.floor(w.pos / POS_PER_FILE));
        return;
      }
      if (m.kind === "read") {
        unread[i]!--;
        return feed(i);
      }
      if (m.kind === "done") {
        held[i] = 0;
        shares?.set(held.reduce((a, b) => a + b, 0));
        if (++ended === workers.length) resolve();
        return;
      }
      inFlight[i]!--;
      if (m.held !== undefined) {
        held[i] = m.held;
        shares?.set(held.reduce((a, b) => a + b, 0));
      }
      const arrived = unpackResults(m.results);
      for (const r of arrived) if (r.ordinal < stopAt) results.set(r.ordinal, r);
      if (stopping) applyAll();
      while (applied < stopAt && results.has(applied)) {
        apply(results.get(applied)!);
        results.delete(applied++);
        if (timeSortStep(s.order, sort, applied)) stopAt = Math.min(stopAt, applied);
        if (merger && s.order.timeSort) merger.release(s.order.timeSort.bound(applied));
      }
      s.onProgress?.(arrived);
      collect?.();
      feed(i);
      finish();
    };
    workers.forEach((w, i) => {
      if (earlyErrors.has(w)) reject(workerStartError(earlyErrors.get(w)));
      w.on("error", (e) => reject(workerStartError(e)));
      w.on("message", (m: FromWorker) => {
        // what the commands here throw (a MemoryError, a failed spill) ends the scan with it
        try {
          onMessage(m, i);
        } catch (e) {
          reject(e);
        }
      });
      w.postMessage(init);
      feed(i);
    });
    if (!listed) setImmediate(pump);
    // interrupted while the files were listed
    if (s.signal?.aborted) onAbort();
  }).finally(() => {
    over = true;
  });
  shares?.set(0);
  const interrupted = s.signal?.aborted ?? false;
  merger?.release(NaN);
  const late = (merger?.late ?? 0) + (sort?.late ?? 0);
  if (late > 0) s.pipeline.warnings.push(lateRowsWarning(late));
  return { interrupted, unneeded: interrupted ? 0 : n - applied };
}

/** A run in RunMerger's heap: the row it is at, and that row's order key and place. */
interface MergeEntry {
  run: OrderedRun;
  at: number;
  key: number;
  pos: number;
}

/** Whether entry a's row comes before entry b's: by order key, then by place. */
const before = (a: MergeEntry, b: MergeEntry): boolean => a.key < b.key || (a.key === b.key && a.pos < b.pos);

/**
 * ordered mode: the files' sorted runs, merged. release(bound) hands on, in order, the rows whose time
 * sorts strictly before `bound` (no file still to come holds one that precedes them); NaN: all that
 * is left (rows without a time last, as the sort puts them). Ties go by Row.pos, as in the sort.
 */
class RunMerger {
  /** The runs with rows left, as a binary heap on their next rows (whose key and pos it keeps). */
  private readonly heap: MergeEntry[] = [];
  /** The order key of the last row handed on (-Infinity: none yet). */
  private released = -Infinity;
  /** Rows that came in runs after rows they sort before were handed on (as SortOp.late). */
  late = 0;

  constructor(
    private readonly desc: boolean,
    private readonly emit: (values: Value[]) => void,
  ) {}

  add(run: OrderedRun): void {
    if (run.keys.length === 0) return;
    for (let i = 0; i < run.keys.length && run.keys[i]! < this.released; i++) this.late++;
    const h = this.heap;
    const e = { run, at: 0, key: run.keys[0]!, pos: run.pos[0]! };
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const up = (i - 1) >> 1;
      const u = h[up]!;
      if (before(u, e)) break;
      h[i] = u;
      i = up;
    }
    h[i] = e;
  }

  release(bound: number): void {
    const h = this.heap;
    const all = Number.isNaN(bound);
    const below = orderKey(bound, this.desc);
    while (h.length > 0) {
      let e = h[0]!;
      if (!all && !(e.key < below)) return;
      const { run, at } = e;
      const columns = run.columns;
      const values = new Array<Value>(columns.length);
      for (let k = 0; k < columns.length; k++) values[k] = columnValue(columns[k]!, at);
      this.emit(values);
      this.released = e.key;
      if (++e.at === run.keys.length) {
        e = h.pop()!;
        if (h.length === 0) return;
      } else {
        e.key = run.keys[e.at]!;
        e.pos = run.pos[e.at]!;
      }
      // sift e down from the root: the hole moves down while a child comes first
      const n = h.length;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        const l = h[c]!;
        if (c + 1 < n) {
          const r = h[c + 1]!;
          if (before(r, l)) c++;
        }
        const x = h[c]!;
        if (before(e, x)) break;
        h[i] = x;
        i = c;
      }
      h[i] = e;
    }
  }
}
