// A scan worker thread (see parallel.ts): it builds the same plan from the query, reads the files it
// is given one at a time, runs the commands before the plan's first cross-row command over their
// events, and hands back per file what the main thread needs: figures, warnings, and the rows
// (or, for stats, the partial groups once every file is done).
import { parentPort } from "node:worker_threads";
import { buildPlan } from "../plan/build.js";
import { eventReads } from "../plan/reads.js";
import { Reader, type EventBatch, type ReadStats } from "../sources/index.js";
import type { FoundFile } from "../sources/walk.js";
import { chainOperators, firstPerKey } from "./pipeline.js";
import { compile } from "./compile.js";
import { admitter, orderKey, timeOrder } from "./scan.js";
import { scanFacts } from "./facts.js";
import type { Operator } from "./operators/operator.js";
import { SortOp } from "./operators/sort.js";
import type { PartialGroup, StatsOp } from "./operators/stats.js";
import type { Row } from "./row.js";
import { FILE_COUNTERS, packColumn, packResults, type FileDone, type FilesDone, type FilesRead, type OrderedRun, type ToWorker, type WorkerDone, type WorkerInit, type WorkerPartial, type WireRow } from "./parallel.js";
import { MemoryBudget, freeBuffers } from "./memory.js";
import { eventFingerprint, type Fingerprint } from "./event-ids.js";
import { COPY, NO_ID, SharedIds } from "./shared-ids.js";
import { setOwn } from "./own.js";
import { startTask } from "./tasks.js";
import { UserError } from "../errors.js";

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
  /** stop (Ctrl-C), at once: the file being read ends where it is, the files not begun are not read. */
  stop(): void;
}

