// The read-ahead thread (read-ahead.ts): reads and gunzips the small files it is sent, in order, but
// those the scan's thread began first, and sends back each chunk's contents in one transferred buffer.
import { workerData } from "node:worker_threads";
import { decodeSmall, inPlace } from "./decompress.js";
import { freeBuffers } from "../exec/memory.js";
import { BY_THREAD, CONTENT, EMPTY, ENTRY_WORDS, LEFT, STOPPED, newBuffer, reusedBuffer, type ReadAheadData, type ReadAheadFiles, type ReadChunk, type ReadChunkDone } from "./read-ahead.js";

/**
 * The scan's port (read-ahead.ts): the files' marks, then chunks to read come on it, and go back on
 * it read. When the scan is over, `stop` says so and the port closes: the thread ends of itself.
 */
const data = workerData as ReadAheadData;
const port = data.port;
const stop = new Uint8Array(data.stop);
/** Each file's reader: a file is this thread's when it marks it first. */
let marks: Uint8Array<ArrayBufferLike> = new Uint8Array(0);

/** Buffers the scan is done with, to be filled again. */
const free: ArrayBuffer[] = [];


port.on("message", (m: ReadAheadFiles | ReadChunk | ArrayBuffer) => {
  if (m instanceof ArrayBuffer) {
    free.push(m);
    return;
  }
  if ("marks" in m) {
    marks = new Uint8Array(m.marks);
    return;
  }
  const entries = new Float64Array(m.files.length * ENTRY_WORDS);
  const texts = new ChunkTexts(free);
  for (let k = 0; k < m.files.length; k++) {
    if (Atomics.load(stop, 0) === STOPPED) return;
    const file = m.files[k];
    // the scan's to read, or taken by it: its entry stays 0
    if (!file || Atomics.compareExchange(marks, m.first + k, 0, BY_THREAD) !== 0) continue;
    const got = decodeSmall(file, m.maxDecoded, texts.room);
    const at = k * ENTRY_WORDS;
    if (got === undefined) entries[at] = LEFT;
    else if (got === "empty") entries[at] = EMPTY;
    else {
      entries[at] = CONTENT;
      entries[at + 1] = texts.add(got.text);
      entries[at + 2] = got.text.length;
      entries[at + 3] = got.bytesRead;
    }
  }
  const buffer = texts.buffer;
  port.postMessage({ first: m.first, entries, buffer } satisfies ReadChunkDone, [buffer, entries.buffer]);
  // what was made outside the heap for the chunk (a text that did not fit where it was given room,
  // a buffer outgrown) is garbage now, which a thread that makes so little else seldom collects
  // (each file's own text piled up to 50 MB when there was one)
  freeBuffers();
});
port.postMessage("ready");

/**
 * A chunk's texts end to end in one buffer, written there by decodeSmall (room), or copied when a
 * text did not fit where it was given room; the buffer grows as needed.
 */
class ChunkTexts {
  buffer: ArrayBuffer;
  /** Bytes of texts in the buffer. */
  private used = 0;

  constructor(private readonly free: ArrayBuffer[]) {
    this.buffer = reusedBuffer(free, 0) ?? newBuffer(0);
  }

  /** Room for `bytes` more at the end (a TextRoom). */
  readonly room = (bytes: number): Buffer => {
    if (this.used + bytes > this.buffer.byteLength) {
      const bigger = reusedBuffer(this.free, this.used + bytes) ?? newBuffer(Math.max(this.used + bytes, 2 * this.buffer.byteLength));
      new Uint8Array(bigger).set(new Uint8Array(this.buffer, 0, this.used));
      this.free.push(this.buffer);
      this.buffer = bigger;
    }
    return Buffer.from(this.buffer, this.used, this.buffer.byteLength - this.used);
  };

  /** Where the text just decoded is in the buffer, copied there if it was not written in place. */
  add(text: Buffer): number {
    const at = this.used;
    if (!inPlace(text, this.buffer, at)) text.copy(this.room(text.length));
    this.used += text.length;
    return at;
  }
}
