// Reading ahead, for a scan on one thread: a second thread opens, reads and gunzips the small files
// the scan will want next (the half of a small file's cost that is system calls and zlib), and
// hands their contents over a chunk at a time, in one transferred buffer; the scan's thread
// projects them and runs the commands. The scan is the one-thread scan, file by file in its order:
// only where the bytes come from changes. Worker threads (exec/parallel.ts) cost more a file than
// they save on files of a few events (docs/performance.md), this costs a message a chunk.
//
// The thread may start before the scan, while the files are listed (readAheadEarly): it is given
// the files, and the marks below, when the scan begins.
//
// When the chunk the scan wants next is still being read, the scan's thread reads files of it
// itself, from its end, rather than wait: the thread reads a chunk's files from its start, and each
// file is taken once, by whichever thread marks it first in a byte the two share. The scan holds the
// texts of the files it read so until their turn, copied into buffers of its own that it fills again
// (a file's own buffers, held across a few young collections, were moved to the old generation and
// freed only by a whole collection: 40 MB more at the peak).
import type { MessagePort, Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { threadModule, threads } from "../exec/threads.js";
import { SMALL_FILE, decodeSmall, inPlace, type SmallContent } from "./decompress.js";
import type { FoundFile } from "./walk.js";
import type { SourceFile } from "./types.js";

/** What the thread is started with: the port chunks come and go on, and the flag that stops it (STOPPED: the scan is over). */
export interface ReadAheadData {
  port: MessagePort;
  stop: SharedArrayBuffer;
}

/** The stop flag's value once the scan is over: the thread reads no file more and ends. */
export const STOPPED = 1;

/** The scan's files' marks (BY_THREAD, BY_SCAN), sent once the files are known, before any chunk. */
export interface ReadAheadFiles {
  marks: SharedArrayBuffer;
}

/** A chunk's files, from `first` on (null: one the scan reads itself). */
export interface ReadChunk {
  first: number;
  files: (Pick<SourceFile, "path" | "size" | "estimated"> | null)[];
  maxDecoded: number;
}

/** A chunk read: ENTRY_WORDS numbers a file (what, and for CONTENT where its text is in `buffer` and the bytes read). */
export interface ReadChunkDone {
  first: number;
  entries: Float64Array;
  buffer: ArrayBuffer;
}

export const ENTRY_WORDS = 4;
/** The file's text is in the buffer. */
export const CONTENT = 1;
/** The file has no bytes. */
export const EMPTY = 2;
/** Left to the careful reader (decodeSmall: big, another compression, does not gunzip, can't be read). */
export const LEFT = 3;

/** What the scan does with a file: its content, "empty", "left" (the careful reader reads it), or "self" (read it the usual way). */
export type AheadContent = SmallContent | "empty" | "left" | "self";

const MODULE = threadModule("read-ahead-worker", import.meta.url);

/** Files a chunk at most, and bytes on disk a chunk about: a message's cost shared by many files, few enough that the scan never waits long. */
const CHUNK_FILES = 64;
const CHUNK_BYTES = 1 << 20;
/** Chunks asked for beyond the one the scan reads. */
const CHUNKS_AHEAD = 4;
/** The scan reads this many files itself first: a scan that stops early (a limit) starts no thread. */
const START_AFTER = 256;
/** Files left past that for a thread to be worth starting (it takes 50-100 ms to start). */
const MIN_FILES = 2_000;

/**
 * Whether a scan of `files` from file `at` on should read ahead, now: TRAILQ_READ_AHEAD=always
 * (from the first file, waiting for the thread: tests), never, or by default past START_AFTER
 * files with MIN_FILES left, on a machine with a core to spare.
 */
export function readAheadNow(at: number, files: number): boolean {
  const set = process.env["TRAILQ_READ_AHEAD"];
  if (set === "never") return false;
  if (set === "always") return at === 0;
  return at === START_AFTER && files - at >= MIN_FILES && availableParallelism() >= 2;
}

/**
 * A thread started while the files are still listed, now that `found` are, for a scan that reads
 * every file (the caller knows no limit can stop it early): such a scan reads ahead once
 * START_AFTER + MIN_FILES are found, so the thread can start now and be ready when the listing ends
 * (the 23,363 files of the small-file trail take about 200 ms to list; the thread 100 ms to start).
 * None with TRAILQ_READ_AHEAD set: the tests' roads stay as they were.
 */
export function readAheadEarly(found: number, maxDecoded: number): ReadAhead | undefined {
  if (process.env["TRAILQ_READ_AHEAD"] !== undefined || found !== START_AFTER + MIN_FILES || availableParallelism() < 2) return undefined;
  readAheadFiles.early++;
  return new ReadAhead(maxDecoded);
}

/**
 * Files whose content came from a read-ahead thread, files of its chunks the scan's thread read
 * itself rather than wait, threads started while the files were listed, and threads that ended of
 * themselves once closed (not terminated), in this process (the tests check that each was used).
 */
export const readAheadFiles = { count: 0, taken: 0, early: 0, endedOfItself: 0 };
/**
 * Tests: the scan's thread takes files of each chunk as soon as it asks for it, not only when it
 * would wait (takeAtOnce); the scan waits for a thread to be ready (as with
 * TRAILQ_READ_AHEAD=always) and then for each chunk, taking none of its files itself
 * (waitForThread), so that a thread started while listing reads every file however slow it is.
 */
export const readAheadTesting = { takeAtOnce: false, waitForThread: false };

/** A buffer of at least `bytes` taken from `free` (given back to be filled again), or undefined when none is big enough. */
export function reusedBuffer(free: ArrayBuffer[], bytes: number): ArrayBuffer | undefined {
  const k = free.findIndex((b) => b.byteLength >= bytes);
  return k >= 0 ? free.splice(k, 1)[0] : undefined;
}

/** A new buffer for texts of `bytes`: a little bigger, so that it is filled again by the chunks after. */
export function newBuffer(bytes: number): ArrayBuffer {
  return new ArrayBuffer(Math.max(bytes, 1 << 20));
}

/** Who reads a file of a chunk, marked in the byte the two threads share (0: not begun). */
export const BY_THREAD = 1;
export const BY_SCAN = 2;

/** Whether the thread is sent a file to read: not a pipe nor standard input; an empty file of known size is the scan's (emptyFile). */
function threadReads(f: SourceFile): boolean {
  return f.path !== "-" && !f.pipe && (f.estimated === true || (f.size > 0 && f.size <= SMALL_FILE));
}

interface Chunk {
  first: number;
  end: number;
  /** The scan's thread may take files before this one (it takes them from the end). */
  back: number;
  /** The buffers the texts of the files the scan's thread took are in (the last one filled `used` bytes). */
  own: ArrayBuffer[];
  used: number;
  done?: ReadChunkDone;
  wake?: () => void;
}

/** A read-ahead thread for one scan's files (scan.ts: scanInline); close() it when the scan ends. */
export class ReadAhead {
  /**
   * Bytes of the buffers the scan's thread holds: the thread's chunks come, and its own for the files
   * it took (memory.ts: freeBuffers does not count them as garbage).
   */
  heldBytes = 0;
  private readonly worker: Worker;
  /** The thread's messages come on this port, so that they can be taken between files without a wait (receiveMessageOnPort). */
  private readonly port: MessagePort;
  /** Set to STOPPED by close(): the thread checks it before each file. */
  private readonly stop = new Uint8Array(new SharedArrayBuffer(1));
  /** Files from here on come from the thread (set once it is ready: before, the scan reads them). */
  private from = Infinity;
  /** The first file not asked for yet. */
  private next = 0;
  /** Chunks asked for and not yet passed, in order. */
  private readonly chunks: Chunk[] = [];
  /** Each file's reader, once one began it (BY_THREAD, BY_SCAN): shared with the thread. */
  private marks: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  /** The scan's files (read(): the thread may start before they are all listed). */
  private files: readonly FoundFile[] = [];
  /** The contents of files the scan's thread read itself, until their turn. */
  private readonly taken = new Map<number, AheadContent>();
  /** Buffers for the texts of the files this thread takes, free to be filled again. */
  private readonly ownFree: ArrayBuffer[] = [];
  private failed = false;
  /** The thread said it is ready. */
  private ready = false;
  /** TRAILQ_READ_AHEAD=always (or readAheadTesting.waitForThread): the first take waits for the thread to be ready, so that every file is read ahead. */
  private readied: Promise<void> | undefined;
  private onReady: (() => void) | undefined;

  /** Starts the thread; read() gives it the files. */
  constructor(private readonly maxDecoded: number) {
    const { MessageChannel, Worker } = threads();
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(MODULE, { workerData: { port: port2, stop: this.stop.buffer as SharedArrayBuffer } satisfies ReadAheadData, transferList: [port2] });
    port1.on("message", (m: ReadChunkDone | "ready") => this.heard(m));
    if (process.env["TRAILQ_READ_AHEAD"] === "always" || readAheadTesting.waitForThread) this.readied = new Promise((resolve) => (this.onReady = resolve));
    this.worker.on("error", () => this.fail());
    this.worker.on("exit", () => this.fail());
  }

  /** The scan's files, in its order: once, before take(). */
  read(files: readonly FoundFile[]): void {
    this.files = files;
    const marks = new SharedArrayBuffer(files.length);
    this.marks = new Uint8Array(marks);
    this.port.postMessage({ marks } satisfies ReadAheadFiles);
  }

  /**
   * The content of file `i` (files are asked for in order, each once): from the thread, or read on
   * this thread while the thread reads the start of its chunk (takeFrom), a promise while the thread
   * has it on the way, or "self" when the thread has not started or failed.
   */
  take(i: number): AheadContent | Promise<AheadContent> {
    this.receive();
    const own = this.takenContent(i);
    if (own !== undefined) return own;
    if (this.from === Infinity) {
      if (!this.ready && this.readied && !this.failed) return this.readied.then(() => this.take(i));
      if (!this.ready || this.failed) return "self";
      this.from = this.next = i;
    }
    if (i < this.from) return "self";
    while (this.chunks.length > 0 && this.chunks[0]!.end <= i) this.passed(this.chunks.shift()!);
    this.ask();
    const chunk = this.chunks[0];
    if (!chunk || chunk.first > i) return "self";
    if (chunk.done) return this.content(chunk.done, i);
    if (this.failed) return "self";
    // rather than wait, read the chunk's files from its end until the thread has the rest, then
    // those of the next chunks (the thread is finishing this one's last file)
    if (!readAheadTesting.waitForThread) for (let k = 0; k < this.chunks.length && !chunk.done; k++) this.takeFrom(this.chunks[k]!, chunk);
    if (chunk.done) return this.content(chunk.done, i);
    const mine = this.takenContent(i);
    if (mine !== undefined) return mine;
    return new Promise<void>((resolve) => (chunk.wake = resolve)).then(() => (chunk.done ? this.content(chunk.done, i) : "self"));
  }

  /** Takes the messages that came, without waiting for the event loop. */
  private receive(): void {
    for (let m = threads().receiveMessageOnPort(this.port); m; m = threads().receiveMessageOnPort(this.port)) this.heard(m.message as ReadChunkDone | "ready");
  }

  private heard(m: ReadChunkDone | "ready"): void {
    if (m === "ready") {
      this.ready = true;
      this.onReady?.();
    } else this.arrived(m);
  }

  /**
   * Stops the thread (the scan is over, or stopped): it reads no file past the one it is in, and
   * ends once the port is closed. Not terminated: a thread terminated in gunzipSync may leave a
   * zlib handle made but not initialised, which aborts the whole process when it is collected
   * ("close before init", node_zlib.cc), one scan stopped by a limit in a few dozen.
   */
  close(): void {
    Atomics.store(this.stop, 0, STOPPED);
    this.port.close();
    this.worker.removeAllListeners("exit");
    this.worker.on("exit", (code) => code === 0 && readAheadFiles.endedOfItself++);
  }

  /** Asks for chunks until CHUNKS_AHEAD are on the way past the one read. */
  private ask(): void {
    while (!this.failed && this.chunks.length <= CHUNKS_AHEAD && this.next < this.files.length) {
      const first = this.next;
      const chunk: ReadChunk["files"] = [];
      let bytes = 0;
      while (this.next < this.files.length && chunk.length < CHUNK_FILES && bytes < CHUNK_BYTES) {
        const f = this.files[this.next++]!.file;
        chunk.push(threadReads(f) ? { path: f.path, size: f.size, ...(f.estimated ? { estimated: true } : {}) } : null);
        bytes += f.size;
      }
      const asked: Chunk = { first, end: this.next, back: this.next, own: [], used: 0 };
      this.chunks.push(asked);
      this.port.postMessage({ first, files: chunk, maxDecoded: this.maxDecoded } satisfies ReadChunk);
      if (readAheadTesting.takeAtOnce) this.takeFrom(asked, asked);
    }
  }

  /**
   * Reads files of a chunk not yet come, from its end, until the chunk the scan waits for comes or
   * the thread has begun the file before (the thread reads a chunk's files in order, so it has begun
   * every one before that too).
   */
  private takeFrom(chunk: Chunk, waitingFor: Chunk): void {
    while (chunk.back > chunk.first && !chunk.done && !waitingFor.done) {
      const j = --chunk.back;
      const file = this.files[j]!.file;
      if (!threadReads(file)) continue; // the scan's in any case
      if (Atomics.compareExchange(this.marks, j, 0, BY_SCAN) !== 0) {
        chunk.back = chunk.first;
        return;
      }
      const got = decodeSmall(file, this.maxDecoded, (bytes) => this.roomIn(chunk, bytes));
      this.taken.set(j, typeof got === "object" ? { text: this.keep(chunk, got.text), bytesRead: got.bytesRead } : (got ?? "left"));
      readAheadFiles.taken++;
      this.receive();
    }
  }

  /** Room for `bytes` at the end of the chunk's last own buffer, or in one more (a TextRoom). */
  private roomIn(chunk: Chunk, bytes: number): Buffer {
    let last: ArrayBuffer | undefined = chunk.own[chunk.own.length - 1];
    if (!last || chunk.used + bytes > last.byteLength) {
      last = reusedBuffer(this.ownFree, bytes);
      if (!last) {
        last = newBuffer(bytes);
        this.heldBytes += last.byteLength; // live, not garbage, for as long as this thread reads ahead
      }
      chunk.own.push(last);
      chunk.used = 0;
    }
    return Buffer.from(last, chunk.used, last.byteLength - chunk.used);
  }

  /** A text taken for a chunk, in one of the chunk's own buffers: where roomIn gave it room, else copied there. */
  private keep(chunk: Chunk, text: Buffer): Buffer {
    const last = chunk.own[chunk.own.length - 1];
    let kept = text;
    if (!last || !inPlace(text, last, chunk.used)) {
      kept = this.roomIn(chunk, text.length).subarray(0, text.length);
      text.copy(kept);
    }
    chunk.used += kept.length;
    return kept;
  }

  /** The content of file i if the scan's thread read it already (takeFrom). */
  private takenContent(i: number): AheadContent | undefined {
    const content = this.taken.get(i);
    if (content !== undefined) this.taken.delete(i);
    return content;
  }

  /**
   * A chunk the scan is past: its buffer goes back to the thread to be filled again (nothing holds
   * a view of it: the projection and the records' texts are copies). New buffers a chunk made the
   * scan's thread collect its heap whole every few chunks, for the memory held outside it.
   */
  private passed(chunk: Chunk): void {
    this.ownFree.push(...chunk.own);
    if (!chunk.done) return;
    this.heldBytes -= chunk.done.buffer.byteLength;
    if (!this.failed) this.port.postMessage(chunk.done.buffer, [chunk.done.buffer]);
  }

  private arrived(m: ReadChunkDone): void {
    const chunk = this.chunks.find((c) => c.first === m.first);
    if (!chunk) return;
    chunk.done = m;
    this.heldBytes += m.buffer.byteLength;
    chunk.wake?.();
  }

  private content(done: ReadChunkDone, i: number): AheadContent {
    const at = (i - done.first) * ENTRY_WORDS;
    const e = done.entries;
    switch (e[at]) {
      case CONTENT:
        readAheadFiles.count++;
        return { text: Buffer.from(done.buffer, e[at + 1]!, e[at + 2]!), bytesRead: e[at + 3]! };
      case EMPTY:
        readAheadFiles.count++;
        return "empty";
      case LEFT:
        readAheadFiles.count++;
        return "left";
      default:
        return "self"; // not sent (the scan's to read), or taken by the scan (takenContent)
    }
  }

  /** The thread failed (or ended): the files it did not read are the scan's to read. */
  private fail(): void {
    this.failed = true;
    this.onReady?.();
    for (const c of this.chunks) c.wake?.();
  }
}
