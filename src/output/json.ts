import type { WriterFactory } from "./writer.js";
import { formatTime, renderJson } from "./render.js";
import { jsonText, jsonUnsafe } from "./safe.js";
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
 * A function giving a row's JSON text, the text JSON.stringify(rowObject(...)) gives, built without
 * the object (the JSON formats write millions of rows). Column names that an object would reorder
 * (array indexes) or merge (repeated) fall back to the object. The text is safeJson's: lone
 * surrogates as U+FFFD (valid for jq), DEL, C1 and bidi controls as `\u` escapes.
 */
export function rowJsonText(columns: Parameters<WriterFactory>[0]): (values: unknown[]) => string {
  const names = columns.map((c) => c.name);
  if (names.some((n) => /^(?:0|[1-9]\d*)$/.test(n)) || new Set(names).size < names.length) {
    return (values) => jsonText(rowObject(columns, values));
  }
  const keys = names.map((n) => jsonText(n) + ":");
  const times = columns.map((c) => c.type === "time");
  return (values) => {
    let s = "";
    for (let i = 0; i < columns.length; i++) {
      const x = values[i] as never;
      let v: string | undefined;
      // a time prints as digits and punctuation, nothing to escape
      if (times[i] && typeof x === "number" && Number.isFinite(x)) v = `"${formatTime(x)}"`;
      else {
        const j = renderJson(x, columns[i]!.type);
        // a string is checked as it is (shorter than its JSON, and one test); a structure as JSON
        if (typeof j === "string") v = jsonUnsafe(j) ? jsonText(j) : JSON.stringify(j);
        else if (j !== undefined) v = typeof j === "object" ? jsonText(j) : JSON.stringify(j);
      }
      if (v !== undefined) s += (s === "" ? "{" : ",") + keys[i] + v;
    }
    return s === "" ? "{}" : s + "}";
  };
}

/** `--format json`: one JSON array of row objects, streamed one row per line. */
export const jsonWriter: WriterFactory = (columns, out) => {
  let n = 0;
  const text = rowJsonText(columns);
  return {
    row(values) {
      out.write((n++ === 0 ? "[\n" : ",\n") + text(values));
    },
    end() {
      out.write(n === 0 ? "[]\n" : "\n]\n");
      out.flush();
    },
  };
};

/** `--format jsonl`: one JSON object a line. */
export const jsonlWriter: WriterFactory = (columns, out) => {
  const text = rowJsonText(columns);
  return {
    row(values) {
      out.write(text(values) + "\n");
    },
    end() {
      out.flush();
    },
  };
};
