// POST /api/detect {start?, end?, since?}: `trailq detect` over the console's inputs and time range
// (the bundled templates, and the Sigma rules of `trailq ui --rules`), its findings streamed as
// JSON lines as the scan finds them:
//   {"t":"start","id":...,"columns":[{name,type}],"shown":[i...],"levels":[...]}   every column of a
//       JSON finding (the table shows those of `shown`), and the levels lowest first
//   {"t":"rows","rows":[[cell...]...]}   {"t":"progress","events":n,"files":n}
//   {"t":"end","rows":n,"order":[i...],"summary":"...","report":{...},"lines":[...],"warnings":[...],"interrupted":bool}
// `report` has the figures of detect's summary (report.ts), `lines` its text as the CLI prints it,
// `summary` the first of them (the status line).
// Findings come in the order they are found; `end` gives the timeline's order (`order`: the rows'
// indexes, as `trailq detect` prints them: time, then the rule's title), which the page shows.
import type { IncomingMessage, ServerResponse } from "node:http";
import { prepareDetection, rulesRun } from "../detect/index.js";
import { timelineOrder, type TimelinePlace } from "../detect/engine.js";
import { JSON_COLUMNS, TABLE_COLUMNS, findingValues, summarize, summaryText } from "../detect/report.js";
import { LEVELS } from "../detect/rule.js";
import { renderText } from "../output/render.js";
import { notRunWarnings } from "../cli/detect.js";
import { readJson } from "./http.js";
import { rangeOf, RangeSpecSchema } from "./prepare.js";
import { progressLines, RowLines, shownWarnings, streamRun } from "./lines.js";
import type { Runs } from "./runs.js";

export interface DetectContext {
  inputs: string[];
  runs: Runs;
  /** Sigma rule files and folders (`trailq ui --rules`). */
  rules: string[];
  /** Every copy of an event is kept (`trailq ui --keep-duplicates`). */
  keepDuplicates: boolean;
}

export async function detectRoute(req: IncomingMessage, res: ServerResponse, ctx: DetectContext): Promise<void> {
  const spec = await readJson(req, RangeSpecSchema);
  await streamRun(res, ctx.runs, spec, "detect", async (s) => {
    const now = Date.now();
    const range = rangeOf(spec, now);
    // a template not run here is named with the command the console's editor runs, as at the prompt
    const prepared = prepareDetection({ rules: ctx.rules, bundled: true, now, runWith: ".run" });
    const run = rulesRun(prepared);
    const shown = TABLE_COLUMNS.map((c) => JSON_COLUMNS.findIndex((j) => j.name === c.name));
    s.send({ t: "start", id: s.entry.id, columns: JSON_COLUMNS.map((c) => ({ name: c.name, type: c.type })), shown, levels: LEVELS });
    const types = JSON_COLUMNS.map((c) => c.type);
    const rows = new RowLines(s.send);
    // each finding's place in the timeline, for the order the page shows (the events are not held)
    const places: TimelinePlace[] = [];
    const warnings: string[] = [];
    const ran = await prepared.detector.run(ctx.inputs, {
      range,
      keepDuplicates: ctx.keepDuplicates,
      warn: (m) => warnings.push(m),
      signal: s.signal,
      onProgress: progressLines(s.send, rows),
      onFinding(f) {
        rows.push(findingValues(f, true).map((v, i) => renderText(v, types[i]!) ?? null));
        places.push({ t: f.t, rule: f.rule, event: { place: f.event.place } });
      },
    });
    rows.flush();
    // a scan stopped while the reader waited (a pipe) ends without a batch after the cancel: the
    // engine then does not call it interrupted, but it was
    const result = { ...ran, interrupted: ran.interrupted || s.signal.aborted };
    const report = summarize(result, run);
    const lines = summaryText(report, run, result);
    const summary = lines[0]! + (result.interrupted ? " · interrupted" : "");
    const order = places.map((_, i) => i).sort((a, b) => timelineOrder(places[a]!, places[b]!) || a - b);
    s.send({ t: "end", rows: rows.count, order, summary, report, lines, warnings: shownWarnings(warnings, notRunWarnings(prepared.notRun)), interrupted: result.interrupted });
  });
}
