// The tokens of the Logs Insights language (chevrotain Lexer). Command words are tokens in the
// category `Word`, so they stay usable as field names (`fields source, status`); operator keywords
// are not. A `/` starts a regex only where an operand is expected, otherwise it divides.
import type { IToken, TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.js";
import { unitSpellings } from "../time/periods.js";
import { LINE_BREAK_CHARS } from "../errors.js";

/** JavaScript's white space, and NEL (U+0085), which ends a line (errors.ts: LINE_BREAK_CHARS) but is not \s. */
export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[\s\u0085]+/, group: Lexer.SKIPPED, line_breaks: true });
/** `#` to the end of its line, whatever ends it (errors.ts: LINE_BREAK_CHARS). */
export const Comment = createToken({ name: "Comment", pattern: new RegExp(`#[^${LINE_BREAK_CHARS}]*`), group: Lexer.SKIPPED });

/** Identifiers and command words: everything that can name a field. */
export const Word = createToken({ name: "Word", pattern: Lexer.NA });

/** A field name or function name: letters, digits, `_`, `@`, dotted segments (which may be backticked). */
export const Identifier = createToken({
  name: "Identifier",
  pattern: /@`[^`\n]*`(?:\.(?:[A-Za-z0-9_@]+|`[^`\n]*`))*|[A-Za-z_@][A-Za-z0-9_@]*(?:\.(?:[A-Za-z0-9_@]+|`[^`\n]*`))*/,
  categories: [Word],
});
/** `` `any name` `` possibly followed by dotted segments. */
export const Backticked = createToken({
  name: "Backticked",
  pattern: /`[^`\n]*`(?:\.(?:[A-Za-z0-9_@]+|`[^`\n]*`))*/,
  categories: [Word],
  label: "a `quoted name`",
});

function keyword(name: string, word: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, pattern: new RegExp(word, "i"), longer_alt: Identifier, categories, label: `"${word}"` });
}

// Command words (also field names where an expression is expected).
export const COMMAND_WORDS: Record<string, TokenType> = {};
const cmd = (word: string): TokenType => {
  const t = keyword("Cmd_" + word, word, [Word]);
  COMMAND_WORDS[word.toLowerCase()] = t;
  return t;
};
export const Fields = cmd("fields");
export const Display = cmd("display");
export const FilterIndex = cmd("filterIndex");
export const Filter = cmd("filter");
export const Where = cmd("where");
export const Stats = cmd("stats");
export const Sort = cmd("sort");
export const Order = cmd("order");
export const Limit = cmd("limit");
export const Head = cmd("head");
export const Tail = cmd("tail");
export const Parse = cmd("parse");
export const Dedup = cmd("dedup");
export const Unnest = cmd("unnest");
export const Source = cmd("SOURCE");
/** Commands whose arguments are kept generically (their operators give them meaning). */
export const GENERIC_COMMANDS = [
  "lookup", "cidrlookup", "join", "appendcols", "pattern", "anomaly", "diff", "logcompare",
  "relevantfields", "unmask", "addtotals", "accum", "autoregress", "filldown", "fillmissing",
  "outlier", "sessionize", "countFrequent", "count_frequent", "estimate", "expand", "json", "search",
] as const;
// Longer words first so `countFrequent` is not read as a shorter keyword.
export const GenericCommandTokens = [...GENERIC_COMMANDS].sort((a, b) => b.length - a.length).map(cmd);

// Operator keywords.
export const And = keyword("And", "and");
export const Or = keyword("Or", "or");
export const Not = keyword("Not", "not");
export const In = keyword("In", "in");
export const Like = keyword("Like", "like");
export const As = keyword("As", "as");
export const By = keyword("By", "by");
export const Asc = keyword("Asc", "asc");
export const Desc = keyword("Desc", "desc");
export const True = keyword("True", "true");
export const False = keyword("False", "false");

const UNITS = unitSpellings().join("|");
const PERIOD = new RegExp(`(?:\\d+(?:\\.\\d+)?)(?:${UNITS})(?![A-Za-z0-9_@.])`, "iy");
export const PeriodTok = createToken({
  name: "Period",
  pattern: { exec: (text: string, offset: number) => { PERIOD.lastIndex = offset; return PERIOD.exec(text); } },
  line_breaks: false,
  start_chars_hint: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  label: "a time period",
});
export const NumberTok = createToken({ name: "Number", pattern: /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?/, label: "a number" });
export const StringTok = createToken({ name: "String", pattern: /"(?:[^"\\]|\\[\s\S])*"|'(?:[^'\\]|\\[\s\S])*'/, line_breaks: true, label: "a string" });

/** Token types after which a value has just ended, so `/` divides. */
const OPERAND_END = new Set<string>(["Identifier", "Backticked", "Number", "String", "Period", "RParen", "RBracket", "DotName", "True", "False", "Regex", "Param"]);
/** A regex literal from its `/` to its closing one, found where lastIndex is (the prompt's needsMore uses it too). */
export const REGEX = /\/(?:[^/\\]|\\[\s\S])*\//y;
export const RegexTok = createToken({
  name: "Regex",
  pattern: {
    exec: (text: string, offset: number, tokens: IToken[]) => {
      const prev = tokens[tokens.length - 1];
      if (prev) {
        const name = prev.tokenType.name;
        const isWord = name === "Identifier" || name === "Backticked" || name.startsWith("Cmd_");
        // `parse /re/` and `parse field /re/`: a regex right after the command word or its field.
        const afterParse =
          prev.image.toLowerCase() === "parse" ||
          (isWord && tokens[tokens.length - 2]?.image.toLowerCase() === "parse");
        // `search /re/`: a regex right after `search` where a command starts.
        const before = tokens[tokens.length - 2]?.tokenType.name;
        const afterSearch = name === "Cmd_search" && (before === undefined || before === "Pipe" || before === "LParen");
        if (!afterParse && !afterSearch && (OPERAND_END.has(name) || name.startsWith("Cmd_"))) return null;
      }
      REGEX.lastIndex = offset;
      return REGEX.exec(text);
    },
  },
  // a regex may span lines (an AWS sample query does)
  line_breaks: true,
  start_chars_hint: ["/"],
  label: "a regex",
});

export const ParamTok = createToken({ name: "Param", pattern: /\{\{\s*@?[A-Za-z_][A-Za-z0-9_]*\s*\}\}/, label: "a {{parameter}}" });
export const DotName = createToken({ name: "DotName", pattern: /\.(?:[A-Za-z_@][A-Za-z0-9_@]*|`[^`\n]*`)/, label: "a .name" });
export const Pipe = createToken({ name: "Pipe", pattern: /\|/, label: '"|"' });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: '","' });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: '":"' });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: '"("' });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: '")"' });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: '"["' });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/, label: '"]"' });
export const NotEquals = createToken({ name: "NotEquals", pattern: /!=/, label: '"!="' });
export const Bang = createToken({ name: "Bang", pattern: /!/, label: '"!"' });
export const MatchOp = createToken({ name: "MatchOp", pattern: /=~/, label: '"=~"' });
export const LessEq = createToken({ name: "LessEq", pattern: /<=/, label: '"<="' });
export const GreaterEq = createToken({ name: "GreaterEq", pattern: />=/, label: '">="' });
export const Equals = createToken({ name: "Equals", pattern: /==?/, label: '"="' });
export const Less = createToken({ name: "Less", pattern: /</, label: '"<"' });
export const Greater = createToken({ name: "Greater", pattern: />/, label: '">"' });
export const Plus = createToken({ name: "Plus", pattern: /\+/, label: '"+"' });
export const Minus = createToken({ name: "Minus", pattern: /-/, label: '"-"' });
export const Star = createToken({ name: "Star", pattern: /\*/, label: '"*"' });
export const Slash = createToken({ name: "Slash", pattern: /\//, label: '"/"' });
export const Percent = createToken({ name: "Percent", pattern: /%/, label: '"%"' });
export const Caret = createToken({ name: "Caret", pattern: /\^/, label: '"^"' });

export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  Comment,
  Word,
  RegexTok,
  PeriodTok,
  NumberTok,
  StringTok,
  ...Object.values(COMMAND_WORDS),
  // `asc` before `as`: a keyword's longer_alt only falls back to Identifier
  And, Or, Not, In, Like, Asc, As, By, Desc, True, False,
  Identifier,
  Backticked,
  ParamTok,
  DotName,
  Pipe, Comma, Colon, LParen, RParen, LBracket, RBracket,
  NotEquals, Bang, MatchOp, LessEq, GreaterEq, Equals, Less, Greater,
  Plus, Minus, Star, Slash, Percent, Caret,
];

/** The lexer; `validate` runs chevrotain's checks of the token patterns (a test does; the program skips them). */
export function makeLexer(validate = false): InstanceType<typeof Lexer> {
  return new Lexer(ALL_TOKENS, { ensureOptimizations: true, positionTracking: "onlyOffset", skipValidations: !validate });
}

export const QueryLexer = makeLexer();
