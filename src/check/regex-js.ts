// When a user regex may run on JavaScript's backtracking engine: only when it provably runs in time
// linear in the text there, and means exactly what RE2 makes of it. Anything else runs on re2js.
//
// The patterns taken (everything else is left to re2js, the safe way):
//
// - Syntax: characters, escapes of punctuation, \t \n \r \f \v \a \xHH \x{H..}, classes `[...]`
//   `[^...]` of those and ranges, \d \D \w \W \s \S, `.`, groups `(...)`, `(?:...)`, named groups,
//   alternation `|`, the assertions ^ $ \A \z \b, and quantifiers (`* + ? {n} {n,} {n,m}`, greedy or
//   lazy) on a single character or class only, never on a group. Leading flags i and s; not m
//   (JavaScript ends lines at \r and U+2028 too); not \B (V8 finds an empty match between the halves
//   of a surrogate pair). With i, literal characters must be ASCII and \w \W \b are not taken. The
//   JavaScript source is written from the parsed pattern with the `u` flag (code points, as RE2), \s
//   and \S spelt out as RE2 has them ([\t\n\f\r ]), `.` as [^\n].
//
// - Deterministic (one-unambiguous, as Brüggemann-Klein and Wood call it): in the pattern's position
//   automaton (Glushkov: each character or class is a position; `follow(p)` the positions that may
//   come next), the first positions, and the positions following any one position, have pairwise
//   disjoint character sets (a quantifier with a choice counts its own position among what follows
//   it), and no alternation has two alternatives that may match nothing. At every step of a match at
//   most one way on can take the next character: a backtracking engine's other choices fail at once
//   (after at most the pattern's zero-width steps), so one start costs O(text × pattern²).
//   Quantified groups are not taken, so the only loops are a position following itself.
//
// - Then, over all start positions: either the pattern is anchored (it begins with ^ or \A: one
//   start), or every position that repeats with a choice (`*`, `+`, `{n,m}` with n < m > 1) is either
//   last (nothing, not even an assertion, can follow it: once there, the match succeeds), or can't be
//   first and every position that can come right before it has a set disjoint from its own. Then a
//   run of a repeated position always covers a whole block of its characters (the character before
//   the block is not one), blocks of one position don't overlap, and the starts that reach one block
//   are at most a pattern-sized number: the search costs O(text × pattern^k) in all, not O(text²).
//
// Tests: test/check/regex.test.ts compares this path with re2js on thousands of seeded random
// patterns; a longer run of the same comparison, and of timings on 50 KB texts, found no difference.
//
// `toJsRegex` returns the JavaScript regex, or undefined when the pattern is not taken.

/** A set of code points: sorted, disjoint, non-adjacent inclusive ranges [lo0, hi0, lo1, hi1, ...]. */
type Ranges = number[];

const MAX_CP = 0x10ffff;
const ALL: Ranges = [0, MAX_CP];
const DIGIT: Ranges = [48, 57];
const WORD: Ranges = [48, 57, 65, 90, 95, 95, 97, 122];
/** RE2's \s: [\t\n\f\r ] (JavaScript's \s has every Unicode space). */
const SPACE: Ranges = [9, 10, 12, 13, 32, 32];

function union(a: Ranges, b: Ranges): Ranges {
  const pairs: [number, number][] = [];
  for (let i = 0; i < a.length; i += 2) pairs.push([a[i]!, a[i + 1]!]);
  for (let i = 0; i < b.length; i += 2) pairs.push([b[i]!, b[i + 1]!]);
  pairs.sort((x, y) => x[0] - y[0]);
  const out: Ranges = [];
  for (const [lo, hi] of pairs) {
    const n = out.length;
    if (n > 0 && lo <= out[n - 1]! + 1) out[n - 1] = Math.max(out[n - 1]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

function complement(a: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (let i = 0; i < a.length; i += 2) {
    if (a[i]! > next) out.push(next, a[i]! - 1);
    next = a[i + 1]! + 1;
  }
  if (next <= MAX_CP) out.push(next, MAX_CP);
  return out;
}

function intersects(a: Ranges, b: Ranges): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i + 1]! < b[j]!) i += 2;
    else if (b[j + 1]! < a[i]!) j += 2;
    else return true;
  }
  return false;
}

function has(a: Ranges, c: number): boolean {
  for (let i = 0; i < a.length; i += 2) if (c >= a[i]! && c <= a[i + 1]!) return true;
  return false;
}

/**
 * The set a case-insensitive match takes: ASCII letters with their other case, and the two
 * characters outside ASCII that fold to ASCII letters (K KELVIN SIGN with k, ſ LONG S with s), as
 * both engines fold them. Other characters outside ASCII are only met in sets already closed (\S, \D,
 * `.`, negations), or refused.
 */
