#!/usr/bin/env node
// Builds trailq's start-up snapshot, dist/trailq.blob, from dist/snapshot/trailq.cjs (made by
// `npm run build`): node runs the script with --build-snapshot and saves the heap it leaves (every
// module loaded, the query parser built). The snapshot holds the folder it was built in and only fits
// the node that built it, so beside it goes dist/trailq.root: the folder and node's path, which
// bin/trailq checks before starting from it (else it starts from the bundle).
//
// `npm run build` runs this (and fails when it fails); an installed package runs it after install
// (`--optional`: a node that cannot build snapshots, or no dist/snapshot yet in a fresh clone,
// leaves none, and bin/trailq starts from the bundle).
//
// dist/trailq.flags: the V8 flags the snapshot is built with, which bin/trailq starts node with
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
 * 335 -> 277 MB) for 0-4 % more CPU. Worker threads set their own (WORKER_YOUNG_MB, exec/parallel.ts).
 */
const SEMI_SPACE_MB = 4;
const flags = ["--expose-gc", `--max-semi-space-size=${SEMI_SPACE_MB}`, ...(halfMb > getHeapStatistics().heap_size_limit / 2 ** 20 ? [`--max-old-space-size=${halfMb}`] : [])];

rmSync(blob, { force: true });
rmSync(stamp, { force: true });
mkdirSync(dirname(flagsFile), { recursive: true });
writeFileSync(flagsFile, flags.join(" ") + "\n");
if (!existsSync(script)) {
  if (optional) process.exit(0);
  process.stderr.write(`trailq: ${script} is missing: run \`npm run build\`\n`);
  process.exit(1);
}
// --no-warnings: node warns that child_process (commander's, for external subcommands) is not
// verified in snapshots; nothing runs it while the snapshot is built.
const r = spawnSync(process.execPath, ["--no-warnings", ...flags, "--snapshot-blob", blob, "--build-snapshot", script], { stdio: optional ? "ignore" : "inherit" });
if (r.status !== 0 || !existsSync(blob)) {
  rmSync(blob, { force: true });
  if (optional) process.exit(0);
  process.stderr.write(`trailq: building the start-up snapshot failed (exit ${r.status ?? r.signal})\n`);
  process.exit(1);
}
writeFileSync(stamp, `${root}\n${process.execPath}\n`);
