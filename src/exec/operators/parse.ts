import type { Row } from "../row.js";
import { toText, type Value } from "../values.js";
import { parseCsv } from "../../csv.js";
import type { Operator } from "./operator.js";
import type { RegexMatch, TextMatcher } from "../../check/regex.js";
import { setOwn } from "../own.js";

/**
 * parse: extracts columns from a text field with a glob pattern or a regex. A row that does not
 * match keeps going with the columns absent; `multi` emits one row per match.
 */
export class ParseOp implements Operator {
  constructor(
    private readonly source: (row: Row) => Value,
    private readonly regex: TextMatcher,
    private readonly names: string[],
    private readonly groups: (number | string)[],
    private readonly multi: boolean,
    private readonly next: Operator,
  ) {}

  push(row: Row): void {
    const text = toText(this.source(row));
    if (text === undefined) return this.emit(row, null);
    if (!this.multi) return this.emit(row, this.regex.exec(text));
    let any = false;
    for (const m of this.regex.matchAll(text)) {
      any = true;
      this.emit(row.copy(), m);
    }
    if (!any) this.emit(row, null);
  }

  private emit(row: Row, m: RegexMatch | null): void {
    for (let i = 0; i < this.names.length; i++) {
      const g = this.groups[i]!;
      const v = m ? (typeof g === "number" ? m[g] : m.groups?.[g]) : undefined;
      row.set(this.names[i]!, v);
    }
    this.next.push(row);
  }

  end(): void {
    this.next.end();
  }
}

/** `key=value key2="quoted value"` pairs; a bare key is true. */
export function parseLogfmt(s: string): Record<string, Value> {
  const out: Record<string, Value> = {};
  const re = /([^\s=]+)(?:=(?:"((?:[^"\\]|\\[\s\S])*)"|(\S*)))?/g;
  for (const m of s.matchAll(re)) {
    setOwn(out, m[1]!, m[2] !== undefined ? logfmtUnquoted(m[2]) : m[3] !== undefined ? m[3] : true);
  }
  return out;
}

const LOGFMT_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" };

/**
 * A quoted logfmt value's text: its escapes read as JSON's, as go-logfmt (the format's reference,
 * whose encoder writes a line end in a value as `\n`) reads them: `\n`, `\t`, `\u00e9` (a pair of
 * `\u` escapes is one character), `\"`, `\\`; any other escaped character is itself.
 */
function logfmtUnquoted(text: string): string {
  return text.indexOf("\\") < 0 ? text : text.replace(/\\(u[0-9a-fA-F]{4}|[\s\S])/g, (_, e: string) => (e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : (LOGFMT_ESCAPES[e] ?? e)));
}

/** parse ... logfmt as m / parse ... csv as a, b, ... */
export class ParseFormatOp implements Operator {
  constructor(
    private readonly source: (row: Row) => Value,
    private readonly mode: "logfmt" | "csv",
    private readonly names: string[],
    private readonly next: Operator,
  ) {}
  push(row: Row): void {
    const text = toText(this.source(row));
    if (this.mode === "logfmt") row.set(this.names[0]!, text === undefined ? undefined : parseLogfmt(text));
    else {
      const cells = text === undefined ? [] : (parseCsv(text)[0] ?? []);
      this.names.forEach((n, i) => row.set(n, cells[i]));
    }
    this.next.push(row);
  }
  end(): void {
    this.next.end();
  }
}
