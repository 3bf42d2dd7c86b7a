// Reading one expression, token by token, without recursion: the parser's `expression` rule
// (parser.ts) consumes the tokens and hands each to an ExprReader, which keeps the brackets open
// so far on a stack of frames (parentheses, calls, lists, indexes) and, in each, the operands and
// operators read so far; nodes.ts's `assemble` puts those together by precedence when an item
// ends. So `((((x))))` or `f(f(f(x)))` costs heap, not stack, however deep; only the height of
// the tree made is limited (nodes.ts: MAX_DEPTH), for the stages after the parser.
//
// `decide` says what a token does in the current state (or that it ends the expression); the
// parser asks it before consuming (the loop's GATE) and after (`take`), so both agree.
import type { IToken, TokenType } from "chevrotain";
import type { BinaryOp, Expr, FieldRef, PeriodUnit, Query } from "./ast.js";
import * as T from "./lexer.js";
import { periodUnit } from "../time/periods.js";
import {
  PREC, ParseProblem, assemble, describe, join, made, negate, precedence, problemSpan, sliceText, source, tokSpan,
  Rest,
} from "./nodes.js";

/** What a token does. */
export const enum Step {
  /** It does not belong to the expression: the expression ends before it. */
  End,
  NotPrefix,
  MinusPrefix,
  Literal,
  Field,
  ArgName,
  Colon,
  OpenList,
  OpenParen,
  OpenCall,
  OpenIndex,
  /** `( query )` after in / not in: the parser reads the query. */
  Subquery,
  Close,
  Comma,
  Member,
  StarArg,
  Binary,
  /** `not` of `not like` / `not in`. */
  NotBinary,
}

const enum Phase {
  /** An operand may start (prefix operators, a literal, a name, a bracket). */
  Operand,
  /** An operand was read: suffixes, an operator, a comma or a closing bracket may follow. */
  After,
  /** After the `not` of `not like` / `not in`. */
  NotOp,
  /** After `f(*`. */
  Star,
  /** After a named argument's name (`logGroups(namePrefix: ...)`). */
  Colon,
}

const WORDS = new Set<TokenType>([T.Identifier, T.Backticked, ...Object.values(T.COMMAND_WORDS)]);
const LITERALS = new Set<TokenType>([T.NumberTok, T.StringTok, T.RegexTok, T.PeriodTok, T.True, T.False, T.ParamTok]);
const OPERATORS = new Map<TokenType, BinaryOp>([
  [T.Or, "or"], [T.And, "and"], [T.Equals, "="], [T.NotEquals, "!="], [T.Less, "<"], [T.LessEq, "<="], [T.Greater, ">"],
  [T.GreaterEq, ">="], [T.MatchOp, "=~"], [T.Like, "like"], [T.In, "in"], [T.Plus, "+"], [T.Minus, "-"], [T.Star, "*"],
  [T.Slash, "/"], [T.Percent, "%"], [T.Caret, "^"],
]);

/** The tokens an expression may start with (the parser's first choice). */
export const FIRST_TOKENS: TokenType[] = [T.Not, T.Bang, T.Minus, ...LITERALS, T.LBracket, T.LParen, T.Word];
/** Every token an expression may hold after its first (the parser's loop). */
export const LATER_TOKENS: TokenType[] = [
  ...FIRST_TOKENS, T.RParen, T.RBracket, T.Comma, T.DotName, T.Colon, ...[...OPERATORS.keys()].filter((t) => t !== T.Minus),
];

const COMMAND_START = new Set<TokenType>(Object.values(T.COMMAND_WORDS));

export function isCommandStart(t: IToken): boolean {
  return COMMAND_START.has(t.tokenType);
}

const OPERAND_START = new Set<TokenType>([T.NumberTok, T.StringTok, T.RegexTok, T.PeriodTok, T.True, T.False, T.LBracket, T.LParen, T.Identifier, T.Backticked, T.Minus, T.ParamTok, ...Object.values(T.COMMAND_WORDS)]);

/** Whether `t` can start an operand (`filldown cpu*`: a star no operand follows is not multiplication). */
export function startsOperand(t: IToken): boolean {
  return OPERAND_START.has(t.tokenType);
}