async function start(init: WorkerInit): Promise<Handlers> {
  const plan = buildPlan(init.query, { now: init.now });
  const warnings: string[] = [];
  const warn = (m: string): void => void warnings.push(m);
  const stopped = new AbortController();
  const reader = new Reader([], { warn, ...init.readerOptions, signal: stopped.signal });
  const facts = scanFacts(plan);
  const admit = admitter(init.select, warn, reader.stats, facts);
  const opts = { now: plan.now, warnings: [] as string[], ...(init.range ? { range: init.range } : {}) };
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
  const task = init.task ? await startTask(init.task) : undefined;
  if (task) head = task.head;
  else if (init.mode === "aggregate") {
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
  /** The copies skipped in the file being passed on. */
  let fileCopies = 0;
  const pass = (unit: Held, copies: Uint32Array | null): void => {
    let skip = 0;
    for (let i = 0; i < unit.rows.length; i++) {
      if (copies && copies[skip] === i) skip++;
      else head.push(unit.rows[i]!);
    }
    fileCopies += skip;
    if (unit.end) {
      endFile();
      const done: FileDone = { ...unit.end, ordinal: unit.ordinal, rows, copies: fileCopies };
      fileCopies = 0;
      if (ordered) done.run = ordered();
      if (task) done.task = task.endFile();
      rows = [];
      results.push(done);
    }
    if (unit.messageEnd) port.postMessage({ kind: "files", results: packResults(results.splice(0)), ...(memory ? { held: memory.held } : {}) } satisfies FilesDone);
  };
  const held = init.ids ? new HeldRows(new SharedIds(init.ids), pass) : undefined;

  /** A unit goes on: at once, or (dedup) held; a promise only when reading must wait for room. */
  const next = (unit: Held): Promise<void> | undefined => {
    if (held) return held.add(unit);
    pass(unit, null);
    return undefined;
  };
  const admitted = (batch: EventBatch, ordinal: number): Held => {
    const rows: Row[] = [];
    admit(batch, ordinal, (row) => void rows.push(row));
    return batch.fps ? { ordinal, rows, fps: batch.fps, firstIndex: batch.firstIndex } : { ordinal, rows };
  };
  /** A file's last unit: its figures, warnings and facts. */
  const ended = (unit: Held, snapshot: ReadStats, skippedBefore: number, messageEnd: boolean): Held => {
    unit.end = { stats: delta(reader.stats, snapshot, skippedBefore), warnings: warnings.splice(0), facts: facts.take() };
    unit.messageEnd = messageEnd;
    return unit;
  };

  /**
   * Reads a file: its rows go on at once, or (dedup) once every file before it has its ids in.
   * The common small file is read in one synchronous step (Reader.readQuick): a promise only when
   * the rows held must wait for room.
   */
  function file(ordinal: number, found: FoundFile, messageEnd: boolean): Promise<void> | undefined {
    const snapshot: ReadStats = { ...reader.stats };
    const skippedBefore = reader.stats.skipped.length;
    // stopped: a file not begun is answered with nothing read (its place in the scan order kept)
    if (stopped.signal.aborted) return next(ended({ ordinal, rows: [] }, snapshot, skippedBefore, messageEnd));
    const quick = reader.readQuick(found);
    if (quick === undefined) return careful(found, ordinal, messageEnd, snapshot, skippedBefore);
    let unit: Held = { ordinal, rows: [] };
    for (let b = 0; b < quick.length; b++) {
      if (b > 0) {
        const wait = next(unit);
        if (wait) return wait.then(() => rest(quick, b, ordinal, messageEnd, snapshot, skippedBefore));
      }
      unit = admitted(quick[b]!, ordinal);
    }
    return next(ended(unit, snapshot, skippedBefore, messageEnd));
  }

  /** The batches of a quick read from the b-th on, once a wait is over. */
  async function rest(quick: EventBatch[], b: number, ordinal: number, messageEnd: boolean, snapshot: ReadStats, skippedBefore: number): Promise<void> {
    let unit = admitted(quick[b]!, ordinal);
    for (b++; b < quick.length; b++) {
      await next(unit);
      unit = admitted(quick[b]!, ordinal);
    }
    await next(ended(unit, snapshot, skippedBefore, messageEnd));
  }

  /** A file the careful reader streams. */
  async function careful(found: FoundFile, ordinal: number, messageEnd: boolean, snapshot: ReadStats, skippedBefore: number): Promise<void> {
    let unit: Held | undefined;
    for await (const batch of reader.read(found)) {
      if (unit) await next(unit);
      unit = admitted(batch, ordinal);
    }
    unit ??= { ordinal, rows: [] };
    await next(ended(unit, snapshot, skippedBefore, messageEnd));
  }

  const handle = async (m: ToWorker): Promise<void> => {
    if (m.kind === "files") {
      const last = m.ordinals.length - 1;
      for (let i = 0; i <= last; i++) {
        const wait = file(m.ordinals[i]!, m.files[i]!, i === last);
        if (wait) await wait;
      }
      if (init.ackRead) port.postMessage({ kind: "read" } satisfies FilesRead);
      freeBuffers();
    } else if (m.kind === "end") {
      await held?.drained();
      port.postMessage(finish());
    }
  };
  return { handle, stop: () => stopped.abort() };
}

/** Rows admitted from one batch of a file (or none), and, at the file's end, its figures and warnings. */
interface Held {
  ordinal: number;
  rows: Row[];
  /** The batch's fingerprints (EventBatch.fps), and the index in the file of its first event. */
  fps?: Int32Array;
  firstIndex?: number;
  end?: Pick<FileDone, "stats" | "warnings" | "facts">;
  /** The last file of a files message: the main thread gets the message's results after it. */
  messageEnd?: boolean;
}

/** Rows held at most: past this, reading waits for the files before them to have their ids in. */
const HOLD_MAX = 4_000;

/**
 * A unit whose rows' ids are in the shared table: each row's slot (or COPY, NO_ID), its fingerprint,
 * and the table's epoch then; `settled` when every file before it was in before it claimed (no file
 * can take its rows' claims: the rows with a slot are kept).
 */
interface Claimed {
  unit: Held;
  slots: Int32Array;
  fps: Int32Array;
  epoch: number;
  settled: boolean;
}

/**
 * dedup: the units of rows read but not yet passed on. A unit's eventIDs go into the table the
 * workers share (shared-ids.ts) as it is read; the units are passed on in order, each once every
 * file before its own has its ids in, less the rows that are not the first of their id in scan
 * order. Reading goes on meanwhile, and waits only when HOLD_MAX rows are held. Workers waiting for
 * room never wait on each other in a circle: each reads its files in scan order, so a worker's held
 * files come before the files it has yet to read, and a file one waits on (before its held ones,
 * not yet in) is one another has yet to read, after that other's held files; around a circle the
 * files would come before themselves.
 */
class HeldRows {
  private readonly units: Claimed[] = [];
  private rowCount = 0;
  /** A wait for the next file to have its ids in is under way. */
  private waiting = false;
  /** Called when rows were passed on (reading waits for room, `end` for none left). */
  private wake: (() => void) | undefined;
  private readonly fp: Fingerprint = [0, 0];

  constructor(
    private readonly ids: SharedIds,
    private readonly pass: (unit: Held, copies: Uint32Array | null) => void,
  ) {}

  /** Holds a unit; a promise when reading must wait for room. */
  add(unit: Held): Promise<void> | undefined {
    this.units.push(this.claim(unit));
    this.rowCount += unit.rows.length;
    this.release();
    return this.rowCount > HOLD_MAX ? this.room() : undefined;
  }

  private async room(): Promise<void> {
    while (this.rowCount > HOLD_MAX) await new Promise<void>((r) => (this.wake = r));
  }

  /** Resolves once every unit is passed on. */
  async drained(): Promise<void> {
    while (this.units.length > 0) await new Promise<void>((r) => (this.wake = r));
  }

  /** The unit's ids into the shared table; at its file's end, the file marked in. */
  private claim(unit: Held): Claimed {
    const { rows, ordinal } = unit;
    const slots = new Int32Array(rows.length);
    const fps = new Int32Array(2 * rows.length);
    const first = unit.firstIndex ?? 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (!eventFingerprint(row.ev, unit.fps, row.index - first, this.fp)) {
        slots[i] = NO_ID;
        continue;
      }
      fps[2 * i] = this.fp[0];
      fps[2 * i + 1] = this.fp[1];
    }
    const ids = this.ids;
    // asked before claiming: a file before this one that came in while it claimed may have taken a claim
    const settled = ids.before(ordinal);
    ids.enter(rows.length);
    const epoch = ids.epoch;
    ids.claimAll(fps, slots, ordinal);
    ids.leave(rows.length);
    if (unit.end) ids.done(ordinal);
    return { unit, slots, fps, epoch, settled };
  }

  /** Passes on the units whose earlier files are all in; waits (without blocking) for the next file when some are left. */
  private release(): void {
    const { ids, units } = this;
    while (units.length > 0 && ids.before(units[0]!.unit.ordinal)) {
      const c = units.shift()!;
      this.rowCount -= c.unit.rows.length;
      this.pass(c.unit, this.copies(c));
    }
    if (units.length === 0 || this.waiting) return;
    this.waiting = true;
    void ids.next().then(() => {
      this.waiting = false;
      try {
        this.release();
      } catch (e) {
        fail(e);
      }
      const wake = this.wake;
      this.wake = undefined;
      wake?.();
    });
  }

  /** The rows of a unit that are copies (their indexes, or null for none), once every file before it is in. */
  private copies(c: Claimed): Uint32Array | null {
    const { slots, fps, unit } = c;
    const ids = this.ids;
    let out: number[] | undefined;
    let open = false;
    let moved = false;
    for (let i = 0; i < slots.length; i++) {
      let slot = slots[i]!;
      if (slot === NO_ID) continue;
      if (slot !== COPY) {
        if (c.settled) continue;
        if (!open) {
          ids.enter(0);
          open = true;
          moved = ids.epoch !== c.epoch;
        }
        if (moved) slot = ids.find(fps[2 * i]!, fps[2 * i + 1]!);
        if (ids.holds(slot, unit.ordinal)) continue;
      }
      (out ??= []).push(i);
    }
    if (open) ids.leave(0);
    return out ? Uint32Array.from(out) : null;
  }
}

/** What went wrong here reaches the main thread, which ends the scan with it. */
function fail(e: unknown): void {
  // a user's error (the process's limit on open files, a bad spill folder) keeps its message and
  // exit code: it is the environment's, not a bug
  if (e instanceof UserError) port.postMessage({ kind: "error", message: e.message, exitCode: e.exitCode });
  else port.postMessage({ kind: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}

let handlers: Handlers | undefined;
/** Messages are handled one at a time, in order; stop at once. */
let queue = Promise.resolve();
port.on("message", (m: WorkerInit | ToWorker) => {
  if (m.kind === "stop") return handlers?.stop();
  queue = queue.then(async () => {
    if (m.kind === "init") handlers = await start(m);
    else await handlers!.handle(m);
  });
  queue.catch(fail);
});
