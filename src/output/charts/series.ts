// Result rows → chart series. A time series (stats ... by bin()) gives one series per combination
// of the other keys and per numeric item; any other result gives categories from its first numeric
// column. Shared by the terminal chart and the SVG/HTML files.
import type { OutputColumn } from "../../plan/plan.js";
import type { PeriodUnit } from "../../lang/ast.js";
import type { ValueType } from "../../functions/types.js";
import { compareText, isNull, toNumber, toText, type Value } from "../../exec/values.js";
import { ceilTime, floorTime } from "../../time/periods.js";
import { isTime } from "../../time/bounds.js";
import { ExitCode, UserError } from "../../errors.js";
import { renderText } from "../render.js";

/** What the chart needs to know of the query beyond its columns. */
export interface ChartInfo {
  /** The query text: the chart's title. */
  title: string;
  /** The time-bucket column of a time series. */
  timeColumn?: string;
  /** The bucket period, to fill empty buckets, and stats' offset (the buckets start that much later). */
  period?: { amount: number; unit: PeriodUnit; offsetMs?: number };
  /** The group-key columns (besides the time column). */
  keyColumns: string[];
  /** --fill: empty buckets become 0 across this range (or the data's span). */
  fill?: { start?: number; end?: number };
}

export interface Series {
  name: string;
  values: (number | null)[];
}

export interface ChartData {
  kind: "time" | "category";
  /** Bucket times (epoch ms) for a time series; labels for categories. */
  x: number[];
  labels: string[];
  series: Series[];
  /** Values not drawn because they are ±Infinity (a sum past 1.8e308) or NaN; the charts say how many. */
  notDrawn?: number;
  /**
   * A time series: the indexes i where at least one bucket is missing between x[i − 1] and x[i]
   * (none with --fill): lines and areas break there.
   */
  gaps?: number[];
  /**
   * A category chart of more than MAX_BARS rows: the rows after them, which a bar chart does not
   * draw (it says how many) and a pie counts (its shares are of every row).
   */
  beyond?: { labels: string[]; values: (number | null)[] };
  /**
   * A time series with a bin period: each bucket's place among every bucket of its span, the
   * missing ones counted (months and quarters by the calendar), and how many there are: where bars
   * stand, so that a missing bucket leaves its place empty.
   */
  slots?: { at: number[]; count: number };
  /** Rows of a time series without a time (a bucket of events without an eventTime): not drawn, and said. */
  untimed?: number;
  /**
   * Rows of a time series that fell on a bucket and series another row had already (the columns
   * that tell them apart not shown: `display` without a key): their values added up, and said.
   */
  added?: number;
}

const MAX_SERIES = 6;
/** The most bars a category chart draws. */
export const MAX_BARS = 30;

/** The most time buckets a chart holds, filled (--fill) or not; more is an error (docs/charts.md). */
export const MAX_BUCKETS = 100_000;

/** A value as the chart draws it: a number, or null (absent, not a number, or ±Infinity: overflowed). */
function chartNumber(v: Value): number | null {
  const n = toNumber(v);
  return n !== undefined && Number.isFinite(n) ? n : null;
}

/** An instant as ISO text, or "?" past the range Date can show. */
export function isoTime(t: number): string {
  return isTime(t) ? new Date(t).toISOString() : "?";
}

function tooManyBuckets(what: string, period: ChartInfo["period"], from: number, to: number): UserError {
  const p = period ? ` of ${period.amount}${period.unit}` : "";
  return new UserError(
    `${what}: more than ${MAX_BUCKETS.toLocaleString("en-US")} time buckets${p} from ${isoTime(from)} to ${isoTime(to)} (the most a chart holds): ` +
      "use a larger bin() period or a shorter time range (--start/--end)",
    ExitCode.query,
  );
}

