// `--format chart`: the result drawn in the terminal. A time series is a column chart (one series)
// or a point chart (several, one marker each), with a value axis, time labels and a legend; any
// other result is a horizontal bar chart of its first numeric column. Colour only when asked.
// Labels and series names come from the data: shown through visible(), so no escape reaches the terminal.
import { formatNumber } from "../../exec/values.js";
import { visible } from "../safe.js";
import { axisShare, niceTicks, timeLabel, valueRange, type ChartData } from "./series.js";

const MARKERS = ["●", "○", "■", "□", "▲", "△"];
const COLORS = [36, 33, 35, 32, 31, 34];
const HEIGHT = 15;

function paint(s: string, i: number, color: boolean): string {
  return color ? `\x1b[${COLORS[i % COLORS.length]}m${s}\x1b[0m` : s;
}

function cut(s: string, n: number): string {
  return [...s].length <= n ? s : [...s].slice(0, Math.max(1, n - 1)).join("") + "…";
}

export function renderTerminalChart(data: ChartData, width: number, color: boolean): string {
  if (data.series.length === 0 || data.x.length === 0) return "(nothing to chart: no numeric column or no rows)\n";
  const chart = data.kind === "time" ? timeChart(data, width, color) : barChart(data, width, color);
  return chart + (data.notDrawn ? `${notDrawnNote(data.notDrawn)}\n` : "");
}

/** What a chart says of the values it could not draw. */
export function notDrawnNote(n: number): string {
  return `${n} value${n === 1 ? "" : "s"} not drawn (not a finite number: a sum past 1.8e308 is Infinity)`;
}

/** Bars as long as each value's size (a negative one drawn ░); a value not drawn (null) has no bar and no number. */
function barChart(data: ChartData, width: number, color: boolean): string {
  const s = data.series[0]!;
  // at most 30 rows (series.ts): spreading them is safe
  const labels = data.labels.map(visible);
  const labelW = Math.min(32, Math.max(...labels.map((l) => [...l].length)));
  const [lo, hi] = valueRange(s.values);
  const size = Math.max(hi, -lo);
  const shown = s.values.map((v) => (v === null ? "" : formatNumber(v)));
  const valueW = Math.max(...shown.map((t) => t.length));
  const barW = Math.max(5, width - labelW - valueW - 4);
  const lines = [visible(s.name)];
  labels.forEach((l, i) => {
    const v = s.values[i] ?? 0;
    const n = size > 0 ? Math.round(axisShare(Math.abs(v), 0, size) * barW) : 0;
    const bar = (v < 0 ? "░" : "█").repeat(n) || (v !== 0 ? "▏" : "");
    lines.push(`${cut(l, labelW).padEnd(labelW)} │${paint(bar, 0, color)} ${shown[i]}`.trimEnd());
  });
  return lines.join("\n") + "\n";
}

function timeChart(data: ChartData, width: number, color: boolean): string {
  const ticks = niceTicks(...valueRange(data.series.flatMap((s) => s.values)));
  const bottom = ticks[0]!;
  const top = ticks[ticks.length - 1]!;
  const axisW = Math.max(...ticks.map((t) => formatNumber(t).length));
  const plotW = Math.max(10, width - axisW - 3);
  const n = data.x.length;
  // a bucket's column follows its time, so missing buckets leave a gap
  const t0 = data.x[0]!;
  const span = data.x[n - 1]! - t0;
  let step = Infinity;
  for (let j = 1; j < n; j++) step = Math.min(step, data.x[j]! - data.x[j - 1]!);
  step = n === 1 ? 1 : Math.max(1, step);
  const slots = n === 1 ? 1 : Math.round(span / step) + 1;
  const single = data.series.length === 1;
  // one series: a bar per bucket slot; several: points spread over the axis
  const col = (i: number): number =>
    single ? Math.floor((Math.round((data.x[i]! - t0) / step) * plotW) / slots) : n === 1 || span === 0 ? 0 : Math.round(((data.x[i]! - t0) * (plotW - 1)) / span);
  const row = (v: number): number => HEIGHT - 1 - Math.round(axisShare(v, bottom, top) * (HEIGHT - 1));
  const zero = row(0);
  const grid: string[][] = Array.from({ length: HEIGHT }, () => Array<string>(plotW).fill(" "));
  data.series.forEach((s, k) => {
    s.values.forEach((v, i) => {
      if (v === null) return;
      const c = col(i);
      const r = row(v);
      if (single) {
        // columns: one series reads best as bars, as wide as the buckets allow
        // as wide as one bucket's share of the axis (a gap between bars when there is room)
        const share = plotW / slots;
        const w = share >= 3 ? Math.floor(share) - 1 : Math.max(1, Math.ceil(share));
        // from the zero line up to the value (down, for a negative one)
        for (let x = c; x < Math.min(plotW, c + w); x++) for (let y = Math.min(r, zero); y <= Math.max(r, zero); y++) grid[y]![x] = paint("█", 0, color);
      } else grid[r]![c] = paint(MARKERS[k % MARKERS.length]!, k, color);
    });
  });
  const tickRows = new Map(ticks.map((t) => [row(t), t]));
  const lines = grid.map((cells, y) => {
    const t = tickRows.get(y);
    return `${(t === undefined ? "" : formatNumber(t)).padStart(axisW)} ┤${cells.join("")}`.trimEnd();
  });
  lines.push(`${" ".repeat(axisW)} └${"─".repeat(plotW)}`);
  const first = timeLabel(data.x[0]!, span);
  const last = timeLabel(data.x[n - 1]!, span);
  const mid = timeLabel(data.x[Math.floor((n - 1) / 2)]!, span);
  const axis = Array<string>(plotW).fill(" ");
  const place = (s: string, at: number): void => [...s].forEach((ch, i) => at + i < plotW && at + i >= 0 && (axis[at + i] = ch));
  place(first, 0);
  if (n > 2 && col(Math.floor((n - 1) / 2)) - mid.length / 2 > first.length + 2) place(mid, Math.round(col(Math.floor((n - 1) / 2)) - mid.length / 2));
  if (n > 1) place(last, Math.min(plotW - last.length, col(n - 1)));
  lines.push(`${" ".repeat(axisW + 2)}${axis.join("").trimEnd()}  (UTC)`);
  lines.push(data.series.map((s, k) => `${paint(single ? "█" : MARKERS[k % MARKERS.length]!, k, color)} ${visible(s.name)}`).join("   "));
  return lines.join("\n") + "\n";
}
