// Projection: the events of a `{"Records":[...]}` document with only the fields a query reads
// (`userIdentity.arn` gives each event a userIdentity holding only its arn), without building the rest. A byte loop finds each record's keys and skips the values not
// wanted (strings quote to quote, objects and arrays by bracket depth); only wanted values become JS
// values (a string without escapes is sliced directly, anything else goes through JSON.parse). On
// CloudTrail records, where userIdentity and the request/response objects are most of the bytes, this
// is about twice as fast as JSON.parse of the whole document.
//
// It is a fast path, not a validator: it checks the structure (brackets, strings, key/colon/comma
// order, which bytes may stand outside strings) and gives up (undefined) on anything else: a top-level
// array, a record that is not an event (not an object, or none of CloudTrail's event keys), a record
// nested deeper than MAX_DEPTH, an escaped key, truncation. The caller then reads the file the careful
// way (src/sources/split.ts), which says what is wrong.
import { EVENT_KEYS, MAX_DEPTH } from "./cloudtrail.js";
import { BACKSLASH, CLOSE_ARR, CLOSE_OBJ, COLON, COMMA, OPEN_ARR, OPEN_OBJ, QUOTE } from "./json-bytes.js";
import { setOwn } from "../exec/own.js";


/** Bytes that may stand outside strings inside a skipped value: structure, numbers, true/false/null, spaces. */
const BARE = new Uint8Array(256);
for (const c of "{}[],:0123456789+-.eEtrufalsn \t\r\n") BARE[c.charCodeAt(0)] = 1;

/** Thrown inside the loops when the text is not what the fast path handles. */
class GiveUp extends Error {}
const giveUp = new GiveUp();

/** The keys wanted at one level of an object: each whole (null), or only some of its keys (a Level). */
class Level {
  readonly names: string[] = [];
  readonly bytes: Buffer[] = [];
  readonly inner: (Level | null)[] = [];
  /** Indexes of the wanted keys by their length in bytes. */
  private readonly byLength: number[][] = [];

  /** Adds a path below this level; a shorter path wins (the whole value holds the longer one's). */
  add(path: string[]): void {
    const [key, ...rest] = path;
    if (key === undefined) return;
    let k = this.names.indexOf(key);
    if (k < 0) {
      k = this.names.push(key) - 1;
      const bytes = Buffer.from(key);
      this.bytes.push(bytes);
      (this.byLength[bytes.length] ??= []).push(k);
      this.inner.push(rest.length ? new Level() : null);
    } else if (rest.length === 0) this.inner[k] = null;
    this.inner[k]?.add(rest);
  }

  /** Which wanted key the bytes [s, e) spell, or -1. */
  find(b: Buffer, s: number, e: number, escaped: boolean): number {
    const len = e - s;
    const candidates = this.byLength[len];
    if (candidates) {
      for (const k of candidates) {
        const key = this.bytes[k]!;
        let j = 0;
        while (j < len && key[j] === b[s + j]) j++;
        if (j === len) return k;
      }
    }
    // An escaped key could spell a wanted one: only JSON.parse can tell.
    if (escaped) throw giveUp;
    return -1;
  }
}

export class Projector {
  private readonly root = new Level();
  /** Where the last object() ended. */
  private end = 0;
  /** records()'s `ranges`, while it runs. */
  private ranges: number[] | undefined;
  /**
   * After records(): whether the records array had whitespace between its tokens (outside strings):
   * without, each record's text is compact as it stands.
   */
  spaced = false;

  /** `paths`: the event paths to extract (`["userIdentity", "arn"]`); a value on a path is kept whole. */
  constructor(paths: Iterable<string[]>) {
    for (const p of paths) this.root.add(p);
  }

