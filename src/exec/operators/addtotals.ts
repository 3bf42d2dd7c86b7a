import { Row } from "../row.js";
import { toNumber, type Value } from "../values.js";
import type { Operator } from "./operator.js";

/** addtotals: a column with each row's sum of the fields, and/or a last row with the column sums. */
export class AddTotalsOp implements Operator {
  private readonly sums = new Map<string, number>();
  constructor(
    private readonly rowTotal: { name: string; fields: string[] } | undefined,
    private readonly columnTotals: string[] | undefined,
    /** Count numbers held in strings too (fields named by the user), or only numbers. */
    private readonly numericStrings: boolean,
    private readonly next: Operator,
  ) {}

  private num(v: Value): number | undefined {
    return this.numericStrings || typeof v === "number" ? toNumber(v) : undefined;
  }
  push(row: Row): void {
    if (this.rowTotal) {
      let total = 0;
      for (const f of this.rowTotal.fields) total += this.num(row.get(f)) ?? 0;
      row.set(this.rowTotal.name, total);
    }
    if (this.columnTotals) {
      for (const f of this.columnTotals) {
        const n = this.num(row.get(f));
        if (n !== undefined) this.sums.set(f, (this.sums.get(f) ?? 0) + n);
      }
    }
    this.next.push(row);
  }
  end(): void {
    if (this.columnTotals) {
      const r = new Row(null, null, 0);
      for (const [f, v] of this.sums) r.set(f, v);
      this.next.push(r);
    }
    this.next.end();
  }
}
