// The rules on each event, where the events are read: on this thread, or in the parallel scan's
// worker threads (a task of exec/tasks.ts), which compile the rules once from the documents they
// are given. Each event admitted is shown to
//   - the Sigma rules that can match its eventName (rules are indexed by the event names their
//     condition needs; a rule that needs none sees every event), through one EventView that keeps
//     each field's values, once read, for the next rule;
//   - the bundled templates that judge events one at a time, through their compiled commands
//     (indexed the same way by the event names their first filter needs);
// and what it found is kept per file, compactly (FileFindings): the events with a finding or a
// correlation match, their few fields a finding shows, the findings as (rule, event) numbers, and
// the correlations' matches. The engine (engine.ts) makes the findings from them, in scan order.
import type { Operator } from "../exec/operators/operator.js";
import { Row } from "../exec/row.js";
import { packColumn, type RunColumn } from "../exec/parallel.js";
import type { ScanTask } from "../exec/tasks.js";
import { heapKeeper } from "../exec/memory.js";
import { EventView, type Event } from "./event-view.js";
import { compileSigma, type CompiledSigma } from "./sigma.js";
import { detectTemplates, type TemplateRule } from "./templates.js";
import { matchKey, type MatchFields } from "./correlation.js";
import { levelRank, type DetectionRule } from "./rule.js";
import { foldCase } from "./fold.js";

/** A correlation a rule feeds: which one, as which of its rules, keyed by which fields. */
export interface Feed {
  corr: number;
  index: number;
  fields: MatchFields;
}

/** The rules as the judge runs them. Rule numbers: the Sigma rules' indexes, then the templates' after them. */
export interface JudgeRules {
  sigma: readonly CompiledSigma[];
  templates: readonly TemplateRule[];
  /** Per Sigma rule: its own findings are shown (false: it only feeds correlations with generate: false). */
  shown: readonly boolean[];
  /** Per Sigma rule: the correlations it feeds (null: none). */
  feeds: readonly (Feed[] | null)[];
  /** Findings below this level (levelRank) are not kept; matches still feed correlations. */
  minRank: number;
}

/** The same as plain data, for the workers: the Sigma documents, the templates by id. */
export interface JudgeData {
  sigma: { rule: DetectionRule; file: string }[];
  templates: string[];
  now: number;
  shown: boolean[];
  feeds: (Feed[] | null)[];
  minRank: number;
}

export function judgeData(r: JudgeRules, now: number): JudgeData {
  return {
    sigma: r.sigma.map((s) => ({ rule: s.rule, file: s.file })),
    templates: r.templates.map((t) => t.ruleId),
    now,
    shown: [...r.shown],
    feeds: [...r.feeds],
    minRank: r.minRank,
  };
}

/** A worker's judge: the rules compiled again from their documents (they compiled here: they compile there). */
export function judgeFromData(data: unknown): ScanTask {
  const d = data as JudgeData;
  const byId = new Map(detectTemplates(d.now).rules.map((t) => [t.ruleId, t]));
  const templates = d.templates.map((id) => {
    const t = byId.get(id);
    if (!t) throw new Error(`detect: no template ${id} in this worker`);
    return t;
  });
  const judge = new EventJudge({ sigma: d.sigma.map((s) => compileSigma(s.rule, s.file)), templates, shown: d.shown, feeds: d.feeds, minRank: d.minRank });
  // whole events parsed and dropped, rows held for their eventIDs' judgment: V8 would let the
  // worker's heap grow to about 100 MB holding 20
  const collect = heapKeeper(WORKER_HEAP_FLOOR);
  return {
    head: judge.head,
    endFile() {
      const done = judge.endFile();
      collect();
      return done;
    },
  };
}

/**
 * The heap a worker lets grow before collecting (heapKeeper). Over the 1M trail with the 795 public
 * rules (bin/trailq, quiet machine): 48 MB peaked at 377-388 MB in 12.7-13.4 s, 64 MB at 395-412 MB
 * in 12.3-12.6 s; detect is to stay under 400 MB.
 */
