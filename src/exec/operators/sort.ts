import { RowCodec, type Row, type RowData } from "../row.js";
import { sortCompare, type Value } from "../values.js";
import { MeanSize, collectSpilled, rowBytes, valueBytes, type MemoryAccount, type MemoryBudget } from "../memory.js";
import { RecordReader, RecordWriter, arraySource, mergeSources, type RecordSource } from "../spill.js";
import type { Operator } from "./operator.js";

/**
 * release() hands on rows once at least this many more are held than after the last time, and at
 * least as many as were held then: each sort of what is held then hands on at least half of it. The
 * rows held live through young collections into the old generation, which a whole collection then
 * sweeps: with steps of 8,192 rows, the `fields` stream over the small-file trail (about 600 rows
 * held after a release) spent 290 ms in 133 young collections and 99 ms in 5 whole ones; with 1,024,
 * 7 % less time (1.61 -> 1.50 s, 2.63 -> 2.42 s of CPU, 5 alternating runs). With 128, the main
 * thread's collections took 214 ms instead of 480 (a CPU profile), and the stream 1.64 s instead
 * of 1.95 (2.83 against 3.28 s of CPU, 7 alternating runs; 256 was no better than 1,024); over the
 * 1M-event trail (300 events a file, two workers) no change.
 */
const RELEASE_STEP = 128;

/**
 * A limit up to this many rows (Logs Insights' largest) is kept as a heap: a row that sorts after
 * the last of those kept is dropped as it comes, so rows die young. Buffering 4,096 rows between
 * trims kept most of them alive through young collections: `sort eventName desc | limit 5` over
 * the small-file trail took 2.10 s, against 1.41 s for a scan that keeps no row.
 */
const HEAP_TOP_MAX = 10_000;

/** A row with its sort key values, and when it arrived. */
export interface Keyed {
  row: Row;
  keys: Value[];
  seq: number;
}

/**
 * The sort's order: the keys in natural order each way, then (`byPosition`) where the scan met the
 * rows, then arrival. A sort of the scan's events orders ties by position, which rows from worker
 * threads may not arrive in; a later sort keeps the order the rows came in (it is stable).
 */
export function keyedOrder(desc: boolean[], byPosition: boolean): (a: Keyed, b: Keyed) => number {
  return (a, b) => {
    for (let i = 0; i < desc.length; i++) {
      const c = sortCompare(a.keys[i], b.keys[i], desc[i]!);
      if (c !== 0) return c;
    }
    return (byPosition ? a.row.pos - b.row.pos : 0) || a.seq - b.seq;
  };
}

/** A Keyed's own bytes besides its row and keys. */
const KEYED_BYTES = 48;

/** A Keyed in a spill run: its keys, seq and row. */
type RunRecord = [Value[], number, RowData];

/**
 * sort: buffers rows with their key values (evaluated once per row) and sorts them in natural
 * order. With `topK`, keeps only the first k rows as it goes, so memory stays bounded. Past the
 * memory budget, the rows held are sorted and written to a run file; the end merges the runs and
 * the rows still held (an external merge sort: the order, ties included, is the one in memory).
 */
export class SortOp implements Operator {
  private buf: Keyed[] = [];
  private seq = 0;
  /** Rows held when release() last handed some on. */
  private heldAfterRelease = 0;
  /** The first key of the last row release() handed on (undefined: none yet). */
  private released: number | undefined;
  /**
   * Rows that came after release() had handed on rows they sort before: their file held events
   * older than the scan's bound said (scan.ts, lateRowsWarning). They are handed on out of order.
   */
  late = 0;
  private readonly compare: (a: Keyed, b: Keyed) => number;
  private readonly account: MemoryAccount | undefined;
  private readonly size = new MeanSize();
  /** The spilled runs' files, each sorted. */
  private runs: string[] = [];
  private readonly codec = new RowCodec();
  /** `buf` is a heap of at most topK rows, the last of them in the sort's order on top (topK <= HEAP_TOP_MAX). */
  private readonly heap: boolean;

  constructor(
    private readonly keys: { eval: (row: Row) => Value; desc: boolean }[],
    private readonly topK: number | undefined,
    private readonly next: Operator,
    /** The rows are the scan's events (only row-by-row commands before): ties go by position. */
    byPosition = true,
    /** The budget it spills past (none: it holds what it is given). */
    memory?: MemoryBudget,
  ) {
    this.compare = keyedOrder(keys.map((k) => k.desc), byPosition);
    this.account = memory?.account();
    this.heap = topK !== undefined && topK <= HEAP_TOP_MAX;
  }

  push(row: Row): void {
    this.take({ row, keys: this.keys.map((k) => k.eval(row)), seq: this.seq++ });
  }

  /**
   * A row whose sort keys are evaluated already (FirstPerKeyOp, which evaluates the same ones),
   * `seq` its place among rows that sort alike.
   */
  take(k: Keyed): void {
    if (this.released !== undefined) {
      const v = k.keys[0];
      if (typeof v === "number" && (this.keys[0]!.desc ? v > this.released : v < this.released)) this.late++;
    }
    if (this.heap) {
      if (!this.offer(k)) return;
    } else {
      this.buf.push(k);
      if (this.topK !== undefined && this.buf.length >= Math.max(2 * this.topK, 4096)) this.trim(this.topK);
    }
    const account = this.account;
    if (account) {
      if (this.size.wants()) this.size.add(rowBytes(k.row) + KEYED_BYTES + valueBytes(k.keys));
      account.set(this.buf.length * this.size.mean);
      if (account.shouldSpill) this.spill(account);
    }
  }

