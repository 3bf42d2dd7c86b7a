// The memory budget (--memory): what the commands that hold rows or groups (sort, stats, dedup,
// pattern...) may hold together on a thread, estimated from what they take in as they take it
// (a row's size measured on a sample of the rows, not process.memoryUsage()). Past it, sort, stats
// and dedup spill to temporary files (spill.ts) and finish; the others stop the query with a
// MemoryError that names the command and the budget. Documented in docs/cli.md ("Memory").
import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";
import { ExitCode, UserError } from "../errors.js";
import { SpillFolder } from "./spill.js";
import type { Value } from "./values.js";
import type { Row } from "./row.js";

/** The default budget is at most this share of the machine's memory... */
export const MACHINE_SHARE = 0.25;
/**
 * ...and of V8's heap limit: what is held is estimated, and the heap also holds what is not
 * counted (the files being read, rows on their way, garbage), so the budget stops a run, not V8.
 */
export const HEAP_SHARE = 0.5;
/** The smallest --memory: below it a spill file would be a handful of rows. */
export const MIN_MEMORY = 1 << 20;

/** The machine's memory, or the control group's limit when it is lower. */
export function machineMemory(): number {
  const total = totalmem();
  const constrained = process.constrainedMemory?.();
  return constrained !== undefined && constrained > 0 && constrained < total ? constrained : total;
}

/** The largest budget this process's V8 heap can carry. */
export function heapAllowance(): number {
  return Math.floor(getHeapStatistics().heap_size_limit * HEAP_SHARE);
}

/** The budget when --memory is not given: min(25 % of the machine's memory, half the V8 heap limit). */
export function defaultMemory(): number {
  return Math.min(Math.floor(machineMemory() * MACHINE_SHARE), heapAllowance());
}

const UNITS: Record<string, number> = { "": 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** `512M`, `2G`, `1.5g`, `800MB`, `64KiB`, `1048576` (bytes): binary units; undefined when not a size. */
export function parseMemorySize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) return undefined;
  return Math.floor(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!);
}

