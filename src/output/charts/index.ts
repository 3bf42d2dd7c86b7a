// Charts: the chart facts of a plan, the `--format chart` writer, and the chart file writer.
import { writeOutputFile } from "../files.js";
import type { Plan } from "../../plan/plan.js";
import type { Value } from "../../exec/values.js";
import type { ResultSink } from "../../exec/pipeline.js";
import type { WriterFactory } from "../writer.js";
import { toChartData, type ChartInfo } from "./series.js";
import { renderTerminalChart } from "./terminal.js";
import { renderHtml, renderSvg, type ChartType } from "./svg.js";

export type { ChartType } from "./svg.js";
export type { ChartInfo } from "./series.js";

/** What a chart needs from the plan: the time column and its period, the group keys, the title. */
export function chartInfo(plan: Plan, fill?: { start?: number; end?: number }): ChartInfo {
  const stats = [...plan.ops].reverse().find((o) => o.op === "stats");
  const info: ChartInfo = { title: plan.query.source, keyColumns: stats?.op === "stats" ? stats.keys.map((k) => k.name) : [] };
  if (plan.timeSeries && stats?.op === "stats" && stats.timeKey >= 0) {
    const key = stats.keys[stats.timeKey]!;
    info.timeColumn = key.name;
    if (key.expr.k === "call") {
      const p = key.expr.args.find((a) => a.k === "period");
      if (p?.k === "period") info.period = { amount: p.period.amount, unit: p.period.unit, ...(stats.offsetMs ? { offsetMs: stats.offsetMs } : {}) };
    }
  }
  if (fill) info.fill = fill;
  return info;
}

/** `--format chart`: draws the result in the terminal at the end. */
export const chartWriter: WriterFactory = (columns, out, opts) => {
  const rows: Value[][] = [];
  return {
    row(values) {
      rows.push(values);
    },
    end() {
      const info = opts.chart ?? { title: "", keyColumns: [] };
      out.write(renderTerminalChart(toChartData(columns, rows, info), opts.width ?? 80, opts.color ?? false));
      out.flush();
    },
  };
};

/** `--chart FILE.svg|.html`: collects the rows and writes the chart file at the end. */
export function chartFileSink(plan: Plan, file: string, type: ChartType, info: ChartInfo): ResultSink {
  const rows: Value[][] = [];
  return {
    row(values) {
      rows.push(values);
    },
    end() {
      const data = toChartData(plan.columns, rows, info);
      const text = file.toLowerCase().endsWith(".html") ? renderHtml(data, { type, title: info.title }) : renderSvg(data, { type, title: info.title });
      writeOutputFile(file, text, "the chart file");
    },
  };
}
