// Sigma correlation rules over the events their rules matched: event_count, value_count, temporal
// and temporal_ordered, per group-by values, within a timespan. The scan hands each match of a
// referenced rule here (time, group, value); the correlations are judged in time order as the scan
// goes (it reads files in time order), in windows that end at each match: a correlation fires at
// the match that makes its condition hold (and again only after it stopped holding), and that
// match is its finding.
import { RuleRefusal } from "./refusal.js";
import { authorText, type CorrelationCondition, type CorrelationRule, type Level } from "./rule.js";
import type { CompiledSigma, RuleInfo } from "./sigma.js";
import type { EventView } from "./event-view.js";

/** A match of a referenced rule, as a correlation keeps it. */
export interface Match<E> {
  t: number;
  /** Which of the correlation's rules matched (its position in `rules`). */
  rule: number;
  group: string;
  /**
   * value_count: the values the match counts: each of its field's (each element of a list), or its
   * fields' together as one key; none when absent.
   */
  value: string[];
  /** What the finding shows (the engine's event summary). */
  event: E;
  /** Whether another rule found the event (shared by the matches of one event). */
  seen: { found: boolean };
}

export interface CompiledCorrelation extends RuleInfo {
  origin: "correlation";
  type: "event_count" | "value_count" | "temporal" | "temporal_ordered";
  /** The rules it correlates, in its order. */
  rules: CompiledSigma[];
  groupBy: string[];
  timespanMs: number;
  condition: CorrelationCondition;
  /** The field(s) value_count counts. */
  fields: string[];
  aliases: Record<string, Record<string, string>>;
  /** Whether the rules it refers to still show their own findings. */
  generate: boolean;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

export function timespanMs(t: string): number {
  const m = /^(\d+)([smhdw])$/.exec(t);
  if (!m) throw new RuleRefusal("correlation", `timespan ${t}: use a number and s, m, h, d or w`);
  // a window of no time holds no event (and would have the judge look past its list's end)
  if (Number(m[1]) === 0) throw new RuleRefusal("correlation", `timespan ${t}: a window must last some time`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Finds the rule a correlation names: by id, then name, then title (as rule collections write it).
 * A name two rules share is refused: the first of them alone counted, and the other's events went
 * missing from the correlation without a word.
 */
export function resolveRule(ref: string, rules: readonly CompiledSigma[]): CompiledSigma | undefined {
  for (const key of [(r: CompiledSigma) => r.rule.id, (r: CompiledSigma) => r.name, (r: CompiledSigma) => r.title]) {
    const found = rules.filter((r) => key(r) === ref);
    if (found.length > 1) throw new RuleRefusal("correlation", `refers to ${ref}, which ${found.length} rules are called (${found.map((r) => r.title).join(", ")}): give each its own id`);
    if (found.length === 1) return found[0];
  }
  return undefined;
}

export function compileCorrelation(rule: CorrelationRule, file: string, rules: readonly CompiledSigma[], correlationNames: ReadonlySet<string>): CompiledCorrelation {
  const c = rule.correlation;
  const type = c.type;
  if (type !== "event_count" && type !== "value_count" && type !== "temporal" && type !== "temporal_ordered") {
    throw new RuleRefusal("correlation", `correlation type ${type} is not run (trailq runs event_count, value_count, temporal, temporal_ordered)`);
  }
  const refs = asList(c.rules);
  const resolved = refs.map((ref) => {
    const r = resolveRule(ref, rules);
    if (r) return r;
    if (correlationNames.has(ref)) throw new RuleRefusal("correlation", `refers to the correlation ${ref}: correlations of correlations are not run`);
    throw new RuleRefusal("correlation", `refers to ${ref}, which is not among the rules run (not loaded, or refused)`);
  });
  // a rule's matches go to a correlation once: named twice (temporal_ordered [A, B, A]) it could never hold
  const twice = resolved.find((r, i) => resolved.indexOf(r) !== i);
  if (twice) throw new RuleRefusal("correlation", `names the rule ${twice.title} twice: a rule's match counts once, so a sequence that repeats a rule is not run`);
  const condition = c.condition ?? {};
  const fields = asList(condition.field);
  if (type === "value_count" && fields.length === 0) throw new RuleRefusal("correlation", "value_count needs condition.field");
  const bounds = (["gt", "gte", "lt", "lte", "eq", "neq"] as const).filter((k) => condition[k] !== undefined);
  if ((type === "event_count" || type === "value_count") && bounds.length === 0) throw new RuleRefusal("correlation", `${type} needs a condition (gte: 10...)`);
  const groupBy = asList(c["group-by"]);
  return {
    ruleId: rule.id ?? rule.title,
    title: rule.title,
    level: (rule.level ?? "medium") as Level,
    author: authorText(rule.author),
    tags: rule.tags ?? [],
    file,
    origin: "correlation",
    type,
    rules: resolved,
    groupBy,
    timespanMs: timespanMs(c.timespan),
    condition,
    fields,
    aliases: c.aliases ?? {},
    generate: (c.generate ?? rule.generate) === true,
  };
}

/** Whether a count meets the condition (every bound given). */
export function meets(n: number, c: CorrelationCondition): boolean {
  if (c.gt !== undefined && !(n > c.gt)) return false;
  if (c.gte !== undefined && !(n >= c.gte)) return false;
  if (c.lt !== undefined && !(n < c.lt)) return false;
  if (c.lte !== undefined && !(n <= c.lte)) return false;
  if (c.eq !== undefined && n !== c.eq) return false;
  if (c.neq !== undefined && n === c.neq) return false;
  return true;
}

/** The field a correlation groups (or counts) by for one of its rules: the alias's field for that rule, else the name itself. */
function fieldFor(corr: CompiledCorrelation, name: string, rule: CompiledSigma): string {
  const alias = corr.aliases[name];
  if (!alias) return name;
  return alias[rule.name ?? ""] ?? alias[rule.rule.id ?? ""] ?? alias[rule.title] ?? name;
}

/**
 * The fields a match of the correlation's rule `i` is keyed by: its group-by fields and, for
 * value_count, the fields it counts (aliases resolved). Plain data: the scan's workers key matches too.
 */
export interface MatchFields {
  group: string[];
  value: string[];
}

export function matchFields(corr: CompiledCorrelation, i: number): MatchFields {
  const rule = corr.rules[i]!;
  return {
    group: corr.groupBy.map((g) => fieldFor(corr, g, rule)),
    value: corr.type === "value_count" ? corr.fields.map((f) => fieldFor(corr, f, rule)) : [],
  };
}

const firstText = (view: EventView, field: string): string => {
  const v = view.values(field);
  return v.length ? v.map((x) => (x === null ? "" : x)).join(",") : "";
};

/** The group and values of a match keyed by `fields` (matchFields). */
export function matchKey(fields: MatchFields, view: EventView): { group: string; value: string[] } {
  const group = JSON.stringify(fields.group.map((f) => firstText(view, f)));
  // one field: each of its values (a list's elements are values of their own, as a field of a
  // flattened event would give them); several: their texts together, one value
  if (fields.value.length === 1) return { group, value: [...new Set(view.values(fields.value[0]!).filter((x): x is string => x !== null && x !== ""))] };
  const values = fields.value.map((f) => firstText(view, f));
  // none of the fields there: no value to count (one field's absence is "" already)
  return { group, value: values.every((v) => v === "") ? [] : [values.join("\u0000")] };
}

/** The group-by values of a group key, as `field=value` text. */
export function groupText(corr: CompiledCorrelation, group: string): string {
  const values = JSON.parse(group) as string[];
  // each value quoted: a value holding `, sourceIPAddress=...` must not read as another group
  return corr.groupBy.map((g, i) => `${g}=${values[i] ? JSON.stringify(values[i]) : "(none)"}`).join(", ");
}

export interface Fired<E> {
  match: Match<E>;
  detail: string;
}

/** A group's window: its matches from `lo` on (the older ones are dropped now and then), what they count. */
interface Window<E> {
  list: Match<E>[];
  lo: number;
  values: Map<string, number>;
  /** The window's events, each counted once however many of the correlation's rules it matched. */
  events: Map<E, number>;
  ruleCounts: number[];
  holding: boolean;
}

/**
 * A correlation judged as its rules' matches come, in time order: add() the matches in any order,
 * flush(bound) once no match still to come is older than `bound` (the scan reads files in time
 * order: ScanOrder.timeSort), and it judges those older than it, each group in time order (ties in
 * the order they were added), in the window of `timespan` that ends at each. It fires at the match
 * that makes its condition hold, and again only after it stopped holding. flush(Infinity) judges
 * everything left; matches without a time are never judged.
 */
export class CorrelationJudge<E> {
  private pending: Match<E>[] = [];
  private readonly groups = new Map<string, Window<E>>();
  private readonly spanText: string;
  private readonly bounded: boolean;
  /** Groups after the last prune(). */
  private kept = 0;
  /**
   * The bound of the last prune(): a match older than it (a file delivered late) whose group it
   * forgot, or emptied, would be judged without the matches it forgot. Such a match is late.
   */
  private prunedBefore = -Infinity;
  /**
   * Matches older than the last judged one of their group (their file came more than the scan's
   * margin late): left out, since the windows they belonged in were judged without them.
   */
  late = 0;
  /** Matches of events without a usable eventTime: in no window (the run says how many). */
  untimed = 0;

  constructor(readonly corr: CompiledCorrelation) {
    this.spanText = spanName(corr.timespanMs);
    this.bounded = ["gt", "gte", "lt", "lte", "eq", "neq"].some((k) => corr.condition[k as keyof CorrelationCondition] !== undefined);
  }

  add(m: Match<E>): void {
    if (Number.isNaN(m.t)) this.untimed++;
    else this.pending.push(m);
  }

  flush(bound: number): Fired<E>[] {
    let ready: Match<E>[];
    if (bound === Infinity) {
      ready = this.pending;
      this.pending = [];
    } else {
      ready = [];
      const later: Match<E>[] = [];
      for (const m of this.pending) (m.t < bound ? ready : later).push(m);
      this.pending = later;
    }
    ready.sort((a, b) => a.t - b.t);
    const out: Fired<E>[] = [];
    for (const m of ready) this.step(m, out);
    if (this.groups.size > 2 * this.kept + 1024) this.prune(bound);
    return out;
  }

  /**
   * Forgets the groups whose matches are all out of the window of any match still to come (none
   * older than `bound`): their matches can count no more. A group whose condition held at its last
   * match keeps that (it fires again only after it stopped holding); the others go.
   */
  private prune(bound: number): void {
    const span = this.corr.timespanMs;
    for (const [key, w] of this.groups) {
      const last = w.list[w.list.length - 1];
      if (last === undefined || last.t > bound - span) continue;
      if (!w.holding) this.groups.delete(key);
      else {
        w.list = [];
        w.lo = 0;
        w.values.clear();
        w.events.clear();
        w.ruleCounts.fill(0);
      }
    }
    this.kept = this.groups.size;
    this.prunedBefore = bound;
  }

  /**
   * Whether the condition holds for the window's matches lo..hi: the events (event_count), the
   * distinct values (value_count), the distinct rules (temporal), or the rules matched in their
   * order (temporal_ordered); without a condition, every rule.
   */
  private holds(w: Window<E>, hi: number): boolean {
    const corr = this.corr;
    if (corr.type === "event_count") return meets(w.events.size, corr.condition);
    if (corr.type === "value_count") return meets(w.values.size, corr.condition);
    const distinct = w.ruleCounts.filter((c) => c > 0).length;
    if (corr.type === "temporal") return this.bounded ? meets(distinct, corr.condition) : distinct === corr.rules.length;
    // in order: never more rules than the distinct ones, so the chain is looked for only when they could be enough
    if (!this.bounded) return distinct === corr.rules.length && inOrder(w.list, w.lo, hi) === corr.rules.length;
    const c = corr.condition;
    const lowerBoundOnly = c.lt === undefined && c.lte === undefined && c.eq === undefined && c.neq === undefined;
    if (lowerBoundOnly && !meets(distinct, c)) return false;
    return meets(inOrder(w.list, w.lo, hi), c);
  }

  private step(m: Match<E>, out: Fired<E>[]): void {
    const corr = this.corr;
    let w = this.groups.get(m.group);
    if (!w) this.groups.set(m.group, (w = { list: [], lo: 0, values: new Map(), events: new Map(), ruleCounts: new Array<number>(corr.rules.length).fill(0), holding: false }));
    const { list, values, events, ruleCounts } = w;
    // the window slides forward in time only: a late match would be counted in windows it is not in;
    // in a group without matches, one older than what prune() forgot may belong with forgotten ones
    const last = list[list.length - 1];
    if (last !== undefined ? m.t < last.t : m.t < this.prunedBefore) {
      this.late++;
      return;
    }
    // the window at this match's time, before it: what held just before it came
    while (w.lo < list.length && list[w.lo]!.t <= m.t - corr.timespanMs) {
      const old = list[w.lo]!;
      for (const v of old.value) {
        const n = values.get(v)! - 1;
        if (n === 0) values.delete(v);
        else values.set(v, n);
      }
      const e = events.get(old.event)! - 1;
      if (e === 0) events.delete(old.event);
      else events.set(old.event, e);
      ruleCounts[old.rule]!--;
      w.lo++;
    }
    // the condition held on since the last finding only if it still held just before this match
    // (the window may have emptied between two matches hours apart: a new finding, not one held)
    const heldOn = w.holding && w.lo < list.length && this.holds(w, list.length - 1);
    list.push(m);
    for (const v of m.value) values.set(v, (values.get(v) ?? 0) + 1);
    events.set(m.event, (events.get(m.event) ?? 0) + 1);
    ruleCounts[m.rule]!++;
    const hi = list.length - 1;
    const where = (): string => (corr.groupBy.length ? ` by ${groupText(corr, m.group)}` : "");
    const ok = this.holds(w, hi);
    // what held, written only for a finding (most matches make none)
    let detail: () => string;
    if (corr.type === "event_count") {
      detail = () => `${events.size} events${where()} within ${this.spanText}`;
    } else if (corr.type === "value_count") {
      detail = () => `${values.size} distinct ${corr.fields.join(", ")}${where()} within ${this.spanText}`;
    } else {
      detail = () => {
        // the rules that matched in the window (a condition may ask fewer than all of them)
        const held = corr.rules.filter((_, i) => ruleCounts[i]! > 0);
        const of = held.length < corr.rules.length ? ` (${held.length} of ${corr.rules.length} rules)` : "";
        // temporal: the rules in no order (an arrow read as the order they happened in)
        const list = corr.type === "temporal" ? held.map((r) => r.title).join(" and ") : `in order: ${held.map((r) => r.title).join(" → ")}`;
        return `${list}${of}${where()} within ${this.spanText}`;
      };
    }
    if (ok && !heldOn) out.push({ match: m, detail: detail() });
    w.holding = ok;
    // the matches out of the window are dropped once they are most of the list
    if (w.lo * 2 > list.length) {
      w.list = list.slice(w.lo);
      w.lo = 0;
    }
  }
}

/**
 * How many of the rules the matches lo..hi hold in the order given: the longest chain of matches in
 * time order whose rules come in the correlation's order (A then C is 2 of A, B, C). Matches of one
 * time may come in either order (CloudTrail's times are to the second, and a file's records in no
 * set order), and an event is one step at most (one event that two of the rules find is no sequence).
 */
function inOrder<E>(list: Match<E>[], lo: number, hi: number): number {
  // ends[k]: the least rule a chain of k + 1 rules ends with, so far
  let ends: number[] = [];
  for (let i = lo; i <= hi; ) {
    let j = i;
    while (j < hi && list[j + 1]!.t === list[i]!.t) j++;
    if (j === i) {
      // one match alone in its time (most are): where its rule goes
      const r = list[i]!.rule;
      let a = 0;
      let b = ends.length;
      while (a < b) {
        const mid = (a + b) >> 1;
        if (ends[mid]! < r) a = mid + 1;
        else b = mid;
      }
      ends[a] = r;
      i++;
      continue;
    }
    // the events of one time (one event, when its matches are all there are), each one step with any of its rules
    const byEvent = new Map<E, number[]>();
    for (let k = i; k <= j; k++) {
      const m = list[k]!;
      const rules = byEvent.get(m.event);
      if (rules) rules.push(m.rule);
      else byEvent.set(m.event, [m.rule]);
    }
    ends = tiedSteps(ends, [...byEvent.values()]);
    i = j + 1;
  }
  return ends.length;
}

/**
 * `ends` after the events of one time, which came in either order (CloudTrail's times are to the
 * second, a file writes its records in no set order), each event one step with any one of its rules:
 * a chain before them (none, or one ending at ends[k]) goes on with the rules past its last that
 * distinct events can give, taken least first (a rule kept when the events can still give each
 * kept rule one event of its own: Kuhn's augmenting paths); the least such rule at each length.
 */
function tiedSteps(ends: readonly number[], events: readonly number[][]): number[] {
  const next = ends.slice();
  for (let k = -1; k < ends.length; k++) {
    const after = k < 0 ? -1 : ends[k]!;
    matchedRules(events, after).forEach((r, m) => {
      const at = k + 1 + m;
      if (at >= next.length || r < next[at]!) next[at] = r;
    });
  }
  return next;
}

/** The rules past `after` that distinct events give, least first (a greedy basis of the events' rules). */
function matchedRules(events: readonly number[][], after: number): number[] {
  const eventsOf = new Map<number, number[]>();
  events.forEach((rules, e) => {
    for (const r of rules) {
      if (r <= after) continue;
      const list = eventsOf.get(r);
      if (list) list.push(e);
      else eventsOf.set(r, [e]);
    }
  });
  const ruleOf = new Map<number, number>();
  const take = (r: number, seen: Set<number>): boolean => {
    for (const e of eventsOf.get(r)!) {
      if (seen.has(e)) continue;
      seen.add(e);
      const other = ruleOf.get(e);
      if (other === undefined || take(other, seen)) {
        ruleOf.set(e, r);
        return true;
      }
    }
    return false;
  };
  const kept: number[] = [];
  for (const r of [...eventsOf.keys()].sort((a, b) => a - b)) if (take(r, new Set())) kept.push(r);
  return kept;
}

function spanName(ms: number): string {
  for (const [u, f] of [["w", UNIT_MS["w"]!], ["d", UNIT_MS["d"]!], ["h", UNIT_MS["h"]!], ["m", UNIT_MS["m"]!]] as const) if (ms % f === 0) return `${ms / f}${u}`;
  return `${ms / 1000}s`;
}
