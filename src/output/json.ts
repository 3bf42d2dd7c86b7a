import type { WriterFactory } from "./writer.js";
import { renderJson } from "./render.js";

/** One object per row, keys in column order, absent values left out. */
export function rowObject(columns: Parameters<WriterFactory>[0], values: unknown[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) {
    const v = renderJson(values[i] as never, columns[i]!.type);
    if (v !== undefined) o[columns[i]!.name] = v;
  }
  return o;
}

/** `--format json`: one JSON array of row objects, streamed one row per line. */
export const jsonWriter: WriterFactory = (columns, out) => {
  let n = 0;
  return {
    row(values) {
      out.write((n++ === 0 ? "[\n" : ",\n") + JSON.stringify(rowObject(columns, values)));
    },
    end() {
      out.write(n === 0 ? "[]\n" : "\n]\n");
      out.flush();
    },
  };
};

/** `--format jsonl`: one JSON object a line. */
export const jsonlWriter: WriterFactory = (columns, out) => ({
  row(values) {
    out.write(JSON.stringify(rowObject(columns, values)) + "\n");
  },
  end() {
    out.flush();
  },
});
