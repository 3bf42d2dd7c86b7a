// pattern and diff: cluster the values of a field into patterns, and compare pattern counts between
// the query's time range and the previous range of equal length.
//
// The algorithm (documented in docs/language.md): each value is split into tokens (runs of ASCII
// letters, digits and `_.:/@+=-`, runs of white space, and single other characters); tokens that
// look variable are masked by type (IP, UUID, Time, Number, and ID for long letter-digit mixes such
// as access keys); values with the same masked form count together. Then, a simplified Drain,
// most frequent forms first and forms as frequent in the order of their text (the same answer
// whatever order the values came in): forms with the same number of tokens whose separators agree
// and that agree on at least half their word tokens merge, the positions where they differ
// becoming a variable token. Variable tokens print numbered by position: `<Number-1>`.
import { Row } from "../row.js";
import { compareText, toText, type Value } from "../values.js";
import { valueBytes, type Holding } from "../memory.js";
import type { Operator } from "./operator.js";

// The text is read a code unit at a time (a regex's matchAll made an object a token: half of
// pattern's time over @message went to making and collecting them); white space is what a regex's
// \s matches, and any code unit that is neither white space nor a token character is a token of its own.
/** ASCII code units' classes: bits of TOKEN_CHAR, SPACE. */
const TOKEN_CHAR = 1;
const SPACE = 2;
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9_.:/@+=-]/.test(ch)) ASCII_CLASS[c]! |= TOKEN_CHAR;
  if (/\s/.test(ch)) ASCII_CLASS[c]! |= SPACE;
}

/** Whether a code unit is white space as a regex's \s says. */
function isSpace(c: number): boolean {
  if (c < 128) return (ASCII_CLASS[c]! & SPACE) !== 0;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * A token character's kind for the masks (bits): what characters a token holds says which masks'
 * regexes it could match, and only those are tried (a token of an ARN or a user agent tried all
 * five, and was cut out of the text for them).
 */
const M_DIGIT = 1;
const M_LETTER = 2;
const M_DOT = 4;
const M_COLON = 8;
const M_DASH = 16;
const M_PLUS = 32;
const M_UNDERSCORE = 64;
const M_OTHER = 128; // / @ =
const MASK_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  MASK_CLASS[c] = /\d/.test(ch) ? M_DIGIT : /[A-Za-z]/.test(ch) ? M_LETTER : ch === "." ? M_DOT : ch === ":" ? M_COLON : ch === "-" ? M_DASH : ch === "+" ? M_PLUS : ch === "_" ? M_UNDERSCORE : M_OTHER;
}

/**
 * The masks in the order they are tried, each with the characters its regex allows (a token holding
 * another is not tested), and the length and characters it needs.
 */
