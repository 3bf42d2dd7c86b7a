import type { WriterFactory } from "./writer.js";
import { renderText } from "./render.js";
import { visible } from "./safe.js";
import { cutToWidth, displayWidth, headOf } from "./width.js";

/**
 * Cell text on one line: control characters shown escaped (safe.ts: visible), cut to `max`
 * columns when given. A huge value costs what is shown: only its head is escaped and measured.
 */
export function cellText(s: string, max: number | undefined): string {
  if (max === undefined) return visible(s);
  const head = headOf(s, max);
  return head === undefined ? cutToWidth(visible(s), max) : cutToWidth(visible(head), max, true);
}

const NUMBER = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/;
/** Between two columns: " │ ". */
const GAP = 3;
/** A text column is not cut narrower than this (nor a header). */
const MIN_COLUMN = 4;

/**
 * The columns' widths for a table that fits `room` columns: the widest columns shrink first (all
 * that are wider than some width are cut to it), numbers are not cut while text can give room,
 * and no column goes under MIN_COLUMN (a table of very many columns may still be wider).
 */
export function fitColumns(widths: readonly number[], numeric: readonly boolean[], room: number): number[] {
  const total = widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, widths.length - 1);
  if (total <= room) return [...widths];
  const fixedNumbers = widths.reduce((n, w, i) => n + (numeric[i] ? w : 0), 0);
  const textCount = numeric.filter((x) => !x).length;
  // numbers keep their width when the text columns can shrink enough; else every column shrinks
  const keepNumbers = textCount > 0 && fixedNumbers + textCount * MIN_COLUMN + GAP * (widths.length - 1) <= room;
  const shrinks = widths.map((_, i) => !keepNumbers || !numeric[i]);
  const budget = room - GAP * (widths.length - 1) - widths.reduce((n, w, i) => n + (shrinks[i] ? 0 : w), 0);
  const capped = (cap: number): number => widths.reduce((n, w, i) => n + (shrinks[i] ? Math.min(w, cap) : 0), 0);
  // the largest cap whose columns fit the budget
  let lo = MIN_COLUMN;
  let hi = Math.max(...widths);
  if (capped(lo) > budget) hi = lo;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (capped(mid) <= budget) lo = mid;
    else hi = mid - 1;
  }
  const out = widths.map((w, i) => (shrinks[i] ? Math.min(w, lo) : w));
  // what is left goes a column each to the columns that were cut, in order
  let left = budget - capped(lo);
  for (let i = 0; i < out.length && left > 0; i++) {
    if (shrinks[i] && widths[i]! > out[i]!) {
      out[i]!++;
      left--;
    }
  }
  return out;
}

/**
 * `--format table` (the default): aligned columns with a header rule. Needs every row to size the
 * columns, so rows are buffered as text (not as events). On a terminal (`fitWidth`) the table fits
 * its width: cells are cut as they come to the width at most, and at the end to their column's.
 */
export const tableWriter: WriterFactory = (columns, out, opts) => {
  const rows = new HeldRows();
  const fit = opts.fitWidth;
  const head = columns.map((c) => cellText(c.name, fit));
  // sized as the rows come (a spread over a million rows would overflow the stack)
  const widths = head.map((h) => displayWidth(h));
  const numeric = columns.map(() => true);
  return {
    row(values) {
      const cells = values.map((v, i) => cellText(renderText(v, columns[i]!.type) ?? "", fit));
      for (let i = 0; i < cells.length; i++) {
        const c = cells[i]!;
        const w = displayWidth(c);
        if (w > widths[i]!) widths[i] = w;
        if (numeric[i] && c !== "" && !NUMBER.test(c)) numeric[i] = false;
      }
      rows.push(cells);
    },
    end() {
      if (rows.count === 0) numeric.fill(false);
      // numbers and times are the last cut
      const shown = fit === undefined ? widths : fitColumns(widths, numeric.map((x, i) => x || columns[i]!.type === "time"), fit);
      const line = (cells: string[]): string =>
        cells
          .map((c, i) => {
            const w = shown[i]!;
            let cw = displayWidth(c, w);
            if (cw > w) {
              c = cutToWidth(c, w);
              cw = displayWidth(c);
            }
            const pad = " ".repeat(Math.max(0, w - cw));
            return numeric[i] ? pad + c : i === cells.length - 1 ? c : c + pad;
          })
          .join(" │ ")
          .trimEnd() + "\n";
      out.write(line(head));
      out.write(shown.map((w) => "─".repeat(w)).join("─┼─") + "\n");
      rows.each((cells) => out.write(line(cells)));
      out.flush();
    },
  };
};

/**
 * The table's rows until its end, as text: a chunk of rows a string, cells ended by CELL and rows
 * by ROW (control characters, which a cell never holds: visible() escapes them). A million rows
 * are a few hundred strings for the garbage collector to go over, not four million objects.
 */
class HeldRows {
  private readonly chunks: string[] = [];
  /** The chunk being filled: its cells and row ends, joined into one flat string when full. */
  private parts: string[] = [];
  private inChunk = 0;
  count = 0;

  push(cells: string[]): void {
    for (const c of cells) this.parts.push(c, CELL);
    this.parts.push(ROW);
    this.count++;
    if (++this.inChunk === ROWS_A_CHUNK) {
      this.chunks.push(this.parts.join(""));
      this.parts = [];
      this.inChunk = 0;
    }
  }

  each(f: (cells: string[]) => void): void {
    for (const chunk of [...this.chunks, this.parts.join("")]) {
      let at = 0;
      for (let end = chunk.indexOf(ROW); end >= 0; at = end + 1, end = chunk.indexOf(ROW, at)) {
        const cells = chunk.slice(at, end).split(CELL);
        cells.pop();
        f(cells);
      }
    }
  }
}

const CELL = "\x00";
const ROW = "\x01";
const ROWS_A_CHUNK = 4096;
