// One decoded document in, events out. The content decides the format:
//
// - JSON lines (sniff.isJsonLines on the first lines): streamed line by line at any size; a bad
//   line is skipped with a problem and the next line is read.
// - Otherwise one JSON document (a `{"Records":[...]}` document, an array of events, one event), or
//   several one after another. Up to WHOLE_PARSE_LIMIT decoded bytes it is held and JSON.parse'd whole
//   (one native parse is faster than scanning and parsing record by record); past it, it is split
//   record by record by the streaming RecordScanner, so memory stays at one chunk plus one record.
//   When a whole parse fails (truncated, corrupt, or documents one after another) the held bytes go
//   through the same scanner, so the outcome does not depend on the size: every complete record
//   before the break is kept, and the break is reported once. When the texts of the records are
//   wanted (@message), documents always go through the scanner, which sees each record's text.
//
// Push-based and synchronous: the reader pushes decoded chunks and collects what the sink receives.
// JSON lines and scanning go one piece (at most 1 MiB) per pump() call, so that the reader can hand
// on the events of each piece before the next: however big the chunks pushed, no more than a piece's
// events wait at once (a document parsed whole is the exception: its events are all there at once).
import { TextDecoder } from "node:util";
import { isObject } from "./cloudtrail.js";
import { joinPieces } from "./bytes.js";
import { LineSplitter } from "./lines.js";
import { RecordScanner, type ScanError } from "./scanner.js";
import { SAMPLE_LINES, TAR_NOT_READ, contentStart, firstNonSpace, isJsonLines, isTar, textOf, utf16Bom } from "./sniff.js";
import { compactJson, elementTexts } from "./raw.js";
import { notUtf8 } from "./utf8.js";

/**
 * Decoded size up to which a document is parsed whole rather than streamed record by record. At 64
 * MiB a 62 MB document took 281 MB to read, and five of them with two workers 726 MB, past any
 * --memory; streamed, 100 and 190 MB, in the same time (docs/performance.md).
 */
export const WHOLE_PARSE_LIMIT = 16 << 20;
/** The most the JSON-lines test waits for before deciding (when the first lines are very long). */
export const SNIFF_BYTES = 1 << 20;
/** A Records key as written when nothing in it is escaped. */
const RECORDS_KEY = '"Records"';
/** The problem of a document with a second key that reads as "Records" (the scanner's secondRecords). */
const SECOND_RECORDS = 'a second "Records" key: its records are not read (JSON readers disagree on which of the two counts; the first is read)';
/** Held content is scanned in pieces of at most this size. */
const PIECE = 1 << 20;

/** What held an item: a Records array, a top-level array, a JSON line, or the top level (objects one after another). */
export type Container = "Records" | "array" | "lines" | "objects";

export interface SplitSink {
  /**
   * An item (an event, or something that is not: the sink decides) and its index in the file
   * (records' positions, bad ones included); with its text as written (raw.ts) when the splitter
   * keeps texts.
   */
  item(v: unknown, index: number, from: Container, text?: string): void;
  /** `fatal`: the rest of the document is unreadable, and the splitter ignores further input. */
  problem(reason: string, detail: string, fatal: boolean): void;
}

/** The next record index in the file; shared by the documents of one file (zip entries). */
export interface IndexCounter {
  next: number;
}

type Phase = "head" | "doc" | "lines" | "scan" | "ended";

