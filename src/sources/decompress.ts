// Bytes in, decoded bytes out: a file or a stream read in chunks, and gunzipped or unzipped when its
// first bytes say so (never the file name). gzip goes through node:zlib's streaming Gunzip, which
// reads multi-member files and runs in the libuv pool; zip through fflate's streaming Unzip.
//
// Small files (most CloudTrail files: tens of KB to a few MB) take a faster road: read in one go and
// gunzipped in one synchronous call (gunzip-sync.ts) on the reading thread, which saves the
// thread-pool round trips of a stream (about 30% of the reader's time on a set of 200 typical
// files). Whenever that road fails (corrupt or truncated gzip, or more decoded than the caller
// wants held) the same bytes go through the streaming decoder, so the outcome (what is kept, what
// is reported) is the same.
import { crc32 } from "./crc32.js";
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { Socket } from "node:net";
import { Readable, pipeline } from "node:stream";
import { createGunzip, createInflateRaw, type Gunzip } from "node:zlib";
import type { UnzipFile } from "fflate";
import { gunzipWhole } from "./gunzip-sync.js";
import { MAGIC_BYTES, TAR_NOT_READ, compressionOf } from "./sniff.js";
import type { SourceFile } from "./types.js";

/** Raw read size, and gunzip output chunk size (zlib's default 16 KiB chunks make it 1.6x slower). */
export const READ_CHUNK = 1 << 20;
export const GUNZIP_CHUNK = 1 << 20;
/** Zip input is pushed to fflate in slices this big, which bounds what one push can inflate to. */
const ZIP_PUSH = 64 << 10;

export interface ByteCounters {
  bytesRead: number;
  bytesDecoded: number;
}

/**
 * Decoded content, the start of the next entry of a zip archive (each entry is its own document), or
 * a problem that does not end the file (trailing garbage ignored, a zip entry not read).
 */
export type Decoded = Buffer | { entry: string } | { problem: { reason: string; detail: string } };

/** The content can't be decoded (corrupt or truncated gzip, bad zip, unsupported compression). */
export class DecodeError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = "DecodeError";
  }
}

export interface OpenFile {
  chunks: AsyncGenerator<Buffer>;
  /**
   * The file's bytes again from the start (the file opened anew), for a decoder that must look twice;
   * not for what has no size (a pipe named on purpose: opening it again would wait for a writer).
   */
  again?: () => AsyncGenerator<Buffer>;
  /**
   * For a gzip file, the decoded size of its last member as its trailer states it (modulo 4 GiB):
   * a lower bound of the decoded size, known before decoding. 0 when not gzip or too small to matter.
   */
  gzipSizeHint: number;
  close(): Promise<void>;
}

/** Below this a gzip file can't decode to more than about 64 MiB (deflate expands at most 1032 times). */
const HINT_MIN_SIZE = 64 << 10;

/** Files up to this size on disk are read whole (see decodeWhole). */
export const SMALL_FILE = 8 << 20;

/** Read by emptyFile. */
const ONE_BYTE = Buffer.alloc(1);

/**
 * Whether a file whose size was 0 when found is a regular file with no bytes: open, stat and read on
 * this thread, a few microseconds. (The usual road costs a 1 MiB read buffer, whose garbage took
 * most of the 27 s of a folder of 20,000 empty files, and a few thread-pool trips.) Anything else (a
 * pipe, a file that grew, an error) is for the usual road, which reports problems.
 */
