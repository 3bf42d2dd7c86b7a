// relevantfields: which fields' values set the rows that meet a condition apart from the rest. Its
// rows (one a field) replace the events: only its columns exist after it.
import { QueryError } from "../../errors.js";
import type { GenericCmd } from "../../lang/ast.js";
import { resolveExpr, resolveField } from "../../check/resolve.js";
import { fieldRef, type PlanBuilder } from "../builder.js";
import type { NamedExpr } from "../plan.js";

/** `relevantfields [field, ...] where CONDITION` (no fields: every field of the events). */
export function planRelevantfields(cmd: GenericCmd, b: PlanBuilder): void {
  const a = cmd.args.filter((x) => x.kind !== "comma");
  const at = a.findIndex((x) => x.kind === "keyword" && x.word.toLowerCase() === "where");
  let cond = a[at + 1];
  // `where x = 1` reads as the option x=1 in a command's arguments: it is the condition
  if (cond?.kind === "option" && cond.value.kind !== "word") {
    const text = b.query.source.slice(cond.span.start, cond.span.end);
    cond = { kind: "expr", span: cond.span, expr: { kind: "binary", op: "=", left: fieldRef(cond.name, cond.span), right: cond.value, span: cond.span, text } };
  }
  if (at < 0 || cond?.kind !== "expr" || at + 2 !== a.length) throw new QueryError("write: relevantfields [field, ...] where CONDITION", cmd.span);
  const fields = a.slice(0, at).map((x): NamedExpr => {
    if (x.kind !== "expr" || x.expr.kind !== "field") throw new QueryError("relevantfields takes field names before where", x.span);
    return { name: x.expr.name, expr: resolveField(x.expr, b.scope) };
  });
  b.ops.push({ op: "relevantfields", fields, cond: resolveExpr(cond.expr, b.scope, undefined, "in relevantfields") });
  b.onlyColumns([["@fieldName", "string"], ["@relevanceScore", "number"], ["@topRelevanceContributors", "string"], ["@conditionalMedian", "number"], ["@baselineMedian", "number"]]);
}
