// Logs Insights regexes (Hyperscan/RE2 flavour, inline `(?i)`) to JavaScript RegExp.
import { QueryError } from "../errors.js";
import type { Span } from "../lang/ast.js";

export interface TranslatedRegex {
  regex: RegExp;
  /** Named groups in order of appearance, as written (names may start with `@`). */
  groupNames: string[];
  /** The internal JS group name of each entry of groupNames (JS names can't start with `@`). */
  jsGroupNames: string[];
}

/**
 * Translate a pattern: a leading `(?i)` (or `(?s)`, `(?m)`, combined) becomes a flag; named groups
 * are renamed to JS-safe names. Anything JS can't compile is a QueryError at `span`.
 */
export function translateRegex(pattern: string, span: Span, extraFlags = ""): TranslatedRegex {
  let source = pattern;
  let flags = extraFlags;
  // `(?i)` at the start, or right after a leading `^` (`/^(?i)abc/`, seen in the wild), is a flag.
  const lead = /^(\^?)\(\?([ims]+)\)/.exec(source);
  if (lead) {
    for (const f of lead[2]!) if (!flags.includes(f)) flags += f;
    source = lead[1]! + source.slice(lead[0].length);
  }
  if (/\(\?[ims]+\)/.test(source)) {
    throw new QueryError(
      "inline flags such as (?i) are only supported at the start of a regex",
      span,
      "move (?i) to the start of the pattern, or use a character class like [Ee]rror",
    );
  }
  const groupNames: string[] = [];
  const jsGroupNames: string[] = [];
  source = source.replace(/(^|[^\\])\(\?(?:P)?<([^>=!]+)>/g, (_m, before: string, name: string) => {
    const js = `g${groupNames.length}`;
    groupNames.push(name);
    jsGroupNames.push(js);
    return `${before}(?<${js}>`;
  });
  try {
    return { regex: new RegExp(source, flags), groupNames, jsGroupNames };
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "") : String(e);
    throw new QueryError(`this regex can't be used: ${why}`, span, "trailq runs regexes with JavaScript's regex engine");
  }
}

/** A glob pattern of `parse` (`"user=*, method:*"`) as a regex: each `*` a capture, searched unanchored. */
export function globToRegex(glob: string): { regex: RegExp; stars: number } {
  const parts = glob.split("*");
  const escaped = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  let source = escaped[0]!;
  for (let i = 1; i < escaped.length; i++) {
    const last = i === escaped.length - 1 && escaped[i] === "";
    source += (last ? "(.*)" : "(.*?)") + escaped[i];
  }
  return { regex: new RegExp(source, "s"), stars: parts.length - 1 };
}