function foldClose(a: Ranges): Ranges {
  const extra: Ranges = [];
  for (let i = 0; i < a.length; i += 2) {
    const lo = a[i]!;
    const hi = a[i + 1]!;
    const ulo = Math.max(lo, 65);
    const uhi = Math.min(hi, 90);
    if (ulo <= uhi) extra.push(ulo + 32, uhi + 32);
    const llo = Math.max(lo, 97);
    const lhi = Math.min(hi, 122);
    if (llo <= lhi) extra.push(llo - 32, lhi - 32);
  }
  let out = union(a, extra);
  for (const [lower, other] of [[0x6b, 0x212a], [0x73, 0x17f]] as const) {
    if (has(out, lower) || has(out, lower - 32) || has(out, other)) out = union(out, [lower, lower, lower - 32, lower - 32, other, other]);
  }
  return out;
}

/** Thrown while parsing: the pattern is not taken (it runs on re2js). */
class NotTaken extends Error {}
const notTaken = new NotTaken();

interface Atom {
  k: "atom";
  pos: number;
  /** The JavaScript source of the character or class, and of its quantifier. */
  js: string;
  quant: string;
}
interface Assert {
  k: "assert";
  js: string;
}
interface Group {
  k: "group";
  open: string;
  alts: Node[][];
}
type Node = Atom | Assert | Group;

interface Position {
  set: Ranges;
  min: number;
  max: number;
}

