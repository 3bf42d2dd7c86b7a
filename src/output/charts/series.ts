// Result rows → chart series. A time series (stats ... by bin()) gives one series per combination
// of the other keys and per numeric item; any other result gives categories from its first numeric
// column. Shared by the terminal chart and the SVG/HTML files.
import type { OutputColumn } from "../../plan/plan.js";
import type { PeriodUnit } from "../../lang/ast.js";
import { isNull, toNumber, toText, type Value } from "../../exec/values.js";
import { ceilTime, floorTime } from "../../time/periods.js";

/** What the chart needs to know of the query beyond its columns. */
export interface ChartInfo {
  /** The query text: the chart's title. */
  title: string;
  /** The time-bucket column of a time series. */
  timeColumn?: string;
  /** The bucket period, to fill empty buckets. */
  period?: { amount: number; unit: PeriodUnit };
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
}

const MAX_SERIES = 6;

export function toChartData(columns: OutputColumn[], rows: Value[][], info: ChartInfo): ChartData {
  const timeAt = info.timeColumn ? columns.findIndex((c) => c.name === info.timeColumn) : -1;
  const keyAt = columns.map((c, i) => (info.keyColumns.includes(c.name) && i !== timeAt ? i : -1)).filter((i) => i >= 0);
  const numericAt = columns
    .map((_, i) => i)
    .filter((i) => i !== timeAt && !keyAt.includes(i) && rows.some((r) => typeof r[i] === "number" || typeof r[i] === "boolean"));
  if (timeAt < 0) {
    const v = numericAt[0];
    const labelsAt = columns.map((_, i) => i).filter((i) => i !== v);
    const top = rows.slice(0, 30);
    return {
      kind: "category",
      x: top.map((_, i) => i),
      labels: top.map((r) => labelsAt.map((i) => toText(r[i]) ?? "∅").join(" · ") || "(all)"),
      series: v === undefined ? [] : [{ name: columns[v]!.name, values: top.map((r) => toNumber(r[v]) ?? null) }],
    };
  }
  const times = [...new Set(rows.map((r) => toNumber(r[timeAt])).filter((t): t is number => t !== undefined))].sort((a, b) => a - b);
  let x = times;
  if (info.fill && info.period && times.length > 0) {
    const { amount, unit } = info.period;
    const from = floorTime(info.fill.start ?? times[0]!, amount, unit);
    const to = info.fill.end ?? times[times.length - 1]!;
    x = [];
    for (let t = from; t <= to && x.length < 100_000; t = ceilTime(t + 1, amount, unit)) x.push(t);
  }
  const at = new Map(x.map((t, i) => [t, i]));
  const byName = new Map<string, Series>();
  for (const r of rows) {
    const t = toNumber(r[timeAt]);
    if (t === undefined || !at.has(t)) continue;
    const prefix = keyAt.map((i) => `${columns[i]!.name}=${isNull(r[i]) ? "∅" : toText(r[i])}`).join(" ");
    for (const i of numericAt) {
      const name = [prefix, numericAt.length > 1 || !prefix ? columns[i]!.name : ""].filter(Boolean).join(" ");
      let s = byName.get(name);
      if (!s) byName.set(name, (s = { name, values: x.map(() => (info.fill ? 0 : null)) }));
      s.values[at.get(t)!] = toNumber(r[i]) ?? null;
    }
  }
  return { kind: "time", x, labels: x.map((t) => new Date(t).toISOString()), series: topSeries([...byName.values()]) };
}

/** More than MAX_SERIES series: the largest MAX_SERIES − 1 by total, and the rest summed as "other". */
export function topSeries(all: Series[]): Series[] {
  if (all.length <= MAX_SERIES) return all;
  const total = (s: Series): number => s.values.reduce<number>((a, v) => a + (v ?? 0), 0);
  const sorted = [...all].sort((a, b) => total(b) - total(a) || a.name.localeCompare(b.name));
  const keep = sorted.slice(0, MAX_SERIES - 1);
  const rest = sorted.slice(MAX_SERIES - 1);
  const other: Series = { name: `other (${rest.length})`, values: keep[0]!.values.map((_, i) => rest.reduce<number | null>((a, s) => (s.values[i] === null ? a : (a ?? 0) + s.values[i]!), null)) };
  return [...keep, other];
}

/** Axis labels for times: as short as the span allows. */
export function timeLabel(t: number, spanMs: number): string {
  const iso = new Date(t).toISOString();
  if (spanMs >= 90 * 86_400_000) return iso.slice(0, 10);
  if (spanMs >= 2 * 86_400_000) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return iso.slice(11, 16);
}

/** Nice round ticks for a value axis. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / (count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 0.001; v += step) ticks.push(Math.round(v * 1e9) / 1e9);
  if (ticks[ticks.length - 1]! < max) ticks.push(ticks[ticks.length - 1]! + step);
  return ticks;
}
