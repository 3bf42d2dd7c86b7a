// User-facing errors. Anything thrown as a UserError is printed as a message (never a stack trace)
// and ends the program with its exit code; everything else is a bug.
import type { Span } from "./lang/ast.js";

/** Exit codes, documented in docs/cli.md. */
export const ExitCode = {
  ok: 0,
  /** --strict and some inputs were skipped, or a runtime data problem the user asked to fail on. */
  skipped: 1,
  /** The query does not parse or does not check. */
  query: 2,
  /** Bad command-line usage: unknown option, bad value, missing file. */
  usage: 3,
  /** The query needs more memory than its budget (--memory), or spilling past it failed. */
  memory: 4,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;

export class UserError extends Error {
  constructor(message: string, readonly exitCode: number = ExitCode.usage) {
    super(message);
    this.name = "UserError";
  }
}

/** An error located in the query text: a syntax error, an unknown function, a wrong argument... */
export class QueryError extends UserError {
  constructor(
    message: string,
    readonly span: Span,
    /** a hint such as "did you mean `stats`?" */
    readonly hint?: string,
  ) {
    super(message, ExitCode.query);
    this.name = "QueryError";
  }

  /** `line:col: message`, the query line, a caret under the span, and the hint. */
  format(query: string): string {
    const lines = query.split("\n");
    const lineText = lines[this.span.line - 1] ?? "";
    const width = Math.max(1, Math.min(this.span.end - this.span.start, lineText.length - (this.span.col - 1)));
    const gutter = `${this.span.line} | `;
    const out = [
      `error: ${this.span.line}:${this.span.col}: ${this.message}`,
      `${gutter}${lineText}`,
      `${" ".repeat(gutter.length + this.span.col - 1)}${"^".repeat(width)}`,
    ];
    if (this.hint) out.push(`hint: ${this.hint}`);
    return out.join("\n");
  }
}

/** The span of the whole text from `start` to `end` offsets, computing line and column. */
export function spanAt(text: string, start: number, end: number = start + 1): Span {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < start && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { start, end, line, col: start - lineStart + 1 };
}

/** Edit distance, for did-you-mean hints. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate to `word` (case-insensitive), if it is close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  const allowed = w.length <= 3 ? 1 : w.length <= 6 ? 2 : 3;
  return bestScore <= allowed ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const c = closest(word, candidates);
  return c ? `did you mean \`${c}\`?` : undefined;
}
