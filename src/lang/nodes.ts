// Building the AST's expression nodes for the parser (parser.ts, expression.ts): spans and source
// text, operator precedence, and the limits that keep every later stage (checker, planner,
// compiler, explain, SQL, template binding, the copy sent to scan workers: all recursive walks of
// the tree) within Node's default stack.
//
// Expressions are read without recursion (expression.ts), so the parser itself takes any nesting
// of brackets; what is limited is the height of the tree it makes: every node's height is known
// when it is made (1 + its highest child), and a node higher than MAX_DEPTH is refused at its
// operator, bracket or name. Parentheses add no height. Long chains of one associative operator
// (`a or b or ...`, `x + y + ...`) are built as balanced trees once they pass BALANCE_AFTER terms,
// so 100,000 terms make a tree 17 levels high. Queries inside queries (subqueries, join and
// appendcols) are read by recursion: MAX_QUERY_DEPTH of them.
import type { IToken } from "chevrotain";
import type { BinaryOp, Expr, Span } from "./ast.js";
import { LINE_BREAK, quoteText, spanAt } from "../errors.js";

const LINE_BREAKS = new RegExp(LINE_BREAK.source, "g");

/**
 * How high an expression's tree may be: calls, lists, indexes and member accesses inside one
 * another, each not, unary minus and ^, and each -, / or % in a row, is a level (a subquery's
 * expressions count inside the expression holding it). Every stage is tested at this height with
 * Node's default stack (test/lang/limits.test.ts); the least room left is in the copy of the query
 * sent to the scan workers and in the checker, for calls inside calls.
 */
export const MAX_DEPTH = 1000;

/**
 * How deep queries may nest inside queries (`in (...)`, join, appendcols). The parser reads them by
 * recursion and survives about 300; Logs Insights runs one level (the checker says so).
 */
export const MAX_QUERY_DEPTH = 100;

/**
 * A run of more terms than this joined by one of and, or, +, * is built as a balanced tree;
 * shorter runs are built left to right as written. Same result (and/or short-circuit in the same
 * order); a sum or product of many terms may differ in the last digits of floating-point rounding.
 */
export const BALANCE_AFTER = 16;

/** Binding strength: or < and < not < comparisons < + - < * / % < ^ (< unary minus, applied first). */
export const PREC = { or: 1, and: 2, not: 3, compare: 4, add: 5, mul: 6, pow: 7 } as const;

const BALANCED = new Set<BinaryOp>(["and", "or", "+", "*"]);

/** A problem found while building the AST (not a chevrotain error): becomes a QueryError. */
export class ParseProblem extends Error {
  constructor(message: string, readonly span: Span, readonly hint?: string) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// The text being parsed: the parser needs it to slice `text` for each node. State of one parse,
// reset by setSource.

let SOURCE = "";
/** Offsets where the source's lines start (the lexer tracks offsets only: cheaper to build). */
let LINE_STARTS: number[] = [0];
/** How many queries are open (the parser's recursion). */
let nesting = 0;
/** The highest node made since the innermost open query started (a subquery's height). */
let highest = 0;

export function setSource(text: string): void {
  SOURCE = text;
  LINE_STARTS = [0];
  // the lines spanAt counts (errors.ts: LINE_BREAK, CRLF as one)
  for (const m of text.matchAll(LINE_BREAKS)) LINE_STARTS.push(m.index + m[0].length);
  nesting = 0;
  highest = 0;
  HEIGHT.clear();
}

/** The parse is over: the heights are not needed any more (nor the nodes kept for them). */
export function endParse(): void {
  HEIGHT.clear();
}

export function source(): string {
  return SOURCE;
}

export function tokSpan(t: IToken): Span {
  const start = t.startOffset;
  // the last line starting at or before `start`
  let lo = 0;
  let hi = LINE_STARTS.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (LINE_STARTS[mid]! <= start) lo = mid;
    else hi = mid - 1;
  }
  return { start, end: start + Math.max(1, t.image.length), line: lo + 1, col: start - LINE_STARTS[lo]! + 1 };
}