const WORKER_HEAP_FLOOR = 48 * 1024 * 1024;

/** The fields of an event a finding shows, in FileFindings.shown's order. */
const FINDING_FIELDS = ["principal", "sourceIPAddress", "eventName", "awsRegion", "recipientAccountId", "eventID"] as const;

/** How many: FileFindings.shown holds this many values an event. */
export const SHOWN_FIELDS = FINDING_FIELDS.length;

const str = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" ? String(v) : null);

function principalOf(ev: Event): string | null {
  const u = ev["userIdentity"];
  if (u === null || typeof u !== "object" || Array.isArray(u)) return null;
  const o = u as Record<string, unknown>;
  // an empty arn is no arn: the next that names the caller
  const named = (v: unknown): string | null => {
    const s = str(v);
    return s === "" ? null : s;
  };
  return named(o["arn"]) ?? named(o["invokedBy"]) ?? named(o["principalId"]) ?? named(o["type"]);
}

/** A match of a rule a correlation uses. */
export interface CompactMatch {
  corr: number;
  /** Which of the correlation's rules. */
  rule: number;
  group: string;
  /** value_count's values (Match.value). */
  value: string[];
  /** The event (its number in the file's FileFindings). */
  of: number;
}

/** What the rules found in one file. */
export interface FileFindings {
  /** Events judged. */
  events: number;
  /** Events with a finding kept. */
  withFinding: number;
  /** Per event with a finding or a match: its index in the file, @timestamp, whether a finding was kept for it (1 or 0). */
  index: number[];
  time: number[];
  found: number[];
  /**
   * Per such event, its FINDING_FIELDS: value k of event e at e * SHOWN_FIELDS + k. One column a
   * file, not six: the main thread holds a file's findings about an hour of the scan, and V8 copies
   * a text held that long twice in its young generation, but none past 128 KiB (six of a file's
   * own were 30 KiB each).
   */
  shown: RunColumn;
  /** The findings: rule number and event number, in the order found. */
  rule: number[];
  of: number[];
  matches: CompactMatch[];
}

/** A template's compiled commands, and the row that came out of them for the event judged. */
interface Chain {
  number: number;
  keep: boolean;
  head: Operator;
  hit: Row | null;
}

export class EventJudge implements ScanTask {
  readonly head: Operator;
  private readonly byName = new Map<string, number[]>();
  private readonly always: number[] = [];
  /** The templates' chains: by the event names their first filter needs, and those that need none. */
  private readonly chainsByName = new Map<string, Chain[]>();
  private readonly chainsAlways: Chain[] = [];
  /** Per Sigma rule: whether its findings are kept (shown, and at or above the minimum level). */
  private readonly keep: boolean[];
  private out: FileFindings;
  /** The FINDING_FIELDS of the file's events found so far, SHOWN_FIELDS an event. */
  private values: (string | null)[] = [];
  /** The event judged, as the rules see it: one view, reset for each event. */
  private readonly view = new EventView({});

  constructor(private readonly rules: JudgeRules) {
    this.keep = rules.sigma.map((r, i) => rules.shown[i]! && levelRank(r.level) >= rules.minRank);
    rules.sigma.forEach((r, i) => {
      // a rule whose findings are not kept and that feeds no correlation has nothing to judge
      if (!this.keep[i] && !rules.feeds[i]) return;
      if (!r.eventNames) return void this.always.push(i);
      for (const n of r.eventNames) {
        let l = this.byName.get(n);
        if (!l) this.byName.set(n, (l = []));
        l.push(i);
      }
    });
    rules.templates.forEach((rule, j) => {
      const entry: Chain = { number: rules.sigma.length + j, keep: levelRank(rule.level) >= rules.minRank, head: null as unknown as Operator, hit: null };
      entry.head = rule.chain((row) => {
        entry.hit ??= row;
      });
      if (!rule.eventNames) this.chainsAlways.push(entry);
      else
        for (const n of rule.eventNames) {
          let l = this.chainsByName.get(n);
          if (!l) this.chainsByName.set(n, (l = []));
          l.push(entry);
        }
    });
    this.out = this.empty();
    this.head = { push: (row) => this.judge(row), end() {} };
  }

