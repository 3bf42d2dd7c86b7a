import type { Accumulator, AggregateFn } from "../../functions/types.js";
import { Row } from "../row.js";
import { groupKey, isNull, type Value } from "../values.js";
import type { Operator } from "./operator.js";
import { setOwn } from "../own.js";

/** One aggregate call of a stats command: how to make its accumulator and read its argument. */
export interface AggregateSlot {
  fn: AggregateFn;
  /** The argument (undefined for count(*)). */
  arg?: (row: Row) => Value;
  params: Value[];
  star: boolean;
}

interface Group {
  keys: Value[];
  accs: Accumulator[];
  /** The smallest Row.pos of the group's rows: where a single-threaded scan would have made it. */
  first: number;
}

/** A group's partial state, as a worker thread hands it over (structured-cloneable). */
export interface PartialGroup {
  id: string | number;
  keys: Value[];
  first: number;
  /** Each accumulator's own data fields (its functions are the registry's, made again on merge). */
  accs: Record<string, unknown>[];
}

/**
 * stats: groups rows by the key values and folds each group's rows into accumulators; at the end,
 * emits one row per group (in order of first appearance) with the keys, then the items, which
 * read the aggregate results and earlier items. A null key value forms its own group and is left
 * out of the output row.
 */
export class StatsOp implements Operator {
  private readonly groups = new Map<string | number, Group>();
  /** Whether any aggregate reads @timestamp (parsing eventTime costs; most don't need it). */
  private readonly needsTimestamp: boolean;
  /** Groups came from several workers: emit them in the order of their first rows. */
  private merged = false;
  /** The key values of the row being added. */
  private readonly scratch: Value[] = [];

  constructor(
    private readonly keyNames: string[],
    private readonly keyEvals: ((row: Row) => Value)[],
    private readonly slots: AggregateSlot[],
    private readonly items: { name: string; eval: (row: Row) => Value }[],
    private readonly next: Operator,
  ) {
    this.needsTimestamp = slots.some((s) => s.fn.usesTimestamp);
  }

  private newGroup(keys: Value[], first: number): Group {
    return { keys, accs: this.slots.map((s) => s.fn.create(s.params, s.star)), first };
  }

  /** The groups so far, to hand to the thread that merges (instead of end()). */
  partial(): PartialGroup[] {
    const out: PartialGroup[] = [];
    for (const [id, g] of this.groups) {
      out.push({ id, keys: g.keys, first: g.first, accs: g.accs.map((a) => Object.fromEntries(Object.entries(a).filter(([, v]) => typeof v !== "function"))) });
    }
    return out;
  }

  /** Folds another thread's groups into these. */
  merge(parts: PartialGroup[]): void {
    this.merged = true;
    for (const p of parts) {
      const accs = this.slots.map((s, i) => Object.assign(s.fn.create(s.params, s.star), p.accs[i]));
      const g = this.groups.get(p.id);
      if (!g) this.groups.set(p.id, { keys: p.keys, accs, first: p.first });
      else {
        g.accs.forEach((a, i) => a.merge(accs[i]!));
        g.first = Math.min(g.first, p.first);
      }
    }
  }

  push(row: Row): void {
    const keyEvals = this.keyEvals;
    const n = keyEvals.length;
    // the key values into a scratch array and the group id from them: no allocation for a known group
    const vals = this.scratch;
    let id: string | number = 0;
    if (n === 1) id = groupKey((vals[0] = keyEvals[0]!(row)));
    else if (n > 1) {
      id = "";
      for (let i = 0; i < n; i++) {
        const v = (vals[i] = keyEvals[i]!(row));
        id += i === 0 ? groupKey(v) : "\u0001" + groupKey(v);
      }
    }
    let g = this.groups.get(id);
    if (!g) this.groups.set(id, (g = this.newGroup(vals.slice(0, n), row.pos)));
    else if (row.pos < g.first) g.first = row.pos; // a worker may read a later file first
    const ts = this.needsTimestamp ? row.timestamp : NaN;
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i]!;
      g.accs[i]!.add(s.arg ? s.arg(row) : undefined, ts);
    }
  }

  end(): void {
    // stats without `by` over no rows still gives one row (count(*) = 0).
    if (this.groups.size === 0 && this.keyEvals.length === 0) this.groups.set(0, this.newGroup([], 0));
    const groups = [...this.groups.values()];
    if (this.merged) groups.sort((a, b) => a.first - b.first);
    for (const g of groups) {
      const out = new Row(null, null, 0);
      out.x = {};
      for (let i = 0; i < this.keyNames.length; i++) {
        const v = g.keys[i];
        if (!isNull(v)) setOwn(out.x, this.keyNames[i]!, v);
      }
      out.aggs = g.accs.map((a) => a.result());
      for (const item of this.items) {
        const v = item.eval(out);
        if (!isNull(v)) setOwn(out.x, item.name, v);
      }
      out.aggs = null;
      const t = out.get("@timestamp");
      out.timestamp = typeof t === "number" ? t : NaN;
      this.next.push(out);
    }
    this.groups.clear();
    this.next.end();
  }
}
