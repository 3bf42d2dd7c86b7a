import type { Row } from "../row.js";
import type { Operator } from "./operator.js";

/** filter / where / filterIndex: passes the rows the predicate keeps. */
export class FilterOp implements Operator {
  constructor(private readonly keep: (row: Row) => boolean, private readonly next: Operator) {}
  push(row: Row): void {
    if (this.keep(row)) this.next.push(row);
  }
  end(): void {
    this.next.end();
  }
}
