// Chart files, like the console's visualization tab: line, stacked area, bar and pie, as one
// self-contained SVG (or an HTML page around it with hover tooltips). No network resources, no
// random ids, no dates of making: the same result gives the same bytes. Every text from the data goes
// through xmlText (control characters shown escaped, markup characters as entities): the file is
// well-formed XML (and its page valid HTML) whatever the values; every coordinate is a finite number.
import { formatNumber } from "../../exec/values.js";
import { visible, xmlText } from "../safe.js";
import { axisShare, niceTicks, timeFormat, timeLabel, valueRange, type ChartData } from "./series.js";
import { chartNotes } from "./terminal.js";

export type ChartType = "line" | "area" | "bar" | "pie";

const W = 960;
/** The plot's height; the file's height follows from the labels and the legend below it. */
const PH = 354;
const TOP = 56;
/** The estimated width of a character at 12px (generous: Helvetica's digits are 6.7px, its capitals up to 11px). */
const CW = 7;
/**
 * Twelve colours that stay apart from each other (Tableau's category10 and two more): series take
 * them in order, and a pie has at most twelve slices (the eleven largest and "other").
 */
export const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#98df8a"];
/** The most slices a pie has: past that, the eleven largest and "other (N)". */
export const MAX_SLICES = PALETTE.length;
/** The angle of the category labels under bars. */
const SLANT = (35 * Math.PI) / 180;

const esc = xmlText;
/** A label cut to n characters (after escaping, so that no escape or pair is split), as XML text. */
const label = (s: string, n: number): string => esc(cutText(s, n));
/** A label's visible text cut to n characters with "…". */
const cutText = (s: string, n: number): string => {
  const chars = [...visible(s)];
  return chars.length > n ? chars.slice(0, Math.max(1, n - 1)).join("") + "…" : chars.join("");
};
/** Characters drawn about twice as wide: CJK, Hangul, full-width forms, and those past U+FFFF (emoji). */
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\ud800-\udbff][\udc00-\udfff]/;
/** The estimated width of a character, and of a text, at 12px. */
const charWidth = (c: string): number => (WIDE.test(c) ? 2 * CW : CW);
const width = (s: string): number => {
  let w = 0;
  for (const c of s) w += charWidth(c);
  return w;
};
/** A text's visible form cut with "…" to at most px wide (at 12px; `scale` for a larger font). */
const fit = (s: string, px: number, scale = 1): string => {
  const chars = [...visible(s)];
  if (width(chars.join("")) * scale <= px) return chars.join("");
  let w = CW * scale;
  let n = 0;
  while (n < chars.length && w + charWidth(chars[n]!) * scale <= px) w += charWidth(chars[n++]!) * scale;
  return chars.slice(0, Math.max(1, n)).join("") + "…";
};
/** A coordinate: two decimals; never NaN or Infinity (an SVG with one is broken). */
const r2 = (n: number): string => (Number.isFinite(n) ? String(Math.round(n * 100) / 100) : "0");

/** A data point's tooltip: the series, the x label and the value. */
function tip(series: string, x: string, v: number): string {
  return `${series} · ${x} · ${formatNumber(v)}`;
}

export function renderSvg(data: ChartData, opts: { type: ChartType; title: string }): string {
  const title = opts.title.replace(/\s+/g, " ").trim();
  // the title in bold 14px: about 9px a character
  const head = [`<text x="${W / 2}" y="24" text-anchor="middle" font-size="14" font-weight="bold">${esc(fit(title, W - 32, 9 / CW))}</text>`];
  let body: string[];
  let height: number;
  if (data.series.length === 0 || data.x.length === 0) {
    height = 520;
    body = [`<text x="${W / 2}" y="${height / 2}" text-anchor="middle">no numeric column or no rows to chart</text>`];
  } else {
    const notes = chartNotes(data, opts.type !== "pie");
    if (notes.length) head.push(`<text x="${W - 16}" y="${TOP - 12}" text-anchor="end" fill="#666">${esc(notes.join("; "))}</text>`);
    ({ body, height } = opts.type === "pie" ? pie(data) : axes(data, opts.type));
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" font-family="Helvetica, Arial, sans-serif" font-size="12" role="img" aria-label="${esc(title)}">`,
    `<rect width="${W}" height="${height}" fill="#ffffff"/>`,
    ...head,
    ...body,
    "</svg>",
  ].join("\n") + "\n";
}

