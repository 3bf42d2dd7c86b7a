import type { WriterFactory } from "./writer.js";
import { renderText } from "./render.js";
import { cellText } from "./table.js";
import { cutMiddle, displayWidth, padToWidth } from "./width.js";

/** Columns left for the values at least, on a terminal, when names are long. */
const VALUE_ROOM = 24;

/**
 * `--format vertical` (as psql's `\x`, DuckDB's `.mode line`): a block per row, its header
 * `-[ RECORD n ]-` and a `column | value` line per column, for rows too wide for a table. Values
 * are shown as in the table (control characters escaped, one line each) and, on a terminal
 * (`fitWidth`), cut to what is left of its width. Rows are written as they come.
 */
export const verticalWriter: WriterFactory = (columns, out, opts) => {
  const fit = opts.fitWidth;
  // a name keeps what it can of the width but VALUE_ROOM, cut in its middle (two long names that
  // differ at their ends stay apart); a name holding escapes is not cut (its end could start inside
  // one), nor are any when two names would show alike (`items.0` and `items.1` in the middle of
  // two paths): which value is which matters more than the width
  const shown = columns.map((c) => cellText(c.name, undefined));
  const cut = fit === undefined ? shown : shown.map((s, i) => (s === columns[i]!.name ? cutMiddle(s, Math.max(8, fit - 3 - VALUE_ROOM)) : s));
  const names = new Set(cut).size < new Set(shown).size ? shown : cut;
  const nameWidth = Math.max(0, ...names.map((n) => displayWidth(n)));
  const room = fit === undefined ? undefined : Math.max(8, fit - nameWidth - 3);
  const labels = names.map((n) => padToWidth(n, nameWidth));
  let n = 0;
  return {
    row(values) {
      n++;
      const cells = values.map((v, i) => cellText(renderText(v, columns[i]!.type) ?? "", room));
      const valueWidth = Math.max(0, ...cells.map((c) => displayWidth(c)));
      const title = `-[ RECORD ${n} ]`;
      // the `+` above the `|`, where the title leaves room for it
      const rule = title.length <= nameWidth + 1 ? title + "-".repeat(nameWidth + 1 - title.length) + "+" + "-".repeat(valueWidth + 1) : title + "-".repeat(Math.max(1, nameWidth + 3 + valueWidth - title.length));
      out.write(rule + "\n");
      for (let i = 0; i < cells.length; i++) out.write((labels[i]! + " | " + cells[i]!).trimEnd() + "\n");
    },
    end() {
      out.flush();
    },
  };
};
