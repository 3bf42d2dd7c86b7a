// Commands that need all their input rows before they can answer: countFrequent, sessionize, outlier.
import { Row } from "../row.js";
import { groupKey, isNull, joinedKey, toNumber, type Value } from "../values.js";
import { rowBytes, valueBytes, type Holding } from "../memory.js";
import type { Operator } from "./operator.js";

/** countFrequent f, ...: one row per value combination with `_approxcount` (exact here), most frequent first. */
export class CountFrequentOp implements Operator {
  private readonly counts = new Map<string, { values: Value[]; n: number }>();
  constructor(private readonly names: string[], private readonly keys: ((row: Row) => Value)[], private readonly next: Operator, private readonly hold?: Holding) {}
  push(row: Row): void {
    const values = this.keys.map((k) => k(row));
    const id = joinedKey(values.map(groupKey));
    const e = this.counts.get(id);
    if (e) e.n++;
    else {
      this.counts.set(id, { values, n: 1 });
      this.hold?.add(id, (s) => 2 * valueBytes(s) + 64);
    }
  }
  end(): void {
    const all = [...this.counts.values()].sort((a, b) => b.n - a.n);
    for (const e of all) {
      const r = new Row(null, null, 0);
      this.names.forEach((n, i) => {
        if (!isNull(e.values[i])) r.set(n, e.values[i]);
      });
      r.set("_approxcount", e.n);
      this.next.push(r);
    }
    this.counts.clear();
    this.hold?.clear();
    this.next.end();
  }
}

/**
 * sessionize f, ... [maxspan p] [as name]: per combination of the fields, events in time order get a
 * session id; a gap longer than maxspan starts a new session. Ids are `<n>` counted over all
 * identities in order of their first event. Rows keep their order.
 */
export class SessionizeOp implements Operator {
  private readonly rows: Row[] = [];
  constructor(private readonly keys: ((row: Row) => Value)[], private readonly maxspanMs: number, private readonly name: string, private readonly next: Operator, private readonly hold?: Holding) {}
  push(row: Row): void {
    this.rows.push(row);
    this.hold?.add(row, rowBytes);
  }
  end(): void {
    // the rows with a time in time order; those without one after, each joining the last session
    // of its combination (a NaN time in the sort or in the gap made the next event join a session
    // hours old)
    const timed = this.rows.map((r, i) => ({ r, i, t: r.timestamp })).filter((x) => !Number.isNaN(x.t));
    timed.sort((a, b) => a.t - b.t || a.i - b.i);
    const untimed = this.rows.filter((r) => Number.isNaN(r.timestamp));
    const last = new Map<string, { t: number; id: number }>();
    let sessions = 0;
    const assign = (r: Row, t: number | undefined): void => {
      const values = this.keys.map((k) => k(r));
      if (values.some(isNull)) return;
      const id = joinedKey(values.map(groupKey));
      const prev = last.get(id);
      if (t === undefined) {
        const session = prev ? prev.id : ++sessions;
        if (!prev) last.set(id, { t: -Infinity, id: session });
        r.set(this.name, session);
        return;
      }
      const session = prev && !(t - prev.t > this.maxspanMs) ? prev.id : ++sessions;
      last.set(id, { t, id: session });
      r.set(this.name, session);
    };
    for (const { r, t } of timed) assign(r, t);
    for (const r of untimed) assign(r, undefined);
    this.hold?.clear();
    for (const r of this.rows) this.next.push(r);
    this.rows.length = 0;
    this.next.end();
  }
}

/**
 * outlier [action=remove|transform] [param=2.5] [uselower=false] [mark=false] f ...: the IQR rule.
 * Bounds are Q1 − param·IQR and Q3 + param·IQR (the lower one only with uselower=true); `remove` drops
 * rows outside, `transform` clamps the value to the bound; `mark` adds `<f>_outlier` (1/0).
 */
export class OutlierOp implements Operator {
  private readonly rows: Row[] = [];
  constructor(
    private readonly fields: string[],
    private readonly read: ((row: Row) => Value)[],
    private readonly opts: { remove: boolean; param: number; useLower: boolean; mark: boolean },
    private readonly next: Operator,
    private readonly hold?: Holding,
  ) {}
  push(row: Row): void {
    this.rows.push(row);
    this.hold?.add(row, rowBytes);
  }
  end(): void {
    const bounds = this.read.map((f) => {
      const xs = this.rows.map((r) => toNumber(f(r))).filter((x): x is number => x !== undefined).sort((a, b) => a - b);
      if (xs.length === 0) return undefined;
      const q = (p: number): number => {
        const pos = (xs.length - 1) * p;
        const lo = Math.floor(pos);
        return xs[lo]! + (xs[Math.min(lo + 1, xs.length - 1)]! - xs[lo]!) * (pos - lo);
      };
      const q1 = q(0.25);
      const q3 = q(0.75);
      const iqr = q3 - q1;
      return { low: this.opts.useLower ? q1 - this.opts.param * iqr : -Infinity, high: q3 + this.opts.param * iqr };
    });
    for (const r of this.rows) {
      let outside = false;
      this.fields.forEach((name, i) => {
        const b = bounds[i];
        const x = toNumber(this.read[i]!(r));
        const out = b !== undefined && x !== undefined && (x < b.low || x > b.high);
        if (this.opts.mark) r.set(`${name}_outlier`, out ? 1 : 0);
        if (out) {
          outside = true;
          if (!this.opts.remove) r.set(name, x! < b!.low ? b!.low : b!.high);
        }
      });
      if (!(outside && this.opts.remove)) this.next.push(r);
    }
    this.rows.length = 0;
    this.hold?.clear();
    this.next.end();
  }
}
