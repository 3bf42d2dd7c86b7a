import { Row } from "../row.js";
import { toNumber, type Value } from "../values.js";
import type { Operator } from "./operator.js";
import { Sum } from "../../functions/aggregate.js";

/** An exact sum, rounded once (as stats sum: a running float sum of 0.1, 0.2, 0.3, 1e16, 1, -1e16 is 0, not 1.6). */
const exactSum = (): Sum => new Sum((m) => m.sum);

/** addtotals: a column with each row's sum of the fields, and/or a last row with the column sums. */
export class AddTotalsOp implements Operator {
  private readonly sums = new Map<string, Sum>();
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
      const total = exactSum();
      for (const f of this.rowTotal.fields) total.add(this.num(row.get(f)) ?? 0);
      row.set(this.rowTotal.name, total.sum);
    }
    if (this.columnTotals) {
      for (const f of this.columnTotals) {
        const n = this.num(row.get(f));
        if (n === undefined) continue;
        let sum = this.sums.get(f);
        if (!sum) this.sums.set(f, (sum = exactSum()));
        sum.add(n);
      }
    }
    this.next.push(row);
  }
  end(): void {
    if (this.columnTotals) {
      const r = new Row(null, null, 0);
      // a column named (or the row total) with no number, or over no row, totals 0, not a blank that
      // reads as another group; a column not named that held none (a group's key) stays blank
      for (const f of this.columnTotals) {
        const sum = this.sums.get(f);
        if (sum) r.set(f, sum.sum);
        else if (this.numericStrings || f === this.rowTotal?.name) r.set(f, 0);
      }
      this.next.push(r);
    }
    this.next.end();
  }
}
