// A Sigma detection rule compiled into a test of one event: its search identifiers (search.ts)
// combined as its condition says (condition.ts), plus what the engine dispatches it by (the event
// names it can match) and what its findings carry (id, title, level, author, tags).
import { parseCondition, condNames, type Cond } from "./condition.js";
import { compileSearch, searchEventNames, type Test } from "./search.js";
import { RuleRefusal } from "./refusal.js";
import { authorText, type DetectionRule, type Level } from "./rule.js";
import type { EventView } from "./event-view.js";

/** What a finding says of its rule. */
export interface RuleInfo {
  /** The Sigma id (or the template id, or the title when a rule has no id). */
  ruleId: string;
  title: string;
  level: Level;
  author: string;
  tags: string[];
  /** The file it came from (shown as given). */
  file: string;
  origin: "sigma" | "template" | "correlation";
}

export interface CompiledSigma extends RuleInfo {
  origin: "sigma";
  /** The name correlations may refer to it by. */
  name?: string;
  test(view: EventView): boolean;
  /** The event names (lower-cased) it can match; undefined: any. */
  eventNames: Set<string> | undefined;
  /** Its findings are shown (false: it only feeds correlation rules with generate: false). */
  generate: boolean;
  rule: DetectionRule;
}

/** Whether the rule's logsource is CloudTrail (product aws, service cloudtrail; either may be left out, not both). */
export function isCloudTrail(rule: DetectionRule): boolean {
  const { product, service, category } = rule.logsource;
  const p = product?.toLowerCase();
  const s = service?.toLowerCase();
  if (p !== undefined && p !== "aws") return false;
  if (s !== undefined && s !== "cloudtrail") return false;
  if (category) return false;
  return p !== undefined || s !== undefined;
}

function condTest(c: Cond, tests: Map<string, Test>): Test {
  switch (c.k) {
    case "id":
      return tests.get(c.name)!;
    case "not": {
      const t = condTest(c.item, tests);
      return (v) => !t(v);
    }
    case "and": {
      const ts = c.items.map((x) => condTest(x, tests));
      return (v) => {
        for (const t of ts) if (!t(v)) return false;
        return true;
      };
    }
    case "or": {
      const ts = c.items.map((x) => condTest(x, tests));
      return (v) => {
        for (const t of ts) if (t(v)) return true;
        return false;
      };
    }
    case "of": {
      const ts = c.names.map((n) => tests.get(n)!);
      if (c.all) return (v) => ts.every((t) => t(v));
      return (v) => ts.some((t) => t(v));
    }
  }
}

/** The event names the condition needs (lower-cased), when every way it can hold needs one of them. */
function condEventNames(c: Cond, names: Map<string, Set<string> | undefined>): Set<string> | undefined {
  const union = (sets: (Set<string> | undefined)[]): Set<string> | undefined => {
    const out = new Set<string>();
    for (const s of sets) {
      if (!s) return undefined;
      for (const x of s) out.add(x);
    }
    return out;
  };
  const intersect = (sets: (Set<string> | undefined)[]): Set<string> | undefined => {
    // any one constraint is enough to dispatch by: the smallest
    let best: Set<string> | undefined;
    for (const s of sets) if (s && (!best || s.size < best.size)) best = s;
    return best;
  };
  switch (c.k) {
    case "id":
      return names.get(c.name);
    case "not":
      return undefined;
    case "and":
      return intersect(c.items.map((x) => condEventNames(x, names)));
    case "or":
      return union(c.items.map((x) => condEventNames(x, names)));
    case "of":
      return c.all ? intersect(c.names.map((n) => names.get(n))) : union(c.names.map((n) => names.get(n)));
  }
}

/** The parsed condition of a rule: several conditions (a list) mean one of them. */
export function ruleCondition(rule: DetectionRule): Cond {
  const { condition, ...searches } = rule.detection;
  const ids = Object.keys(searches);
  const conds = (Array.isArray(condition) ? condition : [condition]).map((c) => parseCondition(c, ids));
  return conds.length === 1 ? conds[0]! : { k: "or", items: conds };
}

export function compileSigma(rule: DetectionRule, file: string): CompiledSigma {
  if (!isCloudTrail(rule)) {
    const ls = rule.logsource;
    throw new RuleRefusal("not CloudTrail", `logsource ${[ls.product, ls.service, ls.category].filter(Boolean).join("/") || "(none)"} is not aws/cloudtrail`);
  }
  const { condition: _c, ...searches } = rule.detection;
  const cond = ruleCondition(rule);
  const tests = new Map<string, Test>();
  const names = new Map<string, Set<string> | undefined>();
  for (const name of condNames(cond)) {
    const search = searches[name]!;
    try {
      tests.set(name, compileSearch(search));
    } catch (e) {
      if (e instanceof RuleRefusal) throw new RuleRefusal(e.kind, `${name}: ${e.message}`, e.modifier);
      throw e;
    }
    names.set(name, searchEventNames(search));
  }
  return {
    ruleId: rule.id ?? rule.title,
    title: rule.title,
    level: rule.level ?? "medium",
    author: authorText(rule.author),
    tags: rule.tags ?? [],
    file,
    origin: "sigma",
    ...(rule.name ? { name: rule.name } : {}),
    test: condTest(cond, tests),
    eventNames: condEventNames(cond, names),
    generate: true,
    rule,
  };
}
