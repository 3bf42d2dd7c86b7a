import type { PartRows, PartsFactory, TextOut, WriterFactory } from "./writer.js";
import { formatTime, renderJson } from "./render.js";
import { isTime } from "../time/bounds.js";
import { jsonString, jsonText } from "./safe.js";
import { setOwn } from "../exec/own.js";

/** One object per row, keys in column order, absent values left out. */
export function rowObject(columns: Parameters<WriterFactory>[0], values: unknown[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) {
    const v = renderJson(values[i] as never, columns[i]!.type);
    if (v !== undefined) setOwn(o, columns[i]!.name, v);
  }
  return o;
}

/**
 * Whether the columns' names are each there once: their members are then written in column order
 * (an object would put names that are array indexes first); a repeated name goes through the row's
 * object (the last value, at the first name's place).
 */
function plainNames(columns: Parameters<WriterFactory>[0]): boolean {
  return new Set(columns.map((c) => c.name)).size === columns.length;
}

/**
 * A function giving the members of a row's JSON object (`"a":1,"b":"x"`, no braces; empty when every
 * value is left out): the text JSON.stringify(rowObject(...)) holds between its braces, built without
 * the object (the JSON formats write millions of rows). The text is safeJson's: lone surrogates as
 * U+FFFD (valid for jq), DEL, C1 and bidi controls as `\u` escapes. For column names each there once
 * (plainNames), in column order (where the object would put names that are array indexes first).
 */
function jsonMembers(columns: Parameters<WriterFactory>[0]): (values: readonly unknown[]) => string {
  const keys = columns.map((c) => jsonText(c.name) + ":");
  const times = columns.map((c) => c.type === "time");
  return (values) => {
    let s = "";
    for (let i = 0; i < columns.length; i++) {
      const x = values[i] as never;
      let v: string | undefined;
      // a time prints as digits and punctuation, nothing to escape
      if (times[i] && typeof x === "number" && isTime(x)) v = `"${formatTime(x)}"`;
      else {
        const j = renderJson(x, columns[i]!.type);
        // a string is checked as it is (shorter than its JSON; most need nothing escaped); a
        // structure as JSON
        if (typeof j === "string") v = jsonString(j);
        else if (j !== undefined) v = otherJson(j);
      }
      if (v !== undefined) s += (s === "" ? "" : ",") + keys[i] + v;
    }
    return s;
  };
}

/** The JSON text of a value renderJson gave that is not a string: a number, a structure. */
const otherJson = (j: unknown): string => (typeof j === "object" ? jsonText(j) : JSON.stringify(j)!);

/**
 * Writes a row's JSON object straight into an output of bytes (byteOut: TextOut.bytes and quoted),
 * the text rowJsonText gives: the keys and braces as bytes made once, a value that JSON writes as it
 * is copied as it is checked, the others as jsonMembers writes them. No row's text is made: about
 * 80 ns less a row of three columns (200,000 rows, 84 -> 68 ms).
 */
function directRows(columns: Parameters<WriterFactory>[0], out: Required<TextOut>, frame: JsonFrame): (values: readonly unknown[]) => void {
  const key = (c: (typeof columns)[number], comma: string): Uint8Array => Buffer.from(comma + jsonText(c.name) + ":");
  const firstKeys = columns.map((c) => key(c, "{"));
  const laterKeys = columns.map((c) => key(c, ","));
  const empty = Buffer.from("{");
  const close = Buffer.from("}" + frame.after);
  const times = columns.map((c) => c.type === "time");
  return (values) => {
    const before = frame.before();
    if (before) out.write(before);
    let first = true;
    for (let i = 0; i < columns.length; i++) {
      const x = values[i];
      // a time written as bytes, no text made (in UTC, the display zone but for --tz)
      if (times[i] && typeof x === "number" && isTime(x)) {
        out.bytes(first ? firstKeys[i]! : laterKeys[i]!);
        first = false;
        if (!out.time(x, true)) out.write(`"${formatTime(x)}"`);
        continue;
      }
      const j = renderJson(x as never, columns[i]!.type);
      if (j === undefined) continue;
      out.bytes(first ? firstKeys[i]! : laterKeys[i]!);
      first = false;
      if (typeof j !== "string") out.write(otherJson(j));
      else if (!out.quoted(j)) out.write(jsonString(j));
    }
    if (first) out.bytes(empty);
    out.bytes(close);
  };
}

