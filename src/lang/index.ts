// parseQuery: text → AST, or a QueryError in user words (line:col, caret, what was expected, a
// did-you-mean for misspelt commands).
import type { IRecognitionException, IToken } from "chevrotain";
import type { Query, Span } from "./ast.js";
import { QueryError, closest, codePointText, foldLookalikes, quoteText, spanAt } from "../errors.js";
import { QueryLexer, GENERIC_COMMANDS, StringTok } from "./lexer.js";
import { parserInstance, setSource, ParseProblem } from "./parser.js";
import { describe, endParse } from "./nodes.js";

/** Every command word, canonical spelling (did-you-mean, completion). */
export const COMMAND_NAMES: readonly string[] = [
  "fields", "display", "filter", "where", "filterIndex", "stats", "sort", "order", "limit", "head", "tail",
  "parse", "dedup", "unnest", "SOURCE", ...GENERIC_COMMANDS,
];

const MAIN_COMMANDS = "fields, filter, stats, sort, limit, parse, dedup, display, ...";

function tokenSpan(text: string, t: IToken): Span {
  if (t.tokenType.name === "EOF" || Number.isNaN(t.startOffset)) {
    const end = text.trimEnd().length;
    return spanAt(text, Math.max(0, end), Math.max(0, end) + 1);
  }
  return spanAt(text, t.startOffset, t.startOffset + Math.max(1, t.image.length));
}

function lexError(text: string, offset: number): QueryError {
  const c = text[offset]!;
  if (c === '"' || c === "'") return new QueryError("unterminated string: add the closing " + c, spanAt(text, offset, text.length));
  if (c === "`") return new QueryError("unterminated `quoted name`: add the closing `", spanAt(text, offset, text.length));
  if (c === "/") return new QueryError("unterminated regex: add the closing /", spanAt(text, offset, text.length));
  const ch = String.fromCodePoint(text.codePointAt(offset)!);
  return new QueryError(`unexpected character ${quoteText(ch)}`, spanAt(text, offset, offset + ch.length), pastedHint(ch) ?? wordHint(text, offset));
}

const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u;

/** For a letter outside ASCII in a word (`josé`): how such a word is written, as text or as a field's name. */
function wordHint(text: string, offset: number): string | undefined {
  if (!WORD_CHAR.test(String.fromCodePoint(text.codePointAt(offset)!))) return undefined;
  let start = offset;
  while (start > 0 && WORD_CHAR.test(text[start - 1]!)) start--;
  let end = offset;
  while (end < text.length && WORD_CHAR.test(text[end]!)) end++;
  const word = text.slice(start, end);
  return `a name is of ASCII letters, digits, _ and @: write ${JSON.stringify(word)} for text (a value, a search term) or \`${word}\` for a field's name`;
}

/**
 * What a character that text pasted from a document or a chat brings stands for: curly quotes,
 * dashes and a minus sign, full-width forms, ligatures (NFKC), letters of other scripts that look
 * Latin. Undefined for any other.
 */
function pastedHint(ch: string): string | undefined {
  const code = codePointText(ch);
  if (/[\u201c\u201d\u201e\u201f]/.test(ch)) return `${code} is a curly quote, as a document or chat writes it: type " (or ')`;
  if (/[\u2018\u2019\u201a\u201b]/.test(ch)) return `${code} is a curly quote, as a document or chat writes it: type ' (or ")`;
  const plain = foldLookalikes(ch);
  if (plain !== ch && /^[\x21-\x7e]+$/.test(plain)) return `${code} looks like ${plain} but is another character (pasted text?): type ${plain}`;
  if (ch === "\\") return "a query goes on over lines as it is: no \\ is needed at a line's end";
  return undefined;
}

function commandError(text: string, t: IToken, prev: IToken | undefined): QueryError {
  const span = tokenSpan(text, t);
  if (t.tokenType.name === "EOF") {
    if (prev?.image === "|") return new QueryError('expected a command after "|" but the query ends', tokenSpan(text, prev), 'remove the trailing "|"');
    return new QueryError("the query is empty", span, `write a command such as: stats count(*) by eventSource`);
  }
  if (t.image.toLowerCase() === "count") {
    return new QueryError(`${describe(t)} is not a command: count() is an aggregate function`, span, `use it inside stats: stats count(*)`);
  }
  const guess = closest(t.image, COMMAND_NAMES);
  return new QueryError(
    `expected a command (${MAIN_COMMANDS}) but found ${describe(t)}`,
    span,
    guess ? `did you mean \`${guess}\`?` : undefined,
  );
}

