// addtotals: row totals and/or a last row of column totals.
import { QueryError } from "../../errors.js";
import type { GenericCmd } from "../../lang/ast.js";
import type { PlanBuilder } from "../builder.js";
import type { OutputColumn, PlanOp } from "../plan.js";

/**
 * addtotals [fieldname=Name] [row=true|false] [col=true|false] [f1, f2, ...]: the fields to add are
 * the ones listed, else every output column so far but times; non-numeric values count as nothing.
 */
function addTotals(cmd: GenericCmd, shown: readonly Pick<OutputColumn, "name" | "type">[]): Extract<PlanOp, { op: "addtotals" }> {
  let name = "Total";
  let row = true;
  let col = false;
  const listed: string[] = [];
  for (const a of cmd.args) {
    if (a.kind === "option") {
      const key = a.name.toLowerCase();
      const v = a.value.kind === "word" ? a.value.text : a.value.kind === "field" ? a.value.name : a.value.text;
      const bool = /^(true|1)$/i.test(v) ? true : /^(false|0)$/i.test(v) ? false : undefined;
      if (key === "fieldname") name = v.replace(/^["']|["']$/g, "");
      else if (key === "row" && bool !== undefined) row = bool;
      else if (key === "col" && bool !== undefined) col = bool;
      else throw new QueryError(`addtotals takes fieldname=, row=true|false, col=true|false and field names; not ${a.name}=${v}`, a.span);
    } else if (a.kind === "expr" && a.expr.kind === "field") listed.push(a.expr.name);
    else if (a.kind !== "comma") throw new QueryError("addtotals takes field names", a.span);
  }
  // not listed: every output column but times (bin(), @timestamp, earliest(): epoch milliseconds, not amounts)
  const fields = listed.length ? listed : shown.filter((c) => c.type !== "time").map((c) => c.name).filter((n) => n !== name);
  const op: Extract<PlanOp, { op: "addtotals" }> = { op: "addtotals", listed: listed.length > 0 };
  if (row) op.rowTotal = { name, fields };
  if (col) op.columnTotals = row ? [...fields, name] : fields;
  return op;
}

/** The totals read the output columns by name, so they become columns of the row first. */
export function planAddtotals(cmd: GenericCmd, b: PlanBuilder): void {
  b.materialize();
  const op = addTotals(cmd, b.shownSoFar());
  if (op.rowTotal) {
    const total = op.rowTotal.name;
    // shown after display's columns too, or in place of one of the same name
    b.addColumn(total, "number", true);
  }
  b.ops.push(op);
}
