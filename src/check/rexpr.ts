// Resolved expressions: what the checker makes of an AST expression once every name is known.
// Field names are bound to where the value lives (the event, a system field, or a column made by an
// earlier command), functions to their registry entry, and every node carries its static type.
// The native engine compiles these to closures (src/exec/compile.ts); other back ends print them.
import type { AggregateFn, ScalarFn, ValueType } from "../functions/types.js";
import type { BinaryOp, Expr, PeriodLit } from "../lang/ast.js";
import type { Value } from "../exec/values.js";
import type { Plan } from "../plan/plan.js";
import type { UserRegex } from "./regex.js";

export const SYSTEM_FIELDS = ["@timestamp", "@message", "@logStream", "@log", "@ingestionTime", "@ptr"] as const;
export type SystemField = (typeof SYSTEM_FIELDS)[number];

interface R {
  type: ValueType;
  /** The AST node it came from (for text, spans and messages). */
  ast: Expr;
}

export type RExpr =
  | (R & { k: "const"; value: Value })
  | (R & { k: "period"; period: PeriodLit })
  | (R & { k: "regex"; regex: UserRegex })
  /** A path into the event's JSON: `userIdentity.type` → ["userIdentity", "type"]. */
  | (R & { k: "event"; path: string[] })
  | (R & { k: "system"; name: SystemField })
  /** A column made by an earlier command (alias, parse, stats output), then a path inside its value. */
  | (R & { k: "column"; name: string; path: string[] })
  | (R & { k: "call"; fn: ScalarFn; args: RExpr[] })
  /** An aggregate inside a stats item: its state lives in accumulator `slot` of each group. */
  | (R & { k: "agg"; fn: AggregateFn; args: RExpr[]; star: boolean; slot: number })
  | (R & { k: "unary"; op: "-" | "not"; operand: RExpr })
  | (R & { k: "binary"; op: BinaryOp; left: RExpr; right: RExpr })
  | (R & { k: "list"; items: RExpr[] })
  | (R & { k: "member"; target: RExpr; key: string })
  | (R & { k: "index"; target: RExpr; index: RExpr })
  /** `in ( query )`: the subquery's plan; `values.texts` is filled before the main scan runs. */
  | (R & { k: "subquery"; plan: Plan; values: { texts?: Set<string> } });

/** The sub-expressions of a node, for walks that look for something anywhere in a tree. */
export function children(e: RExpr): RExpr[] {
  switch (e.k) {
    case "call":
    case "agg":
      return e.args;
    case "unary":
      return [e.operand];
    case "binary":
      return [e.left, e.right];
    case "list":
      return e.items;
    case "member":
      return [e.target];
    case "index":
      return [e.target, e.index];
    default:
      return [];
  }
}

/** Whether any node of the tree satisfies the test. */
export function someNode(e: RExpr, test: (n: RExpr) => boolean): boolean {
  return test(e) || children(e).some((c) => someNode(c, test));
}
