// Projection: the events of a `{"Records":[...]}` document with only the fields a query reads
// (`userIdentity.arn` gives each event a userIdentity holding only its arn), without building the
// rest. A byte loop finds each record's keys and skips the values not wanted (strings quote to
// quote, objects and arrays by bracket depth); only wanted values become JS values (a string without
// escapes is sliced directly, anything else goes through JSON.parse). On CloudTrail records, where
// userIdentity and the request/response objects are most of the bytes, this is about four times as
// fast as JSON.parse of the whole document.
//
// The byte loop is WebAssembly (project.wat, assembled into dist/wasm/ by the build): about twice as
// fast as the same loop in JavaScript, whose every byte read checks its array's bounds and state. It
// writes a tape of where each record and each wanted value lies, and records() makes the objects.
//
// It is a fast path, not a validator: it checks the structure (brackets, strings, key/colon/comma
// order, which bytes may stand outside strings) and gives up (undefined) on anything else: a top-level
// array, a record that is not an event (not an object, or none of CloudTrail's event keys), a record
// nested deeper than MAX_DEPTH, an escaped key, a key with dots where a wanted path may be written
// flat (`"a.b"` in an object whose `a` is wanted: valuePath reads it first), truncation. The caller
// then reads the file the careful way (src/sources/split.ts), which says what is wrong, or reads it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EVENT_KEYS, MAX_DEPTH, isObject } from "./cloudtrail.js";
import { BACKSLASH, QUOTE } from "./json-bytes.js";
import { setOwn } from "../exec/own.js";
import { PACKAGE_ROOT } from "../root.js";
import { replacedBytes } from "./utf8.js";

/** The keys wanted at one level of an object: each whole (null), or only some of its keys (a Level). */
class Level {
  readonly names: string[] = [];
  readonly inner: (Level | null)[] = [];
  /** Each name's place in `names` (made when first pruned with). */
  private places: Map<string, number> | undefined;

  /**
   * A parsed object with only the wanted keys, in its own order: what records() makes of its text.
   * A key with a dot is kept whole (at a level records() reads, it gives the object to the careful
   * reader: valuePath reads a flat `"a.b"` before `a` then `b`).
   */
  prune(o: Record<string, unknown>): Record<string, unknown> {
    const places = (this.places ??= new Map(this.names.map((n, k) => [n, k])));
    const out: Record<string, unknown> = {};
    for (const key in o) {
      if (!Object.hasOwn(o, key)) continue;
      const k = places.get(key);
      if (k === undefined && !key.includes(".")) continue;
      const v = o[key];
      const inner = k === undefined ? null : this.inner[k]!;
      setOwn(out, key, inner && isObject(v) ? inner.prune(v) : v);
    }
    return out;
  }

  /** Adds a path below this level; a shorter path wins (the whole value holds the longer one's). */
  add(path: string[]): void {
    const [key, ...rest] = path;
    if (key === undefined) return;
    let k = this.names.indexOf(key);
    if (k < 0) {
      k = this.names.push(key) - 1;
      this.inner.push(rest.length ? new Level() : null);
    } else if (rest.length === 0) this.inner[k] = null;
    this.inner[k]?.add(rest);
  }
}

