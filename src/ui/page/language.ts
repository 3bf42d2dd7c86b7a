// The Logs Insights mode of the editor: a stream tokenizer (commands after a pipe, functions before
// a bracket, strings, regexes where a value goes, fields, numbers and periods, {{parameters}},
// comments) and the class each token gets (styled in app.css).
import { StreamLanguage, syntaxHighlighting, type StreamParser } from "@codemirror/language";
import { tagHighlighter, tags as t } from "@lezer/highlight";
import type { Extension } from "@codemirror/state";

interface State {
  /** The next word is a command (the query's start, or after |). */
  atCommand: boolean;
  /** A / here starts a regex (after an operator, a bracket, a comma, a keyword), not a division. */
  regexOk: boolean;
}

const KEYWORDS = new Set(["by", "as", "and", "or", "not", "like", "in", "asc", "desc", "ilike", "true", "false", "null"]);

function quoted(stream: { next(): string | void; eol(): boolean }, close: string): void {
  stream.next();
  let esc = false;
  while (!stream.eol()) {
    const c = stream.next();
    if (esc) esc = false;
    else if (c === "\\") esc = true;
    else if (c === close) return;
  }
}

export function logsInsights(commands: string[]): Extension {
  const names = new Set(commands.map((c) => c.toLowerCase()));
  const parser: StreamParser<State> = {
    name: "logs-insights",
    startState: () => ({ atCommand: true, regexOk: true }),
    token(stream, st) {
      if (stream.eatSpace()) return null;
      const ch = stream.peek()!;
      if (ch === "#") {
        stream.skipToEnd();
        return "comment";
      }
      if (ch === '"' || ch === "'") {
        quoted(stream, ch);
        st.regexOk = false;
        st.atCommand = false;
        return "string";
      }
      if (ch === "`") {
        quoted(stream, "`");
        st.regexOk = false;
        return "field";
      }
      if (ch === "/" && st.regexOk) {
        quoted(stream, "/");
        st.regexOk = false;
        return "regex";
      }
      if (ch === "|") {
        stream.next();
        st.atCommand = true;
        st.regexOk = true;
        return "pipe";
      }
      if (stream.match(/^\{\{[^}]*\}\}/)) {
        st.regexOk = false;
        return "param";
      }
      if (stream.match(/^\d+(\.\d+)?([a-zA-Z]+\b)?/)) {
        st.regexOk = false;
        st.atCommand = false;
        return "number";
      }
      const word = stream.match(/^[A-Za-z_@][\w@.]*/) as RegExpMatchArray | null;
      if (word) {
        const w = word[0];
        if (st.atCommand && names.has(w.toLowerCase())) {
          st.atCommand = false;
          st.regexOk = true;
          return "command";
        }
        st.atCommand = false;
        if (stream.match(/^\s*\(/, false)) {
          st.regexOk = true;
          return "function";
        }
        if (KEYWORDS.has(w.toLowerCase())) {
          st.regexOk = true;
          return "keyword";
        }
        st.regexOk = false;
        return "field";
      }
      const c = stream.next();
      st.regexOk = c !== ")" && c !== "]";
      return "operator";
    },
    languageData: { commentTokens: { line: "#" } },
    tokenTable: {
      command: t.keyword,
      keyword: t.operatorKeyword,
      function: t.function(t.variableName),
      field: t.propertyName,
      regex: t.regexp,
      param: t.special(t.variableName),
      pipe: t.separator,
    },
  };
  return [
    StreamLanguage.define(parser),
    syntaxHighlighting(
      tagHighlighter([
        { tag: t.keyword, class: "tq-command" },
        { tag: t.operatorKeyword, class: "tq-keyword" },
        { tag: t.function(t.variableName), class: "tq-function" },
        { tag: t.propertyName, class: "tq-field" },
        { tag: t.string, class: "tq-string" },
        { tag: t.regexp, class: "tq-regex" },
        { tag: t.number, class: "tq-number" },
        { tag: t.comment, class: "tq-comment" },
        { tag: t.special(t.variableName), class: "tq-param" },
        { tag: t.separator, class: "tq-pipe" },
        { tag: t.operator, class: "tq-operator" },
      ]),
    ),
  ];
}
