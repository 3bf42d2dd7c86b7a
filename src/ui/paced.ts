// A reader that waits for the page: before each batch of a file it waits while the response holds
// more than HIGH_WATER bytes not yet sent, so a slow browser slows the scan instead of filling the
// server's memory. The fast path of small files reads without a wait: while the response holds that
// much, it leaves each file to read(), which waits (a client that read nothing had a scan of 300,000
// events run to its end, the server 620 MB bigger). (A scan in worker threads reads in the workers
// and is not paced: what its operators hold is what the CLI's would hold.)
import { Reader, type ReaderOptions } from "../sources/index.js";
import type { SmallContent } from "../sources/decompress.js";
import type { FoundFile } from "../sources/walk.js";
import type { EventBatch } from "../sources/index.js";
import type { Writable } from "node:stream";

export const HIGH_WATER = 4 << 20;

/** Resolves once `out` has sent what it held past the high-water mark (or has closed). */
export function drained(out: Writable): Promise<void> {
  if (out.writableLength <= HIGH_WATER || out.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      out.off("drain", done);
      out.off("close", done);
      resolve();
    };
    out.on("drain", done);
    out.on("close", done);
  });
}

export class PacedReader extends Reader {
  constructor(inputs: string[], opts: ReaderOptions, private readonly out: Writable) {
    super(inputs, opts);
  }

  override readQuick(found: FoundFile): EventBatch[] | undefined {
    return this.behind ? undefined : super.readQuick(found);
  }

  override readDecoded(found: FoundFile, decoded: SmallContent | "empty"): EventBatch[] | undefined {
    return this.behind ? undefined : super.readDecoded(found, decoded);
  }

  /** The page is behind: the response holds more than HIGH_WATER bytes not yet sent. */
  private get behind(): boolean {
    return this.out.writableLength > HIGH_WATER && !this.out.destroyed;
  }

  override async *read(found: FoundFile): AsyncGenerator<EventBatch> {
    for await (const b of super.read(found)) {
      await drained(this.out);
      yield b;
    }
  }
}
