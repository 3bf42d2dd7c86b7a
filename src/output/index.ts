// The output formats, by name: one entry each.
import type { WriterFactory } from "./writer.js";
import { tableWriter } from "./table.js";
import { jsonWriter, jsonlWriter } from "./json.js";
import { csvWriter } from "./csv.js";
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

export type FormatName = keyof typeof FORMATS;
export { bufferedOut, type TextOut, type WriterOptions } from "./writer.js";
export { formatTime, renderText, renderJson } from "./render.js";
export { rowObject } from "./json.js";
