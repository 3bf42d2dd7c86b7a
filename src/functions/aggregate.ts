// Aggregate functions (inside stats). Nulls are skipped; every accumulator can merge another of
// its kind (partial results from worker threads).
import { groupKey, isNull, isNumericString, naturalCompare, toNumber, type Value } from "../exec/values.js";
import type { Accumulator, AggregateFn, ValueType } from "./types.js";
import { FIXED_UNIT_MS } from "../time/periods.js";
import type { PeriodLit } from "../lang/ast.js";

/** A period parameter in ms (months and longer count 30, 91, 365 days). */
function periodMs(p: Value): number {
  const period = p as unknown as PeriodLit | undefined;
  if (!period || typeof period !== "object" || !("unit" in period)) return 1000;
  const fixed = FIXED_UNIT_MS[period.unit];
  const approx = { mo: 30, q: 91, y: 365 }[period.unit as "mo" | "q" | "y"];
  return period.amount * (fixed ?? (approx ?? 1) * 86_400_000);
}

const sameAsArg = (t: ValueType[]): ValueType => t[0] ?? "any";

function agg(
  name: string,
  signature: string,
  description: string,
  make: (params: Value[], star: boolean) => Accumulator,
  opts: { minArgs?: number; maxArgs?: number; returns?: AggregateFn["returns"]; aliases?: string[]; args?: AggregateFn["args"]; usesTimestamp?: boolean; bytesPerValue?: number; checkParams?: AggregateFn["checkParams"] } = {},
): AggregateFn {
  const fn: AggregateFn = {
    kind: "aggregate", category: "aggregate", name, signature, description,
    minArgs: opts.minArgs ?? 1, maxArgs: opts.maxArgs ?? 1, returns: opts.returns ?? "number",
    create: make,
  };
  if (opts.aliases) fn.aliases = opts.aliases;
  if (opts.args) fn.args = opts.args;
  if (opts.usesTimestamp) fn.usesTimestamp = true;
  if (opts.bytesPerValue) fn.bytesPerValue = opts.bytesPerValue;
  if (opts.checkParams) fn.checkParams = opts.checkParams;
  return fn;
}

class Count implements Accumulator {
  n = 0;
  constructor(private readonly star: boolean) {}
  add(v: Value): void {
    if (this.star || !isNull(v)) this.n++;
  }
  merge(o: Count): void {
    this.n += o.n;
  }
  result(): Value {
    return this.n;
  }
}

/** Exact distinct counting up to EXACT_LIMIT values, then a HyperLogLog sketch (2^14 registers, ~0.8% error). */
export class CountDistinct implements Accumulator {
  static readonly EXACT_LIMIT = 100_000;
  private exact: Set<string | number> | null = new Set();
  private registers: Uint8Array | null = null;
  /** The values counted (not null): no estimate says more of them are distinct. */
  private values = 0;

  add(v: Value): void {
    if (isNull(v)) return;
    this.values++;
    const k = groupKey(v);
    if (this.exact) {
      this.exact.add(k);
      if (this.exact.size > CountDistinct.EXACT_LIMIT) this.toSketch();
    } else this.sketch(k);
  }

  private toSketch(): void {
    this.registers = new Uint8Array(1 << 14);
    for (const k of this.exact!) this.sketch(k);
    this.exact = null;
  }

  private sketch(k: string | number): void {
    const h = hash32(typeof k === "number" ? "n" + k : k);
    const idx = h >>> 18;
    const rest = (h << 14) | 0x2000;
    const rank = Math.clz32(rest) + 1;
    if (rank > this.registers![idx]!) this.registers![idx] = rank;
  }

  merge(o: CountDistinct): void {
    this.values += o.values;
    if (this.exact && o.exact) {
      for (const k of o.exact) this.exact.add(k);
      if (this.exact.size > CountDistinct.EXACT_LIMIT) this.toSketch();
      return;
    }
    if (this.exact) this.toSketch();
    if (o.exact) for (const k of o.exact) this.sketch(k);
    else for (let i = 0; i < o.registers!.length; i++) if (o.registers![i]! > this.registers![i]!) this.registers![i] = o.registers![i]!;
  }

