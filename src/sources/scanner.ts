// Splitting a JSON document that is too big to parse whole into its records, over chunks, without
// holding the document: a small scanner tracks string/escape state and bracket nesting, and hands on
// the text of each record of a `{"Records":[...]}` document or a top-level array (then JSON.parse'd
// one at a time by the caller). Top-level values may follow one another (`cat`ed documents, objects
// one after another); a top-level object without a Records array is handed on whole. A document's
// records are those of its first key that reads as "Records" (escapes and all, as JSON.parse reads
// it); a later one is not read, and said (JSON readers disagree on which of the two counts).
//
// Inside strings it jumps from quote to quote with indexOf, so most bytes are never looked at one by
// one. It checks bracket nesting but not the grammar inside a record: JSON.parse does that.
import { joinPieces } from "./bytes.js";
import { BACKSLASH, CLOSE_ARR, CLOSE_OBJ, COLON, COMMA, OPEN_ARR, OPEN_OBJ, QUOTE } from "./json-bytes.js";
import { utf8Text } from "./utf8.js";

export interface ScanSink {
  /** The text of one element of a records array: a Records document's (`inRecords`), or a top-level array's. */
  record(text: string, inRecords: boolean): void;
  /** A complete top-level object with no Records array. */
  value(text: string): void;
  /** A top-level object's second key that reads as "Records": its value is not read. */
  secondRecords(): void;
}

/** Why the scanner stopped before the end: bad structure, or the data ended inside a value. */
export interface ScanError {
  kind: "bad" | "truncated" | "too large";
  /** Byte offset in the content where it happened. */
  offset: number;
  message: string;
  /** It happened inside an element of a records array (the caller knows which one). */
  inRecord: boolean;
}

/** A single record (or top-level object) larger than this is refused: V8 strings stop at about 512 MiB. */
export const MAX_RECORD_BYTES = 256 << 20;


const RECORDS = Buffer.from("Records");

/** The longest key text that may read as "Records" (each letter written `\uXXXX`), in bytes. */
const MAX_RECORDS_KEY = 6 * RECORDS.length;

/** Key tracking at the first level of a top-level object: where `"Records": [` is. */
const enum Key {
  /** Not looking (inside a value). */
  None,
  /** After `{` or `,`: the next string is a key. */
  Expect,
  /** Inside a key string, collecting its bytes. */
  InKey,
  /** The key was "Records": expecting `:`. */
  Colon,
  /** After `"Records":`: an `[` starts the records array. */
  Value,
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function hasNonSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isSpace(c)) return true;
  }
  return false;
}

export class RecordScanner {
  /** Set when the scanner stopped on an error; later input is ignored. */
  error: ScanError | undefined;
  /** Bytes consumed so far. */
  private offset = 0;
  private inString = false;
  private escape = false;
  /** Open brackets, innermost last. */
  private readonly stack: number[] = [];

  /** Nesting depth of the records array's elements (stack length inside it), or -1 outside one. */
  private recDepth = -1;
  /** The current element's text so far, from earlier chunks. */
  private recPieces: Buffer[] = [];
  private recLength = 0;
  /** Elements handed on (or empty ones seen) in the current array. */
  private recSeen = 0;

  /** A top-level object being held until we know whether it is a Records document. */
  private objPieces: Buffer[] | null = null;
  private objLength = 0;
  /** At the first level of a top-level object (its keys tracked), and whether its records array was found. */
  private inObject = false;
  private recordsFound = false;
  private key = Key.None;
  /** The key's text as written (escapes included), up to MAX_RECORDS_KEY bytes and one more. */
  private keyBytes: number[] = [];
  private keyEscaped = false;

  constructor(private readonly sink: ScanSink) {}

