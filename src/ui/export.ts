// GET /api/export?run=ID&format=csv|json: the results of a run, as a file to save. The query runs
// again through the output writers the CLI uses (CSV cells a spreadsheet would run as formulas get
// their leading '), streamed: the server holds no result rows for it.
import type { ServerResponse } from "node:http";
import { runPlan, scanReaderOptions } from "../exec/run.js";
import { FORMATS, bufferedOut } from "../output/index.js";
import type { Plan } from "../plan/plan.js";
import { prepare } from "./prepare.js";
import { HttpError, userErrorBody, sendJson } from "./http.js";
import { PacedReader } from "./paced.js";
import type { RunContext } from "./stream.js";

const TYPES: Record<string, string> = { csv: "text/csv; charset=utf-8", json: "application/json; charset=utf-8", jsonl: "application/x-ndjson; charset=utf-8" };

export async function exportRoute(url: URL, res: ServerResponse, ctx: RunContext): Promise<void> {
  const format = url.searchParams.get("format") ?? "csv";
  if (!TYPES[format]) throw new HttpError(400, "format: csv, json or jsonl");
  const entry = ctx.runs.get(url.searchParams.get("run") ?? "");
  if (entry?.kind !== "query") throw new HttpError(404, "no such query run (run the query again)");
  // the file holds the rows shown (ui.md): after a cancel those are partial, and exporting would
  // run the whole query and write other rows
  if (entry.interrupted) throw new HttpError(409, "the run was interrupted: its rows are partial; run the query again to export its results");
  const stop = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) stop.abort();
  });
  res.on("error", () => {});
  let prepared;
  try {
    // as the run was: a relative range is the one its rows came from, not one measured again now
    prepared = await prepare(entry.spec, ctx.inputs, stop.signal, entry.now);
  } catch (e) {
    const body = userErrorBody(e);
    if (!body) throw e;
    return sendJson(res, 400, body);
  }
  const { plan, range } = prepared;
  res.writeHead(200, { "Content-Type": TYPES[format]!, "Content-Disposition": `attachment; filename="trailq-results.${format}"` });
  const writer = FORMATS[format]!(plan.columns, bufferedOut((s) => {
    if (!res.destroyed) res.write(s);
  }), {});
  const select = { range, keepDuplicates: ctx.keepDuplicates };
  const open = (p: Plan): PacedReader => new PacedReader(ctx.inputs, { warn: () => {}, signal: stop.signal, ...scanReaderOptions(p, select, ctx.inputs) }, res);
  try {
    await runPlan(plan, open(plan), writer, { signal: stop.signal, ...select, reopen: open });
  } finally {
    res.end();
  }
}
