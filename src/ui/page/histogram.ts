// The histogram above an event query's results: the events the query matched, as the server counts
// them (src/ui/histogram.ts), drawn as bars (elements sized through the CSSOM: no markup from data).
import { el, grouped } from "./dom.js";
import { zoned, zoneLabel } from "./zone.js";

export interface Bars {
  from: number;
  width: number;
  counts: number[];
  /** Events matched, those without a time (`untimed`, on no bar) among them. */
  total: number;
  untimed: number;
  /** false: the run was cancelled before every event was counted. */
  complete: boolean;
}

/** A bar's width as a period: 5m, 3h, 7d. */
function period(ms: number): string {
  const m = ms / 60_000;
  return m % 1440 === 0 ? `${m / 1440}d` : m % 60 === 0 ? `${m / 60}h` : `${m}m`;
}

export function drawHistogram(root: HTMLElement, h: Bars): void {
  const max = Math.max(1, ...h.counts);
  const bars = h.counts.map((c, i) => {
    const b = el("div", { class: "bar", title: `${zoned(h.from + i * h.width, 16)} ${zoneLabel()}: ${grouped(c)}` });
    b.style.height = `${Math.round((c / max) * 100)}%`;
    return b;
  });
  const end = h.from + h.counts.length * h.width;
  const untimed = h.untimed > 0 ? ` (${grouped(h.untimed)} without a time, on no bar)` : "";
  const total = `${grouped(h.total)} events matched${untimed}${h.complete ? "" : " (counting stopped)"} · ${period(h.width)} a bar`;
  root.replaceChildren(
    el("div", { class: "bars" }, ...bars),
    el("div", { class: "axis" }, el("span", {}, `${zoned(h.from, 16)} ${zoneLabel()}`), el("span", { class: "total" }, total), el("span", {}, `${zoned(end, 16)} ${zoneLabel()}`)),
  );
  root.dataset["total"] = String(h.total);
  root.hidden = false;
}
