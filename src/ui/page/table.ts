// The results table, virtualised: only the rows in view are in the page (a million rows scroll as
// ten), rows appended as they stream, sorted by a header click in a worker (sorter.ts: the page
// stays responsive, the header says it is sorting), shown through a filter (the detect tab's level).
import { el } from "./dom.js";
import { visible } from "../../output/safe.js";
import { Sorter } from "./sorter.js";

export const ROW_HEIGHT = 24;
const OVERSCAN = 10;

type Cell = string | null;

export class ResultsTable {
  columns: string[] = [];
  rows: Cell[][] = [];
  /** The columns shown, by index into a row. */
  private shown: number[] = [];
  /** The sorted order of the first order.length rows (the rows that came later follow, as they came). */
  private order: Uint32Array | undefined;
  /** Which rows are shown (an index into rows per line of the table); undefined: every row, as they came. */
  private view: number[] | undefined;
  private keep: ((row: Cell[]) => boolean) | undefined;
  private sort: { col: number; desc: boolean } | undefined;
  private readonly sorter = new Sorter();
  private readonly head: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly layer: HTMLElement;
  private pending = false;
  private widths: string = "";

  constructor(private readonly root: HTMLElement, private readonly open: (row: Cell[], index: number) => void) {
    this.head = el("div", { class: "thead", role: "row" });
    this.spacer = el("div", { class: "spacer" });
    this.layer = el("div", { class: "rows", role: "rowgroup" });
    this.viewport = el("div", { class: "viewport", tabindex: "0" }, this.spacer, this.layer);
    root.replaceChildren(this.head, this.viewport);
    this.viewport.addEventListener("scroll", () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
  }

  /** A new result: its columns, and which of them the table shows (default: all). */
  reset(columns: string[], shown: number[] = columns.map((_, i) => i)): void {
    this.sorter.reset();
    this.columns = columns;
    this.shown = shown;
    this.rows = [];
    this.order = undefined;
    this.view = undefined;
    this.keep = undefined;
    this.sort = undefined;
    this.sorting(false);
    const w = shown.map((i) => (columns[i] === "@message" ? "minmax(300px, 4fr)" : columns[i] === "@timestamp" ? "190px" : "minmax(120px, 1fr)"));
    this.widths = ["56px", ...w].join(" ");
    this.head.style.gridTemplateColumns = this.widths;
    this.head.replaceChildren(
      el("div", { class: "th" }, "#"),
      ...shown.map((i) => {
        const th = el("div", { class: "th sortable", role: "columnheader", "data-col": String(i), title: "sort by this column" }, columns[i]!);
        th.addEventListener("click", () => this.sortBy(i));
        return th;
      }),
    );
    this.viewport.scrollTop = 0;
    this.counted();
    this.schedule();
  }

  append(rows: Cell[][]): void {
    const from = this.rows.length;
    for (const r of rows) this.rows.push(r);
    if (this.view) for (let i = from; i < this.rows.length; i++) if (!this.keep || this.keep(this.rows[i]!)) this.view.push(i);
    this.counted();
    this.schedule();
  }

  /** Sorts again once the rows are all in (rows that came after a sort are at its end until then). */
  resort(): void {
    if (this.sort && this.order?.length !== this.rows.length) void this.applySort();
  }

  get size(): number {
    return this.rows.length;
  }

  /** Sorts by a column (again: the other way). */
  sortBy(col: number): void {
    this.sortOn(col, this.sort?.col === col && !this.sort.desc);
  }

  sortOn(col: number, desc: boolean): void {
    this.sort = { col, desc };
    void this.applySort();
  }

  /** Shows only the rows `keep` keeps (undefined: all). */
  filter(keep: ((row: Cell[]) => boolean) | undefined): void {
    this.keep = keep;
    this.rebuildView();
  }

  private async applySort(): Promise<void> {
    const { col, desc } = this.sort!;
    this.sorting(true, col);
    let order: Uint32Array | undefined;
    try {
      order = await this.sorter.order(this.rows, col, desc);
    } catch (e) {
      this.sorting(false);
      throw e;
    }
    // a newer sort, or a new result, came first
    if (!order) return;
    this.order = order;
    this.sorting(false);
    this.marked(col, desc);
    this.rebuildView();
  }

  /**
   * Shows the rows in an order made elsewhere (detect's timeline: the time, then the rule's title,
   * which a sort on one column can't give), marked as sorted on `col`.
   */
  showOrder(order: Uint32Array, col: number): void {
    this.sorter.reset();
    this.sort = { col, desc: false };
    this.order = order;
    this.sorting(false);
    this.marked(col, false);
    this.rebuildView();
  }

  /** The headers' marks: `col` sorted ascending or descending, the others not. */
  private marked(col: number, desc: boolean): void {
    for (const th of this.head.querySelectorAll<HTMLElement>(".th[data-col]")) {
      th.classList.toggle("asc", Number(th.dataset["col"]) === col && !desc);
      th.classList.toggle("desc", Number(th.dataset["col"]) === col && desc);
    }
  }

  /** The "sorting…" state: on the table (data-sorting) and the header of the column being sorted. */
  private sorting(on: boolean, col?: number): void {
    this.root.dataset["sorting"] = on ? "1" : "0";
    for (const th of this.head.querySelectorAll<HTMLElement>(".th[data-col]")) th.classList.toggle("sorting", on && Number(th.dataset["col"]) === col);
  }

  private rebuildView(): void {
    const { order, keep, rows } = this;
    if (!order && !keep) this.view = undefined;
    else {
      const view: number[] = [];
      const sorted = order?.length ?? 0;
      for (let i = 0; i < sorted; i++) if (!keep || keep(rows[order![i]!]!)) view.push(order![i]!);
      for (let i = sorted; i < rows.length; i++) if (!keep || keep(rows[i]!)) view.push(i);
      this.view = view;
    }
    this.counted();
    this.schedule();
  }

  /** The rows held and shown, on the element (the tests read them). */
  private counted(): void {
    this.root.dataset["rows"] = String(this.rows.length);
    this.root.dataset["shown"] = String(this.view?.length ?? this.rows.length);
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.render();
    });
  }

  private render(): void {
    const n = this.view?.length ?? this.rows.length;
    // browsers cap an element's height (about 16 million px in Chromium, 670 thousand rows of 24 px): past
    // it the scroll position is scaled onto the rows
    const full = n * ROW_HEIGHT;
    const cap = 15_000_000;
    const height = Math.min(full, cap);
    this.spacer.style.height = `${height}px`;
    const top = this.viewport.scrollTop;
    const view = this.viewport.clientHeight || 400;
    const scale = full > cap ? (full - view) / Math.max(1, height - view) : 1;
    const first = Math.max(0, Math.floor((top * scale) / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(n, Math.ceil((top * scale + view) / ROW_HEIGHT) + OVERSCAN);
    const offset = top - (top * scale - first * ROW_HEIGHT);
    this.layer.style.transform = `translateY(${full > cap ? offset : first * ROW_HEIGHT}px)`;
    const out: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const index = this.view ? this.view[i]! : i;
      const row = this.rows[index]!;
      const tr = el("div", { class: "tr", role: "row", "data-row": String(index) });
      tr.style.gridTemplateColumns = this.widths;
      tr.append(el("div", { class: "td num" }, String(i + 1)));
      for (const c of this.shown) {
        const v = row[c] ?? null;
        const td = el("div", { class: v === null ? "td absent" : "td" });
        // a cell shows one line of its text (control and bidi characters as escapes: text content
        // cannot be markup, but U+202E would still turn the cell around); the row's details show it whole
        td.textContent = v === null ? "" : visible(v.length > 500 ? v.slice(0, 500) + "…" : v);
        tr.append(td);
      }
      tr.addEventListener("click", () => {
        for (const x of this.layer.querySelectorAll(".tr.open")) x.classList.remove("open");
        tr.classList.add("open");
        this.open(row, index);
      });
      out.push(tr);
    }
    this.layer.replaceChildren(...out);
  }
}
