// A scan worker thread (see parallel.ts): it builds the same plan from the query, reads the files it
// is given one at a time, runs the commands before the plan's first cross-row command over their
// events, and hands back per file what the main thread needs: figures, warnings, and the rows
// (or, for stats, the partial groups once every file is done).
import { parentPort } from "node:worker_threads";
import { buildPlan } from "../plan/build.js";
import { eventReads } from "../plan/reads.js";
import { Reader, type ReadStats } from "../sources/index.js";
import { chainOperators, firstPerKey } from "./pipeline.js";
import { compile } from "./compile.js";
import { admitter, orderKey, timeOrder } from "./scan.js";
import type { Operator } from "./operators/operator.js";
import { SortOp } from "./operators/sort.js";
import type { StatsOp } from "./operators/stats.js";
import type { Row } from "./row.js";
import { FILE_COUNTERS, packColumn, type FileDone, type FilesDone, type OrderedRun, type ToWorker, type WorkerDone, type WorkerInit, type WireRow } from "./parallel.js";

const port = parentPort!;

/**
 * A row as it crosses to the main thread: its event cut down to the top-level keys the commands
 * after the barrier read (`keep`; all when undefined), its text when they read @message (`raw`),
 * its columns, time and place.
 */
function wire(row: Row, keep: string[] | undefined, raw: boolean): WireRow {
  let ev = row.ev;
  if (ev && keep) {
    const slim: Record<string, unknown> = {};
    for (const k of keep) if (k in ev) slim[k] = ev[k];
    ev = slim;
  }
  const w: WireRow = { ev, x: row.x, ts: row.timestamp, pos: row.pos, index: row.index };
  if (raw && row.raw !== undefined) w.raw = row.raw;
  return w;
}

/** The figures that grew since `before`, and the skipped entries from `skippedBefore` on. */
function delta(now: ReadStats, before: ReadStats, skippedBefore: number): FileDone["stats"] {
  const d = { skipped: now.skipped.slice(skippedBefore) } as FileDone["stats"];
  for (const k of FILE_COUNTERS) d[k] = now[k] - before[k];
  return d;
}

function start(init: WorkerInit): (m: ToWorker) => Promise<void> {
  const plan = buildPlan(init.query, { now: init.now });
  const warnings: string[] = [];
  const warn = (m: string): void => void warnings.push(m);
  const reader = new Reader([], { warn, ...init.readerOptions });
  const admit = admitter(init.select, warn);
  const opts = { now: plan.now, warnings: [] as string[] };
  const run = init.range ? { range: init.range } : {};
  const before = plan.ops.slice(0, init.barrier);

  const after = eventReads(plan, init.barrier);
  const keep = after.paths ? [...new Set(after.paths.map((p) => p[0]!))] : undefined;
  let rows: WireRow[] = [];
  const collect: Operator = { push: (row) => void rows.push(wire(row, keep, after.raw)), end() {} };
  let head: Operator;
  /** After each file: what the mode does at a file's end (top: that file's first rows). */
  let endFile: () => void = () => {};
  /** ordered mode: the file's rows as sorted output values. */
  let ordered: (() => OrderedRun) | undefined;
  /** The last word, once every file is done. */
  let finish: () => WorkerDone = () => ({ kind: "done" });
  const op = plan.ops[init.barrier];
  if (init.mode === "aggregate") {
    const stats = chainOperators([op!], opts, collect, run)[0] as StatsOp;
    head = chainOperators(before, opts, stats, run)[0] ?? stats;
    finish = () => ({ kind: "done", groups: stats.partial() });
  } else if (init.mode === "top") {
    if (op?.op !== "sort") throw new Error("top mode without a sort");
    // per file: a fresh sort keeps that file's first n rows, and ends into `collect`
    const keys = op.keys.map((k) => ({ eval: compile(k.expr, opts), desc: k.desc }));
    let sort = new SortOp(keys, op.topK, collect);
    const tail: Operator = { push: (row) => sort.push(row), end() {} };
    head = chainOperators(before, opts, tail, run)[0] ?? tail;
    endFile = () => {
      sort.end();
      sort = new SortOp(keys, op.topK, collect);
    };
  } else if (init.mode === "firstPerKey") {
    const dedup = plan.ops[init.barrier + 1];
    if (op?.op !== "sort" || dedup?.op !== "dedup") throw new Error("firstPerKey mode without sort and dedup");
    const first = firstPerKey(dedup, op, opts, collect);
    head = chainOperators(before, opts, first, run)[0] ?? first;
    finish = () => {
      first.end();
      return { kind: "done", rows: rows.splice(0) };
    };
  } else if (init.mode === "ordered") {
    // The rows' output values, sorted by time then place, in columns.
    const desc = op?.op === "sort" && op.keys[0]!.desc;
    const columns = plan.columns.map((c) => compile(c.expr, opts));
    let held: Row[] = [];
    const hold: Operator = { push: (row) => void held.push(row), end() {} };
    head = chainOperators(before, opts, hold, run)[0] ?? hold;
    ordered = () => {
      const rows = held;
      held = [];
      rows.sort((a, b) => timeOrder(a.timestamp, a.pos, b.timestamp, b.pos, desc));
      return { keys: Float64Array.from(rows, (r) => orderKey(r.timestamp, desc)), pos: Float64Array.from(rows, (r) => r.pos), columns: columns.map((f) => packColumn(rows.map(f))) };
    };
  } else head = chainOperators(before, opts, collect, run)[0] ?? collect;

  async function file(ordinal: number): Promise<FileDone> {
    const snapshot: ReadStats = { ...reader.stats };
    const skippedBefore = reader.stats.skipped.length;
    const push = (row: Row): void => head.push(row);
    for await (const batch of reader.read(init.files[ordinal]!)) admit(batch, ordinal, push);
    endFile();
    const done: FileDone = { ordinal, stats: delta(reader.stats, snapshot, skippedBefore), warnings: warnings.splice(0), rows };
    if (ordered) done.run = ordered();
    rows = [];
    return done;
  }

  return async (m) => {
    if (m.kind === "files") {
      const results: FileDone[] = [];
      for (const ordinal of m.ordinals) results.push(await file(ordinal));
      port.postMessage({ kind: "files", results } satisfies FilesDone);
    } else port.postMessage(finish());
  };
}

let handle: ((m: ToWorker) => Promise<void>) | undefined;
/** Messages are handled one at a time, in order. */
let queue = Promise.resolve();
port.on("message", (m: WorkerInit | ToWorker) => {
  queue = queue.then(async () => {
    if (m.kind === "init") handle = start(m);
    else await handle!(m);
  });
  queue.catch((e: unknown) => {
    port.postMessage({ kind: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  });
});
