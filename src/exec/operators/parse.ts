import type { Row } from "../row.js";
import { toText, type Value } from "../values.js";
import type { Operator } from "./operator.js";

/**
 * parse: extracts columns from a text field with a glob pattern or a regex. A row that does not
 * match keeps going with the columns absent; `multi` emits one row per match.
 */
export class ParseOp implements Operator {
  constructor(
    private readonly source: (row: Row) => Value,
    private readonly regex: RegExp,
    private readonly names: string[],
    private readonly groups: (number | string)[],
    private readonly multi: boolean,
    private readonly next: Operator,
  ) {}

  push(row: Row): void {
    const text = toText(this.source(row));
    if (text === undefined) return this.emit(row, null);
    if (!this.multi) return this.emit(row, this.regex.exec(text));
    let any = false;
    for (const m of text.matchAll(this.regex)) {
      any = true;
      this.emit(row.copy(), m);
    }
    if (!any) this.emit(row, null);
  }

  private emit(row: Row, m: RegExpExecArray | RegExpMatchArray | null): void {
    for (let i = 0; i < this.names.length; i++) {
      const g = this.groups[i]!;
      const v = m ? (typeof g === "number" ? m[g] : m.groups?.[g]) : undefined;
      row.set(this.names[i]!, v);
    }
    this.next.push(row);
  }

  end(): void {
    this.next.end();
  }
}
