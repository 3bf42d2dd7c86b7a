// The parser (chevrotain EmbeddedActionsParser): tokens → the typed AST of ast.ts directly, with
// spans. Embedded actions rather than CST + visitor: the AST is small and building it in the rules
// keeps each construct in one place. AST construction sits inside ACTION() so chevrotain's grammar
// recording phase never runs it.
import type { IToken, TokenType } from "chevrotain";
import { EmbeddedActionsParser, tokenMatcher } from "./chevrotain.js";
import type {
  BinaryOp, Command, Expr, FieldRef, GenericArg, LimitCmd, ParseCmd, PeriodUnit, Projection, Query, SortKey, Span,
} from "./ast.js";
import * as T from "./lexer.js";
import { periodUnit } from "../time/periods.js";

/** Source text and spans: the parser needs the full text to slice `text` for each node. */
let SOURCE = "";
/** Offsets where the source's lines start (the lexer tracks offsets only: cheaper to build). */
let LINE_STARTS: number[] = [0];

function setSource(text: string): void {
  SOURCE = text;
  LINE_STARTS = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) LINE_STARTS.push(i + 1);
}

function tokSpan(t: IToken): Span {
  const start = t.startOffset;
  let line = LINE_STARTS.length - 1;
  while (LINE_STARTS[line]! > start) line--;
  return { start, end: start + Math.max(1, t.image.length), line: line + 1, col: start - LINE_STARTS[line]! + 1 };
}

function join(a: Span, b: Span): Span {
  return { start: a.start, end: b.end, line: a.line, col: a.col };
}

function sliceText(s: Span): string {
  return SOURCE.slice(s.start, s.end).trim();
}

/** Splits a dotted name into segments, unquoting backticked segments. */
export function splitName(raw: string): { name: string; segments: string[] } {
  const segments: string[] = [];
  let i = 0;
  let cur = "";
  let quoted = false;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === "`") {
      quoted = !quoted;
    } else if (c === "." && !quoted) {
      segments.push(cur);
      cur = "";
    } else {
      cur += c;
    }
    i++;
  }
  segments.push(cur);
  return { name: segments.join("."), segments };
}

function unquoteString(image: string): string {
  const body = image.slice(1, -1);
  return body.replace(/\\([\s\S])/g, (_m, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c === "r" ? "\r" : c));
}