/**
 * Which time labels the x axis shows, horizontal, none touching another: the buckets at round
 * multiples of the bucket step (every 1, 2, 3, 4, 6, 12, 24... steps, counted from the epoch, so
 * 00:00, 06:00, 12:00...), the fewest that still leaves room; then the first and the last bucket's
 * when they fit. Buckets that fall on no round multiple (bin(7m), months): every k-th.
 */
function timeLabelIndexes(x: number[], positions: number[], texts: string[]): number[] {
  const n = x.length;
  const half = (i: number): number => width(texts[i]!) / 2;
  const apart = (shown: number[]): boolean => shown.every((i, j) => j === 0 || positions[shown[j - 1]!]! + half(shown[j - 1]!) + 16 <= positions[i]! - half(i));
  const within = (i: number): boolean => positions[i]! - half(i) >= 4 && positions[i]! + half(i) <= W - 4;
  let step = Infinity;
  for (let i = 1; i < n; i++) step = Math.min(step, x[i]! - x[i - 1]!);
  let shown: number[] | undefined;
  if (n > 1 && Number.isFinite(step) && step > 0) {
    for (const k of [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024]) {
      const round = x.map((_, i) => i).filter((i) => x[i]! % (k * step) === 0 && within(i));
      if (round.length < 2) break;
      if (apart(round)) {
        shown = round;
        break;
      }
    }
  }
  if (!shown) {
    const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor((W - 140) / (Math.max(...texts.map(width)) + 24)))));
    shown = x.map((_, i) => i).filter((i) => i % every === 0 && within(i));
    while (!apart(shown)) shown = shown.filter((_, j) => j % 2 === 0);
  }
  // the first and the last bucket's, when they fit beside the others
  for (const end of n > 1 ? [0, n - 1] : [0]) {
    if (shown.includes(end) || !within(end)) continue;
    const more = [...shown, end].sort((a, b) => a - b);
    if (apart(more)) shown = more;
  }
  return shown;
}

