// A text as a string literal, and a field's parts as a path, of the query language: what the lexer
// reads back as that same text, those same parts.
// The lexer knows the escapes \n, \r, \t, \uXXXX and a backslash before any other character (that
// character); every other character is written as it is (a backslash doubled, so that `\u0041` in
// the text stays text).

import { UNSAFE, isVisible, unitEscapes } from "../output/safe.js";

/**
 * `"..."` with backslashes, double quotes and line ends escaped, and every other character a
 * terminal or a page would act on (controls, bidi marks, invisible ones: output/safe.ts) as
 * `\uXXXX`: a value copied into a query (the console's + filter, the prompt's history) shows as
 * text and cannot turn the query around on screen or colour the terminal.
 */
export function quoteString(s: string): string {
  const escaped = s.replace(/[\\"]/g, "\\$&").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
  return `"${escaped.replace(UNSAFE, unitEscapes)}"`;
}

/** Words the lexer reads as operators (lexer.ts): a path's first part of that name is written quoted. */
const OPERATOR_WORDS = new Set(["and", "or", "not", "in", "like", "as", "by", "asc", "desc", "true", "false"]);
const FIRST_PART = /^[A-Za-z_@][A-Za-z0-9_@]*$/;
const LATER_PART = /^[A-Za-z0-9_@]+$/;

/**
 * A field path the parser reads back as these parts: a plain name as it is, any other part
 * `quoted`. Undefined when a part can't be written: empty, holding a backtick or a line break (a
 * quoted name ends at either), or a character a terminal or a page would act on (controls, bidi
 * marks, invisible ones: output/safe.ts): a quoted name has no escapes, so such a key (a caller's
 * `requestParameters` key) would go raw into the query, and from there to the history the prompt
 * echoes (the console's + filter, completion).
 */
export function fieldText(parts: readonly string[]): string | undefined {
  if (parts.some((p) => p === "" || /[`\n]/.test(p) || !isVisible(p))) return undefined;
  return parts.map((p, i) => ((i === 0 ? FIRST_PART.test(p) && !OPERATOR_WORDS.has(p.toLowerCase()) : LATER_PART.test(p)) ? p : `\`${p}\``)).join(".");
}