/** The parts of the WebAssembly API used here (TypeScript declares it only with the DOM's types). */
interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  RuntimeError: new () => Error;
}
/** The WebAssembly API, looked up when first used: a start-up snapshot is built without it. */
const wasm = (): Wasm => (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

/** What project.wat exports. */
interface Scanner {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  setup(root: number, event: number, records: number, maxDepth: number): void;
  records(start: number, end: number, tape: number, tapeEnd: number): number;
  spaced: { value: number };
  full: { value: number };
}

/** Where project.wat finds its byte classes (its header says what each is) and the key levels. */
const OUTSIDE = 0;
const IN_STRING = 256;
const IN_SKIPPED_STRING = 512;
const BARE = 768;
const SPACE = 1024;
const ENDS_BARE = 1280;
const LEVELS = 2048;

/** The byte classes, as placed at the start of project.wat's memory. */
function byteClasses(): Uint8Array {
  const t = new Uint8Array(LEVELS);
  const set = (at: number, chars: string, v: number): void => {
    for (const c of chars) t[at + c.charCodeAt(0)] = v;
  };
  t.fill(4, OUTSIDE, OUTSIDE + 256); // not JSON here
  set(OUTSIDE, "0123456789+-.eEtrufalsn,:", 0);
  set(OUTSIDE, '"', 1);
  set(OUTSIDE, "{[", 2);
  set(OUTSIDE, "}]", 3);
  set(OUTSIDE, " \t\r\n", 5);
  for (let c = 0; c < 256; c++) {
    const inString = c === QUOTE ? 1 : c === BACKSLASH ? 2 : c < 0x20 ? 4 : c >= 0x80 ? 3 : 0;
    t[IN_STRING + c] = inString;
    t[IN_SKIPPED_STRING + c] = inString === 3 ? 0 : inString;
  }
  set(BARE, "{}[],:0123456789+-.eEtrufalsn \t\r\n", 1);
  set(SPACE, " \t\r\n", 1);
  set(ENDS_BARE, ",}] \t\r\n", 1);
  return t;
}

/** project.wat compiled, and this thread's instance of it: made when first needed (not in the start-up snapshot). */
let compiled: object | undefined;
let scanner: Scanner | undefined;
/** The scanner's memory was refused in this thread (theScanner). */
let scannerRefused = false;
/** The projector whose levels are in the scanner's memory. */
let levelsOf: Projector | undefined;
/** Bytes for the tape: doubled whenever a document fills it. */
const FIRST_TAPE = 1 << 18;
let tapeBytes = FIRST_TAPE;
/**
 * A memory the scanner may keep between documents. A WebAssembly memory never shrinks: after a
 * bigger document (up to WHOLE_PARSE_LIMIT) the instance is let go, and the next one starts small.
 */
const KEPT_MEMORY = 8 << 20;

/** The bytes of this thread's scanner memory, 0 when it has none (tests look). */
export function scannerBytes(): number {
  return scanner?.memory.buffer.byteLength ?? 0;
}

/**
 * This thread's scanner, or undefined when its memory can't be had: V8 reserves several GB of
 * address space for a WebAssembly memory, which a limit on it (`ulimit -v`, a container's) may
 * refuse to a worker thread. records() then gives the files to the careful reader (slower, the same
 * events), and it is not asked again in this thread (each try took about 60 ms: 5,886 files, 364 s).
 */
function theScanner(): Scanner | undefined {
  if (!scanner) {
    if (scannerRefused) return undefined;
    compiled ??= new (wasm().Module)(readFileSync(join(PACKAGE_ROOT, "dist", "wasm", "project.wasm")));
    try {
      scanner = new (wasm().Instance)(compiled, {}).exports as unknown as Scanner;
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      scannerRefused = true;
      return undefined;
    }
    new Uint8Array(scanner.memory.buffer).set(byteClasses());
    levelsOf = undefined;
  }
  return scanner;
}

export class Projector {
  private readonly root = new Level();
  /** The levels as project.wat reads them, to be placed at LEVELS; where its three levels start. */
  private readonly levels: Uint8Array;
  private readonly rootAt: number;
  private readonly eventAt: number;
  private readonly recordsAt: number;
  /** The keys' names by the index the tape gives. */
  private readonly names: string[] = [];
  /** The fingerprinted key's index, or -1. */
  private readonly fingerprintKey: number;
  /**
   * After records(): whether the records array had whitespace between its tokens (outside strings):
   * without, each record's text is compact as it stands.
   */
  spaced = false;
  /**
   * After records(), when a key is fingerprinted: each record's fingerprint of it (hi, lo at 2k and
   * 2k + 1), or 0, 0 where the loop could not make one (the value is then in the record) or the
   * record has none. Beside the records, not on them: a property of each (two symbols) cost a read
   * of varied shapes for each row that claimed it.
   */
  fingerprints: Int32Array | undefined;

  /**
   * `paths`: the event paths to extract (`["userIdentity", "arn"]`); a value on a path is kept whole.
   * `fingerprinted`: a key of the record (the eventID) whose fingerprint the scan needs, not its
   * value: unless a path wants the value, each record's fingerprint is made in the byte loop
   * (`fingerprints`), or the record gets the value when the loop can't (not a string of ASCII
   * without escapes).
   */
  constructor(paths: Iterable<string[]>, fingerprinted?: string) {
    for (const p of paths) this.root.add(p);
    // the root's keys are the first names: the fingerprinted key's index on the tape is its place in the root
    this.fingerprintKey = -1;
    if (fingerprinted !== undefined && !this.root.names.includes(fingerprinted)) {
      this.fingerprintKey = this.root.names.length;
      this.root.add([fingerprinted]);
    }
    const parts: Buffer[] = [];
    let at = LEVELS;
    /** Lays out a level; `fingerprinted`: the index of its key marked -1 (its fingerprint wanted, not its value). */
    const place = (names: readonly string[], inner: readonly (Level | null)[], fingerprinted = -1): number => {
      const start = at;
      const head = Buffer.alloc(4 + 16 * names.length);
      parts.push(head);
      at += head.length;
      head.writeInt32LE(names.length, 0);
      const keys = names.map((name) => Buffer.from(name));
      keys.forEach((bytes, k) => {
        head.writeInt32LE(bytes.length, 4 + 16 * k);
        head.writeInt32LE(at, 8 + 16 * k);
        head.writeInt32LE(this.names.push(names[k]!) - 1, 16 + 16 * k);
        parts.push(bytes);
        at += bytes.length;
      });
      const pad = Buffer.alloc((4 - (at % 4)) % 4);
      parts.push(pad);
      at += pad.length;
      inner.forEach((level, k) => head.writeInt32LE(k === fingerprinted ? -1 : level ? place(level.names, level.inner) : 0, 12 + 16 * k));
      return start;
    };
    this.rootAt = place(this.root.names, this.root.inner, this.fingerprintKey);
    this.eventAt = place(EVENT_KEYS, []);
    this.recordsAt = place(["Records"], []);
    this.levels = Buffer.concat(parts);
  }

  /**
   * An event parsed whole (by the careful reader: JSON lines, standard input, a big document) with
   * only the wanted paths, as records() gives them: rows that a sort holds keep what the query reads,
   * not the whole event (a `fields` over 300 MB of JSON lines held 620 MB).
   */
  prune(event: Record<string, unknown>): Record<string, unknown> {
    return this.root.prune(event);
  }

  /**
   * The records, each with only the wanted paths; undefined when the fast path does not apply.
   * `ranges`, when given, receives where each record's text starts and ends in b (two numbers a record).
   */
  records(b: Buffer, ranges?: number[]): Record<string, unknown>[] | undefined {
    this.fingerprints = undefined;
    const x = theScanner();
    if (!x) return undefined;
    const tape = LEVELS + this.levels.length;
    if (levelsOf !== this) {
      new Uint8Array(x.memory.buffer).set(this.levels, LEVELS);
      x.setup(this.rootAt, this.eventAt, this.recordsAt, MAX_DEPTH);
      levelsOf = this;
    }
    for (;;) {
      const start = tape + tapeBytes;
      const end = start + b.length;
      // two 0 bytes after the document: a 0 stops every loop of project.wat (and 16 more bytes, read 16 at a time)
      const short = end + 18 - x.memory.buffer.byteLength;
      if (short > 0) {
        try {
          x.memory.grow(Math.ceil(short / 65536));
        } catch (e) {
          if (e instanceof RangeError) return this.done(undefined); // more memory refused: the careful reader
          throw e;
        }
      }
      const memory = new Uint8Array(x.memory.buffer);
      memory.set(b, start);
      memory[end] = memory[end + 1] = 0;
      let entries: number;
      try {
        entries = x.records(start, end, tape, start);
      } catch (e) {
        if (!(e instanceof wasm().RuntimeError || e instanceof RangeError)) throw e;
        if (x.full.value !== 1) return this.done(undefined);
        tapeBytes *= 2;
        continue;
      }
      this.spaced = x.spaced.value === 1;
      try {
        const records = fromTape(new Int32Array(x.memory.buffer, tape, 3 * entries), b, this.names, this.fingerprintKey, ranges);
        this.fingerprints = this.fingerprintKey < 0 ? undefined : fingerprintsMade.slice(0, 2 * records.length);
        return this.done(records);
      } catch (e) {
        // a value the loop let through that is not JSON (a bad escape: "\x")
        if (e instanceof SyntaxError) return this.done(undefined);
        throw e;
      }
    }
  }

  /** What records() returns, once the scanner is let go if a document made its memory big. */
  private done<T>(result: T): T {
    if (scanner && scanner.memory.buffer.byteLength > KEPT_MEMORY) {
      scanner = undefined;
      tapeBytes = FIRST_TAPE;
    }
    return result;
  }
}

/** The fingerprints fromTape finds, two numbers a record (grown as it needs: Projector.records takes a copy). */
let fingerprintsMade = new Int32Array(2 * 1024);

/** The tape's entries (project.wat's header says what they are) as the records' objects (and their fingerprints into fingerprintsMade). */
function fromTape(t: Int32Array, b: Buffer, names: string[], fingerprintKey: number, ranges: number[] | undefined): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const outer: Record<string, unknown>[] = [];
  let o: Record<string, unknown> = {};
  let fps = fingerprintsMade;
  for (let p = 0; p < t.length; p += 3) {
    const what = t[p]!;
    switch (what & 15) {
      case 1:
        o = {};
        if (fingerprintKey >= 0) {
          if (2 * out.length + 2 > fps.length) {
            fps = new Int32Array(2 * fps.length);
            fps.set(fingerprintsMade);
            fingerprintsMade = fps;
          }
          fps[2 * out.length] = fps[2 * out.length + 1] = 0;
        }
        break;
      case 2:
        if (outer.length) o = outer.pop()!;
        else {
          out.push(o);
          ranges?.push(t[p + 1]!, t[p + 2]!);
        }
        break;
      case 3: {
        const inner = {};
        setOwn(o, names[what >>> 8]!, inner);
        outer.push(o);
        o = inner;
        break;
      }
      case 4:
        setOwn(o, names[what >>> 8]!, value(b, t[p + 1]!, t[p + 2]!, what));
        // a later copy of the key (JSON.parse keeps the last) that has no fingerprint
        if (what >>> 8 === fingerprintKey) fps[2 * out.length] = fps[2 * out.length + 1] = 0;
        break;
      case 5:
        fps[2 * out.length] = t[p + 1]!;
        fps[2 * out.length + 1] = t[p + 2]!;
        break;
    }
  }
  return out;
}