  /**
   * The records, each with only the wanted paths; undefined when the fast path does not apply.
   * `ranges`, when given, receives where each record's text starts and ends in b (two numbers a record).
   */
  records(b: Buffer, ranges?: number[]): Record<string, unknown>[] | undefined {
    useWords(b);
    this.ranges = ranges;
    this.spaced = false;
    try {
      return this.document(b);
    } catch (e) {
      if (e === giveUp || e instanceof SyntaxError || e instanceof RangeError) return undefined;
      throw e;
    } finally {
      words = undefined;
      this.ranges = undefined;
    }
  }

  private document(b: Buffer): Record<string, unknown>[] {
    const n = b.length;
    let i = space(b, 0);
    if (b[i] !== OPEN_OBJ) throw giveUp;
    i = space(b, i + 1);
    let records: Record<string, unknown>[] | undefined;
    if (b[i] !== CLOSE_OBJ) {
      for (;;) {
        if (b[i] !== QUOTE) throw giveUp;
        const keyEnd = stringEnd(b, i);
        const isRecords = keyEnd - i === 9 && (b as unknown as Slices).latin1Slice(i + 1, keyEnd - 1) === "Records";
        i = space(b, keyEnd);
        if (b[i] !== COLON) throw giveUp;
        i = space(b, i + 1);
        if (isRecords) {
          if (b[i] !== OPEN_ARR || records) throw giveUp;
          records = [];
          i = this.array(b, i, records);
        } else i = skip(b, i, false, Infinity);
        i = space(b, i);
        if (b[i] === COMMA) i = space(b, i + 1);
        else if (b[i] === CLOSE_OBJ) break;
        else throw giveUp;
      }
    }
    if (!records || space(b, i + 1) !== n) throw giveUp;
    return records;
  }

  /** The records array starting at `i` (its `[`); returns the index after its `]`. */
  private array(b: Buffer, i: number, out: Record<string, unknown>[]): number {
    spaced = false;
    i = space(b, i + 1);
    if (b[i] === CLOSE_ARR) return i + 1;
    for (;;) {
      if (b[i] !== OPEN_OBJ) throw giveUp;
      out.push(this.object(b, i, this.root, 1));
      this.ranges?.push(i, this.end);
      i = space(b, this.end);
      if (b[i] === COMMA) i = space(b, i + 1);
      else if (b[i] === CLOSE_ARR) {
        this.spaced = spaced;
        return i + 1;
      } else throw giveUp;
    }
  }

  /**
   * The object starting at `i` (its `{`) with only the level's keys; `this.end` is set past its `}`.
   * `depth`: its level in the record (the record is 1). A record must have one of EVENT_KEYS.
   */
  private object(b: Buffer, i: number, level: Level, depth: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    /** Whether this is an event (or not a record): a record is one once a key of EVENT_KEYS is met. */
    let event = depth > 1;
    /** How deep a value's brackets may nest. */
    const nest = MAX_DEPTH - depth;
    i = space(b, i + 1);
    if (b[i] === CLOSE_OBJ) {
      if (!event) throw giveUp;
      this.end = i + 1;
      return obj;
    }
    for (;;) {
      if (b[i] !== QUOTE) throw giveUp;
      const keyStart = i + 1;
      const keyEnd = stringEnd(b, i) - 1;
      const keyEscaped = escaped;
      if (!event) {
        // an escaped key could spell an event key: only JSON.parse can tell
        if (keyEscaped) throw giveUp;
        event = isEventKey(b, keyStart, keyEnd);
      }
      i = space(b, keyEnd + 1);
      if (b[i] !== COLON) throw giveUp;
      i = space(b, i + 1);
      const k = level.find(b, keyStart, keyEnd, keyEscaped);
      const inner = k < 0 ? null : level.inner[k]!;
      if (inner && b[i] === OPEN_OBJ) {
        if (nest < 1) throw giveUp;
        setOwn(obj, level.names[k]!, this.object(b, i, inner, depth + 1));
        i = this.end;
      } else {
        const valueStart = i;
        i = skip(b, i, k >= 0, nest);
        if (k >= 0) setOwn(obj, level.names[k]!, value(b, valueStart, i));
      }
      i = space(b, i);
      if (b[i] === COMMA) i = space(b, i + 1);
      else if (b[i] === CLOSE_OBJ) {
        if (!event) throw giveUp;
        this.end = i + 1;
        return obj;
      } else throw giveUp;
    }
  }
}

