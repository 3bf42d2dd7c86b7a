import type { Row } from "../row.js";
import { groupKey, isNull, type Value } from "../values.js";
import type { Operator } from "./operator.js";
import { keyedOrder, type Keyed } from "./sort.js";

/** The dedup key of a row: undefined when a key value is null (such rows are all kept). */
function dedupKey(keys: ((row: Row) => Value)[], row: Row): string | number | undefined {
  if (keys.length === 1) {
    const v = keys[0]!(row);
    return isNull(v) ? undefined : groupKey(v);
  }
  const parts: (string | number)[] = [];
  for (const k of keys) {
    const v = k(row);
    if (isNull(v)) return undefined;
    parts.push(groupKey(v));
  }
  return parts.join("\u0001");
}

/** dedup: the first row of each distinct key in the current order; rows with a null key are all kept. */
export class DedupOp implements Operator {
  private readonly seen = new Set<string | number>();
  constructor(private readonly keys: ((row: Row) => Value)[], private readonly next: Operator) {}
  push(row: Row): void {
    const key = dedupKey(this.keys, row);
    if (key === undefined) return this.next.push(row);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.next.push(row);
  }
  end(): void {
    this.next.end();
  }
}

/**
 * Before a sort that a dedup follows: of each dedup key, only the row that sorts first can come
 * out, so only that one is kept (rows with a null key all pass). The sort then orders a row per key
 * instead of every row: the same result in the memory of the distinct keys. Mergeable: the workers
 * of a parallel scan each keep theirs, and this thread keeps the best of them.
 */
export class FirstPerKeyOp implements Operator {
  private readonly best = new Map<string | number, Keyed>();
  private readonly order: (a: Keyed, b: Keyed) => number;
  private seq = 0;

  constructor(
    private readonly keys: ((row: Row) => Value)[],
    private readonly sortKeys: { eval: (row: Row) => Value; desc: boolean }[],
    private readonly next: Operator,
  ) {
    this.order = keyedOrder(sortKeys.map((k) => k.desc), true);
  }

  push(row: Row): void {
    const key = dedupKey(this.keys, row);
    if (key === undefined) return this.next.push(row);
    const cand: Keyed = { row, keys: this.sortKeys.map((k) => k.eval(row)), seq: this.seq++ };
    const cur = this.best.get(key);
    if (!cur || this.order(cand, cur) < 0) this.best.set(key, cand);
  }

  end(): void {
    for (const k of this.best.values()) this.next.push(k.row);
    this.best.clear();
    this.next.end();
  }
}