const MASKS: { name: string; re: RegExp; allowed: number; needs: number; minLength: number; length?: number }[] = [
  { name: "IP", re: /^\d{1,3}(?:\.\d{1,3}){3}$/, allowed: M_DIGIT | M_DOT, needs: M_DIGIT, minLength: 7 },
  { name: "UUID", re: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, allowed: M_DIGIT | M_LETTER | M_DASH, needs: 0, minLength: 36, length: 36 },
  { name: "Time", re: /^\d{4}-\d{2}-\d{2}[T ]?[\d:.]*Z?$/, allowed: M_DIGIT | M_DASH | M_LETTER | M_COLON | M_DOT, needs: M_DIGIT, minLength: 10 },
  { name: "Number", re: /^[-+]?\d+(?:\.\d+)?$/, allowed: M_DIGIT | M_DOT | M_DASH | M_PLUS, needs: M_DIGIT, minLength: 1 },
  { name: "ID", re: /^(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{12,}$/, allowed: M_DIGIT | M_LETTER | M_DASH | M_UNDERSCORE, needs: M_DIGIT | M_LETTER, minLength: 12 },
];

/** Whether a token of `length` characters of these kinds (MASK_CLASS bits) may take a mask. */
function mayMask(kinds: number, length: number): boolean {
  for (const m of MASKS) if (fitsMask(m, kinds, length)) return true;
  return false;
}

function fitsMask(m: (typeof MASKS)[number], kinds: number, length: number): boolean {
  return (kinds & ~m.allowed) === 0 && (kinds & m.needs) === m.needs && length >= m.minLength && (m.length === undefined || length === m.length);
}

const VARIABLE = "\u0000";
const VARIABLE_CODE = VARIABLE.charCodeAt(0);
const MAX_CLUSTERS_PER_LENGTH = 200;

interface Cluster {
  /** Word and separator tokens; variable ones are VARIABLE + their type ("Token" when merged). */
  tokens: string[];
  /** Each token's kind (kindOf). */
  kinds: Uint8Array;
  count: number;
  sample: string;
  /** diff: the sample is from the range asked about (a form's that is replaces one that is not). */
  current: boolean;
}

/** The mask a token (a run of token characters, of these MASK_CLASS kinds) takes, if any: the first of MASKS whose regex it matches. */
function maskOf(t: string, kinds: number): string | undefined {
  for (const m of MASKS) if (fitsMask(m, kinds, t.length) && m.re.test(t)) return m.name;
  return undefined;
}

/**
 * What tokenEnd found last: a run of token characters (its characters' MASK_CLASS bits: never 0),
 * a run of white space (SPACE_RUN) or one other code unit (ONE_UNIT).
 */
let tokenKinds = 0;
const SPACE_RUN = -1;
const ONE_UNIT = -2;

/** Where the token that starts at i ends; what it is, in tokenKinds. */
function tokenEnd(s: string, i: number): number {
  const n = s.length;
  const c = s.charCodeAt(i);
  let j = i + 1;
  if (c < 128 && ASCII_CLASS[c]! & TOKEN_CHAR) {
    let kinds = MASK_CLASS[c]!;
    for (; j < n; j++) {
      const d = s.charCodeAt(j);
      if (d >= 128 || !(ASCII_CLASS[d]! & TOKEN_CHAR)) break;
      kinds |= MASK_CLASS[d]!;
    }
    tokenKinds = kinds;
  } else if (isSpace(c)) {
    while (j < n && isSpace(s.charCodeAt(j))) j++;
    tokenKinds = SPACE_RUN;
  } else tokenKinds = ONE_UNIT;
  return j;
}

export function tokenize(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    const j = tokenEnd(s, i);
    if (tokenKinds > 0) {
      const t = s.slice(i, j);
      const mask = maskOf(t, tokenKinds);
      out.push(mask ? VARIABLE + mask : t);
    } else out.push(tokenKinds === ONE_UNIT ? s[i]! : s.slice(i, j));
    i = j;
  }
  return out;
}

/** Where formKey writes a key (grown as a text needs: a masked token may be longer than its text). */
let keyBytes = Buffer.allocUnsafe(1 << 16);

/**
 * A text's form key, keyOf(tokenize(s)), written a byte at a time into one buffer when the text is
 * latin1 (a CloudTrail event's text is, about always), and made one string: no token's string, no
 * array of them (a million events' @message took 10 s of tokens, their join and their collection).
 * Other texts go through tokenize.
 */
export function formKey(s: string): string {
  const n = s.length;
  // a token may become its mask ("5": VARIABLE + "Number") and each is followed by TOKEN_END
  if (keyBytes.length < 8 * n + 16) keyBytes = Buffer.allocUnsafe(8 * n + 16);
  const b = keyBytes;
  let at = 0;
  for (let i = 0; i < n; ) {
    const j = tokenEnd(s, i);
    if (i > 0) b[at++] = TOKEN_END_CODE;
    const kinds = tokenKinds;
    const mask = kinds > 0 && mayMask(kinds, j - i) ? maskOf(s.slice(i, j), kinds) : undefined;
    if (mask) {
      b[at++] = VARIABLE_CODE;
      for (let k = 0; k < mask.length; k++) b[at++] = mask.charCodeAt(k);
    } else {
      for (let k = i; k < j; k++) {
        const c = s.charCodeAt(k);
        if (c > 255) return keyOf(tokenize(s));
        b[at++] = c;
      }
    }
    i = j;
  }
  return b.toString("latin1", 0, at);
}

