// The scan: the files a plan reads, in the order it meets them, and their events into the pipeline.
// The files are listed first (pruned by name). A query that keeps the newest (or oldest) n events
// reads them newest (oldest) first and stops when no file left can hold a better one. Big scans go
// to worker threads (parallel.ts); small ones, standard input and subquery plans run here.
import path from "node:path";
import type { Plan } from "../plan/plan.js";
import { WHOLE_PARSE_LIMIT, stampSpan, type EventBatch, type ReadStats, type Reader } from "../sources/index.js";
import type { FoundFile } from "../sources/walk.js";
import type { SourceSelection } from "../plan/commands/source.js";
import { ROW_LOCAL } from "../plan/reads.js";
import { Row } from "./row.js";
import type { Pipeline } from "./pipeline.js";
import { SortOp } from "./operators/sort.js";
import type { Deduper } from "./event-ids.js";
import type { ScanFacts } from "./facts.js";
import { SCAN_HEAP_FLOOR, freeBuffers, heapKeeper } from "./memory.js";
import { ReadAhead, readAheadEarly, readAheadNow } from "../sources/read-ahead.js";

/** How long a scan on this thread goes at most without letting the event loop turn (Ctrl-C). */
const TURN_MS = 50;

/** Row.pos of event `index` of the file met `ordinal`-th. */
export const POS_PER_FILE = 2 ** 24;

/**
 * The order of a sort on @timestamp alone as a number that sorts ascending: the time, negated when
 * newest first; Infinity without one (last either way). Ties are for the scan position to break.
 */
export function orderKey(t: number, desc: boolean): number {
  return Number.isNaN(t) ? Infinity : desc ? -t : t;
}

/** The order of a sort on @timestamp alone, by orderKey then scan position: < 0 when row a (time, pos) comes first. */
export function timeOrder(ta: number, pa: number, tb: number, pb: number, desc: boolean): number {
  const a = orderKey(ta, desc);
  const b = orderKey(tb, desc);
  return a < b ? -1 : a > b ? 1 : pa - pb;
}

/** The order files are met in, and what a sort on @timestamp can know from it. */
export interface ScanOrder {
  files: FoundFile[];
  /**
   * The query sorts events by @timestamp first (desc: newest first), so the files are in that order
   * by the times their names allow. `bound(i)`: no file from the i-th on holds an event sorting
   * before this time (the newest time they can hold; the oldest when ascending). With a limit, the
   * scan stops at the first file whose bound can't beat the rows kept; without, the sort hands on
   * the rows that sort before the next file's bound as the scan goes (SortOp.release).
   */
  timeSort?: { desc: boolean; bound(i: number): number; op: number };
}

/** The plan's sort on @timestamp (and its index in the plan), if it comes after row-local commands only. */
export function timeSortOf(plan: Plan): { desc: boolean; op: number } | undefined {
  for (const [i, op] of plan.ops.entries()) {
    if (op.op === "sort") {
      const k = op.keys[0];
      return k?.expr.k === "system" && k.expr.name === "@timestamp" ? { desc: k.desc, op: i } : undefined;
    }
    if (!ROW_LOCAL.has(op.op)) return undefined;
  }
  return undefined;
}

export function scanOrder(plan: Plan, found: FoundFile[]): ScanOrder {
  const top = timeSortOf(plan);
  if (!top) return { files: found };
  // A stamped file holds events in its stampSpan (prune.ts); unstamped ones go first.
  const spans = found.map((f) => (f.file.stamped ? { f, ...stampSpan(f.file.ingestionTime) } : { f, hi: Infinity, lo: -Infinity }));
  if (top.desc) spans.sort((a, b) => b.hi - a.hi);
  else spans.sort((a, b) => a.lo - b.lo);
  const none = top.desc ? -Infinity : Infinity;
  return {
    files: spans.map((s) => s.f),
    timeSort: { desc: top.desc, op: top.op, bound: (i) => (i >= spans.length ? none : top.desc ? spans[i]!.hi : spans[i]!.lo) },
  };
}

/** Warnings about bad eventTimes shown per file; the summary counts them all. */
export const BAD_TIME_WARNINGS_PER_FILE = 3;

/**
 * An event's account (part 0) or region (part 1), for --account and --region: its recipientAccountId
 * or awsRegion (a number as its digits), else its file's folder in the `AWSLogs/<account>/CloudTrail/<region>/`
 * layout (events before version 1.02 have no recipientAccountId), else none.
 */
function layoutPart(v: unknown, file: EventBatch["file"], part: 0 | 1): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  return file.logGroup?.split(":")[part]?.toLowerCase() ?? "";
}