  held(): number {
    return this.exact ? this.exact.size : 0;
  }

  estimate(): string | undefined {
    if (this.exact) return undefined;
    return `past ${CountDistinct.EXACT_LIMIT.toLocaleString("en-US")} distinct values it counts with a HyperLogLog sketch (a standard error of about 0.8 %)`;
  }

  result(): Value {
    if (this.exact) return this.exact.size;
    const m = this.registers!.length;
    let sum = 0;
    let zeros = 0;
    for (const r of this.registers!) {
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const est = (0.7213 / (1 + 1.079 / m)) * m * m / sum;
    // more than EXACT_LIMIT were seen distinct, and none is without a value counted
    const sketched = Math.round(est <= 2.5 * m && zeros > 0 ? m * Math.log(m / zeros) : est);
    return Math.min(this.values, Math.max(CountDistinct.EXACT_LIMIT + 1, sketched));
  }
}

/** FNV-1a, 32 bits, with a final avalanche. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The count and sum of the numeric values (sum, avg). The sum is exact until read, then rounded
 * once (Shewchuk's partials, as Python's math.fsum): so it does not depend on the order the values
 * come in, and one thread, worker threads and a spilled run give the same digits (a running float
 * sum gave 710.35 on one thread and 708 on two, over values of ±1e16). Where two partials' sum is
 * past the double's range (1e308 + 1e308, which a later -1e308 may bring back), the sum goes on as
 * an integer of 2^-1074 units (unitsOf): still exact, whatever the order.
 */
export class Sum implements Accumulator {
  n = 0;
  /** Non-overlapping partial sums, smallest first, whose exact total is the sum of the finite values. */
  private partials: number[] = [];
  /** The sum of the finite values in 2^-1074 units, once the partials could not hold it (then partials is empty). */
  private exact: bigint | undefined = undefined;
  /** The infinite values (and NaN) met: they decide the sum. */
  private special = 0;
  constructor(private readonly out: (m: Sum) => Value) {}
  add(v: Value): void {
    const x = toNumber(v);
    if (x === undefined) return;
    this.n++;
    this.addNumber(x);
  }
  private addNumber(value: number): void {
    if (!Number.isFinite(value)) {
      this.special += value;
      return;
    }
    if (this.exact !== undefined) {
      this.exact += unitsOf(value);
      return;
    }
    let x = value;
    const p = this.partials;
    let i = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j]!;
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      if (!Number.isFinite(hi)) {
        // past the double's range, for now: the sum is x + y, the partials made so far (before i) and
        // those not yet met (after j), exactly; from now on in units
        let units = unitsOf(x) + unitsOf(y);
        for (let k = 0; k < i; k++) units += unitsOf(p[k]!);
        for (let k = j + 1; k < p.length; k++) units += unitsOf(p[k]!);
        this.exact = units;
        p.length = 0;
        return;
      }
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    p.length = i;
    p.push(x);
  }
  merge(o: Sum): void {
    this.n += o.n;
    this.special += o.special;
    if (o.exact !== undefined) this.exact = (this.exact ?? this.partials.reduce((t, x) => t + unitsOf(x), 0n)) + o.exact;
    if (this.exact !== undefined) this.partials.length = 0;
    for (const x of o.partials) this.addNumber(x);
  }
  /** The exact sum rounded once to a double (math.fsum's last step, half-way cases included). */
  get sum(): number {
    if (this.special !== 0 || Number.isNaN(this.special)) return this.special;
    if (this.exact !== undefined) return doubleOfUnits(this.exact);
    const p = this.partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n]!;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n]!;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }
  result(): Value {
    return this.n === 0 ? undefined : this.out(this);
  }
}

/** A double's bits, for unitsOf. */
const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

