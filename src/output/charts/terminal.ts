// `--format chart`: the result drawn in the terminal. A time series is a column chart (one series)
// or a point chart (several, one marker each), with a value axis, time labels and a legend; any
// other result is a horizontal bar chart of its first numeric column. Colour only when asked.
// Labels and series names come from the data: shown through visible(), so no escape reaches the terminal.
import { formatNumber } from "../../exec/values.js";
import { visible } from "../safe.js";
import { cutToWidth, displayWidth, padToWidth } from "../width.js";
import { MAX_BARS, axisShare, niceTicks, timeFormat, timeLabel, valueRange, type ChartData } from "./series.js";

const MARKERS = ["●", "○", "■", "□", "▲", "△"];
const COLORS = [36, 33, 35, 32, 31, 34];
const HEIGHT = 15;

function paint(s: string, i: number, color: boolean): string {
  return color ? `\x1b[${COLORS[i % COLORS.length]}m${s}\x1b[0m` : s;
}

// widths in terminal columns, as the table measures them (wide and zero-width characters)
const cut = cutToWidth;
const len = (s: string): number => displayWidth(s);

/**
 * A legend within the width: entries (marker, space, name) side by side, three spaces apart, wrapped
 * onto the next line when the next would pass the width; a name longer than a line is cut with "…".
 */
export function legendLines(entries: { mark: string; name: string }[], width: number, color: boolean): string[] {
  const lines: string[] = [];
  let line = "";
  let used = 0;
  entries.forEach(({ mark, name }, k) => {
    const text = cut(visible(name), Math.max(1, width - 2));
    const w = 2 + len(text);
    if (used > 0 && used + 3 + w > width) {
      lines.push(line);
      line = "";
      used = 0;
    }
    line += `${used > 0 ? "   " : ""}${paint(mark, k, color)} ${text}`;
    used += (used > 0 ? 3 : 0) + w;
  });
  if (used > 0) lines.push(line);
  return lines;
}

export function renderTerminalChart(data: ChartData, width: number, color: boolean): string {
  if (data.series.length === 0 || data.x.length === 0) return "(nothing to chart: no numeric column or no rows)\n";
  const chart = data.kind === "time" ? timeChart(data, width, color) : barChart(data, width, color);
  return chart + chartNotes(data, true).flatMap((n) => wrap(n, width)).map((l) => `${l}\n`).join("");
}

/** What a chart says of what it did not draw: rows past a bar chart's (`bars`), rows without a time, values not finite, rows added up. */
export function chartNotes(data: ChartData, bars: boolean): string[] {
  const n = data.untimed ?? 0;
  // a pie (not bars): its shares leave negative values out
  const values = data.kind === "time" ? data.series.flatMap((s) => s.values) : [...(data.series[0]?.values ?? []), ...(data.beyond?.values ?? [])];
  const negative = bars ? 0 : values.filter((v) => v !== null && v < 0).length;
  return [
    ...(negative ? [`${negative} negative value${negative === 1 ? "" : "s"} left out of the pie's shares (a share of a whole is never below 0)`] : []),
    ...(data.beyond && bars ? [beyondNote(data.beyond.labels.length)] : []),
    ...(n ? [`${n} row${n === 1 ? "" : "s"} without a time not drawn (events without an eventTime have no bucket)`] : []),
    ...(data.notDrawn ? [notDrawnNote(data.notDrawn)] : []),
    ...(data.added ? [`${data.added} row${data.added === 1 ? "" : "s"} added into a bucket another row of the same series had: the columns that tell them apart are not shown (display or fields left a by key out)`] : []),
  ];
}

/** What a bar chart says of the rows past the ones it draws. */
export function beyondNote(n: number): string {
  return `${n} more row${n === 1 ? "" : "s"} not drawn: a bar chart shows the first ${MAX_BARS} (sort and limit choose them; a pie counts every row)`;
}