/**
 * Turns a batch's events into rows for the pipeline, keeping only those the query may see (time
 * range, accounts, regions). An eventTime that is there but not a time is counted in
 * `stats.eventsBadTime`, and warned about three times a file at most (then once that there are more).
 * `facts` notes the paths the query reads that the events have, and what the time range let through.
 */
export function admitter(
  sel: SourceSelection,
  warn: ((m: string) => void) | undefined,
  stats?: Pick<ReadStats, "eventsBadTime">,
  facts?: ScanFacts,
): (batch: EventBatch, ordinal: number, push: (row: Row) => void) => void {
  const start = sel.start ?? -Infinity;
  const end = sel.end ?? Infinity;
  const ranged = start > -Infinity || end < Infinity;
  const accounts = sel.accounts ? new Set(sel.accounts) : undefined;
  const regions = sel.regions ? new Set(sel.regions) : undefined;
  /** The file the bad times counted in `warned` are from (batches of a file come one after another). */
  let warnedFile: EventBatch["file"] | undefined;
  let warned = 0;
  return (batch, ordinal, push) => {
    const { events, raws, file, firstIndex } = batch;
    const base = ordinal * POS_PER_FILE + firstIndex;
    facts?.see(events);
    let outside = 0;
    let selected = 0;
    let untimed = 0;
    let first = Infinity;
    let last = -Infinity;
    for (let i = 0; i < events.length; i++) {
      const ev = events[i]!;
      const row = new Row(ev, file, firstIndex + i);
      row.pos = base + i;
      if (raws) row.raw = raws[i];
      if (Number.isNaN(row.timestamp) && ev["eventTime"] !== undefined) {
        if (stats) stats.eventsBadTime++;
        if (file !== warnedFile) {
          warnedFile = file;
          warned = 0;
        }
        // relative to here when under it, else the whole path (../../tmp/x.json read as a climb)
        const rel = file.path === "-" ? "-" : path.relative(process.cwd(), file.path);
        const where = rel.startsWith("..") ? file.path : rel;
        if (warned < BAD_TIME_WARNINGS_PER_FILE) {
          const shown = JSON.stringify(ev["eventTime"]) ?? String(ev["eventTime"]);
          warn?.(`${where}: record ${firstIndex + i + 1}: eventTime ${shown.length > 64 ? shown.slice(0, 60) + "...\"" : shown} is not a time: the event has no @timestamp`);
        } else if (warned === BAD_TIME_WARNINGS_PER_FILE) {
          warn?.(`${where}: more events with an eventTime that is not a time, not shown (the summary counts them)`);
        }
        warned++;
      }
      if (ranged) {
        const t = row.timestamp;
        // An event without a usable time can't be placed in the range: it is not seen.
        if (!(t >= start && t <= end)) {
          outside++;
          if (Number.isNaN(t)) untimed++;
          if (t < first) first = t;
          if (t > last) last = t;
          continue;
        }
      }
      if (accounts && !accounts.has(layoutPart(ev["recipientAccountId"], file, 0))) continue;
      if (regions && !regions.has(layoutPart(ev["awsRegion"], file, 1))) continue;
      selected++;
      push(row);
    }
    if (facts && (accounts || regions)) facts.selected += selected;
    if (ranged && facts) {
      facts.inRange += events.length - outside;
      facts.untimed += untimed;
      if (first < facts.first) facts.first = first;
      if (last > facts.last) facts.last = last;
    }
  };
}

export interface InlineScan {
  order: ScanOrder;
  pipeline: Pipeline;
  reader: Reader;
  admit: ReturnType<typeof admitter>;
  signal?: AbortSignal;
  onProgress?: () => void;
  /** Skips events whose eventID was met before (absent: --keep-duplicates). */
  dedup?: Deduper;
  /** After each file read (or the part read when interrupted), its ordinal (detect makes the file's findings). */
  endFile?: (ordinal: number) => void;
  /** After each batch of a file's events (detect hands on what a big file has found so far). */
  endBatch?: (ordinal: number) => void;
  /** A read-ahead thread started while the files were listed (earlyReadAhead): the scan takes its files from the first on, and closes it. */
  ahead?: ReadAhead;
}

/**
 * A read-ahead thread for a scan on this thread, started now that `found` files are listed, if such
 * a scan would read ahead (readAheadEarly): not for a plan whose sort on @timestamp has a limit,
 * which may stop after a few files.
 */
export function earlyReadAhead(plan: Plan, found: number): ReadAhead | undefined {
  const top = timeSortOf(plan);
  const sort = top && plan.ops[top.op];
  if (sort?.op === "sort" && sort.topK !== undefined) return undefined;
  return readAheadEarly(found, WHOLE_PARSE_LIMIT);
}

/**
 * Between files of a scan in time order: hands on what the sort can, and says whether the scan can
 * stop (a sort with a limit whose rows no file from `next` on can beat).
 */
