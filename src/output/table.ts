import type { WriterFactory } from "./writer.js";
import { renderText } from "./render.js";
import { visible } from "./safe.js";
import { ASCII, cutToWidth, displayWidth, headOf } from "./width.js";

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
 * that are wider than some width are cut to it); numbers and times are cut last, only once every
 * text column is down to MIN_COLUMN; no column goes under MIN_COLUMN (a table of very many columns
 * may still be wider).
 */
export function fitColumns(widths: readonly number[], numeric: readonly boolean[], room: number): number[] {
  const gaps = GAP * Math.max(0, widths.length - 1);
  if (widths.reduce((a, b) => a + b, 0) + gaps <= room) return [...widths];
  const sum = (keep: (i: number) => boolean, width: (i: number) => number): number => widths.reduce((n, _, i) => n + (keep(i) ? width(i) : 0), 0);
  const isText = (i: number): boolean => !numeric[i];
  const isNumber = (i: number): boolean => numeric[i]!;
  // the text columns give room first: the numbers keep their widths when that is enough
  if (sum(isText, () => MIN_COLUMN) + sum(isNumber, (i) => widths[i]!) + gaps <= room || !numeric.some((x) => x)) {
    return shrunk(widths, isText, room - gaps - sum(isNumber, (i) => widths[i]!));
  }
  // else the text columns are at their narrowest, and the numbers share what is left
  const narrow = widths.map((w, i) => (isText(i) ? Math.min(w, MIN_COLUMN) : w));
  return shrunk(narrow, isNumber, room - gaps - sum(isText, (i) => narrow[i]!));
}

/**
 * `widths` with the columns `shrinks` picks cut to the largest width at which they fit `budget`
 * (not under MIN_COLUMN), what is left given a column each to the columns cut, in order.
 */
function shrunk(widths: readonly number[], shrinks: (i: number) => boolean, budget: number): number[] {
  const capped = (cap: number): number => widths.reduce((n, w, i) => n + (shrinks(i) ? Math.min(w, cap) : 0), 0);
  let lo = MIN_COLUMN;
  let hi = Math.max(...widths);
  if (capped(lo) > budget) hi = lo;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (capped(mid) <= budget) lo = mid;
    else hi = mid - 1;
  }
  const out = widths.map((w, i) => (shrinks(i) ? Math.min(w, lo) : w));
  let left = budget - capped(lo);
  for (let i = 0; i < out.length && left > 0; i++) {
    if (shrinks(i) && widths[i]! > out[i]!) {
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
  const n = columns.length;
  const rows = new HeldCells(n);
  const fit = opts.fitWidth;
  const head = columns.map((c) => cellText(c.name, fit));
  // sized as the rows come (a spread over a million rows would overflow the stack)
  const widths = head.map((h) => displayWidth(h));
  const numeric = columns.map(() => true);
  /** Columns whose header and cells are all printable ASCII so far: a cell's width is its length (the common case, tested once a cell). */
  const ascii = head.map((h) => ASCII.test(h));
  return {
    row(values) {
      for (let i = 0; i < n; i++) {
        const text = renderText(values[i], columns[i]!.type) ?? "";
        let c: string;
        let w: number;
        if (fit === undefined && ASCII.test(text)) {
          c = text;
          w = text.length;
        } else {
          c = cellText(text, fit);
          w = displayWidth(c);
          ascii[i] = false;
        }
        rows.push(c);
        if (w > widths[i]!) widths[i] = w;
        if (numeric[i] && c !== "" && !NUMBER.test(c)) numeric[i] = false;
      }
      rows.endRow();
    },
    end() {
      if (rows.count === 0) numeric.fill(false);
      // numbers and times are the last cut
      const shown = fit === undefined ? widths : fitColumns(widths, numeric.map((x, i) => x || columns[i]!.type === "time"), fit);
      const pads = new Pads();
      /** A row's line: its cells padded to their columns (numbers to the right), the last not padded. */
      const line = (cell: (i: number) => string): string => {
        let text = "";
        let pad = "";
        for (let i = 0; i < n; i++) {
          let c = cell(i);
          const w = shown[i]!;
          let cw = ascii[i] ? c.length : displayWidth(c, w);
          if (cw > w) {
            c = cutToWidth(c, w);
            cw = displayWidth(c);
          }
          if (i > 0) text += pad + " │ ";
          if (numeric[i]) {
            text += pads.of(w - cw) + c;
            pad = "";
          } else {
            text += c;
            pad = pads.of(w - cw);
          }
        }
        return text.trimEnd() + "\n";
      };
      out.write(line((i) => head[i]!));
      out.write(shown.map((w) => "─".repeat(w)).join("─┼─") + "\n");
      rows.each((cell) => out.write(line(cell)));
      out.flush();
    },
  };
};

/** Runs of spaces, made once each. */
class Pads {
  private readonly made: string[] = [""];
  of(k: number): string {
    if (k <= 0) return "";
    return (this.made[k] ??= " ".repeat(k));
  }
}

/**
 * The table's cells until its end, as text: whole rows' cells joined in a string of about
 * CHUNK_CHARS, with their lengths beside it. A million rows are a few thousand strings for the
 * garbage collector to go over, not millions of cells and arrays.
 */
class HeldCells {
  private readonly chunks: { text: string; lengths: Uint32Array; rows: number }[] = [];
  private parts: string[] = [];
  private lengths = new Uint32Array(1024);
  /** Characters in the chunk being filled. */
  private chars = 0;
  /** Rows in the chunk being filled. */
  private rows = 0;
  count = 0;

  /** `perRow`: cells a row. */
  constructor(private readonly perRow: number) {}

  push(cell: string): void {
    const k = this.parts.push(cell) - 1;
    if (k === this.lengths.length) {
      const more = new Uint32Array(2 * k);
      more.set(this.lengths);
      this.lengths = more;
    }
    this.lengths[k] = cell.length;
    this.chars += cell.length;
  }

  /** The row whose cells were pushed is whole. */
  endRow(): void {
    this.count++;
    this.rows++;
    if (this.chars >= CHUNK_CHARS || this.parts.length >= CHUNK_CELLS) this.close();
  }

  private close(): void {
    this.chunks.push({ text: this.parts.join(""), lengths: this.lengths.slice(0, this.parts.length), rows: this.rows });
    this.parts = [];
    this.rows = 0;
    this.chars = 0;
  }

  /** Each row's cells (cell(i): the row's i-th), in order. */
  each(f: (cell: (i: number) => string) => void): void {
    if (this.rows > 0) this.close();
    const row: string[] = new Array<string>(this.perRow);
    const cell = (i: number): string => row[i]!;
    for (const { text, lengths, rows } of this.chunks) {
      let at = 0;
      for (let r = 0, k = 0; r < rows; r++) {
        for (let i = 0; i < this.perRow; i++, k++) row[i] = text.slice(at, (at += lengths[k]!));
        f(cell);
      }
    }
  }
}

/**
 * Characters a chunk of held text, about (whole rows): its string stays below V8's large-object
 * size (128 KB; two bytes a character past U+00FF), which this machine maps afresh. Chunks of 16,384
 * cells (about 250 KB over three columns) cost the small-file `fields` stream 400-450 ms of
 * collections on its scan thread (docs/performance.md).
 */
const CHUNK_CHARS = 32_768;
/** Cells a chunk at most, however short (empty cells). */
const CHUNK_CELLS = 16_384;
