// The console page: the editor, the time range, Run/Cancel, the streamed table with its histogram,
// the row details, the Visualization and Detect tabs, export links, and the side panel.
import type { EditorView } from "@codemirror/view";
import { getJson, postJson, postLines, withToken, type CheckError, type Meta, type TemplateInfo } from "./api.js";
import { byId, el, grouped } from "./dom.js";
import { visible } from "../../output/safe.js";
import { createEditor, setText } from "./editor.js";
import { ResultsTable } from "./table.js";
import { renderDetail, rowEvent } from "./detail.js";
import { drawHistogram, type Bars } from "./histogram.js";
import { historyPanel, saveQuery, templatesPanel } from "./panels.js";
import { DetectView, type DetectLine } from "./detect.js";
import { setZone } from "./zone.js";

interface Column {
  name: string;
  type: string;
}

/** The lines every run gives (src/ui/lines.ts). */
type RunLine =
  | { t: "start"; id: string }
  | { t: "progress"; events: number; files: number }
  | { t: "end"; summary: string; interrupted: boolean; warnings: string[] }
  | ({ t: "error" } & CheckError);

/** A query's lines besides (src/ui/stream.ts). */
type QueryLine =
  | { t: "start"; id: string; columns: Column[]; grouped: boolean; timeSeries: boolean; text: string }
  | { t: "rows"; rows: (string | null)[][] }
  | { t: "counting" }
  | ({ t: "histogram" } & Bars)
  | { t: "end"; interrupted?: boolean };

const status = byId("status");
const warnings = byId("warnings");
const runButton = byId<HTMLButtonElement>("run");
const detectButton = byId<HTMLButtonElement>("detect-run");
const cancelButton = byId<HTMLButtonElement>("cancel");
const detail = byId("detail");
const histogram = byId("histogram");
const chart = byId<HTMLImageElement>("chart");
const chartNote = byId("chart-note");
const chartType = byId<HTMLSelectElement>("chart-type");
const range = byId<HTMLSelectElement>("range");
const checkLine = byId("check");

let editor: EditorView;
let running: { controller: AbortController; id?: string } | undefined;
let current: { id: string; grouped: boolean; columns: Column[] } | undefined;
/** The template last run from the side panel: while the editor shows its query, Run runs it again. */
let template: { t: TemplateInfo; params: Record<string, string> } | undefined;

const closeDetail = (): void => {
  detail.hidden = true;
};

const table = new ResultsTable(byId("results"), (row) => {
  const { event, whole } = rowEvent(table.columns, row);
  renderDetail(detail, { title: whole ? "The event" : "The row", event }, addFilter, closeDetail);
});

/** Opened findings: the finding at once, then the event it found when the server has read it. */
let opened = 0;
const detect = new DetectView({ table: byId("findings"), summary: byId("detect-summary"), level: byId<HTMLSelectElement>("detect-level") }, (later, first) => {
  const me = ++opened;
  renderDetail(detail, first, addFilter, closeDetail);
  later.then(
    (shown) => me === opened && renderDetail(detail, shown, addFilter, closeDetail),
    (e: unknown) => me === opened && renderDetail(detail, { ...first, notes: [...(first.notes ?? []), `the event could not be read: ${(e as Error).message}`] }, addFilter, closeDetail),
  );
});

function addFilter(text: string): void {
  const doc = editor.state.doc.toString().replace(/\s+$/, "");
  setText(editor, doc ? `${doc}\n${text}` : text.replace(/^\|\s*/, ""));
  editor.focus();
}

function timeRange(): Record<string, string> {
  const v = range.value;
  if (v === "") return {};
  if (v !== "custom") return { since: v };
  const start = byId<HTMLInputElement>("start").value;
  const end = byId<HTMLInputElement>("end").value;
  return { ...(start ? { start } : {}), ...(end ? { end } : {}) };
}

function setRunning(on: boolean): void {
  runButton.disabled = on;
  detectButton.disabled = on;
  cancelButton.disabled = !on;
  document.body.classList.toggle("running", on);
}

function setExports(id: string | undefined): void {
  for (const f of ["csv", "json"]) {
    const a = byId<HTMLAnchorElement>(`export-${f}`);
    if (id) {
      a.href = withToken("/api/export", { run: id, format: f });
      a.classList.remove("disabled");
    } else {
      a.removeAttribute("href");
      a.classList.add("disabled");
    }
  }
}

function showChart(): void {
  if (!current) {
    chartNote.textContent = "Run a query first.";
    chart.hidden = true;
    return;
  }
  if (!current.grouped) {
    chartNote.textContent = "A chart draws a stats result: for example stats count(*) by bin(1h), or stats count(*) by eventSource.";
    chart.hidden = true;
    return;
  }
  chartNote.textContent = "";
  chart.src = withToken("/api/chart", { run: current.id, type: chartType.value, n: String(Date.now()) });
  chart.hidden = false;
}

function showView(view: string): void {
  for (const t of document.querySelectorAll<HTMLElement>("[data-view]")) t.classList.toggle("active", t.dataset["view"] === view);
  for (const v of ["logs", "chart", "detect"]) byId(`${v}-view`).hidden = v !== view;
  if (view === "chart") showChart();
}

/**
 * A run (a query or a detection) streamed from the server: what every run shows (the status line
 * with progress, the summary, warnings, errors, Cancel) here; its own lines go to `line`, and
 * `rows()` says how many rows it has so far.
 */
