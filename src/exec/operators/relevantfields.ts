// relevantfields [f, ...] where COND: which fields tell the rows that match COND apart from the rest.
//
// For each field (the ones listed, else every leaf path of the events up to 200, in order of first
// sight), the values of the matching rows are compared with the values of the other rows (the
// baseline). Text fields: the score is the total variation distance between the two distributions
// of values (0 = same, 1 = disjoint); the contributors are the values most over-represented in the
// matching rows. Numeric fields: the score is |median₁ − median₀| / (|median₁| + |median₀|).
// Text fields whose values are mostly distinct (more than 20 values, for over half the rows) are
// identifiers and are left out. A field that has values on one side only (errorCode, present in
// the matching rows alone) is scored by its presence: the share of each side's rows that have it.
// Every value counts (medians of all the numbers, every distinct text): what is held is counted
// against the memory budget; a text field past IDENTIFIER_AT distinct values for over half its rows
// is taken for an identifier then, and its values let go.
import { Row } from "../row.js";
import { compareText, isNull, isStructure, toText, type Value } from "../values.js";
import type { Operator } from "./operator.js";
import { ownValue } from "../own.js";
import type { Holding } from "../memory.js";

const MAX_FIELDS = 200;
const IDENTIFIER_AT = 50_000;
/** At the end, a text field is taken for an identifier when more than this share of its rows have distinct values, and more than IDENTIFIER_FLOOR of them. */
const IDENTIFIER_SHARE = 0.5;
const IDENTIFIER_FLOOR = 20;

interface FieldStats {
  name: string;
  read: (row: Row) => Value;
  counts: Map<string, [number, number]>;
  numbers: [number[], number[]];
  seen: [number, number];
  numeric: boolean;
  /** Mostly distinct past IDENTIFIER_AT values: an identifier, its values no longer kept. */
  identifier: boolean;
  /** Named in the command: its values are all kept (judged at the end only, whatever the order of the rows). */
  listed: boolean;
}

function leafPaths(v: unknown, prefix: string, out: string[], depth: number): void {
  if (out.length >= MAX_FIELDS) return;
  if (v === null || typeof v !== "object") {
    if (prefix) out.push(prefix);
    return;
  }
  if (depth > 6) return;
  for (const [k, x] of Object.entries(v)) leafPaths(x, prefix ? `${prefix}.${k}` : k, out, depth + 1);
}

function pathReader(path: string[]): (row: Row) => Value {
  return (row) => {
    let cur: unknown = row.ev;
    for (const s of path) {
      if (cur === null || typeof cur !== "object") return undefined;
      cur = ownValue(cur, s);
    }
    return cur as Value;
  };
}

function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1]! + s[m]!) / 2;
}

export class RelevantFieldsOp implements Operator {
  private readonly fields = new Map<string, FieldStats>();
  private readonly discover: boolean;

  /** Rows on each side (0: the baseline, 1: matching). */
  private readonly rows: [number, number] = [0, 0];

  constructor(
    listed: { name: string; read: (row: Row) => Value }[],
    private readonly cond: (row: Row) => boolean,
    private readonly next: Operator,
    private readonly hold?: Holding,
    /** The run's warnings: the fields let go as identifiers before the end. */
    private readonly warnings: string[] = [],
  ) {
    this.discover = listed.length === 0;
    for (const f of listed) this.add(f.name, f.read, true);
  }

  private add(name: string, read: (row: Row) => Value, listed = false): void {
    this.fields.set(name, { name, read, counts: new Map(), numbers: [[], []], seen: [0, 0], numeric: true, identifier: false, listed });
  }

  push(row: Row): void {
    if (this.discover && row.ev && this.fields.size < MAX_FIELDS) {
      const paths: string[] = [];
      leafPaths(row.ev, "", paths, 0);
      for (const p of paths) if (!this.fields.has(p) && this.fields.size < MAX_FIELDS) this.add(p, pathReader(p.split(".")));
    }
    const side = this.cond(row) ? 1 : 0;
    this.rows[side]++;
    for (const f of this.fields.values()) {
      const v = f.read(row);
      if (isNull(v) || isStructure(v)) continue;
      f.seen[side]++;
      if (typeof v === "number") {
        if (f.numeric) {
          f.numbers[side].push(v);
          this.hold?.addBytes(8);
        }
      } else if (f.numeric) {
        // text from now on: its numbers are not needed
        f.numeric = false;
        this.hold?.addBytes(-8 * (f.numbers[0].length + f.numbers[1].length));
        f.numbers = [[], []];
      }
      if (f.identifier) continue;
      const t = toText(v)!;
      const c = f.counts.get(t);
      if (c) c[side]++;
      else {
        f.counts.set(t, side ? [0, 1] : [1, 0]);
        this.hold?.addBytes(2 * t.length + 64);
        // a field found in the events, mostly distinct past IDENTIFIER_AT: an identifier if text,
        // and a number's distinct values are not needed for its medians (were it to turn text, it
        // would be one); a field named in the command is kept whole (the rows after may repeat its
        // values: judged so early, the answer would depend on the rows' order)
        if (!f.listed && f.counts.size > IDENTIFIER_AT && f.counts.size > IDENTIFIER_SHARE * (f.seen[0] + f.seen[1])) this.letGo(f);
      }
    }
  }

