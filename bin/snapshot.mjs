#!/usr/bin/env node
// Builds trailq's start-up snapshots, dist/trailq.blob and dist/trailq-detect.blob, from
// dist/snapshot/trailq.cjs (made by `npm run build`): node runs the script with --build-snapshot and
// saves the heap it leaves (every module loaded, the query parser built). The two differ only in
// their V8 flags (DETECT_SEMI_SPACE_MB). A snapshot holds the folder it was built in and only fits
// the node that built it, so beside them goes dist/trailq.root: the folder and node's path, which
// bin/trailq checks before starting from one (else it starts from the bundle).
//
// `npm run build` runs this (and fails when it fails); an installed package runs it after install
// (`--optional`: a node that cannot build snapshots, or no dist/snapshot yet in a fresh clone,
// leaves none, and bin/trailq starts from the bundle).
//
// dist/trailq.flags: the V8 flags the snapshots are built with, a line each (trailq.blob's, then
// trailq-detect.blob's), which bin/trailq starts node with
// (node refuses a snapshot under other flags, and the start from the bundle uses them too): a heap
// limit of half the machine's memory when that is more than V8's own, so that the memory budget
// (--memory, src/exec/memory.ts: at most half the heap limit) can reach its default of 25 % of the
// memory and stops a run before V8 does; --expose-gc, so that what a spill wrote is collected at
// once (collectSpilled in memory.ts); a smaller young generation (SEMI_SPACE_MB).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const script = join(root, "dist", "snapshot", "trailq.cjs");
const blob = join(root, "dist", "trailq.blob");
const detectBlob = join(root, "dist", "trailq-detect.blob");
const stamp = join(root, "dist", "trailq.root");
const flagsFile = join(root, "dist", "trailq.flags");
const optional = process.argv.includes("--optional");

/** The machine's memory, or the container's limit when lower (as machineMemory in src/exec/memory.ts). */
function machineMemory() {
  const total = totalmem();
  const constrained = process.constrainedMemory?.();
  return constrained !== undefined && constrained > 0 && constrained < total ? constrained : total;
}
const halfMb = Math.floor(machineMemory() / 2 / 2 ** 20);
/**
 * The main thread's young generation (each of its semi-spaces, MB): 4 instead of V8's 16. Its
 * garbage is short-lived (a file's text, a record's pieces, a row's cells); the smaller space cut
 * peak RSS by 40-60 MB (the 200k-event small-file group-by 210 -> 192 MB, `fields` over 1M events
 * 335 -> 277 MB) for 0-4 % more CPU. The flag is every thread's: it overrides the young generation a
 * worker thread asks for (WORKER_YOUNG_MB, exec/parallel.ts).
 */
const SEMI_SPACE_MB = 4;
/**
 * `trailq detect`'s (bin/trailq starts it from trailq-detect.blob). Its workers hold whole events
 * while they judge a file, and its main thread each file's findings until no file still to read can
 * precede them: over a 4 MB space most of it was copied and promoted before it died (the 1M-event
 * trail: each worker 505 scavenges, 2.3 s of pauses; with 16 MB, 79 and 0.4 s). With 16 MB, the
 * 1M-event trail with the 795 public Sigma rules took 12.1 s against 15.5 s (CPU 22.2 against 28.2
 * s; 3 alternating runs), peak RSS 386 against 381 MB (its heap kept at a lower floor: cli/detect.ts
 * HEAP_FLOOR). Queries gain nothing from it (the small-file group-by 1.58 against 1.66 s, 28 MB more).
 */
const DETECT_SEMI_SPACE_MB = 16;
const heapLimit = halfMb > getHeapStatistics().heap_size_limit / 2 ** 20 ? [`--max-old-space-size=${halfMb}`] : [];
const flagsOf = (semiSpaceMb) => ["--expose-gc", `--max-semi-space-size=${semiSpaceMb}`, ...heapLimit];
const builds = [
  { blob, flags: flagsOf(SEMI_SPACE_MB) },
  { blob: detectBlob, flags: flagsOf(DETECT_SEMI_SPACE_MB) },
];

for (const b of builds) rmSync(b.blob, { force: true });
rmSync(stamp, { force: true });
mkdirSync(dirname(flagsFile), { recursive: true });
writeFileSync(flagsFile, builds.map((b) => b.flags.join(" ") + "\n").join(""));
if (!existsSync(script)) {
  if (optional) process.exit(0);
  process.stderr.write(`trailq: ${script} is missing: run \`npm run build\`\n`);
  process.exit(1);
}
for (const b of builds) {
  // --no-warnings: node warns that child_process (commander's, for external subcommands) is not
  // verified in snapshots; nothing runs it while the snapshot is built.
  const r = spawnSync(process.execPath, ["--no-warnings", ...b.flags, "--snapshot-blob", b.blob, "--build-snapshot", script], { stdio: optional ? "ignore" : "inherit" });
  if (r.status !== 0 || !existsSync(b.blob)) {
    for (const x of builds) rmSync(x.blob, { force: true });
    if (optional) process.exit(0);
    process.stderr.write(`trailq: building the start-up snapshot ${b.blob} failed (exit ${r.status ?? r.signal})\n`);
    process.exit(1);
  }
}
writeFileSync(stamp, `${root}\n${process.execPath}\n`);
