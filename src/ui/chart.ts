// GET /api/chart?run=ID&type=line|area|bar|pie: a grouped result drawn as an SVG image by the code
// behind --chart. The page shows it in an <img>, where an SVG runs nothing.
import type { ServerResponse } from "node:http";
import { chartInfo } from "../output/charts/index.js";
import { toChartData } from "../output/charts/series.js";
import { renderSvg, type ChartType } from "../output/charts/svg.js";
import { HttpError, userErrorBody, sendJson } from "./http.js";
import { IMAGE_CSP, securityHeaders } from "./security.js";
import type { Runs } from "./runs.js";

const CHART_TYPES = new Set<ChartType>(["line", "area", "bar", "pie"]);

export function chartRoute(url: URL, res: ServerResponse, runs: Runs): void {
  const type = (url.searchParams.get("type") ?? "line") as ChartType;
  if (!CHART_TYPES.has(type)) throw new HttpError(400, "type: line, area, bar or pie");
  const entry = runs.get(url.searchParams.get("run") ?? "");
  if (!entry?.chart) throw new HttpError(404, "no chart for this run: a stats result of at most 10,000 rows is drawn");
  const { plan, rows } = entry.chart;
  let svg: string;
  try {
    const info = chartInfo(plan);
    // a cancelled run's rows are partial: the chart says so in its title
    const title = entry.interrupted ? `${info.title} (interrupted: partial counts)` : info.title;
    svg = renderSvg(toChartData(plan.columns, rows, info), { type, title });
  } catch (e) {
    const body = userErrorBody(e);
    if (!body) throw e;
    return sendJson(res, 400, body);
  }
  securityHeaders(res, IMAGE_CSP);
  res.writeHead(200, { "Content-Type": "image/svg+xml; charset=utf-8", "Content-Length": Buffer.byteLength(svg) });
  res.end(svg);
}
