// lookup and cidrlookup: enrich rows from a CSV lookup table.
import { QueryError, didYouMean } from "../../errors.js";
import type { GenericArg, GenericCmd } from "../../lang/ast.js";
import type { LookupTable, LookupTables } from "../../lookup/tables.js";
import { resolveExpr, type Scope } from "../../check/resolve.js";
import type { RExpr } from "../../check/rexpr.js";
import type { PlanBuilder } from "../builder.js";
import type { PlanOp } from "../plan.js";
import { parseCidr, type Subnet } from "../../functions/ip.js";
import { joinedKey } from "../../exec/values.js";

type Output = Extract<PlanOp, { op: "lookup" }>["outputs"][number];

function tableOf(arg: GenericArg | undefined, cmd: GenericCmd, tables: LookupTables | undefined): LookupTable {
  if (!arg || arg.kind !== "expr" || arg.expr.kind !== "field") throw new QueryError(`${cmd.keyword} needs a table name: ${cmd.keyword} TABLE ... OUTPUT fields`, cmd.span);
  const name = arg.expr.name;
  const table = tables?.get(name);
  if (table) return table;
  const names = tables?.names() ?? [];
  throw new QueryError(
    `no lookup table named ${name}`,
    arg.span,
    didYouMean(name, names) ?? (names.length ? `tables: ${names.join(", ")}` : "give one with --lookup NAME=file.csv, or put NAME.csv in $XDG_CONFIG_HOME/trailq/lookups"),
  );
}

function columnOf(a: GenericArg | undefined, table: LookupTable, span: GenericArg["span"]): { index: number; name: string } {
  if (a?.kind !== "expr" || a.expr.kind !== "field") throw new QueryError("expected a column name of the lookup table", a?.span ?? span);
  const index = table.columns.indexOf(a.expr.name);
  if (index < 0) throw new QueryError(`lookup table ${table.name} has no column ${a.expr.name}`, a.span, didYouMean(a.expr.name, table.columns) ?? `its columns: ${table.columns.join(", ")}`);
  return { index, name: a.expr.name };
}

/** `x [as y]` pairs from a run of arguments. */
function pairs(run: GenericArg[]): [GenericArg, GenericArg | undefined][] {
  const out: [GenericArg, GenericArg | undefined][] = [];
  for (let i = 0; i < run.length; i++) {
    const next = run[i + 1];
    if (next?.kind === "keyword" && next.word.toLowerCase() === "as") {
      out.push([run[i]!, run[i + 2]]);
      i += 2;
    } else out.push([run[i]!, undefined]);
  }
  return out;
}

/** `OUTPUT|OUTPUTNEW col [as name], ...` from the keyword on. */
function outputsOf(run: GenericArg[], cmd: GenericCmd, table: LookupTable, scope: Scope): { list: Output[]; onlyNew: boolean } {
  const kw = run[0];
  if (kw?.kind !== "keyword" || !/^output(new)?$/i.test(kw.word)) throw new QueryError(`${cmd.keyword} needs OUTPUT or OUTPUTNEW and the fields to add`, kw?.span ?? cmd.span);
  const list = pairs(run.slice(1)).map(([col, alias]): Output => {
    const c = columnOf(col, table, kw.span);
    const target = alias?.kind === "expr" && alias.expr.kind === "field" ? alias.expr : col.kind === "expr" && col.expr.kind === "field" ? col.expr : undefined;
    const name = target ? target.name : c.name;
    // OUTPUTNEW reads the field's value now; after stats a field that isn't a column has none.
    const current: RExpr =
      target && (!scope.afterStats || scope.columns.has(name))
        ? resolveExpr(target, scope, undefined, `in ${cmd.keyword}`)
        : { k: "const", value: undefined, type: "any", ast: target ?? (col as Extract<GenericArg, { kind: "expr" }>).expr };
    return { column: c.index, name, current };
  });
  if (list.length === 0) throw new QueryError(`${cmd.keyword} needs the fields to add after ${kw.word}`, kw.span);
  return { list, onlyNew: kw.word.toLowerCase() === "outputnew" };
}

