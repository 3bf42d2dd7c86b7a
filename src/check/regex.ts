// User regexes and globs, matched in time linear in the text: a value of 50 KB cannot make a run
// hang, whatever the pattern (log content is hostile; the patterns are the user's).
//
// A pattern is read in RE2 syntax (no lookaround, no backreferences), with what Logs Insights users
// write besides: a leading `(?i)` (also after `^`) and group names that may start with `@`. Every
// pattern is checked by re2js (a port of RE2, linear-time matching) when the query is checked, and
// runs on it, unless it is *provably safe* on JavaScript's backtracking engine, which is several
// times faster (src/check/regex-js.ts decides, soundly; docs/language.md says when).
import { RE2JS } from "re2js";
import { QueryError } from "../errors.js";
import type { Span } from "../lang/ast.js";
import { toJsRegex } from "./regex-js.js";
import { requiredLiteral } from "./regex-literal.js";
import { replacementParts, type ReplacementPart } from "./replacement.js";

/** A match as JavaScript's exec gives it: [whole, group 1, ...], where it starts, named groups. */
export interface RegexMatch {
  readonly [group: number]: string | undefined;
  readonly length: number;
  readonly index: number;
  readonly groups?: Record<string, string | undefined> | undefined;
}

/** What parse needs of a pattern (a regex or a glob). */
export interface TextMatcher {
  /** The first match, or null. */
  exec(s: string): RegexMatch | null;
  /** Every match, left to right (an empty match moves on by one character). */
  matchAll(s: string): Iterable<RegexMatch>;
  /** The pattern as a regex, for `trailq explain` and the SQL back ends (RE2 syntax). */
  readonly source: string;
  readonly flags: string;
}

/** A user regex: `/.../` in a query, or a string given to a regex function. */
export class UserRegex implements TextMatcher {
  /**
   * The engine it runs on: "js" when the pattern is provably linear on JavaScript's backtracking
   * engine and means the same there; else "re2".
   */
  readonly engine: "js" | "re2";
  private readonly js: RegExp | undefined;
  private readonly jsAll: RegExp | undefined;
  private readonly re2: RE2JS | undefined;
  /** Its capture groups (the whole match not counted). */
  readonly groups: number;
  /** A text every match holds (regex-literal.ts): a text without it is not searched. */
  private readonly literal: string | undefined;
  /** The last replacement template given to replace(), read into its parts (replacement.ts). */
  private template: string | undefined;
  private parts: ReplacementPart[] = [];

  constructor(
    /** The pattern in RE2 syntax, named groups renamed g0, g1... (see translateRegex). */
    readonly source: string,
    /** Leading inline flags: i, s, m. */
    readonly flags: string,
    checked: RE2JS,
  ) {
    this.groups = checked.groupCount();
    this.literal = requiredLiteral(source, flags);
    const js = toJsRegex(source, flags);
    let compiled: [RegExp, RegExp] | undefined;
    try {
      if (js) compiled = [new RegExp(js.source, js.flags), new RegExp(js.source, js.flags + "g")];
    } catch {
      // written wrongly for JavaScript (a bug): re2js still runs the pattern right
    }
    if (compiled) {
      this.engine = "js";
      [this.js, this.jsAll] = compiled;
    } else {
      this.engine = "re2";
      this.re2 = checked;
    }
  }

  /** Whether `s` lacks the text every match holds: then there is no match. */
  private lacks(s: string): boolean {
    return this.literal !== undefined && !s.includes(this.literal);
  }

  test(s: string): boolean {
    if (this.lacks(s)) return false;
    return this.js ? this.js.test(s) : this.re2!.test(s);
  }

  exec(s: string): RegexMatch | null {
    if (this.lacks(s)) return null;
    return this.js ? this.js.exec(s) : (this.re2!.exec(s) as RegexMatch | null);
  }

  matchAll(s: string): Iterable<RegexMatch> {
    if (this.lacks(s)) return [];
    return (this.jsAll ? s.matchAll(this.jsAll) : this.re2!.matchAll(s)) as Iterable<RegexMatch>;
  }

