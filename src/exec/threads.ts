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

/** The bundle's folder, seen from the compiled program (dist/src/exec/ -> dist/bundle/). */
const BUNDLE = new URL("../../bundle/", import.meta.url);

/**
 * The module a thread starts from, for the module `caller` (its import.meta.url) that starts it: in
 * the bundle the command runs, `name`.mjs beside it; in the compiled program (dist/src, which the
 * tests load), `name`.js beside it, or the bundle's `name`.mjs when TRAILQ_THREADS_FROM_BUNDLE=1.
 * `npm test` sets it, having just built both: the same code in one file instead of about a hundred,
 * a thread started 40 ms of CPU sooner (docs/performance.md).
 */
export function threadModule(name: string, caller: string): URL {
  if (caller.endsWith(".mjs")) return new URL(`./${name}.mjs`, caller);
  if (process.env["TRAILQ_THREADS_FROM_BUNDLE"] === "1") return new URL(`${name}.mjs`, BUNDLE);
  return new URL(`./${name}.js`, caller);
}
