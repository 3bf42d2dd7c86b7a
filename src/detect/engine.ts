// The single pass: every file is read once and every event decoded once, whatever the number of
// rules. Each event admitted (time range, accounts, regions, first copy of its eventID) is shown to
//   - the Sigma rules that can match its eventName (rules are indexed by the event names their
//     condition needs; a rule that needs none sees every event), through one EventView that keeps
//     each field's values, once read, for the next rule;
//   - the bundled templates that judge events one at a time, through their compiled commands;
// and a match of a rule a correlation refers to is kept for it. Correlations are judged at the end.
import { Reader, type ReadStats, type SourceFile } from "../sources/index.js";
import type { RemoteFiles } from "../sources/types.js";
import { admitter } from "../exec/scan.js";
import { Deduper } from "../exec/event-ids.js";
import { Row } from "../exec/row.js";
import type { Operator } from "../exec/operators/operator.js";
import type { TimeRange } from "../time/range.js";
import { EventView, type Event } from "./event-view.js";
import type { CompiledSigma, RuleInfo } from "./sigma.js";
import type { TemplateRule } from "./templates.js";
import { judge, matchKey, type CompiledCorrelation, type Match } from "./correlation.js";
import { levelRank, type Level } from "./rule.js";
import { Tally } from "./tally.js";

/** One row of the timeline: a rule and the event it found. */
export interface Finding {
  /** @timestamp, epoch ms (NaN when the event has no usable eventTime). */
  time: number;
  rule: RuleInfo;
  principal: string | null;
  sourceIP: string | null;
  eventName: string | null;
  region: string | null;
  account: string | null;
  eventID: string | null;
  /** `file#index`: where the whole event is (as @ptr). */
  ptr: string;
  /** Correlations: what made them fire. */
  detail?: string;
}

export interface DetectOptions {
  range?: TimeRange;
  accounts?: string[];
  regions?: string[];
  keepDuplicates?: boolean;
  /** Findings below this level are not kept (rules still run: correlations see every match). */
  minLevel?: Level;
  warn(message: string): void;
  signal?: AbortSignal;
  /** The s3:// inputs, listed (src/sources/s3/). */
  remote?: RemoteFiles;
  onProgress?: (read: ReadStats) => void;
  /** Each finding as it is made (the timeline's sort then orders them); without it they are kept, in time order, in `findings`. */
  onFinding?: (f: Finding) => void;
}

export interface DetectResult {
  /** The findings in time order (empty when they went to DetectOptions.onFinding). */
  findings: Finding[];
  /** Their figures, for the summary. */
  tally: Tally;
  /** Events seen (admitted by the selection). */
  events: number;
  /** Events with at least one finding. */
  eventsWithFinding: number;
  read: ReadStats;
  /** Duplicates skipped. */
  duplicates: number;
  interrupted: boolean;
  elapsedMs: number;
  /** Sigma rules that saw an event (dispatch worked) — for the performance notes. */
  dispatch: { indexed: number; always: number };
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" ? String(v) : null);

function principalOf(ev: Event): string | null {
  const u = ev["userIdentity"];
  if (u === null || typeof u !== "object" || Array.isArray(u)) return null;
  const o = u as Record<string, unknown>;
  return str(o["arn"]) ?? str(o["invokedBy"]) ?? str(o["principalId"]) ?? str(o["type"]);
}

export function findingOf(ev: Event, file: SourceFile, index: number, time: number, rule: RuleInfo, detail?: string): Finding {
  const f: Finding = {
    time,
    rule,
    principal: principalOf(ev),
    sourceIP: str(ev["sourceIPAddress"]),
    eventName: str(ev["eventName"]),
    region: str(ev["awsRegion"]),
    account: str(ev["recipientAccountId"]),
    eventID: str(ev["eventID"]),
    ptr: `${file.display}#${index}`,
  };
  if (detail !== undefined) f.detail = detail;
  return f;
}

/** The timeline's order: oldest first (no time last), ties by rule title, then place. */
export function timelineOrder(a: Finding, b: Finding): number {
  const ta = Number.isNaN(a.time) ? Infinity : a.time;
  const tb = Number.isNaN(b.time) ? Infinity : b.time;
  return ta < tb ? -1 : ta > tb ? 1 : a.rule.title < b.rule.title ? -1 : a.rule.title > b.rule.title ? 1 : a.ptr < b.ptr ? -1 : a.ptr > b.ptr ? 1 : 0;
}

/** Which correlations a rule feeds, and as which of their rules. */
interface Feed {
  corr: number;
  index: number;
}

export class Detector {
  private readonly byName = new Map<string, CompiledSigma[]>();
  private readonly always: CompiledSigma[] = [];
  private readonly feeds = new Map<CompiledSigma, Feed[]>();
  private matches: Match<Finding>[][];
  /** Rules whose own findings are not shown (only correlations with generate: false use them). */
  private readonly hidden = new Set<CompiledSigma>();

  constructor(
    readonly sigma: readonly CompiledSigma[],
    readonly correlations: readonly CompiledCorrelation[],
    readonly templates: readonly TemplateRule[],
  ) {
    for (const r of sigma) {
      if (r.eventNames) {
        for (const n of r.eventNames) {
          let l = this.byName.get(n);
          if (!l) this.byName.set(n, (l = []));
          l.push(r);
        }
      } else this.always.push(r);
    }
    this.matches = correlations.map(() => []);
    const shown = new Set<CompiledSigma>();
    correlations.forEach((c, ci) => {
      c.rules.forEach((r, index) => {
        let f = this.feeds.get(r);
        if (!f) this.feeds.set(r, (f = []));
        if (!f.some((x) => x.corr === ci)) f.push({ corr: ci, index });
        if (c.generate) shown.add(r);
        else this.hidden.add(r);
      });
    });
    for (const r of shown) this.hidden.delete(r);
  }