/** A sentence in lines of at most width characters, broken at spaces (a longer word on its own line, cut). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && len(line) + 1 + len(word) > width) {
      lines.push(line);
      line = "";
    }
    line = line ? `${line} ${word}` : cut(word, width);
  }
  if (line) lines.push(line);
  return lines;
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
  const [lo, hi] = valueRange(s.values);
  const size = Math.max(hi, -lo);
  const shown = s.values.map((v) => (v === null ? "" : formatNumber(v)));
  const valueW = Math.max(...shown.map((t) => t.length));
  // the label column gives way to a bar of at least 5 (and the value) within the width
  const labelW = Math.max(1, Math.min(32, Math.max(...labels.map(len)), width - valueW - 9));
  const barW = Math.max(5, width - labelW - valueW - 4);
  const lines = [cut(visible(s.name), width)];
  labels.forEach((l, i) => {
    const v = s.values[i] ?? 0;
    const n = size > 0 ? Math.round(axisShare(Math.abs(v), 0, size) * barW) : 0;
    const bar = (v < 0 ? "░" : "█").repeat(n) || (v !== 0 ? "▏" : "");
    lines.push(`${padToWidth(cut(l, labelW), labelW)} │${paint(bar, 0, color)} ${shown[i]}`.trimEnd());
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
  // the buckets' places: by the bin period (a missing bucket keeps its place), else by the
  // smallest step between buckets
  let step = Infinity;
  for (let j = 1; j < n; j++) step = Math.min(step, data.x[j]! - data.x[j - 1]!);
  step = n === 1 ? 1 : Math.max(1, step);
  const place = (i: number): number => data.slots?.at[i] ?? Math.round((data.x[i]! - t0) / step);
  const slots = data.slots?.count ?? (n === 1 ? 1 : Math.round(span / step) + 1);
  const single = data.series.length === 1;
  // one series: a bar per bucket slot; several: points spread over the axis
  const col = (i: number): number => (single ? Math.floor((place(i) * plotW) / slots) : n === 1 || span === 0 ? 0 : Math.round(((data.x[i]! - t0) * (plotW - 1)) / span));
  const row = (v: number): number => HEIGHT - 1 - Math.round(axisShare(v, bottom, top) * (HEIGHT - 1));
  const zero = row(0);
  const grid: string[][] = Array.from({ length: HEIGHT }, () => Array<string>(plotW).fill(" "));
  /** Cells a point was drawn in (several series), and buckets drawn in a column another bucket had (one). */
  const drawn = new Set<number>();
  const columnsUsed = new Set<number>();
  let hidden = 0;
  let shared = 0;
  data.series.forEach((s, k) => {
    s.values.forEach((v, i) => {
      if (v === null) return;
      const c = col(i);
      const r = row(v);
      if (single) {
        if (columnsUsed.has(c)) shared++;
        columnsUsed.add(c);
      } else {
        if (drawn.has(r * plotW + c)) hidden++;
        drawn.add(r * plotW + c);
      }
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
  lines.push(`${" ".repeat(axisW + 2)}${timeAxis(data, plotW, col)}`);
  lines.push(...legendLines(data.series.map((s, k) => ({ mark: single ? "█" : MARKERS[k % MARKERS.length]!, name: s.name })), width, color));
  // what the grid's cells could not show, said (the table, or an SVG chart, shows every value)
  if (shared > 0) lines.push(...wrap(`${shared} bucket${shared === 1 ? "" : "s"} drawn in a column another bucket has: a column shows its largest (a wider terminal, a larger bin() period or --chart FILE.svg shows them)`, width));
  if (hidden > 0) lines.push(...wrap(`${hidden} point${hidden === 1 ? "" : "s"} hidden under another series' in the same cell (--chart FILE.svg shows them)`, width));
  return lines.join("\n") + "\n";
}

/**
 * The time labels under the plot, within its width: the first bucket's, with "UTC" after it, then
 * as many more as fit two spaces apart (the last bucket's first, then the middle ones), each
 * starting at its bucket's column (or ending at the axis's end). The date always has its year.
 */
function timeAxis(data: ChartData, plotW: number, col: (i: number) => number): string {
  const n = data.x.length;
  const format = timeFormat(data.x);
  const axis = Array<string>(plotW).fill(" ");
  const taken: [number, number][] = [];
  // where a label goes (starting at `at`, or ending at the axis's end), or undefined when it would touch another
  const spot = (s: string, at: number, also: [number, number][] = []): [number, number] | undefined => {
    const w = len(s);
    const from = Math.max(0, Math.min(at, plotW - w));
    if (from + w > plotW || [...taken, ...also].some(([a, b]) => from < b + 2 && a < from + w + 2)) return undefined;
    return [from, from + w];
  };
  const put = (s: string, where: [number, number]): void => {
    [...s].forEach((ch, i) => (axis[where[0] + i] = ch));
    taken.push(where);
  };
  const first = `${timeLabel(data.x[0]!, format)} UTC`;
  put(cut(first, plotW), [0, Math.min(len(first), plotW)]);
  if (n > 1) {
    const last = timeLabel(data.x[n - 1]!, format);
    const where = spot(last, col(n - 1));
    if (where) put(last, where);
  }
  // the middle ones, evenly: the half, then the quarters, the eighths..., a level only when all of it fits
  for (let parts = 2; parts <= 32 && parts < n; parts *= 2) {
    const level: [string, [number, number]][] = [];
    for (let j = 1; j < parts; j += 2) {
      const i = Math.round(((n - 1) * j) / parts);
      const text = timeLabel(data.x[i]!, format);
      const where = spot(text, col(i), level.map(([, w]) => w));
      if (!where) break;
      level.push([text, where]);
    }
    if (level.length < parts / 2) break;
    for (const [text, where] of level) put(text, where);
  }
  return axis.join("").trimEnd();
}
