// node:worker_threads, loaded when the first worker starts. The start-up snapshot's program
// (src/cli/snapshot.ts) must not load it while the snapshot is built: the module's shared state
// (the working-folder counter its workers read) does not survive the snapshot.
import { createRequire } from "node:module";

let workerThreads: typeof import("node:worker_threads") | undefined;

/** node:worker_threads, loaded on first use. */
export function threads(): typeof import("node:worker_threads") {
  workerThreads ??= createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads");
  return workerThreads;
}