type FrameKind = "top" | "paren" | "call" | "list" | "index";


/** An open bracket (or the expression itself), and what was read inside it so far. */
class Frame {
  kind: FrameKind = "top";
  /** The opening bracket. */
  open: IToken | undefined;
  /** A call's name. */
  name: IToken | undefined;
  /** An index's target. */
  target: Expr | undefined;
  /** The items read so far: a call's arguments, a list's items, the one of the others. */
  items: Expr[] = [];
  /** A call's argument names, when it has named arguments. */
  argNames: (string | undefined)[] | undefined;
  star = false;
  /** The binding strength an operator needs to continue this frame's expression. */
  min = 0;
  /** The current item, read so far: its first operand (and the nots before it), then operators and operands. */
  first: Expr | undefined;
  firstNots: IToken[] | undefined;
  rest: Rest | undefined;
  /** The operator waiting for its right operand, and its token. */
  op: BinaryOp | undefined;
  opTok: IToken | undefined;
  /** The operand being read: its prefixes, the node so far (suffixes apply to it). */
  nots: IToken[] | undefined;
  minuses: IToken[] | undefined;
  expr: Expr | undefined;
  /** `expr` is a name just read (a `(` makes it a call): its token. */
  word: IToken | undefined;
  /** `expr` is a subquery: no suffixes. */
  sealed = false;
  argName: IToken | undefined;
  /** Nothing read in this frame yet (`()`, `[]`, `(*)`). */
  empty = true;
  /** Nothing read of the current item yet (a named argument may start). */
  itemStart = true;
  /** `not` may start the operand (at an item's start, after and / or / not). */
  notOk = true;
  /** `-` may start the operand. */
  minusOk = true;

  constructor(kind: FrameKind, min: number, notOk: boolean, minusOk: boolean) {
    this.reset(kind, min, notOk, minusOk);
  }

  reset(kind: FrameKind, min: number, notOk: boolean, minusOk: boolean): void {
    this.kind = kind;
    this.min = min;
    this.notOk = notOk;
    this.minusOk = minusOk;
    this.open = this.name = this.target = this.argNames = this.first = this.firstNots = this.rest = this.op = this.opTok = undefined;
    this.nots = this.minuses = this.expr = this.word = this.argName = undefined;
    this.items = [];
    this.star = this.sealed = false;
    this.empty = this.itemStart = true;
  }
}

export class ExprReader {
  private readonly frames: Frame[] = [];
  private readonly root = new Frame("top", 0, true, true);
  private phase = Phase.Operand;
  /** The last token decided on and what it does (the parser asks before and after consuming it). */
  private decidedTok: IToken | undefined;
  private decided = Step.End;

  /**
   * Starts reading an expression. `min`: the binding strength an operator needs to continue it
   * (PREC; 0: any, so `p=1-4` reads an additive expression with PREC.add); `prefixes`: whether it
   * may start with `not` or `-`. A reader is used again for the next expression.
   */
  begin(min: number, prefixes: boolean): void {
    this.root.reset("top", min, prefixes && min <= PREC.not, prefixes);
    this.frames.length = 0;
    this.frames.push(this.root);
    this.phase = Phase.Operand;
    this.decidedTok = undefined;
  }

