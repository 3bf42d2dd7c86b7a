// The process's edges: standard output that never loses data and ends quietly on a closed pipe,
// whether standard input is piped, the inputs named, and where the bundled sample trail is.
import { fstatSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { byteOut, type TextOut } from "../output/index.js";
import { visible } from "../output/safe.js";
import { PACKAGE_ROOT } from "../root.js";
import { ExitCode, UserError } from "../errors.js";
import { isS3Url } from "../sources/s3/url.js";

/** The sample trail shipped in fixtures/, used when no input is given. */
export const SAMPLE_TRAIL = join(PACKAGE_ROOT, "fixtures", "sample-trail");

/**
 * Inputs named that do not exist are an error before anything is read (exit 2, as jq and ripgrep):
 * a mistyped path is not an empty trail. Anything else wrong with a path (unreadable) is the
 * reader's to warn about, as it is for the files found in folders.
 */
export function checkInputs(paths: readonly string[]): void {
  const missing = paths.filter((p) => {
    if (p === "-" || isS3Url(p)) return false;
    try {
      statSync(p);
      return false;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return code === "ENOENT" || code === "ENOTDIR";
    }
  });
  if (missing.length === 1) throw new UserError(`${missing[0]}: no such file or folder`, ExitCode.path);
  if (missing.length > 1) throw new UserError(`no such files or folders: ${missing.join(", ")}`, ExitCode.path);
}

/**
 * The columns a terminal stream has: its size, else COLUMNS, else `fallback`. A terminal whose size
 * was never set (script, docker exec -t, some CI runners) says 0, which fitted every table cell,
 * counts too, to an ellipsis.
 */
export function terminalColumns(stream: { columns?: number }, fallback: number): number {
  const own = stream.columns ?? 0;
  if (own > 0) return own;
  const env = Number(process.env["COLUMNS"]);
  return Number.isInteger(env) && env > 0 ? env : fallback;
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
 * Any other write error also stops the run; main.ts reports it. `before` runs before each write
 * (the progress line is erased before rows print on the terminal).
 */
export function stdoutText(before?: () => void): { out: TextOut; closed: AbortSignal } {
  const ctl = new AbortController();
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    ctl.abort(e);
  });
  // standard output to a file, a pipe or a terminal is written synchronously on Linux and macOS:
  // nothing left queued means the bytes are out and their buffer free
  const out = byteOut((bytes) => {
    before?.();
    if (!ctl.signal.aborted) process.stdout.write(bytes);
    return process.stdout.writableLength === 0;
  });
  return { out, closed: ctl.signal };
}

/**
 * Text for a person to read or paste (a query, a plan, SQL, the templates): on a terminal, what
 * would act on it (control and bidi characters, from a rule file, a template or the query's own
 * strings) is shown as escapes, line by line; to a pipe or a file it is kept as it is, so that what
 * is printed runs as printed (as CSV does).
 */
export function shownText(text: string, terminal: boolean): string {
  return terminal ? text.split("\n").map(visible).join("\n") : text;
}

/** Writes shownText on standard output. */
export function writeText(text: string): void {
  process.stdout.write(shownText(text, process.stdout.isTTY === true));
}

/** A warning on standard error; it can quote the data (a value, a file name), so it is shown through visible(). */
export function warn(message: string): void {
  process.stderr.write(`trailq: warning: ${visible(message)}\n`);
}

/** `say`, each message once: a subquery's scan reads the inputs again, and meets the same bad file. */
export function onceEach(say: (message: string) => void): (message: string) => void {
  const said = new Set<string>();
  return (message) => {
    if (said.has(message)) return;
    said.add(message);
    say(message);
  };
}

export function note(message: string): void {
  process.stderr.write(`trailq: ${visible(message)}\n`);
}

/**
 * The query of `query`, `explain` and `sql`: the first argument, or with --query-file the text of
 * that file (as `jq -f`, `psql -f`; a query past the command line's length limit), when every
 * argument is a path.
 */
export function queryAndPaths(first: string | undefined, rest: string[], queryFile: unknown): { query: string | undefined; paths: string[] } {
  if (typeof queryFile !== "string") return { query: first, paths: rest };
  let query: string;
  try {
    query = readFileSync(queryFile, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read the query file ${queryFile}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a folder, not a file" : (e as Error).message}`, ExitCode.usage);
  }
  return { query: query.replace(/\s+$/, ""), paths: first === undefined ? rest : [first, ...rest] };
}

/**
 * Ctrl-C for a command that reads: the first stops the reading (`signal`), and the command prints
 * what it found; a second ends at once, exit 130 (exiting removes the spill files: spill.ts).
 * `first` runs at the first (the terminal echoed ^C: the progress line is erased with it).
 * `off()` when the command is done.
 */
export function interruptible(first?: () => void): { signal: AbortSignal; off(): void } {
  const interrupt = new AbortController();
  const atOnce = (): never => process.exit(ExitCode.interrupted);
  const onSigint = (): void => {
    first?.();
    interrupt.abort();
    process.once("SIGINT", atOnce);
  };
  process.once("SIGINT", onSigint);
  return {
    signal: interrupt.signal,
    off() {
      process.off("SIGINT", onSigint);
      process.off("SIGINT", atOnce);
    },
  };
}
