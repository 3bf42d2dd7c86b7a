// Commands that work on the rows in their order or as a whole: accum, autoregress, expand,
// filldown, fillmissing, sessionize, outlier and countFrequent.
import { QueryError } from "../../errors.js";
import type { Expr, GenericArg, GenericCmd, PeriodUnit } from "../../lang/ast.js";
import { resolveExpr, type Scope } from "../../check/resolve.js";
import type { RExpr } from "../../check/rexpr.js";
import type { PlanBuilder } from "../builder.js";
import type { PlanOp } from "../plan.js";
import { FIXED_UNIT_MS } from "../../time/periods.js";

type Op<K extends PlanOp["op"]> = Extract<PlanOp, { op: K }>;

const args = (cmd: GenericCmd): GenericArg[] => cmd.args.filter((a) => a.kind !== "comma");

function fieldName(a: GenericArg | undefined, cmd: GenericCmd, what: string): string {
  if (a?.kind === "expr" && a.expr.kind === "field") return a.expr.name;
  throw new QueryError(`${cmd.keyword} needs ${what}`, a?.span ?? cmd.span);
}

function field(a: GenericArg | undefined, cmd: GenericCmd, scope: Scope): { name: string; expr: RExpr } {
  const name = fieldName(a, cmd, "a field");
  return { name, expr: resolveExpr((a as { expr: import("../../lang/ast.js").Expr }).expr, scope, undefined, `in ${cmd.keyword}`) };
}

/** `accum f [as out]`: the running sum of f in row order (into f itself when no alias). */
function accumOp(cmd: GenericCmd, scope: Scope): Op<"accum"> {
  const a = args(cmd);
  const src = field(a[0], cmd, scope);
  const alias = a[1]?.kind === "keyword" && a[1].word.toLowerCase() === "as" ? fieldName(a[2], cmd, "a name after as") : src.name;
  return { op: "accum", source: src.expr, name: alias };
}

/** `autoregress f [as alias] [p=N | p=N-M]`: the value of f N rows before (default 1). */
function autoregressOp(cmd: GenericCmd, scope: Scope): Op<"autoregress"> {
  const a = args(cmd);
  const src = field(a[0], cmd, scope);
  let alias: string | undefined;
  let from = 1;
  let to = 1;
  for (let i = 1; i < a.length; i++) {
    const x = a[i]!;
    if (x.kind === "keyword" && x.word.toLowerCase() === "as") alias = fieldName(a[++i], cmd, "a name after as");
    else if (x.kind === "option" && x.name.toLowerCase() === "p") {
      const text = "text" in x.value ? x.value.text : "";
      const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(text);
      if (!m) throw new QueryError("p= takes a lag such as p=2 or a range such as p=1-4", x.span);
      from = Number(m[1]);
      to = m[2] ? Number(m[2]) : from;
      if (from < 1 || to < from) throw new QueryError("p= needs 1 ≤ first ≤ last", x.span);
    } else throw new QueryError(`unexpected argument of autoregress`, x.span);
  }
  const outputs: { name: string; lag: number }[] = [];
  for (let lag = from; lag <= to; lag++) outputs.push({ name: alias && from === to ? alias : `${src.name}_p${lag}`, lag });
  return { op: "autoregress", source: src.expr, outputs };
}

/** `filldown [f ...]`'s arguments: names, and prefixes with a wildcard (`cpu*`); none = every column. */
function filldownArgs(cmd: GenericCmd): { patterns: string[]; named: { name: string; expr: Expr }[] } {
  const patterns: string[] = [];
  const named: { name: string; expr: Expr }[] = [];
  const a = args(cmd);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (x.kind === "expr" && x.expr.kind === "field") {
      const next = a[i + 1];
      if (next?.kind === "keyword" && next.word === "*") {
        patterns.push(x.expr.name + "*");
        i++;
      } else {
        patterns.push(x.expr.name);
        named.push({ name: x.expr.name, expr: x.expr });
      }
    } else if (x.kind === "expr" && x.expr.kind === "binary" && x.expr.op === "*") {
      throw new QueryError("write wildcards without spaces: filldown cpu*", x.span);
    } else throw new QueryError("filldown takes field names, with * as a wildcard", x.span);
  }
  return { patterns, named };
}

/** `expand f`: one row per element of the list (or JSON array text) in f, the element in f. */
function expandOp(cmd: GenericCmd, scope: Scope): Op<"expand"> {
  const src = field(args(cmd)[0], cmd, scope);
  return { op: "expand", source: src.expr, name: src.name };
}

/**
 * `fillmissing [with V for f, ...]` after `stats ... by bin(p)`: adds the missing buckets between the
 * first and the last (per combination of the other keys), with the given constants or no values.
 */
