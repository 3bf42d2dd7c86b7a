import type { Row } from "../row.js";
import { sortCompare, type Value } from "../values.js";
import type { Operator } from "./operator.js";

/** release() hands on rows once at least this many more are held than after the last time. */
const RELEASE_STEP = 8192;

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

/**
 * sort: buffers rows with their key values (evaluated once per row) and sorts them in natural
 * order. With `topK`, keeps only the first k rows as it goes, so memory stays bounded.
 */
export class SortOp implements Operator {
  private buf: Keyed[] = [];
  private seq = 0;
  /** Rows held when release() last handed some on. */
  private heldAfterRelease = 0;
  private readonly compare: (a: Keyed, b: Keyed) => number;

  constructor(
    private readonly keys: { eval: (row: Row) => Value; desc: boolean }[],
    private readonly topK: number | undefined,
    private readonly next: Operator,
    /** The rows are the scan's events (only row-by-row commands before): ties go by position. */
    byPosition = true,
  ) {
    this.compare = keyedOrder(keys.map((k) => k.desc), byPosition);
  }

  push(row: Row): void {
    this.buf.push({ row, keys: this.keys.map((k) => k.eval(row)), seq: this.seq++ });
    if (this.topK !== undefined && this.buf.length >= Math.max(2 * this.topK, 4096)) this.trim(this.topK);
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
    // Sorting what is held costs: hand on in steps of RELEASE_STEP rows at least.
    if (this.buf.length < this.heldAfterRelease + RELEASE_STEP) return;
    this.buf.sort(this.compare);
    const desc = this.keys[0]!.desc;
    let n = 0;
    for (const k of this.buf) {
      const v = k.keys[0];
      if (typeof v !== "number" || !(desc ? v > bound : v < bound)) break;
      n++;
    }
    const out = this.buf.splice(0, n);
    this.heldAfterRelease = this.buf.length;
    for (const k of out) this.next.push(k.row);
  }

  /**
   * With topK, once k rows are held: the first key of the k-th row. A row whose first key sorts
   * after it can't make the result (the scan stops reading files that can only hold such rows).
   */
  bound(): Value | undefined {
    if (this.topK === undefined || this.topK < 1 || this.buf.length < this.topK) return undefined;
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
    for (const k of rows) this.next.push(k.row);
    this.next.end();
  }
}
