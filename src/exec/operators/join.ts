import type { Row } from "../row.js";
import { isNull, toText, type Value } from "../values.js";
import type { Operator } from "./operator.js";
import { valuePath, type RowEval } from "../compile.js";

/**
 * join: each row meets the subquery's rows with the same key (compared as text): one output row per
 * match, the right row as a map in column `right`. Inner drops rows with no match; left keeps them.
 */
export class JoinOp implements Operator {
  private index?: Map<string, Record<string, Value>[]>;
  private readonly rightKey: (v: Value) => Value;
  constructor(
    private readonly inner: boolean,
    private readonly right: string,
    private readonly leftKey: (row: Row) => Value,
    rightPath: string[],
    /** The right rows are events: each holds the event's JSON in @message, which is unfolded. */
    private readonly wholeEvents: boolean,
    private readonly rows: { list?: Record<string, Value>[] },
    private readonly next: Operator,
  ) {
    this.rightKey = valuePath(rightPath);
  }

  private build(): Map<string, Record<string, Value>[]> {
    const index = new Map<string, Record<string, Value>[]>();
    for (const row of this.rows.list ?? []) {
      const m = row["@message"];
      // the event's fields, then its system fields and the columns the subquery made (these win, as in a query)
      const r = this.wholeEvents && typeof m === "string" ? { ...(JSON.parse(m) as Record<string, Value>), ...row } : row;
      const k = toText(this.rightKey(r));
      if (k === undefined) continue;
      const list = index.get(k) ?? [];
      list.push(r);
      index.set(k, list);
    }
    return index;
  }

  push(row: Row): void {
    this.index ??= this.build();
    // a key that has no text (null, a structure) matches nothing, as = finds a structure equal to nothing
    const k = toText(this.leftKey(row));
    const matches = k === undefined ? undefined : this.index.get(k);
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
  constructor(
    private readonly rows: { list?: Record<string, Value>[] },
    /** The subquery's columns, each with what a row has under its name already (a made column, an event's field). */
    private readonly columns: { name: string; existing: RowEval }[],
    private readonly override: boolean,
    private readonly max: number,
    private readonly next: Operator,
  ) {}
  push(row: Row): void {
    const sub = this.i < this.max ? this.rows.list?.[this.i] : undefined;
    this.i++;
    for (const c of this.columns) {
      const own = c.existing(row);
      const given = sub !== undefined && Object.hasOwn(sub, c.name);
      // the row's own value, kept, is the column's from now on (later commands read the column)
      const v = given && (this.override || isNull(own)) ? sub[c.name] : own;
      if (v !== undefined || row.get(c.name) !== undefined) row.set(c.name, v);
    }
    this.next.push(row);
  }
  end(): void {
    this.next.end();
  }
}
