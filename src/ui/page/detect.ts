// The Detect tab: `trailq detect` over the console's inputs and time range (src/ui/detect.ts). Its
// findings stream into a results table (the timeline's columns; oldest first once all are in), a
// finding opens to the whole event it found (fetched by its @ptr) with its rule and the rule's
// author, the summary is detect's, and the level filter shows the findings at or above a level.
import { el, grouped } from "./dom.js";
import { visible } from "../../output/safe.js";
import { getJson } from "./api.js";
import { ResultsTable } from "./table.js";
import { rowFields, type Shown } from "./detail.js";

type Cell = string | null;

export type DetectLine =
  | { t: "start"; id: string; columns: { name: string; type: string }[]; shown: number[]; levels: string[] }
  | { t: "rows"; rows: Cell[][] }
  | { t: "end"; order: number[]; report: { levels: Record<string, number> }; lines: string[] };

export class DetectView {
  readonly table: ResultsTable;
  private columns: string[] = [];
  private levels: string[] = [];

  constructor(
    private readonly root: { table: HTMLElement; summary: HTMLElement; level: HTMLSelectElement },
    open: (shown: Promise<Shown>, first: Shown) => void,
  ) {
    this.table = new ResultsTable(root.table, (row) => {
      const first: Shown = { title: "The finding", notes: this.ruleNotes(row), event: rowFields(this.columns, row) };
      open(this.event(row).then((event) => ({ ...first, title: "The event found", event })), first);
    });
    root.level.addEventListener("change", () => this.filter());
  }

  line(l: DetectLine): void {
    switch (l.t) {
      case "start":
        this.columns = l.columns.map((c) => c.name);
        this.levels = l.levels;
        this.table.reset(this.columns, l.shown);
        this.root.summary.replaceChildren();
        this.levelOptions();
        this.filter();
        break;
      case "rows":
        this.table.append(l.rows);
        break;
      case "end": {
        // the timeline, as `trailq detect` prints it: oldest first, then by the rule's title
        this.table.showOrder(Uint32Array.from(l.order), this.col("@timestamp"));
        this.levelOptions(l.report.levels);
        this.root.summary.replaceChildren(...l.lines.map((t) => el("li", {}, visible(t))));
        break;
      }
    }
  }

  /** The level select: at or above each level, with the findings counted (once the run is over). */
  private levelOptions(counts?: Record<string, number>): void {
    const select = this.root.level;
    const was = select.value;
    const options = [el("option", { value: "" }, "all levels")];
    this.levels.forEach((level, i) => {
      if (i === 0) return;
      const n = counts ? this.levels.slice(i).reduce((s, l) => s + (counts[l] ?? 0), 0) : undefined;
      const last = i === this.levels.length - 1;
      options.push(el("option", { value: level }, `${level}${last ? "" : " and above"}${n === undefined ? "" : ` (${grouped(n)})`}`));
    });
    select.replaceChildren(...options);
    select.value = this.levels.includes(was) ? was : "";
  }

  private filter(): void {
    const min = this.levels.indexOf(this.root.level.value);
    const at = this.col("level");
    this.table.filter(min <= 0 ? undefined : (row) => this.levels.indexOf(row[at] ?? "") >= min);
  }

  private col(name: string): number {
    return this.columns.indexOf(name);
  }

  private cell(row: Cell[], name: string): Cell {
    return row[this.col(name)] ?? null;
  }

  /** The rule of a finding, with its author: the Detection Rule License wants them shown with its matches. */
  private ruleNotes(row: Cell[]): string[] {
    const notes = [`${this.cell(row, "level") ?? ""} · ${this.cell(row, "rule") ?? ""} (${this.cell(row, "ruleId") ?? ""})`];
    const author = this.cell(row, "author");
    if (author) notes.push(`rule by ${author}`);
    const detail = this.cell(row, "detail");
    if (detail) notes.push(detail);
    return notes;
  }

  private event(row: Cell[]): Promise<unknown> {
    const q = new URLSearchParams({ ptr: this.cell(row, "@ptr") ?? "" });
    const id = this.cell(row, "eventID");
    if (id !== null) q.set("eventID", id);
    return getJson<{ event: unknown }>(`/api/event?${q.toString()}`).then((r) => r.event);
  }
}
