// The output formats, by name: one entry each.
import { wholeRows, type FixedRunFactory, type FixedRunRows, type TextOut, type WriterFactory, type WriterOptions } from "./writer.js";
import { tableWriter } from "./table.js";
import { jsonFixedRunRows, jsonWriter, jsonlFixedRunRows, jsonlWriter } from "./json.js";
import { csvFixedRunRows, csvWriter } from "./csv.js";
import { markdownWriter } from "./markdown.js";
import { verticalWriter } from "./vertical.js";
import { chartWriter } from "./charts/index.js";

/** The writers by format name (names.ts lists the same names; a test checks). */
export const FORMATS: Record<string, WriterFactory> = {
  table: tableWriter,
  json: jsonWriter,
  jsonl: jsonlWriter,
  csv: csvWriter,
  markdown: markdownWriter,
  vertical: verticalWriter,
  chart: chartWriter,
};

/** The formats that copy a run of columns made once into each row (FixedRunRows); the others write each row whole. */
const FIXED_RUN_FORMATS: Record<string, FixedRunFactory> = {
  json: jsonFixedRunRows,
  jsonl: jsonlFixedRunRows,
  csv: csvFixedRunRows,
};

/** Rows of the format written from their values and a run of columns made once. */
export function fixedRunRows(format: string, columns: Parameters<WriterFactory>[0], out: TextOut, opts: WriterOptions): FixedRunRows {
  return FIXED_RUN_FORMATS[format]?.(columns, out, opts) ?? wholeRows(FORMATS[format]!(columns, out, opts));
}

export type FormatName = keyof typeof FORMATS;
export { bufferedOut, byteOut, withRun, type FixedRun, type FixedRunRows, type TextOut, type WriterOptions } from "./writer.js";
export { formatTime, renderText, renderJson } from "./render.js";
export { rowObject } from "./json.js";
