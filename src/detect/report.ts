// What detect prints: the findings as a timeline (one row per rule and event, in the project's
// output formats, so every value is made inert the same way), then a summary: events with a
// finding, counts per level, the rules that fired most, the first and last finding, the authors of
// the rules shown (the Detection Rule License asks that they stay with the rules' matches), the
// rules run, and every rule not run with its reason.
import type { OutputColumn } from "../plan/plan.js";
import type { RExpr } from "../check/rexpr.js";
import type { ValueType } from "../functions/types.js";
import type { Value } from "../exec/values.js";
import { formatTime } from "../output/index.js";
import { grouped, indexedParts, plural } from "../cli/summary.js";
import { LEVELS, levelRank } from "./rule.js";
import type { DetectResult, Finding, FindingEvent } from "./engine.js";
import type { RuleInfo } from "./sigma.js";
import { withRun, type FixedRun, type FixedRunRows } from "../output/index.js";
import type { NotRun } from "./load.js";
import { compareText } from "../exec/values.js";

const NO_EXPR = { k: "const", value: null } as unknown as RExpr;
const col = (name: string, type: ValueType = "string"): OutputColumn => ({ name, type, expr: NO_EXPR });

/** The timeline's columns for the table and CSV. */
export const TABLE_COLUMNS: OutputColumn[] = [
  col("@timestamp", "time"), col("level"), col("rule"), col("principal"), col("sourceIPAddress"), col("eventName"),
  col("awsRegion"), col("recipientAccountId"), col("eventID"), col("@ptr"), col("detail"),
];

/** JSON and JSONL rows carry the rule's id, author and tags besides. */
export const JSON_COLUMNS: OutputColumn[] = [
  col("@timestamp", "time"), col("level"), col("ruleId"), col("rule"), col("author"), col("tags", "list"), col("principal"),
  col("sourceIPAddress"), col("eventName"), col("awsRegion"), col("recipientAccountId"), col("eventID"), col("@ptr"), col("detail"),
];

/** A rule's columns, after @timestamp: level and title (and, in JSON, id, author and tags). */
function ruleValues(r: RuleInfo, json: boolean): Value[] {
  return json ? [r.level, r.ruleId, r.title, r.author, r.tags] : [r.level, r.title];
}

const timeValue = (e: FindingEvent): Value => (Number.isNaN(e.time) ? null : e.time);

/**
 * A finding's own columns, all but its rule's, into `out`: @timestamp, then the event's
 * (principal to @ptr), then detail. The rule's come after @timestamp (TABLE_COLUMNS, JSON_COLUMNS).
 */
function ownValues(f: Finding, out: Value[]): Value[] {
  const e = f.event;
  out[0] = timeValue(e);
  out[1] = e.principal;
  out[2] = e.sourceIP;
  out[3] = e.eventName;
  out[4] = e.region;
  out[5] = e.account;
  out[6] = e.eventID;
  out[7] = e.ptr;
  out[8] = f.detail ?? null;
  return out;
}

/** Where the rule's columns stand among a finding's: after @timestamp. */
const RULE_FROM = 1;

/** A finding's row: @timestamp, the rule's columns, the event's (principal to @ptr), then detail (TABLE_COLUMNS or JSON_COLUMNS). */
export function findingValues(f: Finding, json: boolean): Value[] {
  return withRun(ownValues(f, []), { from: RULE_FROM, values: ruleValues(f.rule, json) });
}

/** Writes findings as rows whose rule's columns are made once per rule (FixedRunRows). */
export function findingWriter(rows: FixedRunRows, json: boolean): (f: Finding) => void {
  const byRule = new Map<RuleInfo, FixedRun>();
  // a row's own values, written at once: one array for every row
  const values: Value[] = [];
  return (f) => {
    let run = byRule.get(f.rule);
    if (run === undefined) byRule.set(f.rule, (run = rows.fixed(ruleValues(f.rule, json), RULE_FROM)));
    rows.row(ownValues(f, values), run);
  };
}

export interface RulesRun {
  sigma: number;
  correlations: number;
  templates: number;
  notRun: NotRun[];
  /** Rule files read, and how many of them came from the cache of parsed rules. */
  files?: number;
  cached?: number;
}

