// Shared by the detect tests: a rule written as YAML text, compiled, and tried on events.
import { loadRuleText } from "../../src/detect/load.js";
import { compileSigma, type CompiledSigma } from "../../src/detect/sigma.js";
import { EventView, type Event } from "../../src/detect/event-view.js";
import { RuleRefusal } from "../../src/detect/refusal.js";

/** A detection rule around `detection` (YAML, indented by the caller as a block under `detection:`). */
export function ruleYaml(detection: string, extra = ""): string {
  return `title: Test rule\nid: t-1\nlevel: high\nauthor: The trailq team\nlogsource:\n  product: aws\n  service: cloudtrail\n${extra}detection:\n${detection}\n`;
}

export function compile(detection: string): CompiledSigma {
  const { docs, problems } = loadRuleText(ruleYaml(detection), "test.yml");
  if (problems.length) throw new Error(`not loaded: ${problems[0]!.reason}`);
  const d = docs[0]!;
  if (d.kind !== "detection") throw new Error("not a detection rule");
  return compileSigma(d.rule, "test.yml");
}

/** Whether the rule matches each event. */
export function matches(detection: string, ...events: Event[]): boolean[] {
  const r = compile(detection);
  return events.map((e) => r.test(new EventView(e)));
}

/** Why the rule is refused (throws if it compiles). */
export function refusal(detection: string): RuleRefusal {
  try {
    compile(detection);
  } catch (e) {
    if (e instanceof RuleRefusal) return e;
    throw e;
  }
  throw new Error("the rule compiled");
}