  private empty(): FileFindings {
    return { events: 0, withFinding: 0, index: [], time: [], found: [], shown: [], rule: [], of: [], matches: [] };
  }

  /** Events recorded (with a finding or a correlation's match) since the last endFile(). */
  get held(): number {
    return this.out.index.length;
  }

  /** What the rules found in the file's events since the last call. */
  endFile(): FileFindings {
    const done = this.out;
    done.shown = packColumn(this.values);
    this.out = this.empty();
    this.values = [];
    return done;
  }

  /** The event's number in this file's findings (recorded on its first finding or match). */
  private record(row: Row): number {
    const out = this.out;
    const ev = row.ev!;
    this.values.push(principalOf(ev), str(ev["sourceIPAddress"]), str(ev["eventName"]), str(ev["awsRegion"]), str(ev["recipientAccountId"]), str(ev["eventID"]));
    out.index.push(row.index);
    out.time.push(row.timestamp);
    out.found.push(0);
    return out.index.length - 1;
  }

  /** The event being judged, its number in the file's findings (-1: none yet), whether a finding was kept for it. */
  private row: Row | null = null;
  /** The row the next template's chain gets (a fresh one once a chain made columns on it). */
  private cur: Row | null = null;
  private e = -1;
  private found = false;

  /** Sigma rule i on the event being judged (the view's). */
  private hit(i: number): void {
    const view = this.view;
    if (!this.rules.sigma[i]!.test(view)) return;
    const out = this.out;
    if (this.e < 0) this.e = this.record(this.row!);
    if (this.keep[i]) {
      out.rule.push(i);
      out.of.push(this.e);
      this.found = true;
    }
    const feed = this.rules.feeds[i];
    if (feed) for (const { corr, index, fields } of feed) out.matches.push({ corr, rule: index, ...matchKey(fields, view), of: this.e });
  }

  private judge(row: Row): void {
    const out = this.out;
    const ev = row.ev!;
    out.events++;
    this.view.reset(ev);
    this.row = row;
    this.e = -1;
    this.found = false;
    const name = ev["eventName"];
    if (typeof name === "string") {
      const named = this.byName.get(foldCase(name));
      if (named) for (let k = 0; k < named.length; k++) this.hit(named[k]!);
    }
    const always = this.always;
    for (let k = 0; k < always.length; k++) this.hit(always[k]!);
    this.cur = row;
    if (this.chainsAlways.length) this.chain(this.chainsAlways, row);
    const chains = typeof name === "string" ? this.chainsByName.get(name) : undefined;
    if (chains) this.chain(chains, row);
    if (this.found) {
      out.withFinding++;
      out.found[this.e] = 1;
    }
    this.row = this.cur = null;
  }

  /** The event through the templates' chains. */
  private chain(chains: readonly Chain[], row: Row): void {
    const out = this.out;
    const ev = row.ev!;
    for (const c of chains) {
      const cur = this.cur!;
      c.hit = null;
      c.head.push(cur);
      if (c.hit && c.keep) {
        if (this.e < 0) this.e = this.record(row);
        out.rule.push(c.number);
        out.of.push(this.e);
        this.found = true;
      }
      // a command that made columns (fields x as y) leaves them on the row: the next template gets a fresh one
      if (cur.x !== null) {
        const fresh = new Row(ev, row.file, row.index, row.timestamp);
        fresh.pos = row.pos;
        fresh.raw = row.raw;
        this.cur = fresh;
      }
    }
  }
}