const describe = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`;

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** JSON.parse failed at the end of `text`: the text is the start of a JSON value, cut short. */
function endsInside(e: unknown, text: string): boolean {
  const message = errorText(e);
  if (message.includes("end of JSON input")) return true;
  const at = /at position (\d+)/.exec(message);
  return at !== null && Number(at[1]) >= text.trimEnd().length;
}

function printable(head: Buffer): string {
  const from = Math.max(0, firstNonSpace(head));
  const s = head.toString("utf8", from, Math.min(head.length, from + 24)).trim();
  return JSON.stringify(s.length > 16 ? `${s.slice(0, 16)}…` : s);
}

export class DocumentSplitter {
  private phase: Phase = "head";
  private stopped = false;
  private pieces: Buffer[] = [];
  private length = 0;
  private newlines = 0;
  private first = true;
  private lines: LineSplitter | undefined;
  private scanner: RecordScanner | undefined;
  /** Content waiting for the scanner (pump() takes one piece at a time). */
  private queue: Buffer[] = [];
  /** end() was called: once the queue is empty, the scanner is told the content is over. */
  private ending = false;
  /** The content was cut short by a decoding error that is reported on its own. */
  private cut = false;
  private lastLine = false;
  /** The content was empty (nothing, whitespace, a byte-order mark): nothing to report. */
  private nothing = false;
  /** The first bytes, while fewer than a byte-order mark needs. */
  private lead: Buffer | undefined;
  /** UTF-16 content (it began with a UTF-16 byte-order mark), decoded to UTF-8 as it comes. */
  private utf16: TextDecoder | undefined;
  /**
   * The same content decoded again by a decoder that refuses what is not UTF-16 (half a surrogate
   * pair): the first reads such a unit as U+FFFD without a word. Counted in utf8.ts's notUtf8, once.
   */
  private utf16Check: TextDecoder | undefined;

  constructor(
    private readonly sink: SplitSink,
    private readonly counter: IndexCounter,
    private readonly wholeParseLimit: number = WHOLE_PARSE_LIMIT,
    /** The decoded size if known in advance (a plain file's size): a bigger one is scanned from the start. */
    private readonly sizeHint = 0,
    /**
     * Hand on each event's text as written (for @message). A document is then always split by the
     * scanner, which sees each record's text, instead of parsed whole.
     */
    private readonly texts = false,
  ) {}

  /** A fatal problem was reported: nothing more will come of this document. */
  get done(): boolean {
    return this.stopped;
  }

  /** The content was empty: no bytes, only whitespace (after a byte-order mark, if any). */
  get empty(): boolean {
    return this.nothing;
  }

  push(chunk: Buffer): void {
    if (this.stopped || chunk.length === 0) return;
    if (this.first) {
      if (this.lead) chunk = Buffer.concat([this.lead, chunk]);
      if (chunk.length < 3) {
        this.lead = chunk;
        return;
      }
      chunk = this.encoding(chunk);
    }
    this.take(this.utf16 ? this.fromUtf16(chunk) : chunk);
  }

  /** The first bytes: a byte-order mark says the encoding, UTF-8 (dropped) or UTF-16 LE or BE (decoded to UTF-8 from now on). */
  private encoding(chunk: Buffer): Buffer {
    this.first = false;
    this.lead = undefined;
    if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) return chunk.subarray(3);
    const encoding = utf16Bom(chunk);
    if (encoding) {
      this.utf16 = new TextDecoder(encoding);
      this.utf16Check = new TextDecoder(encoding, { fatal: true });
    }
    return chunk;
  }

  private take(chunk: Buffer): void {
    if (this.stopped || chunk.length === 0) return;
    switch (this.phase) {
      case "head": {
        this.hold(chunk);
        if (this.newlines <= SAMPLE_LINES) {
          for (let i = chunk.indexOf(10); i >= 0 && this.newlines <= SAMPLE_LINES; i = chunk.indexOf(10, i + 1)) this.newlines++;
        }
        if (this.length >= SNIFF_BYTES || this.newlines > SAMPLE_LINES) this.decide(false);
        break;
      }
      case "doc":
        this.hold(chunk);
        if (this.length > this.wholeParseLimit) this.startScan();
        break;
      case "lines":
      case "scan":
        this.enqueue(chunk);
        break;
      case "ended":
        break;
    }
  }

  /** Splits one waiting piece. Returns whether more waits: call it until false, taking the events in between. */
  pump(): boolean {
    if ((this.phase !== "scan" && this.phase !== "lines") || this.stopped) return false;
    const piece = this.queue.shift();
    if (piece) {
      if (this.phase === "lines") this.lines!.push(piece);
      else {
        this.scanner!.push(piece);
        this.checkScan();
      }
    }
    if (this.stopped) return false;
    if (this.queue.length > 0) return true;
    if (this.ending) {
      this.ending = false;
      if (this.phase === "lines") {
        this.lastLine = true;
        this.lines!.end();
      } else {
        this.scanner!.end();
        this.checkScan();
      }
      this.phase = "ended";
    }
    return false;
  }

  private enqueue(buf: Buffer): void {
    for (let i = 0; i < buf.length; i += PIECE) this.queue.push(buf.subarray(i, Math.min(buf.length, i + PIECE)));
  }

  /**
   * The content is over. `cut`: it was cut short by a decoding error reported separately, so the
   * truncation it causes here (a truncated document or last line, or nothing at all) is not reported again.
   * Then call pump() until it returns false to finish.
   */
  end(cut = false): void {
    this.cut = cut;
    if (this.stopped) return;
    if (this.lead) {
      // the whole content is shorter than a byte-order mark
      const c = this.encoding(this.lead);
      this.take(this.utf16 ? this.fromUtf16(c) : c);
    }
    if (this.utf16) this.take(this.fromUtf16());
    if (this.phase === "head") this.decide(true);
    if (this.phase === "doc") this.parseWhole();
    if (this.phase === "scan" || this.phase === "lines") this.ending = true;
    else this.phase = "ended";
    this.pieces = [];
  }

  /** UTF-16 content as UTF-8, a chunk at a time (none: the end). */
  private fromUtf16(chunk?: Buffer): Buffer {
    try {
      if (chunk) this.utf16Check?.decode(chunk, { stream: true });
      else this.utf16Check?.decode();
    } catch {
      notUtf8.texts++;
      this.utf16Check = undefined;
    }
    return Buffer.from(chunk ? this.utf16!.decode(chunk, { stream: true }) : this.utf16!.decode(), "utf8");
  }

  private hold(chunk: Buffer): void {
    this.pieces.push(chunk);
    this.length += chunk.length;
  }

  private held(): Buffer {
    const buf = joinPieces(this.pieces, this.length);
    this.pieces = [buf];
    return buf;
  }

  private fatal(reason: string, detail: string): void {
    this.stopped = true;
    this.pieces = [];
    this.queue = [];
    this.sink.problem(reason, detail, true);
  }

  /** Enough of the start is here (or all of it): is it JSON at all, and JSON lines or a document? */
  private decide(ended: boolean): void {
    const head = this.held();
    switch (contentStart(head)) {
      case "empty":
        if (ended) {
          // nothing to read, and nothing wrong (a content cut short is reported by its decoder)
          this.nothing = !this.cut;
          this.stopped = true;
          this.pieces = [];
          return;
        }
        this.phase = "doc"; // only whitespace so far: a document may still follow
        return;
      case "binary":
        // a .tar.gz: gzip, then a tar archive
        if (isTar(head)) return this.fatal("unsupported compression", `a tar archive (gzipped): ${TAR_NOT_READ}`);
        return this.fatal("binary file", "binary content, not JSON or gzip");
      case "text":
        return this.fatal("not JSON", `not JSON (starts with ${printable(head)})`);
      case "json":
        break;
    }
    // no line ended in the first SNIFF_BYTES: JSON lines whose first event is that long, unless the
    // content starts as a document of records does (a Records file written on one line)
    const longFirstLine = !ended && this.newlines === 0;
    if (longFirstLine ? !startsAsDocument(head) : isJsonLines(head, ended)) {
      this.phase = "lines";
      this.pieces = [];
      this.lines = new LineSplitter({ line: (t, n) => this.onLine(t, n), tooLong: (n) => this.onLongLine(n) });
      this.enqueue(head);
    } else {
      this.phase = "doc";
      if (this.texts || this.length > this.wholeParseLimit || this.sizeHint > this.wholeParseLimit) this.startScan();
    }
  }

  // ---- a whole document -----------------------------------------------------------------------

  private parseWhole(): void {
    if (this.texts) {
      // the scanner sees each record's text
      this.startScan();
      return;
    }
    const buf = this.held();
    this.pieces = [];
    let v: unknown;
    let text: string;
    try {
      text = textOf(buf);
      v = JSON.parse(text);
    } catch {
      // Truncated, corrupt, or several documents one after another: the scanner tells which, and
      // keeps every record before a break.
      this.pieces = [buf];
      this.startScan();
      return;
    }
    if (Array.isArray(v)) this.records(v, "array");
    else if (isObject(v)) {
      if ("Records" in v && doubtfulRecords(text)) {
        // JSON.parse reads the last "Records" key, and decodes escapes: the scanner reads the first
        // and says there is another, as every other reading of the document does
        this.pieces = [buf];
        this.startScan();
        return;
      }
      if (!("Records" in v)) this.sink.item(v, this.counter.next++, "objects");
      else if (Array.isArray(v["Records"])) this.records(v["Records"], "Records");
      else this.fatal("not CloudTrail", `not CloudTrail: "Records" is ${describe(v["Records"])}, not an array`);
    } else this.fatal("not CloudTrail", `not CloudTrail: the document is ${describe(v)}, not an object or an array`);
  }

  /** The elements of a records array (and their texts). */
  private records(arr: unknown[], from: Container, texts?: string[]): void {
    for (const [k, el] of arr.entries()) this.sink.item(el, this.counter.next++, from, texts?.[k]);
  }

  // ---- JSON lines ---------------------------------------------------------------------------------

  private onLine(text: string, lineNo: number): void {
    if (text.length === 0 || (text.charCodeAt(0) !== 0x7b && text.trim() === "")) return;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      if (this.lastLine && this.cut) return;
      this.counter.next++;
      // a last line without its newline that JSON.parse read to its end is a line cut short (a
      // producer stopped mid-write): said so, as a truncated document is
      if (this.lastLine && endsInside(e, text)) this.sink.problem("truncated JSON line", `line ${lineNo}: truncated JSON: the data ends inside this line: line skipped`, false);
      else this.sink.problem("bad JSON line", `line ${lineNo}: bad JSON (${errorText(e)}): line skipped`, false);
      return;
    }
    if (isObject(v) && "Records" in v) {
      if (Array.isArray(v["Records"])) this.lineRecords(v["Records"], "Records", text, lineNo);
      else {
        this.counter.next++;
        this.sink.problem("not an event", `line ${lineNo}: "Records" is ${describe(v["Records"])}, not an array: line skipped`, false);
      }
    } else if (Array.isArray(v)) this.lineRecords(v, "array", text, lineNo);
    else this.sink.item(v, this.counter.next++, "lines", this.texts ? compactJson(text) : undefined);
  }

  /**
   * A line's records. With their texts, each record is its text parsed, so that a row's @message is
   * its own event's. The texts are found by the scanner, which reads a "Records" key written twice
   * otherwise than JSON.parse does (the first array, not the last): such a line (doubtfulRecords) is
   * skipped with a problem when the two readings differ, with texts or without, rather than read one
   * way or the other by what the query asks.
   */
  private lineRecords(arr: unknown[], from: Container, text: string, lineNo: number): void {
    const doubtful = from === "Records" && doubtfulRecords(text);
    if (!this.texts && !doubtful) return this.records(arr, from);
    const texts = elementTexts(text);
    const items = texts.map((t) => JSON.parse(t) as unknown);
    if (texts.length !== arr.length || (doubtful && items.some((item, k) => JSON.stringify(item) !== JSON.stringify(arr[k])))) {
      this.counter.next++;
      this.sink.problem("ambiguous records", `line ${lineNo}: its records can't be told apart (a "Records" key written twice, or with an escape): line skipped`, false);
      return;
    }
    this.records(items, from, this.texts ? texts : undefined);
  }

  private onLongLine(lineNo: number): void {
    this.counter.next++;
    this.sink.problem("record too large", `line ${lineNo} is too long to read: line skipped`, false);
  }

  // ---- a document too big to parse whole ----------------------------------------------------------

  private newScanner(): RecordScanner {
    return new RecordScanner({
      record: (text, inRecords) => {
        const index = this.counter.next++;
        let v: unknown;
        try {
          v = JSON.parse(text);
        } catch (e) {
          this.sink.problem("bad JSON", `record ${index + 1}: bad JSON (${errorText(e)}): record skipped`, false);
          return;
        }
        this.sink.item(v, index, inRecords ? "Records" : "array", this.texts ? compactJson(text) : undefined);
      },
      value: (text) => {
        let v: unknown;
        try {
          v = JSON.parse(text);
        } catch (e) {
          this.counter.next++;
          this.sink.problem("bad JSON", `record ${this.counter.next}: bad JSON (${errorText(e)}): record skipped`, false);
          return;
        }
        if (isObject(v) && !("Records" in v)) this.sink.item(v, this.counter.next++, "objects", this.texts ? compactJson(text) : undefined);
        else {
          this.counter.next++;
          this.sink.problem("not CloudTrail", `not CloudTrail: "Records" is ${describe((v as Record<string, unknown>)["Records"])}, not an array`, false);
        }
      },
      secondRecords: () => this.sink.problem("ambiguous records", SECOND_RECORDS, false),
    });
  }

  /** From now on the content goes through the scanner, starting with what is held. */
  private startScan(): void {
    this.phase = "scan";
    this.scanner = this.newScanner();
    for (const p of this.pieces) this.enqueue(p);
    this.pieces = [];
    this.length = 0;
  }

  private checkScan(): void {
    const err: ScanError | undefined = this.scanner!.error;
    if (!err || this.stopped) return;
    const at = `record ${this.counter.next + 1}`;
    switch (err.kind) {
      case "truncated":
        if (this.cut) this.stopped = true;
        else this.fatal("truncated JSON", `truncated JSON: the data ends inside ${err.inRecord ? at : "the document"} (complete records before it are kept)`);
        return;
      case "too large":
        return this.fatal("record too large", `${at}: ${err.message}: rest of the file skipped`);
      case "bad":
        return this.fatal("bad JSON", `bad JSON at byte ${err.offset}${err.inRecord ? ` (${at})` : ""}: ${err.message}: rest of the file skipped`);
    }
  }
}

/**
 * Whether a document's "Records" key may be written other than once as it is: not exactly one
 * `"Records"` in its text, or an escape of a character (a key may be written with them).
 */
function doubtfulRecords(text: string): boolean {
  const first = text.indexOf(RECORDS_KEY);
  return first < 0 || text.includes(RECORDS_KEY, first + RECORDS_KEY.length) || text.includes("\\u");
}

/**
 * Whether content starts as a document of records does, `[` or `{"Records"` (after a byte-order mark
 * and white space), rather than as an event of its own (a JSON line).
 */
function startsAsDocument(first: Buffer): boolean {
  const i = firstNonSpace(first);
  if (i < 0) return false;
  if (first[i] === 0x5b) return true;
  if (first[i] !== 0x7b) return false;
  const key = firstNonSpace(first, i + 1);
  return key >= 0 && first.toString("latin1", key, key + RECORDS_KEY.length) === RECORDS_KEY;
}