export function toChartData(columns: OutputColumn[], rows: Value[][], info: ChartInfo): ChartData {
  let notDrawn = 0;
  const value = (v: Value): number | null => {
    const n = chartNumber(v);
    if (n === null && typeof v === "number") notDrawn++;
    return n;
  };
  const counted = (d: ChartData): ChartData => (notDrawn > 0 ? { ...d, notDrawn } : d);
  const timeAt = info.timeColumn ? columns.findIndex((c) => c.name === info.timeColumn) : -1;
  const keyAt = columns.map((c, i) => (info.keyColumns.includes(c.name) && i !== timeAt ? i : -1)).filter((i) => i >= 0);
  // the values drawn: numbers, not times (a template's firstAttempt would be a line at 1.7 × 10^12)
  const numericAt = columns
    .map((_, i) => i)
    .filter((i) => i !== timeAt && !keyAt.includes(i) && columns[i]!.type !== "time" && rows.some((r) => typeof r[i] === "number" || typeof r[i] === "boolean"));
  if (timeAt < 0) {
    const v = numericAt[0];
    const labelsAt = columns.map((_, i) => i).filter((i) => i !== v);
    // as the table shows them (a time as a time, not its milliseconds); (all): a row with no key
    const label = (r: Value[]): string => (labelsAt.length === 0 ? "(all)" : labelsAt.map((i) => barText(r[i], columns[i]!.type)).join(" · "));
    const top = rows.slice(0, MAX_BARS);
    const rest = rows.slice(MAX_BARS);
    return counted({
      kind: "category",
      x: top.map((_, i) => i),
      labels: top.map(label),
      series: v === undefined ? [] : [{ name: columns[v]!.name, values: top.map((r) => value(r[v])) }],
      ...(v !== undefined && rest.length > 0 ? { beyond: { labels: rest.map(label), values: rest.map((r) => value(r[v])) } } : {}),
    });
  }
  const times = [...new Set(rows.map((r) => chartNumber(r[timeAt])).filter((t): t is number => t !== null))].sort((a, b) => a - b);
  let x = times;
  if (times.length > MAX_BUCKETS) throw tooManyBuckets("chart", info.period, times[0]!, times[times.length - 1]!);
  if (info.fill && info.period && times.length > 0) {
    const { amount, unit } = info.period;
    // the grid of the buckets stats made: the period's boundaries, shifted by its offset
    const shift = info.period.offsetMs ?? 0;
    // from the range's start to its end, and over every bucket the rows have (a dateceil bucket may
    // be past --end: left off the grid, it was not drawn)
    const from = Math.min(floorTime((info.fill.start ?? times[0]!) - shift, amount, unit) + shift, times[0]!);
    const to = Math.max(info.fill.end ?? -Infinity, times[times.length - 1]!);
    x = [];
    for (let t = from; t <= to; t = ceilTime(t - shift + 1, amount, unit) + shift) {
      if (x.length === MAX_BUCKETS) throw tooManyBuckets("--fill", info.period, from, to);
      x.push(t);
    }
  }
  const at = new Map(x.map((t, i) => [t, i]));
  // a series is its keys' values as stats keeps them apart (1 and "1", null and "∅" are two)
  const byKey = new Map<string, Series>();
  /** The buckets each series has a value in, to tell a second row for one. */
  const filled = new Map<Series, Set<number>>();
  let untimed = 0;
  /** Rows that landed on a bucket and series another row had (key columns not shown): added up. */
  let added = 0;
  for (const r of rows) {
    const t = toNumber(r[timeAt]);
    if (t === undefined) untimed++;
    if (t === undefined || !at.has(t)) continue;
    const typed = JSON.stringify(keyAt.map((i) => (r[i] === undefined ? null : r[i])));
    let collided = false;
    for (const i of numericAt) {
      const id = `${typed}\u0001${i}`;
      let s = byKey.get(id);
      if (!s) {
        const prefix = keyAt.map((k) => `${columns[k]!.name}=${keyText(r[k])}`).join(" ");
        const name = [prefix, numericAt.length > 1 || !prefix ? columns[i]!.name : ""].filter(Boolean).join(" ");
        byKey.set(id, (s = { name, values: x.map(() => (info.fill ? 0 : null)) }));
        filled.set(s, new Set());
      }
      const slot = at.get(t)!;
      const v = value(r[i]);
      const seen = filled.get(s)!;
      if (seen.has(slot)) {
        collided = true;
        const before = s.values[slot];
        s.values[slot] = before === null || before === undefined ? v : v === null ? before : before + v;
      } else {
        seen.add(slot);
        s.values[slot] = v;
      }
    }
    if (collided) added++;
  }
  const gaps = missingBuckets(x, info.period);
  const slots = slotsOf(x, info.period);
  return counted({ kind: "time", x, labels: x.map(isoTime), series: topSeries([...byKey.values()]), ...(gaps.length ? { gaps } : {}), ...(slots ? { slots } : {}), ...(untimed ? { untimed } : {}), ...(added ? { added } : {}) });
}

