// The fast path for the common file: a CloudTrail `{"Records":[...]}` document, gzipped or plain, small
// enough to hold (as CloudTrail writes them). Read, gunzip and split in one synchronous step, with
// only the keys the query reads (project.ts) and, for @message, each record's text sliced where the
// projector found it (raw.ts), and skipped unparsed when its text cannot hold an event the query's
// filter keeps (prefilter.ts). Anything else, or anything odd, is left to the careful
// reader (reader.ts), which streams, says what is wrong and goes on.
import { isUtf8 } from "node:buffer";
import { EVENT_KEYS, MAX_DEPTH, isObject, looksLikeEvent, nestedDeeper } from "./cloudtrail.js";
import { decodeSmall, type SmallContent } from "./decompress.js";
import { WHOLE_PARSE_LIMIT } from "./split.js";
import { Projector } from "./project.js";
import { compactJson } from "./raw.js";
import { strictUtf8 } from "./utf8.js";
import type { Prefilter } from "./prefilter.js";
import type { SourceFile } from "./types.js";

export type FastRead =
  /** raws: each event's text as written (raw.ts), when asked for; fps: the projector's fingerprints (EventBatch). */
  | { kind: "events"; events: Record<string, unknown>[]; raws?: string[]; fps?: Int32Array; bytesRead: number; bytesDecoded: number }
  /** The text holds none of the prefilter's literals: no event of the file can pass the filter. */
  | { kind: "unmatched"; bytesRead: number; bytesDecoded: number }
  /** The file has no bytes when opened (its size when listed was an estimate, or has changed since). */
  | { kind: "empty" };

/** How the fast path reads a file. */
export interface FastWay {
  /** Only the projector's paths of each event (undefined: whole events). */
  projector?: Projector | undefined;
  /** Files without its literals are passed over unparsed. */
  prefilter?: Prefilter | undefined;
  /** Each event's text as written too (@message). */
  texts?: boolean;
  /**
   * Every byte of the file checked as UTF-8 first, not only the texts read (ReaderOptions.utf8Checked):
   * a file that is not is the careful reader's, which says so.
   */
  utf8Checked?: boolean;
}

/**
 * The file's events (whole, or with only the projector's paths), with their texts when `texts`, or
 * undefined when the careful reader must read it: what decodeSmall leaves to it, not a Records
 * document, bad data, an item that is not an event (not an object, or none of CloudTrail's event
 * keys), a record nested deeper than MAX_DEPTH.
 */
export function readFast(file: SourceFile, way: FastWay): FastRead | undefined {
  const decoded = decodeSmall(file, WHOLE_PARSE_LIMIT);
  return decoded === undefined ? undefined : fastFromDecoded(decoded, way);
}

/** readFast for a file decoded already (by decodeSmall: here, or on the read-ahead thread). */
export function fastFromDecoded(decoded: SmallContent | "empty", way: FastWay): FastRead | undefined {
  if (decoded === "empty") return { kind: "empty" };
  const { text } = decoded;
  const { projector, prefilter, texts = false } = way;
  if (way.utf8Checked && !isUtf8(text)) return undefined;
  const sizes = { bytesRead: decoded.bytesRead, bytesDecoded: text.length };
  if (prefilter && !prefilter.mayMatch(text)) {
    // Only a whole Records document is known to hold nothing else: another shape, or a cut one, is
    // read the careful way, which says what it is.
    return looksWhole(text) ? { kind: "unmatched", ...sizes } : undefined;
  }
  let events: Record<string, unknown>[] | undefined;
  let raws: string[] | undefined;
  if (texts) {
    const r = withTexts(text, projector);
    if (r) ({ events, raws } = r);
  } else events = projector ? projector.records(text) : wholeRecords(text);
  if (!events || events.length === 0) return undefined;
  const read: FastRead = raws ? { kind: "events", events, raws, ...sizes } : { kind: "events", events, ...sizes };
  if (projector?.fingerprints) read.fps = projector.fingerprints;
  return read;
}

/** Finds the records' texts only (an empty projection): the whole events are then parsed from them. */
const TEXTS_ONLY = new Projector([]);

/**
 * The records of a Records document and each one's text as written (raw.ts): the projector's paths
 * of them, or with none, each record parsed whole from its text.
 */
