// The console page: the editor, the time range, Run/Cancel, the streamed table with its histogram,
// the row details, the Visualization tab, export links, and the side panel.
import type { EditorView } from "@codemirror/view";
import { getJson, postJson, postLines, withToken, type CheckError, type Meta, type TemplateInfo } from "./api.js";
import { byId, el, grouped } from "./dom.js";
import { createEditor, setText } from "./editor.js";
import { ResultsTable } from "./table.js";
import { renderDetail } from "./detail.js";
import { drawHistogram, parseTime } from "./histogram.js";
import { historyPanel, saveQuery, templatesPanel } from "./panels.js";

interface Column {
  name: string;
  type: string;
}

type Line =
  | { t: "start"; id: string; columns: Column[]; grouped: boolean; timeSeries: boolean; text: string }
  | { t: "rows"; rows: (string | null)[][] }
  | { t: "progress"; events: number; files: number }
  | { t: "end"; rows: number; summary: string; warnings: string[]; interrupted: boolean }
  | ({ t: "error" } & CheckError);

const status = byId("status");
const warnings = byId("warnings");
const runButton = byId<HTMLButtonElement>("run");
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

const table = new ResultsTable(byId("results"), (row) => {
  renderDetail(detail, table.columns, row, addFilter, () => (detail.hidden = true));
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

function histogramOf(columns: Column[]): void {
  const at = columns.findIndex((c) => c.name === "@timestamp");
  if (at < 0 || current?.grouped) {
    histogram.hidden = true;
    return;
  }
  drawHistogram(histogram, table.rows.map((r) => (r[at] ? parseTime(r[at]!) : NaN)));
}

async function run(body: Record<string, unknown>): Promise<void> {
  if (running) return;
  const controller = new AbortController();
  running = { controller };
  setRunning(true);
  setExports(undefined);
  detail.hidden = true;
  warnings.replaceChildren();
  status.textContent = "running…";
  status.className = "status";
  let columns: Column[] = [];
  let lastDraw = 0;
  try {
    await postLines("/api/run", { ...body, ...timeRange() }, controller.signal, (o) => {
      const line = o as Line;
      switch (line.t) {
        case "start":
          running!.id = line.id;
          columns = line.columns;
          current = { id: line.id, grouped: line.grouped, columns };
          table.reset(columns.map((c) => c.name));
          histogram.hidden = true;
          break;
        case "rows":
          table.append(line.rows);
          break;
        case "progress": {
          status.textContent = `running… ${grouped(line.events)} events read in ${grouped(line.files)} files · ${grouped(table.size)} rows`;
          const now = performance.now();
          if (now - lastDraw > 1000) {
            lastDraw = now;
            histogramOf(columns);
          }
          break;
        }
        case "end":
          table.resort();
          histogramOf(columns);
          status.textContent = line.summary;
          status.className = line.interrupted ? "status cancelled" : "status done";
          for (const w of line.warnings) warnings.append(el("li", {}, w));
          setExports(current?.id);
          if (!byId("chart-view").hidden) showChart();
          break;
        case "error":
          status.textContent = `error: ${line.message}${line.hint ? ` (hint: ${line.hint})` : ""}`;
          status.className = "status error";
          break;
      }
    });
  } catch (e) {
    if ((e as Error).name === "AbortError") {
      status.textContent = `cancelled · ${grouped(table.size)} rows`;
      status.className = "status cancelled";
    } else {
      status.textContent = `error: ${(e as Error).message}`;
      status.className = "status error";
    }
  } finally {
    running = undefined;
    setRunning(false);
    void historyPanel(byId("history"), (q) => setText(editor, q));
  }
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
  const checked = (e: CheckError | undefined): void => {
    checkLine.textContent = e ? `${e.message}${e.hint ? ` — hint: ${e.hint}` : ""}` : "";
    checkLine.classList.toggle("bad", e !== undefined);
  };
  editor = createEditor(byId("editor"), meta, { run: runEditor, checked, unchecked: (text) => template !== undefined && text === template.t.query }, "");
  runButton.addEventListener("click", runEditor);
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
  for (const tab of document.querySelectorAll<HTMLButtonElement>("[data-view]")) {
    tab.addEventListener("click", () => {
      for (const t of document.querySelectorAll("[data-view]")) t.classList.toggle("active", t === tab);
      byId("logs-view").hidden = tab.dataset["view"] !== "logs";
      byId("chart-view").hidden = tab.dataset["view"] !== "chart";
      if (tab.dataset["view"] === "chart") showChart();
    });
  }
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
