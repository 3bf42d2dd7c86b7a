import type { Row } from "../row.js";
import { groupKey, isNull, type Value } from "../values.js";
import type { Operator } from "./operator.js";

/** dedup: the first row of each distinct key in the current order; rows with a null key are all kept. */
export class DedupOp implements Operator {
  private readonly seen = new Set<string | number>();
  constructor(private readonly keys: ((row: Row) => Value)[], private readonly next: Operator) {}
  push(row: Row): void {
    let key: string | number;
    if (this.keys.length === 1) {
      const v = this.keys[0]!(row);
      if (isNull(v)) return this.next.push(row);
      key = groupKey(v);
    } else {
      const parts: (string | number)[] = [];
      for (const k of this.keys) {
        const v = k(row);
        if (isNull(v)) return this.next.push(row);
        parts.push(groupKey(v));
      }
      key = parts.join("\u0001");
    }
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.next.push(row);
  }
  end(): void {
    this.next.end();
  }
}