/** A finite double as an integer of 2^-1074 units (every double is one, exactly). */
export function unitsOf(x: number): bigint {
  F64[0] = x;
  const bits = U64[0]!;
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  // a subnormal is its fraction in units; a normal number its fraction with the leading 1, shifted
  const units = exponent === 0 ? fraction : (fraction | (1n << 52n)) << BigInt(exponent - 1);
  return bits >> 63n ? -units : units;
}

/** An integer of 2^-1074 units rounded once to the nearest double (ties to even; past the range, ±Infinity). */
export function doubleOfUnits(units: bigint): number {
  const negative = units < 0n;
  const a = negative ? -units : units;
  const bits = a.toString(2).length;
  let d: number;
  // up to 64 bits Number() rounds once (to nearest, ties to even), and the 2^-1074 scale is exact: a
  // result below 2^-1021 is a multiple of 2^-1074 that a double holds, one above it a normal number
  if (bits <= 64) d = Number(a) * Number.MIN_VALUE;
  else {
    // the top 64 bits, the lowest of them set when any bit below was (so that a tie is told from a near-tie)
    const shift = BigInt(bits - 64);
    let top = a >> shift;
    if (top << shift !== a) top |= 1n;
    // a = top × 2^exponent about; top as a double in [0.5, 1] times 2^64 (both steps exact, but the
    // last, which may pass the range: then the rounded sum does)
    const exponent = bits - 64 - 1074;
    d = exponent + 63 > 1023 ? Infinity : (Number(top) / 2 ** 64) * 2 ** (exponent + 63) * 2;
  }
  return negative ? -d : d;
}

/**
 * The population standard deviation, from the running mean and the sum of squared differences from
 * it (Welford's method; merged by Chan's): sq/n - mean² cancels to noise on values as large as
 * account ids and epoch times (equal account ids gave 11,585, not 0). Differences past 2^480 (values
 * of 1e145 and more: their squares, summed, would pass the double's range) are taken in units of
 * SPREAD_SCALE, and the squares' sum with them.
 */
class Spread implements Accumulator {
  n = 0;
  mean = 0;
  /** The sum of squared differences from the mean, over scale². */
  m2 = 0;
  /** 1, or SPREAD_SCALE once a difference was past 2^480. */
  scale = 1;
  add(v: Value): void {
    const x = toNumber(v);
    if (x === undefined) return;
    this.n++;
    const d = this.difference(x, this.mean);
    this.mean += (d / this.n) * this.scale;
    this.m2 += d * this.difference(x, this.mean);
  }
  merge(o: Spread): void {
    if (o.n === 0) return;
    if (this.n === 0) {
      // taken as it is: the formula's d² times 0 is NaN where d² overflows (a mean of 1e300)
      this.n = o.n;
      this.mean = o.mean;
      this.m2 = o.m2;
      this.scale = o.scale;
      return;
    }
    if (o.scale > this.scale) this.rescale();
    const n = this.n + o.n;
    const d = this.difference(o.mean, this.mean);
    const m2 = o.scale === this.scale ? o.m2 : o.m2 / SPREAD_SCALE / SPREAD_SCALE;
    this.m2 += m2 + d * d * ((this.n * o.n) / n);
    // the means weighted: their difference times the scale may pass the range where they do not
    this.mean = this.scale === 1 ? this.mean + (d * o.n) / n : this.mean * (this.n / n) + o.mean * (o.n / n);
    this.n = n;
  }
  /** (a - b) / scale, the scale first made SPREAD_SCALE when the difference is past 2^480. */
  private difference(a: number, b: number): number {
    if (this.scale === 1) {
      const d = a - b;
      if (!(Math.abs(d) > SPREAD_LIMIT) || !Number.isFinite(a) || !Number.isFinite(b)) return d;
      this.rescale();
    }
    // both divided first: exact (a power of two), and their difference within the range
    return a / this.scale - b / this.scale;
  }
  private rescale(): void {
    this.m2 /= SPREAD_SCALE * SPREAD_SCALE;
    this.scale = SPREAD_SCALE;
  }
  result(): Value {
    return this.n === 0 ? undefined : Math.sqrt(this.m2 / this.n) * this.scale;
  }
}

