// The histogram above an event query's results: the rows' @timestamp counted in up to 60 buckets
// across their span, drawn as bars (elements sized through the CSSOM: no markup from data).
import { el, grouped } from "./dom.js";

/** "2026-11-03 18:58:31.000" (UTC, as the server writes times) → epoch ms. */
export function parseTime(s: string): number {
  return Date.parse(s.replace(" ", "T") + "Z");
}

export function drawHistogram(root: HTMLElement, times: number[]): void {
  const ts = times.filter((t) => Number.isFinite(t));
  if (ts.length === 0) {
    root.hidden = true;
    return;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of ts) {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  const n = 60;
  const width = Math.max(1, (hi - lo) / n);
  const counts = new Array<number>(n).fill(0);
  for (const t of ts) counts[Math.min(n - 1, Math.floor((t - lo) / width))]!++;
  const max = Math.max(...counts);
  const bars = counts.map((c, i) => {
    const from = new Date(lo + i * width).toISOString().replace("T", " ").slice(0, 19);
    const b = el("div", { class: "bar", title: `${from} UTC: ${grouped(c)}` });
    b.style.height = `${Math.round((c / max) * 100)}%`;
    return b;
  });
  const fmt = (t: number): string => new Date(t).toISOString().replace("T", " ").slice(0, 16) + " UTC";
  root.replaceChildren(
    el("div", { class: "bars" }, ...bars),
    el("div", { class: "axis" }, el("span", {}, fmt(lo)), el("span", {}, `${grouped(ts.length)} events`), el("span", {}, fmt(hi))),
  );
  root.hidden = false;
}
