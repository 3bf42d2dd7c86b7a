// Chart files, like the console's visualization tab: line, stacked area, bar and pie, as one
// self-contained SVG (or an HTML page around it with hover tooltips). No network resources, no
// random ids, no dates of making: the same result gives the same bytes. Every text from the data goes
// through xmlText (control characters shown escaped, markup characters as entities): the file is
// well-formed XML (and its page valid HTML) whatever the values; every coordinate is a finite number.
import { formatNumber } from "../../exec/values.js";
import { visible, xmlText } from "../safe.js";
import { axisShare, niceTicks, timeLabel, valueRange, type ChartData } from "./series.js";
import { notDrawnNote } from "./terminal.js";

export type ChartType = "line" | "area" | "bar" | "pie";

const W = 960;
const H = 520;
const M = { top: 56, right: 24, bottom: 110, left: 72 };
const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];

const esc = xmlText;
/** A label cut to n characters (after escaping, so that no escape or pair is split), as XML text. */
const label = (s: string, n: number): string => {
  const chars = [...visible(s)];
  return esc(chars.length > n ? chars.slice(0, n - 1).join("") + "…" : s);
};
/** A coordinate: two decimals; never NaN or Infinity (an SVG with one is broken). */
const r2 = (n: number): string => (Number.isFinite(n) ? String(Math.round(n * 100) / 100) : "0");

/** A data point's tooltip: the series, the x label and the value. */
function tip(series: string, x: string, v: number): string {
  return `${series} · ${x} · ${formatNumber(v)}`;
}

export function renderSvg(data: ChartData, opts: { type: ChartType; title: string }): string {
  const parts: string[] = [];
  const title = opts.title.replace(/\s+/g, " ").trim();
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="Helvetica, Arial, sans-serif" font-size="12" role="img" aria-label="${esc(title)}">`);
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  parts.push(`<text x="${W / 2}" y="24" text-anchor="middle" font-size="14" font-weight="bold">${label(title, 120)}</text>`);
  if (data.series.length === 0 || data.x.length === 0) {
    parts.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no numeric column or no rows to chart</text></svg>`);
    return parts.join("\n") + "\n";
  }
  if (opts.type === "pie") parts.push(...pie(data));
  else parts.push(...axes(data, opts.type));
  parts.push(...legend(data, opts.type));
  if (data.notDrawn) parts.push(`<text x="${W - M.right}" y="${M.top - 12}" text-anchor="end" fill="#666">${esc(notDrawnNote(data.notDrawn))}</text>`);
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

function xLabels(data: ChartData): string[] {
  if (data.kind === "category") return data.labels;
  const span = data.x[data.x.length - 1]! - data.x[0]!;
  return data.x.map((t) => timeLabel(t, span));
}