  /**
   * Every match replaced by the template: `$1`...`$99` and `\1`...`\9` its groups, `$&` the match,
   * `` $` `` and `$'` the text before and after it, `$$` a dollar sign.
   */
  replace(s: string, template: string): string {
    if (template !== this.template) {
      this.template = template;
      this.parts = replacementParts(template, this.groups);
    }
    const parts = this.parts;
    let out = "";
    let last = 0;
    for (const m of this.matchAll(s)) {
      const whole = m[0]!;
      out += s.slice(last, m.index) + expand(parts, m, s);
      last = m.index + whole.length;
    }
    return out + s.slice(last);
  }

  toString(): string {
    return `/${slashed(this.source)}/${this.flags}`;
  }
}

/** A pattern's unescaped slashes escaped, to show it between slashes. */
function slashed(source: string): string {
  let out = "";
  for (let i = 0; i < source.length; i++) {
    if (source[i] === "\\") out += source[i]! + (source[++i] ?? "");
    else out += source[i] === "/" ? "\\/" : source[i];
  }
  return out;
}

/** The parts' text for a match `m` of `s`. */
function expand(parts: readonly ReplacementPart[], m: RegexMatch, s: string): string {
  let out = "";
  for (const p of parts) {
    if ("text" in p) out += p.text;
    else if ("group" in p) out += m[p.group] ?? "";
    else out += p.side === "before" ? s.slice(0, m.index) : s.slice(m.index + (m[0] ?? "").length);
  }
  return out;
}

export interface TranslatedRegex {
  regex: UserRegex;
  /** Named groups in order of appearance, as written (names may start with `@`). */
  groupNames: string[];
  /** The internal group name of each entry of groupNames (g0, g1...: RE2 names are word characters). */
  jsGroupNames: string[];
}

const HINT = "trailq reads regexes in RE2 syntax: no lookahead, lookbehind or backreferences";

/**
 * Reads a pattern: a leading `(?i)` (or `(?s)`, `(?m)`, combined; also right after a leading `^`)
 * becomes a flag; named groups `(?<name>...)` / `(?P<name>...)` are renamed g0, g1...; `\uXXXX`
 * becomes RE2's `\x{XXXX}`. Anything RE2 can't compile is a QueryError at `span`.
 */
