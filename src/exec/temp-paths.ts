// Temporary files and folders that must not outlive the process: spill folders (spill.ts), the
// folder of objects fetched with --no-cache and an object's partial download (sources/s3/). They
// are removed when the process exits (also after a second Ctrl-C, which exits at once) and when
// SIGTERM or SIGHUP ends it, and each is let go once its owner removed or kept it.
import { rmSync } from "node:fs";
import { threads } from "./threads.js";

const live = new Set<string>();
let hooked = false;

const remove = (path: string): void => rmSync(path, { recursive: true, force: true });

function removeLive(): void {
  for (const p of live) remove(p);
  live.clear();
}

/**
 * The signals that end a process without its exit handlers (SIGINT is the commands' own: it
 * stops the scan, and the query ends): `timeout`, `docker stop` and CI's cancel send SIGTERM, a
 * closed ssh session SIGHUP. The paths go, then the signal is raised again, so that the process
 * ends as it would have (128 + the signal's number to a shell). Each run left its spill folder
 * (92 MB in a test) in the temporary folder.
 */
const ENDING_SIGNALS = ["SIGTERM", "SIGHUP"] as const;

function removeLiveAndEnd(signal: NodeJS.Signals): void {
  removeLive();
  for (const s of ENDING_SIGNALS) process.off(s, removeLiveAndEnd);
  process.kill(process.pid, signal);
}

/**
 * The handlers: to be set before a path is made (madeRemovedAtEnd), so that a signal that comes
 * while it is made waits for them (a handler runs once this step is over), where one that came
 * before would end the process and leave it (a test that sends SIGTERM as soon as a spill folder
 * shows saw it).
 */
function hook(): void {
  if (hooked) return;
  hooked = true;
  process.on("exit", removeLive);
  // a worker thread gets no signals (its paths are its own: the main thread's end ends it)
  if (threads().isMainThread) for (const s of ENDING_SIGNALS) process.on(s, removeLiveAndEnd);
}

/** A path made by `make` (which returns it), removed at the process's end unless let go before. */
export function madeRemovedAtEnd(make: () => string): string {
  hook();
  const path = make();
  live.add(path);
  return path;
}

/** The path was kept on purpose (a download renamed into the cache): not removed at the end. */
export function letGo(path: string): void {
  live.delete(path);
}

/** The path removed now (a file or a folder and all it holds), and so not at the end. */
export function removeNow(path: string): void {
  remove(path);
  live.delete(path);
}
