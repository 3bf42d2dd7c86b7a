// A regexReplace template read once into its parts, for a regex of `groups` capture groups, as
// JavaScript's String.replace reads it: `$1`...`$99` and `\1`...`\9` a group, `$&` the match,
// `` $` `` and `$'` the text before and after it, `$$` a dollar sign; `$n` of a group the regex does
// not have stays as written, `\n` of one is empty. The native engine runs the parts (regex.ts), the
// SQL back ends write them out (src/sql/functions.ts), so the two read a template alike.

/** Text as written, a group's text (0: the whole match), or the text before or after the match. */
export type ReplacementPart = { text: string } | { group: number } | { side: "before" | "after" };

const isDigit = (c: string | undefined): c is string => c !== undefined && c >= "0" && c <= "9";

export function replacementParts(template: string, groups: number): ReplacementPart[] {
  const parts: ReplacementPart[] = [];
  let text = "";
  const push = (p: ReplacementPart): void => {
    if (text) parts.push({ text });
    text = "";
    parts.push(p);
  };
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    const next = template[i + 1];
    if (c === "\\" && isDigit(next)) {
      push({ group: Number(next) });
      i++;
    } else if (c === "$" && next !== undefined) {
      i++;
      if (next === "$") text += "$";
      else if (next === "&") push({ group: 0 });
      else if (next === "`") push({ side: "before" });
      else if (next === "'") push({ side: "after" });
      else if (isDigit(next)) {
        // two digits when that group exists, else one
        const two = template[i + 1];
        const nn = isDigit(two) ? Number(next + two) : 0;
        if (nn > 0 && nn <= groups) {
          push({ group: nn });
          i++;
        } else if (next !== "0" && Number(next) <= groups) push({ group: Number(next) });
        else text += "$" + next;
      } else text += "$" + next;
    } else text += c;
  }
  if (text) parts.push({ text });
  return parts;
}
