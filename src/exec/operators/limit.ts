import type { Row } from "../row.js";
import type { Operator } from "./operator.js";

/** limit n (and head n): the first n rows. tail n: the last n rows. */
export class LimitOp implements Operator {
  private seen = 0;
  private readonly tail: Row[] = [];
  constructor(private readonly count: number, private readonly fromEnd: boolean, private readonly next: Operator) {}
  push(row: Row): void {
    if (this.fromEnd) {
      this.tail.push(row);
      if (this.tail.length > this.count) this.tail.shift();
      return;
    }
    if (this.seen++ < this.count) this.next.push(row);
  }
  /** Whether no more rows can pass (lets the scan stop early). */
  get full(): boolean {
    return !this.fromEnd && this.seen >= this.count;
  }
  end(): void {
    for (const r of this.tail) this.next.push(r);
    this.next.end();
  }
}