/** Where an error at token `t` points: the token, or the end of the text for the end of input. */
export function problemSpan(t: IToken): Span {
  if (t.tokenType.name === "EOF" || Number.isNaN(t.startOffset)) {
    const end = SOURCE.trimEnd().length;
    return spanAt(SOURCE, end, end + 1);
  }
  return spanAt(SOURCE, t.startOffset, t.startOffset + Math.max(1, t.image.length));
}

/** A token for a message: `"image"` (shortened, escaped: see quoteText), or "the end of the query". */
export function describe(t: IToken | undefined): string {
  return !t || t.tokenType.name === "EOF" ? "the end of the query" : quoteText(t.image);
}

export function join(a: Span, b: Span): Span {
  return { start: a.start, end: b.end, line: a.line, col: a.col };
}

export function sliceText(s: Span): string {
  return SOURCE.slice(s.start, s.end).trim();
}

// ---------------------------------------------------------------------------------------------
// Queries inside queries

/** A query starts at `at` (the bracket that opens a subquery). */
export function enterQuery(at: IToken): void {
  if (++nesting > MAX_QUERY_DEPTH) {
    throw new ParseProblem(`queries nest more than ${MAX_QUERY_DEPTH} deep here`, problemSpan(at), "Logs Insights runs one level of subquery (in, join, appendcols)");
  }
}

export function leaveQuery(): void {
  nesting--;
}

/** A query (the whole one, or a subquery) starts: returns what `endQuery` needs. */
export function startQuery(): number {
  const outer = highest;
  highest = 0;
  return outer;
}

/** A query ends: gives the height of its highest expression, and restores the outer query's. */
export function endQuery(outer: number): number {
  const inner = highest;
  highest = Math.max(outer, inner);
  return inner;
}

// ---------------------------------------------------------------------------------------------
// Heights

/** Heights above 1, by node: a Map, cleared after each parse (a WeakMap costs the GC far more). */
const HEIGHT = new Map<object, number>();

export function height(e: Expr): number {
  return HEIGHT.get(e) ?? 1;
}

/** Records a new node's height (1 + its highest child, or `h`), refusing it past the limit at `at`. */
export function made<E extends Expr>(e: E, children: readonly Expr[], at: Span, h = 0): E {
  for (const c of children) h = Math.max(h, height(c));
  h++;
  if (h > MAX_DEPTH) {
    throw new ParseProblem(
      `this expression nests more than ${MAX_DEPTH} levels deep`,
      at,
      "a call, list, index, not, unary - or ^ inside another is a level, as is each -, / or % of a chain (chains of and, or, + and * take a few)",
    );
  }
  if (h > 1) HEIGHT.set(e, h);
  if (h > highest) highest = h;
  return e;
}

// ---------------------------------------------------------------------------------------------
// Nodes

export function binary(op: BinaryOp, left: Expr, right: Expr, opTok: IToken | undefined): Expr {
  const span = join(left.span, right.span);
  return made({ kind: "binary", op, left, right, span, text: sliceText(span) }, [left, right], opTok ? tokSpan(opTok) : span);
}

/** `not x` / `!x`. */
export function not(t: IToken, operand: Expr): Expr {
  const span = join(tokSpan(t), operand.span);
  return made({ kind: "unary", op: "not", operand, span, text: sliceText(span) }, [operand], tokSpan(t));
}

/** `-x`: a number or period literal takes the sign. */
export function negate(t: IToken, operand: Expr): Expr {
  const span = join(tokSpan(t), operand.span);
  const text = sliceText(span);
  if (operand.kind === "number") return { kind: "number", value: -operand.value, span, text };
  if (operand.kind === "period") {
    // in place, as parentheses do (expression.ts): nothing else holds the operand
    operand.amount = -operand.amount;
    operand.span = span;
    operand.text = text;
    return operand;
  }
  return made({ kind: "unary", op: "-", operand, span, text }, [operand], tokSpan(t));
}

// ---------------------------------------------------------------------------------------------
// Operators: an expression is read as operands and the operators between them (each operand with
// the `not`s before it); this puts them together by precedence, without recursion.