  private get top(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  /** What `t` does here, `next` being the token after it. */
  decide(t: IToken, next: IToken): Step {
    if (t === this.decidedTok) return this.decided;
    this.decidedTok = t;
    return (this.decided = this.decideAnew(t, next));
  }

  private decideAnew(t: IToken, next: IToken): Step {
    const f = this.top;
    const type = t.tokenType;
    switch (this.phase) {
      case Phase.Operand:
        if (type === T.Not || type === T.Bang) return f.notOk && f.minuses === undefined ? Step.NotPrefix : Step.End;
        if (type === T.Minus) return f.minusOk ? Step.MinusPrefix : Step.End;
        if (LITERALS.has(type)) return Step.Literal;
        if (WORDS.has(type)) return f.kind === "call" && f.itemStart && next.tokenType === T.Colon ? Step.ArgName : Step.Field;
        if (type === T.LBracket) return Step.OpenList;
        if (type === T.LParen) return (f.op === "in" || f.op === "not in") && f.nots === undefined && f.minuses === undefined && isCommandStart(next) ? Step.Subquery : Step.OpenParen;
        if (f.empty && ((type === T.RParen && f.kind === "call") || (type === T.RBracket && f.kind === "list"))) return Step.Close;
        if (type === T.Star && f.empty && f.kind === "call") return Step.StarArg;
        return Step.End;
      case Phase.After: {
        if (type === T.DotName) return f.sealed ? Step.End : Step.Member;
        if (type === T.LBracket) return f.sealed ? Step.End : Step.OpenIndex;
        // `where a.x=b.x (SOURCE ...)`: a parenthesised query after a name is not a call
        if (type === T.LParen) return f.word !== undefined && !isCommandStart(next) ? Step.OpenCall : Step.End;
        if (type === T.RParen) return f.kind === "paren" || f.kind === "call" ? Step.Close : Step.End;
        if (type === T.RBracket) return f.kind === "list" || f.kind === "index" ? Step.Close : Step.End;
        if (type === T.Comma) return f.kind === "call" || f.kind === "list" ? Step.Comma : Step.End;
        if (type === T.Not) return PREC.compare >= f.min ? Step.NotBinary : Step.End;
        const op = OPERATORS.get(type);
        if (op === undefined || precedence(op) < f.min) return Step.End;
        if (type === T.Star && !startsOperand(next)) return Step.End;
        return Step.Binary;
      }
      case Phase.NotOp:
        return type === T.Like || type === T.In ? Step.Binary : Step.End;
      case Phase.Star:
        return type === T.RParen ? Step.Close : Step.End;
      case Phase.Colon:
        return type === T.Colon ? Step.Colon : Step.End;
    }
  }

  /** Before the first token `t` (`prev` the one before): refuses one no expression starts with here. */
  start(t: IToken, next: IToken, prev: IToken): void {
    if (this.decide(t, next) === Step.End) this.end(t, prev);
  }

  /** Takes the token `t` (just consumed), doing what `decide` said. */
  take(t: IToken, next: IToken): void {
    const f = this.top;
    const step = this.decide(t, next);
    f.empty = false;
    f.itemStart = false;
    switch (step) {
      case Step.NotPrefix:
        (f.nots ??= []).push(t);
        return;
      case Step.MinusPrefix:
        (f.minuses ??= []).push(t);
        f.notOk = false;
        return;
      case Step.Literal:
        this.operand(f, literal(t), undefined);
        return;
      case Step.Field:
        this.operand(f, fieldRef(t), t);
        return;
      case Step.ArgName:
        f.argName = t;
        this.phase = Phase.Colon;
        return;
      case Step.Colon:
        this.phase = Phase.Operand;
        return;
      case Step.OpenList:
        this.open(new Frame("list", 0, true, true), t);
        return;
      case Step.OpenParen:
        this.open(new Frame("paren", 0, true, true), t);
        return;
      case Step.OpenCall: {
        const call = new Frame("call", 0, true, true);
        call.name = f.word;
        f.expr = undefined;
        this.open(call, t);
        return;
      }
      case Step.OpenIndex: {
        const index = new Frame("index", 0, true, true);
        index.target = f.expr!;
        f.expr = undefined;
        this.open(index, t);
        return;
      }
      case Step.StarArg:
        f.star = true;
        this.phase = Phase.Star;
        return;
      case Step.Close:
        this.close(t);
        return;
      case Step.Comma:
        this.endItem(f);
        f.itemStart = true;
        f.notOk = true;
        f.minusOk = true;
        this.phase = Phase.Operand;
        return;
      case Step.Member:
        f.expr = member(f.expr!, t);
        f.word = undefined;
        return;
      case Step.NotBinary:
        this.endOperand(f);
        f.op = "not like";
        f.opTok = t;
        this.phase = Phase.NotOp;
        return;
      case Step.Binary: {
        if (this.phase === Phase.NotOp) f.op = t.tokenType === T.In ? "not in" : "not like";
        else {
          this.endOperand(f);
          f.op = OPERATORS.get(t.tokenType)!;
          f.opTok = t;
        }
        f.notOk = f.op === "and" || f.op === "or";
        f.minusOk = true;
        this.phase = Phase.Operand;
        return;
      }
      case Step.Subquery:
      case Step.End:
        throw new Error(`internal error: the expression reader was given ${describe(t)}, which it does not take here`);
    }
  }

  /** A subquery `( query )` read by the parser, its expressions up to `h` high. */
  subquery(open: IToken, query: Query, close: IToken, h: number): void {
    const f = this.top;
    f.empty = false;
    f.itemStart = false;
    const span = join(tokSpan(open), tokSpan(close));
    this.operand(f, made({ kind: "subquery", query, span, text: sliceText(span) }, [], tokSpan(open), h), undefined);
    f.sealed = true;
  }

  /**
   * The expression read, `next` being the token after it (which it does not take) and `prev` the
   * last it took. Unclosed brackets and a missing operand are errors here.
   */
  end(next: IToken, prev: IToken): Expr {
    const f = this.top;
    if (this.phase === Phase.After && this.frames.length === 1) {
      this.endItem(f);
      return f.items[0]!;
    }
    const found = describe(next);
    if (next.image === "/" && this.phase === Phase.Operand) throw new ParseProblem("unterminated regex: add the closing /", { ...problemSpan(next), end: source().length });
    switch (this.phase) {
      case Phase.NotOp:
        throw new ParseProblem(`expected "like" or "in" after "not" but found ${found}`, problemSpan(next));
      case Phase.Operand:
        // in an empty call or list, it is the closing bracket that is missing
        if (!(f.empty && (f.kind === "call" || f.kind === "list"))) throw new ParseProblem(`expected an expression after ${describe(prev)} but found ${found}`, problemSpan(next));
        throw new ParseProblem(`expected ${f.kind === "list" ? '"]"' : '")"'} but found ${found}`, problemSpan(next));
      default:
        throw new ParseProblem(`expected ${f.kind === "list" || f.kind === "index" ? '"]"' : '")"'} but found ${found}`, problemSpan(next));
    }
  }

  // ---------------------------------------------------------------------------------------------

  private open(f: Frame, bracket: IToken): void {
    f.open = bracket;
    this.frames.push(f);
    this.phase = Phase.Operand;
  }

  private operand(f: Frame, e: Expr, word: IToken | undefined): void {
    f.expr = e;
    f.word = word;
    f.sealed = false;
    this.phase = Phase.After;
  }

  /** The operand read ends: its `-`s apply, and it joins the item with its `not`s. */
  private endOperand(f: Frame): void {
    let e = f.expr!;
    if (f.minuses) for (let i = f.minuses.length - 1; i >= 0; i--) e = negate(f.minuses[i]!, e);
    if (f.op) {
      const rest = (f.rest ??= new Rest());
      rest.ops.push(f.op);
      rest.toks.push(f.opTok!);
      rest.exprs.push(e);
      rest.nots.push(f.nots);
    } else {
      f.first = e;
      f.firstNots = f.nots;
    }
    f.op = f.opTok = f.nots = f.minuses = f.expr = f.word = undefined;
    f.sealed = false;
  }

  /** The item read ends (at a comma, a closing bracket, the expression's end). */
  private endItem(f: Frame): void {
    this.endOperand(f);
    f.items.push(assemble(f.first!, f.firstNots, f.rest));
    if (f.argName || f.argNames) {
      f.argNames ??= f.items.slice(0, -1).map(() => undefined);
      f.argNames.push(f.argName?.image);
    }
    f.first = f.firstNots = f.rest = f.argName = undefined;
  }

  private close(t: IToken): void {
    const f = this.frames.pop()!;
    if (this.phase === Phase.After) this.endItem(f);
    const outer = this.top;
    switch (f.kind) {
      case "paren": {
        // Parentheses keep the inner node, with the span and text widened to include them (in
        // place: nothing else holds it, and a copy per level costs more than the rest together).
        const inner = f.items[0]!;
        inner.span = join(tokSpan(f.open!), tokSpan(t));
        inner.text = sliceText(inner.span);
        this.operand(outer, inner, undefined);
        return;
      }
      case "list": {
        const span = join(tokSpan(f.open!), tokSpan(t));
        this.operand(outer, made({ kind: "list", items: f.items, span, text: sliceText(span) }, f.items, tokSpan(f.open!)), undefined);
        return;
      }
      case "call": {
        const name = f.name!;
        const span = join(tokSpan(name), tokSpan(t));
        const c: Expr = { kind: "call", name: name.image, nameSpan: tokSpan(name), args: f.items, star: f.star, span, text: sliceText(span) };
        if (f.argNames) c.argNames = f.argNames;
        this.operand(outer, made(c, f.items, tokSpan(name)), undefined);
        return;
      }
      case "index":
        this.operand(outer, indexed(f.target!, f.items[0]!, f.open!, t), undefined);
        return;
      case "top":
        throw new Error("internal error: closing the top frame");
    }
  }
}

function literal(t: IToken): Expr {
  const span = tokSpan(t);
  switch (t.tokenType) {
    case T.NumberTok: {
      const value = Number(t.image);
      // as the SQL translation refuses it: no row would show the value (it is no number to print)
      if (!Number.isFinite(value)) throw new ParseProblem(`${t.image} is past the largest number a query can hold (about 1.8e308)`, span, "write a smaller number");
      return { kind: "number", value, span, text: t.image };
    }
    case T.StringTok:
      return { kind: "string", value: unquoteString(t.image), span, text: t.image };
    case T.RegexTok:
      return { kind: "regex", pattern: regexPattern(t.image), span, text: t.image };
    case T.PeriodTok: {
      const m = /^(\d+(?:\.\d+)?)([A-Za-z]+)$/.exec(t.image)!;
      return { kind: "period", amount: Number(m[1]), unit: periodUnit(m[2]!) as PeriodUnit, span, text: t.image };
    }
    case T.ParamTok:
      return { kind: "param", name: t.image.slice(2, -2).trim(), span, text: t.image };
    default:
      return { kind: "bool", value: t.image.toLowerCase() === "true", span, text: t.image };
  }
}

/** Splits a dotted name into segments, unquoting backticked segments. */
export function splitName(raw: string): { name: string; segments: string[] } {
  const segments: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === "`") quoted = !quoted;
    else if (c === "." && !quoted) {
      segments.push(cur);
      cur = "";
    } else cur += c;
  }
  segments.push(cur);
  return { name: segments.join("."), segments };
}

