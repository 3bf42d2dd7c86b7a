// The longest run of plain characters every match of a regex holds (`.+:assumed-role/aws:.+` holds
// `:assumed-role/aws:`): a text without it cannot match, and `includes` says so far faster than the
// regex engine, re2js above all. Read from the pattern in RE2 syntax, conservatively: whatever is
// not surely required (an alternation at the top, a group, a class, an escape that is not a plain
// character, a character a quantifier may leave out) ends the run or, for what changes how
// characters match (case-insensitive flags), gives none.

/** Characters that stand for themselves when escaped: ASCII punctuation. */
const PUNCTUATION = /[!-/:-@[-`{-~]/;
/** A quantifier: `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` (RE2 reads any other brace as a character). */
const QUANTIFIER = /^(?:[*+?]|\{(\d+)(?:,\d*)?\})/;

/** Shorter runs are not worth a search of their own before the regex's. */
const SHORTEST = 3;

/**
 * The longest literal every match of `source` (RE2 syntax, inline `flags` besides) holds, at least
 * SHORTEST characters; undefined when none is sure: case-insensitive, an alternation at the top,
 * inline flags past the start, or nothing long enough.
 */
export function requiredLiteral(source: string, flags: string): string | undefined {
  // \Q...\E quotes text anywhere (in a group too, where its ")" is no bracket): left to the engine
  if (flags.includes("i") || source.includes("\\Q")) return undefined;
  let best = "";
  let run = "";
  const end = (): void => {
    if (run.length > best.length) best = run;
    run = "";
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    let atom: string | undefined;
    let next = i + 1;
    if (c === "|") return undefined;
    if (c === "\\") {
      const e = source[i + 1];
      // \Q...\E quotes text, \123 is a character in octal: left to the engine
      if (e === undefined || e === "Q" || e === "E" || (e >= "0" && e <= "9")) return undefined;
      next = i + 2;
      if (PUNCTUATION.test(e)) atom = e;
      // \d, \w, \b, \pL, \x41, \n...: no plain character (the letter escapes that are one are not worth it)
      else if (e === "p" || e === "P" || e === "x") next = skipEscapeBody(source, i + 2);
    } else if (c === "[") next = skipClass(source, i);
    else if (c === "(") {
      // (?i) and the like change how what follows matches: no literal is then read
      if (source[i + 1] === "?" && source[i + 2] !== ":" && source[i + 2] !== "P" && source[i + 2] !== "<") return undefined;
      next = skipGroup(source, i);
      if (next < 0) return undefined;
    } else if (c === ")" || c === "*" || c === "+" || c === "?" || c === "{") return undefined; // not where expected: the regex engine decides
    else if (c !== "." && c !== "^" && c !== "$") {
      // a surrogate half: a quantifier after the pair would repeat both halves
      const code = c.charCodeAt(0);
      if (code < 0xd800 || code > 0xdfff) atom = c;
    }
    const quantifier = QUANTIFIER.exec(source.slice(next, next + 24));
    // may the atom be taken no times, or more than once?
    let optional = false;
    let repeated = false;
    if (quantifier) {
      const q = quantifier[0];
      optional = q === "*" || q === "?" || Number(quantifier[1] ?? 1) === 0;
      repeated = !optional;
      next += q.length;
      if (source[next] === "?") next++; // lazy
    } else if (source[next] === "{") {
      // a brace that is not a quantifier is a plain character in RE2: left to the engine
      return undefined;
    }
    if (atom === undefined || optional) end();
    else {
      run += atom;
      // a repeated character may be followed by itself: the run holds it once, and ends
      if (repeated) end();
    }
    i = next;
  }
  end();
  return best.length >= SHORTEST ? best : undefined;
}

/** Past a class `[...]` begun at `at` (a `]` first in it, or after `^`, is a member). */
function skipClass(s: string, at: number): number {
  let i = at + 1;
  if (s[i] === "^") i++;
  if (s[i] === "]") i++;
  while (i < s.length && s[i] !== "]") {
    if (s[i] === "\\") i++;
    else if (s[i] === "[" && s[i + 1] === ":") {
      const close = s.indexOf(":]", i + 2);
      if (close > 0) i = close + 1;
    }
    i++;
  }
  return i + 1;
}

/** Past a group `(...)` begun at `at`, its classes and escapes read as such; -1 when it does not close. */
function skipGroup(s: string, at: number): number {
  let depth = 0;
  let i = at;
  while (i < s.length) {
    const c = s[i]!;
    if (c === "\\") i += 2;
    else if (c === "[") i = skipClass(s, i);
    else {
      if (c === "(") depth++;
      else if (c === ")" && --depth === 0) return i + 1;
      i++;
    }
  }
  return -1;
}

/** Past the body of `\p`, `\P` or `\x` from `at`: one character, or `{...}`. */
function skipEscapeBody(s: string, at: number): number {
  if (s[at] === "{") {
    const close = s.indexOf("}", at);
    return close < 0 ? s.length : close + 1;
  }
  return s[at - 1] === "x" ? at + 2 : at + 1;
}