/**
 * A key's value in a bar's label, as the table shows it, but null as ∅ and a text that would read
 * as null or as nothing quoted (`"∅"`, `""`): an empty key is not the row of the whole (all).
 */
function barText(v: Value, type: ValueType): string {
  if (isNull(v)) return "∅";
  if (v === "" || v === "∅") return JSON.stringify(v);
  return renderText(v, type) ?? "∅";
}

/**
 * A key's value in a series name: text as it is, but quoted when it would read as another value
 * (a number, true/false, or ∅, which stands for null), so that 1 and "1" are two names.
 */
function keyText(v: Value): string {
  if (isNull(v)) return "∅";
  const t = toText(v) ?? "∅";
  if (typeof v === "string" && (t === "∅" || t === "true" || t === "false" || toNumber(t) !== undefined || t === "")) return JSON.stringify(t);
  return t;
}

/**
 * Each bucket's place on the grid of the bin period from the first bucket on (a stats offset
 * shifts the grid: the first bucket is on it), or undefined without a period.
 */
function slotsOf(x: number[], period: ChartInfo["period"]): ChartData["slots"] {
  if (!period || x.length === 0) return undefined;
  const { amount, unit } = period;
  const shift = x[0]! - floorTime(x[0]!, amount, unit);
  const at: number[] = [];
  let slot = 0;
  let t = x[0]!;
  for (const b of x) {
    while (t < b) {
      t = ceilTime(t - shift + 1, amount, unit) + shift;
      if (++slot >= MAX_BUCKETS) return undefined;
    }
    // an offset as long as a calendar period (bin(1mo) offset 30d) puts two buckets in one place:
    // then they stand by their times
    if (at.length > 0 && at[at.length - 1] === slot) return undefined;
    at.push(slot);
  }
  return { at, count: slot + 1 };
}

/**
 * The indexes i where a bucket is missing between x[i − 1] and x[i]: the next bucket after x[i − 1]
 * (by the bin period, calendar months included; without one, the smallest step between buckets)
 * comes before x[i].
 */
export function missingBuckets(x: number[], period: ChartInfo["period"]): number[] {
  const gaps: number[] = [];
  let step = Infinity;
  if (!period) for (let i = 1; i < x.length; i++) step = Math.min(step, x[i]! - x[i - 1]!);
  for (let i = 1; i < x.length; i++) {
    // on the grid of the buckets stats made: the period's boundaries shifted by its offset
    const shift = period?.offsetMs ?? 0;
    const next = period ? ceilTime(x[i - 1]! - shift + 1, period.amount, period.unit) + shift : x[i - 1]! + step;
    if (x[i]! > next) gaps.push(i);
  }
  return gaps;
}

