// User-facing errors. Anything thrown as a UserError is printed as a message (never a stack trace)
// and ends the program with its exit code; everything else is a bug.
import type { Span } from "./lang/ast.js";
import { displayWidth } from "./output/width.js";
import { UNSAFE_CHARS } from "./output/safe.js";

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
  /** Bad command-line usage: unknown option, bad value, a query file (--query-file) that cannot be read. */
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

  /** The text the span is in, when it is not the query given (a template's, where a parameter's value failed). */
  source: string | undefined;

  /**
   * `line:col: message`, the query line, a caret under the span, and the hint. The line is shown
   * as a terminal would not show it by itself: tabs as spaces, control characters escaped (so
   * neither can move the caret off its place), and a long line cut around the caret.
   */
  format(query: string): string {
    const lines = (this.source ?? query).split(LINE_BREAK);
    const raw = lines[this.span.line - 1] ?? "";
    const from = this.span.col - 1;
    const shown = showLine(raw, from, from + Math.max(1, this.span.end - this.span.start));
    const gutter = `${this.span.line} | `;
    const out = [
      `error: ${this.span.line}:${this.span.col}: ${escapeControls(this.message)}`,
      `${gutter}${shown.text}`,
      `${" ".repeat(gutter.length + shown.caret)}${"^".repeat(shown.width)}`,
    ];
    if (this.hint) out.push(`hint: ${escapeControls(this.hint)}`);
    return out.join("\n");
  }
}

/**
 * Characters that must not reach a terminal as they are: those output/safe.ts escapes in data (C0
 * and C1 controls, DEL, line and paragraph separators, bidi marks and overrides, and those that
 * show nothing: the soft hyphen, a zero-width space, the byte-order mark...).
 */
const CONTROL = new RegExp(`[${UNSAFE_CHARS}]`, "g");

const CONTROL_CHAR = new RegExp(`^[${UNSAFE_CHARS}]$`);