/** Spread's differences past this are taken in units of SPREAD_SCALE: 2^53 squares of 2^480 stay within the range. */
const SPREAD_LIMIT = 2 ** 480;
const SPREAD_SCALE = 2 ** 600;

/**
 * Keeps the value that wins a comparison (min, max, sortsFirst, sortsLast, earliest, latest): `order`
 * says which of two comes first (< 0: the candidate); a tie goes to the row met first in the scan,
 * so that neither the order rows come in nor the threads that read them change the answer.
 */
class Best implements Accumulator {
  value: Value = undefined;
  key = NaN;
  pos = Infinity;
  constructor(private readonly order: (cand: Value, candTs: number, cur: Value, curTs: number) => number) {}
  add(v: Value, ts: number, pos: number): void {
    if (isNull(v)) return;
    const c = this.value === undefined ? -1 : this.order(v, ts, this.value, this.key);
    if (c < 0 || (c === 0 && pos < this.pos)) {
      this.value = v;
      this.key = ts;
      this.pos = pos;
    }
  }
  merge(o: Best): void {
    if (o.value !== undefined) this.add(o.value, o.key, o.pos);
  }
  result(): Value {
    return this.value;
  }
}

/** Keeps every numeric value of the group (percentiles and histograms need them all). */
abstract class NumberList implements Accumulator {
  values: number[] = [];
  add(v: Value): void {
    const x = toNumber(v);
    if (x !== undefined) this.values.push(x);
  }
  merge(o: NumberList): void {
    for (const x of o.values) this.values.push(x);
  }
  held(): number {
    return this.values.length;
  }
  abstract result(): Value;
}

/**
 * Below any distance of p·n/100 from a whole number that is not 0: p has a few decimals at most, so
 * that distance is 0 or at least 1 / (100 × 10^decimals).
 */
export const RANK_SLACK = 1e-9;

class Percentile extends NumberList {
  constructor(private readonly p: number) {
    super();
  }
  override result(): Value {
    const n = this.values.length;
    if (n === 0) return undefined;
    const sorted = Float64Array.from(this.values).sort();
    // the nearest rank, ceil(p·n/100), read past the float's error: (7 / 100) * 100 is
    // 7.000000000000001, whose ceiling took the rank after the 7th of 100
    const rank = Math.ceil((this.p * n) / 100 - RANK_SLACK);
    return sorted[Math.max(0, rank - 1)];
  }
}

/**
 * rate(f, interval): how much f changed per interval between the group's earliest and latest rows;
 * of rows of one time, the first met in scan order, as earliest() and latest() take (the same rows
 * on one thread or many, whatever order the workers' groups merge in).
 */
class Rate implements Accumulator {
  first: { t: number; v: number; pos: number } | undefined;
  last: { t: number; v: number; pos: number } | undefined;
  constructor(private readonly intervalMs: number) {}
  add(v: Value, ts: number, pos: number): void {
    const x = toNumber(v);
    if (x === undefined || Number.isNaN(ts)) return;
    if (!this.first || ts < this.first.t || (ts === this.first.t && pos < this.first.pos)) this.first = { t: ts, v: x, pos };
    if (!this.last || ts > this.last.t || (ts === this.last.t && pos < this.last.pos)) this.last = { t: ts, v: x, pos };
  }
  merge(o: Rate): void {
    if (o.first) this.add(o.first.v, o.first.t, o.first.pos);
    if (o.last) this.add(o.last.v, o.last.t, o.last.pos);
  }
  result(): Value {
    if (!this.first || !this.last || this.last.t === this.first.t) return undefined;
    // the change times the interval, then over the time between: (1000 - 10) per 30 minutes is 1980
    // an hour, not 1980.0000000000002; the other way round where that product passes the range
    const change = this.last.v - this.first.v;
    const span = this.last.t - this.first.t;
    const scaled = change * this.intervalMs;
    return Number.isFinite(scaled) || !Number.isFinite(change) ? scaled / span : (change / span) * this.intervalMs;
  }
}

/** The most buckets a histogram makes. */
const MAX_HISTOGRAM_BUCKETS = 10_000;