async function stream(path: string, body: Record<string, unknown>, what: string, rows: () => number, line: (o: unknown) => void): Promise<void> {
  if (running) return;
  const controller = new AbortController();
  running = { controller };
  setRunning(true);
  closeDetail();
  warnings.replaceChildren();
  status.textContent = "running…";
  status.className = "status";
  try {
    await postLines(path, { ...body, ...timeRange() }, controller.signal, (o) => {
      const l = o as RunLine;
      switch (l.t) {
        case "start":
          running!.id = l.id;
          break;
        case "progress":
          status.textContent = `running… ${grouped(l.events)} events read in ${grouped(l.files)} files · ${grouped(rows())} ${what}`;
          break;
        case "end":
          status.textContent = visible(l.summary);
          status.className = l.interrupted ? "status cancelled" : "status done";
          for (const w of l.warnings) warnings.append(el("li", {}, visible(w)));
          break;
        case "error":
          status.textContent = visible(`error: ${l.message}${l.hint ? ` (hint: ${l.hint})` : ""}`);
          status.className = "status error";
          break;
      }
      line(o);
    });
  } catch (e) {
    if ((e as Error).name === "AbortError") {
      status.textContent = `cancelled · ${grouped(rows())} ${what}`;
      status.className = "status cancelled";
    } else {
      status.textContent = `error: ${(e as Error).message}`;
      status.className = "status error";
    }
  } finally {
    running = undefined;
    setRunning(false);
  }
}

async function run(body: Record<string, unknown>): Promise<void> {
  if (running) return;
  // a query's results are not the Detect tab's
  if (!byId("detect-view").hidden) showView("logs");
  setExports(undefined);
  await stream("/api/run", body, "rows", () => table.size, (o) => {
    const line = o as QueryLine;
    switch (line.t) {
      case "start":
        current = { id: line.id, grouped: line.grouped, columns: line.columns };
        table.reset(line.columns.map((c) => c.name));
        histogram.hidden = true;
        break;
      case "rows":
        table.append(line.rows);
        break;
      case "counting":
        status.textContent = `${grouped(table.size)} rows · counting the events the query matched, for the histogram…`;
        break;
      case "histogram":
        drawHistogram(histogram, line);
        break;
      case "end":
        table.resort();
        // a cancelled run's rows are partial: its export would run the whole query (the server refuses it)
        setExports(line.interrupted ? undefined : current?.id);
        if (!byId("chart-view").hidden) showChart();
        break;
    }
  });
  void historyPanel(byId("history"), (q) => setText(editor, q));
}

function runDetect(): void {
  if (running) return;
  showView("detect");
  void stream("/api/detect", {}, "findings", () => detect.table.size, (o) => detect.line(o as DetectLine));
}

function runEditor(): void {
  const text = editor.state.doc.toString();
  if (template && text === template.t.query) void run({ template: template.t.id, params: template.params });
  else void run({ query: text });
}

function runTemplate(t: TemplateInfo, params: Record<string, string>): void {
  template = { t, params };
  setText(editor, t.query);
  void run({ template: t.id, params });
}

async function start(): Promise<void> {
  const meta = await getJson<Meta>("/api/meta");
  byId("inputs").textContent = `reading ${meta.inputs.join(" ")}`;
  setZone(meta.zone);
  byId("zone").textContent = meta.zone;
  for (const id of ["start", "end"]) byId(id).setAttribute("aria-label", `${id} (${meta.zone})`);
  byId("detect-rules").textContent = `the bundled detection templates${meta.rules.length ? ` and the Sigma rules in ${meta.rules.join(", ")}` : " (trailq ui --rules DIR adds Sigma rules)"}`;
  const checked = (e: CheckError | undefined): void => {
    checkLine.textContent = e ? `${e.message}${e.hint ? ` — hint: ${e.hint}` : ""}` : "";
    checkLine.classList.toggle("bad", e !== undefined);
  };
  editor = createEditor(byId("editor"), meta, { run: runEditor, checked, unchecked: (text) => template !== undefined && text === template.t.query }, "");
  runButton.addEventListener("click", runEditor);
  detectButton.addEventListener("click", runDetect);
  cancelButton.addEventListener("click", () => {
    if (!running) return;
    if (running.id) void postJson("/api/cancel", { id: running.id }).catch(() => running?.controller.abort());
    else running.controller.abort();
  });
  byId("save").addEventListener("click", () => {
    const query = editor.state.doc.toString();
    if (!query.trim()) return;
    const name = window.prompt("Save the query as:", query.split("\n")[0]!.slice(0, 40));
    if (name) void saveQuery(byId("history"), name, query, (q) => setText(editor, q));
  });
  range.addEventListener("change", () => (byId("absolute").hidden = range.value !== "custom"));
  chartType.addEventListener("change", showChart);
  for (const tab of document.querySelectorAll<HTMLButtonElement>("[data-view]")) tab.addEventListener("click", () => showView(tab.dataset["view"]!));
  for (const tab of document.querySelectorAll<HTMLButtonElement>("[data-panel]")) {
    tab.addEventListener("click", () => {
      for (const t of document.querySelectorAll("[data-panel]")) t.classList.toggle("active", t === tab);
      byId("templates").hidden = tab.dataset["panel"] !== "templates";
      byId("history").hidden = tab.dataset["panel"] !== "history";
    });
  }
  await Promise.all([templatesPanel(byId("templates"), runTemplate), historyPanel(byId("history"), (q) => setText(editor, q))]);
  document.body.dataset["ready"] = "1";
  editor.focus();
}

void start().catch((e: unknown) => {
  status.textContent = `the console could not start: ${(e as Error).message}`;
  status.className = "status error";
});