/** lookup TABLE col [as field], ... OUTPUT|OUTPUTNEW out [as name], ... */
function lookupOp(cmd: GenericCmd, scope: Scope, tables: LookupTables | undefined): Extract<PlanOp, { op: "lookup" }> {
  const args = cmd.args.filter((a) => a.kind !== "comma");
  const table = tableOf(args[0], cmd, tables);
  const outAt = args.findIndex((a) => a.kind === "keyword" && /^output(new)?$/i.test(a.word));
  if (outAt < 0) throw new QueryError("lookup needs OUTPUT or OUTPUTNEW and the fields to add", cmd.span);
  const keyCols: number[] = [];
  const keys: RExpr[] = [];
  for (const [col, field] of pairs(args.slice(1, outAt))) {
    keyCols.push(columnOf(col, table, cmd.span).index);
    const f = field ?? col;
    if (f.kind !== "expr") throw new QueryError("expected a field after as", f.span);
    keys.push(resolveExpr(f.expr, scope, undefined, "in lookup"));
  }
  if (keys.length === 0) throw new QueryError("lookup needs the column(s) to match on before OUTPUT", args[outAt]!.span);
  const { list, onlyNew } = outputsOf(args.slice(outAt), cmd, table, scope);
  const index = new Map<string, string[]>();
  for (const row of table.rows) {
    const k = joinedKey(keyCols.map((i) => row[i] ?? ""));
    if (!index.has(k)) index.set(k, row);
  }
  return { op: "lookup", table: table.name, index, keys, outputs: list, onlyNew };
}

/**
 * cidrlookup TABLE ipField [as cidrColumn] OUTPUT|OUTPUTNEW col [as name], ...: the table row whose
 * CIDR (column `cidrColumn`, else the column named `cidr`, else the first column) holds the address;
 * the longest prefix wins.
 */
function cidrLookupOp(cmd: GenericCmd, scope: Scope, tables: LookupTables | undefined, warn: (message: string) => void): Extract<PlanOp, { op: "cidrlookup" }> {
  const args = cmd.args.filter((a) => a.kind !== "comma");
  const table = tableOf(args[0], cmd, tables);
  const ipArg = args[1];
  if (ipArg?.kind !== "expr") throw new QueryError("cidrlookup needs the field holding the IP address", cmd.span);
  let rest = args.slice(2);
  let cidrColumn = table.columns.includes("cidr") ? "cidr" : table.columns[0]!;
  if (rest[0]?.kind === "keyword" && rest[0].word.toLowerCase() === "as") {
    cidrColumn = columnOf(rest[1], table, rest[0].span).name;
    rest = rest.slice(2);
  }
  const cidrIndex = table.columns.indexOf(cidrColumn);
  const { list, onlyNew } = outputsOf(rest, cmd, table, scope);
  const nets: { net: Subnet; row: string[] }[] = [];
  const bad: string[] = [];
  for (const row of table.rows) {
    const net = parseCidr(row[cidrIndex] ?? "");
    if (net) nets.push({ net, row });
    else bad.push(row[cidrIndex] ?? "");
  }
  // a row whose block is no subnet matches nothing: an address in the block meant falls to a shorter one
  if (bad.length > 0) warn(`cidrlookup ${table.name}: ${bad.length === 1 ? "a row's" : `${bad.length} rows'`} ${cidrColumn} is not a subnet (${bad.slice(0, 3).map((b) => JSON.stringify(b)).join(", ")}${bad.length > 3 ? ", ..." : ""}), so ${bad.length === 1 ? "it matches" : "they match"} no address`);
  // the longest prefix first, IPv4 blocks among IPv6 ones as the mapped blocks they are (10.0.0.0/8 is ::ffff:10.0.0.0/104)
  const longest = (n: Subnet): number => (n.bytes.length === 4 ? 96 + n.prefix : n.prefix);
  nets.sort((a, b) => longest(b.net) - longest(a.net));
  return { op: "cidrlookup", table: table.name, ip: resolveExpr(ipArg.expr, scope, undefined, "in cidrlookup"), nets, outputs: list, onlyNew };
}

/** The output fields are string columns of every row. */
function addOutputs(op: Extract<PlanOp, { op: "lookup" | "cidrlookup" }>, b: PlanBuilder): void {
  for (const o of op.outputs) b.addColumn(o.name, "string");
  b.ops.push(op);
}

export function planLookup(cmd: GenericCmd, b: PlanBuilder): void {
  addOutputs(lookupOp(cmd, b.scope, b.opts.lookups), b);
}

export function planCidrlookup(cmd: GenericCmd, b: PlanBuilder): void {
  addOutputs(cidrLookupOp(cmd, b.scope, b.opts.lookups, (m) => b.warnings.push(m)), b);
}