/** histogram(f, n): n equal-width buckets between the smallest and largest value, as a map "lo-hi" → count. */
class Histogram extends NumberList {
  constructor(private readonly buckets: number) {
    super();
  }
  override result(): Value {
    if (this.values.length === 0) return undefined;
    // the buckets span the finite values; a value past any number (1e400) goes in the first or
    // last bucket, whose edge then says -Infinity or Infinity
    let lo = Infinity;
    let hi = -Infinity;
    let below = false;
    let above = false;
    for (const x of this.values) {
      if (x === -Infinity) below = true;
      else if (x === Infinity) above = true;
      else if (!Number.isNaN(x)) {
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
    }
    if (lo > hi) lo = hi = 0;
    const n = Math.max(1, Math.floor(this.buckets));
    const width = (hi - lo) / n || 1;
    // the edges to 6 decimals, or to a thousandth of a bucket's width where buckets are narrower
    // (at 6 decimals, buckets 2.5e-8 wide were all "0-0", one count kept); buckets no float tells
    // apart share a key, and their counts add up
    const decimals = Math.min(20, Math.max(6, Math.ceil(-Math.log10(width)) + 3));
    const edges = Array.from({ length: n + 1 }, (_, i) => Number((lo + i * width).toFixed(decimals)));
    const counts = new Array<number>(n).fill(0);
    for (const x of this.values) {
      if (Number.isNaN(x)) continue;
      let i = x === -Infinity ? 0 : x === Infinity ? n - 1 : Math.min(n - 1, Math.floor((x - lo) / width));
      // the edges printed decide where a value on one goes: the bucket it starts (0.3 / 0.1 is
      // 2.9999999999999996, which put 0.3 in "0.2-0.3")
      if (Number.isFinite(x)) {
        while (i < n - 1 && x >= edges[i + 1]!) i++;
        while (i > 0 && x < edges[i]!) i--;
      }
      counts[i]!++;
    }
    const edge = (i: number): number => (i === 0 && below ? -Infinity : i === n && above ? Infinity : edges[i]!);
    const out: Record<string, number> = {};
    counts.forEach((c, i) => {
      const key = `${edge(i)}-${edge(i + 1)}`;
      out[key] = (out[key] ?? 0) + c;
    });
    return out;
  }
}

/**
 * The order min and max go by, total (so that the answer does not depend on the order rows come
 * in): numbers, booleans and numeric strings numerically, after any text that holds no number; two
 * texts by code unit (as SQL's min and max); structures by their JSON text, between the two. Equal
 * numbers tie-break as the sort does (the number before the string that spells it, the shorter
 * text first), so that only equal values tie.
 */
export function extremeOrder(a: Value, b: Value): number {
  const ra = extremeRank(a);
  const rb = extremeRank(b);
  if (ra !== rb) return ra - rb;
  if (ra === NUMERIC) {
    const na = toNumber(a)!;
    const nb = toNumber(b)!;
    if (na !== nb) return na < nb ? -1 : 1;
    const ta = typeof a === "string" ? 2 : typeof a === "boolean" ? 1 : 0;
    const tb = typeof b === "string" ? 2 : typeof b === "boolean" ? 1 : 0;
    if (ta !== tb) return ta - tb;
    return ta === 2 ? naturalCompare(a, b) || codeUnitOrder(a as string, b as string) : 0;
  }
  const sa = ra === TEXT ? (a as string) : JSON.stringify(a);
  const sb = rb === TEXT ? (b as string) : JSON.stringify(b);
  return codeUnitOrder(sa, sb);
}

const TEXT = 0;
const STRUCTURE = 1;
const NUMERIC = 2;

function extremeRank(v: Value): number {
  if (typeof v === "number" || typeof v === "boolean") return NUMERIC;
  if (typeof v === "string") return isNumericString(v) ? NUMERIC : TEXT;
  return STRUCTURE;
}

const codeUnitOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** earliest and latest: by @timestamp (a row without one after any with one). */
const timestampOrder = (t: number, curT: number, latest: boolean): number => {
  if (Number.isNaN(t) || Number.isNaN(curT)) return Number.isNaN(t) ? (Number.isNaN(curT) ? 0 : 1) : -1;
  return t === curT ? 0 : (t < curT) !== latest ? -1 : 1;
};

/** A check of an aggregate's literal parameter: a number from `min` to `max` (a whole one when `whole`). */
const numberParam =
  (what: string, min: number, max: number, whole: boolean): NonNullable<AggregateFn["checkParams"]> =>
  ([p]) => {
    const n = toNumber(p);
    if (n !== undefined && (!whole || Number.isInteger(n)) && n >= min && n <= max) return undefined;
    return `${what} must be a ${whole ? "whole " : ""}number from ${min} to ${max.toLocaleString("en-US")}, not ${JSON.stringify(p)}`;
  };

export const aggregateFunctions: AggregateFn[] = [
  agg("count", "count(*) | count(field)", "number of rows, or of rows where the field is present", (_p, star) => new Count(star), { minArgs: 0 }),
  agg("count_distinct", "count_distinct(field)", "number of distinct values (exact up to 100,000, then estimated)", () => new CountDistinct(), { bytesPerValue: 48 }),
  agg("sum", "sum(field)", "sum of the numeric values", () => new Sum((m) => m.sum)),
  agg("avg", "avg(field)", "mean of the numeric values", () => new Sum((m) => m.sum / m.n)),
  agg("stddev", "stddev(field)", "population standard deviation of the numeric values", () => new Spread()),
  agg("min", "min(field)", "smallest value (numbers numerically, text in order, times as times)", () => new Best((c, _t, cur) => extremeOrder(c, cur)), { returns: sameAsArg }),
  agg("max", "max(field)", "largest value", () => new Best((c, _t, cur) => extremeOrder(cur, c)), { returns: sameAsArg }),
  agg("pct", "pct(field, percentile)", "the value below which the given percent of values fall (nearest rank)", (p) => new Percentile(toNumber(p[0])!), {
    minArgs: 2, maxArgs: 2, args: ["value", "literal"], bytesPerValue: 12,
    checkParams: numberParam("the percent of pct", 0, 100, false),
  }),
  agg("earliest", "earliest(field)", "the value from the row with the earliest @timestamp", () => new Best((_c, t, _cur, curT) => timestampOrder(t, curT, false)), { returns: sameAsArg, usesTimestamp: true }),
  agg("latest", "latest(field)", "the value from the row with the latest @timestamp", () => new Best((_c, t, _cur, curT) => timestampOrder(t, curT, true)), { returns: sameAsArg, usesTimestamp: true }),
  agg("sortsFirst", "sortsFirst(field)", "the value that sorts first", () => new Best((c, _t, cur) => naturalCompare(c, cur)), { returns: sameAsArg }),
  agg("count_over_time", "count_over_time(field)", "rows where the field is present, per group (per time bucket with by bin())", () => new Count(false)),
  agg("sum_over_time", "sum_over_time(field)", "sum of the numeric values, per group (per time bucket with by bin())", () => new Sum((m) => m.sum)),
  agg("rate", "rate(field, interval)", "change of the field per interval between the group's earliest and latest rows", (p) => new Rate(periodMs(p[0])), { minArgs: 2, maxArgs: 2, args: ["value", "period"], usesTimestamp: true }),
  agg("histogram", "histogram(field, buckets)", "counts in equal-width buckets between the smallest and largest value, as a map", (p) => new Histogram(toNumber(p[0])!), {
    minArgs: 2, maxArgs: 2, args: ["value", "literal"], returns: "map", bytesPerValue: 12,
    // a whole number of buckets a map can hold ("a" was read as 10, 4294967296 stopped the run)
    checkParams: numberParam("the buckets of histogram", 1, MAX_HISTOGRAM_BUCKETS, true),
  }),
  agg("sortsLast", "sortsLast(field)", "the value that sorts last", () => new Best((c, _t, cur) => naturalCompare(cur, c)), { returns: sameAsArg }),
];
