// The bundled detection and CIS templates as detection rules. A template whose query judges events
// one at a time (filters and row-by-row commands, then its default order) runs in detect's single
// pass: its commands are compiled once into an operator chain, each event goes through it, and an
// event that comes out is a finding. A template that looks across events (stats thresholds, dedup)
// or measures a window from its anchor is listed as not run, with `trailq run ID` to run it.
import { parseQuery } from "../lang/index.js";
import { buildPlan } from "../plan/build.js";
import { ROW_LOCAL, eventReads } from "../plan/reads.js";
import type { PlanOp } from "../plan/plan.js";
import { chainOperators } from "../exec/pipeline.js";
import type { Operator } from "../exec/operators/operator.js";
import type { Row } from "../exec/row.js";
import { bindTemplate } from "../templates/bind.js";
import { loadLibrary } from "../templates/library.js";
import { usesAnchor, type Template } from "../templates/template.js";
import type { NotRun } from "./load.js";
import type { Level } from "./rule.js";
import type { RuleInfo } from "./sigma.js";

export interface TemplateRule extends RuleInfo {
  origin: "template";
  /** The row-by-row commands of its query. */
  ops: PlanOp[];
  now: number;
  /** The query reads @message (the scan then keeps each event's text). */
  raw: boolean;
  /** A chain of its commands ending in `found` (called for each row that passes). */
  chain(found: (row: Row) => void): Operator;
}

/** The categories detect runs. */
export const DETECT_CATEGORIES = new Set(["cis", "detection"]);

/** Templates carry no level: a detection is high, a CIS alarm medium. */
function templateLevel(t: Template): Level {
  return t.category === "detection" ? "high" : "medium";
}

/** The template as a rule, or why it is not run. */
export function templateRule(t: Template, now: number): TemplateRule | NotRun {
  const notRun = (reason: string): NotRun => ({ file: t.id, rule: t.title, id: t.id, kind: "template", reason });
  if (usesAnchor(t)) return notRun(`measures a recent window from the newest event (run it with: trailq run ${t.id})`);
  if (t.params.some((p) => p.default === undefined)) return notRun(`has a required parameter (run it with: trailq run ${t.id} -p ...)`);
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
  if (across) return notRun(`looks across events (${across.op}): its findings are groups, not events (run it with: trailq run ${t.id})`);
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
    chain(found) {
      const last: Operator = { push: found, end() {} };
      const chain = chainOperators(ops, { now, warnings: [] }, last, {});
      return chain[0] ?? last;
    },
  };
}

/** The bundled (and the user's) detection and CIS templates: those run, and those not. */
export function detectTemplates(now: number, userDir?: string): { rules: TemplateRule[]; notRun: NotRun[] } {
  const lib = loadLibrary(userDir);
  const rules: TemplateRule[] = [];
  const notRun: NotRun[] = [];
  for (const p of lib.problems) notRun.push({ file: p.file, rule: "(template)", kind: "template", reason: p.reason });
  for (const t of [...lib.templates.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    if (!DETECT_CATEGORIES.has(t.category)) continue;
    const r = templateRule(t, now);
    if ("ops" in r) rules.push(r);
    else notRun.push(r);
  }
  return { rules, notRun };
}
