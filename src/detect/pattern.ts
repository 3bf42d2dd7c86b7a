// Sigma string values: `*` (any text) and `?` (one character) wildcards, `\*`, `\?` and `\\` their
// escapes (a backslash before anything else is itself), matched whole against a field's text.
// Literal values, prefixes, suffixes and substrings are compared directly; any other shape becomes
// an anchored regex run by the project's linear-time regex engine (src/check/regex.ts).
import { translateRegex, type UserRegex } from "../check/regex.js";
import { RuleRefusal } from "./refusal.js";
import { foldCase } from "./fold.js";

export const ANY = 0;
export const ONE = 1;
/** One of the dashes windash makes interchangeable: - / – — ―. */
export const DASH = 2;
export type Token = string | typeof ANY | typeof ONE | typeof DASH;

/** The characters windash makes interchangeable. */
export const DASHES = ["-", "/", "\u2013", "\u2014", "\u2015"];

/** A value as tokens: literal text pieces (merged) and wildcards. */
export type Pattern = Token[];

export function parsePattern(s: string): Pattern {
  const out: Pattern = [];
  let lit = "";
  const flush = (): void => {
    if (lit) out.push(lit);
    lit = "";
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\") {
      const n = s[i + 1];
      if (n === "*" || n === "?" || n === "\\") {
        lit += n;
        i++;
      } else lit += c;
    } else if (c === "*") {
      flush();
      if (out[out.length - 1] !== ANY) out.push(ANY);
    } else if (c === "?") {
      flush();
      out.push(ONE);
    } else lit += c;
  }
  flush();
  return out;
}

/** A plain text (no wildcard in it) as a pattern. */
export function literal(s: string): Pattern {
  return s ? [s] : [];
}

export function isLiteral(p: Pattern): boolean {
  return p.every((t) => typeof t === "string");
}

/** The pattern's literal text, when it has no wildcard. */
export function literalText(p: Pattern): string | undefined {
  return isLiteral(p) ? (p as string[]).join("") : undefined;
}

/** Merges adjacent literal pieces and repeated `*`. */
export function normalize(p: Pattern): Pattern {
  const out: Pattern = [];
  for (const t of p) {
    const last = out[out.length - 1];
    if (typeof t === "string") {
      if (!t) continue;
      if (typeof last === "string") out[out.length - 1] = last + t;
      else out.push(t);
    } else if (!(t === ANY && last === ANY)) out.push(t);
  }
  return out;
}

const REGEX_META = /[\\.+*?()|[\]{}^$]/g;

/** The pattern as an anchored RE2 regex (for the general case, and for the query translation). */
export function patternRegex(p: Pattern): string {
  let re = "";
  for (const t of p) {
    if (t === ANY) re += ".*";
    else if (t === ONE) re += ".";
    else if (t === DASH) re += "[-/\\x{2013}\\x{2014}\\x{2015}]";
    else re += t.replace(REGEX_META, "\\$&");
  }
  return `^${re}$`;
}

const NOWHERE = { start: 0, end: 0, line: 1, col: 1 };

/** A pattern's text test, on text lower-cased beforehand when `lower` (the pattern is lower-cased here). */
export function patternTest(p: Pattern, lower: boolean): (s: string) => boolean {
  const q: Pattern = lower ? p.map((t) => (typeof t === "string" ? foldCase(t) : t)) : p;
  const n = q.length;
  if (n === 0) return (s) => s === "";
  if (n === 1 && typeof q[0] === "string") {
    const v = q[0];
    return (s) => s === v;
  }
  if (n === 1 && q[0] === ANY) return () => true;
  const strs = q.filter((t) => typeof t === "string") as string[];
  const wild = n - strs.length;
  if (wild === 1 && n === 2 && q[1] === ANY) {
    const v = q[0] as string;
    return (s) => s.startsWith(v);
  }
  if (wild === 1 && n === 2 && q[0] === ANY) {
    const v = q[1] as string;
    return (s) => s.endsWith(v);
  }
  if (wild === 2 && n === 3 && q[0] === ANY && q[2] === ANY) {
    const v = q[1] as string;
    return (s) => s.includes(v);
  }
  if (q.every((t) => typeof t === "string" || t === ANY)) return starsTest(q);
  const re = compileRegex(patternRegex(q), "s");
  return (s) => re.test(s);
}

/**
 * Literal pieces and `*` only: the first piece at the start, the last at the end, each one between
 * at its first place after the one before (a later place never helps): linear in the text.
 */
function starsTest(q: Pattern): (s: string) => boolean {
  const pieces: string[] = [];
  let cur = "";
  for (const t of q) {
    if (t === ANY) {
      pieces.push(cur);
      cur = "";
    } else cur += t as string;
  }
  pieces.push(cur);
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1);
  const min = pieces.reduce((a, b) => a + b.length, 0);
  return (s) => {
    if (s.length < min || !s.startsWith(first) || !s.endsWith(last)) return false;
    let at = first.length;
    const end = s.length - last.length;
    for (const m of middle) {
      if (!m) continue;
      const i = s.indexOf(m, at);
      if (i < 0 || i + m.length > end) return false;
      at = i + m.length;
    }
    return true;
  };
}

/** A regex given by a rule (or made from a pattern), checked and run in linear time; a bad one refuses the rule. */
export function compileRegex(source: string, flags: string): UserRegex {
  const prefix = flags ? `(?${flags})` : "";
  try {
    return translateRegex(prefix + source, NOWHERE).regex;
  } catch (e) {
    throw new RuleRefusal("regex", `regex /${source}/ cannot run: ${e instanceof Error ? e.message : String(e)} (trailq runs regexes in RE2 syntax, in linear time: no lookaround or backreferences)`);
  }
}
