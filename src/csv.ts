// CSV as RFC 4180 writes it: for lookup tables and `parse ... csv`.

/** A malformed CSV text: what is wrong and the line (1-based) where it is. */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export interface CsvRecord {
  cells: string[];
  /** The line the record starts on (1-based; a quoted field may hold line ends). */
  line: number;
}

/**
 * RFC 4180 CSV: quoted fields with "" escapes, CRLF, LF or CR line ends; blank lines are skipped. A
 * quote inside a field that does not start with one is an ordinary character (`5" disk`).
 * `strict` (lookup tables): a quoted field never closed, or text after a field's closing quote, is a
 * CsvError naming the line; otherwise the text is read as it comes (`parse ... csv` on log data).
 */
export function parseCsvRecords(text: string, strict = false): CsvRecord[] {
  const records: CsvRecord[] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  /** After a quoted field's closing quote: only a comma or a line end may follow. */
  let closed = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
  const endRow = (): void => {
    row.push(field);
    if (!(row.length === 1 && row[0] === "" && !closed)) records.push({ cells: row, line: rowLine });
    row = [];
    field = "";
    closed = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          closed = true;
        }
      } else {
        if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) line++;
        field += c;
      }
    } else if (c === "," || c === "\n" || c === "\r") {
      if (c === ",") {
        row.push(field);
        field = "";
        closed = false;
      } else {
        if (c === "\r" && text[i + 1] === "\n") i++;
        endRow();
        line++;
        rowLine = line;
      }
    } else if (closed) {
      if (strict) throw new CsvError(line, `text after the closing quote of a field (a quote inside a quoted field is written "")`);
      field += c;
    } else if (c === '"' && field === "") {
      quoted = true;
      quoteLine = line;
    } else field += c;
  }
  if (quoted && strict) throw new CsvError(quoteLine, "a quoted field starts on this line and is never closed");
  if (field !== "" || row.length > 0 || closed) endRow();
  return records;
}

/** The records' cells, read leniently (see parseCsvRecords). */
export function parseCsv(text: string): string[][] {
  return parseCsvRecords(text).map((r) => r.cells);
}