/** A token holding a letter or digit (of ASCII): none of white space does. */
function isWord(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 128 && MASK_CLASS[c]! & (M_DIGIT | M_LETTER)) return true;
  }
  return false;
}

/** Tokens to print: variable tokens numbered by position. */
function render(tokens: string[]): string {
  let n = 0;
  return tokens.map((t) => (isVariable(t) ? `<${t.slice(1)}-${++n}>` : t)).join("");
}

function severity(sample: string): string {
  if (/error|exception|fail|denied|unauthori[sz]ed|not authori[sz]ed|fatal|forbidden/i.test(sample)) return "Error";
  if (/warn|exceeded|throttl/i.test(sample)) return "Warning";
  if (/debug|trace/i.test(sample)) return "Debug";
  return "Info";
}

/** What a token is to the merge: a separator (must agree), a word (counts when equal), or variable. */
const SEPARATOR = 0;
const WORD = 1;
const VARIABLE_TOKEN = 2;

/** A masked or merged token: VARIABLE and its type. A NUL of the text is a token of one character, a separator. */
function isVariable(t: string): boolean {
  return t.length > 1 && t.charCodeAt(0) === VARIABLE_CODE;
}

function kindOf(t: string): number {
  if (isVariable(t)) return VARIABLE_TOKEN;
  return isWord(t) ? WORD : SEPARATOR;
}

/**
 * The clusters of one token count, in the order they were made, and the same by their separators:
 * a form merges only where every separator agrees (place), so only the clusters with its
 * separators at its places are compared with it (a form of @message had been compared with up to
 * 200 clusters of other shapes, token by token).
 */
interface LengthGroup {
  clusters: Cluster[];
  bySeparators: Map<number, Cluster[]>;
}

/**
 * A hash of a form's separators in their places (the other tokens all alike): the same for a
 * cluster and every form that can merge into it (two shapes that share one are only both compared).
 */
function separatorsOf(tokens: readonly string[], kinds: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < tokens.length; k++) {
    if (kinds[k] !== SEPARATOR) {
      h = Math.imul(h ^ 0x2f, 0x01000193);
      continue;
    }
    const t = tokens[k]!;
    for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x1f, 0x01000193);
  }
  return h;
}

/**
 * Merge a masked form into the clusters of its length: the first with at least half its words
 * equal. Each token's kind is worked out once (a form's, a cluster's as it changes), and a cluster
 * is left as soon as the words still to compare cannot make half. Returns the cluster the form
 * counts in: a merged one, or a new one, in the group while it has room, else among `loose` (which
 * nothing merges into).
 */
function place(group: LengthGroup, loose: Cluster[], tokens: string[], count: number, sample: string, current: boolean): Cluster {
  const kinds = new Uint8Array(tokens.length);
  let words = 0;
  for (let k = 0; k < tokens.length; k++) if ((kinds[k] = kindOf(tokens[k]!)) === WORD) words++;
  const separators = separatorsOf(tokens, kinds);
  const clusters = group.bySeparators.get(separators) ?? [];
  for (let i = 0; words > 0 && i < clusters.length; i++) {
    const c = clusters[i]!;
    let same = 0;
    let missed = 0;
    let fits = true;
    for (let k = 0; k < tokens.length; k++) {
      if (tokens[k] === c.tokens[k]) {
        if (kinds[k] === WORD) same++;
        continue;
      }
      // separators must agree; a word that differs counts against the half
      if (kinds[k] === SEPARATOR || c.kinds[k] === SEPARATOR || (kinds[k] === WORD && 2 * (words - ++missed) < words)) {
        fits = false;
        break;
      }
    }
    if (fits && same * 2 >= words && same > 0) {
      for (let k = 0; k < tokens.length; k++) {
        if (tokens[k] === c.tokens[k]) continue;
        c.tokens[k] = VARIABLE + "Token";
        c.kinds[k] = VARIABLE_TOKEN;
      }
      c.count += count;
      if (current && !c.current) {
        c.sample = sample;
        c.current = true;
      }
      return c;
    }
  }
  const c = { tokens, kinds, count, sample, current };
  if (group.clusters.length < MAX_CLUSTERS_PER_LENGTH) {
    group.clusters.push(c);
    if (clusters.length === 0) group.bySeparators.set(separators, clusters);
    clusters.push(c);
  } else loose.push(c);
  return c;
}

