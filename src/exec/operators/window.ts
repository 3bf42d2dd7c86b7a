// Operators over rows in order: accum, autoregress, filldown, expand, fillmissing.
import { Row } from "../row.js";
import { isNull, isStructure, toNumber, toText, type Value } from "../values.js";
import { floorTime, ceilTime } from "../../time/periods.js";
import type { PeriodUnit } from "../../lang/ast.js";
import { rowBytes, type Holding } from "../memory.js";
import type { Operator } from "./operator.js";

abstract class PassThrough implements Operator {
  constructor(protected readonly next: Operator) {}
  abstract push(row: Row): void;
  end(): void {
    this.next.end();
  }
}

/** accum: the running sum (non-numbers add nothing). */
export class AccumOp extends PassThrough {
  private sum = 0;
  constructor(private readonly source: (row: Row) => Value, private readonly name: string, next: Operator) {
    super(next);
  }
  push(row: Row): void {
    this.sum += toNumber(this.source(row)) ?? 0;
    row.set(this.name, this.sum);
    this.next.push(row);
  }
}

/** autoregress: values of earlier rows (lag 1 = the row before). */
export class AutoregressOp extends PassThrough {
  private readonly history: Value[] = [];
  private readonly maxLag: number;
  constructor(private readonly source: (row: Row) => Value, private readonly outputs: { name: string; lag: number }[], next: Operator) {
    super(next);
    this.maxLag = Math.max(...outputs.map((o) => o.lag));
  }
  push(row: Row): void {
    for (const o of this.outputs) row.set(o.name, this.history[this.history.length - o.lag]);
    this.history.push(this.source(row));
    if (this.history.length > this.maxLag) this.history.shift();
    this.next.push(row);
  }
}

/** filldown: a null or empty value takes the last value seen in its column. */
export class FilldownOp extends PassThrough {
  private readonly last = new Map<string, Value>();
  constructor(private readonly names: string[], next: Operator) {
    super(next);
  }
  push(row: Row): void {
    for (const n of this.names) {
      const v = row.get(n);
      if (isNull(v) || v === "") {
        if (this.last.has(n)) row.set(n, this.last.get(n));
      } else this.last.set(n, v);
    }
    this.next.push(row);
  }
}

/** expand: one row per element of a list (or of JSON array text); other values pass as they are. */
export class ExpandOp extends PassThrough {
  constructor(private readonly source: (row: Row) => Value, private readonly name: string, next: Operator) {
    super(next);
  }
  push(row: Row): void {
    let v = this.source(row);
    if (!isStructure(v)) {
      const t = toText(v);
      if (t !== undefined && t.trimStart().startsWith("[")) {
        try {
          v = JSON.parse(t) as Value;
        } catch {
          // not JSON: the value stays as it is
        }
      }
    }
    if (!Array.isArray(v)) return this.next.push(row);
    for (const item of v) {
      const r = row.copy();
      r.set(this.name, item);
      this.next.push(r);
    }
  }
}

/**
 * fillmissing: buffers the stats rows, then emits them with a row for every missing bucket between
 * the first and the last bucket of each series (same values of the other keys), all in time order.
 */
export class FillmissingOp implements Operator {
  private readonly rows: Row[] = [];
  constructor(
    private readonly timeKey: string,
    private readonly amount: number,
    private readonly unit: PeriodUnit,
    private readonly seriesKeys: string[],
    private readonly constants: { name: string; value: string | number | boolean }[],
    private readonly next: Operator,
    private readonly hold?: Holding,
  ) {}
  push(row: Row): void {
    this.rows.push(row);
    this.hold?.add(row, rowBytes);
  }
  end(): void {
    const series = new Map<string, Row[]>();
    for (const r of this.rows) {
      const id = JSON.stringify(this.seriesKeys.map((k) => r.get(k) ?? null));
      const list = series.get(id) ?? [];
      list.push(r);
      series.set(id, list);
    }
    const out: Row[] = [];
    for (const list of series.values()) {
      const times = list.map((r) => toNumber(r.get(this.timeKey))).filter((t): t is number => t !== undefined);
      if (times.length === 0) {
        out.push(...list);
        continue;
      }
      const have = new Map(list.map((r) => [toNumber(r.get(this.timeKey)), r]));
      const last = Math.max(...times);
      const step = (t: number): number => ceilTime(t + 1, this.amount, this.unit);
      for (let t = floorTime(Math.min(...times), this.amount, this.unit); t <= last; t = step(t)) {
        const found = have.get(t);
        if (found) {
          out.push(found);
          continue;
        }
        const r = new Row(null, null, 0, t);
        r.set(this.timeKey, t);
        for (const k of this.seriesKeys) {
          const v = list[0]!.get(k);
          if (!isNull(v)) r.set(k, v);
        }
        for (const c of this.constants) r.set(c.name, c.value);
        out.push(r);
        this.hold?.add(r, rowBytes);
      }
    }
    // Stable: series keep their order within a bucket.
    out.sort((a, b) => (toNumber(a.get(this.timeKey)) ?? Infinity) - (toNumber(b.get(this.timeKey)) ?? Infinity));
    this.rows.length = 0;
    this.hold?.clear();
    for (const r of out) this.next.push(r);
    this.next.end();
  }
}