  /** Whether a rule's own findings are shown. */
  shows(r: CompiledSigma): boolean {
    return !this.hidden.has(r);
  }

  async run(inputs: string[], opts: DetectOptions): Promise<DetectResult> {
    const started = performance.now();
    // a detector runs again from nothing (the prompt runs it over the same inputs)
    this.matches = this.correlations.map(() => []);
    const select = {
      ...(opts.range?.start !== undefined ? { start: opts.range.start } : {}),
      ...(opts.range?.end !== undefined ? { end: opts.range.end } : {}),
      ...(opts.accounts ? { accounts: opts.accounts } : {}),
      ...(opts.regions ? { regions: opts.regions } : {}),
    };
    const reader = new Reader(inputs, { warn: opts.warn, select, raw: false, ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.remote ? { remote: opts.remote } : {}) });
    const findings: Finding[] = [];
    const tally = new Tally();
    const emit = (f: Finding): void => {
      tally.add(f.rule, f.time);
      if (opts.onFinding) opts.onFinding(f);
      else findings.push(f);
    };
    /** Events a correlation may find: whether something else found them (for "events with a finding"). */
    let current: { found: boolean } | undefined;
    const min = opts.minLevel ? levelRank(opts.minLevel) : 0;
    const keep = (r: RuleInfo): boolean => levelRank(r.level) >= min;
    let events = 0;
    let withFinding = 0;
    const dedup = opts.keepDuplicates ? undefined : new Deduper();
    const admit = admitter(select, opts.warn, reader.stats);

    // the templates' chains, built once; the row they found is noted here
    let found = false;
    const chains: { rule: TemplateRule; head: Operator; hit: Row | null }[] = [];
    for (const rule of this.templates) {
      const entry = { rule, head: null as unknown as Operator, hit: null as Row | null };
      entry.head = rule.chain((row) => {
        entry.hit ??= row;
      });
      chains.push(entry);
    }
    const always = this.always;
    const byName = this.byName;

    const onEvent = (row: Row): void => {
      const ev = row.ev!;
      if (dedup && !dedup.first(ev)) return;
      events++;
      found = false;
      current = undefined;
      const file = row.file!;
      const view = new EventView(ev);
      const name = ev["eventName"];
      const named = typeof name === "string" ? byName.get(name.toLowerCase()) : undefined;
      const hit = (r: CompiledSigma): void => {
        if (!r.test(view)) return;
        const feeds = this.feeds.get(r);
        const show = !this.hidden.has(r);
        if (!show && !feeds) return;
        const f = findingOf(ev, file, row.index, row.timestamp, r);
        if (show && keep(r)) {
          emit(f);
          found = true;
        }
        if (feeds) {
          current ??= { found: false };
          for (const { corr, index } of feeds) {
            const key = matchKey(this.correlations[corr]!, index, view);
            this.matches[corr]!.push({ t: row.timestamp, rule: index, group: key.group, value: key.value, event: f, seen: current });
          }
        }
      };
      if (named) for (const r of named) hit(r);
      for (const r of always) hit(r);
      let cur = row;
      for (const c of chains) {
        c.hit = null;
        c.head.push(cur);
        if (c.hit && keep(c.rule)) {
          emit(findingOf(ev, file, row.index, row.timestamp, c.rule));
          found = true;
        }
        // a command that made columns (fields x as y) leaves them on the row: the next template gets a fresh one
        if (cur.x !== null) {
          cur = new Row(ev, file, row.index, row.timestamp);
          cur.pos = row.pos;
        }
      }
      if (found) withFinding++;
      // (set by hit(), which TypeScript does not follow)
      const seen = current as { found: boolean } | undefined;
      if (seen) seen.found = found;
    };

    let interrupted = false;
    let ordinal = 0;
    let lastFile: SourceFile | undefined;
    for await (const batch of reader.batches()) {
      if (batch.file !== lastFile) {
        if (lastFile) ordinal++;
        lastFile = batch.file;
      }
      admit(batch, ordinal, onEvent);
      opts.onProgress?.(reader.stats);
      if (opts.signal?.aborted) {
        interrupted = true;
        break;
      }
    }
    for (const [ci, corr] of this.correlations.entries()) {
      if (!keep(corr)) continue;
      for (const fired of judge(corr, this.matches[ci]!)) {
        emit({ ...fired.match.event, rule: corr, detail: fired.detail });
        // an event only a correlation found counts among the events with a finding
        if (!fired.match.seen.found) {
          fired.match.seen.found = true;
          withFinding++;
        }
      }
    }
    this.matches = this.correlations.map(() => []);
    // the timeline: oldest first, ties by rule then place
    findings.sort(timelineOrder);
    return {
      findings,
      tally,
      events,
      eventsWithFinding: withFinding,
      read: reader.stats,
      duplicates: dedup?.skipped ?? 0,
      interrupted,
      elapsedMs: performance.now() - started,
      dispatch: { indexed: this.sigma.length - always.length, always: always.length },
    };
  }

}
