// The expressions each operator holds, for walks over a whole plan (explain, subqueries).
import { someNode, type RExpr } from "../check/rexpr.js";
import { dottedPath } from "../check/resolve.js";
import { toText, type Value } from "../exec/values.js";
import { ownValue } from "../exec/own.js";
import type { PlanOp } from "./plan.js";

export function opExprs(op: PlanOp): RExpr[] {
  switch (op.op) {
    case "filter":
      return [op.pred];
    case "compute":
      return op.items.map((i) => i.expr);
    case "parse":
    case "parseFormat":
      return [op.source];
    case "stats":
      return [...op.keys.map((k) => k.expr), ...op.slots];
    case "sort":
      return op.keys.map((k) => k.expr);
    case "dedup":
      return op.keys;
    case "unnest":
      return [op.list];
    case "lookup":
      return op.keys;
    case "cidrlookup":
      return [op.ip];
    case "join":
      return [op.leftKey];
    case "relevantfields":
      return [...op.fields.map((f) => f.expr), op.cond];
    case "appendcols":
      return [];
    case "accum":
    case "autoregress":
    case "expand":
    case "pattern":
      return [op.source];
    case "countFrequent":
      return op.keys.map((k) => k.expr);
    case "sessionize":
      return op.keys;
    case "outlier":
      return op.values;
    case "filldown":
    case "fillmissing":
      return [];
    case "limit":
    case "addtotals":
      return [];
  }
}

/** The subqueries a plan runs before its scan, with where their rows go. */
export interface SubqueryRun {
  plan: import("./plan.js").Plan;
  /** Receives the subquery's rows (raw values by column name). */
  done(rows: Record<string, import("../exec/values.js").Value>[]): void;
}

export function subqueries(ops: PlanOp[]): SubqueryRun[] {
  const runs: SubqueryRun[] = [];
  for (const op of ops) {
    if (op.op === "join" || op.op === "appendcols") {
      const holder = op.rows;
      runs.push({ plan: op.sub, done: (rows) => (holder.list = rows) });
    }
    for (const e of opExprs(op)) {
      someNode(e, (n) => {
        if (n.k === "binary" && n.right.k === "subquery") {
          const sub = n.right;
          const left = n.left;
          const cols = sub.plan.columns.map((c) => c.name);
          // the column named like the outer field, else the first one
          // (the same path written with dots or brackets: resources.0.ARN, resources[0].ARN); a
          // subquery that chose no columns shows @timestamp and @message, then what its commands
          // made (`accum readOnly as ro`): the first of those
          const want = left.k === "event" ? left.path.join(".") : left.k === "column" ? left.name : undefined;
          const made = sub.plan.columns.findIndex((c, i) => i >= 2 && c.expr.k === "column") >= 0 && sub.plan.columns.slice(0, 2).every((c) => c.expr.k === "system");
          const col = (want !== undefined && (cols.find((c) => c === want) ?? cols.find((c) => dottedPath(c) === dottedPath(want)))) || (made ? cols[2]! : cols[0]!);
          runs.push({
            plan: sub.plan,
            done: (rows) => {
              sub.values.texts = new Set(rows.map((r) => toText(ownValue(r, col) as Value)).filter((t): t is string => t !== undefined));
            },
          });
        }
        return false;
      });
    }
  }
  return runs;
}