export function emptyFile(path: string): boolean {
  let fd: number;
  try {
    // non-blocking: opening a named pipe must not wait for a writer
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return false;
  }
  try {
    return fstatSync(fd).isFile() && readSync(fd, ONE_BYTE, 0, 1, 0) === 0;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** The first `size` bytes of a file (fewer when it is shorter now), in one buffer. */
async function readUpTo(fh: FileHandle, size: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(size);
  let n = 0;
  while (n < size) {
    const { bytesRead } = await fh.read(buf, n, size - n, n);
    if (bytesRead === 0) break;
    n += bytesRead;
  }
  return n === size ? buf : buf.subarray(0, n);
}

/**
 * What readSmall reads into, on this thread: SMALL_FILE bytes and one more, to see that a file is
 * bigger. Its pages are touched only as far as the biggest file read.
 */
let scratch: Buffer | undefined;

/**
 * The bytes of a small file, read on this thread into the scratch buffer (valid until the next
 * call): its size as read replaces the one listed (an estimate when the walk did not stat it:
 * SourceFile.estimated). One read asks for more than SMALL_FILE: a regular file's read returns fewer
 * bytes than asked only at its end, so there is no fstat and no buffer a file (2 µs a file of the
 * small-file trail). Undefined when it is past SMALL_FILE or can't be read (the careful reader then
 * reads it, or says why it can't).
 */
function readSmall(file: Pick<SourceFile, "path" | "size" | "estimated">): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file.path, constants.O_RDONLY);
  } catch {
    return undefined;
  }
  try {
    const buf = (scratch ??= Buffer.allocUnsafeSlow(SMALL_FILE + 1));
    const n = readSync(fd, buf, 0, buf.length, 0);
    file.estimated = false;
    if (n > SMALL_FILE) {
      file.size = fstatSync(fd).size;
      return undefined;
    }
    file.size = n;
    return buf.subarray(0, n);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** A small file's content as read and decoded (decodeSmall): the text, and the bytes read for it. */
export interface SmallContent {
  text: Buffer;
  bytesRead: number;
}

/**
 * A small file's content, read and gunzipped (up to `maxDecoded` bytes) in one synchronous step, on
 * this thread or on the read-ahead thread (read-ahead.ts): "empty" for a file that has no bytes when
 * opened; undefined when the careful reader must read it: standard input, a big file, another
 * compression, a gzip that does not gunzip whole, a read error.
 */
export function decodeSmall(file: Pick<SourceFile, "path" | "size" | "estimated">, maxDecoded: number, room?: TextRoom): SmallContent | "empty" | undefined {
  if (file.path === "-" || file.size === 0 || file.size > SMALL_FILE) return undefined;
  const raw = readSmall(file);
  if (!raw) return undefined;
  if (raw.length === 0) return "empty";
  const kind = compressionOf(raw);
  if (kind === "gzip") {
    const text = gunzipHeld(raw, maxDecoded, room);
    return text ? { text, bytesRead: raw.length } : undefined;
  }
  if (kind !== undefined) return undefined;
  // the scratch buffer is read into again: the text is a copy
  if (!room) return { text: Buffer.from(raw), bytesRead: raw.length };
  const into = room(raw.length);
  raw.copy(into);
  return { text: into.subarray(0, raw.length), bytesRead: raw.length };
}

/**
 * Where a caller that gathers small files' texts end to end would have the next one written: a
 * buffer of at least `bytes`, at the end of what it holds (decodeSmall's text is then a view of
 * its start, unless it did not fit: see inPlace).
 */
export type TextRoom = (bytes: number) => Buffer;

/** Whether `text` was written where `room` gave room for it, at `at` in `buffer` (else it is a buffer of its own). */
export function inPlace(text: Buffer, buffer: ArrayBufferLike, at: number): boolean {
  return text.buffer === buffer && text.byteOffset === at;
}

/** A small file's bytes, in one buffer. */
export async function readWhole(path: string, size: number): Promise<Buffer> {
  const fh = await open(path, "r");
  try {
    return await readUpTo(fh, size);
  } finally {
    await fh.close();
  }
}

/** The decoded size of a gzip's last member as its trailer states it (modulo 4 GiB), or 0 when not gzip. */
export function gzipTrailerSize(buf: Buffer): number {
  return buf.length >= 18 && compressionOf(buf) === "gzip" ? buf.readUInt32LE(buf.length - 4) : 0;
}

/**
 * A gzip held whole, gunzipped in one call where `room` gives room for it, or else into a buffer
 * of the size its trailer states (one allocation, no joining: 25% faster; not rounded up to zlib's
 * 16 KiB: a small file's buffer is garbage until a young collection, and over the small-file trail
 * the rounding cost about 10 MB of peak RSS); undefined when it is corrupt or truncated, or decodes
 * (or says it decodes) to more than `maxDecoded`. A trailer that understates the size costs more
 * buffers, joined, not an error.
 */
export function gunzipHeld(buf: Buffer, maxDecoded: number, room?: TextRoom): Buffer | undefined {
  const stated = gzipTrailerSize(buf);
  if (stated > maxDecoded) return undefined;
  try {
    return gunzipWhole(buf, stated, maxDecoded, room?.(stated + 1));
  } catch {
    return undefined;
  }
}

/**
 * Decoded content of bytes held whole: gzip up to `maxDecoded` decoded bytes in one synchronous call,
 * anything else (or a gzip that fails that way, or says in its trailer that it is bigger) through decode().
 */
export async function* decodeWhole(buf: Buffer, counters: ByteCounters, maxDecoded: number): AsyncGenerator<Decoded> {
  const kind = compressionOf(buf);
  if (kind === undefined) {
    counters.bytesRead += buf.length;
    counters.bytesDecoded += buf.length;
    if (buf.length > 0) yield buf;
    return;
  }
  if (kind === "gzip") {
    // Corrupt, truncated, or too big to hold: the streaming decoder keeps what decodes and says why.
    const out = gunzipHeld(buf, maxDecoded);
    if (out) {
      counters.bytesRead += buf.length;
      counters.bytesDecoded += out.length;
      yield out;
      return;
    }
  }
  yield* decode(once(buf), counters, () => once(buf));
}

async function* once(buf: Buffer): AsyncGenerator<Buffer> {
  yield buf;
}

/**
 * A file's bytes. Opening it is separate so that "can't open" is told apart from "can't decode".
 * A file that is not compressed and at most `wholeUpTo` bytes is read in one buffer (its pieces
 * then join without a copy: bytes.ts), else in chunks of READ_CHUNK.
 */
export async function openFile(path: string, size: number, wholeUpTo = 0): Promise<OpenFile> {
  const fh = await open(path, "r");
  let gzipSizeHint = 0;
  let whole = false;
  if (size >= HINT_MIN_SIZE) {
    try {
      const head = Buffer.alloc(MAGIC_BYTES);
      const tail = Buffer.alloc(4);
      await fh.read(head, 0, MAGIC_BYTES, 0);
      await fh.read(tail, 0, 4, size - 4);
      const kind = compressionOf(head);
      if (kind === "gzip") gzipSizeHint = tail.readUInt32LE(0);
      whole = kind === undefined && size <= wholeUpTo;
    } catch {
      // A hint only: reading goes on without it.
    }
  }
  if (whole) {
    const chunks = async function* (): AsyncGenerator<Buffer> {
      const buf = await readUpTo(fh, size);
      yield buf;
      // what the file holds past the size it had when found
      yield* fileChunks(fh, buf.length);
    };
    return { chunks: chunks(), again: () => again(path), gzipSizeHint, close: () => fh.close() };
  }
  const file: OpenFile = { chunks: fileChunks(fh), gzipSizeHint, close: () => fh.close() };
  if (size > 0) file.again = () => again(path);
  return file;
}

/** A file's bytes in chunks, from `from` on, or from where it is (a pipe has no positions). */
async function* fileChunks(fh: FileHandle, from?: number): AsyncGenerator<Buffer> {
  let at = from ?? null;
  for (;;) {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    const { bytesRead } = await fh.read(buf, 0, READ_CHUNK, at);
    if (bytesRead === 0) return;
    if (at !== null) at += bytesRead;
    yield bytesRead === READ_CHUNK ? buf : buf.subarray(0, bytesRead);
  }
}

/** A file's bytes again, from a handle of their own. */
async function* again(path: string): AsyncGenerator<Buffer> {
  const fh = await open(path, "r");
  try {
    yield* fileChunks(fh);
  } finally {
    await fh.close();
  }
}

/**
 * A named pipe as a stream: opened non-blocking (an open for reading would wait in a worker thread of
 * libuv's pool for a writer, where nothing can cancel it, and keep the process alive), then read
 * through the event loop, which waits for the writer's data and lets streamChunks end the wait.
 */
export function openPipe(path: string): NodeJS.ReadableStream {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  return new Socket({ fd, readable: true, writable: false });
}

/** A stream's chunks as Buffers; ends (without an error) as soon as the signal aborts, even mid-wait. */
export async function* streamChunks(stream: NodeJS.ReadableStream, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const it = (stream as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  let waiting = false;
  try {
    for (;;) {
      if (signal?.aborted) return;
      waiting = true;
      const r = await nextOrAbort(it, signal);
      if (r === undefined) return;
      waiting = false;
      if (r.done) return;
      const c = r.value;
      yield typeof c === "string" ? Buffer.from(c) : c;
    }
  } finally {
    if (waiting) {
      // A next() is still pending (aborted mid-wait): the iterator would only return after it, so
      // end the stream instead of waiting for data that may never come.
      (stream as { destroy?: () => void }).destroy?.();
      it.return?.().catch(() => {});
    } else await it.return?.();
  }
}

/**
 * The iterator's next result, or undefined as soon as the signal aborts. The wait on the signal is
 * one listener for this call alone, removed when the result comes: a race with one promise kept for
 * the whole stream would keep every chunk alive (each race's reaction stays on the unsettled promise,
 * and holds its result): standard input was held whole, 208 MB for 206 MB read.
 */
function nextOrAbort<T>(it: AsyncIterator<T>, signal: AbortSignal | undefined): Promise<IteratorResult<T> | undefined> {
  const next = it.next();
  if (!signal) return next;
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    next.then(
      (r) => {
        signal.removeEventListener("abort", onAbort);
        resolve(r);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** Counts the raw bytes going by. */
async function* counted(raw: AsyncIterable<Buffer>, counters: ByteCounters): AsyncGenerator<Buffer> {
  for await (const c of raw) {
    counters.bytesRead += c.length;
    yield c;
  }
}

/**
 * Decoded content of raw bytes: gzip (one or more members) is gunzipped, a zip archive yields each
 * entry after an `{ entry }` marker, anything else passes through. Decoded bytes are counted as they
 * are yielded; what was decoded before a corrupt or truncated part is yielded before the DecodeError.
 * `again`: the same raw bytes from the start, for a gzip that fails (see gunzip); absent for a
 * stream that can't be read twice (standard input).
 */
export async function* decode(raw: AsyncIterable<Buffer>, counters: ByteCounters, again?: () => AsyncIterable<Buffer>): AsyncGenerator<Decoded> {
  const it = counted(raw, counters)[Symbol.asyncIterator]();
  // Enough bytes to see the magic number (a pipe may deliver them a byte at a time).
  const head: Buffer[] = [];
  let headLen = 0;
  let ended = false;
  while (headLen < MAGIC_BYTES) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    head.push(r.value);
    headLen += r.value.length;
  }
  let first: Buffer | undefined = head.length === 1 ? head[0]! : Buffer.concat(head);
  head.length = 0;
  const kind = compressionOf(first);
  /** The first chunk, once: nothing here holds it after (a plain file read whole is one chunk). */
  const takeFirst = (): Buffer => {
    const f = first!;
    first = undefined;
    return f;
  };
  async function* rest(): AsyncGenerator<Buffer> {
    if (first!.length > 0) yield takeFirst();
    if (ended) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  try {
    if (kind === "gzip") yield* gunzip(rest(), counters, again);
    else if (kind === "zip") yield* unzip(rest(), counters);
    else if (kind === "tar") throw new DecodeError("unsupported compression", `a tar archive: ${TAR_NOT_READ}`);
    else if (kind !== undefined) throw new DecodeError("unsupported compression", `${kind}-compressed: not supported (decompress it first)`);
    else
      for await (const c of rest()) {
        counters.bytesDecoded += c.length;
        yield c;
      }
  } finally {
    await it.return?.(undefined);
  }
}

/**
 * gzip, every member. When zlib stops on bad data (trailing garbage, a corrupt or cut member), the
 * members before it are complete, but zlib's output of the step that failed is lost with the error:
 * the bytes are read again to find where the last complete member ends (gzipDataEnd, which checks
 * each member's CRC-32), and what those members hold beyond what was handed on already is gunzipped
 * again and handed on. Text handed on past them (zlib's, before it found the member corrupt) is
 * said in the error: it may be wrong. Then bytes that do not start another member are trailing
 * garbage, as gzip(1) says: a problem, and the content is whole; anything else is the error it was,
 * the complete members' records kept.
 */
async function* gunzip(raw: AsyncIterable<Buffer>, counters: ByteCounters, again?: () => AsyncIterable<Buffer>): AsyncGenerator<Decoded> {
  let out = 0;
  const extent = new Extent(raw);
  try {
    const engine = gunzipEngine();
    for await (const c of gunzipStream(extent.chunks(), engine)) {
      out += c.length;
      counters.bytesDecoded += c.length;
      yield c;
    }
    // zlib ends at zero bytes after a member (padding) and reads no further: what follows them is
    // not read, as gzip(1) says too
    if (extent.lastNonZero >= engine.bytesWritten) {
      yield { problem: { reason: "data after zero padding", detail: `${extent.bytes - engine.bytesWritten} bytes after the gzip data (zero bytes, then more) ignored` } };
    }
    return;
  } catch (e) {
    let failure = gzipFailure(e);
    const found = again && failure instanceof DecodeError ? await gzipDataEnd(again()) : undefined;
    // zlib hands on a member's text before it finds the member corrupt (at its CRC-32, or where its
    // data stop inflating): text past the members whose check held was read, and may be wrong
    if (failure instanceof DecodeError && failure.reason === "corrupt gzip" && out > (found?.decoded ?? 0)) {
      failure = new DecodeError(failure.reason, `${failure.message}: the part read from the member that failed may be wrong`);
    }
    if (!found) throw failure;
    let skip = out;
    try {
      for await (let c of gunzipStream(upTo(again!(), found.end))) {
        if (skip >= c.length) {
          skip -= c.length;
          continue;
        }
        if (skip > 0) c = c.subarray(skip);
        skip = 0;
        counters.bytesDecoded += c.length;
        yield c;
      }
    } catch {
      // the members the walk found complete failing again (a read error): the error it was
      throw failure;
    }
    if (!found.garbage) throw failure;
    yield { problem: { reason: "trailing garbage", detail: "trailing garbage after the gzip data ignored" } };
  }
}

/**
 * The bytes of a stream passed through, counted, with where the last byte that is not zero was (-1: none):
 * gunzip's check for data after zero padding. Almost every chunk ends with a byte that is not zero.
 */
class Extent {
  lastNonZero = -1;
  /** Bytes passed through. */
  bytes = 0;
  constructor(private readonly raw: AsyncIterable<Buffer>) {}

  async *chunks(): AsyncGenerator<Buffer> {
    for await (const c of this.raw) {
      let i = c.length - 1;
      while (i >= 0 && c[i] === 0) i--;
      if (i >= 0) this.lastNonZero = this.bytes + i;
      this.bytes += c.length;
      yield c;
    }
  }
}

function gunzipEngine(): Gunzip {
  return createGunzip({ chunkSize: GUNZIP_CHUNK });
}

function gunzipStream(raw: AsyncIterable<Buffer>, gz: Gunzip = gunzipEngine()): AsyncGenerator<Buffer> {
  // Read errors reach us through gz (pipeline destroys it with them); breaking out destroys both.
  pipeline(Readable.from(raw, { objectMode: false }), gz, () => {});
  return (async function* () {
    try {
      yield* gz as AsyncIterable<Buffer>;
    } finally {
      gz.destroy();
    }
  })();
}

/** zlib's error as a DecodeError (a read error stays what it is). */
function gzipFailure(e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "Z_BUF_ERROR") return new DecodeError("truncated gzip", "gzip data ends early (truncated file)");
  if (typeof code === "string" && code.startsWith("Z_")) return new DecodeError("corrupt gzip", `corrupt gzip (${(e as Error).message})`);
  return e;
}

/** The raw bytes up to `end`. */
async function* upTo(raw: AsyncIterable<Buffer>, end: number): AsyncGenerator<Buffer> {
  let at = 0;
  for await (const c of raw) {
    if (at + c.length >= end) {
      yield c.subarray(0, end - at);
      return;
    }
    at += c.length;
    yield c;
  }
}

/** gzip header flags (RFC 1952). */
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

/**
 * Where the complete gzip members at the start of the bytes end, and whether what follows them is
 * not gzip at all (garbage: it does not start with gzip's magic bytes); undefined when the first
 * member is not complete. Each member's header is read here and its deflate data run through a raw
 * inflater, whose count of the bytes it used says where the data ends, and whose output's CRC-32 is
 * checked against the member's trailer (a member that fails it is not complete).
 */
async function gzipDataEnd(raw: AsyncIterable<Buffer>): Promise<{ end: number; garbage: boolean; decoded: number } | undefined> {
  const it = raw[Symbol.asyncIterator]();
  /** Bytes not used yet, from offset `at` of the content. */
  let buf: Buffer = Buffer.alloc(0);
  let at = 0;
  let eof = false;
  const more = async (): Promise<boolean> => {
    if (eof) return false;
    const r = await it.next();
    if (r.done) {
      eof = true;
      return false;
    }
    buf = buf.length === 0 ? r.value : Buffer.concat([buf, r.value]);
    return true;
  };
  const need = async (n: number): Promise<boolean> => {
    while (buf.length < n) if (!(await more())) return false;
    return true;
  };
  const use = (n: number): void => {
    buf = buf.subarray(n);
    at += n;
  };
  /** The length of the member header at the start of buf, or undefined when it is not one. */
  const header = async (): Promise<number | undefined> => {
    if (!(await need(10)) || buf[2] !== 8) return undefined;
    const flags = buf[3]!;
    let n = 10;
    if (flags & FEXTRA) {
      if (!(await need(n + 2))) return undefined;
      n += 2 + buf.readUInt16LE(n);
    }
    for (const flag of [FNAME, FCOMMENT]) {
      if (!(flags & flag)) continue;
      for (;;) {
        if (!(await need(n + 1))) return undefined;
        if (buf[n++] === 0) break;
      }
    }
    if (flags & FHCRC) n += 2;
    return (await need(n)) ? n : undefined;
  };
  /** The CRC-32 of the member's output so far. */
  let crc = 0;
  /** The member's decoded bytes so far. */
  let size = 0;
  /**
   * Runs the deflate data at the start of buf through a raw inflater, using the bytes it takes, its
   * output's CRC-32 in `crc`; false when it fails or ends early.
   */
  const inflateThrough = async (): Promise<boolean> => {
    const inf = createInflateRaw();
    crc = 0;
    size = 0;
    inf.on("data", (d: Buffer) => {
      crc = crc32(d, crc);
      size += d.length;
    });
    // bad data: an error event (the write's callback is not called then)
    const failed = new Promise<boolean>((resolve) => inf.on("error", () => resolve(true)));
    try {
      for (;;) {
        if (buf.length === 0 && !(await more())) return false;
        const chunk = buf;
        const before = inf.bytesWritten;
        const written = new Promise<boolean>((resolve) => inf.write(chunk, (e) => resolve(e != null)));
        if (await Promise.race([written, failed])) return false;
        const used = inf.bytesWritten - before;
        use(used);
        // it took less than it was given: the data ended (its output, emitted as zlib made it, is
        // counted in crc; a turn of the event loop lets any still queued through)
        if (used < chunk.length) {
          await new Promise((resolve) => setImmediate(resolve));
          return true;
        }
      }
    } finally {
      inf.destroy();
    }
  };
  let members = 0;
  /** Where the complete members end, and their decoded bytes. */
  let end = 0;
  let decoded = 0;
  const complete = (garbage: boolean): { end: number; garbage: boolean; decoded: number } | undefined => (members > 0 ? { end, garbage, decoded } : undefined);
  try {
    for (;;) {
      if (!(await need(1))) return complete(false);
      // zlib itself ignores zero bytes after a member (padding)
      if (buf[0] === 0) return complete(false);
      if (!(await need(2)) || buf[0] !== 0x1f || buf[1] !== 0x8b) return complete(true);
      const h = await header();
      if (h === undefined) return complete(false);
      use(h);
      if (!(await inflateThrough())) return complete(false);
      if (!(await need(8))) return complete(false);
      // a member whose output fails its check is where the good ones end
      if (buf.readUInt32LE(0) !== crc) return complete(false);
      use(8);
      members++;
      end = at;
      decoded += size;
    }
  } finally {
    await it.return?.();
  }
}


/**
 * Entries that are folders, or macOS resource forks and other hidden files (a part of the name
 * starting with a dot, as the walk skips them), are not documents. `.` and `..` are not hidden: an
 * entry named `../x.json` or `/abs/x.json` is read like any other (names are never used to write).
 */
const skipEntry = (name: string): boolean =>
  name.endsWith("/") || name.split("/").some((part) => (part.startsWith(".") && part !== "." && part !== "..") || part === "__MACOSX");

async function* unzip(raw: AsyncIterable<Buffer>, counters: ByteCounters): AsyncGenerator<Decoded> {
  const out: Decoded[] = [];
  let failure: DecodeError | undefined;
  // loaded for the first zip only: fflate builds its tables when it loads (about 7 ms of start-up)
  const { Gunzip, Unzip, UnzipInflate, UnzipPassThrough } = await import("fflate");
  const uz = new Unzip();
  uz.register(UnzipInflate);
  uz.register(UnzipPassThrough);
  let open: UnzipFile | undefined;
  let openDone = true;
  uz.onfile = (f) => {
    if (skipEntry(f.name)) {
      f.ondata = () => {};
      return;
    }
    if (f.compression !== 0 && f.compression !== 8) {
      // this entry only: the next ones are read
      out.push({ problem: { reason: "unsupported compression", detail: `zip entry ${f.name}: compression method ${f.compression} not supported: entry skipped` } });
      f.ondata = () => {};
      return;
    }
    open = f;
    openDone = false;
    out.push({ entry: f.name });
    const entry = entryDecoder(
      Gunzip,
      (data) => {
        counters.bytesDecoded += data.length;
        out.push(Buffer.from(data.buffer, data.byteOffset, data.length));
      },
      (detail) => out.push({ problem: { reason: "corrupt gzip", detail: `zip entry ${f.name}: ${detail}: the rest of the entry skipped` } }),
    );
    f.ondata = (err, data, final) => {
      if (err) failure ??= new DecodeError("corrupt zip", `zip entry ${f.name}: ${err.message}`);
      else entry(data, final);
      if (final) openDone = true;
    };
    f.start();
  };
  const push = (chunk: Uint8Array, final: boolean): void => {
    try {
      uz.push(chunk, final);
    } catch (e) {
      failure ??= new DecodeError("corrupt zip", `corrupt zip (${(e as Error).message})`);
    }
  };
  for await (const c of raw) {
    for (let i = 0; i < c.length && !failure; i += ZIP_PUSH) {
      push(c.subarray(i, Math.min(c.length, i + ZIP_PUSH)), false);
      for (const d of out.splice(0)) yield d;
    }
    if (failure) break;
  }
  if (!failure) push(new Uint8Array(0), true);
  for (const d of out.splice(0)) yield d;
  if (failure) throw failure;
  if (open && !openDone) throw new DecodeError("truncated zip", `zip entry ${(open as UnzipFile).name} ends early (truncated file)`);
}

/**
 * A zip entry's bytes as they come, handed to `emit` gunzipped when they start as gzip (a zipped
 * trail's `.json.gz` files; every member, through fflate's streaming Gunzip), else as they are.
 * A gzip that fails to decode is reported once through `fail`, and the rest of the entry dropped.
 */
function entryDecoder(
  Gunzip: typeof import("fflate").Gunzip,
  emit: (data: Uint8Array) => void,
  fail: (detail: string) => void,
): (data: Uint8Array, final: boolean) => void {
  /** The first bytes, held until there are enough to tell gzip (undefined: told). */
  let head: Uint8Array | undefined = new Uint8Array(0);
  let gz: InstanceType<typeof Gunzip> | undefined;
  let failed = false;
  return (data, final) => {
    if (failed) return;
    if (head) {
      if (head.length > 0) data = Buffer.concat([head, data]);
      if (data.length < 2 && !final) {
        head = data;
        return;
      }
      head = undefined;
      if (data[0] === 0x1f && data[1] === 0x8b) gz = new Gunzip((d) => d.length > 0 && emit(d));
    }
    if (!gz) {
      if (data.length > 0) emit(data);
      return;
    }
    try {
      gz.push(data, final);
    } catch (e) {
      failed = true;
      fail(`corrupt gzip (${(e as Error).message})`);
    }
  };
}