function fillmissingOp(cmd: GenericCmd, stats: Op<"stats"> | undefined): Op<"fillmissing"> {
  const key = stats && stats.timeKey >= 0 ? stats.keys[stats.timeKey]! : undefined;
  if (!stats || !key || key.expr.k !== "call" || key.expr.fn.name !== "bin") {
    throw new QueryError("fillmissing fills the buckets of a stats ... by bin(period): put it after one", cmd.span);
  }
  const period = key.expr.args[0]!;
  if (period.k !== "period") throw new QueryError("fillmissing needs bin(period)", cmd.span);
  const constants: { name: string; value: unknown }[] = [];
  const a = args(cmd);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (x.kind === "keyword" && x.word.toLowerCase() === "with") {
      const v = a[i + 1];
      const f = a[i + 3];
      if (v?.kind !== "expr" || !["number", "string", "bool"].includes(v.expr.kind) || a[i + 2]?.kind !== "keyword" || (a[i + 2] as { word: string }).word.toLowerCase() !== "for") {
        throw new QueryError("write: fillmissing with VALUE for FIELD, ...", x.span);
      }
      constants.push({ name: fieldName(f, cmd, "a field after for"), value: (v.expr as { value: unknown }).value });
      i += 3;
    } else if (x.kind === "expr" && x.expr.kind === "number" && a[i + 1]?.kind === "keyword" && (a[i + 1] as { word: string }).word.toLowerCase() === "for") {
      // `with` was read as part of a previous pair: `, 0 for b`
      constants.push({ name: fieldName(a[i + 2], cmd, "a field after for"), value: x.expr.value });
      i += 2;
    } else throw new QueryError("write: fillmissing with VALUE for FIELD, ...", x.span);
  }
  const seriesKeys = stats.keys.filter((_, i) => i !== stats.timeKey).map((k) => k.name);
  // a filled bucket is of its series: a value for the series' key would make it another series'
  const keyed = constants.find((c) => seriesKeys.includes(c.name) || c.name === key.name);
  if (keyed) throw new QueryError(`fillmissing: ${keyed.name} is a key of the stats: the buckets filled take their series' value (give values for the stats' other columns)`, cmd.span);
  return {
    op: "fillmissing",
    timeKey: key.name,
    amount: period.period.amount,
    unit: period.period.unit as PeriodUnit,
    offsetMs: stats.offsetMs,
    seriesKeys,
    constants: constants as { name: string; value: string | number | boolean }[],
  };
}

/** `countFrequent f, ...` (also count_frequent). */
function countFrequentOp(cmd: GenericCmd, scope: Scope): Op<"countFrequent"> {
  const keys = args(cmd).map((a) => field(a, cmd, scope));
  if (keys.length === 0) throw new QueryError("countFrequent needs one or more fields", cmd.span);
  return { op: "countFrequent", keys };
}

/** `sessionize f, ... [maxspan 30m] [as name]` (default maxspan 30m, name session_id). */
function sessionizeOp(cmd: GenericCmd, scope: Scope): Op<"sessionize"> {
  const a = args(cmd);
  const keys: RExpr[] = [];
  let maxspanMs = 30 * 60_000;
  let name = "session_id";
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const word = x.kind === "keyword" ? x.word.toLowerCase() : x.kind === "option" ? x.name.toLowerCase() : "";
    if (word === "maxspan") {
      const v = x.kind === "option" ? x.value : (a[++i] as { expr?: import("../../lang/ast.js").Expr } | undefined)?.expr;
      if (!v || v.kind !== "period" || !FIXED_UNIT_MS[v.unit]) throw new QueryError("maxspan needs a period such as 30m or 1h", x.span);
      maxspanMs = v.amount * FIXED_UNIT_MS[v.unit]!;
    } else if (word === "as") name = fieldName(a[++i], cmd, "a name after as");
    else keys.push(field(x, cmd, scope).expr);
  }
  if (keys.length === 0) throw new QueryError("sessionize needs the fields that identify a session, e.g. sessionize userIdentity.arn", cmd.span);
  return { op: "sessionize", keys, maxspanMs, name };
}

