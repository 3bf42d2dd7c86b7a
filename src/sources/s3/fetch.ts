// Fetching one object into a local file: GetObject (with If-Match on the listed ETag, so that an
// object replaced since the listing is not taken for the one listed), streamed to a partial file
// beside the target and renamed into place when every byte came. The SDK retries throttling and 5xx
// answers with backoff; what still fails is a problem for the object's warning, never an exception.
import { createWriteStream, renameSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import { Transform, type Readable } from "node:stream";
import { dirname } from "node:path";
import type { S3Client, Sdk } from "./sdk.js";
import { sdkProblem } from "./sdk.js";
import { ensureDir, partialFile } from "./cache.js";
import { letGo, madeRemovedAtEnd, removeNow } from "../../exec/temp-paths.js";
import type { ListedObject } from "./list.js";

export type FetchResult = { ok: true; bytes: number } | { ok: false; reason: string; detail: string };

/** The reason of a fetch stopped by the run's signal (no warning: the run was interrupted). */
export const INTERRUPTED = "interrupted";

export async function fetchObject(sdk: Sdk, client: S3Client, obj: ListedObject, target: string, signal?: AbortSignal): Promise<FetchResult> {
  // removed however the run ends (SIGTERM while the body streams), until renamed into place
  const tmp = madeRemovedAtEnd(() => partialFile(target));
  let bytes = 0;
  try {
    ensureDir(dirname(target));
    const got = await client.send(
      new sdk.GetObjectCommand({ Bucket: obj.bucket, Key: obj.key, ...(obj.etag ? { IfMatch: obj.etag } : {}) }),
      signal ? { abortSignal: signal } : {},
    );
    const body = got.Body as Readable | undefined;
    if (!body) return { ok: false, reason: "S3 error", detail: "GetObject gave no body: skipped" };
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(body, count, createWriteStream(tmp), signal ? { signal } : {});
    const expected = got.ContentLength ?? obj.size;
    if (bytes !== expected) {
      removeNow(tmp);
      return { ok: false, reason: "truncated", detail: `truncated answer: ${bytes} of ${expected} bytes came: skipped` };
    }
    renameSync(tmp, target);
    letGo(tmp);
    return { ok: true, bytes };
  } catch (e) {
    removeNow(tmp);
    // stopped (Ctrl-C, the end of the run): not the object's fault
    if (signal?.aborted) return { ok: false, reason: INTERRUPTED, detail: "interrupted: not read" };
    const err = e as { code?: string; message?: string } | undefined;
    if (err?.code === "ECONNRESET" || err?.code === "ERR_STREAM_PREMATURE_CLOSE" || /aborted|premature/i.test(err?.message ?? "")) {
      return { ok: false, reason: "truncated", detail: `the answer broke off after ${bytes} bytes: skipped` };
    }
    if (err?.code === "ENOSPC" || err?.code === "EACCES" || err?.code === "EROFS") return { ok: false, reason: "cache unwritable", detail: `cannot write the cache file (${err.code}): skipped` };
    const p = sdkProblem(e);
    // the object was replaced since it was listed (or since its day's listing was kept)
    if (p.status === 412) return { ok: false, reason: "object changed", detail: `${p.detail}: the object changed since it was listed: skipped (--refresh lists and reads it again)` };
    return { ok: false, reason: p.reason, detail: `${p.detail}: skipped` };
  }
}