function parserError(text: string, e: IRecognitionException): QueryError {
  const t = e.token;
  // A `/` where a value is expected is a regex that never closes.
  if (t.image === "/" && e.name !== "NotAllInputParsedException") return new QueryError("unterminated regex: add the closing /", spanAt(text, t.startOffset, text.length));
  const prev = (e as { previousToken?: IToken }).previousToken;
  const rules = e.context.ruleStack;
  const rule = rules[rules.length - 1];
  if (rule === "command" || (e.name === "NoViableAltException" && rule === "query")) return commandError(text, t, prev);
  if (e.name === "NotAllInputParsedException") {
    if (t.image === ")") return new QueryError('unexpected ")": no "(" is open', tokenSpan(text, t));
    return new QueryError(`unexpected ${describe(t)}: expected "|" before the next command, or an operator`, tokenSpan(text, t));
  }
  if (e.name === "MismatchedTokenException") {
    const m = /Expecting (?:token of type )?--> (.*?) <--/.exec(e.message) ?? /Expecting: (.*?)\n/.exec(e.message);
    const what = m ? m[1] : "something else";
    return new QueryError(`expected ${what} but found ${describe(t)}`, tokenSpan(text, t));
  }
  if (rule === "limitCmd") return new QueryError(`expected a number of rows after ${prev ? describe(prev) : '"limit"'} but found ${describe(t)}`, tokenSpan(text, t));
  if (rule === "parseCmd") return new QueryError(`parse needs a pattern: a "glob * string", a /regex/, logfmt or csv — found ${describe(t)}`, tokenSpan(text, t));
  const after = prev && prev.tokenType.name !== "EOF" ? ` after ${describe(prev)}` : "";
  return new QueryError(`expected an expression${after} but found ${describe(t)}`, tokenSpan(text, t));
}

export function parseQuery(text: string): Query {
  const lexed = QueryLexer.tokenize(text);
  if (lexed.errors.length > 0) throw lexError(text, lexed.errors[0]!.offset);
  if (lexed.tokens.length === 0) throw new QueryError("the query is empty", spanAt(text, 0), "write a command such as: stats count(*) by eventSource");
  for (let i = 0; i + 1 < lexed.tokens.length; i++) {
    const r = lexed.tokens[i]!;
    const f = lexed.tokens[i + 1]!;
    if (r.tokenType.name === "Regex" && f.startOffset === r.startOffset + r.image.length && /^[gimsuy]+$/.test(f.image)) {
      throw new QueryError("flags after a regex's closing / are not supported", spanAt(text, f.startOffset, f.startOffset + f.image.length), `write them at the start of the pattern: /(?${f.image.replace(/[^ims]/g, "") || "i"})${r.image.slice(1, -1)}/`);
    }
  }
  setSource(text);
  parserInstance.clearReaders();
  parserInstance.input = lexed.tokens;
  let q: Query;
  try {
    q = parserInstance.query();
  } catch (e) {
    if (e instanceof ParseProblem) throw new QueryError(e.message, e.span, e.hint);
    throw e;
  } finally {
    endParse();
  }
  if (parserInstance.errors.length > 0) throw parserError(text, parserInstance.errors[0]!);
  const notes = pastedQuotes(lexed.tokens);
  if (notes.length > 0) q.notes = notes;
  return q;
}

const CURLY_QUOTES = /[\u2018\u2019\u201c\u201d]/g;

/**
 * A string holding curly quotes, as a query copied from a document or a chat brings them: one typed
 * straight among curly ones (`["ConsoleLogin”, “GetObject"]`) makes one string of what was meant as
 * two, and the query runs and finds nothing, without a word. The language's quotes are " and '.
 */
function pastedQuotes(tokens: readonly IToken[]): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    if (t.tokenType !== StringTok) continue;
    const curly = [...new Set(t.image.match(CURLY_QUOTES) ?? [])];
    if (curly.length === 0) continue;
    const names = curly.map((c) => `${c} ${codePointText(c)}`).join(", ");
    out.push(`the string ${quoteText(t.image.slice(1, -1))} holds curly quotes (${names}), as text pasted from a document does: the language's quotes are " and ', so all of it is one string; retype the quotes if it was meant as several`);
  }
  return out;
}

export type { Query } from "./ast.js";