export function timeSortStep(order: ScanOrder, sort: SortOp | undefined, next: number): boolean {
  if (!order.timeSort || !sort) return false;
  const bound = order.timeSort.bound(next);
  if (!sort.limited) {
    sort.release(bound);
    return false;
  }
  const kept = sort.bound();
  return typeof kept === "number" && (order.timeSort.desc ? bound < kept : bound > kept);
}

/**
 * The warning for `late` rows or findings a scan in time order handed on after ones they sort
 * before: a file held events outside the span its stamp allows (stampSpan), so the bound the scan
 * gave the sort was passed. `remedy`: how to have them in order.
 */
export function lateRowsWarning(late: number, what = "rows", remedy = "`sort eventTime` in place of `sort @timestamp` (or of the default order) sorts every row before writing any"): string {
  const one = late === 1;
  return `${late.toLocaleString("en-US")} ${one ? what.replace(/s$/, "") : what} ${one ? "was" : "were"} written out of time order, after ${what} ${one ? "it sorts" : "they sort"} before: a file held events more than an hour older than the time in its name, or later than its minute (a late, repeated or renamed delivery); ${remedy}`;
}

/** The sort on @timestamp a scan in time order feeds (none when a dedup's FirstPerKeyOp stands before it). */
export function timeSortOp(order: ScanOrder, pipeline: Pipeline): SortOp | undefined {
  const op = order.timeSort ? pipeline.operatorOf(order.timeSort.op) : undefined;
  return op instanceof SortOp ? op : undefined;
}

/** Reads the files one after another on this thread. Returns whether it was interrupted. */
export async function scanInline(s: InlineScan): Promise<{ interrupted: boolean; unneeded: number }> {
  const { files } = s.order;
  const sort = timeSortOp(s.order, s.pipeline);
  const head = s.pipeline.head;
  const { dedup } = s;
  dedup?.expect(files.reduce((n, f) => n + f.file.size, 0));
  /** The batch being admitted (dedup: its fingerprints, and the index in its file of its first event). */
  let batch: EventBatch | undefined;
  const push = dedup ? (row: Row): void => void (dedup.first(row.ev, batch!.fps, row.index - batch!.firstIndex) && head.push(row)) : (row: Row): void => head.push(row);
  const admit = (b: EventBatch, ordinal: number): void => {
    batch = b;
    dedup?.prefetch(b);
    s.admit(b, ordinal, push);
  };
  // many small files: a second thread reads and gunzips the next ones (read-ahead.ts); s3:// objects
  // come as they are fetched
  let ahead = s.ahead;
  ahead?.read(files);
  // detection's timeline keeps its own (it holds far more)
  const collect = s.endFile ? undefined : heapKeeper(SCAN_HEAP_FLOOR);
  let turned = performance.now();
  try {
    for (let i = 0; i < files.length; i++) {
      if (i > 0 && timeSortStep(s.order, sort, i)) return { interrupted: false, unneeded: files.length - i };
      if (!ahead && !s.reader.remote && readAheadNow(i, files.length)) {
        ahead = new ReadAhead(WHOLE_PARSE_LIMIT);
        ahead.read(files);
      }
      // the common small file in one synchronous step; anything else streamed by the careful reader
      let content = ahead?.take(i) ?? "self";
      if (content instanceof Promise) content = await content;
      const quick = content === "self" ? s.reader.readQuick(files[i]!) : content === "left" ? undefined : s.reader.readDecoded(files[i]!, content);
      if (quick !== undefined) {
        for (const batch of quick) {
          admit(batch, i);
          s.endBatch?.(i);
        }
        s.onProgress?.();
      } else {
        // after Ctrl-C the reader stops reading and hands on the events it has: taken, not dropped
        for await (const batch of s.reader.read(files[i]!)) {
          admit(batch, i);
          s.endBatch?.(i);
          s.onProgress?.();
        }
      }
      s.endFile?.(i);
      // Ctrl-C comes through the event loop (a keypress at the prompt, SIGINT's handler): files read
      // ahead come without a wait, so the scan lets it turn now and then, or it would run to its end
      if (s.signal && performance.now() - turned > TURN_MS) {
        await new Promise<void>((r) => setImmediate(r));
        turned = performance.now();
      }
      if ((i & 31) === 31) {
        freeBuffers(ahead?.heldBytes);
        collect?.();
      }
      if (s.signal?.aborted) return { interrupted: true, unneeded: 0 };
    }
    return { interrupted: s.signal?.aborted ?? false, unneeded: 0 };
  } finally {
    ahead?.close();
    if (sort?.late) s.pipeline.warnings.push(lateRowsWarning(sort.late));
  }
}
