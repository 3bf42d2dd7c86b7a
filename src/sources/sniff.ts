// Sniffing content: the content decides the format, never the file name. First the bytes on disk
// (gzip, zip, or something we can't read), then the decoded text (empty, binary, JSON or not), then
// whether JSON is one document or JSON lines.

import { isAscii } from "node:buffer";
import { closeSync, openSync, readSync } from "node:fs";
import { utf8Text } from "./utf8.js";

export type Compression = "gzip" | "zip" | "bzip2" | "xz" | "zstd" | "tar";

/** Bytes needed to recognise every compression below. */
export const MAGIC_BYTES = 6;

/** The first `bytes` bytes of a file on disk (fewer in a shorter file), or undefined when it can't be opened or read. */
export function fileHead(path: string, bytes: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const head = Buffer.alloc(bytes);
    return head.subarray(0, readSync(fd, head, 0, bytes, 0));
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The compression the first bytes announce, or undefined for anything else. */
export function compressionOf(head: Uint8Array): Compression | undefined {
  const b = (i: number): number => (i < head.length ? head[i]! : -1);
  if (b(0) === 0x1f && b(1) === 0x8b) return "gzip";
  if (b(0) === 0x50 && b(1) === 0x4b && ((b(2) === 3 && b(3) === 4) || (b(2) === 5 && b(3) === 6))) return "zip";
  if (b(0) === 0x42 && b(1) === 0x5a && b(2) === 0x68) return "bzip2";
  if (b(0) === 0xfd && b(1) === 0x37 && b(2) === 0x7a && b(3) === 0x58 && b(4) === 0x5a && b(5) === 0) return "xz";
  if (b(0) === 0x28 && b(1) === 0xb5 && b(2) === 0x2f && b(3) === 0xfd) return "zstd";
  if (isTar(head)) return "tar";
  return undefined;
}

export const isJsonSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Offset of the first byte that is not JSON whitespace nor a UTF-8 byte-order mark, or -1. */
export function firstNonSpace(buf: Uint8Array, from = 0): number {
  let i = from;
  if (i === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
  for (; i < buf.length; i++) if (!isJsonSpace(buf[i]!)) return i;
  return -1;
}

/** The UTF-16 encoding a byte-order mark at the start says, or undefined when there is none. */
export function utf16Bom(head: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  return undefined;
}

/**
 * What UTF-16 content with a byte-order mark starts with (PowerShell's Out-File and `>` write it,
 * often as `export.txt`: a folder's walk ignored such an export unless named .json), or undefined
 * when the content has no UTF-16 byte-order mark.
 */
function utf16Start(head: Uint8Array): ContentStart | undefined {
  const bom = utf16Bom(head);
  if (bom === undefined) return undefined;
  const le = bom === "utf-16le";
  for (let i = 2; i + 1 < head.length; i += 2) {
    const c = le ? head[i]! | (head[i + 1]! << 8) : (head[i]! << 8) | head[i + 1]!;
    if (isJsonSpace(c)) continue;
    return c === 0x7b || c === 0x5b ? "json" : "text";
  }
  return "empty";
}

/** What is said of a tar archive, plain or gzipped: trailq does not read inside one. */
export const TAR_NOT_READ = "not read (extract its files first, then read the folder)";

/** Whether content is a tar archive: "ustar" at 257 (POSIX and GNU tar). */
export function isTar(head: Uint8Array): boolean {
  return head.length >= 262 && head[257] === 0x75 && head[258] === 0x73 && head[259] === 0x74 && head[260] === 0x61 && head[261] === 0x72;
}

/** What decoded content starts with. */
export type ContentStart = "empty" | "json" | "binary" | "text";

export function contentStart(head: Uint8Array): ContentStart {
  const wide = utf16Start(head);
  if (wide !== undefined) return wide;
  const i = firstNonSpace(head);
  if (i < 0) return "empty";
  const c = head[i]!;
  if (c === 0x7b /* { */ || c === 0x5b /* [ */) return "json";
  const end = Math.min(head.length, 1024);
  for (let j = 0; j < end; j++) {
    const b = head[j]!;
    // NUL or a control character that text never has (tab, newlines, form feed, escape are fine).
    if (b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) || b === 0x7f) return "binary";
  }
  return "text";
}

/** How many complete lines the JSON-lines test samples. */
export const SAMPLE_LINES = 5;

/**
 * Whether JSON content is JSON lines rather than one document. `head` is the start of the content;
 * `ended` says it is all of it. JSON lines means: at least two non-blank lines, and at least half of the
 * first few complete lines look like JSON values of their own (`{...}` or `[...]`, not empty; a broken
 * line still counts, so that it is skipped alone rather than taking the file with it). A pretty-printed
 * document fails this (its lines are `{`, `"key": value,`...), and so does a one-line document, even
 * when it is a single event: that is exactly "more than one top-level value follows".
 */
export function isJsonLines(head: Uint8Array, ended: boolean): boolean {
  const buf = Buffer.from(head.buffer, head.byteOffset, head.length);
  let pos = firstNonSpace(buf);
  if (pos < 0) return false;
  let segments = 0;
  let sampled = 0;
  let good = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    const complete = nl >= 0 || ended;
    const end = nl >= 0 ? nl : buf.length;
    // The line's first and last non-space bytes (looked at in place: a line may be a whole document).
    let a = pos;
    let z = end - 1;
    while (a <= z && isJsonSpace(buf[a]!)) a++;
    while (z >= a && isJsonSpace(buf[z]!)) z--;
    if (a <= z) {
      segments++;
      if (complete && sampled < SAMPLE_LINES) {
        sampled++;
        if (isStandaloneValue(buf, a, z)) good++;
      }
    }
    if (nl < 0) break;
    pos = nl + 1;
    if (segments > SAMPLE_LINES && sampled >= SAMPLE_LINES) break;
  }
  return segments >= 2 && good > 0 && good * 2 >= sampled;
}

