// The output formats, by name: one entry each.
import type { PartsFactory, WriterFactory } from "./writer.js";
import { tableWriter } from "./table.js";
import { jsonPartRows, jsonWriter, jsonlPartRows, jsonlWriter } from "./json.js";
import { csvPartRows, csvWriter } from "./csv.js";
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

/** The formats whose rows can be written from parts made once and used again (PartRows). */
export const PART_FORMATS: Record<string, PartsFactory> = {
  json: jsonPartRows,
  jsonl: jsonlPartRows,
  csv: csvPartRows,
};

export type FormatName = keyof typeof FORMATS;
export { bufferedOut, byteOut, type PartRows, type TextOut, type WriterOptions } from "./writer.js";
export { formatTime, renderText, renderJson } from "./render.js";
export { rowObject } from "./json.js";
