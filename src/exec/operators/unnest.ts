import type { Row } from "../row.js";
import { isNull, type Value } from "../values.js";
import type { Operator } from "./operator.js";

/**
 * unnest list into alias: a copy of the row per element, the element in `alias`. A map, string or
 * number counts as a one-element list; an empty list or a null gives no rows.
 */
export class UnnestOp implements Operator {
  constructor(private readonly list: (row: Row) => Value, private readonly alias: string, private readonly next: Operator) {}
  push(row: Row): void {
    const v = this.list(row);
    if (isNull(v)) return;
    if (!Array.isArray(v)) {
      row.set(this.alias, v);
      return this.next.push(row);
    }
    for (const item of v) {
      const r = row.copy();
      r.set(this.alias, item);
      this.next.push(r);
    }
  }
  end(): void {
    this.next.end();
  }
}
