// Detection mode, put together: the rules selected (bundled templates, Sigma files), each compiled
// or reported with the reason it is not run, and the Detector that runs them in one pass.
//
//   rule.ts          Sigma documents' structure (zod)        load.ts       YAML files → documents
//   pattern.ts       wildcards, escapes, linear matching     modifiers.ts  the modifier registry
//   event-view.ts    an event's field values, cached         search.ts     search identifiers → tests
//   condition.ts     conditions → a tree                     sigma.ts      a rule → a test + dispatch
//   correlation.ts   correlation rules                       templates.ts  bundled templates as rules
//   judge.ts         the rules on each event (any thread)    engine.ts     the single pass
//   report.ts        findings and the summary                query.ts      a rule as a Logs Insights query
//   rules-cache.ts   parsed rule files kept between runs
import { loadRules, shownPath, type NotRun } from "./load.js";
import { compileSigma, type CompiledSigma } from "./sigma.js";
import { compileCorrelation, type CompiledCorrelation } from "./correlation.js";
import { detectTemplates, type TemplateRule } from "./templates.js";
import { RuleRefusal } from "./refusal.js";
import { Detector } from "./engine.js";
import { RulesCache } from "./rules-cache.js";
import type { RulesRun } from "./report.js";

export interface Prepared {
  detector: Detector;
  sigma: CompiledSigma[];
  correlations: CompiledCorrelation[];
  templates: TemplateRule[];
  /** Every rule read and not run, with the reason. */
  notRun: NotRun[];
  /** Rule files read. */
  files: number;
  /** Of those, the files whose documents came from the cache of parsed rules. */
  cached: number;
}

export interface PrepareOptions {
  rules: readonly string[];
  bundled: boolean;
  now: number;
  /** Keep the parsed rule files between runs (rules-cache.ts). */
  cache?: boolean;
  /** The command a template not run is run with, as its reason says (`trailq run`, or the prompt's `.run`). */
  runWith?: string;
}

/** Reads and compiles the rules; nothing here throws for a bad rule. */
export function prepareDetection(o: PrepareOptions): Prepared {
  const notRun: NotRun[] = [];
  const sigma: CompiledSigma[] = [];
  const correlations: CompiledCorrelation[] = [];
  let templates: TemplateRule[] = [];
  if (o.bundled) {
    const t = detectTemplates(o.now, undefined, o.runWith);
    templates = t.rules;
    notRun.push(...t.notRun);
  }
  const loaded = o.rules.length ? loadRules(o.rules, o.cache ? new RulesCache(o.rules) : undefined) : { docs: [], problems: [], files: 0, cached: 0 };
  notRun.push(...loaded.problems);
  const refusal = (file: string, rule: string, id: string | undefined, e: unknown): NotRun => {
    if (!(e instanceof RuleRefusal)) throw e;
    return { file: shownPath(file), rule, ...(id ? { id } : {}), kind: e.kind, reason: e.message, ...(e.modifier ? { modifier: e.modifier } : {}) };
  };
  for (const d of loaded.docs) {
    if (d.kind !== "detection") continue;
    try {
      sigma.push(compileSigma(d.rule, shownPath(d.file)));
    } catch (e) {
      notRun.push(refusal(d.file, d.rule.title, d.rule.id, e));
    }
  }
  const correlationNames = new Set<string>();
  for (const d of loaded.docs) {
    if (d.kind !== "correlation") continue;
    for (const n of [d.rule.id, d.rule.name, d.rule.title]) if (n) correlationNames.add(n);
  }
  for (const d of loaded.docs) {
    if (d.kind !== "correlation") continue;
    try {
      correlations.push(compileCorrelation(d.rule, shownPath(d.file), sigma, correlationNames));
    } catch (e) {
      notRun.push(refusal(d.file, d.rule.title, d.rule.id, e));
    }
  }
  return { detector: new Detector(sigma, correlations, templates), sigma, correlations, templates, notRun, files: loaded.files, cached: loaded.cached };
}

/** What the summary says of the rules. */
export function rulesRun(p: Prepared): RulesRun {
  return { sigma: p.sigma.length, correlations: p.correlations.length, templates: p.templates.length, notRun: p.notRun, files: p.files, cached: p.cached };
}

export { Detector } from "./engine.js";
export type { Finding, DetectResult, DetectOptions } from "./engine.js";
