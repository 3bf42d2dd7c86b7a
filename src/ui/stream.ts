// POST /api/run: runs a query and streams its result as JSON lines, as the scan produces them:
//   {"t":"start","id":...,"columns":[{name,type}],"grouped":bool,"timeSeries":bool,"text":...}
//   {"t":"rows","rows":[[cell...]...]}      cells as the table writer shows them (null: absent)
//   {"t":"progress","events":n,"files":n}
//   {"t":"end","rows":n,"summary":"...","warnings":[...],"interrupted":bool}
// or {"t":"error", message, hint?, from?, to?} when the query (or the time range) is wrong.
// Closing the response (the page's Cancel aborts its fetch) or POST /api/cancel stops the scan.
import type { IncomingMessage, ServerResponse } from "node:http";
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { runPlan, scanReaderOptions } from "../exec/run.js";
import type { Plan } from "../plan/plan.js";
import type { Value } from "../exec/values.js";
import { renderText } from "../output/render.js";
import { summaryLine } from "../cli/summary.js";
import { historyFile } from "../cli/repl.js";
import { prepare, RunSpecSchema } from "./prepare.js";
import { readJson, userErrorBody } from "./http.js";
import { PacedReader } from "./paced.js";
import { CHART_ROWS, type Runs } from "./runs.js";
import type { Reader } from "../sources/index.js";

/** Rows sent in one line at most. */
const BATCH = 500;

export interface RunContext {
  inputs: string[];
  runs: Runs;
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
  const entry = ctx.runs.begin(spec);
  const signal = entry.controller.signal;
  res.on("error", () => {});
  // the page went away (or cancelled its fetch): stop reading
  res.on("close", () => {
    if (!res.writableFinished) entry.controller.abort();
  });
  res.writeHead(200, { "Content-Type": "application/x-ndjson; charset=utf-8" });
  const send = (o: unknown): void => {
    if (!res.destroyed) res.write(JSON.stringify(o) + "\n");
  };
  try {
    if (spec.query !== undefined && spec.template === undefined && spec.query.trim() !== "") remember(ctx.history ?? historyFile(), spec.query);
    let prepared;
    try {
      prepared = await prepare(spec, ctx.inputs, signal);
    } catch (e) {
      const body = userErrorBody(e);
      if (!body) throw e;
      send({ t: "error", ...body });
      return;
    }
    const { plan, range, notes } = prepared;
    const grouped = isGrouped(plan);
    send({ t: "start", id: entry.id, columns: plan.columns.map((c) => ({ name: c.name, type: c.type })), grouped, timeSeries: plan.timeSeries, text: prepared.text });
    const types = plan.columns.map((c) => c.type);
    let batch: (string | null)[][] = [];
    let total = 0;
    const chartRows: Value[][] | undefined = grouped ? [] : undefined;
    let chartOk = grouped;
    const flush = (): void => {
      if (batch.length) send({ t: "rows", rows: batch });
      batch = [];
    };
    const warnings: string[] = [];
    let told = 0;
    const select = { range };
    const open = (p: Plan): Reader => new PacedReader(ctx.inputs, { warn: (m) => warnings.push(m), signal, ...scanReaderOptions(p, select) }, res);
    const result = await runPlan(plan, open(plan), {
      row(values) {
        total++;
        batch.push(values.map((v, i) => renderText(v, types[i]!) ?? null));
        if (chartOk) {
          if (chartRows!.length < CHART_ROWS) chartRows!.push(values);
          else chartOk = false;
        }
        if (batch.length >= BATCH) flush();
      },
      end() {
        flush();
      },
    }, { signal, ...select, warn: (m) => warnings.push(m), reopen: open, onProgress: (r) => {
      flush();
      // the figures at most four times a second
      const now = performance.now();
      if (now - told < 250) return;
      told = now;
      send({ t: "progress", events: r.eventsRead, files: r.filesRead });
    } });
    if (chartOk && chartRows) entry.chart = { plan, rows: chartRows };
    const all = [...warnings.slice(0, 100), ...(warnings.length > 100 ? [`… and ${warnings.length - 100} more warnings`] : []), ...result.warnings];
    send({ t: "end", rows: total, summary: summaryLine(result, total, total, notes), warnings: all, interrupted: result.interrupted, events: result.read.eventsRead });
  } catch (e) {
    const body = userErrorBody(e);
    if (!body) {
      send({ t: "error", message: "internal error (a bug in trailq: the server's output has the details)" });
      process.stderr.write(`trailq ui: internal error\n${e instanceof Error ? e.stack : String(e)}\n`);
    } else send({ t: "error", ...body });
  } finally {
    entry.running = false;
    res.end();
  }
}
