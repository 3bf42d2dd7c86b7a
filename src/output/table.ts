import type { WriterFactory } from "./writer.js";
import { renderText } from "./render.js";

/** Cell text on one line: control characters shown escaped, cut to the width limit. */
export function cellText(s: string, max: number | undefined): string {
  const one = s.replace(/\r?\n/g, "\\n").replace(/\t/g, "\\t");
  if (max === undefined || [...one].length <= max) return one;
  return [...one].slice(0, Math.max(1, max - 1)).join("") + "…";
}

function width(s: string): number {
  return [...s].length;
}

/**
 * `--format table` (the default): aligned columns with a header rule. Needs every row to size the
 * columns, so rows are buffered as text (not as events).
 */
export const tableWriter: WriterFactory = (columns, out, opts) => {
  const rows: string[][] = [];
  return {
    row(values) {
      rows.push(values.map((v, i) => cellText(renderText(v, columns[i]!.type) ?? "", opts.maxCellWidth)));
    },
    end() {
      const head = columns.map((c) => c.name);
      const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))));
      const numeric = columns.map((_, i) => rows.length > 0 && rows.every((r) => r[i] === "" || /^-?\d+(\.\d+)?(e[-+]?\d+)?$/.test(r[i]!)));
      const line = (cells: string[]): string =>
        cells
          .map((c, i) => {
            const pad = " ".repeat(widths[i]! - width(c));
            return numeric[i] ? pad + c : i === cells.length - 1 ? c : c + pad;
          })
          .join(" │ ")
          .trimEnd() + "\n";
      out.write(line(head));
      out.write(widths.map((w) => "─".repeat(w)).join("─┼─") + "\n");
      for (const r of rows) out.write(line(r));
      out.flush();
    },
  };
};