/** diff's current range [start, end], and how far before it the previous range is. */
interface DiffRanges {
  start: number;
  end: number;
  shift: number;
}

/** The ranges of diff a time is in (rangesHolding): bits, both where the two overlap. */
const CURRENT = 1;
const PREVIOUS = 2;

/** Which of diff's ranges hold the time: CURRENT, PREVIOUS, both, or 0 for neither. */
function rangesHolding(t: number, r: DiffRanges): number {
  return (t >= r.start && t <= r.end ? CURRENT : 0) | (t >= r.start - r.shift && t <= r.end - r.shift ? PREVIOUS : 0);
}

export interface DiffSpec {
  /** The current range; undefined = decided from the data (its span's second half). */
  start?: number;
  end?: number;
  /** How far back the baseline is: a fixed shift in ms, or the range's own length when undefined. */
  shiftMs?: number;
}

/** A form's own bytes besides its key and sample. */
const FORM_BYTES = 120;
/** Between a form's tokens in its key. */
const TOKEN_END = "\u0001";
const TOKEN_END_CODE = TOKEN_END.charCodeAt(0);

/** A form's key: its tokens joined (tokensOf splits it again). */
export function keyOf(tokens: string[]): string {
  return tokens.join(TOKEN_END);
}

/** The tokens of a form's key. A token that is TOKEN_END itself (the text held one) left two empty parts. */
export function tokensOf(key: string): string[] {
  // an empty text has no token (split would give one empty part, taken for TOKEN_END itself)
  if (key === "") return [];
  const parts = key.split(TOKEN_END);
  if (!parts.includes("")) return parts;
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === "") {
      out.push(TOKEN_END);
      i++;
    } else out.push(parts[i]!);
  }
  return out;
}
/**
 * What a form holds, about: its key (the tokens joined: the tokens themselves are split from it
 * again at the end, not held, as a million forms of hundreds of tokens each would be too many
 * strings for the garbage collector) and its sample.
 */
const formBytes = (f: { key: string; sample: string }): number => FORM_BYTES + valueBytes(f.key) + valueBytes(f.sample);

/** A distinct masked form: its key, how many values had it, one of them (the sample), its place in the order met. */
interface Form {
  key: string;
  count: number;
  sample: string;
  id: number;
  /** The sample is of diff's range (when the range was known as the rows came). */
  sampleCurrent: boolean;
  /** diff with its range decided at the end: the text of the form's latest event, and its time. */
  latest: string | undefined;
  latestTime: number;
}

/**
 * pattern: counts every value's masked form as rows arrive (memory: one entry per distinct form, plus
 * one number per row when diff or anomaly needs the times, and a second text a form when diff's
 * range comes from the data), and clusters the forms at the end. It does not spill: past the
 * memory budget the query stops (MemoryError).
 */
export class PatternOp implements Operator {
  private readonly forms = new Map<string, Form>();
  private formIds: number[] = [];
  private times: number[] = [];
  private total = 0;
  /**
   * diff over a known range: [start, end] and the range before it. The scan read from the start of
   * the earlier one; an event in neither (between them, with previousDay) neither counts nor shapes
   * a pattern.
   */
  private readonly ranges: DiffRanges | undefined;