/** Buffer's own decoders (what toString(encoding, start, end) calls after checking its arguments). */
interface Slices {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/** A tape entry's bits: the string had an escape; a byte past ASCII. */
const ESCAPED = 16;
const NON_ASCII = 32;

/**
 * The JS value of the JSON text [s, e): a string without escapes is sliced from the bytes (ASCII is
 * its own latin1, which decodes without validating); anything else is JSON.parse'd.
 */
function value(b: Buffer, s: number, e: number, what: number): unknown {
  const slices = b as unknown as Slices;
  if (b[s] === QUOTE && (what & ESCAPED) === 0) {
    if (!(what & NON_ASCII)) return slices.latin1Slice(s + 1, e - 1);
    const text = slices.utf8Slice(s + 1, e - 1);
    if (replacedBytes(text, b.subarray(s + 1, e - 1))) throw NOT_UTF8_BYTES;
    return text;
  }
  const text = slices.utf8Slice(s, e);
  if (replacedBytes(text, b.subarray(s, e))) throw NOT_UTF8_BYTES;
  return JSON.parse(text);
}

/** What value() throws for bytes that are not UTF-8 (utf8.ts): records() leaves the file to the careful reader, which says so. */
const NOT_UTF8_BYTES = new SyntaxError("not UTF-8");
