// lookup: enrich rows from a CSV lookup table.
import { QueryError, didYouMean } from "../../errors.js";
import type { Expr, GenericArg, GenericCmd } from "../../lang/ast.js";
import type { LookupTables } from "../../lookup/tables.js";
import { resolveExpr, type Scope } from "../../check/resolve.js";
import type { RExpr } from "../../check/rexpr.js";
import type { PlanOp } from "../plan.js";

/** lookup TABLE col [as field], ... OUTPUT|OUTPUTNEW out [as name], ... */
export function lookupOp(cmd: GenericCmd, scope: Scope, tables: LookupTables | undefined): Extract<PlanOp, { op: "lookup" }> {
  const args = cmd.args.filter((a) => a.kind !== "comma");
  const tableArg = args[0];
  if (!tableArg || tableArg.kind !== "expr" || tableArg.expr.kind !== "field") throw new QueryError("lookup needs a table name: lookup TABLE column OUTPUT fields", cmd.span);
  const tableName = tableArg.expr.name;
  const table = tables?.get(tableName);
  if (!table) {
    const names = tables?.names() ?? [];
    throw new QueryError(
      `no lookup table named ${tableName}`,
      tableArg.span,
      didYouMean(tableName, names) ?? (names.length ? `tables: ${names.join(", ")}` : "give one with --lookup NAME=file.csv, or put NAME.csv in $XDG_CONFIG_HOME/trailq/lookups"),
    );
  }
  const outAt = args.findIndex((a) => a.kind === "keyword" && /^output(new)?$/i.test(a.word));
  if (outAt < 0) throw new QueryError("lookup needs OUTPUT or OUTPUTNEW and the fields to add", cmd.span);
  const column = (a: GenericArg): { index: number; name: string } => {
    if (a.kind !== "expr" || a.expr.kind !== "field") throw new QueryError("expected a column name of the lookup table", a.span);
    const index = table.columns.indexOf(a.expr.name);
    if (index < 0) throw new QueryError(`lookup table ${tableName} has no column ${a.expr.name}`, a.span, didYouMean(a.expr.name, table.columns) ?? `its columns: ${table.columns.join(", ")}`);
    return { index, name: a.expr.name };
  };
  /** `x [as y]` pairs from a run of arguments. */
  const pairs = (run: GenericArg[]): [GenericArg, GenericArg | undefined][] => {
    const out: [GenericArg, GenericArg | undefined][] = [];
    for (let i = 0; i < run.length; i++) {
      const a = run[i]!;
      const next = run[i + 1];
      if (next?.kind === "keyword" && next.word.toLowerCase() === "as") {
        out.push([a, run[i + 2]]);
        i += 2;
      } else out.push([a, undefined]);
    }
    return out;
  };
  const keyCols: number[] = [];
  const keys: RExpr[] = [];
  for (const [col, field] of pairs(args.slice(1, outAt))) {
    const c = column(col);
    keyCols.push(c.index);
    const f = field ?? col;
    if (f.kind !== "expr") throw new QueryError("expected a field after as", f.span);
    keys.push(resolveExpr(f.expr, scope, undefined, "in lookup"));
  }
  if (keys.length === 0) throw new QueryError("lookup needs the column(s) to match on before OUTPUT", args[outAt]!.span);
  const outputs = pairs(args.slice(outAt + 1)).map(([col, alias]) => {
    const c = column(col);
    const target = alias && alias.kind === "expr" && alias.expr.kind === "field" ? alias.expr : col.kind === "expr" && col.expr.kind === "field" ? col.expr : undefined;
    const name = target ? target.name : c.name;
    // OUTPUTNEW reads the field's value now; after stats a field that isn't a column has none.
    const current: RExpr =
      target && (!scope.afterStats || scope.columns.has(name))
        ? resolveExpr(target, scope, undefined, "in lookup")
        : { k: "const", value: undefined, type: "any", ast: (target ?? (col as { expr: Expr }).expr) };
    return { column: c.index, name, current };
  });
  if (outputs.length === 0) throw new QueryError("lookup needs the fields to add after OUTPUT", args[outAt]!.span);
  const index = new Map<string, string[]>();
  for (const row of table.rows) {
    const k = keyCols.map((i) => row[i] ?? "").join("\u0001");
    if (!index.has(k)) index.set(k, row);
  }
  const onlyNew = (args[outAt] as { word: string }).word.toLowerCase() === "outputnew";
  return { op: "lookup", table: tableName, index, keys, outputs, onlyNew };
}