function axes(data: ChartData, type: ChartType): string[] {
  const out: string[] = [];
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const n = data.x.length;
  const stacked = type === "area";
  // a stack's sum can overflow: the axis then ends at the largest number, and the stack at the top
  const sums = data.x.map((_, i) => data.series.reduce((a, s) => a + (s.values[i] ?? 0), 0)).map((v) => Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, v)));
  const ticks = niceTicks(...valueRange(stacked ? sums : data.series.flatMap((s) => s.values)));
  const bottom = ticks[0]!;
  const top = ticks[ticks.length - 1]!;
  const y = (v: number): number => M.top + ph - axisShare(v, bottom, top) * ph;
  const band = pw / n;
  const t0 = data.x[0]!;
  const span = data.x[n - 1]! - t0;
  // bars sit in bands by index; lines and areas follow time, so missing buckets show as gaps in x
  const x = (i: number): number =>
    type === "bar" ? M.left + band * i + band / 2 : n === 1 || span === 0 ? M.left + pw / 2 : M.left + ((data.kind === "time" ? data.x[i]! - t0 : i * (span / (n - 1))) * pw) / span;
  for (const t of ticks) {
    out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${r2(y(t))}" y2="${r2(y(t))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${M.left - 8}" y="${r2(y(t) + 4)}" text-anchor="end">${esc(formatNumber(t))}</text>`);
  }
  out.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + ph}" stroke="#333"/>`);
  out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${M.top + ph}" y2="${M.top + ph}" stroke="#333"/>`);
  const labels = xLabels(data);
  const every = Math.max(1, Math.ceil(n / 12));
  labels.forEach((l, i) => {
    if (i % every !== 0 && i !== n - 1) return;
    out.push(`<text x="${r2(x(i))}" y="${M.top + ph + 14}" text-anchor="end" transform="rotate(-35 ${r2(x(i))} ${M.top + ph + 14})">${label(l, 28)}</text>`);
  });
  const base = data.x.map(() => 0);
  data.series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    if (type === "bar") {
      const w = Math.max(1, (band * 0.8) / data.series.length);
      s.values.forEach((v, i) => {
        if (v === null) return;
        const bx = M.left + band * i + band * 0.1 + w * k;
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
      const lower = s.values.map((v, i) => [x(i), y(base[i]! - (v ?? 0))] as const).reverse();
      const d = [...pts.map(([px, py]) => `${r2(px)},${r2(py)}`), ...lower.map(([px, py]) => `${r2(px)},${r2(py)}`)].join(" ");
      out.push(`<polygon points="${d}" fill="${color}" fill-opacity="0.55" stroke="${color}"/>`);
    } else {
      const d = pts.filter(([, , v]) => v !== null).map(([px, py]) => `${r2(px)},${r2(py)}`).join(" ");
      out.push(`<polyline points="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    }
    pts.forEach(([px, py, v], i) => {
      if (v === null) return;
      out.push(`<circle class="pt" cx="${r2(px)}" cy="${r2(py)}" r="3" fill="${color}"><title>${esc(tip(s.name, labels[i]!, v))}</title></circle>`);
    });
  });
  return out;
}

function pie(data: ChartData): string[] {
  const out: string[] = [];
  // A pie shows shares: of the series (time series), or of the categories (one series).
  const slices = data.kind === "time"
    ? data.series.map((s) => ({ name: s.name, v: s.values.reduce<number>((a, v) => a + (v ?? 0), 0), parts: s.values }))
    : data.labels.map((l, i) => ({ name: l, v: data.series[0]!.values[i] ?? 0, parts: [data.series[0]!.values[i] ?? null] }));
  // shares from the values scaled by the largest, so that sums past 1.8e308 still divide
  const [, largest] = valueRange(slices.flatMap((s) => s.parts));
  const scaled = slices.map((s) => Math.max(0, s.parts.reduce<number>((a, v) => a + (v === null ? 0 : v / (largest || 1)), 0)));
  const total = scaled.reduce((a, v) => a + v, 0) || 1;
  const cx = M.left + 220;
  const cy = M.top + 190;
  const rad = 170;
  let angle = -Math.PI / 2;
  slices.forEach((s, k) => {
    const frac = scaled[k]! / total;
    const a2 = angle + frac * 2 * Math.PI;
    const large = frac > 0.5 ? 1 : 0;
    const p1 = [cx + rad * Math.cos(angle), cy + rad * Math.sin(angle)];
    const p2 = [cx + rad * Math.cos(a2), cy + rad * Math.sin(a2)];
    const color = PALETTE[k % PALETTE.length]!;
    const shape = frac >= 0.9999
      ? `<circle class="pt" cx="${cx}" cy="${cy}" r="${rad}" fill="${color}">`
      : `<path class="pt" d="M${cx},${cy} L${r2(p1[0]!)},${r2(p1[1]!)} A${rad},${rad} 0 ${large} 1 ${r2(p2[0]!)},${r2(p2[1]!)} Z" fill="${color}" stroke="#fff">`;
    out.push(`${shape}<title>${esc(`${s.name} · ${formatNumber(s.v)} (${(frac * 100).toFixed(1)}%)`)}</title>${frac >= 0.9999 ? "</circle>" : "</path>"}`);
    angle = a2;
  });
  return out;
}

function legend(data: ChartData, type: ChartType): string[] {
  const names = type === "pie" && data.kind === "category" ? data.labels : data.series.map((s) => s.name);
  const out: string[] = [];
  const x0 = type === "pie" ? M.left + 440 : M.left;
  names.slice(0, 30).forEach((n, k) => {
    const x = type === "pie" ? x0 : x0 + (k % 3) * 290;
    const y = type === "pie" ? M.top + 20 + k * 18 : H - 28 + Math.floor(k / 3) * 16 - Math.floor((names.length - 1) / 3) * 16;
    out.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${PALETTE[k % PALETTE.length]}"/>`);
    out.push(`<text x="${x + 18}" y="${y}">${label(n, 40)}</text>`);
  });
  return out;
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