  constructor(
    private readonly source: (row: Row) => Value,
    private readonly diff: DiffSpec | undefined,
    private readonly next: Operator,
    /** anomaly: flag clusters whose count in a time bucket is unusual, or that are new. */
    private readonly anomaly = false,
    private readonly hold?: Holding,
    /** The run's warnings: merging stopped at the cap (MAX_CLUSTERS_PER_LENGTH), a span too short for anomaly. */
    private readonly warnings: string[] = [],
  ) {
    const d = diff;
    if (d?.start !== undefined && d.end !== undefined) this.ranges = { start: d.start, end: d.end, shift: d.shiftMs ?? d.end - d.start + 1 };
  }

  push(row: Row): void {
    let current = true;
    const r = this.ranges;
    if (r) {
      const within = rangesHolding(row.timestamp, r);
      if (within === 0) return;
      current = (within & CURRENT) !== 0;
    }
    const text = toText(this.source(row));
    if (text === undefined) return;
    const key = formKey(text);
    let f = this.forms.get(key);
    if (!f) {
      f = { key, count: 0, sample: text, id: this.forms.size, sampleCurrent: current, latest: undefined, latestTime: -Infinity };
      this.forms.set(key, f);
      this.hold?.add(f, formBytes);
      // diff's range from the data: the form's latest text besides, about as long
      if (this.diff && !r) this.hold?.addBytes(valueBytes(text));
    } else if (current ? !f.sampleCurrent || text < f.sample : !f.sampleCurrent && text < f.sample) {
      // the sample shown is one of the range asked about, when the pattern has one there; of
      // those (or of the range before, when it has none there), the least text (not the first
      // read: the same events in another order, the same answer)
      f.sample = text;
      f.sampleCurrent = current;
    }
    // diff with its range decided from the data (at the end): the form's latest text too, whose
    // time then says whether it is of the range asked about
    if (this.diff && !r && (row.timestamp > f.latestTime || (row.timestamp === f.latestTime && text < f.latest!))) {
      f.latest = text;
      f.latestTime = row.timestamp;
    }
    f.count++;
    this.total++;
    if (this.diff || this.anomaly) {
      this.formIds.push(f.id);
      this.times.push(row.timestamp);
      this.hold?.addBytes(16);
    }
  }