/**
 * The operands after an expression's first, as read: the operator before each (its op and token)
 * and the `not`/`!` tokens written before it. Parallel arrays: a long chain makes no object per term.
 */
export class Rest {
  readonly ops: BinaryOp[] = [];
  readonly toks: IToken[] = [];
  readonly exprs: Expr[] = [];
  readonly nots: (IToken[] | undefined)[] = [];
}

export function precedence(op: BinaryOp): number {
  switch (op) {
    case "or":
      return PREC.or;
    case "and":
      return PREC.and;
    case "+":
    case "-":
      return PREC.add;
    case "*":
    case "/":
    case "%":
      return PREC.mul;
    case "^":
      return PREC.pow;
    default:
      return PREC.compare;
  }
}

/** A run of one associative operator, its terms not joined yet. */
class Run {
  constructor(readonly op: BinaryOp, readonly items: Expr[], readonly toks: IToken[]) {}
}

function finish(v: Expr | Run): Expr {
  if (!(v instanceof Run)) return v;
  const { op, items, toks } = v;
  if (items.length <= BALANCE_AFTER) {
    let acc = items[0]!;
    for (let i = 1; i < items.length; i++) acc = binary(op, acc, items[i]!, toks[i - 1]);
    return acc;
  }
  // halves; the recursion is as deep as the tree made (log2 of the terms)
  const build = (lo: number, hi: number): Expr => {
    if (hi - lo === 1) return items[lo]!;
    const mid = (lo + hi) >> 1;
    return binary(op, build(lo, mid), build(mid, hi), toks[mid - 1]);
  };
  return build(0, items.length);
}

/**
 * The tree of `first (op operand)*` by precedence: left to right within a level, except ^ (right
 * to left); comparisons do not chain (`a = b = c` is refused at the second). `nots`: those before
 * the first operand.
 */
export function assemble(first: Expr, nots: IToken[] | undefined, rest: Rest | undefined): Expr {
  if (!rest && !nots) return first;
  const values: (Expr | Run)[] = [];
  // operators waiting for their right operand: the op ("not" for a prefix not) and its token
  const waiting: (BinaryOp | "not")[] = [];
  const waitingTok: IToken[] = [];
  const apply = (): void => {
    const op = waiting.pop()!;
    const tok = waitingTok.pop()!;
    if (op === "not") {
      values.push(not(tok, finish(values.pop()!)));
      return;
    }
    const right = values.pop()!;
    const left = values.pop()!;
    if (BALANCED.has(op)) {
      if (left instanceof Run && left.op === op) {
        left.items.push(finish(right));
        left.toks.push(tok);
        values.push(left);
      } else values.push(new Run(op, [finish(left), finish(right)], [tok]));
      return;
    }
    values.push(binary(op, finish(left), finish(right), tok));
  };
  const push = (e: Expr, ns: IToken[] | undefined): void => {
    if (ns) for (const t of ns) {
      waiting.push("not");
      waitingTok.push(t);
    }
    values.push(e);
  };
  push(first, nots);
  const n = rest ? rest.ops.length : 0;
  for (let i = 0; i < n; i++) {
    const op = rest!.ops[i]!;
    const tok = rest!.toks[i]!;
    const p = precedence(op);
    while (waiting.length > 0) {
      const top = waiting[waiting.length - 1]!;
      const q = top === "not" ? PREC.not : precedence(top);
      if (q === PREC.compare && p === PREC.compare) {
        throw new ParseProblem(
          `unexpected ${quoteText(tok.image)}: a comparison can't follow another one`,
          tokSpan(tok),
          "join the two with and, or put parentheses around the first",
        );
      }
      // ^ is right-associative: an equal one waits
      if (q > p || (q === p && p !== PREC.pow)) apply();
      else break;
    }
    waiting.push(op);
    waitingTok.push(tok);
    push(rest!.exprs[i]!, rest!.nots[i]);
  }
  while (waiting.length > 0) apply();
  return finish(values[0]!);
}
