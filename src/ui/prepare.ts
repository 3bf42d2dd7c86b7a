// What the page asks to run, made into a plan: a query text (or `.run ID name=value...`, as at the
// prompt), or a template with its parameters; the time range as --start/--end/--since.
import { parseQuery, type Query } from "../lang/index.js";
import { buildPlan } from "../plan/build.js";
import type { Plan } from "../plan/plan.js";
import { parseTimeRange, type TimeRange } from "../time/range.js";
import { LookupTables } from "../lookup/tables.js";
import { loadLibrary } from "../templates/library.js";
import { bindTemplate, paramPairs, runPairs } from "../templates/bind.js";
import { anchorNote, findAnchor } from "../templates/anchor.js";
import { usesAnchor } from "../templates/template.js";
import { ExitCode, UserError } from "../errors.js";
import { z } from "../zod.js";
import { displayZone } from "../time/zone.js";

/** The time range picker's answer: --start/--end or --since, as text. */
const RANGE = {
  start: z.optional(z.string().check(z.maxLength(100))),
  end: z.optional(z.string().check(z.maxLength(100))),
  since: z.optional(z.string().check(z.maxLength(100))),
};

/** What a detection run is asked: the time range only (the inputs and rules are the server's). */
export const RangeSpecSchema = z.object(RANGE);

export const RunSpecSchema = z.object({
  query: z.optional(z.string().check(z.maxLength(100_000))),
  template: z.optional(z.string().check(z.maxLength(200))),
  params: z.optional(z.record(z.string(), z.string())),
  ...RANGE,
});
export type RunSpec = z.infer<typeof RunSpecSchema>;

/** The spec's time range, as --start/--end/--since give it. */
export function rangeOf(spec: z.infer<typeof RangeSpecSchema>, now: number): TimeRange {
  // the range picker's times are the console's zone's (trailq ui --tz)
  return parseTimeRange({ ...(spec.start ? { start: spec.start } : {}), ...(spec.end ? { end: spec.end } : {}), ...(spec.since ? { since: spec.since } : {}) }, now, displayZone());
}

export interface Prepared {
  plan: Plan;
  range: TimeRange;
  /** The query text the plan was made from (a template's query). */
  text: string;
  /** What the summary line says besides the figures (a template's anchor). */
  notes: string[];
}

/** `.run ID name=value ...`: a template run written in the editor, as at the prompt. */
export function templateCall(text: string): { template: string; params: Record<string, string> } | undefined {
  const m = /^\s*\.run\s+(\S+)(.*)$/s.exec(text);
  if (!m) return undefined;
  return { template: m[1]!, params: paramPairs(runPairs(m[2]!)) };
}

/** The run's plan, `now` the instant it began (the range's and now()'s). */
export async function prepare(spec: RunSpec, inputs: string[], signal: AbortSignal | undefined, now: number): Promise<Prepared> {
  const range = rangeOf(spec, now);
  const lookups = new LookupTables();
  const call = spec.template !== undefined ? { template: spec.template, params: spec.params ?? {} } : templateCall(spec.query ?? "");
  if (!call) {
    const text = spec.query ?? "";
    return { plan: buildPlan(parseQuery(text), { now, lookups }), range, text, notes: [] };
  }
  const t = loadLibrary().templates.get(call.template);
  if (!t) throw new UserError(`no template ${call.template}`, ExitCode.usage);
  const parsed = parseQuery(t.query);
  let query: Query;
  const notes: string[] = [];
  if (!usesAnchor(t)) query = bindTemplate(t, parsed, call.params);
  else {
    const anchor = await findAnchor(bindTemplate(t, parsed, call.params, { anchor: 0 }), inputs, { range, now, ...(signal ? { signal } : {}) });
    query = bindTemplate(t, parsed, call.params, { anchor: anchor.at });
    notes.push(anchorNote(anchor));
  }
  return { plan: buildPlan(query, { now, lookups }), range, text: t.query, notes };
}
