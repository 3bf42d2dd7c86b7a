import type { WriterFactory } from "./writer.js";
import { renderText } from "./render.js";
import { visible } from "./safe.js";

/** Cell text on one line: control characters shown escaped (safe.ts: visible), cut to the width limit. */
export function cellText(s: string, max: number | undefined): string {
  const one = visible(s);
  if (max === undefined || [...one].length <= max) return one;
  return [...one].slice(0, Math.max(1, max - 1)).join("") + "…";
}

const NUMBER = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/;

function width(s: string): number {
  return [...s].length;
}

/**
 * `--format table` (the default): aligned columns with a header rule. Needs every row to size the
 * columns, so rows are buffered as text (not as events).
 */
export const tableWriter: WriterFactory = (columns, out, opts) => {
  const rows: string[][] = [];
  const head = columns.map((c) => visible(c.name));
  // sized as the rows come (a spread over a million rows would overflow the stack)
  const widths = head.map(width);
  const numeric = columns.map(() => true);
  return {
    row(values) {
      const cells = values.map((v, i) => cellText(renderText(v, columns[i]!.type) ?? "", opts.maxCellWidth));
      for (let i = 0; i < cells.length; i++) {
        const c = cells[i]!;
        widths[i] = Math.max(widths[i]!, width(c));
        if (numeric[i] && c !== "" && !NUMBER.test(c)) numeric[i] = false;
      }
      rows.push(cells);
    },
    end() {
      if (rows.length === 0) numeric.fill(false);
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