/** A string literal's text: `\n`, `\t`, `\r` and `\uXXXX` escapes; a backslash before any other character is that character. */
export function unquoteString(image: string): string {
  const body = image.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|[\s\S])/g, (_m, c: string) =>
    c.length > 1 ? String.fromCharCode(parseInt(c.slice(1), 16)) : c === "n" ? "\n" : c === "t" ? "\t" : c === "r" ? "\r" : c,
  );
}

export function regexPattern(image: string): string {
  return image.slice(1, -1).replace(/\\\//g, "/");
}

export function fieldRef(t: IToken): FieldRef {
  const { name, segments } = splitName(t.image);
  return { kind: "field", name, segments, span: tokSpan(t), text: t.image };
}

/**
 * `x[0]` on a plain field becomes the field path `x.0`; otherwise an index node. The field's path
 * grows in place (the node it extends is dropped): a long run of `[0]` stays linear.
 */
function indexed(target: Expr, index: Expr, open: IToken, close: IToken): Expr {
  const span = join(target.span, tokSpan(close));
  const text = sliceText(span);
  if (target.kind === "field" && (index.kind === "number" || index.kind === "string")) {
    const seg = String(index.value);
    target.segments.push(seg);
    return { kind: "field", name: `${target.name}.${seg}`, segments: target.segments, span, text };
  }
  return made({ kind: "index", target, index, span, text }, [target, index], tokSpan(open));
}

/** `.key` after a field extends its path (in place, as in `indexed`); after anything else it is member access. */
function member(target: Expr, dot: IToken): Expr {
  const span = join(target.span, tokSpan(dot));
  const text = sliceText(span);
  const key = splitName(dot.image.slice(1)).segments[0]!;
  if (target.kind === "field") {
    target.segments.push(key);
    return { kind: "field", name: `${target.name}.${key}`, segments: target.segments, span, text };
  }
  return made({ kind: "member", target, key, span, text }, [target], tokSpan(dot));
}
