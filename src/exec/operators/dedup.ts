import { RowCodec, type Row, type RowData } from "../row.js";
import { groupKey, isNull, joinedKey, type Value } from "../values.js";
import { MeanSize, MemoryError, collectSpilled, rowBytes, valueBytes, type MemoryAccount, type MemoryBudget } from "../memory.js";
import { Bitmap, EXPANSION, Partitions, RecordReader, RecordWriter, eachPartition } from "../spill.js";
import type { Operator } from "./operator.js";
import { SortOp, keyedOrder, type Keyed } from "./sort.js";

/** The dedup key of a row: undefined when a key value is null (such rows are all kept). */
function dedupKey(keys: ((row: Row) => Value)[], row: Row): string | number | undefined {
  if (keys.length === 1) {
    const v = keys[0]!(row);
    return isNull(v) ? undefined : groupKey(v);
  }
  const parts: (string | number)[] = [];
  for (const k of keys) {
    const v = k(row);
    if (isNull(v)) return undefined;
    parts.push(groupKey(v));
  }
  return joinedKey(parts);
}

/** Rows per message when a worker hands its rows over. */
const FLUSH_SLICE = 1024;
/** A key's own bytes in a Set or Map besides its text. */
const ENTRY_BYTES = 16;

/** A spilled dedup key: the key, and the place of its row in the tail (-1: met before the spill). */
type KeyRecord = [string | number, number];

/**
 * dedup: the first row of each distinct key in the current order; rows with a null key are all kept.
 *
 * Past the memory budget, the keys met so far go to partitions (by a hash of the key) and every row
 * after that waits: its key and place go to the partitions, the row itself to the tail file, in
 * order. The end goes through each partition, whose keys fit in memory, marking the first row of
 * each key not met before, then hands on the tail's marked rows: the rows and the order of the
 * dedup held in memory.
 */
export class DedupOp implements Operator {
  private readonly seen = new Set<string | number>();
  private readonly account: MemoryAccount | undefined;
  private readonly size = new MeanSize();
  private spilled: { keys: Partitions<KeyRecord>; tail: RecordWriter<RowData>; kept: Bitmap; rows: number } | undefined;
  private readonly codec = new RowCodec();

  constructor(private readonly keys: ((row: Row) => Value)[], private readonly next: Operator, memory?: MemoryBudget) {
    this.account = memory?.account();
  }

  push(row: Row): void {
    const key = dedupKey(this.keys, row);
    const s = this.spilled;
    if (s) {
      const at = s.rows++;
      s.tail.add(this.codec.encode(row));
      if (key === undefined) s.kept.set(at);
      else s.keys.add([key, at]);
      return;
    }
    if (key === undefined) return this.next.push(row);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const account = this.account;
    if (account) {
      if (this.size.wants()) this.size.add(ENTRY_BYTES + valueBytes(key));
      account.set(this.seen.size * this.size.mean);
      if (account.shouldSpill) this.spill(account);
    }
    this.next.push(row);
  }

  /** The keys met go to the partitions; the rows from now on wait in the tail. */
  private spill(account: MemoryAccount): void {
    const folder = account.budget.spill;
    const keys = new Partitions<KeyRecord>(folder, (r) => r[0]);
    for (const k of this.seen) keys.add([k, -1]);
    keys.flush();
    this.seen.clear();
    account.set(0);
    collectSpilled();
    this.spilled = { keys, tail: new RecordWriter<RowData>(folder), kept: new Bitmap(), rows: 0 };
  }

  end(): void {
    const s = this.spilled;
    if (s) {
      this.spilled = undefined;
      const budget = this.account!.budget;
      const { kept } = s;
      s.tail.close();
      eachPartition<KeyRecord>(
        s.keys.close(),
        { folder: budget.spill, keyOf: (r) => r[0], fits: (bytes) => bytes * EXPANSION <= budget.limit, tooBig: () => { throw new MemoryError("dedup", budget.limit); } },
        (records, bytes) => {
          this.account!.set(bytes * EXPANSION);
          const met = new Set<string | number>();
          for (let r = records.next(); r !== undefined; r = records.next()) {
            if (met.has(r[0])) continue;
            met.add(r[0]);
            if (r[1] >= 0) kept.set(r[1]);
          }
          this.account!.set(0);
        },
      );
      const tail = new RecordReader<RowData>(s.tail.path);
      let at = 0;
      for (let d = tail.next(); d !== undefined; d = tail.next()) if (kept.has(at++)) this.next.push(this.codec.decode(d));
    }
    this.seen.clear();
    this.account?.set(0);
    this.next.end();
  }
}