  /**
   * Heap mode: keeps the row if it is among the first topK so far (true), else drops it. The order
   * is total (position, then arrival, break ties), so the rows kept are those a whole sort would
   * keep. Past the memory budget the heap is spilled as the buffer is (take()).
   */
  private offer(k: Keyed): boolean {
    const h = this.buf;
    const before = this.compare;
    const n = h.length;
    let i: number;
    if (n < this.topK!) {
      // sift up from a new leaf while its parent sorts before it
      h.push(k);
      for (i = n; i > 0; ) {
        const up = (i - 1) >> 1;
        if (before(h[up]!, k) >= 0) break;
        h[i] = h[up]!;
        i = up;
      }
    } else {
      if (n === 0 || before(k, h[0]!) >= 0) return false;
      // in place of the top: sift down while a child sorts after it
      for (i = 0; ; ) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && before(h[c + 1]!, h[c]!) > 0) c++;
        if (before(h[c]!, k) <= 0) break;
        h[i] = h[c]!;
        i = c;
      }
    }
    h[i] = k;
    return true;
  }

  /** Writes the rows held, sorted, to a run file. */
  private spill(account: MemoryAccount): void {
    this.buf.sort(this.compare);
    if (this.topK !== undefined) this.buf.length = Math.min(this.buf.length, this.topK);
    const w = new RecordWriter<RunRecord>(account.budget.spill);
    for (const k of this.buf) w.add([k.keys, k.seq, this.codec.encode(k.row)]);
    w.close();
    this.runs.push(w.path);
    this.buf = [];
    this.heldAfterRelease = 0;
    account.set(0);
    collectSpilled();
  }

  /** Whether the sort keeps only its first rows (a limit follows). */
  get limited(): boolean {
    return this.topK !== undefined;
  }

  /**
   * Hands on, in order, the rows whose first key sorts strictly before `bound` (a number): the scan
   * says no row still to come sorts before it (see ScanOrder.timeSort), so these are the first rows
   * of the result, and need not be held to the end.
   */
  release(bound: number): void {
    // Sorting what is held costs: hand on in steps of RELEASE_STEP rows at least, and of what was
    // held. Once runs are spilled, every row waits for the end's merge.
    if (this.buf.length < this.heldAfterRelease + Math.max(RELEASE_STEP, this.heldAfterRelease) || this.runs.length > 0) return;
    this.buf.sort(this.compare);
    const desc = this.keys[0]!.desc;
    let n = 0;
    for (const k of this.buf) {
      const v = k.keys[0];
      if (typeof v !== "number" || !(desc ? v > bound : v < bound)) break;
      n++;
    }
    const out = this.buf.splice(0, n);
    if (n > 0) this.released = out[n - 1]!.keys[0] as number;
    this.heldAfterRelease = this.buf.length;
    this.account?.set(this.buf.length * this.size.mean);
    for (const k of out) this.next.push(k.row);
  }

  /**
   * With topK, once k rows are held: the first key of the k-th row. A row whose first key sorts
   * after it can't make the result (the scan stops reading files that can only hold such rows).
   */
  bound(): Value | undefined {
    if (this.topK === undefined || this.topK < 1 || this.buf.length < this.topK) return undefined;
    if (this.heap) return this.buf[0]!.keys[0];
    this.trim(this.topK);
    return this.buf[this.topK - 1]!.keys[0];
  }

  private trim(k: number): void {
    this.buf.sort(this.compare);
    this.buf.length = Math.min(this.buf.length, k);
  }

  end(): void {
    this.buf.sort(this.compare);
    if (this.topK !== undefined) this.buf.length = Math.min(this.buf.length, this.topK);
    const rows = this.buf;
    this.buf = [];
    if (this.runs.length === 0) {
      const account = this.account;
      const mean = this.size.mean;
      for (let i = 0; i < rows.length; i++) {
        // what is handed on is no longer held here (commands after may hold it)
        if (account && (i & 4095) === 0) account.set((rows.length - i) * mean);
        const k = rows[i]!;
        rows[i] = undefined as unknown as Keyed;
        this.next.push(k.row);
      }
    } else this.merge(rows);
    this.account?.set(0);
    this.next.end();
  }

  /** The runs and the rows still held (sorted), merged, the first topK of them handed on. */
  private merge(held: Keyed[]): void {
    const codec = this.codec;
    const sources: RecordSource<Keyed>[] = this.runs.map((path) => {
      const r = new RecordReader<RunRecord>(path);
      return {
        next() {
          const x = r.next();
          return x && { keys: x[0], seq: x[1], row: codec.decode(x[2]) };
        },
      };
    });
    this.runs = [];
    sources.push(arraySource(held));
    let left = this.topK ?? Infinity;
    if (left <= 0) return;
    mergeSources(sources, this.compare, (k) => {
      this.next.push(k.row);
      return --left > 0;
    });
  }
}
