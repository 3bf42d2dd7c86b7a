// pattern and the commands that extend it: diff (the patterns against an earlier range), anomaly
// (the patterns that stand out) and logcompare (pattern | diff with a shift of its own). All plan
// as one pattern operator, whose rows replace the events: only its columns exist after it.
import { QueryError } from "../../errors.js";
import type { Expr, GenericCmd } from "../../lang/ast.js";
import { resolveExpr, resolveField } from "../../check/resolve.js";
import type { ValueType } from "../../functions/types.js";
import { FIXED_UNIT_MS } from "../../time/periods.js";
import { fieldRef, type PlanBuilder } from "../builder.js";
import type { PlanOp } from "../plan.js";
import { ROW_LOCAL } from "../reads.js";

type PatternOp = Extract<PlanOp, { op: "pattern" }>;

const DAY = 86_400_000;

/** The columns pattern gives, with diff's and anomaly's additions. */
function patternColumns(op: PatternOp): [string, ValueType][] {
  const names = [
    "@pattern", "@ratio", "@sampleCount", "@severityLabel", "@sample",
    ...(op.diff ? ["@previousSampleCount", "@change", "@changePercent"] : []),
    ...(op.anomaly ? ["@anomaly", "@anomalyType", "@anomalyTime", "@expected", "@observed", "@score"] : []),
  ];
  return names.map((n) => [n, n === "@anomalyTime" ? "time" : ["@pattern", "@severityLabel", "@sample", "@change", "@anomalyType"].includes(n) ? "string" : "number"]);
}

/** The patterns of @message (the source when none is named). */
function messageSource(cmd: GenericCmd, b: PlanBuilder): PatternOp["source"] {
  return resolveField(fieldRef("@message", cmd.span), b.scope);
}

/** The pattern operator diff/anomaly extend: the one just before, else a new one on @message. */
function patternBefore(cmd: GenericCmd, b: PlanBuilder): PatternOp {
  const last = b.ops[b.ops.length - 1];
  if (last?.op === "pattern" && !last.diff) return last;
  const op: PatternOp = { op: "pattern", source: messageSource(cmd, b) };
  b.ops.push(op);
  return op;
}

/** `diff` (the previous range of equal length), `diff previousDay|previousWeek|previousMonth` (30 days). */
function diffShift(cmd: GenericCmd): { shiftMs?: number } {
  const a = cmd.args.filter((x) => x.kind !== "comma");
  if (a.length === 0) return {};
  const w = a[0]!.kind === "expr" && (a[0] as { expr: Expr }).expr.kind === "field" ? ((a[0] as { expr: Expr }).expr as { name: string }).name.toLowerCase() : a[0]!.kind === "keyword" ? (a[0] as { word: string }).word.toLowerCase() : "";
  const shift = { previousday: DAY, previousweek: 7 * DAY, previousmonth: 30 * DAY }[w];
  if (a.length > 1 || shift === undefined) throw new QueryError("diff takes nothing, previousDay, previousWeek or previousMonth", a[0]!.span);
  return { shiftMs: shift };
}

/** `pattern [field]`: clusters of the field's values (default @message). */
export function planPattern(cmd: GenericCmd, b: PlanBuilder): void {
  if (b.ops.some((o) => o.op === "sort")) throw new QueryError("pattern can't come after sort", cmd.span);
  const a = cmd.args.filter((x) => x.kind !== "comma");
  const src = a[0];
  if (a.length > 1 || (src && src.kind !== "expr")) throw new QueryError("pattern takes one field: pattern @message", cmd.span);
  const source = src ? resolveExpr((src as { expr: Expr }).expr, b.scope, undefined, "in pattern") : messageSource(cmd, b);
  const op: PatternOp = { op: "pattern", source };
  b.ops.push(op);
  b.onlyColumns(patternColumns(op));
}

/**
 * diff reads the events of two ranges and splits them at its pattern: a command before the pattern
 * that reads several rows (dedup, limit, stats) would run over both ranges at once, and answer
 * neither (dedup kept one range's event for the other's). Only commands row by row may come first.
 */
function rowByRowBefore(op: PatternOp, cmd: GenericCmd, b: PlanBuilder): void {
  const before = b.ops.slice(0, b.ops.indexOf(op)).find((o) => !ROW_LOCAL.has(o.op));
  if (before) {
    throw new QueryError(`${cmd.name} compares the patterns of two time ranges, so only commands that work row by row (filter, fields, parse, unnest...) may come before its pattern, not ${before.op}`, cmd.span);
  }
}

/** `diff [previousDay|previousWeek|previousMonth]` */
export function planDiff(cmd: GenericCmd, b: PlanBuilder): void {
  // diff after pattern compares its patterns; on its own, the patterns of @message
  const op = patternBefore(cmd, b);
  rowByRowBefore(op, cmd, b);
  op.diff = diffShift(cmd);
  b.onlyColumns(patternColumns(op));
}

/** `anomaly`, after pattern or on its own (the patterns of @message). */
export function planAnomaly(cmd: GenericCmd, b: PlanBuilder): void {
  if (cmd.args.length) throw new QueryError("anomaly takes no arguments: pattern FIELD | anomaly", cmd.span);
  const op = patternBefore(cmd, b);
  op.anomaly = true;
  b.onlyColumns(patternColumns(op));
}

/** `logcompare timeshift D`: the patterns of @message now against D before (as pattern | diff). */
export function planLogcompare(cmd: GenericCmd, b: PlanBuilder): void {
  const a = cmd.args.filter((x) => x.kind !== "comma");
  const d = a[1]?.kind === "expr" ? a[1].expr : undefined;
  if (a[0]?.kind !== "keyword" || a[0].word.toLowerCase() !== "timeshift" || d?.kind !== "period" || !FIXED_UNIT_MS[d.unit]) {
    throw new QueryError("write: logcompare timeshift 7d", cmd.span);
  }
  const op: PatternOp = { op: "pattern", source: messageSource(cmd, b), diff: { shiftMs: d.amount * FIXED_UNIT_MS[d.unit]! } };
  b.ops.push(op);
  rowByRowBefore(op, cmd, b);
  b.onlyColumns(patternColumns(op));
}
