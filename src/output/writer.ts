// The result writers' shared parts: the output they write to, and what each format implements.
import type { OutputColumn } from "../plan/plan.js";
import type { ResultSink } from "../exec/pipeline.js";
import type { ChartInfo } from "./charts/series.js";

/** Where text goes: buffered, flushed in large chunks. */
export interface TextOut {
  write(s: string): void;
  flush(): void;
}

export interface WriterOptions {
  /** The terminal's width, which the table (and the vertical format's values) fit: cells are cut; undefined (a pipe, a file) = never. */
  fitWidth?: number;
  /** Terminal width for charts (80 when not a terminal). */
  width?: number;
  /** ANSI colour (a terminal without NO_COLOR). */
  color?: boolean;
  /** The text goes to a terminal (the prompt, or standard output on one): csv escapes control characters. */
  terminal?: boolean;
  /** csv: cells that look like formulas are written as they are (`--csv-raw`). */
  csvRaw?: boolean;
  /** What a chart needs to know of the query. */
  chart?: ChartInfo;
}

export type WriterFactory = (columns: OutputColumn[], out: TextOut, opts: WriterOptions) => ResultSink;

/** A TextOut over a write function, flushing every 64 KiB and at the end. */
export function bufferedOut(write: (s: string) => void): TextOut {
  let buf = "";
  return {
    write(s) {
      buf += s;
      if (buf.length >= 65536) {
        write(buf);
        buf = "";
      }
    },
    flush() {
      if (buf) write(buf);
      buf = "";
    },
  };
}