/** More than MAX_SERIES series: the largest MAX_SERIES − 1 by total, and the rest summed as "other". */
export function topSeries(all: Series[]): Series[] {
  if (all.length <= MAX_SERIES) return all;
  const totals = new Map(all.map((s) => [s, s.values.reduce<number>((a, v) => a + (v ?? 0), 0)]));
  // totals can overflow to ±Infinity (and Infinity − Infinity is NaN): compare, don't subtract
  const larger = (a: number, b: number): number => (a > b ? -1 : a < b ? 1 : 0);
  const sorted = [...all].sort((a, b) => larger(totals.get(a)!, totals.get(b)!) || compareText(a.name, b.name));
  const keep = sorted.slice(0, MAX_SERIES - 1);
  const rest = sorted.slice(MAX_SERIES - 1);
  const other: Series = { name: `other (${rest.length})`, values: keep[0]!.values.map((_, i) => rest.reduce<number | null>((a, s) => (s.values[i] === null ? a : (a ?? 0) + s.values[i]!), null)) };
  return [...keep, other];
}

/** How the time axis writes its buckets: the date with the year always, then as much of the time as the buckets need. */
export type TimeFormat = "date" | "minute" | "second" | "ms";

/** The shortest format that tells the buckets' times apart: midnights are dates, whole minutes hh:mm... */
export function timeFormat(x: number[]): TimeFormat {
  const all = (unit: number): boolean => x.every((t) => t % unit === 0);
  return all(86_400_000) ? "date" : all(60_000) ? "minute" : all(1000) ? "second" : "ms";
}

/** An axis label for a time, in UTC: `2026-11-01`, `2026-11-01 06:00`, `…:05`, `…:05.250`. */
export function timeLabel(t: number, format: TimeFormat): string {
  const iso = isoTime(t);
  if (iso === "?") return iso;
  const end = { date: 10, minute: 16, second: 19, ms: 23 }[format];
  // years before 0 or past 9999 are written ±YYYYYY-: keep the whole date part
  const shift = iso.length - 24;
  return iso.slice(0, end + shift).replace("T", " ");
}

/** The smallest and largest of values (nulls skipped), with 0 always inside: the value axis's range. */
export function valueRange(values: Iterable<number | null>): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * Nice round ticks for a value axis from lo to hi (0 included): about `count` of them, the first
 * at or below lo, the last at or above hi. A next round tick past the largest number (values near
 * 1.8e308) is hi itself; a range that is not finite is taken as empty. Always finite, never more
 * than a few: nothing here loops or allocates by the size of the values.
 */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  lo = Number.isFinite(lo) ? Math.min(0, lo) : 0;
  hi = Number.isFinite(hi) ? Math.max(0, hi) : 0;
  if (!(hi > lo)) return [0, 1];
  // halves first: hi − lo can overflow when both are finite
  const raw = ((hi / 2 - lo / 2) / (count - 1)) * 2;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw && Number.isFinite(s)) ?? raw;
  // the round tick at or below lo; when that is past the largest number, lo itself, then round ticks
  const below = Math.floor(lo / step) * step;
  const ticks: number[] = Number.isFinite(below) ? [] : [lo];
  const first = lo === 0 ? 0 : Number.isFinite(below) ? below : Math.ceil(lo / step) * step;
  for (let i = 0; i <= count * 3; i++) {
    // in halves: i * step alone can overflow where the tick does not
    const v = Number(((first / 2 + i * (step / 2)) * 2).toPrecision(12));
    if (v === ticks[ticks.length - 1]) continue;
    if (!Number.isFinite(v)) {
      ticks.push(hi);
      break;
    }
    ticks.push(v);
    if (v >= hi) break;
  }
  return ticks;
}

/** Where v sits on an axis from lo to hi, 0 to 1: clamped, overflow-safe, 0 for NaN. */
export function axisShare(v: number, lo: number, hi: number): number {
  const f = (v / 2 - lo / 2) / (hi / 2 - lo / 2);
  return f > 0 ? Math.min(1, f) : 0;
}
