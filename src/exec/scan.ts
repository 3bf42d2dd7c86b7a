// The scan: the files a plan reads, in the order it meets them, and their events into the pipeline.
// The files are listed first (pruned by name). A query that keeps the newest (or oldest) n events
// reads them newest (oldest) first and stops when no file left can hold a better one. Big scans go
// to worker threads (parallel.ts); small ones, standard input and subquery plans run here.
import path from "node:path";
import { relative } from "node:path";
import type { Plan } from "../plan/plan.js";
import { stampFromName } from "../sources/cloudtrail.js";
import { DELIVERY_MARGIN_MS, type EventBatch, type Reader } from "../sources/index.js";
import type { FoundFile } from "../sources/walk.js";
import type { SourceSelection } from "../plan/commands/source.js";
import { ROW_LOCAL } from "../plan/reads.js";
import { Row } from "./row.js";
import type { Pipeline } from "./pipeline.js";
import { SortOp } from "./operators/sort.js";
import type { Value } from "./values.js";

/** Row.pos of event `index` of the file met `ordinal`-th. */
export const POS_PER_FILE = 2 ** 24;

/** The order files are met in, and when reading can stop. */
export interface ScanOrder {
  files: FoundFile[];
  /**
   * The query keeps the first n rows by @timestamp (desc: the newest): files are in that order, and
   * `stopAt(bound)` gives the ordinal of the first file that can't hold a row sorting before `bound`.
   */
  timeTop?: { desc: boolean; stopAt(bound: number, from: number): number };
}

/** The plan's sort-with-limit on @timestamp, if it comes after row-local commands only. */
function timeTopSort(plan: Plan): { desc: boolean } | undefined {
  for (const op of plan.ops) {
    if (op.op === "sort") {
      const k = op.keys[0];
      return op.topK !== undefined && k?.expr.k === "system" && k.expr.name === "@timestamp" ? { desc: k.desc } : undefined;
    }
    if (!ROW_LOCAL.has(op.op)) return undefined;
  }
  return undefined;
}

export function scanOrder(plan: Plan, found: FoundFile[]): ScanOrder {
  const top = timeTopSort(plan);
  if (!top) return { files: found };
  // A file stamped T holds events in [T - margin, T] (see prune.ts); unstamped ones go first.
  const spans = found.map((f) => {
    const t = f.file.path === "-" ? undefined : stampFromName(path.basename(f.file.path));
    return { f, hi: t ?? Infinity, lo: t === undefined ? -Infinity : t - DELIVERY_MARGIN_MS };
  });
  if (top.desc) spans.sort((a, b) => b.hi - a.hi);
  else spans.sort((a, b) => a.lo - b.lo);
  return {
    files: spans.map((s) => s.f),
    timeTop: {
      desc: top.desc,
      stopAt(bound, from) {
        for (let i = from; i < spans.length; i++) {
          const s = spans[i]!;
          if (top.desc ? s.hi < bound : s.lo > bound) return i;
        }
        return spans.length;
      },
    },
  };
}

/**
 * Turns a batch's events into rows for the pipeline, keeping only those the query may see (time
 * range, accounts, regions), and warns (three times a batch at most) about an eventTime that is not a time.
 */
export function admitter(sel: SourceSelection, warn: ((m: string) => void) | undefined): (batch: EventBatch, ordinal: number, push: (row: Row) => void) => void {
  const start = sel.start ?? -Infinity;
  const end = sel.end ?? Infinity;
  const ranged = start > -Infinity || end < Infinity;
  const accounts = sel.accounts ? new Set(sel.accounts) : undefined;
  const regions = sel.regions ? new Set(sel.regions) : undefined;
  return (batch, ordinal, push) => {
    const { events, file, firstIndex } = batch;
    const base = ordinal * POS_PER_FILE + firstIndex;
    let badTimes = 0;
    for (let i = 0; i < events.length; i++) {
      const ev = events[i]!;
      const row = new Row(ev, file, firstIndex + i);
      row.pos = base + i;
      if (Number.isNaN(row.timestamp) && ev["eventTime"] !== undefined && badTimes++ < 3) {
        warn?.(`${file.path === "-" ? "-" : relative(process.cwd(), file.path)}: record ${firstIndex + i + 1}: eventTime ${JSON.stringify(ev["eventTime"])} is not a time: the event has no @timestamp`);
      }
      if (ranged) {
        const t = row.timestamp;
        // An event without a usable time can't be placed in the range: it is not seen.
        if (!(t >= start && t <= end)) continue;
      }
      if (accounts && !accounts.has(ev["recipientAccountId"] as string)) continue;
      if (regions && !regions.has(ev["awsRegion"] as string)) continue;
      push(row);
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
}

/** Reads the files one after another on this thread. Returns whether it was interrupted. */
export async function scanInline(s: InlineScan): Promise<{ interrupted: boolean; unneeded: number }> {
  const { files, timeTop } = s.order;
  const sort = timeTop ? s.pipeline.operators.find((o): o is SortOp => o instanceof SortOp) : undefined;
  const head = s.pipeline.head;
  const push = (row: Row): void => head.push(row);
  for (let i = 0; i < files.length; i++) {
    if (sort && timeTop) {
      const bound = sort.bound() as Value;
      if (typeof bound === "number" && timeTop.stopAt(bound, i) === i) return { interrupted: false, unneeded: files.length - i };
    }
    for await (const batch of s.reader.read(files[i]!)) {
      s.admit(batch, i, push);
      s.onProgress?.();
      if (s.signal?.aborted) return { interrupted: true, unneeded: 0 };
    }
  }
  return { interrupted: s.signal?.aborted ?? false, unneeded: 0 };
}
