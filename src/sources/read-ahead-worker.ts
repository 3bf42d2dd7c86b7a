// The read-ahead thread (read-ahead.ts): reads and gunzips the small files it is sent, in order, but
// those the scan's thread began first, and sends back each chunk's contents in one transferred buffer.
import { workerData } from "node:worker_threads";
import { decodeSmall } from "./decompress.js";
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
  const texts: Buffer[] = [];
  let bytes = 0;
  for (let k = 0; k < m.files.length; k++) {
    if (Atomics.load(stop, 0) === STOPPED) return;
    const file = m.files[k];
    // the scan's to read, or taken by it: its entry stays 0
    if (!file || Atomics.compareExchange(marks, m.first + k, 0, BY_THREAD) !== 0) continue;
    const got = decodeSmall(file, m.maxDecoded);
    const at = k * ENTRY_WORDS;
    if (got === undefined) entries[at] = LEFT;
    else if (got === "empty") entries[at] = EMPTY;
    else {
      entries[at] = CONTENT;
      entries[at + 1] = bytes;
      entries[at + 2] = got.text.length;
      entries[at + 3] = got.bytesRead;
      texts.push(got.text);
      bytes += got.text.length;
    }
  }
  const buffer = reusedBuffer(free, bytes) ?? newBuffer(bytes);
  const all = new Uint8Array(buffer);
  let at = 0;
  for (const t of texts) {
    all.set(t, at);
    at += t.length;
  }
  port.postMessage({ first: m.first, entries, buffer } satisfies ReadChunkDone, [buffer, entries.buffer]);
  // each file's bytes and text are garbage now, outside the heap, which a thread that makes so
  // little else seldom collects (they piled up to 50 MB)
  freeBuffers();
});
port.postMessage("ready");
