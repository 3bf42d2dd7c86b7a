import type { Row } from "../row.js";
import { isNull, toText, type Value } from "../values.js";
import type { Operator } from "./operator.js";

/**
 * join: each row meets the subquery's rows with the same key (compared as text): one output row per
 * match, the right row as a map in column `right`. Inner drops rows with no match; left keeps them.
 */
export class JoinOp implements Operator {
  private index?: Map<string, Record<string, Value>[]>;
  constructor(
    private readonly inner: boolean,
    private readonly right: string,
    private readonly leftKey: (row: Row) => Value,
    private readonly rightKey: string,
    private readonly rows: { list?: Record<string, Value>[] },
    private readonly next: Operator,
  ) {}

  private build(): Map<string, Record<string, Value>[]> {
    const index = new Map<string, Record<string, Value>[]>();
    for (const r of this.rows.list ?? []) {
      const k = toText(r[this.rightKey]);
      if (k === undefined) continue;
      const list = index.get(k) ?? [];
      list.push(r);
      index.set(k, list);
    }
    return index;
  }

  push(row: Row): void {
    this.index ??= this.build();
    const k = this.leftKey(row);
    const matches = isNull(k) ? undefined : this.index.get(toText(k) ?? "");
    if (!matches) {
      if (!this.inner) this.next.push(row);
      return;
    }
    for (const m of matches) {
      const r = matches.length === 1 ? row : row.copy();
      r.set(this.right, m);
      this.next.push(r);
    }
  }

  end(): void {
    this.next.end();
  }
}

/** appendcols: row i gets the columns of the subquery's row i (existing values kept unless override). */
export class AppendColsOp implements Operator {
  private i = 0;
  constructor(private readonly rows: { list?: Record<string, Value>[] }, private readonly override: boolean, private readonly max: number, private readonly next: Operator) {}
  push(row: Row): void {
    const sub = this.i < this.max ? this.rows.list?.[this.i] : undefined;
    this.i++;
    if (sub) for (const [k, v] of Object.entries(sub)) if (this.override || isNull(row.get(k))) row.set(k, v);
    this.next.push(row);
  }
  end(): void {
    this.next.end();
  }
}
