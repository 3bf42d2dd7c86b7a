import type { OutputColumn } from "../plan/plan.js";
import type { Value } from "../exec/values.js";
import type { PartsFactory, TextOut, WriterFactory, WriterOptions } from "./writer.js";
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
 * What a text cell starting with this character may need: quotes (`"`), the formula guard (`=`, `+`,
 * `-`, `@`, and white space before them): the cells written as they are (directRows) start with none.
 */
const GUARDED_START = /^[\s"=+\-@]/;

/** The times whose text starts with a digit (years 0000 to 9999): a year's sign would be a formula's. */
const YEAR_0 = -62_167_219_200_000;
const YEAR_10000 = 253_402_300_800_000;

/**
 * Writes a row's cells straight into an output of bytes (byteOut): a time as bytes, a text that
 * needs no quotes and no formula guard (printable ASCII without `"` or `,`, not starting as a
 * formula may) copied as it is checked, any other cell as csvField makes it. No row's text is made.
 */
function directRows(columns: OutputColumn[], out: Required<TextOut>, opts: WriterOptions): (values: readonly Value[]) => void {
  const field = csvField(opts);
  const times = columns.map((c) => c.type === "time");
  return (values) => {
    for (let i = 0; i < columns.length; i++) {
      if (i > 0) out.write(",");
      const x = values[i]!;
      if (times[i] && typeof x === "number" && x >= YEAR_0 && x < YEAR_10000 && out.time(x, false)) continue;
      const text = renderText(x, columns[i]!.type);
      if (text === undefined) continue;
      if (typeof x === "string" && !GUARDED_START.test(text) && out.plain(text)) continue;
      out.write(field(text));
    }
    out.write("\r\n");
  };
}

/**
 * `--format csv`: RFC 4180, a header row, absent values as empty fields. A cell a spreadsheet would
 * run as a formula gets a leading `'` (not with `--csv-raw`); on a terminal, control characters are
 * shown escaped as in the table (in a pipe or a file the values are kept exact).
 */
export const csvWriter: WriterFactory = (columns, out, opts) => {
  out.write(csvHeader(columns, opts));
  if (out.plain && out.time && !opts.terminal) {
    const row = directRows(columns, out as Required<TextOut>, opts);
    return { row, end: () => out.flush() };
  }
  const cells = csvCells(columns, opts);
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
