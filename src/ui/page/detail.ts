// A row opened: the whole event as pretty JSON (from @message when the row has it, else the row's
// fields; for a finding, the event it found, under its rule), and each field of it one click from
// being added to the query as a filter.
import { el } from "./dom.js";
import { fieldPath, filterFor } from "./filter-text.js";
import { safeJson, visible } from "../../output/safe.js";

/** A row of a query's result: the whole event when it has its @message, else the row's fields. */
export function rowEvent(columns: string[], row: (string | null)[]): { event: unknown; whole: boolean } {
  const m = columns.indexOf("@message");
  if (m >= 0 && row[m]) {
    try {
      const ev = JSON.parse(row[m]!) as unknown;
      if (ev && typeof ev === "object") return { event: ev, whole: true };
    } catch {
      // not JSON: the row's fields are shown
    }
  }
  return { event: rowFields(columns, row), whole: false };
}

/** A row's present cells by column name. */
export function rowFields(columns: string[], row: (string | null)[]): Record<string, string> {
  const o: Record<string, string> = {};
  columns.forEach((c, i) => {
    if (row[i] !== null && row[i] !== undefined) o[c] = row[i]!;
  });
  return o;
}

function leaves(v: unknown, path: string[], out: { path: string[]; value: unknown }[]): void {
  if (v !== null && typeof v === "object") {
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) out.push({ path, value: v });
    for (const [k, x] of entries) leaves(x, [...path, k], out);
    return;
  }
  out.push({ path, value: v });
}

/** What the details show: a heading, lines about it (a finding's rule), and the event or row. */
export interface Shown {
  title: string;
  notes?: string[];
  event: unknown;
}

export function renderDetail(root: HTMLElement, shown: Shown, addFilter: (text: string) => void, close: () => void): void {
  const fields: { path: string[]; value: unknown }[] = [];
  leaves(shown.event, [], fields);
  const list = el("div", { class: "fields" });
  for (const f of fields) {
    if (!f.path.length) continue;
    const path = fieldPath(f.path);
    const filter = path === undefined ? undefined : filterFor(path, f.value);
    const value = f.value !== null && typeof f.value === "object" ? JSON.stringify(f.value) : String(f.value);
    const row = el("div", { class: "field" }, el("span", { class: "fname" }, visible(path ?? f.path.join("."))), el("span", { class: "fvalue" }, visible(value)));
    // a field the language can't name, or a value no filter matches, gets no button
    if (filter !== undefined) {
      const button = el("button", { class: "add-filter", type: "button", title: "add to the query as a filter" }, "+ filter");
      button.addEventListener("click", () => addFilter(filter));
      row.append(button);
    }
    list.append(row);
  }
  const closer = el("button", { type: "button", class: "close" }, "×");
  closer.addEventListener("click", close);
  root.replaceChildren(
    el("div", { class: "detail-head" }, el("strong", {}, visible(shown.title)), closer),
    ...(shown.notes ?? []).map((n) => el("p", { class: "note" }, visible(n))),
    el("pre", { class: "json" }, safeJson(JSON.stringify(shown.event, null, 2))),
    list,
  );
  root.hidden = false;
}