function withTexts(text: Buffer, projector: Projector | undefined): { events: Record<string, unknown>[]; raws: string[] } | undefined {
  const ranges: number[] = [];
  const p = projector ?? TEXTS_ONLY;
  const projected = p.records(text, ranges);
  if (!projected) return undefined;
  // whitespace between tokens (a pretty-printed document) is removed; a compact document's slices stand
  const raws = new Array<string>(projected.length);
  for (let k = 0; k < raws.length; k++) {
    const t = strictUtf8(text, ranges[2 * k], ranges[2 * k + 1]);
    if (t === undefined) return undefined; // the careful reader says so
    raws[k] = p.spaced ? compactJson(t) : t;
  }
  if (projector) return { events: projected, raws };
  try {
    return { events: raws.map((t) => JSON.parse(t) as Record<string, unknown>), raws };
  } catch {
    return undefined;
  }
}

/**
 * The records of a whole `{"Records":[...]}` document, if that is what it is: its array's text
 * parsed (recordsInPieces), never the whole document, whose "Records" key JSON.parse would take
 * where it is written last or with an escape, as no other reading does (the careful reader, which
 * gets any document not read here, reads the first and says there is another).
 */
function wholeRecords(text: Buffer): Record<string, unknown>[] | undefined {
  const records = recordsInPieces(text);
  if (records === undefined) return undefined;
  for (const r of records) if (!isObject(r) || !looksLikeEvent(r) || nestedDeeper(r, MAX_DEPTH)) return undefined;
  return records as Record<string, unknown>[];
}

/**
 * About this many bytes of records are parsed at a time. A file's text made one string is, past 128
 * KB, an object of V8's large-object space, whose memory is mapped afresh for each one: on a machine
 * where a page's first write costs 10 µs, turning a 450 KB file into one string took 1.5 ms, in
 * pieces 0.15 (parsing 300 files of the benchmark's 1M trail: 450 → 200 ms).
 */
const PIECE_BYTES = 32 << 10;
/** Where one record ends and the next begins, as CloudTrail writes them (its first key eventVersion). */
const RECORD_SEPARATOR = Buffer.from('},{"eventVersion":');

/**
 * The items of a Records document parsed a piece at a time, cut where RECORD_SEPARATOR stands:
 * outside a string (no quote stands unescaped in one), so between two objects of an array.
 * Undefined, and the careful reader reads the text, when it is not a Records document with the
 * array's ends where expected (the key written first and as it reads), or a piece is not whole JSON
 * (a second "Records" key, the separator in an array nested in a record, or bad text: the careful
 * reader says which).
 */
export function recordsInPieces(text: Buffer): unknown[] | undefined {
  const span = recordsSpan(text);
  if (!span) return undefined;
  const { end } = span;
  const items: unknown[] = [];
  for (let from = span.from; from < end; ) {
    const next = end - from > 2 * PIECE_BYTES ? text.indexOf(RECORD_SEPARATOR, from + PIECE_BYTES) : -1;
    const cut = next < 0 || next >= end ? end : next + 1;
    let piece: unknown[];
    try {
      const t = strictUtf8(text, from, cut);
      if (t === undefined) return undefined;
      piece = JSON.parse(`[${t}]`) as unknown[];
    } catch {
      return undefined;
    }
    for (let k = 0; k < piece.length; k++) items.push(piece[k]);
    from = cut + 1;
  }
  return items;
}

const RECORDS_START = /^\s*\{\s*"Records"\s*:\s*\[/;
const RECORDS_END = /\]\s*\}\s*$/;

/**
 * Where the Records array's items lie (from the byte after its `[` to its `]`), when the text begins
 * and ends as a Records document; else undefined. Only the first and last 64 bytes are read.
 */
function recordsSpan(text: Buffer): { from: number; end: number } | undefined {
  const head = RECORDS_START.exec(text.toString("latin1", 0, Math.min(text.length, 64)));
  if (!head) return undefined;
  const tailAt = Math.max(0, text.length - 64);
  const tail = RECORDS_END.exec(text.toString("latin1", tailAt));
  return tail ? { from: head[0].length, end: tailAt + tail.index } : undefined;
}

/** EVENT_KEYS as they stand, quoted, in a document's text. */
const QUOTED_EVENT_KEYS = EVENT_KEYS.map((k) => Buffer.from(JSON.stringify(k)));

/** Whether the text begins and ends as a Records document (not cut short) of CloudTrail events. */
function looksWhole(text: Buffer): boolean {
  return recordsSpan(text) !== undefined && QUOTED_EVENT_KEYS.some((k) => text.includes(k));
}
