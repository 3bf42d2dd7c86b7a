import type { WriterFactory } from "./writer.js";
import { renderText } from "./render.js";
import { inertCell, visible } from "./safe.js";

function quoted(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * `--format csv`: RFC 4180, a header row, absent values as empty fields. A cell a spreadsheet would
 * run as a formula gets a leading `'` (not with `--csv-raw`); on a terminal, control characters are
 * shown escaped as in the table (in a pipe or a file the values are kept exact).
 */
export const csvWriter: WriterFactory = (columns, out, opts) => {
  const field = (s: string): string => {
    if (opts.terminal) s = visible(s);
    return quoted(opts.csvRaw ? s : inertCell(s));
  };
  out.write(columns.map((c) => field(c.name)).join(",") + "\r\n");
  return {
    row(values) {
      out.write(values.map((v, i) => field(renderText(v, columns[i]!.type) ?? "")).join(",") + "\r\n");
    },
    end() {
      out.flush();
    },
  };
};
