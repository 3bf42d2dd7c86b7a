// search: keep the events whose raw text (@message) contains the terms. Logs Insights reserves the
// word without documenting it; its meaning here is the term matching of CloudWatch Logs filter
// patterns (case-sensitive terms, several terms all required, quoted phrases, `-term` to exclude),
// written with the operators of `filter` (and, or, not, parentheses). Each term becomes
// `@message like "term"` (or `@message like /re/`), so search is a filter and plans as one.
import { QueryError } from "../../errors.js";
import type { Expr, GenericCmd, Span } from "../../lang/ast.js";
import { resolveExpr } from "../../check/resolve.js";
import { fieldRef, type PlanBuilder } from "../builder.js";
import { BALANCE_AFTER } from "../../lang/nodes.js";

const USAGE = 'write: search TERM [TERM ...], where a term is a word, a "quoted phrase" or a /regex/, joined by and, or, not (several terms: all must appear)';

function quote(s: string): string {
  return JSON.stringify(s);
}

function not(e: Expr, span: Span): Expr {
  return { kind: "unary", op: "not", operand: e, text: `not (${e.text})`, span };
}

function both(op: "and" | "or", l: Expr, r: Expr, span: Span): Expr {
  return { kind: "binary", op, left: l, right: r, text: `${l.text} ${op} ${r.text}`, span };
}

/** `@message like` the phrase or regex. */
function like(right: Expr, shown: string, span: Span): Expr {
  return { kind: "binary", op: "like", left: fieldRef("@message", span), right, text: `@message like ${shown}`, span };
}

/** The terms joined by and: left to right, or as a balanced tree when there are many (as the parser does). */
function allOf(terms: Expr[]): Expr {
  const and = (l: Expr, r: Expr): Expr => both("and", l, r, { ...l.span, end: r.span.end });
  if (terms.length <= BALANCE_AFTER) return terms.reduce(and);
  const build = (lo: number, hi: number): Expr => (hi - lo === 1 ? terms[lo]! : and(build(lo, (lo + hi) >> 1), build((lo + hi) >> 1, hi)));
  return build(0, terms.length);
}

/** A piece of a search's text: a term (a word as written, or a quoted phrase or regex as the lexer read it), an operator, a parenthesis. */
type Piece = { k: "term"; e: Expr } | { k: "and" | "or" | "not" | "(" | ")"; span: Span };

/** The string and regex literals of the command's arguments, by where they start in the query. */
function literalsOf(cmd: GenericCmd): Map<number, Expr> {
  const out = new Map<number, Expr>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== "object") return;
    if (Array.isArray(v)) return v.forEach(walk);
    const e = v as { kind?: unknown; span?: Span };
    if ((e.kind === "string" || e.kind === "regex") && e.span) out.set(e.span.start, e as Expr);
    for (const [k, x] of Object.entries(v)) if (k !== "span") walk(x);
  };
  for (const a of cmd.args) if (a.kind === "expr") walk(a.expr);
  return out;
}

/**
 * The search's text read as CloudWatch Logs filter patterns write terms: a term is what stands
 * between spaces and parentheses, whole (`us-east-1`, `10.0.0.1`, `i-0abc`: the expression parser
 * split them into subtractions and numbers); `-` before a term (after a space) excludes it; `and`,
 * `or`, `not` and parentheses as in filter; quoted phrases and regexes as the lexer read them.
 */
function pieces(cmd: GenericCmd, source: string): Piece[] {
  const literals = literalsOf(cmd);
  const out: Piece[] = [];
  const end = cmd.span.end;
  const at = (start: number, stop: number): Span => ({ start, end: stop, line: cmd.span.line, col: cmd.span.col + (start - cmd.span.start) });
  let i = cmd.span.start + cmd.keyword.length;
  while (i < end) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")") {
      out.push({ k: c, span: at(i, i + 1) });
      i++;
      continue;
    }
    const lit = literals.get(i);
    if (lit) {
      out.push({ k: "term", e: lit });
      i = lit.span.end;
      continue;
    }
    if (c === "-" && literals.has(i + 1)) {
      out.push({ k: "not", span: at(i, i + 1) });
      i++;
      continue;
    }
    let j = i;
    while (j < end && !/[\s()]/.test(source[j]!) && !(j > i && literals.has(j))) j++;
    const word = source.slice(i, j);
    const lower = word.toLowerCase();
    if (lower === "and" || lower === "or" || lower === "not") out.push({ k: lower, span: at(i, j) });
    else if (word.startsWith("-") && word.length > 1) {
      out.push({ k: "not", span: at(i, i + 1) });
      out.push({ k: "term", e: { kind: "string", value: word.slice(1), text: quote(word.slice(1)), span: at(i + 1, j) } });
    } else out.push({ k: "term", e: { kind: "string", value: word, text: quote(word), span: at(i, j) } });
    i = j;
  }
  return out;
}