/** A control character as an escape: \n, \t, \r, else \u001b. */
function escapeOne(c: string): string {
  return c === "\n" ? "\\n" : c === "\t" ? "\\t" : c === "\r" ? "\\r" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** Text with its control characters escaped (a message that quotes the query stays on one line). */
export function escapeControls(s: string): string {
  return s.replace(CONTROL, escapeOne);
}

/** Query text quoted in a message: `"text"`, control characters escaped, at most `max` characters. */
export function quoteText(s: string, max = 60): string {
  let t = s;
  if (t.length > max) {
    let cut = max - 1;
    if (/[\ud800-\udbff]/.test(t[cut - 1] ?? "")) cut--; // not half a surrogate pair
    t = t.slice(0, cut) + "…";
  }
  return `"${escapeControls(t)}"`;
}

/** Columns a terminal gives a code point (output/width.ts: 0 for marks and joiners, 2 for East Asian Wide and Fullwidth). */
function columns(cp: number): number {
  return displayWidth(String.fromCodePoint(cp));
}

/** How wide a shown line may be before it is cut around the caret. */
const MAX_SHOWN = 100;

/**
 * A line of the query as shown under an error, and where the caret goes: the columns of the
 * characters from offset `from` to `to` (offsets in the line; past its end, the columns after it).
 */
export function showLine(raw: string, from: number, to: number): { text: string; caret: number; width: number } {
  const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  const parts: string[] = [];
  const widths: number[] = [];
  /** the column each offset starts at */
  const at: number[] = [];
  let col = 0;
  for (let i = 0; i < line.length; ) {
    const cp = line.codePointAt(i)!;
    const n = cp > 0xffff ? 2 : 1;
    const c = line.slice(i, i + n);
    // tabs to the next multiple of 4; control characters escaped; the rest as they are
    const control = n === 1 && CONTROL_CHAR.test(c);
    const shown = c === "\t" ? " ".repeat(4 - (col % 4)) : control ? escapeOne(c) : c;
    const w = c === "\t" || control ? shown.length : columns(cp);
    for (let k = 0; k < n; k++) at[i + k] = col;
    parts.push(shown);
    widths.push(w);
    col += w;
    i += n;
  }
  const colOf = (offset: number): number => (offset < line.length ? at[offset]! : col + (offset - line.length));
  const start = colOf(from);
  const end = Math.max(start + 1, colOf(Math.min(to, Math.max(line.length, from + 1))));
  if (col <= MAX_SHOWN) return { text: parts.join(""), caret: start, width: end - start };
  // a window of MAX_SHOWN columns, the caret's start in its first third
  const lo = Math.max(0, Math.min(start - Math.floor(MAX_SHOWN / 3), col - MAX_SHOWN));
  const hi = lo + MAX_SHOWN;
  let text = "";
  let first = -1;
  let last = lo;
  for (let k = 0, c = 0; k < parts.length; c += widths[k]!, k++) {
    if (c < lo || c + widths[k]! > hi) continue;
    if (first < 0) first = c;
    text += parts[k];
    last = c + widths[k]!;
  }
  if (first < 0) first = lo;
  const before = first > 0 ? "…" : "";
  const caret = before.length + Math.max(0, start - first);
  return { text: before + text + (last < col ? "…" : ""), caret, width: Math.max(1, Math.min(end, last + 1) - Math.max(start, first)) };
}

/**
 * What ends a line of a query: a line feed, CR (a file saved with old Mac line ends, or CRLF's
 * first half), the line and paragraph separators, NEL, VT and FF. A `#` comment ends at any of
 * them (lexer.ts), and an error's line and column count them (it ran past a lone CR and hid the
 * commands after it, and an error on line 3 was said to be at 1:87).
 */
export const LINE_BREAK_CHARS = "\n\r\u2028\u2029\u0085\v\f";
/** A line break: CRLF as one. */
export const LINE_BREAK = new RegExp(`\r\n|[${LINE_BREAK_CHARS}]`);

/** The span of the whole text from `start` to `end` offsets, computing line and column. */
export function spanAt(text: string, start: number, end: number = start + 1): Span {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < start && i < text.length; i++) {
    const c = text[i]!;
    if (!LINE_BREAK_CHARS.includes(c) || (c === "\r" && text[i + 1] === "\n" && i + 1 < start)) continue;
    line++;
    lineStart = i + 1;
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
  // a name pasted with letters that only look like others (Cyrillic а, an en dash, a no-break space)
  // is that name, whatever the count of its edits
  const folded = foldLookalikes(name);
  if (folded !== name) {
    for (const c of candidates) if (c !== name && foldLookalikes(c) === folded) return c;
  }
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

/** A character's code point as Unicode writes it: `U+0430`, `U+1F600`. */
export function codePointText(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * Letters of other scripts that look like Latin ones (Cyrillic and Greek capitals and the common
 * small ones), and the dashes and minus that look like a hyphen-minus.
 */
const LOOKALIKE: Record<string, string> = Object.fromEntries(
  [..."аеорсухіјѕԁАВЕКМНОРСТХІЈЅΑΒΕΖΗΙΚΜΝΟΡΤΥΧον‐‑‒–—―−"].map((c, i) => [c, "aeopcyxijsdABEKMHOPCTXIJSABEZHIKMNOPTYXov-------"[i]!]),
);

/**
 * A name as it looks: compatibility forms as their plain ones (NFKC: full-width letters, the `ﬁ`
 * ligature, a no-break space), lookalike letters and dashes as the Latin ones, characters that show
 * nothing dropped, and the white space around it. Two names that fold the same read the same to a
 * person.
 */
export function foldLookalikes(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return s;
  return s.normalize("NFKC").replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, "").replace(/[^\x00-\x7f]/g, (c) => LOOKALIKE[c] ?? c).trim();
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