/**
 * Before a sort that a dedup follows: of each dedup key, only the row that sorts first can come
 * out, so only that one is kept (rows with a null key all pass). The sort then orders a row per key
 * instead of every row: the same result in the memory of the distinct keys. Rows go to the sort
 * with their keys and their place here, so the sort's ties fall as a plain stable sort's would.
 * Mergeable: the workers of a parallel scan each keep theirs (handing them to this thread with
 * `flush`: at the end, and early past their share of the budget), and this thread keeps the best.
 *
 * Past the memory budget (on this thread), every row goes on to the sort, which spills: the dedup
 * after it keeps the first row of each key, the one this would have kept.
 */
export class FirstPerKeyOp implements Operator {
  private readonly best = new Map<string | number, Keyed>();
  private readonly order: (a: Keyed, b: Keyed) => number;
  private seq = 0;
  private readonly account: MemoryAccount | undefined;
  private readonly size = new MeanSize();
  /** Past the budget: rows are no longer held here. */
  private passing = false;
  /** A worker thread's: past its share of the budget, the rows held go to the main thread. */
  flush: ((rows: Row[]) => void) | undefined;

  constructor(
    private readonly keys: ((row: Row) => Value)[],
    private readonly sortKeys: { eval: (row: Row) => Value; desc: boolean }[],
    private readonly next: Operator,
    /** As the sort's: whether ties go by the rows' places in the scan (see keyedOrder). */
    byPosition: boolean,
    memory?: MemoryBudget,
  ) {
    this.order = keyedOrder(sortKeys.map((k) => k.desc), byPosition);
    this.account = memory?.account();
  }

  /** Hands a row on: to the sort with its keys and place, else (a worker's collector) the row. */
  private hand(k: Keyed): void {
    if (this.next instanceof SortOp) this.next.take(k);
    else this.next.push(k.row);
  }

  push(row: Row): void {
    const key = dedupKey(this.keys, row);
    const cand: Keyed = { row, keys: this.sortKeys.map((k) => k.eval(row)), seq: this.seq++ };
    if (key === undefined || this.passing) return this.hand(cand);
    const cur = this.best.get(key);
    if (cur && this.order(cand, cur) >= 0) return;
    this.best.set(key, cand);
    const account = this.account;
    if (!cur && account) {
      if (this.size.wants()) this.size.add(ENTRY_BYTES + valueBytes(key) + rowBytes(row) + valueBytes(cand.keys));
      account.set(this.best.size * this.size.mean);
      if (account.shouldSpill) this.overflow(account);
    }
  }

  /**
   * Past the budget: the rows held go on, to the main thread a slice at a time (no copy of them all
   * at once), or to the sort, which takes every row from now on.
   */
  private overflow(account: MemoryAccount): void {
    // the rows are the sort's (or the main thread's) from now on
    account.set(0);
    if (this.flush) {
      this.drain(this.flush);
      collectSpilled();
    } else {
      this.passing = true;
      for (const k of this.best.values()) this.hand(k);
      this.best.clear();
    }
  }

  /** The rows held, to `flush` a slice at a time, dropped as they go. */
  private drain(flush: (rows: Row[]) => void): void {
    let slice: Row[] = [];
    for (const [key, k] of this.best) {
      slice.push(k.row);
      this.best.delete(key);
      if (slice.length === FLUSH_SLICE) {
        flush(slice);
        slice = [];
      }
    }
    if (slice.length > 0) flush(slice);
  }

  /** Hands on the rows held (a worker's: to `flush`). */
  end(): void {
    this.account?.set(0); // the rows are the sort's (or the main thread's) from now on
    if (this.flush) this.drain(this.flush);
    else for (const k of this.best.values()) this.hand(k);
    this.best.clear();
    this.next.end();
  }
}