/** A size as people read it: `1.0 GB`, `512 MB`, `64 KB` (binary units). */
export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GB`;
  if (n >= 2 ** 20) return `${Math.round(n / 2 ** 20)} MB`;
  return `${Math.max(1, Math.round(n / 2 ** 10))} KB`;
}

/** The query needs more memory than its budget (exit 4). */
export class MemoryError extends UserError {
  constructor(command: string, limit: number) {
    super(`${command} needs more than the ${formatBytes(limit)} memory budget (--memory); narrow the input (filter, --since) or raise --memory`, ExitCode.memory);
    this.name = "MemoryError";
  }
}

/**
 * The budget of one thread's operators: each holds an account of its estimated bytes; the budget
 * is over when they hold more than its limit together. Spill files go in a folder of its own under
 * the system's temporary folder, made at the first spill and removed by close().
 */
export class MemoryBudget {
  /** Bytes the accounts hold together. */
  held = 0;
  readonly spill = new SpillFolder();

  constructor(readonly limit: number) {}

  /** A new account, for one operator. */
  account(): MemoryAccount {
    return new MemoryAccount(this);
  }

  get over(): boolean {
    return this.held > this.limit;
  }

  /** The size of a spill run: an operator spills once it holds this much and the budget is over. */
  get minRun(): number {
    return this.limit / 16;
  }

  /** Removes the spill files. */
  close(): void {
    this.spill.remove();
  }
}

/** An operator's share of what its budget holds. */
export class MemoryAccount {
  bytes = 0;
  constructor(readonly budget: MemoryBudget) {}

  set(bytes: number): void {
    this.budget.held += bytes - this.bytes;
    this.bytes = bytes;
  }

  add(bytes: number): void {
    this.bytes += bytes;
    this.budget.held += bytes;
  }

  /** The budget is over and this account holds enough to make spilling it worth a file. */
  get shouldSpill(): boolean {
    return this.budget.held > this.budget.limit && this.bytes >= this.budget.minRun;
  }

  /** For an operator that cannot spill: stops the query once the budget is over. */
  check(command: string): void {
    if (this.budget.held > this.budget.limit) throw new MemoryError(command, this.budget.limit);
  }
}

// Sizes of what the heap holds (64-bit V8, no pointer compression): rough, calibrated on CloudTrail
// rows (see the memory test), enough to tell 100 MB from 1 GB.
const OBJECT = 24;
const PROPERTY = 8;
const ARRAY = 32;
const ELEMENT = 8;
const STRING = 16;
const NUMBER = 8;

/** The estimated bytes a value holds on the heap (its property names are shared, not counted). */
export function valueBytes(v: unknown): number {
  switch (typeof v) {
    case "string":
      return STRING + v.length;
    case "number":
      return NUMBER;
    case "object": {
      if (v === null) return 0;
      if (Array.isArray(v)) {
        let n = ARRAY + ELEMENT * v.length;
        for (const x of v) n += valueBytes(x);
        return n;
      }
      let n = OBJECT;
      for (const k in v) n += PROPERTY + valueBytes((v as Record<string, unknown>)[k]);
      return n;
    }
    default:
      return 0;
  }
}

/**
 * After a spill: the rows or groups written are garbage, as much as the budget; V8 would let the
 * heap grow to about twice what it holds before collecting them. When node exposes gc (bin/trailq
 * starts it with --expose-gc: dist/trailq.flags), they are collected at once.
 */
export function collectSpilled(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === "function") gc();
}

/**
 * The buffers a file is read and gunzipped into are garbage once its text is taken, but V8 frees
 * them only when it collects the young generation, which a scan that allocates little else (a
 * filter that rules most files out unparsed) seldom fills: over the small-file trail each worker
 * held up to 35 MB of them. Past this many bytes of buffers a young collection frees them.
 */
const BUFFERS_MAX = 12 * 1024 * 1024;

/**
 * The fewest bytes of buffers (over those the caller holds) seen since the last young collection:
 * what it could not free, once its sweep is accounted (buffers still in use, or whose objects
 * outlived the young generation, which only a whole collection frees). Only what comes over it counts
 * against BUFFERS_MAX: with all of it counted, the scan's thread reading ahead collected 550 times
 * over the small-file trail, most of them freeing nothing.
 */
let sinceCollection = 0;

/**
 * Frees the dead buffers when BUFFERS_MAX more came since the last collection (a young collection:
 * a millisecond or two; when node exposes gc, as bin/trailq starts it). Call it between files, every
 * few dozen. `live`: bytes of buffers the caller holds (read ahead), which no collection frees.
 */
export function freeBuffers(live = 0): void {
  const gc = (globalThis as { gc?: (options: { type: "minor" }) => void }).gc;
  if (typeof gc !== "function") return;
  const external = Math.max(0, getHeapStatistics().external_memory - live);
  sinceCollection = Math.min(sinceCollection, external);
  if (external - sinceCollection <= BUFFERS_MAX) return;
  gc({ type: "minor" });
  // its sweep is accounted later: the next calls see what it left
  sinceCollection = external;
}

const usedHeap = (): number => getHeapStatistics().used_heap_size;

/**
 * The heap a scan's thread lets grow before collecting (heapKeeper). The rows a scan holds for their
 * turn (a sort's rows until no file to come can precede them, a parallel scan's results waiting for
 * a file before theirs, runs waiting for the merge) live long enough to reach the old generation,
 * where V8 let them pile up: over the small-file trail `fields` grew the heap to 66 MB holding 20 in
 * some runs, 21 MB in others (two workers), and to 75 MB holding 22 (one thread reading ahead).
 */
export const SCAN_HEAP_FLOOR = 40 * 1024 * 1024;

/** heapKeeper stops once this many times its floor is live. */
const KEEPER_CEILING = 4;

/**
 * A check to call now and then while rows stream through and are held a while (detect's timeline
 * holds about an hour of findings): they outlive V8's young generation, and V8 lets the old one grow
 * to several times what is live before collecting it (detect's main thread reached 450 MB holding
 * 60 MB). It collects at once (collectSpilled) when the heap has grown past `floor` bytes and by
 * half of `floor`, or half of what was live when that is more, over what was live after its last
 * collection. (Not twice what was live: started from the snapshot, detect's main thread holds 15 MB
 * more of loaded code, and doubling it let the heap reach 124 MB where 100 did. Not half of `floor`
 * alone: a sort holding 2 GB then collected every 20 MB, 72 → 94 s.) Once more than KEEPER_CEILING
 * times `floor` is live, it leaves the heap to V8: what is held is then no longer a little garbage
 * piling up, and collecting a heap of a gigabyte costs seconds. `used` and `collect`: the heap's size
 * and the collection (a test drives the keeper with its own).
 */
export function heapKeeper(floor: number, used = usedHeap, collect = collectSpilled): () => void {
  let live = 0;
  return () => {
    if (live > KEEPER_CEILING * floor) return;
    const now = used();
    if (now < floor || now < live + Math.max(floor, live) / 2) return;
    collect();
    live = used();
  };
}

/** A row's own bytes: the Row, its event and its columns. */
export const ROW_BYTES = 80;

export function rowBytes(row: Row): number {
  return ROW_BYTES + (row.ev ? valueBytes(row.ev) : 0) + (row.x ? valueBytes(row.x) : 0) + (row.raw !== undefined ? 2 * row.raw.length : 0);
}

/** The estimated bytes of a list of key values. */
export function keysBytes(keys: Value[]): number {
  return valueBytes(keys);
}

/**
 * The mean size of what an operator takes in, measured on the first items and then one in 16:
 * rows of one query are alike, and measuring every one would cost as much as the query.
 */
export class MeanSize {
  private seen = 0;
  private measured = 0;
  private sum = 0;
  mean = 0;

  /** Whether the next item should be measured (then pass its size to add()). */
  wants(): boolean {
    return this.seen++ < 64 || (this.seen & 15) === 0;
  }

  add(bytes: number): void {
    this.sum += bytes;
    this.measured++;
    this.mean = this.sum / this.measured;
  }
}

/**
 * What an operator that cannot spill holds (pattern, countFrequent, sessionize...): items counted
 * at their mean size, and the query stopped (MemoryError naming the command) past the budget.
 */
export class Holding {
  private readonly account: MemoryAccount | undefined;
  private readonly size = new MeanSize();
  private items = 0;
  private extra = 0;

  constructor(memory: MemoryBudget | undefined, private readonly command: string) {
    this.account = memory?.account();
  }

  /** One more item held; `measure` gives its bytes (called for a sample of the items). */
  add<T>(item: T, measure: (item: T) => number): void {
    const account = this.account;
    if (!account) return;
    if (this.size.wants()) this.size.add(measure(item));
    this.items++;
    account.set(this.items * this.size.mean + this.extra);
    account.check(this.command);
  }

  /** Bytes held besides the items (pattern's per-row times). */
  addBytes(bytes: number): void {
    const account = this.account;
    if (!account) return;
    this.extra += bytes;
    account.add(bytes);
    account.check(this.command);
  }

  clear(): void {
    this.items = 0;
    this.extra = 0;
    this.account?.set(0);
  }
}
