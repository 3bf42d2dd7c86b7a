// Files and folders the user names for output (--chart, the prompt's .output, generate --out): a
// problem writing them is a message naming the path (exit 2), never a stack trace, never a spin.
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ExitCode, UserError } from "../errors.js";
import { visible } from "./safe.js";

const REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large",
  EISDIR: "it is a folder",
  ENOTDIR: "a part of the path is not a folder",
  EEXIST: "it exists and is not a folder",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "too many symbolic links",
  EIO: "input/output error",
  ENXIO: "no such device",
  EBUSY: "busy",
  EAGAIN: "temporarily unavailable",
};

/** A system error's code, if it has one (fs and stream errors do). */
export function errorCode(e: unknown): string | undefined {
  const code = e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;
  return typeof code === "string" && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** Why a system error happened, in words, and its code: "no space left on device (ENOSPC)". */
export function errorReason(e: unknown, path?: string): string {
  const code = errorCode(e);
  if (code === undefined) return e instanceof Error ? e.message : String(e);
  let why = REASONS[code];
  if (code === "ENOENT") why = path !== undefined && !existsSync(dirname(resolve(path))) ? "its folder does not exist" : "it cannot be created there";
  // node's message: "ENOSPC: no space left on device, write" → "no space left on device"
  why ??= (e as Error).message.replace(/^[A-Z0-9]+: /, "").replace(/, \w+( '.*')?$/, "");
  return `${why} (${code})`;
}

/** A system error while writing `path` as the user's message; anything else is returned as it is. */
export function fileError(e: unknown, doing: string, path: string): unknown {
  if (e instanceof UserError || errorCode(e) === undefined) return e;
  return new UserError(`${doing} ${visible(path)}: ${errorReason(e, path)}`, ExitCode.path);
}

/**
 * Checks, before a long run, that `path` can be written: opens it for appending (which changes
 * nothing) and removes it again if it did not exist. A named pipe is not opened (that would wait
 * for a reader).
 */
export function checkWritable(path: string, what: string): void {
  let existed = false;
  try {
    const st = statSync(path);
    existed = true;
    if (st.isFIFO()) return;
    if (st.isDirectory()) throw Object.assign(new Error("EISDIR: is a directory"), { code: "EISDIR" });
  } catch (e) {
    if (errorCode(e) !== "ENOENT") throw fileError(e, `cannot write ${what}`, path);
  }
  try {
    closeSync(openSync(path, "a"));
    if (!existed) rmSync(path, { force: true });
  } catch (e) {
    throw fileError(e, `cannot write ${what}`, path);
  }
}

/** Writes a whole file the user named. */
export function writeOutputFile(path: string, data: string | Uint8Array, what: string): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    throw fileError(e, `cannot write ${what}`, path);
  }
}

/**
 * Creates a folder and its missing parents, one level at a time. (mkdirSync's recursive mode spins
 * forever when a level cannot be made though its parent exists: `/proc/x` gives ENOENT, which it
 * takes as "make the parent first".) A file where a folder should be is an error.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); ; ) {
    let st;
    try {
      st = statSync(d);
    } catch (e) {
      if (errorCode(e) !== "ENOENT") throw fileError(e, "cannot create the folder", dir);
      missing.push(d);
      const up = dirname(d);
      if (up === d) break;
      d = up;
      continue;
    }
    if (!st.isDirectory()) throw new UserError(`cannot create the folder ${visible(dir)}: ${visible(d)} is not a folder`, ExitCode.path);
    break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      if (errorCode(e) !== "EEXIST") throw fileError(e, "cannot create the folder", d);
    }
  }
}
