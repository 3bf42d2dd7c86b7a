// json: a value from inside a field's JSON text into a column of its own.
import { QueryError } from "../../errors.js";
import type { GenericCmd } from "../../lang/ast.js";
import { resolveField } from "../../check/resolve.js";
import type { RExpr } from "../../check/rexpr.js";
import { findFunction } from "../../functions/registry.js";
import type { ScalarFn } from "../../functions/types.js";
import type { PlanBuilder } from "../builder.js";

/** `json field=F "key.sub" as alias` (or `"list[1].key"`): jsonParse(F).key.sub, computed into the column alias. */
export function planJson(cmd: GenericCmd, b: PlanBuilder): void {
  const a = cmd.args.filter((x) => x.kind !== "comma");
  const f = a[0];
  const path = a[1];
  const alias = a[2]?.kind === "keyword" && a[2].word.toLowerCase() === "as" ? a[3] : undefined;
  if (f?.kind !== "option" || f.name.toLowerCase() !== "field" || f.value.kind !== "field" || path?.kind !== "expr" || path.expr.kind !== "string" || alias?.kind !== "expr" || alias.expr.kind !== "field") {
    throw new QueryError('write: json field=FIELD "key.path" as NAME', cmd.span);
  }
  const jsonParse = findFunction("jsonParse") as ScalarFn;
  let expr: RExpr = { k: "call", fn: jsonParse, args: [resolveField(f.value, b.scope)], type: "any", ast: f.value };
  // `items[1].c` as field paths write it elsewhere: items, 1, c
  const keys = path.expr.value.replace(/\[(\d+)\]/g, ".$1").replace(/^\./, "").split(".");
  for (const key of keys) expr = { k: "member", target: expr, key, type: "any", ast: path.expr };
  const out = alias.expr.name;
  b.ops.push({ op: "compute", items: [{ name: out, expr }] });
  b.addColumn(out, "any");
}