/** The summary's figures (also what --format json's tools and the tests read). */
export interface Summary {
  events: number;
  eventsWithFinding: number;
  findings: number;
  levels: Record<string, number>;
  topRules: { rule: string; ruleId: string; level: string; findings: number }[];
  first?: number;
  last?: number;
  authors: string[];
  rules: { sigma: number; correlations: number; templates: number; notRun: number };
}

export function summarize(r: DetectResult, run: RulesRun, top = 10): Summary {
  const t = r.tally;
  const levels: Record<string, number> = {};
  for (const l of [...LEVELS].reverse()) levels[l] = t.levels.get(l) ?? 0;
  const topRules = [...t.perRule]
    .map(([rule, findings]) => ({ rule: rule.title, ruleId: rule.ruleId, level: rule.level, findings }))
    .sort((a, b) => b.findings - a.findings || levelRank(b.level) - levelRank(a.level) || compareText(a.rule, b.rule))
    .slice(0, top);
  const s: Summary = {
    events: r.events,
    eventsWithFinding: r.eventsWithFinding,
    findings: t.findings,
    levels,
    topRules,
    authors: [...t.authors].sort(),
    rules: { sigma: run.sigma, correlations: run.correlations, templates: run.templates, notRun: run.notRun.length },
  };
  if (t.first <= t.last) {
    s.first = t.first;
    s.last = t.last;
  }
  return s;
}

/** The summary as the lines printed on standard error after the findings. */
export function summaryText(s: Summary, run: RulesRun, r: DetectResult): string[] {
  const lines: string[] = [];
  const pct = s.events ? ` (${((100 * s.eventsWithFinding) / s.events).toFixed(1)} %)` : "";
  lines.push(`${grouped(s.eventsWithFinding)} of ${grouped(s.events)} events with a finding${pct} · ${grouped(s.findings)} finding${s.findings === 1 ? "" : "s"} · ${(r.elapsedMs / 1000).toFixed(2)} s`);
  lines.push(`by level: ${Object.entries(s.levels).map(([l, n]) => `${l} ${grouped(n)}`).join(", ")}`);
  if (s.first !== undefined && s.last !== undefined) lines.push(`first finding ${formatTime(s.first)}, last ${formatTime(s.last)}`);
  if (s.topRules.length) {
    lines.push("rules that fired most:");
    for (const t of s.topRules) lines.push(`  ${String(t.findings).padStart(7)}  ${t.level.padEnd(13)} ${t.rule}`);
  }
  if (s.authors.length) lines.push(`rule authors: ${s.authors.join("; ")}`);
  lines.push(`rules run: ${grouped(run.sigma)} Sigma, ${grouped(run.correlations)} correlation${run.correlations === 1 ? "" : "s"}, ${grouped(run.templates)} template${run.templates === 1 ? "" : "s"} · not run: ${grouped(run.notRun.length)}`);
  if (run.files) lines.push(`${grouped(run.files)} rule file${run.files === 1 ? "" : "s"} read${run.cached ? `, ${grouped(run.cached)} of them parsed in an earlier run (the rules cache)` : ""}`);
  if (run.notRun.length) {
    const byKind = new Map<string, number>();
    for (const n of run.notRun) byKind.set(n.kind, (byKind.get(n.kind) ?? 0) + 1);
    lines.push(`not run (${[...byKind].map(([k, n]) => (n === 1 || k === "not CloudTrail" ? `${n} ${k}` : `${n} ${k === "regex" ? "regexes" : k + "s"}`)).join(", ")}):`);
    for (const n of run.notRun) lines.push(`  ${n.file}: ${n.rule}: ${n.reason}`);
  }
  const read = r.read;
  const extra: string[] = [];
  if (r.duplicates > 0) extra.push(`${plural(r.duplicates, "duplicate event")} skipped (same eventID)`);
  if (read.filesSkipped > 0) extra.push(`${plural(read.filesSkipped, "file")} skipped`);
  if (read.filesPruned > 0) extra.push(`${plural(read.filesPruned, "file")} pruned by name`);
  const indexed = indexedParts(read);
  if (indexed.ruledOut) extra.push(indexed.ruledOut);
  if (indexed.readAnyway) extra.push(indexed.readAnyway);
  if (r.interrupted) extra.push("interrupted");
  lines.push(`${plural(read.eventsRead, "event")} read in ${plural(read.filesRead, "file")}${extra.length ? " · " + extra.join(" · ") : ""}`);
  return lines;
}