/** `outlier [action=remove|transform] [param=2.5] [uselower=false] [mark=false] f ...` */
function outlierOp(cmd: GenericCmd, scope: Scope): Op<"outlier"> {
  const op: Op<"outlier"> = { op: "outlier", fields: [], values: [], remove: false, param: 2.5, useLower: false, mark: false };
  for (const x of args(cmd)) {
    if (x.kind === "option") {
      const v = (x.value.kind === "word" ? x.value.text : x.value.kind === "field" ? x.value.name : x.value.text).toLowerCase();
      const k = x.name.toLowerCase();
      if (k === "action" && (v === "remove" || v === "transform")) op.remove = v === "remove";
      else if (k === "param" && Number.isFinite(Number(v))) op.param = Number(v);
      else if (k === "uselower" && /^(true|false)$/.test(v)) op.useLower = v === "true";
      else if (k === "mark" && /^(true|false)$/.test(v)) op.mark = v === "true";
      else throw new QueryError(`outlier takes action=remove|transform, param=N, uselower=true|false, mark=true|false; not ${x.name}=${v}`, x.span);
    } else {
      const f = field(x, cmd, scope);
      op.fields.push(f.name);
      op.values.push(f.expr);
    }
  }
  if (op.fields.length === 0) throw new QueryError("outlier needs one or more numeric fields", cmd.span);
  return op;
}

/** accum, autoregress and expand write columns: new ones, or the field they read. */
function writeColumns(op: Op<"accum" | "autoregress" | "expand">, b: PlanBuilder): void {
  const made = op.op === "autoregress" ? op.outputs.map((o) => o.name) : [op.name];
  for (const n of made) {
    // a new column shows in the output (expand's replaces the field it reads)
    b.addColumn(n, "any", op.op !== "expand");
  }
  b.ops.push(op);
}

export function planAccum(cmd: GenericCmd, b: PlanBuilder): void {
  writeColumns(accumOp(cmd, b.scope), b);
}

export function planAutoregress(cmd: GenericCmd, b: PlanBuilder): void {
  writeColumns(autoregressOp(cmd, b.scope), b);
}

export function planExpand(cmd: GenericCmd, b: PlanBuilder): void {
  writeColumns(expandOp(cmd, b.scope), b);
}

/**
 * filldown fills columns of the rows by name: the output columns it matches (made columns of the row
 * first), and each field it names in full that none is, a column of the rows (from the events'
 * field when no command made one), so that `filldown h | display h` shows h filled.
 */
export function planFilldown(cmd: GenericCmd, b: PlanBuilder): void {
  b.materialize();
  const { patterns, named } = filldownArgs(cmd);
  const match = (c: string): boolean => patterns.length === 0 || patterns.some((p) => (p.endsWith("*") ? c.startsWith(p.slice(0, -1)) : c === p));
  const names = b.shownSoFar().map((c) => c.name).filter(match);
  const made: { name: string; expr: RExpr }[] = [];
  for (const { name, expr } of named) {
    if (names.includes(name)) continue;
    names.push(name);
    made.push({ name, expr: resolveExpr(expr, b.scope, undefined, "in filldown") });
  }
  asColumns(made, b);
  if (names.length === 0) b.warnings.push(`filldown ${patterns.join(" ")} fills nothing: no column matches${patterns.length ? "" : " (no fields or display chose any)"}; name the fields with fields first`);
  b.ops.push({ op: "filldown", names });
}

export function planFillmissing(cmd: GenericCmd, b: PlanBuilder): void {
  b.ops.push(fillmissingOp(cmd, b.lastStats));
}

/** countFrequent's rows (the most frequent values and their counts) replace the events. */
export function planCountFrequent(cmd: GenericCmd, b: PlanBuilder): void {
  const op = countFrequentOp(cmd, b.scope);
  b.onlyColumns([...op.keys.map((k) => [k.name, k.expr.type] as const), ["_approxcount", "number"]]);
  b.ops.push(op);
}

/** The session id is a new column, shown after display's columns too. */
export function planSessionize(cmd: GenericCmd, b: PlanBuilder): void {
  const op = sessionizeOp(cmd, b.scope);
  b.addColumn(op.name, "number", true);
  b.ops.push(op);
}

/**
 * Fields a command writes in place that are not columns of the rows yet (the events' fields): made
 * columns first, so that the commands after it read what it wrote.
 */
function asColumns(items: { name: string; expr: RExpr }[], b: PlanBuilder): void {
  const made = items.filter((m) => !b.scope.columns.has(m.name));
  if (made.length === 0) return;
  b.ops.push({ op: "compute", items: made });
  for (const m of made) b.scope.define(m.name, m.expr.type);
}

/**
 * mark=true adds a column f_outlier for each field, shown after display's columns too; a transform
 * writes the fields in place (made columns first).
 */
export function planOutlier(cmd: GenericCmd, b: PlanBuilder): void {
  b.materialize();
  const op = outlierOp(cmd, b.scope);
  if (!op.remove) asColumns(op.fields.map((name, i) => ({ name, expr: op.values[i]! })), b);
  if (op.mark) for (const f of op.fields) b.addColumn(`${f}_outlier`, "number", true);
  b.ops.push(op);
}
