// When a typed line ends a query: a line ending in `|`, or with an open quote, parenthesis or
// bracket, continues on the next line; otherwise Enter runs what was typed. Comments don't count.
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
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    code += c;
  }
  return quote !== undefined || depth > 0 || /\|\s*$/.test(code);
}
