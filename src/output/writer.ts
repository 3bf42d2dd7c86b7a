// The result writers' shared parts: the output they write to, and what each format implements.
import type { OutputColumn } from "../plan/plan.js";
import type { ResultSink } from "../exec/pipeline.js";
import type { ChartInfo } from "./charts/series.js";
import type { Value } from "../exec/values.js";
import { putTime } from "./render.js";

/** Where text goes: buffered, flushed in large chunks. */
export interface TextOut {
  write(s: string): void;
  flush(): void;
  /** Text encoded (UTF-8) once, a row's keys and braces: its bytes copied as they are (byteOut). */
  bytes?(bytes: Uint8Array): void;
  /**
   * `"s"` and true when s is printable ASCII holding no `"` and no `\` (what JSON writes as it is, and
   * most values are), else nothing and false (byteOut): one pass that checks and copies.
   */
  quoted?(s: string): boolean;
  /**
   * s and true when s is printable ASCII holding no `"` and no `,` (a CSV cell that needs no quotes),
   * else nothing and false (byteOut).
   */
  plain?(s: string): boolean;
  /**
   * A time value (epoch ms, finite) as `YYYY-MM-DD HH:MM:SS.mmm`, in double quotes when `quotes`, and
   * true, written as bytes (render.ts putTime); false, and nothing, when the display zone is not UTC
   * (byteOut).
   */
  time?(ms: number, quotes: boolean): boolean;
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

/**
 * Buffer's own encoders (what write(s, offset, "utf8") calls after checking and normalizing its
 * arguments, which took 3 times as long as the encoding for the short texts of a row).
 */
interface Encoders {
  utf8Write(s: string, offset: number): number;
  latin1Write(s: string, offset: number): number;
}

/**
 * Texts at least this long are checked by a regex and copied by Buffer's latin1 encoder, the
 * shorter a character at a time: on detect's findings (an ARN, an eventID, a file's path as @ptr
 * besides short names) 480 ns a finding's seven texts against 610 all by the loop and 660 all native.
 */
const NATIVE_COPY = 16;
/** What quoted() writes as it is: printable ASCII but `"` and `\`. */
const NOT_QUOTABLE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;
/** What plain() writes as it is: printable ASCII but `"` and `,`. */
const NOT_PLAIN = /[^\x20\x21\x23-\x2b\x2d-\x7e]/;

/** Bytes a quoted time takes at most (a year written with its sign and six digits: 28). */
const TIME_ROOM = 32;

/** The bytes byteOut gathers before writing them. */
const BYTE_CHUNK = 64 * 1024;

/**
 * Texts up to this long are copied into the buffer a character at a time when they are ASCII: a
 * call of utf8Write costs about 50 ns whatever the length, the loop 7 ns for one character and 24
 * for 12 (the commas and braces between a row's columns). Bytes too: longer ones (a rule's columns
 * in each of its findings) are copied by set().
 */
const SHORT_TEXT = 12;

/**
 * A TextOut over a write function of bytes: each text is written as UTF-8 straight into a 64 KiB
 * buffer, handed on when full and at the end. No text is joined to another first (millions of rows
 * make no garbage strings). `write` says whether it is done with the bytes (written out, not queued):
 * then the buffer is used again, else the next bytes go to a new one.
 */
export function byteOut(write: (bytes: Buffer) => boolean): TextOut {
  let buf = Buffer.allocUnsafe(BYTE_CHUNK);
  let at = 0;
  const flush = (): void => {
    if (at === 0) return;
    if (!write(buf.subarray(0, at))) buf = Buffer.allocUnsafe(BYTE_CHUNK);
    at = 0;
  };
  return {
    write(s) {
      // UTF-8 takes at most 3 bytes per UTF-16 unit
      if (at + 3 * s.length > BYTE_CHUNK) {
        flush();
        if (3 * s.length > BYTE_CHUNK) return void write(Buffer.from(s, "utf8"));
      }
      const n = s.length;
      if (n <= SHORT_TEXT) {
        let i = 0;
        for (; i < n; i++) {
          const c = s.charCodeAt(i);
          if (c >= 0x80) break;
          buf[at + i] = c;
        }
        if (i === n) return void (at += n);
      }
      at += (buf as unknown as Encoders).utf8Write(s, at);
    },
    bytes(bytes) {
      const n = bytes.length;
      if (at + n > BYTE_CHUNK) {
        flush();
        if (n > BYTE_CHUNK) return void write(Buffer.from(bytes));
      }
      if (n <= SHORT_TEXT) for (let i = 0; i < n; i++) buf[at + i] = bytes[i]!;
      else buf.set(bytes, at);
      at += n;
    },
    quoted(s) {
      const n = s.length;
      if (at + n + 2 > BYTE_CHUNK) {
        flush();
        if (n + 2 > BYTE_CHUNK) return false;
      }
      if (n >= NATIVE_COPY) {
        if (NOT_QUOTABLE.test(s)) return false;
        (buf as unknown as Encoders).latin1Write(s, at + 1);
      } else
        for (let i = 0; i < n; i++) {
          const c = s.charCodeAt(i);
          if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
          buf[at + 1 + i] = c;
        }
      buf[at] = buf[at + 1 + n] = 0x22;
      at += n + 2;
      return true;
    },
    plain(s) {
      const n = s.length;
      if (at + n > BYTE_CHUNK) {
        flush();
        if (n > BYTE_CHUNK) return false;
      }
      if (n >= NATIVE_COPY) {
        if (NOT_PLAIN.test(s)) return false;
        (buf as unknown as Encoders).latin1Write(s, at);
      } else
        for (let i = 0; i < n; i++) {
          const c = s.charCodeAt(i);
          if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x2c) return false;
          buf[at + i] = c;
        }
      at += n;
      return true;
    },
    time(ms, quotes) {
      if (at + TIME_ROOM > BYTE_CHUNK) flush();
      const q = quotes ? 1 : 0;
      const n = putTime(ms, buf, at + q);
      if (n === 0) return false;
      if (quotes) buf[at] = buf[at + 1 + n] = 0x22;
      at += n + 2 * q;
      return true;
    },
    flush,
  };
}

/**
 * A run of consecutive columns whose values many rows share, made once (detect: a rule's level,
 * title, id, author and tags, in every finding of the rule): its values, and the run's members or
 * cells as UTF-8 when the output takes bytes.
 */
export interface FixedRun {
  readonly from: number;
  readonly values: readonly Value[];
  readonly bytes?: Uint8Array;
}

/**
 * Rows written from their own values and a FixedRun. The line formats (json, jsonl, csv) copy the
 * run's bytes into each row; the others write each row whole (wholeRows).
 */
export interface FixedRunRows {
  /** The run of the columns from `from` on, one per value (none: a run of no column). */
  fixed(values: readonly Value[], from: number): FixedRun;
  /** Writes a row: `values` are its columns but the run's (those before it, then those after), the run in its place. */
  row(values: readonly Value[], run: FixedRun): void;
  end(): void;
}

export type FixedRunFactory = (columns: OutputColumn[], out: TextOut, opts: WriterOptions) => FixedRunRows | undefined;

/** A row's values with the run's in their place. */
export function withRun(values: readonly Value[], run: FixedRun): Value[] {
  return [...values.slice(0, run.from), ...run.values, ...values.slice(run.from)];
}

/** FixedRunRows over a writer of whole rows (the formats that have no faster way, and outputs of text). */
export function wholeRows(sink: ResultSink): FixedRunRows {
  return {
    fixed: (values, from) => ({ from, values }),
    row: (values, run) => sink.row(withRun(values, run)),
    end: () => sink.end(),
  };
}