  push(chunk: Buffer): void {
    if (this.error) return;
    const n = chunk.length;
    let i = 0;
    /** Start in this chunk of the current element / held object (0 when it began in an earlier chunk). */
    let recStart = 0;
    let objStart = 0;
    // Next quote and backslash at or after i (n when none): looked up again only once passed.
    let q = -1;
    let b = -1;
    const stack = this.stack;

    const fail = (kind: ScanError["kind"], at: number, message: string): void => {
      this.error = { kind, offset: this.offset + at, message, inRecord: this.inRecord };
    };

    while (i < n) {
      if (this.inString) {
        if (this.escape) {
          this.escape = false;
          if (this.key === Key.InKey && this.keyBytes.length <= MAX_RECORDS_KEY) this.keyBytes.push(chunk[i]!);
          i++;
          continue;
        }
        if (this.key === Key.InKey) {
          // A first-level key of a top-level object: byte by byte (keys are short and rare).
          const c = chunk[i]!;
          if (c === QUOTE) {
            this.inString = false;
            this.key = this.keyIsRecords() ? Key.Colon : Key.None;
          } else {
            if (c === BACKSLASH) this.escape = this.keyEscaped = true;
            if (this.keyBytes.length <= MAX_RECORDS_KEY) this.keyBytes.push(c);
          }
          i++;
          continue;
        }
        if (q < i) {
          q = chunk.indexOf(QUOTE, i);
          if (q < 0) q = n;
        }
        if (b < i) {
          b = chunk.indexOf(BACKSLASH, i);
          if (b < 0) b = n;
        }
        if (b < q) {
          if (b + 1 >= n) {
            this.escape = true;
            i = n;
          } else i = b + 2;
          continue;
        }
        if (q === n) {
          i = n;
          break;
        }
        this.inString = false;
        i = q + 1;
        continue;
      }

      const c = chunk[i]!;
      if (isSpace(c)) {
        i++;
        continue;
      }
      const depth = stack.length;
      if (depth === 0) {
        // Between top-level values: only an object or an array may start here.
        if (c === OPEN_OBJ) {
          this.objPieces = [];
          this.objLength = 0;
          objStart = i;
          this.inObject = true;
          this.recordsFound = false;
          this.key = Key.Expect;
        } else if (c === OPEN_ARR) {
          this.recDepth = 1;
          this.recSeen = 0;
          recStart = i + 1;
          this.recPieces = [];
          this.recLength = 0;
        } else {
          fail("bad", i, c === CLOSE_OBJ || c === CLOSE_ARR ? `unexpected '${String.fromCharCode(c)}'` : "expected a JSON object or array");
          break;
        }
        stack.push(c);
        i++;
        continue;
      }

      switch (c) {
        case QUOTE:
          this.inString = true;
          if (depth === 1 && this.inObject) {
            if (this.key === Key.Expect) {
              this.key = Key.InKey;
              this.keyBytes = [];
              this.keyEscaped = false;
            } else if (this.key === Key.Value) {
              if (this.recordsFound) this.sink.secondRecords();
              this.key = Key.None;
            }
          }
          break;
        case OPEN_OBJ:
        case OPEN_ARR:
          if (depth === 1 && this.inObject) {
            if (this.key === Key.Value && this.recordsFound) this.sink.secondRecords();
            else if (this.key === Key.Value && c === OPEN_ARR) {
              // `"Records": [` — from now on, records are handed on one by one and the object is dropped.
              this.recordsFound = true;
              this.objPieces = null;
              this.recDepth = 2;
              this.recSeen = 0;
              recStart = i + 1;
              this.recPieces = [];
              this.recLength = 0;
            }
            this.key = Key.None;
          }
          stack.push(c);
          break;
        case CLOSE_OBJ:
        case CLOSE_ARR: {
          const open = stack[depth - 1];
          if ((c === CLOSE_OBJ) !== (open === OPEN_OBJ)) {
            fail("bad", i, `unexpected '${String.fromCharCode(c)}'`);
            break;
          }
          if (c === CLOSE_ARR && depth === this.recDepth) {
            const bad = this.endElement(chunk, recStart, i, true);
            if (bad) {
              fail("bad", i, bad);
              break;
            }
            this.recDepth = -1;
          }
          stack.pop();
          if (depth === 1) {
            this.inObject = false;
            this.key = Key.None;
          }
          if (depth === 1 && this.objPieces !== null) {
            const text = this.collect(this.objPieces, chunk, objStart, i + 1);
            this.objPieces = null;
            this.sink.value(text);
          }
          break;
        }
        case COMMA:
          if (depth === this.recDepth) {
            const bad = this.endElement(chunk, recStart, i, false);
            if (bad) {
              fail("bad", i, bad);
              break;
            }
            recStart = i + 1;
          } else if (depth === 1 && this.inObject) this.key = Key.Expect;
          break;
        case COLON:
          if (depth === 1 && this.key === Key.Colon) this.key = Key.Value;
          break;
        default:
          // A scalar value at the first level of the object: not the records array (a second
          // "Records" key's is said all the same)
          if (depth === 1 && this.key === Key.Value) {
            if (this.recordsFound) this.sink.secondRecords();
            this.key = Key.None;
          }
      }
      if (this.error) break;
      i++;
    }

    if (!this.error) {
      // Keep the unfinished element / held object for the next chunk.
      if (this.recDepth > 0 && stack.length >= this.recDepth) {
        const rest = chunk.subarray(recStart);
        this.recPieces.push(rest);
        this.recLength += rest.length;
        if (this.recLength > MAX_RECORD_BYTES) fail("too large", n, `a record is larger than ${MAX_RECORD_BYTES >> 20} MiB`);
      }
      if (this.objPieces !== null) {
        const rest = chunk.subarray(objStart);
        this.objPieces.push(rest);
        this.objLength += rest.length;
        if (this.objLength > MAX_RECORD_BYTES) fail("too large", n, `a top-level object is larger than ${MAX_RECORD_BYTES >> 20} MiB`);
      }
    }
    this.offset += n;
  }

