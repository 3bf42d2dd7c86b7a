// Operators over rows in order: accum, autoregress, filldown, expand, fillmissing.
import { Row } from "../row.js";
import { isNull, isStructure, toNumber, toText, type Value } from "../values.js";
import { floorTime, ceilTime } from "../../time/periods.js";
import { isTime } from "../../time/bounds.js";
import type { PeriodUnit } from "../../lang/ast.js";
import { rowBytes, type Holding } from "../memory.js";
import type { Operator } from "./operator.js";
import { ExitCode, UserError } from "../../errors.js";

/** The most rows fillmissing gives (buckets of every series, found and added); more is an error. */
export const MAX_FILLMISSING_ROWS = 1_000_000;

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
    const value = this.source(row);
    let v = value;
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
    if (!Array.isArray(v)) {
      // the field is a column of the row from here on (the events' field too): it keeps its value
      row.set(this.name, value);
      return this.next.push(row);
    }
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
 * The buckets are counted before any row is made: past MAX_FILLMISSING_ROWS in all (a 1970 event
 * beside a 2026 one, by bin(1m)) is an error that says so, not a heap exhausted.
 */
export class FillmissingOp implements Operator {
  private readonly rows: Row[] = [];
  constructor(
    private readonly timeKey: string,
    private readonly amount: number,
    private readonly unit: PeriodUnit,
    /** The buckets' shift from the period's boundaries (stats ... by bin(p) offset d). */
    private readonly offsetMs: number,
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
    // the buckets' grid: the period's boundaries, shifted by the offset
    const shift = this.offsetMs;
    const step = (t: number): number => ceilTime(t - shift + 1, this.amount, this.unit) + shift;
    // each series' first bucket and last time (loops: a spread of many times overflows the stack)
    const spans = new Map<Row[], [number, number]>();
    let count = 0;
    for (const list of series.values()) {
      let first = Infinity;
      let last = -Infinity;
      for (const r of list) {
        const t = toNumber(r.get(this.timeKey));
        if (t === undefined || !Number.isFinite(t)) continue;
        if (t < first) first = t;
        if (t > last) last = t;
      }
      if (first > last) {
        count += list.length;
        continue;
      }
      first = floorTime(first - shift, this.amount, this.unit) + shift;
      spans.set(list, [first, last]);
      for (let t = first; t <= last; t = step(t)) {
        if (++count > MAX_FILLMISSING_ROWS) {
          const iso = (x: number): string => (isTime(x) ? new Date(x).toISOString() : String(x));
          throw new UserError(
            `fillmissing: more than ${MAX_FILLMISSING_ROWS.toLocaleString("en-US")} rows: buckets of ${this.amount}${this.unit} from ${iso(first)} to ${iso(last)}` +
              `${series.size > 1 ? ` (and ${series.size - 1} other series)` : ""}: use a larger bin() period, or a time range (--start/--end, or a filter on @timestamp)`,
            ExitCode.query,
          );
        }
      }
    }
    const out: Row[] = [];
    for (const list of series.values()) {
      const span = spans.get(list);
      if (!span) {
        for (const r of list) out.push(r);
        continue;
      }
      const have = new Map(list.map((r) => [toNumber(r.get(this.timeKey)), r]));
      const last = span[1];
      const placed = new Set<Row>();
      for (let t = span[0]; t <= last; t = step(t)) {
        const found = have.get(t);
        if (found) {
          out.push(found);
          placed.add(found);
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
      // the series' rows off the grid stay: the group of events without a time (its bucket null,
      // sorted last), any other
      for (const r of list) if (!placed.has(r)) out.push(r);
    }
    // Stable: series keep their order within a bucket.
    out.sort((a, b) => (toNumber(a.get(this.timeKey)) ?? Infinity) - (toNumber(b.get(this.timeKey)) ?? Infinity));
    this.rows.length = 0;
    this.hold?.clear();
    for (const r of out) this.next.push(r);
    this.next.end();
  }
}
