import type { WriterFactory } from "./writer.js";
import { renderText } from "./render.js";
import { markdownText } from "./safe.js";

/** `--format markdown`: a GitHub-flavoured table; every cell one line, its markdown characters escaped. */
export const markdownWriter: WriterFactory = (columns, out) => {
  out.write("| " + columns.map((c) => markdownText(c.name)).join(" | ") + " |\n");
  out.write("|" + columns.map(() => " --- |").join("") + "\n");
  return {
    row(values) {
      out.write("| " + values.map((v, i) => markdownText(renderText(v, columns[i]!.type) ?? "")).join(" | ") + " |\n");
    },
    end() {
      out.flush();
    },
  };
};