const EVENT_KEY_BYTES = EVENT_KEYS.map((k) => Buffer.from(k));

/** Whether the bytes [s, e) spell one of EVENT_KEYS. */
function isEventKey(b: Buffer, s: number, e: number): boolean {
  const len = e - s;
  for (const key of EVENT_KEY_BYTES) {
    if (key.length !== len) continue;
    let j = 0;
    while (j < len && key[j] === b[s + j]) j++;
    if (j === len) return true;
  }
  return false;
}

const SPACE = new Uint8Array(256);
for (const c of " \t\r\n") SPACE[c.charCodeAt(0)] = 1;

function space(b: Buffer, i: number): number {
  return SPACE[b[i]!] === 1 ? spaceRun(b, i) : i;
}

/** space() past whitespace, noted: out of line, so that space() stays as small as it was (measured 5% on projection). */
function spaceRun(b: Buffer, i: number): number {
  spaced = true;
  do i++;
  while (SPACE[b[i]!] === 1);
  return i;
}

/** Whether space() or skip() went over whitespace outside strings since it was last reset. */
let spaced = false;

/** Whether the last string stringEnd() went over had an escape; whether it had a byte past ASCII. */
let escaped = false;
let nonAscii = false;

/**
 * Inside a string: 0 for an ASCII byte that goes on, 1 for `"`, 2 for `\\`, 3 for a byte past ASCII,
 * 4 for a control character (not allowed raw in JSON). Past the end, b[i] is undefined: no class.
 */
const IN_STRING = new Uint8Array(256).fill(3);
for (let c = 0; c < 0x20; c++) IN_STRING[c] = 4;
for (let c = 0x20; c < 0x80; c++) IN_STRING[c] = 0;
IN_STRING[QUOTE] = 1;
IN_STRING[BACKSLASH] = 2;

/** IN_STRING for a string in a skipped value, where what it holds does not matter: only the 0s differ. */
const IN_SKIPPED_STRING = IN_STRING.map((c) => (c === 3 ? 0 : c));

/** The index after the closing quote of the string whose opening quote is at `i`. */
function stringEnd(b: Buffer, i: number): number {
  escaped = false;
  nonAscii = false;
  i++;
  const w = words;
  for (;;) {
    if ((i & 3) === 0 && w !== undefined) i = plainWordsEnd(w, i, true);
    const c = IN_STRING[b[i]!];
    if (c === 0) i++;
    else if (c === 1) return i + 1;
    else if (c === 2) {
      escaped = true;
      i += 2;
    } else if (c === 3) {
      nonAscii = true;
      i++;
    } else throw giveUp; // a raw control character, or past the end
  }
}

/** Outside strings in a skipped object or array: 0 for a byte that goes on, else what it is. */
const OUTSIDE = new Uint8Array(256).fill(4); // 4: not JSON here
for (const c of "0123456789+-.eEtrufalsn,:") OUTSIDE[c.charCodeAt(0)] = 0;
for (const c of " \t\r\n") OUTSIDE[c.charCodeAt(0)] = 5; // whitespace: goes on, noted
OUTSIDE[QUOTE] = 1;
OUTSIDE[OPEN_OBJ] = OUTSIDE[OPEN_ARR] = 2;
OUTSIDE[CLOSE_OBJ] = OUTSIDE[CLOSE_ARR] = 3;

/**
 * The document's bytes as 32-bit words, when they start 4-aligned (a gunzipped buffer does), for
 * the string loops (plainWordsEnd); `wholeWords` of them lie inside the document.
 */