export function translateRegex(pattern: string, span: Span): TranslatedRegex {
  let source = pattern;
  let flags = "";
  const lead = /^(\^?)\(\?([ims]+)\)/.exec(source);
  if (lead) {
    for (const f of lead[2]!) if (!flags.includes(f)) flags += f;
    source = lead[1]! + source.slice(lead[0].length);
  }
  const groupNames: string[] = [];
  const jsGroupNames: string[] = [];
  source = rewrite(
    source,
    (name) => {
      // as RE2 reads a group's name (renamed here, RE2 would not see them): a word (an @ before it
      // names a field of trailq's own), once
      if (!/^@?[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new QueryError(`this regex can't be used: the group name ${JSON.stringify(name)} is not a word (letters, digits and _, not first a digit; @ may lead)`, span, HINT);
      if (groupNames.includes(name)) throw new QueryError(`this regex can't be used: two groups are named ${name} (RE2 allows one; the first one's capture was lost)`, span, HINT);
      const js = `g${groupNames.length}`;
      groupNames.push(name);
      jsGroupNames.push(js);
      return js;
    },
    (what) => {
      throw new QueryError(`this regex can't be used: ${what} (RE2 syntax has none)`, span, HINT);
    },
  );
  let checked: RE2JS;
  try {
    checked = RE2JS.compile(source, (flags.includes("i") ? RE2JS.CASE_INSENSITIVE : 0) | (flags.includes("s") ? RE2JS.DOTALL : 0) | (flags.includes("m") ? RE2JS.MULTILINE : 0));
  } catch (e) {
    // RE2 quotes the pattern it was given: the groups are named back as the user wrote them
    const why = (e instanceof Error ? e.message.replace(/^error parsing regexp: /, "") : String(e)).replace(/\(\?P?<g(\d+)>/g, (m, k: string) => (groupNames[Number(k)] !== undefined ? `(?<${groupNames[Number(k)]}>` : m));
    throw new QueryError(`this regex can't be used: ${why}`, span, HINT);
  }
  return { regex: new UserRegex(source, flags, checked), groupNames, jsGroupNames };
}

/**
 * One pass over a pattern that knows escapes and character classes: renames each named group
 * (`(?<name>` or `(?P<name>`, not lookbehind) with `rename`, writes `\uXXXX` as `\x{XXXX}`, and
 * tells `unsupported` of lookaround and backreferences (for a clearer message than RE2's).
 */
function rewrite(p: string, rename: (name: string) => string, unsupported: (what: string) => never): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === "\\") {
      const u = /^u([0-9A-Fa-f]{4})/.exec(p.slice(i + 1, i + 6));
      if (u) {
        out += `\\x{${u[1]}}`;
        i += 5;
      } else if (!inClass && /[1-9]/.test(p[i + 1] ?? "")) {
        unsupported(`the backreference \\${p[i + 1]}`);
      } else {
        out += p.slice(i, i + 2);
        i++;
      }
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      // a ] right after [ or [^ is a member, not the end
      if (p[i + 1] === "^") out += p[++i];
      if (p[i + 1] === "]") out += p[++i];
      continue;
    }
    if (c === "(" && p[i + 1] === "?") {
      const look = /^\(\?<?[=!]/.exec(p.slice(i, i + 4));
      if (look) unsupported(`${look[0].includes("<") ? "lookbehind" : "lookahead"} ${look[0]}...)`);
      const m = /^\(\?P?<([^>=!][^>]*)>/.exec(p.slice(i, i + 256));
      if (m) {
        out += `(?<${rename(m[1]!)}>`;
        i += m[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/**
 * A glob of `parse` (`"user=*, method:*"`): unanchored, each `*` a capture, the inner ones as short
 * as they can be and the last one to the end (a `*` at the very end takes the rest of the text).
 * Matched without backtracking: the first place of the text before the first `*`, then each
 * following piece at its first place after the one before — as a backtracking regex
 * `lit0(.*?)lit1(.*?)...` would pick, in time linear in the text.
 */
export class GlobMatcher implements TextMatcher {
  readonly pieces: string[];
  readonly stars: number;
  /** The equivalent regex, for explain and SQL. */
  readonly source: string;
  readonly flags = "s";

  constructor(glob: string) {
    this.pieces = glob.split("*");
    this.stars = this.pieces.length - 1;
    const escaped = this.pieces.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    let source = escaped[0]!;
    for (let i = 1; i < escaped.length; i++) {
      const last = i === escaped.length - 1 && escaped[i] === "";
      source += (last ? "(.*)" : "(.*?)") + escaped[i];
    }
    this.source = source;
  }

  exec(s: string): RegexMatch | null {
    return this.at(s, 0);
  }

  *matchAll(s: string): Iterable<RegexMatch> {
    let from = 0;
    while (from <= s.length) {
      const m = this.at(s, from);
      if (!m) return;
      yield m;
      const end = m.index + m[0]!.length;
      from = end === m.index ? end + 1 : end;
    }
  }

  /** The first match starting at `from` or later. */
  private at(s: string, from: number): RegexMatch | null {
    const { pieces } = this;
    const start = s.indexOf(pieces[0]!, from);
    if (start < 0) return null;
    const groups: string[] = [];
    let cur = start + pieces[0]!.length;
    for (let i = 1; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece === "") {
        groups.push(s.slice(cur));
        cur = s.length;
        break;
      }
      const at = s.indexOf(piece, cur);
      // Later places of this piece (or of the first) can't do better: what follows must then fit
      // in less text.
      if (at < 0) return null;
      groups.push(s.slice(cur, at));
      cur = at + piece.length;
    }
    const m = [s.slice(start, cur), ...groups] as string[] & { index: number };
    m.index = start;
    return m;
  }

  toString(): string {
    return `/${slashed(this.source)}/${this.flags}`;
  }
}
