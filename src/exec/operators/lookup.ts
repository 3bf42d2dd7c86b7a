import type { Row } from "../row.js";
import { isNull, joinedKey, toText, type Value } from "../values.js";
import { inSubnet, ipBytes, type Subnet } from "../../functions/ip.js";
import type { Operator } from "./operator.js";

/** The table row a row matches (lookup: equal keys; cidrlookup: the subnet holding the address). */
export type Matcher = (row: Row) => string[] | undefined;

/** lookup's matcher: the row's key values, as text, equal to the table's key columns. */
export function keyMatcher(index: Map<string, string[]>, keys: ((row: Row) => Value)[]): Matcher {
  return (row) => {
    const parts: string[] = [];
    for (const k of keys) {
      const t = toText(k(row));
      if (t === undefined) return undefined;
      parts.push(t);
    }
    return index.get(joinedKey(parts));
  };
}

/** cidrlookup's matcher: the first (longest-prefix) subnet holding the address. */
export function cidrMatcher(nets: { net: Subnet; row: string[] }[], ip: (row: Row) => Value): Matcher {
  return (row) => {
    const s = toText(ip(row));
    const bytes = s === undefined ? undefined : ipBytes(s);
    return bytes ? nets.find((n) => inSubnet(bytes, n.net))?.row : undefined;
  };
}

/**
 * lookup / cidrlookup: OUTPUT writes the table's columns of the matching row (absent when nothing
 * matches); OUTPUTNEW fills only fields without a value.
 */
export class LookupOp implements Operator {
  constructor(
    private readonly match: Matcher,
    private readonly outputs: { column: number; name: string }[],
    private readonly onlyNew: boolean,
    private readonly current: ((row: Row) => Value)[],
    private readonly next: Operator,
  ) {}

  push(row: Row): void {
    const match = this.match(row);
    for (let i = 0; i < this.outputs.length; i++) {
      const o = this.outputs[i]!;
      if (this.onlyNew) {
        // the field is a column of the row from here on: a value it had (an event's field) is carried into it
        const now = this.current[i]!(row);
        row.set(o.name, match && isNull(now) ? match[o.column] : now);
      } else row.set(o.name, match ? match[o.column] : undefined);
    }
    this.next.push(row);
  }

  end(): void {
    this.next.end();
  }
}
