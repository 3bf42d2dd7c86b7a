// The bundled detection and CIS templates as detection rules. A template whose query judges events
// one at a time (filters and row-by-row commands, then its default order) runs in detect's single
// pass: its commands are compiled once into an operator chain, each event goes through it, and an
// event that comes out is a finding. A template that looks across events (stats thresholds, dedup)
// or measures a window from its anchor is listed as not run, with `trailq run ID` to run it.
import { parseQuery } from "../lang/index.js";
import { buildPlan } from "../plan/build.js";
import { ROW_LOCAL, eventReads } from "../plan/reads.js";
import type { PlanOp } from "../plan/plan.js";
import type { RExpr } from "../check/rexpr.js";
import { chainOperators } from "../exec/pipeline.js";
import type { Operator } from "../exec/operators/operator.js";
import type { Row } from "../exec/row.js";
import { bindTemplate } from "../templates/bind.js";
import { loadLibrary } from "../templates/library.js";
import { usesAnchor, type Template } from "../templates/template.js";
import type { NotRun } from "./load.js";
import type { Level } from "./rule.js";
import type { RuleInfo } from "./sigma.js";
import { compareText } from "../exec/values.js";

export interface TemplateRule extends RuleInfo {
  origin: "template";
  /** The row-by-row commands of its query. */
  ops: PlanOp[];
  now: number;
  /** The query reads @message (the scan then keeps each event's text). */
  raw: boolean;
  /** The event names its first filter needs an event to have (undefined: any); the pass shows it only those events. */
  eventNames: Set<string> | undefined;
  /** A chain of its commands ending in `found` (called for each row that passes). */
  chain(found: (row: Row) => void): Operator;
}

/** The categories detect runs. */
export const DETECT_CATEGORIES = new Set(["cis", "detection"]);

/** Templates carry no level: a detection is high, a CIS alarm medium. */
function templateLevel(t: Template): Level {
  return t.category === "detection" ? "high" : "medium";
}

/**
 * The template as a rule, or why it is not run; `runWith` is the command that runs a template where
 * detect was asked for (`trailq run` from a shell, `.run` at the prompt), which the reason names.
 */
export function templateRule(t: Template, now: number, runWith = "trailq run"): TemplateRule | NotRun {
  const notRun = (reason: string): NotRun => ({ file: t.id, rule: t.title, id: t.id, kind: "template", reason });
  if (usesAnchor(t)) return notRun(`measures a recent window from the newest event (run it with: ${runWith} ${t.id})`);
  if (t.params.some((p) => p.default === undefined)) return notRun(`has a required parameter (run it with: ${runWith} ${t.id} -p ...)`);
  let plan;
  try {
    plan = buildPlan(bindTemplate(t, parseQuery(t.query), {}), { now });
  } catch (e) {
    return notRun(`does not plan: ${e instanceof Error ? e.message : String(e)}`);
  }
  let ops = plan.ops;
  const last = ops[ops.length - 1];
  if (last?.op === "sort") ops = ops.slice(0, -1);
  const across = ops.find((o) => !ROW_LOCAL.has(o.op));
  if (across) return notRun(`looks across events (${across.op}): its findings are groups, not events (run it with: ${runWith} ${t.id})`);
  const raw = eventReads(plan).raw;
  return {
    ruleId: t.id,
    title: t.title,
    level: templateLevel(t),
    author: "trailq",
    tags: t.tags,
    file: t.file,
    origin: "template",
    ops,
    now,
    raw,
    eventNames: ops[0]?.op === "filter" ? eventNamesOf(ops[0].pred) : undefined,
    chain(found) {
      const last: Operator = { push: found, end() {} };
      const chain = chainOperators(ops, { now, warnings: [] }, last, {});
      return chain[0] ?? last;
    },
  };
}

/** A text `=` compares as itself only (not a number, true or false, which compare as those). */
const plainName = (e: RExpr): string | undefined => {
  if (e.k !== "const" || typeof e.value !== "string") return undefined;
  const s = e.value;
  return s === "true" || s === "false" || s.trim() === "" || !Number.isNaN(Number(s)) ? undefined : s;
};

const isEventName = (e: RExpr): boolean => e.k === "event" && e.path.length === 1 && e.path[0] === "eventName";

/**
 * The event names a filter needs (`eventName = "X"`, `eventName in [...]`, through `and` and `or`),
 * or undefined when it can hold for any: an event of another name can't pass it.
 */
export function eventNamesOf(e: RExpr): Set<string> | undefined {
  if (e.k !== "binary") return undefined;
  switch (e.op) {
    case "and": {
      const a = eventNamesOf(e.left);
      const b = eventNamesOf(e.right);
      return a && b ? (a.size <= b.size ? a : b) : (a ?? b);
    }
    case "or": {
      const a = eventNamesOf(e.left);
      const b = eventNamesOf(e.right);
      return a && b ? new Set([...a, ...b]) : undefined;
    }
    case "=": {
      const name = isEventName(e.left) ? plainName(e.right) : isEventName(e.right) ? plainName(e.left) : undefined;
      return name === undefined ? undefined : new Set([name]);
    }
    case "in": {
      if (!isEventName(e.left) || e.right.k !== "list" || e.right.items.length === 0) return undefined;
      const names = e.right.items.map(plainName);
      return names.every((n) => n !== undefined) ? new Set(names as string[]) : undefined;
    }
    default:
      return undefined;
  }
}

/** The bundled (and the user's) detection and CIS templates: those run, and those not (templateRule: `runWith`). */
export function detectTemplates(now: number, userDir?: string, runWith?: string): { rules: TemplateRule[]; notRun: NotRun[] } {
  const lib = loadLibrary(userDir);
  const rules: TemplateRule[] = [];
  const notRun: NotRun[] = [];
  for (const p of lib.problems) notRun.push({ file: p.file, rule: "(template)", kind: "template", reason: p.reason });
  for (const t of [...lib.templates.values()].sort((a, b) => compareText(a.id, b.id))) {
    if (!DETECT_CATEGORIES.has(t.category)) continue;
    const r = templateRule(t, now, runWith);
    if ("ops" in r) rules.push(r);
    else notRun.push(r);
  }
  return { rules, notRun };
}