/**
 * A function giving a row's JSON text, the text JSON.stringify(rowObject(...)) gives, its members in
 * column order. A repeated column name is one member, at its first column's place, with the value
 * of its last column that has one (as the object keeps it).
 */
export function rowJsonText(columns: Parameters<WriterFactory>[0]): (values: unknown[]) => string {
  if (plainNames(columns)) {
    const members = jsonMembers(columns);
    return (values) => "{" + members(values) + "}";
  }
  // each name once, at its first place, with the places that hold it, last first
  const places = new Map<string, number[]>();
  columns.forEach((c, i) => {
    const at = places.get(c.name);
    if (at) at.unshift(i);
    else places.set(c.name, [i]);
  });
  const keys = [...places.keys()].map((name) => jsonText(name) + ":");
  const from = [...places.values()];
  return (values) => {
    let s = "";
    for (let k = 0; k < keys.length; k++) {
      let j: unknown;
      for (const i of from[k]!) if ((j = renderJson(values[i] as never, columns[i]!.type)) !== undefined) break;
      if (j !== undefined) s += (s === "" ? "" : ",") + keys[k] + jsonText(j);
    }
    return "{" + s + "}";
  };
}

/** Rows of the JSON formats made of parts (PartsFactory): a part is some columns' members. */
function jsonParts(columns: Parameters<WriterFactory>[0], out: TextOut, frame: JsonFrame): PartRows | undefined {
  if (!plainNames(columns)) return undefined;
  // by the part's first column and count (a number: a text made a call was 2.6 million on a detect run)
  const byStart = new Map<number, (values: readonly unknown[]) => string>();
  const close = "}" + frame.after;
  return {
    part(values, from) {
      const k = from * (columns.length + 1) + values.length;
      let f = byStart.get(k);
      if (!f) byStart.set(k, (f = jsonMembers(columns.slice(from, from + values.length))));
      return f(values);
    },
    // the parts are written as they are, not joined first: no row's text is made
    row(parts) {
      out.write(frame.before() + "{");
      let first = true;
      for (const p of parts) {
        if (p === "") continue;
        if (!first) out.write(",");
        out.write(p);
        first = false;
      }
      out.write(close);
    },
    end: () => frame.end(),
  };
}

/** How the JSON formats frame their rows: the text before each row's object, after it, and at the end. */
interface JsonFrame {
  before(): string;
  after: string;
  end(): void;
}

/** `--format json`: one JSON array of row objects, streamed one row per line. */
function jsonArray(out: TextOut): JsonFrame {
  let n = 0;
  return {
    before: () => (n++ === 0 ? "[\n" : ",\n"),
    after: "",
    end() {
      out.write(n === 0 ? "[]\n" : "\n]\n");
      out.flush();
    },
  };
}

/** `--format jsonl`: one JSON object a line. */
function jsonLines(out: TextOut): JsonFrame {
  return { before: () => "", after: "\n", end: () => out.flush() };
}

const framedWriter =
  (frame: (out: TextOut) => JsonFrame): WriterFactory =>
  (columns, out) => {
    const f = frame(out);
    if (out.bytes && out.quoted && out.time && plainNames(columns)) return { row: directRows(columns, out as Required<TextOut>, f), end: () => f.end() };
    const text = rowJsonText(columns);
    return { row: (values) => out.write(f.before() + text(values) + f.after), end: () => f.end() };
  };

export const jsonWriter = framedWriter(jsonArray);
export const jsonlWriter = framedWriter(jsonLines);
export const jsonPartRows: PartsFactory = (columns, out) => jsonParts(columns, out, jsonArray(out));
export const jsonlPartRows: PartsFactory = (columns, out) => jsonParts(columns, out, jsonLines(out));
