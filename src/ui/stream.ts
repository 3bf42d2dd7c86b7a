// POST /api/run: runs a query and streams its result as JSON lines, as the scan produces them:
//   {"t":"start","id":...,"columns":[{name,type}],"grouped":bool,"timeSeries":bool,"text":...}
//   {"t":"rows","rows":[[cell...]...]}      cells as the table writer shows them (null: absent)
//   {"t":"progress","events":n,"files":n}
//   {"t":"counting"}                         the rows are all sent; the histogram's events are being counted
//   {"t":"histogram","from":ms,"width":ms,"counts":[n...],"total":n,"complete":bool}   (histogram.ts)
//   {"t":"end","rows":n,"summary":"...","warnings":[...],"interrupted":bool}
// or {"t":"error", message, hint?, from?, to?} when the query (or the time range) is wrong.
// Closing the response (the page's Cancel aborts its fetch) or POST /api/cancel stops the scan.
import type { IncomingMessage, ServerResponse } from "node:http";
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { runPlan, scanReaderOptions } from "../exec/run.js";
import type { Plan } from "../plan/plan.js";
import type { Value } from "../exec/values.js";
import type { TimeRange } from "../time/range.js";
import { renderText } from "../output/render.js";
import { summaryLine } from "../cli/summary.js";
import { historyFile } from "../cli/repl.js";
import { prepare, RunSpecSchema } from "./prepare.js";
import { readJson, userErrorBody } from "./http.js";
import { PacedReader } from "./paced.js";
import { CHART_ROWS, type Runs } from "./runs.js";
import { Reader } from "../sources/index.js";
import { progressLines, RowLines, shownWarnings, streamRun, type LineStream } from "./lines.js";
import { histogramWay, TimeCounts } from "./histogram.js";

export interface RunContext {
  inputs: string[];
  runs: Runs;
  /** Every copy of an event is kept (`trailq ui --keep-duplicates`). */
  keepDuplicates: boolean;
  /** Where the page's queries are remembered: the prompt's history file. */
  history?: string;
}

/** A query is remembered as the prompt remembers its lines: one JSON string a line. */
export function remember(file: string, text: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, JSON.stringify(text) + "\n");
  } catch {
    // history is a convenience: a read-only home must not stop a run
  }
}

export function isGrouped(plan: Plan): boolean {
  return plan.ops.some((o) => o.op === "stats");
}

export async function runRoute(req: IncomingMessage, res: ServerResponse, ctx: RunContext): Promise<void> {
  const spec = await readJson(req, RunSpecSchema);
  await streamRun(res, ctx.runs, spec, "query", async (s) => {
    if (spec.query !== undefined && spec.template === undefined && spec.query.trim() !== "") remember(ctx.history ?? historyFile(), spec.query);
    let prepared;
    try {
      prepared = await prepare(spec, ctx.inputs, s.signal, s.entry.now);
    } catch (e) {
      const body = userErrorBody(e);
      if (!body) throw e;
      s.send({ t: "error", ...body });
      return;
    }
    const { plan, range, notes } = prepared;
    const grouped = isGrouped(plan);
    s.send({ t: "start", id: s.entry.id, columns: plan.columns.map((c) => ({ name: c.name, type: c.type })), grouped, timeSeries: plan.timeSeries, text: prepared.text });
    const types = plan.columns.map((c) => c.type);
    const way = histogramWay(plan);
    const times = new TimeCounts();
    const timeAt = way?.from === "rows" ? way.column : -1;
    const sendHistogram = (complete: boolean): void => {
      const bars = times.bars();
      if (bars) s.send({ t: "histogram", ...bars, complete });
    };
    const rows = new RowLines(s.send);
    const chartRows: Value[][] | undefined = grouped ? [] : undefined;
    let chartOk = grouped;
    const warnings: string[] = [];
    const select = { range, keepDuplicates: ctx.keepDuplicates };
    const open = (p: Plan): Reader => new PacedReader(ctx.inputs, { warn: (m) => warnings.push(m), signal: s.signal, ...scanReaderOptions(p, select, ctx.inputs) }, s.res);
    const result = await runPlan(plan, open(plan), {
      row(values) {
        rows.push(values.map((v, i) => renderText(v, types[i]!) ?? null));
        if (timeAt >= 0) times.add(values[timeAt]);
        if (chartOk) {
          if (chartRows!.length < CHART_ROWS) chartRows!.push(values);
          else chartOk = false;
        }
      },
      end() {
        rows.flush();
      },
    }, { signal: s.signal, ...select, warn: (m) => warnings.push(m), reopen: open, onProgress: progressLines(s.send, rows, timeAt >= 0 ? () => sendHistogram(false) : undefined) });
    if (chartOk && chartRows) s.entry.chart = { plan, rows: chartRows };
    let interrupted = result.interrupted;
    if (way?.from === "scan" && !interrupted) {
      s.send({ t: "counting" });
      interrupted = await countMatching(way.plan, ctx, range, s, times);
    }
    if (way) sendHistogram(!interrupted);
    s.entry.interrupted = result.interrupted;
    const summary = summaryLine(result, rows.count, rows.count, notes) + (interrupted && !result.interrupted ? " · the histogram's count interrupted" : "");
    s.send({ t: "end", rows: rows.count, summary, warnings: shownWarnings(warnings, result.warnings), interrupted, events: result.read.eventsRead });
  });
}

/** Runs the histogram's own plan (stats count(*) by bin(1m)) into `times`; whether it was interrupted. Its warnings are the query's, said already. */
async function countMatching(plan: Plan, ctx: RunContext, range: TimeRange, s: LineStream, times: TimeCounts): Promise<boolean> {
  const { inputs } = ctx;
  const select = { range, keepDuplicates: ctx.keepDuplicates };
  const open = (p: Plan): Reader => new Reader(inputs, { warn: () => {}, signal: s.signal, ...scanReaderOptions(p, select, inputs) });
  const r = await runPlan(plan, open(plan), { row: (v) => times.add(v[0], Number(v[1])), end() {} }, { signal: s.signal, ...select, reopen: open });
  return r.interrupted;
}
