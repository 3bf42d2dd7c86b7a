// A Sigma condition: `selection and not (filter_a or filter_b)`, `1 of selection_*`, `all of them`.
// Read into a small tree (not > and > or, parentheses), identifiers resolved against the rule's
// search identifiers; anything else (the deprecated `| count() > 5` aggregations) refuses the rule.
import { RuleRefusal } from "./refusal.js";

export type Cond =
  | { k: "id"; name: string }
  | { k: "and"; items: Cond[] }
  | { k: "or"; items: Cond[] }
  | { k: "not"; item: Cond }
  /** `1 of x*` (all false) or `all of x*` (all true), over the identifiers resolved. */
  | { k: "of"; all: boolean; names: string[]; written: string };

type Tok = { t: "word"; v: string } | { t: "("; v: string } | { t: ")"; v: string };

const MAX_DEPTH = 100;

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")") {
      out.push({ t: c, v: c });
      i++;
      continue;
    }
    if (c === "|") throw new RuleRefusal("condition", "aggregations in the condition (`| count() ...`, deprecated in Sigma) are not run: write a correlation rule");
    const m = /^[A-Za-z0-9_*.\-]+/.exec(text.slice(i));
    if (!m) throw new RuleRefusal("condition", `condition: unexpected ${JSON.stringify(c)} at ${i + 1}`);
    out.push({ t: "word", v: m[0] });
    i += m[0].length;
  }
  return out;
}

/** Whether a name matches an `x*` pattern of the condition (`*` any text). */
function globMatch(pattern: string, name: string): boolean {
  const parts = pattern.split("*");
  if (parts.length === 1) return pattern === name;
  if (!name.startsWith(parts[0]!) || !name.endsWith(parts[parts.length - 1]!)) return false;
  let at = parts[0]!.length;
  const end = name.length - parts[parts.length - 1]!.length;
  if (at > end) return false;
  for (const p of parts.slice(1, -1)) {
    const i = name.indexOf(p, at);
    if (i < 0 || i + p.length > end) return false;
    at = i + p.length;
  }
  return true;
}

/** Reads a condition against the rule's search identifiers (`names`). */
export function parseCondition(text: string, names: readonly string[]): Cond {
  const toks = tokenize(text);
  let i = 0;
  const peekWord = (w: string): boolean => toks[i]?.t === "word" && toks[i]!.v.toLowerCase() === w;
  const fail = (what: string): never => {
    throw new RuleRefusal("condition", `condition ${JSON.stringify(text)}: ${what}`);
  };

  const or = (depth: number): Cond => {
    if (depth > MAX_DEPTH) fail("nested too deeply");
    const items = [and(depth)];
    while (peekWord("or")) {
      i++;
      items.push(and(depth));
    }
    return items.length === 1 ? items[0]! : { k: "or", items };
  };
  const and = (depth: number): Cond => {
    const items = [not(depth)];
    while (peekWord("and")) {
      i++;
      items.push(not(depth));
    }
    return items.length === 1 ? items[0]! : { k: "and", items };
  };
  const not = (depth: number): Cond => {
    if (peekWord("not")) {
      if (depth > MAX_DEPTH) fail("nested too deeply");
      i++;
      return { k: "not", item: not(depth + 1) };
    }
    return primary(depth);
  };
  const primary = (depth: number): Cond => {
    const tok = toks[i];
    if (!tok) return fail("ends too early");
    if (tok.t === "(") {
      i++;
      const inner = or(depth + 1);
      if (toks[i]?.t !== ")") fail("a ( is not closed");
      i++;
      return inner;
    }
    if (tok.t === ")") return fail("unexpected )");
    const w = tok.v.toLowerCase();
    if ((w === "1" || w === "all" || w === "any") && toks[i + 1]?.t === "word" && toks[i + 1]!.v.toLowerCase() === "of") {
      const target = toks[i + 2];
      if (!target || target.t !== "word") return fail(`${tok.v} of what?`);
      i += 3;
      const them = target.v.toLowerCase() === "them";
      const matched = them ? names.filter((n) => !n.startsWith("_")) : names.filter((n) => globMatch(target.v, n));
      if (matched.length === 0) fail(`${tok.v} of ${target.v}: no search identifier matches`);
      return { k: "of", all: w === "all", names: matched, written: `${tok.v} of ${target.v}` };
    }
    if (w === "and" || w === "or" || w === "of") return fail(`unexpected ${tok.v}`);
    if (/^\d+$/.test(w) && toks[i + 1]?.t === "word" && toks[i + 1]!.v.toLowerCase() === "of") return fail(`${tok.v} of: only 1 of and all of are Sigma`);
    i++;
    if (!names.includes(tok.v)) fail(`no search identifier ${tok.v}`);
    return { k: "id", name: tok.v };
  };

  if (toks.length === 0) fail("empty");
  const c = or(0);
  if (i < toks.length) fail(`unexpected ${toks[i]!.v}`);
  return c;
}

/** The identifiers a condition uses. */
export function condNames(c: Cond, out = new Set<string>()): Set<string> {
  switch (c.k) {
    case "id":
      out.add(c.name);
      break;
    case "of":
      for (const n of c.names) out.add(n);
      break;
    case "not":
      condNames(c.item, out);
      break;
    default:
      for (const x of c.items) condNames(x, out);
  }
  return out;
}
