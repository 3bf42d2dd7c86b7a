import type { OutputColumn } from "../plan/plan.js";
import type { Value } from "../exec/values.js";
import { wholeRows, type FixedRunFactory, type TextOut, type WriterFactory, type WriterOptions } from "./writer.js";
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
 * A function writing a row's cell for column i straight into an output of bytes (byteOut): a time
 * as bytes, a text that needs no quotes and no formula guard (printable ASCII without `"` or `,`, not
 * starting as a formula may) copied as it is checked, any other cell as csvField makes it. No text
 * is made.
 */
function cellWriter(columns: OutputColumn[], out: Required<TextOut>, opts: WriterOptions): (i: number, x: Value) => void {
  const field = csvField(opts);
  const times = columns.map((c) => c.type === "time");
  return (i, x) => {
    if (times[i] && typeof x === "number" && x >= YEAR_0 && x < YEAR_10000 && out.time(x, false)) return;
    const text = renderText(x, columns[i]!.type);
    if (text === undefined) return;
    if (typeof x === "string" && !GUARDED_START.test(text) && out.plain(text)) return;
    out.write(field(text));
  };
}

/** Whether rows can be written straight into the output's bytes (cellWriter): not on a terminal, whose cells show escapes. */
const direct = (out: TextOut, opts: WriterOptions): boolean => out.plain !== undefined && out.time !== undefined && out.bytes !== undefined && !opts.terminal;

/**
 * `--format csv`: RFC 4180, a header row, absent values as empty fields. A cell a spreadsheet would
 * run as a formula gets a leading `'` (not with `--csv-raw`); on a terminal, control characters are
 * shown escaped as in the table (in a pipe or a file the values are kept exact).
 */
export const csvWriter: WriterFactory = (columns, out, opts) => {
  out.write(csvHeader(columns, opts));
  if (direct(out, opts)) {
    const cell = cellWriter(columns, out as Required<TextOut>, opts);
    return {
      row(values) {
        for (let i = 0; i < columns.length; i++) {
          if (i > 0) out.write(",");
          cell(i, values[i]!);
        }
        out.write("\r\n");
      },
      end: () => out.flush(),
    };
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

/** CSV rows with a run of columns made once (FixedRunRows): the run's cells as bytes, copied into each row. */
export const csvFixedRunRows: FixedRunFactory = (columns, out, opts) => {
  if (!direct(out, opts)) return wholeRows(csvWriter(columns, out, opts));
  out.write(csvHeader(columns, opts));
  const bytesOut = out as Required<TextOut>;
  const cell = cellWriter(columns, bytesOut, opts);
  const cells = csvCells(columns, opts);
  const comma = Buffer.from(",");
  return {
    fixed: (values, from) => ({ from, values, bytes: Buffer.from(cells(values, from)) }),
    row(values, run) {
      const { from } = run;
      const skip = run.values.length;
      for (let i = 0; i < columns.length; i++) {
        // the run's cells are written with the run's first column, commas between them included
        if (i > from && i < from + skip) continue;
        if (i > 0) bytesOut.bytes(comma);
        if (i < from) cell(i, values[i]!);
        else if (i >= from + skip) cell(i, values[i - skip]!);
        else bytesOut.bytes(run.bytes!);
      }
      out.write("\r\n");
    },
    end() {
      out.flush();
    },
  };
};
