import type { WriterFactory } from "./writer.js";
import { renderText } from "./render.js";
import { cellText } from "./table.js";

function cell(s: string): string {
  return cellText(s, undefined).replace(/\|/g, "\\|");
}

/** `--format markdown`: a GitHub-flavoured table. */
export const markdownWriter: WriterFactory = (columns, out) => {
  out.write("| " + columns.map((c) => cell(c.name)).join(" | ") + " |\n");
  out.write("|" + columns.map(() => " --- |").join("") + "\n");
  return {
    row(values) {
      out.write("| " + values.map((v, i) => cell(renderText(v, columns[i]!.type) ?? "")).join(" | ") + " |\n");
    },
    end() {
      out.flush();
    },
  };
};