  end(): void {
    const forms = [...this.forms.values()];
    // diff: its ranges (from the data when not given); only the forms with events in them are
    // clustered, by their events there, and a form's sample is one of the range asked about when
    // it has one there
    const ranges = this.diff ? this.diffRanges() : undefined;
    const weight = new Float64Array(forms.length);
    const current = new Uint8Array(forms.length);
    // diff: each form's events in the current range and in the previous one (a range longer than
    // the shift overlaps the one before it: an event in both counts in both)
    const inCurrent = new Float64Array(ranges ? forms.length : 0);
    const inPrevious = new Float64Array(ranges ? forms.length : 0);
    if (ranges) {
      const { start, end } = ranges;
      for (let i = 0; i < this.times.length; i++) {
        const within = rangesHolding(this.times[i]!, ranges);
        if (within === 0) continue;
        const id = this.formIds[i]!;
        weight[id]!++;
        if (within & CURRENT) inCurrent[id]!++;
        if (within & PREVIOUS) inPrevious[id]!++;
      }
      for (const f of forms) {
        if (this.ranges) current[f.id] = f.sampleCurrent ? 1 : 0;
        else if (f.latest !== undefined && weight[f.id]! > 0) {
          // the latest event of a form with events in the ranges is in one of them
          f.sample = f.latest;
          current[f.id] = f.latestTime >= start && f.latestTime <= end ? 1 : 0;
        }
      }
    } else for (const f of forms) weight[f.id] = f.count;
    // Cluster forms, most frequent first, within groups of equal token count; forms as frequent as
    // each other in the order of their keys (not as they were read: the same events in another
    // order give the same patterns)
    const order = forms.filter((f) => weight[f.id]! > 0).sort((a, b) => weight[b.id]! - weight[a.id]! || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const byLength = new Map<number, LengthGroup>();
    const clusterOf = new Map<number, Cluster>();
    const loose: Cluster[] = [];
    for (const f of order) {
      const tokens = tokensOf(f.key);
      let group = byLength.get(tokens.length);
      if (!group) byLength.set(tokens.length, (group = { clusters: [], bySeparators: new Map() }));
      const c = place(group, loose, tokens, f.count, f.sample, current[f.id] === 1);
      clusterOf.set(f.id, c);
    }
    if (loose.length > 0) {
      this.warnings.push(
        `pattern: past ${MAX_CLUSTERS_PER_LENGTH} patterns of one token count, the less frequent forms are not merged: ${loose.length.toLocaleString("en-US")} patterns are shown as they are`,
      );
    }
    const clusters = [...[...byLength.values()].flatMap((g) => g.clusters), ...loose];
    if (this.anomaly) return this.anomalies(clusters, clusterOf);
    if (!ranges) {
      const rows = clusters.map((c) => ({ c, n: c.count }));
      rows.sort((a, b) => b.n - a.n || compareText(render(a.c.tokens), render(b.c.tokens)));
      for (const { c, n } of rows) this.next.push(this.row(c, n, this.total));
      return this.next.end();
    }
    // diff: each cluster's count in the current and the previous range, its forms' counts summed
    // (every form clustered has an event in one of them)
    const cur = new Map<Cluster, number>();
    const prev = new Map<Cluster, number>();
    let curTotal = 0;
    for (const f of order) {
      const c = clusterOf.get(f.id)!;
      cur.set(c, (cur.get(c) ?? 0) + inCurrent[f.id]!);
      prev.set(c, (prev.get(c) ?? 0) + inPrevious[f.id]!);
      curTotal += inCurrent[f.id]!;
    }
    const rows = clusters.map((c) => ({ c, now: cur.get(c)!, before: prev.get(c)! }));
    rows.sort((a, b) => b.now - a.now || b.before - a.before || compareText(render(a.c.tokens), render(b.c.tokens)));
    for (const r of rows) {
      const out = this.row(r.c, r.now, curTotal);
      out.set("@previousSampleCount", r.before);
      out.set("@change", r.before === 0 ? "new" : r.now === 0 ? "gone" : r.now > r.before ? "increase" : r.now < r.before ? "decrease" : "same");
      if (r.before > 0) out.set("@changePercent", Math.round(((r.now - r.before) / r.before) * 1000) / 10);
      this.next.push(out);
    }
    this.next.end();
  }

  /** diff's current range [start, end] and how far before it the previous one is: as given, or from the data. */
  private diffRanges(): DiffRanges {
    if (this.ranges) return this.ranges;
    const diff = this.diff!;
    let { start, end } = diff;
    const { lo, hi } = spanOf(this.times.filter((t) => !Number.isNaN(t)));
    end ??= hi;
    // with a shift (timeshift D, previousDay...): the last D of the data against the D before it
    // (the two side by side: a current range as long as the data would hold every event of the
    // previous one too); without one, the later half of the span's milliseconds [lo, hi], and a
    // range as long before it (for an odd count it starts a millisecond before lo): no event is left out
    start ??= diff.shiftMs !== undefined ? end - diff.shiftMs + 1 : lo + Math.floor((hi - lo + 1) / 2);
    return { start, end, shift: diff.shiftMs ?? end - start + 1 };
  }

  /**
   * anomaly: the data's span is cut into 24 buckets; a cluster's count in a bucket is unusual when it
   * is at least 3 and more than 3 standard deviations above the cluster's mean per bucket; a cluster
   * whose first event is in the last quarter of the span is new. Every cluster is kept, with
   * `@anomaly` (1/0), `@anomalyType`, `@anomalyTime` (the most unusual bucket), `@expected`
   * (mean per bucket), `@observed` and `@score` (standard deviations above the mean).
   */
  private anomalies(clusters: Cluster[], clusterOf: Map<number, Cluster>): void {
    const BUCKETS = 24;
    const valid = this.times.filter((t) => !Number.isNaN(t));
    const { lo, hi } = valid.length ? spanOf(valid) : { lo: 0, hi: 0 };
    const width = Math.max(1, (hi - lo) / BUCKETS);
    // buckets shorter than a minute are not time enough to call a count unusual (events one second
    // apart fill two of 24 buckets of 80 ms, and every cluster seemed to peak)
    const frequencies = width >= MIN_BUCKET_MS;
    if (!frequencies && valid.length > 0) {
      this.warnings.push(`anomaly: the events span ${spanText(hi - lo)}, less than ${BUCKETS} minutes: no count is called unusual (a new pattern still is)`);
    }
    const counts = new Map<Cluster, { buckets: number[]; first: number }>();
    for (let i = 0; i < this.times.length; i++) {
      const t = this.times[i]!;
      if (Number.isNaN(t)) continue;
      const c = clusterOf.get(this.formIds[i]!)!;
      let e = counts.get(c);
      if (!e) counts.set(c, (e = { buckets: new Array<number>(BUCKETS).fill(0), first: t }));
      e.buckets[Math.min(BUCKETS - 1, Math.floor((t - lo) / width))]!++;
      if (t < e.first) e.first = t;
    }
    const out = clusters.map((c) => {
      const r = this.row(c, c.count, this.total);
      const e = counts.get(c);
      let type: string | undefined;
      if (e) {
        const mean = e.buckets.reduce((a, b) => a + b, 0) / BUCKETS;
        const sd = Math.sqrt(e.buckets.reduce((a, b) => a + (b - mean) ** 2, 0) / BUCKETS);
        let at = 0;
        for (let b = 1; b < BUCKETS; b++) if (e.buckets[b]! > e.buckets[at]!) at = b;
        const observed = e.buckets[at]!;
        const score = sd > 0 ? (observed - mean) / sd : 0;
        if (frequencies && observed >= 3 && score > 3) type = "frequency";
        else if (hi > lo && e.first >= lo + 0.75 * (hi - lo)) type = "new pattern";
        r.set("@anomalyTime", lo + at * width);
        r.set("@expected", Math.round(mean * 100) / 100);
        r.set("@observed", observed);
        r.set("@score", Math.round(score * 100) / 100);
      }
      r.set("@anomaly", type ? 1 : 0);
      if (type) r.set("@anomalyType", type);
      return { r, flagged: type ? 1 : 0, n: c.count, p: render(c.tokens) };
    });
    out.sort((a, b) => b.flagged - a.flagged || b.n - a.n || compareText(a.p, b.p));
    for (const o of out) this.next.push(o.r);
    this.next.end();
  }

  private row(c: Cluster, n: number, total: number): Row {
    const r = new Row(null, null, 0);
    r.set("@pattern", render(c.tokens));
    r.set("@ratio", ratio(n, total));
    r.set("@sampleCount", n);
    r.set("@severityLabel", severity(c.sample));
    r.set("@sample", c.sample);
    return r;
  }
}

/**
 * A pattern's share of the values: four decimals, or two significant digits below 0.0001 (one value
 * in 150,000 is 0.0000067, not 0); a share short of all is never 1 (20,000 of 20,001: 0.9999).
 */
function ratio(n: number, total: number): number {
  if (total === 0) return 0;
  const r = n / total;
  if (r < 0.0001) return Number(r.toPrecision(2));
  return r < 1 ? Math.min(Math.round(r * 10000), 9999) / 10000 : 1;
}

/** anomaly's buckets are at least this long for a count in one to be called unusual. */
const MIN_BUCKET_MS = 60_000;

/** A span of time as a warning says it: `0 s`, `2 s`, `3 min`. */
function spanText(ms: number): string {
  return ms < 60_000 ? `${Math.floor(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min`;
}

/** The least and greatest of the times (a loop: spreading a million of them into Math.min overflows the stack). */
function spanOf(times: readonly number[]): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of times) {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  return { lo, hi };
}
