import type { OutputColumn } from "../plan/plan.js";
import type { Value } from "../exec/values.js";
import type { PartsFactory, WriterFactory, WriterOptions } from "./writer.js";
import { renderText } from "./render.js";
import { inertCell, visible } from "./safe.js";

function quoted(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A value's text as a cell: made inert and quoted as csvWriter says. */
function csvField(opts: WriterOptions): (s: string) => string {
  return (s) => {
    if (opts.terminal) s = visible(s);
    return quoted(opts.csvRaw ? s : inertCell(s));
  };
}

/** The cells of the columns from `from` on, one per value, joined. */
function csvCells(columns: OutputColumn[], opts: WriterOptions): (values: readonly Value[], from: number) => string {
  const field = csvField(opts);
  return (values, from) => {
    let s = "";
    for (let i = 0; i < values.length; i++) s += (i === 0 ? "" : ",") + field(renderText(values[i]!, columns[from + i]!.type) ?? "");
    return s;
  };
}

/** The header row: the column names as cells. */
function csvHeader(columns: OutputColumn[], opts: WriterOptions): string {
  const field = csvField(opts);
  return columns.map((c) => field(c.name)).join(",") + "\r\n";
}

/**
 * `--format csv`: RFC 4180, a header row, absent values as empty fields. A cell a spreadsheet would
 * run as a formula gets a leading `'` (not with `--csv-raw`); on a terminal, control characters are
 * shown escaped as in the table (in a pipe or a file the values are kept exact).
 */
export const csvWriter: WriterFactory = (columns, out, opts) => {
  const cells = csvCells(columns, opts);
  out.write(csvHeader(columns, opts));
  return {
    row(values) {
      out.write(cells(values, 0) + "\r\n");
    },
    end() {
      out.flush();
    },
  };
};

/** A CSV row's parts are its cells, joined: a part's commas and quotes are the row's. */
export const csvPartRows: PartsFactory = (columns, out, opts) => {
  const cells = csvCells(columns, opts);
  out.write(csvHeader(columns, opts));
  return {
    part: cells,
    row(parts) {
      for (let i = 0; i < parts.length; i++) {
        if (i > 0) out.write(",");
        out.write(parts[i]!);
      }
      out.write("\r\n");
    },
    end() {
      out.flush();
    },
  };
};
