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

/** The text a bare term stands for: a word, a number, a period as written. */
function literalText(e: Expr): string | undefined {
  switch (e.kind) {
    case "field":
      return e.name;
    case "number":
    case "bool":
    case "period":
      return e.text;
    default:
      return undefined;
  }
}

function not(e: Expr, span: Span): Expr {
  return { kind: "unary", op: "not", operand: e, text: `not (${e.text})`, span };
}

function both(op: "and" | "or", l: Expr, r: Expr, span: Span): Expr {
  return { kind: "binary", op, left: l, right: r, text: `${l.text} ${op} ${r.text}`, span };
}

/** A search term (or a combination of terms) as a condition on @message. */
function condition(e: Expr): Expr {
  const like = (right: Expr, shown: string): Expr => ({ kind: "binary", op: "like", left: fieldRef("@message", e.span), right, text: `@message like ${shown}`, span: e.span });
  if (e.kind === "string") return like(e, quote(e.value));
  if (e.kind === "regex") return like(e, e.text);
  const word = literalText(e);
  if (word !== undefined) return like({ kind: "string", value: word, text: quote(word), span: e.span }, quote(word));
  if (e.kind === "unary") return not(condition(e.operand), e.span); // not TERM, -TERM
  if (e.kind === "binary" && (e.op === "and" || e.op === "or")) return both(e.op, condition(e.left), condition(e.right), e.span);
  // `ERROR -"x"` reads as a subtraction: the term after the minus is excluded
  if (e.kind === "binary" && e.op === "-") return both("and", condition(e.left), not(condition(e.right), e.right.span), e.span);
  throw new QueryError(`\`${e.text}\` is not a search term`, e.span, `${USAGE}; for a condition on a field use filter`);
}

/**
 * A term written without spaces that the expression parser read as several parts: `us-east-1` (a
 * subtraction), `10.0.0.1` (three numbers), `2024-01-01`, `i-0abc`. CloudWatch Logs' filter
 * patterns take such a term whole; only a `-` after a space excludes (`ERROR -DEBUG`). The text of
 * the args from `i` on that touch each other, when it is one such word, and the last arg it covers.
 */
function wordAt(args: GenericCmd["args"], i: number, source: string): { text: string; last: number } | undefined {
  let last = i;
  while (last + 1 < args.length && args[last + 1]!.kind === "expr" && args[last + 1]!.span.start === args[last]!.span.end) last++;
  const text = source.slice(args[i]!.span.start, args[last]!.span.end);
  const only = args[i]!.kind === "expr" && last === i ? (args[i] as { expr: Expr }).expr : undefined;
  // a field name or number alone is a word already; a quoted phrase or a regex is not one
  if (only && (only.kind === "field" || only.kind === "number" || only.kind === "string" || only.kind === "regex")) return undefined;
  return WORD.test(text) && !text.startsWith("-") ? { text, last } : undefined;
}

/** A term's characters: letters, digits and the marks that join an identifier's parts. */
const WORD = /^[\p{L}\p{N}_.:\/@+-]+$/u;

/** The terms joined by and: left to right, or as a balanced tree when there are many (as the parser does). */
function allOf(terms: Expr[]): Expr {
  const and = (l: Expr, r: Expr): Expr => both("and", l, r, { ...l.span, end: r.span.end });
  if (terms.length <= BALANCE_AFTER) return terms.reduce(and);
  const build = (lo: number, hi: number): Expr => (hi - lo === 1 ? terms[lo]! : and(build(lo, (lo + hi) >> 1), build((lo + hi) >> 1, hi)));
  return build(0, terms.length);
}

export function planSearch(cmd: GenericCmd, b: PlanBuilder): void {
  if (b.scope.afterStats) {
    throw new QueryError("search looks in each event's @message, which does not exist after stats (or pattern, countFrequent...)", cmd.span, "put search before it");
  }
  const terms: Expr[] = [];
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const word = a.kind === "expr" ? wordAt(args, i, b.query.source) : undefined;
    if (word) {
      terms.push(condition({ kind: "string", value: word.text, text: quote(word.text), span: { ...a.span, end: args[word.last]!.span.end } }));
      i = word.last;
      continue;
    }
    if (a.kind === "option") {
      const v = a.value.kind === "string" ? a.value.value : a.value.text;
      throw new QueryError(`\`${a.name}=${v}\` reads as a condition on a field, not a search term`, a.span, `for the field use filter ${a.name} = ${a.value.kind === "string" ? quote(v) : v}; for the text itself quote it: search ${quote(`${a.name}=${v}`)}`);
    }
    if (a.kind !== "expr") throw new QueryError(`search takes terms, not ${a.kind === "comma" ? "a comma" : a.kind === "query" ? "a subquery" : `\`${a.word}\``}`, a.span, USAGE);
    terms.push(condition(a.expr));
  }
  if (terms.length === 0) throw new QueryError("search needs at least one term", cmd.span, USAGE);
  b.ops.push({ op: "filter", pred: resolveExpr(allOf(terms), b.scope, undefined, "in search"), keyword: cmd.keyword });
}
