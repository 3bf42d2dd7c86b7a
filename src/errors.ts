// User-facing errors. Anything thrown as a UserError is printed as a message (never a stack trace)
// and ends the program with its exit code; everything else is a bug.
import type { Span } from "./lang/ast.js";

/** Exit codes, documented in docs/cli.md. */
export const ExitCode = {
  ok: 0,
  /** --strict and some inputs were skipped, or a runtime data problem the user asked to fail on. */
  skipped: 1,
  /** The query does not parse or does not check, or its result is past a limit (chart buckets, fillmissing). */
  query: 2,
  /**
   * A path is wrong (the same code as query, as jq and ripgrep use 2): an input that does not exist,
   * an output that cannot be written (a bad path, a read-only or special folder, a full disk).
   */
  path: 2,
  /** Bad command-line usage: unknown option, bad value, missing file. */
  usage: 3,
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

/**
 * Edit distance where swapping two neighbouring characters is one edit (`eventNmae` → `eventName`):
 * the optimal string alignment form of the Damerau-Levenshtein distance.
 */
export function damerauLevenshtein(a: string, b: string): number {
  const n = b.length;
  let before = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(n + 1);
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      cur[j] = d;
    }
    before = prev;
    prev = cur;
  }
  return prev[n]!;
}

/**
 * Edits allowed between a name and the one meant (compared lower-case, so a change of case is free),
 * by the length of the name's last dotted part: none for short names (`arn`, `id`: any edit makes
 * another word), one up to 9 characters (`request` is not `requestID`, `eventType` not `eventTime`),
 * two beyond.
 */
function editsAllowed(name: string): number {
  const last = name.length - name.lastIndexOf(".") - 1;
  return last <= 3 ? 0 : last <= 9 ? 1 : 2;
}

/**
 * The candidate `name` most likely stands for, if one differs from it only by case or a small edit
 * (Damerau-Levenshtein, see editsAllowed): the closest without case, then with case, then the most
 * common (`weight`).
 */
export function likelyName(name: string, candidates: Iterable<string>, weight: (c: string) => number = () => 0): string | undefined {
  const lower = name.toLowerCase();
  const allowed = editsAllowed(name);
  let best: string | undefined;
  let score = [Infinity, Infinity, 0];
  for (const c of candidates) {
    if (c === name || Math.abs(c.length - name.length) > allowed) continue;
    const d = damerauLevenshtein(lower, c.toLowerCase());
    if (d > allowed) continue;
    const s = [d, damerauLevenshtein(name, c), weight(c)];
    if (s[0]! < score[0]! || (s[0] === score[0] && (s[1]! < score[1]! || (s[1] === score[1] && s[2]! > score[2]!)))) {
      best = c;
      score = s;
    }
  }
  return best;
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