function regexPattern(image: string): string {
  return image.slice(1, -1).replace(/\\\//g, "/");
}

const KEYWORD_ARGS = new Set([
  "output", "outputnew", "into", "with", "for", "where", "by", "as", "timeshift", "maxspan", "previousday",
  "previousweek", "previousmonth", "in", "not", "like", "and", "or", "*", "multi", "logfmt", "csv",
]);

export class QueryParser extends EmbeddedActionsParser {
  /**
   * The grammar is LL(1). Checking it (ambiguities, left recursion) costs about a third of the
   * start-up time, so the program skips it; a test builds the parser with `validate` to check it.
   */
  constructor(validate = false) {
    super(T.ALL_TOKENS, { maxLookahead: 1, recoveryEnabled: false, skipValidations: !validate });
    this.performSelfAnalysis();
  }

  // ---------------------------------------------------------------------------------------------
  // Query and commands

  public query = this.RULE("query", (): Query => {
    const commands: Command[] = [];
    this.OPTION(() => this.CONSUME(T.Pipe));
    commands.push(this.SUBRULE(this.command));
    this.MANY(() => {
      this.CONSUME2(T.Pipe);
      commands.push(this.SUBRULE2(this.command));
    });
    return this.ACTION(() => {
      const first = commands[0]!.span;
      const last = commands[commands.length - 1]!.span;
      return { commands, source: SOURCE, span: join(first, last) };
    });
  });

  private command = this.RULE("command", (): Command => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.projectionCmd) },
      { ALT: () => this.SUBRULE(this.filterCmd) },
      { ALT: () => this.SUBRULE(this.statsCmd) },
      { ALT: () => this.SUBRULE(this.sortCmd) },
      { ALT: () => this.SUBRULE(this.limitCmd) },
      { ALT: () => this.SUBRULE(this.parseCmd) },
      { ALT: () => this.SUBRULE(this.dedupCmd) },
      { ALT: () => this.SUBRULE(this.unnestCmd) },
      { ALT: () => this.SUBRULE(this.sourceCmd) },
      { ALT: () => this.SUBRULE(this.genericCmd) },
    ]);
  });

  private projectionCmd = this.RULE("projectionCmd", (): Command => {
    const kw = this.OR([{ ALT: () => this.CONSUME(T.Fields) }, { ALT: () => this.CONSUME(T.Display) }]);
    const items = this.SUBRULE(this.projections);
    return this.ACTION(() => {
      const kind = kw.image.toLowerCase() === "fields" ? "fields" : "display";
      return { kind, keyword: kw.image, items, span: join(tokSpan(kw), items[items.length - 1]!.span) } as Command;
    });
  });

  private projections = this.RULE("projections", (): Projection[] => {
    const items: Projection[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => items.push(this.SUBRULE(this.projection)) });
    return items;
  });

  private projection = this.RULE("projection", (): Projection => {
    const expr = this.SUBRULE(this.expression);
    let alias: IToken | undefined;
    this.OPTION(() => {
      this.CONSUME(T.As);
      alias = this.SUBRULE(this.name);
    });
    return this.ACTION(() => {
      const p: Projection = { expr, span: alias ? join(expr.span, tokSpan(alias)) : expr.span };
      if (alias) {
        p.alias = splitName(alias.image).name;
        p.aliasSpan = tokSpan(alias);
      }
      return p;
    });
  });

  /** A name after `as`, `into`, or in parse: an identifier, a backticked name, or a command word. */
  private name = this.RULE("name", (): IToken => this.CONSUME(T.Word));

  private filterCmd = this.RULE("filterCmd", (): Command => {
    const kw = this.OR([
      { ALT: () => this.CONSUME(T.Filter) },
      { ALT: () => this.CONSUME(T.Where) },
      { ALT: () => this.CONSUME(T.FilterIndex) },
    ]);
    const expr = this.SUBRULE(this.expression);
    return this.ACTION(() => ({ kind: "filter", keyword: kw.image, expr, span: join(tokSpan(kw), expr.span) }));
  });

  private statsCmd = this.RULE("statsCmd", (): Command => {
    const kw = this.CONSUME(T.Stats);
    const aggs = this.SUBRULE(this.projections);
    let by: Projection[] = [];
    let offset: Expr | undefined;
    this.OPTION(() => {
      this.CONSUME(T.By);
      by = this.SUBRULE2(this.projections);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Identifier, { LABEL: "offset" });
      offset = this.SUBRULE(this.primary);
    });
    return this.ACTION(() => {
      const lastSpan = offset ? offset.span : by.length ? by[by.length - 1]!.span : aggs[aggs.length - 1]!.span;
      const cmd: Command = { kind: "stats", keyword: kw.image, aggs, by, span: join(tokSpan(kw), lastSpan) };
      if (offset) {
        if (offset.kind !== "period") throw new ParseProblem("offset needs a time period such as 30m or 1h", offset.span);
        cmd.offset = offset;
      }
      return cmd;
    });
  });

  private sortCmd = this.RULE("sortCmd", (): Command => {
    const kw = this.OR([{ ALT: () => this.CONSUME(T.Sort) }, { ALT: () => this.CONSUME(T.Order) }]);
    const keys: SortKey[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const expr = this.SUBRULE(this.expression);
        let dir: IToken | undefined;
        this.OPTION(() => {
          dir = this.OR2([{ ALT: () => this.CONSUME(T.Asc) }, { ALT: () => this.CONSUME(T.Desc) }]);
        });
        this.ACTION(() => {
          const k: SortKey = { expr, span: dir ? join(expr.span, tokSpan(dir)) : expr.span };
          if (dir) k.dir = dir.image.toLowerCase() as "asc" | "desc";
          keys.push(k);
        });
      },
    });
    return this.ACTION(() => ({ kind: "sort", keyword: kw.image, keys, span: join(tokSpan(kw), keys[keys.length - 1]!.span) }));
  });

  private limitCmd = this.RULE("limitCmd", (): Command => {
    const kw = this.OR([{ ALT: () => this.CONSUME(T.Limit) }, { ALT: () => this.CONSUME(T.Head) }, { ALT: () => this.CONSUME(T.Tail) }]);
    let any: IToken | undefined;
    this.OPTION({
      GATE: () => this.LA(1).image.toLowerCase() === "any",
      DEF: () => {
        any = this.CONSUME(T.Identifier, { LABEL: "any" });
      },
    });
    const n = this.OR2([{ ALT: () => this.CONSUME(T.NumberTok) }, { ALT: () => this.CONSUME(T.ParamTok) }]);
    return this.ACTION((): LimitCmd => {
      const cmd: LimitCmd = { kind: "limit", keyword: kw.image, count: Number(n.image), any: !!any, span: join(tokSpan(kw), tokSpan(n)) };
      if (n.tokenType === T.ParamTok) {
        cmd.count = NaN;
        cmd.countParam = { kind: "param", name: n.image.slice(2, -2).trim(), span: tokSpan(n), text: n.image };
      }
      return cmd;
    });
  });

  private parseCmd = this.RULE("parseCmd", (): Command => {
    const kw = this.CONSUME(T.Parse);
    let source: Expr | undefined;
    let pattern: IToken | undefined;
    let modeWord: IToken | undefined;
    const names: IToken[] = [];
    let multi: IToken | undefined;
    this.OPTION({
      GATE: () => tokenMatcher(this.LA(1), T.Word),
      DEF: () => {
        source = this.SUBRULE(this.postfix);
      },
    });
    this.OR([
      { ALT: () => (pattern = this.CONSUME(T.StringTok)) },
      { ALT: () => (pattern = this.CONSUME(T.RegexTok)) },
      { ALT: () => (modeWord = this.CONSUME(T.Identifier, { LABEL: "logfmt or csv" })) },
    ]);
    this.OPTION2(() => {
      this.CONSUME(T.As);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => names.push(this.SUBRULE(this.name)) });
    });
    this.OPTION3(() => {
      multi = this.CONSUME2(T.Identifier, { LABEL: "multi" });
    });
    return this.ACTION((): ParseCmd => {
      const endTok = multi ?? names[names.length - 1] ?? pattern ?? modeWord!;
      const span = join(tokSpan(kw), tokSpan(endTok));
      if (multi && multi.image.toLowerCase() !== "multi") throw new ParseProblem(`unexpected "${multi.image}" after parse: only multi may follow the names`, tokSpan(multi));
      let mode: ParseCmd["mode"];
      if (modeWord) {
        const w = modeWord.image.toLowerCase();
        if (w !== "logfmt" && w !== "csv") {
          throw new ParseProblem(`parse needs a pattern: a "glob * string", a /regex/, logfmt or csv — found "${modeWord.image}"`, tokSpan(modeWord));
        }
        mode = w;
      } else {
        mode = pattern!.tokenType === T.StringTok ? "glob" : "regex";
      }
      const cmd: ParseCmd = { kind: "parse", keyword: kw.image, mode, names: names.map((n) => splitName(n.image).name), multi: !!multi, span };
      if (source) cmd.source = source;
      if (pattern) {
        cmd.pattern = mode === "glob" ? unquoteString(pattern.image) : regexPattern(pattern.image);
        cmd.patternSpan = tokSpan(pattern);
      }
      return cmd;
    });
  });

  private dedupCmd = this.RULE("dedupCmd", (): Command => {
    const kw = this.CONSUME(T.Dedup);
    const fields: Expr[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => fields.push(this.SUBRULE(this.expression)) });
    return this.ACTION(() => ({ kind: "dedup", keyword: kw.image, fields, span: join(tokSpan(kw), fields[fields.length - 1]!.span) }));
  });

  private unnestCmd = this.RULE("unnestCmd", (): Command => {
    const kw = this.CONSUME(T.Unnest);
    const expr = this.SUBRULE(this.expression);
    const into = this.CONSUME(T.Identifier, { LABEL: "into" });
    const alias = this.SUBRULE(this.name);
    return this.ACTION(() => {
      if (into.image.toLowerCase() !== "into") throw new ParseProblem(`expected "into" after the list to unnest but found "${into.image}"`, tokSpan(into));
      return { kind: "unnest", keyword: kw.image, expr, alias: splitName(alias.image).name, span: join(tokSpan(kw), tokSpan(alias)) };
    });
  });

  private sourceCmd = this.RULE("sourceCmd", (): Command => {
    const kw = this.CONSUME(T.Source);
    const args = this.SUBRULE(this.genericArgs);
    return this.ACTION(() => ({ kind: "source", keyword: kw.image, args, span: args.length ? join(tokSpan(kw), args[args.length - 1]!.span) : tokSpan(kw) }));
  });

  private genericCmd = this.RULE("genericCmd", (): Command => {
    const kw = this.OR(T.GenericCommandTokens.map((t) => ({ ALT: () => this.CONSUME(t) })));
    const args = this.SUBRULE(this.genericArgs);
    return this.ACTION(() => ({
      kind: "generic",
      keyword: kw.image,
      name: canonicalGeneric(kw.image),
      args,
      span: args.length ? join(tokSpan(kw), args[args.length - 1]!.span) : tokSpan(kw),
    }));
  });

  /** Arguments of commands kept generically: options, keywords, expressions, commas, subqueries. */
  private genericArgs = this.RULE("genericArgs", (): GenericArg[] => {
    const args: GenericArg[] = [];
    this.MANY(() => {
      this.OR([
        {
          // name=value
          // (not right after `where`: `where x = 1 and ...` is a condition)
          GATE: () => this.LA(1).tokenType === T.Identifier && !this.LA(1).image.includes(".") && this.LA(2).tokenType === T.Equals && this.LA(0).image?.toLowerCase() !== "where",
          ALT: () => {
            const n = this.CONSUME(T.Identifier);
            this.CONSUME(T.Equals);
            const value = this.SUBRULE(this.additive);
            this.ACTION(() => args.push({ kind: "option", name: n.image, value, span: join(tokSpan(n), value.span) }));
          },
        },
        {
          GATE: () => this.LA(1).tokenType === T.LParen && isCommandStart(this.LA(2)),
          ALT: () => {
            const open = this.CONSUME(T.LParen);
            const q = this.SUBRULE(this.query);
            const close = this.CONSUME(T.RParen);
            this.ACTION(() => args.push({ kind: "query", query: q, span: join(tokSpan(open), tokSpan(close)) }));
          },
        },
        { ALT: () => { const t = this.CONSUME(T.Comma); this.ACTION(() => args.push({ kind: "comma", span: tokSpan(t) })); } },
        {
          ALT: () => {
            const t = this.OR2([
              { ALT: () => this.CONSUME(T.As) },
              { ALT: () => this.CONSUME(T.By) },
              { ALT: () => this.CONSUME(T.In) },
              { ALT: () => this.CONSUME(T.Star) },
            ]);
            this.ACTION(() => args.push({ kind: "keyword", word: t.image, span: tokSpan(t) }));
          },
        },
        {
          ALT: () => {
            const e = this.SUBRULE(this.expression);
            this.ACTION(() => {
              if (e.kind === "field" && KEYWORD_ARGS.has(e.name.toLowerCase())) args.push({ kind: "keyword", word: e.name, span: e.span });
              else args.push({ kind: "expr", expr: e, span: e.span });
            });
          },
        },
      ]);
    });
    return args;
  });

  // ---------------------------------------------------------------------------------------------
  // Expressions, lowest precedence first

  public expression = this.RULE("expression", (): Expr => this.SUBRULE(this.orExpr));

  private orExpr = this.RULE("orExpr", (): Expr => {
    let left = this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(T.Or);
      const right = this.SUBRULE2(this.andExpr);
      left = this.ACTION(() => binary("or", left, right));
    });
    return left;
  });

  private andExpr = this.RULE("andExpr", (): Expr => {
    let left = this.SUBRULE(this.notExpr);
    this.MANY(() => {
      this.CONSUME(T.And);
      const right = this.SUBRULE2(this.notExpr);
      left = this.ACTION(() => binary("and", left, right));
    });
    return left;
  });

  private notExpr = this.RULE("notExpr", (): Expr => {
    return this.OR([
      {
        ALT: () => {
          const t = this.OR2([{ ALT: () => this.CONSUME(T.Not) }, { ALT: () => this.CONSUME(T.Bang) }]);
          const operand = this.SUBRULE(this.notExpr);
          return this.ACTION((): Expr => {
            const span = join(tokSpan(t), operand.span);
            return { kind: "unary", op: "not", operand, span, text: sliceText(span) };
          });
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });

  private comparison = this.RULE("comparison", (): Expr => {
    const left = this.SUBRULE(this.additive);
    let result = left;
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            const op = this.OR2([
              { ALT: () => this.CONSUME(T.Equals) },
              { ALT: () => this.CONSUME(T.NotEquals) },
              { ALT: () => this.CONSUME(T.Less) },
              { ALT: () => this.CONSUME(T.LessEq) },
              { ALT: () => this.CONSUME(T.Greater) },
              { ALT: () => this.CONSUME(T.GreaterEq) },
            ]);
            const right = this.SUBRULE2(this.additive);
            result = this.ACTION(() => binary((op.image === "==" ? "=" : op.image) as BinaryOp, left, right));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.MatchOp);
            const right = this.SUBRULE3(this.additive);
            result = this.ACTION(() => binary("=~", left, right));
          },
        },
        {
          ALT: () => {
            let not: IToken | undefined;
            this.OPTION2(() => (not = this.CONSUME(T.Not)));
            this.OR3([
              {
                ALT: () => {
                  this.CONSUME(T.Like);
                  const right = this.SUBRULE4(this.additive);
                  result = this.ACTION(() => binary(not ? "not like" : "like", left, right));
                },
              },
              {
                ALT: () => {
                  this.CONSUME(T.In);
                  const right = this.OR4([
                    { GATE: () => isCommandStart(this.LA(2)), ALT: () => this.SUBRULE(this.subquery) },
                    { ALT: () => this.SUBRULE5(this.additive) },
                  ]);
                  result = this.ACTION(() => binary(not ? "not in" : "in", left, right));
                },
              },
            ]);
          },
        },
      ]);
    });
    return result;
  });

  private subquery = this.RULE("subquery", (): Expr => {
    const open = this.CONSUME(T.LParen);
    const q = this.SUBRULE(this.query);
    const close = this.CONSUME(T.RParen);
    return this.ACTION((): Expr => {
      const span = join(tokSpan(open), tokSpan(close));
      return { kind: "subquery", query: q, span, text: sliceText(span) };
    });
  });

  private additive = this.RULE("additive", (): Expr => {
    let left = this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      const op = this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
      const right = this.SUBRULE2(this.multiplicative);
      left = this.ACTION(() => binary(op.image as BinaryOp, left, right));
    });
    return left;
  });

  private multiplicative = this.RULE("multiplicative", (): Expr => {
    let left = this.SUBRULE(this.power);
    this.MANY({
      // `filldown cpu*`: a star that no operand follows is not multiplication
      GATE: () => this.LA(1).tokenType !== T.Star || startsOperand(this.LA(2)),
      DEF: () => {
        const op = this.OR([{ ALT: () => this.CONSUME(T.Star) }, { ALT: () => this.CONSUME(T.Slash) }, { ALT: () => this.CONSUME(T.Percent) }]);
        const right = this.SUBRULE2(this.power);
        left = this.ACTION(() => binary(op.image as BinaryOp, left, right));
      },
    });
    return left;
  });

  private power = this.RULE("power", (): Expr => {
    const base = this.SUBRULE(this.unary);
    let result = base;
    this.OPTION(() => {
      this.CONSUME(T.Caret);
      const exp = this.SUBRULE(this.power);
      result = this.ACTION(() => binary("^", base, exp));
    });
    return result;
  });

  private unary = this.RULE("unary", (): Expr => {
    return this.OR([
      {
        ALT: () => {
          const m = this.CONSUME(T.Minus);
          const operand = this.SUBRULE(this.unary);
          return this.ACTION((): Expr => {
            const span = join(tokSpan(m), operand.span);
            const text = sliceText(span);
            if (operand.kind === "number") return { kind: "number", value: -operand.value, span, text };
            if (operand.kind === "period") return { ...operand, amount: -operand.amount, span, text };
            return { kind: "unary", op: "-", operand, span, text };
          });
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]);
  });

  private postfix = this.RULE("postfix", (): Expr => {
    let e = this.SUBRULE(this.primary);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            const index = this.SUBRULE(this.expression);
            const close = this.CONSUME(T.RBracket);
            e = this.ACTION(() => indexed(e, index, tokSpan(close)));
          },
        },
        {
          ALT: () => {
            const d = this.CONSUME(T.DotName);
            e = this.ACTION(() => member(e, d));
          },
        },
      ]);
    });
    return e;
  });

  private primary = this.RULE("primary", (): Expr => {
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.NumberTok);
          return this.ACTION((): Expr => ({ kind: "number", value: Number(t.image), span: tokSpan(t), text: t.image }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.StringTok);
          return this.ACTION((): Expr => ({ kind: "string", value: unquoteString(t.image), span: tokSpan(t), text: t.image }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.RegexTok);
          return this.ACTION((): Expr => ({ kind: "regex", pattern: regexPattern(t.image), span: tokSpan(t), text: t.image }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.PeriodTok);
          return this.ACTION((): Expr => {
            const m = /^(\d+(?:\.\d+)?)([A-Za-z]+)$/.exec(t.image)!;
            return { kind: "period", amount: Number(m[1]), unit: periodUnit(m[2]!) as PeriodUnit, span: tokSpan(t), text: t.image };
          });
        },
      },
      {
        ALT: () => {
          const t = this.OR2([{ ALT: () => this.CONSUME(T.True) }, { ALT: () => this.CONSUME(T.False) }]);
          return this.ACTION((): Expr => ({ kind: "bool", value: t.image.toLowerCase() === "true", span: tokSpan(t), text: t.image }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.ParamTok);
          return this.ACTION((): Expr => ({ kind: "param", name: t.image.slice(2, -2).trim(), span: tokSpan(t), text: t.image }));
        },
      },
      { ALT: () => this.SUBRULE(this.list) },
      {
        ALT: () => {
          const open = this.CONSUME(T.LParen);
          const inner = this.SUBRULE(this.expression);
          const close = this.CONSUME(T.RParen);
          // Parentheses keep the inner node, with the span and text widened to include them.
          return this.ACTION((): Expr => {
            const span = join(tokSpan(open), tokSpan(close));
            return { ...inner, span, text: sliceText(span) } as Expr;
          });
        },
      },
      { ALT: () => this.SUBRULE(this.fieldOrCall) },
    ]);
  });

  private list = this.RULE("list", (): Expr => {
    const open = this.CONSUME(T.LBracket);
    const items: Expr[] = [];
    this.MANY_SEP({ SEP: T.Comma, DEF: () => items.push(this.SUBRULE(this.expression)) });
    const close = this.CONSUME(T.RBracket);
    return this.ACTION((): Expr => {
      const span = join(tokSpan(open), tokSpan(close));
      return { kind: "list", items, span, text: sliceText(span) };
    });
  });

  private fieldOrCall = this.RULE("fieldOrCall", (): Expr => {
    const t = this.CONSUME(T.Word);
    let call: { args: Expr[]; star: boolean; close: IToken; argNames: (string | undefined)[] } | undefined;
    // `where a.x=b.x (SOURCE ...)`: a parenthesised query after a name is not a call
    this.OPTION({ GATE: () => !isCommandStart(this.LA(2)), DEF: () => {
      this.CONSUME(T.LParen);
      const args: Expr[] = [];
      const argNames: (string | undefined)[] = [];
      let star = false;
      this.OPTION2(() => {
        this.OR([
          { ALT: () => { this.CONSUME(T.Star); star = true; } },
          {
            ALT: () => {
              this.AT_LEAST_ONE_SEP({
                SEP: T.Comma,
                DEF: () => {
                  // `logGroups(accountIdentifiers: [...])`: a named argument
                  let argName: IToken | undefined;
                  this.OPTION3({
                    GATE: () => this.LA(2).tokenType === T.Colon,
                    DEF: () => {
                      argName = this.CONSUME2(T.Word);
                      this.CONSUME(T.Colon);
                    },
                  });
                  args.push(this.SUBRULE(this.expression));
                  argNames.push(argName?.image);
                },
              });
            },
          },
        ]);
      });
      const close = this.CONSUME(T.RParen);
      call = { args, star, close, argNames };
    } });
    return this.ACTION((): Expr => {
      if (call) {
        const span = join(tokSpan(t), tokSpan(call.close));
        const c: Expr = { kind: "call", name: t.image, nameSpan: tokSpan(t), args: call.args, star: call.star, span, text: sliceText(span) };
        if (call.argNames.some((n) => n !== undefined)) c.argNames = call.argNames;
        return c;
      }
      return fieldRef(t);
    });
  });
}

