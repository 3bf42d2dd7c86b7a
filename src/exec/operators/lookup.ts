import type { Row } from "../row.js";
import { isNull, toText, type Value } from "../values.js";
import type { Operator } from "./operator.js";

/**
 * lookup: matches the row's key values exactly (as text) against the table's key columns. OUTPUT
 * writes the table's columns (absent when nothing matches); OUTPUTNEW fills only empty fields.
 */
export class LookupOp implements Operator {
  constructor(
    private readonly index: Map<string, string[]>,
    private readonly keys: ((row: Row) => Value)[],
    private readonly outputs: { column: number; name: string }[],
    private readonly onlyNew: boolean,
    private readonly current: ((row: Row) => Value)[],
    private readonly next: Operator,
  ) {}

  push(row: Row): void {
    const parts: string[] = [];
    let match: string[] | undefined;
    for (const k of this.keys) {
      const t = toText(k(row));
      if (t === undefined) break;
      parts.push(t);
    }
    if (parts.length === this.keys.length) match = this.index.get(parts.join("\u0001"));
    for (let i = 0; i < this.outputs.length; i++) {
      const o = this.outputs[i]!;
      if (this.onlyNew) {
        if (match && isNull(this.current[i]!(row))) row.set(o.name, match[o.column]);
      } else row.set(o.name, match ? match[o.column] : undefined);
    }
    this.next.push(row);
  }

  end(): void {
    this.next.end();
  }
}
