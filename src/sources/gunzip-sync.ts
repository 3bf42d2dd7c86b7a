// gunzip of a buffer held whole, in one synchronous call, through one zlib context kept for the
// thread's life. node:zlib's gunzipSync builds a Gunzip stream a call (a Transform, a native handle,
// an inflate state and its 32 KiB window) and closes it after: on a trail of small files that was
// 3 µs of a file's 15 µs of gunzip, and a stream object of garbage a file (docs/performance.md).
// This drives the same native handle as gunzipSync does (node's own `_handle.writeSync`, the loop of
// node:zlib's processChunkSync), resetting it between buffers, so the bytes out, the members read
// and the errors are zlib's in both. The handle is node's internal: when its shape is not the one
// expected, or a call ever throws, gunzipSync does the work instead.
import { Gunzip, constants, gunzipSync } from "node:zlib";

/** node:zlib's native handle, as its Gunzip stream holds it (lib/zlib.js). */
interface NativeHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  reset(): void;
  close(): void;
  onerror: (message: string, errno: number) => void;
}

interface Context {
  handle: NativeHandle;
  /** What writeSync leaves: the output room and the input left, after the call. */
  state: Uint32Array;
  /** zlib's error in the last call. */
  error: string | undefined;
}

/** The context, made at the first call; null once the handle proved not to be what is expected. */
let context: Context | null | undefined;

function made(): Context | null {
  try {
    const stream = new Gunzip() as unknown as { _handle?: Partial<NativeHandle>; _writeState?: unknown };
    const handle = stream._handle;
    const state = stream._writeState;
    if (!handle || typeof handle.writeSync !== "function" || typeof handle.reset !== "function" || typeof handle.close !== "function") return null;
    if (!(state instanceof Uint32Array) || state.length !== 2) return null;
    const ctx: Context = { handle: handle as NativeHandle, state, error: undefined };
    ctx.handle.onerror = (message) => {
      ctx.error = message;
    };
    return ctx;
  } catch {
    return null;
  }
}

/** Whether gunzipWhole uses the kept context (tests: a node whose handle changed shape falls back, slower). */
export function keepsContext(): boolean {
  if (context === undefined) context = made();
  return context !== null;
}

/**
 * `buf` gunzipped (every member), its output first written into `first` when given (the result is
 * then a view of it, if it all fits), else into a new buffer of `sizeHint` bytes and one more;
 * throws as gunzipSync does when zlib fails or the output passes `maxOutputLength`.
 */
export function gunzipWhole(buf: Buffer, sizeHint: number, maxOutputLength: number, first?: Buffer): Buffer {
  const chunkSize = Math.max(sizeHint + 1, 1 << 10);
  if (context === undefined) context = made();
  if (context === null) return gunzipSync(buf, { maxOutputLength, chunkSize });
  const ctx = context;
  try {
    return inflated(ctx, buf, first, chunkSize, maxOutputLength);
  } catch (err) {
    // a handle that failed is not used again (gunzipSync closes its own); one that did something
    // unforeseen, never: gunzipSync does the work from now on
    context = err instanceof ZlibFailed ? undefined : null;
    try {
      ctx.handle.close();
    } catch {
      // closed already, or not closable: it is dropped either way
    }
    if (err instanceof ZlibFailed) throw err;
    return gunzipSync(buf, { maxOutputLength, chunkSize });
  }
}

/** zlib said the input is not good gzip, or the output grew past what may be held. */
class ZlibFailed extends Error {}

function inflated(ctx: Context, input: Buffer, first: Buffer | undefined, chunkSize: number, maxOutputLength: number): Buffer {
  const { handle, state } = ctx;
  ctx.error = undefined;
  handle.reset();
  const parts: Buffer[] = [];
  let total = 0;
  let inOff = 0;
  let inLeft = input.length;
  let out = first ?? Buffer.allocUnsafe(chunkSize);
  let outOff = 0;
  for (;;) {
    const room = out.length - outOff;
    handle.writeSync(constants.Z_FINISH, input, inOff, inLeft, out, outOff, room);
    if (ctx.error !== undefined) throw new ZlibFailed(ctx.error);
    const roomAfter = state[0]!;
    const inAfter = state[1]!;
    const have = room - roomAfter;
    if (have > 0) {
      parts.push(out.subarray(outOff, outOff + have));
      outOff += have;
      total += have;
      if (total > maxOutputLength) throw new ZlibFailed("output past maxOutputLength");
    }
    if (roomAfter !== 0) {
      // zlib ends at zero bytes after a member (padding) and leaves what follows them unread: more
      // there is for the streaming reader, which says it was ignored (decompress.ts)
      if (inAfter > 0 && !allZero(input, input.length - inAfter)) throw new ZlibFailed("data after zero padding");
      break;
    }
    // the output is full and zlib may have more: a new buffer, the input from where it stopped
    inOff += inLeft - inAfter;
    inLeft = inAfter;
    out = Buffer.allocUnsafe(chunkSize);
    outOff = 0;
  }
  if (parts.length === 1) return parts[0]!;
  return total === 0 ? Buffer.alloc(0) : Buffer.concat(parts, total);
}

/** Whether the bytes of `buf` from `from` on are all zero. */
function allZero(buf: Buffer, from: number): boolean {
  for (let i = from; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}