const PUNCT = /^[!-/:-@[-`{-~]$/;
const HEX = (cp: number): string => `\\u{${cp.toString(16)}}`;

class Parser {
  i = 0;
  readonly positions: Position[] = [];
  private readonly ci: boolean;
  private readonly dotAll: boolean;

  constructor(private readonly p: string, flags: string) {
    this.ci = flags.includes("i");
    this.dotAll = flags.includes("s");
  }

  alternation(): Node[][] {
    const alts = [this.sequence()];
    while (this.p[this.i] === "|") {
      this.i++;
      alts.push(this.sequence());
    }
    return alts;
  }

  private sequence(): Node[] {
    const items: Node[] = [];
    while (this.i < this.p.length && this.p[this.i] !== "|" && this.p[this.i] !== ")") items.push(this.item());
    return items;
  }

  private item(): Node {
    const { p } = this;
    const c = p[this.i]!;
    if (c === "(") {
      let open = "(";
      if (p.startsWith("(?:", this.i)) open = "(?:";
      else if (p[this.i + 1] === "?") {
        const m = /^\(\?<(g\d+)>/.exec(p.slice(this.i, this.i + 16));
        if (!m) throw notTaken;
        open = m[0];
      }
      this.i += open.length;
      const alts = this.alternation();
      if (p[this.i] !== ")") throw notTaken;
      this.i++;
      if (this.quantifier() !== undefined) throw notTaken; // a quantified group
      return { k: "group", open, alts };
    }
    if (c === "^" || c === "$") {
      this.i++;
      return { k: "assert", js: c };
    }
    let set: Ranges;
    let js: string;
    if (c === "\\") {
      const e = p[this.i + 1];
      if (e === "A" || e === "z") {
        this.i += 2;
        return { k: "assert", js: e === "A" ? "^" : "$" };
      }
      if (e === "b" || e === "B") {
        // \B: V8 finds an empty match between the halves of a surrogate pair, where RE2 sees one character
        if (this.ci || e === "B") throw notTaken;
        this.i += 2;
        return { k: "assert", js: "\\" + e };
      }
      const cls = this.classEscape();
      if (cls) [set, js] = [cls[0], `[${cls[1]}]`];
      else {
        const cp = this.escapedChar();
        [set, js] = this.literal(cp);
      }
    } else if (c === "[") [set, js] = this.charClass();
    else if (c === ".") {
      this.i++;
      [set, js] = this.dotAll ? [ALL, "[\\u{0}-\\u{10ffff}]"] : [complement([10, 10]), "[^\\n]"];
    } else if ("*+?{}])".includes(c)) throw notTaken;
    else {
      const cp = p.codePointAt(this.i)!;
      this.i += cp > 0xffff ? 2 : 1;
      [set, js] = this.literal(cp);
    }
    const q = this.quantifier();
    const [min, max, quant] = q ?? [1, 1, ""];
    const pos = this.positions.push({ set, min, max }) - 1;
    return { k: "atom", pos, js, quant };
  }

  private literal(cp: number): [Ranges, string] {
    if (this.ci && cp > 127) throw notTaken;
    const set = this.ci ? foldClose([cp, cp]) : [cp, cp];
    return [set, /^[A-Za-z0-9]$/.test(String.fromCodePoint(cp)) ? String.fromCodePoint(cp) : HEX(cp)];
  }

  /** \d \D \w \W \s \S at this.i (inside a class or not): its set and JS class members. */
  private classEscape(): [Ranges, string] | undefined {
    const e = this.p[this.i + 1];
    let r: [Ranges, string] | undefined;
    switch (e) {
      case "d":
        r = [DIGIT, "\\d"];
        break;
      case "D":
        r = [complement(DIGIT), "\\D"];
        break;
      case "w":
      case "W":
        if (this.ci) throw notTaken; // JS folds \w under /ui to ſ and K
        r = e === "w" ? [WORD, "\\w"] : [complement(WORD), "\\W"];
        break;
      case "s":
        r = [SPACE, "\\t\\n\\f\\r "];
        break;
      case "S":
        r = [complement(SPACE), rangesJs(complement(SPACE))];
        break;
    }
    if (r) this.i += 2;
    return r;
  }

  /** The character an escape at this.i stands for (not a class escape). */
  private escapedChar(): number {
    const e = this.p[this.i + 1];
    if (e === undefined) throw notTaken;
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (Object.hasOwn(simple, e)) {
      this.i += 2;
      return simple[e]!;
    }
    if (e === "x") {
      const m = /^\\x(?:\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2}))/.exec(this.p.slice(this.i, this.i + 10));
      if (!m) throw notTaken;
      const cp = parseInt(m[1] ?? m[2]!, 16);
      if (cp > MAX_CP) throw notTaken;
      this.i += m[0].length;
      return cp;
    }
    if (PUNCT.test(e)) {
      this.i += 2;
      return e.charCodeAt(0);
    }
    throw notTaken;
  }

  private charClass(): [Ranges, string] {
    const { p } = this;
    this.i++;
    const negated = p[this.i] === "^";
    if (negated) this.i++;
    let set: Ranges = [];
    let js = "";
    let first = true;
    for (;;) {
      const c = p[this.i];
      if (c === undefined) throw notTaken;
      if (c === "]" && !first) break;
      first = false;
      if (c === "[" && p[this.i + 1] === ":") throw notTaken; // [[:alpha:]]
      if (c === "\\") {
        const cls = this.classEscape();
        if (cls) {
          set = union(set, cls[0]);
          js += cls[1];
          continue;
        }
      }
      const lo = this.classChar();
      let hi = lo;
      if (p[this.i] === "-" && p[this.i + 1] !== "]" && p[this.i + 1] !== undefined) {
        this.i++;
        if (p[this.i] === "\\" && /[dDwWsS]/.test(p[this.i + 1] ?? "")) throw notTaken;
        hi = this.classChar();
        if (hi < lo) throw notTaken;
      }
      if (this.ci && hi > 127) throw notTaken;
      set = union(set, [lo, hi]);
      js += lo === hi ? HEX(lo) : `${HEX(lo)}-${HEX(hi)}`;
    }
    this.i++;
    if (this.ci) set = foldClose(set);
    if (negated) set = complement(set);
    return [set, `[${negated ? "^" : ""}${js}]`];
  }

  private classChar(): number {
    if (this.p[this.i] === "\\") return this.escapedChar();
    const cp = this.p.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }

  /** A quantifier at this.i: [min, max, its source], or undefined. */
  private quantifier(): [number, number, string] | undefined {
    const { p } = this;
    let r: [number, number, string] | undefined;
    const c = p[this.i];
    if (c === "*") r = [0, Infinity, "*"];
    else if (c === "+") r = [1, Infinity, "+"];
    else if (c === "?") r = [0, 1, "?"];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(this.i, this.i + 16));
      if (!m) throw notTaken; // a literal { (RE2 allows it): not taken
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      r = [min, max, m[0]];
    }
    if (!r) return undefined;
    this.i += r[2].length;
    if (p[this.i] === "?") {
      r[2] += "?";
      this.i++;
    }
    if (p[this.i] !== undefined && "*+?{".includes(p[this.i]!)) throw notTaken;
    return r;
  }
}

function rangesJs(r: Ranges): string {
  let s = "";
  for (let i = 0; i < r.length; i += 2) s += r[i] === r[i + 1] ? HEX(r[i]!) : `${HEX(r[i]!)}-${HEX(r[i + 1]!)}`;
  return s;
}

/** Position-automaton facts of a piece of pattern. */
interface Info {
  first: Set<number>;
  last: Set<number>;
  nullable: boolean;
  /** Whether an assertion may be met before the first character it takes (or its end). */
  leadAssert: boolean;
}

class Automaton {
  readonly follow: Set<number>[];
  /** Positions after which an assertion may come. */
  readonly assertAfter: boolean[];
  readonly root: Info;
  /** Some alternation has two alternatives that may take nothing: a backtracking engine tries both. */
  twoEmpty = false;

  constructor(alts: Node[][], private readonly positions: Position[]) {
    const n = positions.length;
    this.follow = Array.from({ length: n }, () => new Set<number>());
    this.assertAfter = new Array<boolean>(n).fill(false);
    this.root = this.alternation(alts);
  }

  private alternation(alts: Node[][]): Info {
    const out: Info = { first: new Set(), last: new Set(), nullable: false, leadAssert: false };
    for (const a of alts) {
      const s = this.sequence(a);
      if (s.nullable && out.nullable) this.twoEmpty = true;
      for (const p of s.first) out.first.add(p);
      for (const p of s.last) out.last.add(p);
      out.nullable ||= s.nullable;
      out.leadAssert ||= s.leadAssert;
    }
    return out;
  }

  private sequence(items: Node[]): Info {
    const first = new Set<number>();
    let last = new Set<number>();
    let nullable = true;
    let leadAssert = false;
    for (const item of items) {
      const x = this.node(item);
      if (x.leadAssert) for (const p of last) this.assertAfter[p] = true;
      for (const p of last) for (const q of x.first) this.follow[p]!.add(q);
      if (nullable) {
        for (const q of x.first) first.add(q);
        leadAssert ||= x.leadAssert;
      }
      last = x.nullable ? new Set([...last, ...x.last]) : new Set(x.last);
      nullable &&= x.nullable;
    }
    return { first, last, nullable, leadAssert };
  }

  private node(n: Node): Info {
    switch (n.k) {
      case "assert":
        return { first: new Set(), last: new Set(), nullable: true, leadAssert: true };
      case "group":
        return this.alternation(n.alts);
      case "atom":
        return { first: new Set([n.pos]), last: new Set([n.pos]), nullable: this.positions[n.pos]!.min === 0, leadAssert: false };
    }
  }
}

function emit(alts: Node[][]): string {
  return alts.map((items) => items.map((n) => (n.k === "atom" ? n.js + n.quant : n.k === "assert" ? n.js : `${n.open}${emit(n.alts)})`)).join("")).join("|");
}

/** Pairwise disjoint sets. */
function disjoint(sets: Ranges[]): boolean {
  for (let a = 0; a < sets.length; a++) for (let b = a + 1; b < sets.length; b++) if (intersects(sets[a]!, sets[b]!)) return false;
  return true;
}

/**
 * The JavaScript regex for a pattern (RE2 syntax, group names already g0, g1...) and its leading
 * flags, when it is provably linear there and means the same; else undefined.
 */
export function toJsRegex(source: string, flags: string): { source: string; flags: string } | undefined {
  if (flags.includes("m")) return undefined;
  const parser = new Parser(source, flags);
  let alts: Node[][];
  try {
    alts = parser.alternation();
    if (parser.i !== source.length) return undefined;
  } catch (e) {
    if (e === notTaken) return undefined;
    throw e;
  }
  const { positions } = parser;
  // a quantifier with a choice: the position may follow itself or not
  const choice = positions.map((p) => p.max > 1 && p.min < p.max);
  const auto = new Automaton(alts, positions);
  const setOf = (p: number): Ranges => positions[p]!.set;
  if (auto.twoEmpty) return undefined;
  if (!disjoint([...auto.root.first].map(setOf))) return undefined;
  for (let p = 0; p < positions.length; p++) {
    const next = [...auto.follow[p]!].filter((q) => q !== p);
    if (choice[p]) next.push(p);
    if (!disjoint(next.map(setOf))) return undefined;
  }
  const anchored = alts.length === 1 && alts[0]![0]?.k === "assert" && alts[0]![0].js === "^";
  if (!anchored) {
    for (let p = 0; p < positions.length; p++) {
      if (!choice[p]) continue;
      const cont = [...auto.follow[p]!].filter((q) => q !== p);
      const isLast = cont.length === 0 && !auto.assertAfter[p];
      if (isLast) continue;
      if (auto.root.first.has(p)) return undefined;
      for (let q = 0; q < positions.length; q++) {
        if (q !== p && auto.follow[q]!.has(p) && intersects(setOf(q), setOf(p))) return undefined;
      }
    }
  }
  return { source: emit(alts), flags: "u" + (flags.includes("i") ? "i" : "") + (flags.includes("s") ? "s" : "") };
}
