// join and appendcols: commands that combine the rows with the results of a subquery, which runs
// over the same inputs before the main scan (its own SOURCE may select other accounts or times).
import { QueryError } from "../../errors.js";
import type { Expr, GenericArg, GenericCmd, Query } from "../../lang/ast.js";
import { resolveField, writtenName, type Scope } from "../../check/resolve.js";
import { SYSTEM_FIELDS, type RExpr, type SystemField } from "../../check/rexpr.js";
import type { ValueType } from "../../functions/types.js";
import { fieldRef, type PlanBuilder } from "../builder.js";
import type { OutputColumn, Plan, PlanOp } from "../plan.js";

function word(v: Extract<GenericArg, { kind: "option" }>["value"]): string {
  return v.kind === "field" ? v.name : v.kind === "word" ? v.text : v.kind === "string" ? v.value : v.text;
}

/** join [type=inner|left] left=L right=R where L.k = R.k ( subquery ) */
function joinOp(cmd: GenericCmd, scope: Scope, plan: (q: Query) => Plan): Extract<PlanOp, { op: "join" }> {
  let inner = true;
  let left: string | undefined;
  let right: string | undefined;
  let cond: Expr | undefined;
  let sub: Query | undefined;
  for (const a of cmd.args) {
    if (a.kind === "option") {
      const k = a.name.toLowerCase();
      const v = word(a.value);
      if (k === "type" && /^(inner|left)$/i.test(v)) inner = v.toLowerCase() === "inner";
      else if (k === "left") left = v;
      else if (k === "right") right = v;
      else throw new QueryError(`join takes type=inner|left, left=NAME, right=NAME; not ${a.name}=${v}`, a.span);
    } else if (a.kind === "expr" && a.expr.kind === "binary") cond = a.expr;
    else if (a.kind === "query") {
      if (sub) throw new QueryError("join takes one subquery", a.span);
      sub = a.query;
    } else if (!(a.kind === "keyword" && a.word.toLowerCase() === "where")) throw new QueryError("write: join [type=inner|left] left=L right=R where L.key=R.key (SOURCE ... | ...)", a.span);
  }
  if (!left || !right) throw new QueryError("join needs left=NAME and right=NAME", cmd.span);
  if (!sub) throw new QueryError("join needs the right side as a subquery in parentheses: (SOURCE ... | fields ...)", cmd.span);
  if (!cond || cond.kind !== "binary" || cond.op !== "=" || cond.left.kind !== "field" || cond.right.kind !== "field") {
    throw new QueryError(`join needs where ${left}.key=${right}.key (only = is allowed)`, cond?.span ?? cmd.span);
  }
  let [l, r] = [cond.left, cond.right];
  if (l.segments[0] === right) [l, r] = [r, l];
  if (l.segments[0] !== left || r.segments[0] !== right || l.segments.length < 2 || r.segments.length < 2) {
    throw new QueryError(`the join condition compares ${left}.<field> with ${right}.<field>`, cond.span);
  }
  const subPlan = plan(sub);
  let rightPath = r.segments.slice(1);
  let rightKey = rightPath.join(".");
  // A right side that keeps events (`(SOURCE ...)`, `(filter ...)`: no fields, display or stats)
  // gives whole events, as on the AWS join page: right.x is any field x of the matching event.
  const wholeEvents = subPlan.eventRows !== undefined;
  if (wholeEvents) {
    const have = new Set(subPlan.columns.map((c) => c.name));
    for (const c of [...SYSTEM_FIELDS.map((n) => systemColumn(n, sub)), ...subPlan.eventRows!]) if (!have.has(c.name)) subPlan.columns.push(c);
  } else if (!subPlan.columns.some((c) => c.name === rightKey)) {
    // a column named by a path as written (`fields resources[0].ARN`)
    const written = writtenName(r).slice(right.length + 1);
    if (!subPlan.columns.some((c) => c.name === written)) throw new QueryError(`the subquery has no column ${rightKey}: its columns are ${subPlan.columns.map((c) => c.name).join(", ")}`, r.span);
    rightKey = written;
    rightPath = [written];
  }
  scope.leftAlias = left;
  const leftKey = resolveField(l, scope);
  scope.define(right, "map");
  scope.mapKeys.set(right, new Map(subPlan.columns.map((c) => [c.name, c.type])));
  return { op: "join", inner, right, leftKey, rightKey, rightPath, wholeEvents, sub: subPlan, rows: {} };
}

/** A system field as an output column of the subquery (the right rows keep them all). */
function systemColumn(name: SystemField, q: Query): OutputColumn {
  const type: ValueType = name === "@timestamp" || name === "@ingestionTime" ? "time" : "string";
  return { name, type, expr: { k: "system", name, type, ast: fieldRef(name, q.span) } };
}

/** appendcols [override=true|false] [max=N] ( subquery ) */
function appendcolsOp(cmd: GenericCmd, plan: (q: Query) => Plan): Extract<PlanOp, { op: "appendcols" }> {
  let override = false;
  let max = 10_000;
  let sub: Query | undefined;
  for (const a of cmd.args) {
    if (a.kind === "option" && a.name.toLowerCase() === "override" && /^(true|false)$/i.test(word(a.value))) override = word(a.value).toLowerCase() === "true";
    else if (a.kind === "option" && a.name.toLowerCase() === "max" && a.value.kind === "number" && a.value.value >= 1 && a.value.value <= 100_000) max = a.value.value;
    else if (a.kind === "query" && !sub) sub = a.query;
    else throw new QueryError("write: appendcols [override=true|false] [max=1..100000] ( subquery )", a.span);
  }
  if (!sub) throw new QueryError("appendcols needs a subquery in parentheses", cmd.span);
  return { op: "appendcols", sub: plan(sub), override, max, rows: {}, columns: [] };
}

/** What a row has under `name` before appendcols: a column, an event's field, or nothing (after stats, a name it did not make). */
function existingValue(name: string, cmd: GenericCmd, b: PlanBuilder): RExpr {
  const ref = { ...fieldRef(name, cmd.span), segments: name.startsWith("@") ? [name] : name.split(".") };
  if (b.scope.afterStats && !b.scope.columns.has(name)) return { k: "const", value: undefined, type: "string", ast: ref };
  return resolveField(ref, b.scope);
}

/** Logs Insights allows one level of subqueries: none inside a subquery. */
function notNested(cmd: GenericCmd, b: PlanBuilder): void {
  if (b.opts.nested) throw new QueryError(`${cmd.keyword} can't be used inside a subquery`, cmd.span);
}

export function planJoin(cmd: GenericCmd, b: PlanBuilder): void {
  notNested(cmd, b);
  if (b.ops.some((o) => o.op === "join")) throw new QueryError("a query can have only one join", cmd.span);
  b.ops.push(joinOp(cmd, b.scope, b.planSub));
}

/** The subquery's columns become columns of every row. */
export function planAppendcols(cmd: GenericCmd, b: PlanBuilder): void {
  notNested(cmd, b);
  const op = appendcolsOp(cmd, b.planSub);
  // every row has its own @timestamp and @message: the subquery's (when it chose no columns) stay
  // out unless override=true, as another existing value would
  const added = op.sub.columns.filter((c) => op.override || (c.name !== "@timestamp" && c.name !== "@message"));
  // what a row has already under each name (a made column, an event's field): it stays unless
  // override=true, and is the new column's value where the subquery gives none
  op.columns = added.map((c) => ({ name: c.name, existing: existingValue(c.name, cmd, b) }));
  for (const c of added) b.addColumn(c.name, c.type);
  b.ops.push(op);
}
