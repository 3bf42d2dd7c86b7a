// The side panel: the templates by category (a form for a template's parameters, typed as it
// declares them), the query history and the saved queries (the prompt's files). A team's templates
// folder and the history are anyone's to write: their texts are shown with visible()'s escapes, as
// the prompt and `trailq templates` show them (a bidi mark would turn a title around).
import { el } from "./dom.js";
import { visible } from "../../output/safe.js";
import { getJson, postJson, type TemplateInfo } from "./api.js";

const INPUT_HINT: Record<string, string> = {
  string: "text",
  number: "a number",
  duration: "a period such as 10m, 1h, 1d",
  regex: "a regex (without the slashes)",
  list: 'a list: a,b or ["a","b"]',
};

export async function templatesPanel(root: HTMLElement, run: (t: TemplateInfo, params: Record<string, string>) => void): Promise<void> {
  const list = await getJson<TemplateInfo[]>("/api/templates");
  const byCategory = new Map<string, TemplateInfo[]>();
  for (const t of list) byCategory.set(t.category, [...(byCategory.get(t.category) ?? []), t]);
  const form = el("div", { class: "template-form", hidden: "" });
  const groups = [...byCategory].map(([cat, ts]) => {
    const items = ts.map((t) => {
      const b = el("button", { type: "button", class: "template", "data-id": t.id, title: visible(t.description) }, visible(t.title));
      b.addEventListener("click", () => showForm(form, t, run));
      return el("li", {}, b);
    });
    return el("details", { class: "category" }, el("summary", {}, `${visible(cat)} (${ts.length})`), el("ul", {}, ...items));
  });
  root.replaceChildren(form, ...groups);
}

function showForm(form: HTMLElement, t: TemplateInfo, run: (t: TemplateInfo, params: Record<string, string>) => void): void {
  const inputs = t.params.map((p) => {
    const input = el("input", { name: p.name, "data-type": p.type, placeholder: INPUT_HINT[p.type] ?? p.type, type: p.type === "number" ? "number" : "text", step: "any" });
    if (p.default !== undefined) input.value = p.type === "string" || p.type === "regex" ? p.default.replace(/^"(.*)"$/s, "$1") : p.default;
    return { p, input };
  });
  const runButton = el("button", { type: "button", class: "primary", id: "template-run" }, "Run template");
  runButton.addEventListener("click", () => {
    const params: Record<string, string> = {};
    // an empty field gives no value: its default, or for a required one the error trailq run gives
    for (const { p, input } of inputs) if (input.value !== "") params[p.name] = input.value;
    run(t, params);
  });
  form.replaceChildren(
    el("h3", {}, visible(t.title)),
    el("p", { class: "muted" }, visible(t.id)),
    el("p", {}, visible(t.description)),
    ...(t.doesNotCover ? [el("p", { class: "muted" }, `Does not cover: ${visible(t.doesNotCover)}`)] : []),
    ...inputs.map(({ p, input }) => el("label", {}, el("span", {}, `${visible(p.name)} (${p.type})${p.default === undefined ? " *" : ""}`), input, ...(p.description ? [el("small", {}, visible(p.description))] : []))),
    runButton,
  );
  form.hidden = false;
}

interface HistoryInfo {
  history: string[];
  saved: { name: string; query: string }[];
}

export async function historyPanel(root: HTMLElement, use: (query: string) => void): Promise<void> {
  const h = await getJson<HistoryInfo>("/api/history");
  fillHistory(root, h, use);
}

function fillHistory(root: HTMLElement, h: HistoryInfo, use: (query: string) => void): void {
  const item = (label: string, query: string, title: string): HTMLElement => {
    // a query's lines are one line in the list, and stay lines in its tooltip
    const b = el("button", { type: "button", class: "history-item", title: title.split("\n").map(visible).join("\n") }, visible(label.replace(/\s+/g, " ")));
    b.addEventListener("click", () => use(query));
    return el("li", {}, b);
  };
  root.replaceChildren(
    el("h3", {}, "Saved queries"),
    h.saved.length ? el("ul", {}, ...h.saved.map((s) => item(s.name, s.query, s.query))) : el("p", { class: "muted" }, "none yet: Save keeps the editor's query"),
    el("h3", {}, "History"),
    h.history.length ? el("ul", {}, ...h.history.map((q) => item(q.length > 120 ? q.slice(0, 119) + "…" : q, q, q))) : el("p", { class: "muted" }, "no queries yet"),
  );
}

export async function saveQuery(root: HTMLElement, name: string, query: string, use: (query: string) => void): Promise<void> {
  fillHistory(root, await postJson<HistoryInfo>("/api/saved", { name, query }), use);
}