  /** A field taken for an identifier: its values are not kept. */
  private letGo(f: FieldStats): void {
    let bytes = 0;
    for (const t of f.counts.keys()) bytes += 2 * t.length + 64;
    this.hold?.addBytes(-bytes);
    f.counts = new Map();
    f.identifier = true;
  }

  end(): void {
    const rows: { r: Row; score: number; name: string }[] = [];
    const letGo = [...this.fields.values()].filter((f) => f.identifier && !f.numeric).map((f) => f.name);
    if (letGo.length > 0) {
      this.warnings.push(
        `relevantfields: ${letGo.length === 1 ? "a field" : `${letGo.length} fields`} taken for ${letGo.length === 1 ? "an identifier" : "identifiers"} once past ${IDENTIFIER_AT.toLocaleString("en-US")} distinct values for over half the rows read then, and left out: ${letGo.slice(0, 5).join(", ")}${letGo.length > 5 ? ", ..." : ""} (name a field in the command to have it judged on every row)`,
      );
    }
    const listedLeft: string[] = [];
    for (const f of this.fields.values()) {
      const [base, cond] = f.seen;
      if (cond === 0 && base === 0) continue;
      // identifiers (request ids, instance ids...) tell nothing (each value is on one side: a score of
      // 1): skip fields whose values are mostly distinct; one the command named, with a warning
      if ((f.identifier && !f.numeric) || (!f.numeric && f.counts.size > IDENTIFIER_SHARE * (base + cond) && f.counts.size > IDENTIFIER_FLOOR)) {
        if (f.listed) listedLeft.push(f.name);
        continue;
      }
      const r = new Row(null, null, 0);
      r.set("@fieldName", f.name);
      let score: number;
      if (cond === 0 || base === 0) {
        // values on one side only: the field's presence is what tells the rows apart
        const pc = cond / Math.max(1, this.rows[1]);
        const pb = base / Math.max(1, this.rows[0]);
        score = Math.abs(pc - pb);
        r.set("@topRelevanceContributors", `(present) (${shareText(pc)} vs ${shareText(pb)})`);
      } else if (f.numeric) {
        const mc = median(f.numbers[1])!;
        const mb = median(f.numbers[0])!;
        score = mc === mb ? 0 : Math.abs(mc - mb) / (Math.abs(mc) + Math.abs(mb));
        r.set("@conditionalMedian", mc);
        r.set("@baselineMedian", mb);
      } else {
        let tv = 0;
        const over: [string, number, number][] = [];
        for (const [v, [b, c]] of f.counts) {
          const pc = c / cond;
          const pb = b / base;
          tv += Math.abs(pc - pb);
          if (pc > pb) over.push([v, pc, pb]);
        }
        score = tv / 2;
        over.sort((a, b) => b[1] - b[2] - (a[1] - a[2]));
        r.set("@topRelevanceContributors", over.slice(0, 3).map(([v, pc, pb]) => `${v} (${shareText(pc)} vs ${shareText(pb)})`).join(", "));
      }
      r.set("@relevanceScore", Math.round(score * 1000) / 1000);
      rows.push({ r, score, name: f.name });
    }
    if (listedLeft.length > 0) {
      this.warnings.push(
        `relevantfields: ${listedLeft.join(", ")} left out, though named: taken for ${listedLeft.length === 1 ? "an identifier" : "identifiers"}, mostly distinct values (more than ${IDENTIFIER_FLOOR}, for over half the rows), each of which tells a row apart: a score of 1 that says nothing (stats count(*) by the field shows its values)`,
      );
    }
    rows.sort((a, b) => b.score - a.score || compareText(a.name, b.name));
    this.hold?.clear();
    for (const x of rows) this.next.push(x.r);
    this.next.end();
  }
}

/**
 * A share of rows as a percentage: whole from 1 % up, else two significant digits (a value of one
 * row in 100,000 is 0.001 %, not 0 %); a share short of all is never 100 % (999 of 1,000: 99.9 %).
 */
function shareText(p: number): string {
  if (p < 1 && Math.round(p * 100) === 100) return `${Math.floor(p * 1000) / 10}%`;
  return p === 0 || p >= 0.01 ? `${Math.round(p * 100)}%` : `${Number((p * 100).toPrecision(2))}%`;
}
