// The process's edges: standard output that never loses data and ends quietly on a closed pipe,
// whether standard input is piped, the inputs named, and where the bundled sample trail is.
import { fstatSync, statSync } from "node:fs";
import { join } from "node:path";
import { bufferedOut, type TextOut } from "../output/index.js";
import { PACKAGE_ROOT } from "../root.js";
import { ExitCode, UserError } from "../errors.js";

/** The sample trail shipped in fixtures/, used when no input is given. */
export const SAMPLE_TRAIL = join(PACKAGE_ROOT, "fixtures", "sample-trail");

/**
 * Inputs named that do not exist are an error before anything is read (exit 3, a bad command line):
 * a mistyped path is not an empty trail. Anything else wrong with a path (unreadable) is the
 * reader's to warn about, as it is for the files found in folders.
 */
export function checkInputs(paths: readonly string[]): void {
  const missing = paths.filter((p) => {
    if (p === "-") return false;
    try {
      statSync(p);
      return false;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return code === "ENOENT" || code === "ENOTDIR";
    }
  });
  if (missing.length === 1) throw new UserError(`${missing[0]}: no such file or folder`, ExitCode.usage);
  if (missing.length > 1) throw new UserError(`no such files or folders: ${missing.join(", ")}`, ExitCode.usage);
}

/** Whether standard input is a pipe or a file (not a terminal, not /dev/null or closed). */
export function stdinIsPiped(): boolean {
  try {
    const st = fstatSync(0);
    return st.isFIFO() || st.isFile() || st.isSocket();
  } catch {
    return false;
  }
}

/**
 * Standard output as a TextOut. When the reader of a pipe goes away (`trailq ... | head`), the
 * write fails with EPIPE: the `closed` signal fires so the run can stop, and nothing is printed.
 */
export function stdoutText(): { out: TextOut; closed: AbortSignal } {
  const ctl = new AbortController();
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") ctl.abort();
    else throw e;
  });
  const out = bufferedOut((s) => {
    if (!ctl.signal.aborted) process.stdout.write(s);
  });
  return { out, closed: ctl.signal };
}

export function warn(message: string): void {
  process.stderr.write(`trailq: warning: ${message}\n`);
}

export function note(message: string): void {
  process.stderr.write(`trailq: ${message}\n`);
}
