import type { WriterFactory } from "./writer.js";
import { renderText } from "./render.js";

function field(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** `--format csv`: RFC 4180, a header row, absent values as empty fields. */
export const csvWriter: WriterFactory = (columns, out) => {
  out.write(columns.map((c) => field(c.name)).join(",") + "\r\n");
  return {
    row(values) {
      out.write(values.map((v, i) => field(renderText(v, columns[i]!.type) ?? "")).join(",") + "\r\n");
    },
    end() {
      out.flush();
    },
  };
};