/**
 * A line (bytes a..z, trimmed) that is a JSON value of its own: `{...}` or `[...]` with something
 * inside, maybe broken, whose brackets close where it ends (the last line of a document written
 * a record a line, `{...}]}`, closes more than it opens).
 */
function isStandaloneValue(buf: Buffer, a: number, z: number): boolean {
  const c = buf[a]!;
  const e = buf[z]!;
  if (z - a < 2 || !((c === 0x7b && e === 0x7d) || (c === 0x5b && e === 0x5d))) return false;
  let inside = false;
  for (let i = a + 1; i < z; i++) {
    const b = buf[i]!;
    if (!isJsonSpace(b) && b !== 0x7b && b !== 0x7d && b !== 0x5b && b !== 0x5d) {
      inside = true;
      break;
    }
  }
  return inside && closesAtEnd(buf, a, z);
}

/** Whether the brackets of bytes a..z (outside strings) close exactly at z, and not before. */
function closesAtEnd(buf: Buffer, a: number, z: number): boolean {
  let depth = 0;
  for (let i = a; i <= z; i++) {
    const b = buf[i]!;
    if (b === 0x22) {
      // a string, to its closing quote (past escapes); one that does not close is a broken line, not more brackets
      for (i++; i <= z && buf[i] !== 0x22; i++) if (buf[i] === 0x5c) i++;
      continue;
    }
    if (b === 0x7b || b === 0x5b) depth++;
    else if ((b === 0x7d || b === 0x5d) && --depth === 0) return i === z;
  }
  return depth > 0;
}

/** Enough of the head to decide isJsonLines: the sample's lines, plus one more to see something follows. */
export function hasSampleLines(head: Uint8Array): boolean {
  let n = 0;
  let i = -1;
  const buf = Buffer.from(head.buffer, head.byteOffset, head.length);
  while ((i = buf.indexOf(0x0a, i + 1)) >= 0) if (++n > SAMPLE_LINES) return true;
  return false;
}

/**
 * Text of UTF-8 bytes. CloudTrail JSON is nearly always pure ASCII (other characters arrive as \u
 * escapes), and ASCII decodes faster as latin1, which gives the same string (about 4% of a whole parse).
 */
export function textOf(buf: Buffer): string {
  return isAscii(buf) ? buf.toString("latin1") : utf8Text(buf);
}
