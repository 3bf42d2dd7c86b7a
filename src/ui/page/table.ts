// The results table, virtualised: only the rows in view are in the page (a million rows scroll as
// ten), rows appended as they stream, sorted by a header click (numbers as numbers, absent last).
import { el } from "./dom.js";

export const ROW_HEIGHT = 24;
const OVERSCAN = 10;

type Cell = string | null;

export class ResultsTable {
  columns: string[] = [];
  rows: Cell[][] = [];
  /** The rows' order when sorted (indexes into rows); undefined: as they came. */
  private order: number[] | undefined;
  private sort: { col: number; desc: boolean } | undefined;
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

  reset(columns: string[]): void {
    this.columns = columns;
    this.rows = [];
    this.order = undefined;
    this.sort = undefined;
    const w = columns.map((c) => (c === "@message" ? "minmax(300px, 4fr)" : c === "@timestamp" ? "190px" : "minmax(120px, 1fr)"));
    this.widths = ["56px", ...w].join(" ");
    this.head.style.gridTemplateColumns = this.widths;
    this.head.replaceChildren(
      el("div", { class: "th" }, "#"),
      ...columns.map((c, i) => {
        const th = el("div", { class: "th sortable", role: "columnheader", "data-col": String(i), title: "sort by this column" }, c);
        th.addEventListener("click", () => this.sortBy(i));
        return th;
      }),
    );
    this.viewport.scrollTop = 0;
    this.root.dataset["rows"] = "0";
    this.schedule();
  }

  append(rows: Cell[][]): void {
    for (const r of rows) this.rows.push(r);
    this.root.dataset["rows"] = String(this.rows.length);
    if (this.order) for (let i = this.rows.length - rows.length; i < this.rows.length; i++) this.order.push(i);
    this.schedule();
  }

  /** Sorts again once the rows are all in (rows that came after a sort are at its end until then). */
  resort(): void {
    if (this.sort) this.applySort();
  }

  get size(): number {
    return this.rows.length;
  }

  sortBy(col: number): void {
    this.sort = this.sort?.col === col ? { col, desc: !this.sort.desc } : { col, desc: false };
    this.applySort();
  }

  private applySort(): void {
    const { col, desc } = this.sort!;
    const rows = this.rows;
    const n = rows.length;
    // the keys taken out once: numbers when every present value is one, else the texts
    let numeric = true;
    const texts: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const v = rows[i]![col] ?? null;
      texts[i] = v;
      if (numeric && v !== null && (v.trim() === "" || !Number.isFinite(Number(v)))) numeric = false;
    }
    const sign = desc ? -1 : 1;
    const order = Array.from({ length: n }, (_, i) => i);
    if (numeric) {
      const keys = new Float64Array(n);
      for (let i = 0; i < n; i++) keys[i] = texts[i] === null ? NaN : Number(texts[i]);
      order.sort((a, b) => {
        const x = keys[a]!;
        const y = keys[b]!;
        // absent values last either way; ties in the order the rows came
        if (x !== x || y !== y) return x !== x && y !== y ? a - b : x !== x ? 1 : -1;
        return x === y ? a - b : (x - y) * sign;
      });
    } else {
      order.sort((a, b) => {
        const x = texts[a]!;
        const y = texts[b]!;
        if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
        return x === y ? a - b : x < y ? -sign : sign;
      });
    }
    this.order = order;
    for (const th of this.head.querySelectorAll<HTMLElement>(".th[data-col]")) {
      th.classList.toggle("asc", Number(th.dataset["col"]) === col && !desc);
      th.classList.toggle("desc", Number(th.dataset["col"]) === col && desc);
    }
    this.schedule();
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
    const n = this.rows.length;
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
      const index = this.order ? this.order[i]! : i;
      const row = this.rows[index]!;
      const tr = el("div", { class: "tr", role: "row", "data-row": String(index) });
      tr.style.gridTemplateColumns = this.widths;
      tr.append(el("div", { class: "td num" }, String(i + 1)));
      for (let c = 0; c < this.columns.length; c++) {
        const v = row[c] ?? null;
        const td = el("div", { class: v === null ? "td absent" : "td" });
        // a cell shows one line of its text; the row's details show it whole
        td.textContent = v === null ? "" : v.length > 500 ? v.slice(0, 500) + "…" : v;
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