/** Lines, stacked areas and bars: the value axis, the x axis and its labels, the legend under them. */
function axes(data: ChartData, type: ChartType): { body: string[]; height: number } {
  const out: string[] = [];
  const n = data.x.length;
  const stacked = type === "area";
  const time = data.kind === "time";
  // a stack's sum can overflow: the axis then ends at the largest number, and the stack at the top
  const sums = data.x.map((_, i) => data.series.reduce((a, s) => a + (s.values[i] ?? 0), 0)).map((v) => Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, v)));
  const ticks = niceTicks(...valueRange(stacked ? sums : data.series.flatMap((s) => s.values)));
  const bottom = ticks[0]!;
  const top = ticks[ticks.length - 1]!;
  const tickText = ticks.map((t) => formatNumber(t));
  const format = timeFormat(data.x);
  // the x labels: times (horizontal, the date with its year), or the categories' (slanted, cut to 28 characters, or as wide)
  const xText = time ? data.x.map((t) => timeLabel(t, format)) : data.labels.map((l) => fit(cutText(l, 28), 28 * CW));
  // slanted labels 16px apart at least, across their slant: every bar's when the bars are wide enough
  const every = Math.max(1, Math.ceil(16 / ((W - 140) / n) / Math.sin(SLANT)));
  const slanted = time ? [] : xText.map((_, i) => i).filter((i) => i % every === 0 || i === n - 1);
  // margins: room for the value labels on the left, and for the first slanted labels, which reach left
  // of their bar; on the right, for half of a centred time label
  const right = time ? Math.max(24, Math.ceil(Math.max(...xText.map(width)) / 2) + 8) : 24;
  let left = Math.max(72, Math.max(...tickText.map(width)) + 16);
  // the left margin grows for the first slanted labels up to 200 pixels; past that, they are cut shorter
  const reach = (i: number, l: number): number => (l + ((W - l - right) / n) * (i + 0.5) - 12) / Math.cos(SLANT);
  for (let pass = 0; pass < 3; pass++) {
    const band = (W - left - right) / n;
    left = Math.min(Math.max(left, 200), Math.max(left, ...slanted.map((i) => Math.ceil(width(xText[i]!) * Math.cos(SLANT) + 12 - band * (i + 0.5)))));
  }
  for (const i of slanted) if (width(xText[i]!) > reach(i, left)) xText[i] = fit(xText[i]!, reach(i, left));
  const pw = W - left - right;
  const axisY = TOP + PH;
  const y = (v: number): number => TOP + PH - axisShare(v, bottom, top) * PH;
  // bars sit in bands: a time series' by the bin period (a missing bucket leaves its band empty),
  // categories' by index; lines and areas follow time, so missing buckets show as gaps in x
  const slot = (i: number): number => (time ? (data.slots?.at[i] ?? i) : i);
  const band = pw / (time ? (data.slots?.count ?? n) : n);
  const t0 = data.x[0]!;
  const span = data.x[n - 1]! - t0;
  const x = (i: number): number =>
    type === "bar" ? left + band * slot(i) + band / 2 : n === 1 || span === 0 ? left + pw / 2 : left + ((time ? data.x[i]! - t0 : i * (span / (n - 1))) * pw) / span;
  ticks.forEach((t, k) => {
    out.push(`<line x1="${left}" x2="${left + pw}" y1="${r2(y(t))}" y2="${r2(y(t))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${left - 8}" y="${r2(y(t) + 4)}" text-anchor="end">${esc(tickText[k]!)}</text>`);
  });
  out.push(`<line x1="${left}" x2="${left}" y1="${TOP}" y2="${axisY}" stroke="#333"/>`);
  out.push(`<line x1="${left}" x2="${left + pw}" y1="${axisY}" y2="${axisY}" stroke="#333"/>`);
  let below: number;
  if (time) {
    const positions = data.x.map((_, i) => x(i));
    for (const i of timeLabelIndexes(data.x, positions, xText)) {
      out.push(`<line x1="${r2(positions[i]!)}" x2="${r2(positions[i]!)}" y1="${axisY}" y2="${axisY + 5}" stroke="#333"/>`);
      out.push(`<text class="xl" x="${r2(positions[i]!)}" y="${axisY + 19}" text-anchor="middle">${esc(xText[i]!)}</text>`);
    }
    out.push(`<text class="xt" x="${r2(left + pw / 2)}" y="${axisY + 40}" text-anchor="middle" fill="#555">time (UTC)</text>`);
    below = axisY + 40;
  } else {
    for (const i of slanted) {
      out.push(`<text class="xl" x="${r2(x(i))}" y="${axisY + 14}" text-anchor="end" transform="rotate(-35 ${r2(x(i))} ${axisY + 14})">${esc(xText[i]!)}</text>`);
    }
    // the lowest slanted label's bottom
    below = axisY + 14 + Math.max(0, ...slanted.map((i) => width(xText[i]!) * Math.sin(SLANT) + 10 * Math.cos(SLANT)));
  }
  const labels = data.labels;
  const base = data.x.map(() => 0);
  const gaps = new Set(data.gaps ?? []);
  data.series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    if (type === "bar") {
      const w = Math.max(1, (band * 0.8) / data.series.length);
      s.values.forEach((v, i) => {
        if (v === null) return;
        const bx = left + band * slot(i) + band * 0.1 + w * k;
        // from the zero line up (or down, for a negative value)
        const [y1, y2] = [y(v), y(0)].sort((a, b) => a - b) as [number, number];
        out.push(`<rect class="pt" x="${r2(bx)}" y="${r2(y1)}" width="${r2(w)}" height="${r2(y2 - y1)}" fill="${color}"><title>${esc(tip(s.name, labels[i]!, v))}</title></rect>`);
      });
      return;
    }
    const pts = s.values.map((v, i): [number, number, number | null] => {
      const lo = stacked ? base[i]! : 0;
      const hi = lo + (v ?? 0);
      if (stacked) base[i] = hi;
      return [x(i), y(hi), v];
    });
    if (stacked) {
      // one band per run of buckets with none missing between them
      const runs: number[][] = [[]];
      pts.forEach((_, i) => {
        if (gaps.has(i)) runs.push([]);
        runs[runs.length - 1]!.push(i);
      });
      for (const run of runs) {
        const upper = run.map((i) => `${r2(pts[i]![0])},${r2(pts[i]![1])}`);
        const lower = [...run].reverse().map((i) => `${r2(x(i))},${r2(y(base[i]! - (s.values[i] ?? 0)))}`);
        out.push(`<polygon class="area" points="${[...upper, ...lower].join(" ")}" fill="${color}" fill-opacity="0.55" stroke="${color}"/>`);
      }
    } else {
      // the line breaks where a bucket is missing (or this series has no value there): a new M
      let d = "";
      let pen = false;
      pts.forEach(([px, py, v], i) => {
        if (v === null || gaps.has(i)) pen = false;
        if (v === null) return;
        d += `${d ? " " : ""}${pen ? "L" : "M"}${r2(px)},${r2(py)}`;
        pen = true;
      });
      out.push(`<path class="line" d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    }
    pts.forEach(([px, py, v], i) => {
      if (v === null) return;
      out.push(`<circle class="pt" cx="${r2(px)}" cy="${r2(py)}" r="3" fill="${color}"><title>${esc(tip(s.name, labels[i]!, v))}</title></circle>`);
    });
  });
  const key = legend(data.series.map((s) => s.name), Math.ceil(below) + 24);
  return { body: [...out, ...key.body], height: key.bottom + 12 };
}

/**
 * The legend under the chart: a swatch and a name per series, side by side, wrapped onto the next
 * row at the width; a name longer than a row is cut with "…".
 */
function legend(names: string[], top: number): { body: string[]; bottom: number } {
  const out: string[] = [];
  const x0 = 16;
  const room = W - 2 * x0;
  let x = x0;
  let y = top;
  names.forEach((name, k) => {
    const text = fit(name, room - 18);
    const w = 18 + width(text);
    if (x > x0 && x + w > x0 + room) {
      x = x0;
      y += 18;
    }
    out.push(`<g class="legend"><rect x="${x}" y="${y - 10}" width="12" height="12" fill="${PALETTE[k % PALETTE.length]}"/><text x="${x + 18}" y="${y}">${esc(text)}</text></g>`);
    x += w + 24;
  });
  return { body: out, bottom: y + 4 };
}

function pie(data: ChartData): { body: string[]; height: number } {
  const out: string[] = [];
  // A pie shows shares: of the series (time series), or of the categories (one series).
  let slices = data.kind === "time"
    ? data.series.map((s) => ({ name: s.name, v: s.values.reduce<number>((a, v) => a + (v ?? 0), 0), parts: s.values }))
    : [...data.labels, ...(data.beyond?.labels ?? [])].map((l, i) => {
        // every row, the ones past a bar chart's too: the shares are of the whole
        const v = i < data.labels.length ? data.series[0]!.values[i] : data.beyond!.values[i - data.labels.length];
        return { name: l, v: v ?? 0, parts: [v ?? null] };
      });
  if (slices.length > MAX_SLICES) {
    // the eleven largest in their order, and the rest as one slice: every slice its own colour
    const larger = (a: number, b: number): number => (a > b ? -1 : a < b ? 1 : 0);
    const keep = new Set(slices.map((s, i) => [s.v, i] as const).sort((a, b) => larger(a[0], b[0]) || a[1] - b[1]).slice(0, MAX_SLICES - 1).map(([, i]) => i));
    const rest = slices.filter((_, i) => !keep.has(i));
    slices = [
      ...slices.filter((_, i) => keep.has(i)),
      { name: `other (${rest.length})`, v: rest.reduce((a, s) => a + s.v, 0), parts: rest.flatMap((s) => s.parts) },
    ];
  }
  // shares from the values scaled by the largest, so that sums past 1.8e308 still divide
  const [, largest] = valueRange(slices.flatMap((s) => s.parts));
  // a negative value has no share: it counts as 0 (chartNotes says so), and does not cancel the
  // positive values it is grouped with in other (N)
  const scaled = slices.map((s) => s.parts.reduce<number>((a, v) => a + (v === null || v < 0 ? 0 : v / (largest || 1)), 0));
  const total = scaled.reduce((a, v) => a + v, 0) || 1;
  const cx = 292;
  const cy = TOP + 190;
  const rad = 170;
  let angle = -Math.PI / 2;
  const shares: string[] = [];
  slices.forEach((s, k) => {
    const frac = scaled[k]! / total;
    const a2 = angle + frac * 2 * Math.PI;
    const large = frac > 0.5 ? 1 : 0;
    const p1 = [cx + rad * Math.cos(angle), cy + rad * Math.sin(angle)];
    const p2 = [cx + rad * Math.cos(a2), cy + rad * Math.sin(a2)];
    const color = PALETTE[k % PALETTE.length]!;
    const share = `${(frac * 100).toFixed(1)}%`;
    shares.push(share);
    const shape = frac >= 0.9999
      ? `<circle class="pt slice" cx="${cx}" cy="${cy}" r="${rad}" fill="${color}">`
      : `<path class="pt slice" d="M${cx},${cy} L${r2(p1[0]!)},${r2(p1[1]!)} A${rad},${rad} 0 ${large} 1 ${r2(p2[0]!)},${r2(p2[1]!)} Z" fill="${color}" stroke="#fff">`;
    out.push(`${shape}<title>${esc(`${s.name} · ${formatNumber(s.v)} (${share})`)}</title>${frac >= 0.9999 ? "</circle>" : "</path>"}`);
    angle = a2;
  });
  // the legend beside the pie, one slice a row, with its share; names cut to the width left
  const x0 = cx + rad + 50;
  slices.forEach((s, k) => {
    const y = TOP + 20 + k * 20;
    const room = W - 16 - x0 - 18 - width(` ${shares[k]}`);
    out.push(`<g class="legend"><rect x="${x0}" y="${y - 10}" width="12" height="12" fill="${PALETTE[k % PALETTE.length]}"/><text x="${x0 + 18}" y="${y}">${esc(fit(s.name, room))} ${shares[k]}</text></g>`);
  });
  return { body: out, height: Math.max(cy + rad + 24, TOP + 20 + slices.length * 20 + 12) };
}

/** One self-contained HTML page: the SVG, and a tooltip that follows the pointer over its points. */
export function renderHtml(data: ChartData, opts: { type: ChartType; title: string }): string {
  const svg = renderSvg(data, opts);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${label(opts.title.replace(/\s+/g, " ").trim(), 120)}</title>
<style>
body { margin: 16px; background: #fafafa; font-family: Helvetica, Arial, sans-serif; }
#tip { position: fixed; pointer-events: none; background: #222; color: #fff; padding: 4px 8px; border-radius: 4px; font-size: 12px; display: none; }
.pt:hover { opacity: 0.7; }
</style>
</head>
<body>
${svg}<div id="tip"></div>
<script>
(function () {
  var tip = document.getElementById("tip");
  document.querySelectorAll(".pt").forEach(function (el) {
    var t = el.querySelector("title");
    var text = t ? t.textContent : "";
    if (t) t.remove();
    el.addEventListener("mousemove", function (e) {
      tip.textContent = text;
      tip.style.display = "block";
      tip.style.left = e.clientX + 12 + "px";
      tip.style.top = e.clientY + 12 + "px";
    });
    el.addEventListener("mouseleave", function () { tip.style.display = "none"; });
  });
  document.body.setAttribute("data-points", String(document.querySelectorAll(".pt").length));
})();
</script>
</body>
</html>
`;
}
