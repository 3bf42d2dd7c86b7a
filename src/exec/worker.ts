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
import { scanFacts } from "./facts.js";
import type { Operator } from "./operators/operator.js";
import { SortOp } from "./operators/sort.js";
import type { PartialGroup, StatsOp } from "./operators/stats.js";
import type { Row } from "./row.js";
import { FILE_COUNTERS, packColumn, type FileDone, type FilesDone, type IdsSent, type OrderedRun, type ToWorker, type WorkerDone, type WorkerInit, type WorkerPartial, type WireRow } from "./parallel.js";
import { MemoryBudget } from "./memory.js";
import { eventIdOf, fingerprint, type Fingerprint } from "./event-ids.js";
import { setOwn } from "./own.js";

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
    for (const k of keep) if (Object.hasOwn(ev, k)) setOwn(slim, k, ev[k]);
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

interface Handlers {
  /** files and end messages, one at a time in order. */
  handle(m: ToWorker): Promise<void>;
  /** copies messages, at once: a files message waits for them. */
  copies(m: Extract<ToWorker, { kind: "copies" }>): void;
  /** stop (Ctrl-C), at once: the file being read ends where it is, the files not begun are not read. */
  stop(): void;
}

function start(init: WorkerInit): Handlers {
  const plan = buildPlan(init.query, { now: init.now });
  const warnings: string[] = [];
  const warn = (m: string): void => void warnings.push(m);
  const stopped = new AbortController();
  const reader = new Reader([], { warn, ...init.readerOptions, signal: stopped.signal });
  const facts = scanFacts(plan);
  const admit = admitter(init.select, warn, reader.stats, facts);
  const opts = { now: plan.now, warnings: [] as string[] };
  // aggregate and firstPerKey: the groups or rows held past this share go to the main thread
  const memory = init.memory !== undefined ? new MemoryBudget(init.memory) : undefined;
  const run = { ...(init.range ? { range: init.range } : {}), ...(memory ? { memory } : {}) };
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
    const send = (groups: PartialGroup[]): void => port.postMessage({ kind: "partial", groups } satisfies WorkerPartial);
    stats.flush = send;
    head = chainOperators(before, opts, stats, run)[0] ?? stats;
    finish = () => {
      stats.drain(send);
      return { kind: "done" };
    };
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
    const first = firstPerKey(dedup, op, opts, collect, true, memory);
    first.flush = (held) => port.postMessage({ kind: "partial", rows: held.map((r) => wire(r, keep, after.raw)) } satisfies WorkerPartial);
    head = chainOperators(before, opts, first, run)[0] ?? first;
    finish = () => {
      first.end();
      return { kind: "done" };
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

  /**
   * A unit's rows go into the commands, but for the copies among them; at a file's end, what the
   * main thread gets of it; at a message's end, the message's files.
   */
  const results: FileDone[] = [];
  const pass = (unit: Held, copies: Uint32Array | null): void => {
    let skip = 0;
    for (let i = 0; i < unit.rows.length; i++) {
      if (copies && copies[skip] === i) skip++;
      else head.push(unit.rows[i]!);
    }
    if (unit.end) {
      endFile();
      const done: FileDone = { ...unit.end, ordinal: unit.ordinal, rows };
      if (ordered) done.run = ordered();
      rows = [];
      results.push(done);
    }
    if (unit.messageEnd) port.postMessage({ kind: "files", results: results.splice(0), ...(memory ? { held: memory.held } : {}) } satisfies FilesDone);
  };
  const held = init.dedup ? new HeldRows(pass) : undefined;

  /** Reads a file: its rows go on at once, or (dedup) once the main thread has said which are copies. */
  async function file(ordinal: number, messageEnd: boolean): Promise<void> {
    const snapshot: ReadStats = { ...reader.stats };
    const skippedBefore = reader.stats.skipped.length;
    const next = async (unit: Held): Promise<void> => (held ? held.add(unit) : pass(unit, null));
    let unit: Held | undefined;
    // stopped: a file not begun is answered with nothing read (its place in the scan order kept)
    if (!stopped.signal.aborted) for await (const batch of reader.read(init.files[ordinal]!)) {
      if (unit) await next(unit);
      const rows: Row[] = [];
      admit(batch, ordinal, (row) => void rows.push(row));
      unit = { ordinal, rows };
    }
    unit ??= { ordinal, rows: [] };
    unit.end = { stats: delta(reader.stats, snapshot, skippedBefore), warnings: warnings.splice(0), facts: facts.take() };
    unit.messageEnd = messageEnd;
    await next(unit);
  }

  const handle = async (m: ToWorker): Promise<void> => {
    if (m.kind === "files") {
      for (const [i, ordinal] of m.ordinals.entries()) await file(ordinal, i === m.ordinals.length - 1);
    } else if (m.kind === "end") {
      await held?.drained();
      port.postMessage(finish());
    }
  };
  return { handle, copies: (m) => held?.judged(m.copies), stop: () => stopped.abort() };
}

/** Rows admitted from one batch of a file (or none), and, at the file's end, its figures and warnings. */
interface Held {
  ordinal: number;
  rows: Row[];
  end?: Pick<FileDone, "stats" | "warnings" | "facts">;
  /** The last file of a files message: the main thread gets the message's results after it. */
  messageEnd?: boolean;
}

/** Rows whose ids are sent at once (fewer, bigger messages; a file's end sends them too when a message ends). */
const SEND_ROWS = 1_000;
/** Rows held at most: past this, reading waits for the main thread's word on the ids sent. */
const HOLD_MAX = 4_000;

/**
 * dedup: the units of rows read but not yet passed on. Their eventIDs' fingerprints go to the main
 * thread, which judges the files in scan order and answers, for each unit, with the rows that are
 * copies; the units are passed on in order as the answers come, while reading goes on (it waits
 * only when HOLD_MAX rows are held). Reading never waits on a file not yet read: every file before
 * a held one was read by this worker already or is read by another.
 */
class HeldRows {
  private readonly units: Held[] = [];
  /** Units whose ids are not sent yet (the last ones of `units`), and their rows. */
  private unsent = 0;
  private unsentRows = 0;
  private rowCount = 0;
  /** Called when rows were passed on (reading waits for room, `end` for none left). */
  private wake: (() => void) | undefined;
  private readonly fp: Fingerprint = [0, 0];

  constructor(private readonly pass: (unit: Held, copies: Uint32Array | null) => void) {}

  async add(unit: Held): Promise<void> {
    this.units.push(unit);
    this.unsent++;
    this.unsentRows += unit.rows.length;
    this.rowCount += unit.rows.length;
    if (this.unsentRows < SEND_ROWS && !unit.messageEnd) return;
    this.send();
    // let the answers in: the copies messages are handled between tasks
    await new Promise<void>((r) => setImmediate(r));
    while (this.rowCount > HOLD_MAX) await new Promise<void>((r) => (this.wake = r));
  }

  /** Resolves once every unit is passed on. */
  async drained(): Promise<void> {
    while (this.units.length > 0) await new Promise<void>((r) => (this.wake = r));
  }

  /** The main thread's answers, for the units sent, in the order they were sent: those units are passed on. */
  judged(copies: (Uint32Array | null)[]): void {
    for (const c of copies) {
      const unit = this.units.shift()!;
      this.rowCount -= unit.rows.length;
      this.pass(unit, c);
    }
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private send(): void {
    const units = this.units.slice(-this.unsent).map((u) => ({ ordinal: u.ordinal, last: u.end !== undefined, fps: this.fingerprints(u.rows) }));
    this.unsent = 0;
    this.unsentRows = 0;
    port.postMessage({ kind: "ids", units } satisfies IdsSent, units.map((u) => u.fps.buffer as ArrayBuffer));
  }

  private fingerprints(rows: Row[]): Int32Array {
    const out = new Int32Array(2 * rows.length);
    rows.forEach((row, i) => {
      const id = eventIdOf(row.ev);
      if (id === undefined) return;
      fingerprint(id, this.fp);
      out[2 * i] = this.fp[0];
      out[2 * i + 1] = this.fp[1];
    });
    return out;
  }
}

let handlers: Handlers | undefined;
/** Messages are handled one at a time, in order; answers on copies at once (a files message waits for them). */
let queue = Promise.resolve();
port.on("message", (m: WorkerInit | ToWorker) => {
  if (m.kind === "copies") return handlers!.copies(m);
  if (m.kind === "stop") return handlers?.stop();
  queue = queue.then(async () => {
    if (m.kind === "init") handlers = start(m);
    else await handlers!.handle(m);
  });
  queue.catch((e: unknown) => {
    port.postMessage({ kind: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  });
});