function canonicalGeneric(image: string): string {
  const lower = image.toLowerCase();
  return T.GENERIC_COMMANDS.find((c) => c.toLowerCase() === lower) ?? lower;
}

function fieldRef(t: IToken): FieldRef {
  const { name, segments } = splitName(t.image);
  return { kind: "field", name, segments, span: tokSpan(t), text: t.image };
}

function binary(op: BinaryOp, left: Expr, right: Expr): Expr {
  const span = join(left.span, right.span);
  return { kind: "binary", op, left, right, span, text: sliceText(span) };
}

/** `x[0]` on a plain field becomes the field path `x.0`; otherwise an index node. */
function indexed(target: Expr, index: Expr, close: Span): Expr {
  const span = join(target.span, close);
  const text = sliceText(span);
  if (target.kind === "field" && (index.kind === "number" || index.kind === "string")) {
    const seg = String(index.value);
    return { kind: "field", name: `${target.name}.${seg}`, segments: [...target.segments, seg], span, text };
  }
  return { kind: "index", target, index, span, text };
}

/** `.key` after a field extends its path; after anything else it is member access. */
function member(target: Expr, dot: IToken): Expr {
  const span = join(target.span, tokSpan(dot));
  const text = sliceText(span);
  const key = splitName(dot.image.slice(1)).segments[0]!;
  if (target.kind === "field") return { kind: "field", name: `${target.name}.${key}`, segments: [...target.segments, key], span, text };
  return { kind: "member", target, key, span, text };
}

const COMMAND_START = new Set<TokenType>([...Object.values(T.COMMAND_WORDS)]);

function isCommandStart(t: IToken): boolean {
  return COMMAND_START.has(t.tokenType);
}

const OPERAND_START = new Set<TokenType>([T.NumberTok, T.StringTok, T.RegexTok, T.PeriodTok, T.True, T.False, T.LBracket, T.LParen, T.Identifier, T.Backticked, T.Minus, T.ParamTok, ...Object.values(T.COMMAND_WORDS)]);

function startsOperand(t: IToken): boolean {
  return OPERAND_START.has(t.tokenType);
}

/** A problem found while building the AST (not a chevrotain error): becomes a QueryError. */
export class ParseProblem extends Error {
  constructor(message: string, readonly span: Span, readonly hint?: string) {
    super(message);
  }
}

export const parserInstance = new QueryParser();

export { setSource };