let words: Int32Array | undefined;
let wholeWords = 0;

function useWords(b: Buffer): void {
  words = (b.byteOffset & 3) === 0 ? new Int32Array(b.buffer, b.byteOffset, b.length >> 2) : undefined;
  wholeWords = b.length >> 2;
}

/**
 * Inside a string, from the 4-aligned byte `i`: where the first word that may hold a byte other
 * than plain ASCII text starts (a quote, a backslash, a control character, and a byte past ASCII
 * when `stopPastAscii`). Most of a record's bytes are in strings, and this goes through them four
 * bytes at a time. The test is the usual bit trick: (x - 0x01010101) & ~x & 0x80808080 is not 0
 * when a byte of x is 0 (x: the word XOR the byte sought), or, with 0x20202020, below 0x20.
 */
function plainWordsEnd(w: Int32Array, i: number, stopPastAscii: boolean): number {
  const pastAscii = stopPastAscii ? 0x80808080 : 0;
  let j = i >> 2;
  for (; j < wholeWords; j++) {
    const v = w[j]!;
    const q = v ^ 0x22222222;
    const e = v ^ 0x5c5c5c5c;
    if ((((q - 0x01010101) & ~q) | ((e - 0x01010101) & ~e) | ((v - 0x20202020) & ~v) | (v & pastAscii)) & 0x80808080) break;
  }
  return j << 2;
}

/** stringEnd for a string whose text is not wanted: nothing noted on the way. */
function skipString(b: Buffer, i: number): number {
  i++;
  const w = words;
  for (;;) {
    if ((i & 3) === 0 && w !== undefined) i = plainWordsEnd(w, i, false);
    const c = IN_SKIPPED_STRING[b[i]!];
    if (c === 0) i++;
    else if (c === 1) return i + 1;
    else if (c === 2) i += 2;
    else throw giveUp; // a raw control character, or past the end
  }
}

/**
 * The index after the value starting at `i`; for a `wanted` string, what it holds is noted for value().
 * Objects and arrays may nest `nest` levels deep (the value itself is the first); deeper, it gives up.
 */
function skip(b: Buffer, i: number, wanted: boolean, nest: number): number {
  const c = b[i];
  if (c === QUOTE) return wanted ? stringEnd(b, i) : skipString(b, i);
  if (c === OPEN_OBJ || c === OPEN_ARR) {
    let depth = 0;
    for (;;) {
      const t = OUTSIDE[b[i]!];
      if (t === 0) i++;
      else if (t === 1) i = skipString(b, i);
      else if (t === 2) {
        if (++depth > nest) throw giveUp;
        i++;
      } else if (t === 3) {
        if (--depth === 0) return i + 1;
        i++;
      } else if (t === 5) {
        spaced = true;
        i++;
      } else throw giveUp; // not JSON, or past the end
    }
  }
  const n = b.length;
  const start = i;
  while (i < n) {
    const x = b[i]!;
    if (x === COMMA || x === CLOSE_OBJ || x === CLOSE_ARR || x === 0x20 || x === 0x0a || x === 0x0d || x === 0x09) break;
    if (BARE[x] === 0) throw giveUp;
    i++;
  }
  if (i === start) throw giveUp;
  return i;
}

/** Buffer's own decoders (what toString(encoding, start, end) calls after checking its arguments). */
interface Slices {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/**
 * The JS value of the JSON text [s, e), just skipped: a string without escapes is sliced from the
 * bytes (ASCII is its own latin1, which decodes without validating); anything else is JSON.parse'd.
 */
function value(b: Buffer, s: number, e: number): unknown {
  if (b[s] === QUOTE && !escaped) return nonAscii ? (b as unknown as Slices).utf8Slice(s + 1, e - 1) : (b as unknown as Slices).latin1Slice(s + 1, e - 1);
  return JSON.parse((b as unknown as Slices).utf8Slice(s, e));
}