  /** The content ended: anything still open means it was cut short. */
  end(): void {
    if (this.error) return;
    if (this.inString || this.stack.length > 0) {
      this.error = { kind: "truncated", offset: this.offset, message: "the data ends inside a JSON value", inRecord: this.inRecord };
    }
    this.recPieces = [];
    this.objPieces = null;
  }

  /** Whether the key just read reads as "Records" (its escapes read as JSON.parse reads them). */
  private keyIsRecords(): boolean {
    const k = this.keyBytes;
    if (!this.keyEscaped) return k.length === RECORDS.length && k.every((x, j) => x === RECORDS[j]);
    if (k.length > MAX_RECORDS_KEY) return false;
    try {
      return JSON.parse(`"${Buffer.from(k).toString("latin1")}"`) === "Records";
    } catch {
      return false;
    }
  }

  /** Inside an element of a records array. */
  get inRecord(): boolean {
    return this.recDepth > 0 && this.stack.length >= this.recDepth;
  }

  private collect(pieces: Buffer[], chunk: Buffer, start: number, end: number): string {
    if (pieces.length === 0) return utf8Text(chunk, start, end);
    pieces.push(chunk.subarray(start, end));
    return utf8Text(joinPieces(pieces));
  }

  /** An element of the records array ends at `end` (a comma, or the closing bracket). Returns what is wrong, if anything. */
  private endElement(chunk: Buffer, start: number, end: number, closing: boolean): string | undefined {
    const text = this.collect(this.recPieces, chunk, start, end);
    this.recPieces = [];
    this.recLength = 0;
    if (!hasNonSpace(text)) {
      // `[]` is an empty array; `[,` or `,,` or `,]` is not JSON.
      if (closing && this.recSeen === 0) return undefined;
      return "an empty element in an array";
    }
    this.recSeen++;
    this.sink.record(text, this.recDepth === 2);
    return undefined;
  }
}
