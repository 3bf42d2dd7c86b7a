// When a typed line ends a query: a line ending in `|`, or with an open quote, parenthesis or
// bracket, continues on the next line; otherwise Enter runs what was typed. Comments don't count,
// and neither does what a regex literal holds (`/Don't/`, `/(a#b)/`).
import { REGEX } from "../lang/lexer.js";

export function needsMore(text: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  let code = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
      code += "x";
      continue;
    }
    if (c === "#") {
      const nl = text.indexOf("\n", i);
      if (nl < 0) break;
      i = nl - 1;
      continue;
    }
    if (c === "/" && regexStarts(code)) {
      REGEX.lastIndex = i;
      const m = REGEX.exec(text);
      if (m) {
        code += "x".repeat(m[0].length);
        i += m[0].length - 1;
        continue;
      }
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    code += c;
  }
  return quote !== undefined || depth > 0 || /\|\s*$/.test(code);
}

/** Words after which `/` starts a regex (not a division): the lexer's keywords that end no value, and parse and search. */
const BEFORE_REGEX = new Set(["like", "in", "not", "and", "or", "as", "by", "asc", "desc", "parse", "search"]);

/**
 * Whether a `/` after `code` (the query so far, quoted texts as x's) starts a regex, as the lexer
 * decides: where no value has just ended (after an operator, `(`, `,`, a keyword), and after
 * `parse` or `parse field`.
 */
function regexStarts(code: string): boolean {
  const before = code.trimEnd();
  if (before === "") return true;
  const word = /[A-Za-z_@][\w.@-]*$/.exec(before)?.[0];
  if (word === undefined) return !/[)\]x`"'\d]$/.test(before);
  if (BEFORE_REGEX.has(word.toLowerCase())) return true;
  const previous = /([A-Za-z_]+)\s+[A-Za-z_@][\w.@-]*$/.exec(before)?.[1];
  return previous?.toLowerCase() === "parse";
}
