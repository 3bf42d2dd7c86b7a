// The parser (chevrotain EmbeddedActionsParser): tokens → the typed AST of ast.ts directly, with
// spans. Embedded actions rather than CST + visitor: the AST is small and building it in the rules
// keeps each construct in one place. AST construction sits inside ACTION() so chevrotain's grammar
// recording phase never runs it.
import type { IOrAlt, IToken } from "chevrotain";
import { EmbeddedActionsParser, tokenMatcher } from "./chevrotain.js";
import type { Command, Expr, GenericArg, LimitCmd, ParseCmd, Projection, Query, SortKey } from "./ast.js";
import * as T from "./lexer.js";
import { PREC, ParseProblem, endQuery, enterQuery, join, leaveQuery, setSource, source, startQuery, tokSpan } from "./nodes.js";
import { ExprReader, FIRST_TOKENS, LATER_TOKENS, Step, isCommandStart, regexPattern, splitName, unquoteString } from "./expression.js";

export { splitName };

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
    let outer = 0;
    this.ACTION(() => {
      enterQuery(this.LA(0));
      outer = startQuery();
    });
    this.OPTION(() => this.CONSUME(T.Pipe));
    commands.push(this.SUBRULE(this.command));
    this.MANY(() => {
      this.CONSUME2(T.Pipe);
      commands.push(this.SUBRULE2(this.command));
    });
    return this.ACTION(() => {
      leaveQuery();
      this.lastQueryHeight = endQuery(outer);
      const first = commands[0]!.span;
      const last = commands[commands.length - 1]!.span;
      return { commands, source: source(), span: join(first, last) };
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
      offset = this.SUBRULE2(this.expression, { ARGS: [Infinity, false] });
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
        source = this.SUBRULE(this.expression, { ARGS: [Infinity, false] });
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
            const value = this.SUBRULE(this.expression, { ARGS: [PREC.add] });
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
            const e = this.SUBRULE2(this.expression);
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
  // Expressions. One rule reads an expression's tokens in a loop and hands each to an ExprReader
  // (expression.ts), which keeps the open brackets on a stack of its own and builds the tree by
  // precedence (or < and < not < comparisons < + - < * / % < ^ < unary minus; grammar/README.md):
  // nesting costs no recursion, so any depth parses within the stack (nodes.ts: the limits). The
  // grammar chevrotain sees is the loop: the first token (so callers know what starts an
  // expression), then any expression token the reader takes; only a subquery is a rule of its own.

  /**
   * An expression with operators binding at least as tightly as `min` (PREC; 0: any); `prefixes`:
   * whether it may start with `not` or `-` (a stats offset and parse's field may not).
   */
  public expression = this.RULE("expression", (min = 0, prefixes = true): Expr => {
    let r!: ExprReader;
    this.ACTION(() => {
      // one reader for each expression open (a subquery's inside another's), kept for the next
      r = this.readers[this.open] ??= new ExprReader();
      this.open++;
      r.begin(min, prefixes);
    });
    // (no GATEs in these ORs: chevrotain then picks an alternative by a lookup of the token)
    this.ACTION(() => this.reader.start(this.LA(1), this.LA(2), this.LA(0)));
    this.OR(
      (this.firstAlts ??= FIRST_TOKENS.map((t) => ({
        ALT: () => {
          const tok = this.CONSUME(t);
          this.ACTION(() => this.reader.take(tok, this.LA(1)));
        },
      }))),
    );
    this.MANY({
      GATE: () => this.reader.decide(this.LA(1), this.LA(2)) !== Step.End,
      DEF: () => {
        this.OR2(
          (this.laterAlts ??= [
            {
              // `(`: a bracket, a call's arguments, or a subquery after in / not in
              ALT: () => {
                const open = this.CONSUME2(T.LParen);
                let sub = false;
                this.ACTION(() => {
                  sub = this.reader.decide(open, this.LA(1)) === Step.Subquery;
                  if (!sub) this.reader.take(open, this.LA(1));
                });
                this.OPTION({
                  GATE: () => sub,
                  DEF: () => {
                    const q = this.SUBRULE(this.query);
                    const close = this.CONSUME3(T.RParen);
                    this.ACTION(() => this.reader.subquery(open, q, close, this.lastQueryHeight));
                  },
                });
              },
            },
            ...LATER_TOKENS.filter((t) => t !== T.LParen).map((t) => ({
              ALT: () => {
                const tok = this.CONSUME2(t);
                this.ACTION(() => this.reader.take(tok, this.LA(1)));
              },
            })),
          ]),
        );
      },
    });
    return this.ACTION(() => {
      this.open--;
      return r.end(this.LA(1), this.LA(0));
    });
  });

  /** The readers of the expressions being read (a subquery's inside another's): `open` of them. */
  private readonly readers: ExprReader[] = [];
  private open = 0;
  private get reader(): ExprReader {
    return this.readers[this.open - 1]!;
  }
  private firstAlts: IOrAlt<void>[] | undefined;
  private laterAlts: IOrAlt<void>[] | undefined;

  /** The height of the last query read (a subquery's node is one higher). */
  private lastQueryHeight = 0;

  /** Before a parse: no expression is open (an error may have left some). */
  clearReaders(): void {
    this.open = 0;
  }
}

function canonicalGeneric(image: string): string {
  const lower = image.toLowerCase();
  return T.GENERIC_COMMANDS.find((c) => c.toLowerCase() === lower) ?? lower;
}

export const parserInstance = new QueryParser();

export { setSource, ParseProblem };

