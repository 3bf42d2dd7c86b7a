// A record's text as written, for @message: the slice of the decoded file that holds it, with the
// whitespace outside strings removed (the compact line CloudWatch Logs would hold for a
// pretty-printed file, or for JSON written with `": "` and `", "`). Everything else stays as the
// file has it: numbers as written (`500.0`, `1.0E7`), the order of keys, escapes (`\u00e9`, `\/`).
// Asked for only when a query reads @message (ReaderOptions.raw), so it costs nothing otherwise.
import { RecordScanner } from "./scanner.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** The index after the closing quote of the string whose opening quote is at `i` (the end of s when it has none). */
function stringEnd(s: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = s.indexOf('"', from);
    if (q < 0) return s.length;
    // the quote ends the string unless an odd number of backslashes stands before it
    let k = q - 1;
    while (k > i && s.charCodeAt(k) === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/**
 * JSON text without the whitespace outside its strings: the text itself when it has none (a
 * compact record, the common case). One pass; strings are jumped over quote to quote.
 */
export function compactJson(s: string): string {
  const n = s.length;
  let out = "";
  /** Start of the text not yet copied to `out`. */
  let from = 0;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) i = stringEnd(s, i);
    else if (isSpace(c)) {
      out += s.slice(from, i);
      i++;
      while (i < n && isSpace(s.charCodeAt(i))) i++;
      from = i;
    } else i++;
  }
  return from === 0 ? s : out + s.slice(from);
}

/**
 * The texts of the elements of a records array in one JSON value (a `{"Records":[...]}` document or
 * an array, as a line of JSON lines may hold), compacted, in order; a single object gives its own.
 */
export function elementTexts(text: string): string[] {
  const out: string[] = [];
  const scanner = new RecordScanner({
    record: (t) => void out.push(compactJson(t)),
    value: (t) => void out.push(compactJson(t)),
    // the caller compares these texts with JSON.parse's reading, which takes the second
    secondRecords() {},
  });
  scanner.push(Buffer.from(text));
  scanner.end();
  return out;
}