/** The first part of an argument that no search term reads as (a call, a comparison), if any. */
function notTerms(e: Expr): Expr | undefined {
  switch (e.kind) {
    case "field":
    case "number":
    case "bool":
    case "period":
    case "string":
    case "regex":
      return undefined;
    case "unary":
      return notTerms(e.operand);
    case "binary":
      return e.op === "and" || e.op === "or" || e.op === "-" ? (notTerms(e.left) ?? notTerms(e.right)) : e;
    default:
      return e;
  }
}

/** The pieces as one condition on @message: not binds tightest, then and (or two terms side by side), then or. */
function parsePieces(ps: Piece[], cmd: GenericCmd): Expr {
  let k = 0;
  const fail = (span: Span, what: string): never => {
    throw new QueryError(what, span, USAGE);
  };
  const spanOf = (p: Piece | undefined): Span => (p === undefined ? cmd.span : p.k === "term" ? p.e.span : p.span);
  const primary = (): Expr => {
    const p = ps[k];
    if (p === undefined) return fail(cmd.span, "search needs a term here");
    if (p.k === "not") {
      k++;
      const operand = primary();
      return not(operand, { ...p.span, end: operand.span.end });
    }
    if (p.k === "(") {
      k++;
      const inner = or();
      if (ps[k]?.k !== ")") return fail(spanOf(ps[k]), "a ( without its )");
      k++;
      return inner;
    }
    if (p.k === "term") {
      k++;
      return p.e.kind === "regex" ? like(p.e, p.e.text, p.e.span) : like(p.e, quote((p.e as Extract<Expr, { kind: "string" }>).value), p.e.span);
    }
    return fail(p.span, `\`${p.k}\` where a term should be`);
  };
  const and = (): Expr => {
    const terms = [primary()];
    for (;;) {
      const p = ps[k];
      if (p?.k === "and") k++;
      else if (p === undefined || p.k === "or" || p.k === ")") break;
      terms.push(primary());
    }
    return allOf(terms);
  };
  const or = (): Expr => {
    let e = and();
    while (ps[k]?.k === "or") {
      k++;
      const r = and();
      e = both("or", e, r, { ...e.span, end: r.span.end });
    }
    return e;
  };
  const e = or();
  if (k < ps.length) fail(spanOf(ps[k]), "a ) without its (");
  return e;
}

export function planSearch(cmd: GenericCmd, b: PlanBuilder): void {
  if (b.scope.afterStats) {
    throw new QueryError("search looks in each event's @message, which does not exist after stats (or pattern, countFrequent...)", cmd.span, "put search before it");
  }
  for (const a of cmd.args) {
    if (a.kind === "option") {
      const v = a.value.kind === "string" ? a.value.value : a.value.text;
      throw new QueryError(`\`${a.name}=${v}\` reads as a condition on a field, not a search term`, a.span, `for the field use filter ${a.name} = ${a.value.kind === "string" ? quote(v) : v}; for the text itself quote it: search ${quote(`${a.name}=${v}`)}`);
    }
    if (a.kind !== "expr") throw new QueryError(`search takes terms, not ${a.kind === "comma" ? "a comma" : a.kind === "query" ? "a subquery" : `\`${a.word}\``}`, a.span, USAGE);
    const odd = notTerms(a.expr);
    if (odd) throw new QueryError(`\`${odd.text}\` is not a search term`, odd.span, `${USAGE}; for a condition on a field use filter`);
  }
  const ps = pieces(cmd, b.query.source);
  if (ps.length === 0) throw new QueryError("search needs at least one term", cmd.span, USAGE);
  b.ops.push({ op: "filter", pred: resolveExpr(parsePieces(ps, cmd), b.scope, undefined, "in search"), keyword: cmd.keyword });
}
