// Builds what the trailq command runs, from the TypeScript sources (`npm run bundle`, after tsc):
//
//  - dist/bundle/: the program (main.mjs) and the scan worker (worker.mjs) as ES modules, split
//    into chunks so that each subcommand loads only what it needs. Workers always start from here,
//    and so does the command when there is no start-up snapshot.
//  - dist/trailq.blob: a V8 start-up snapshot of the same program. The program is bundled once more
//    as one script (dist/snapshot/trailq.cjs, from src/cli/snapshot.ts), node runs it with
//    --build-snapshot, and the heap it leaves (every module loaded, the query parser built) is
//    saved. `node --snapshot-blob dist/trailq.blob` starts from that heap, which saves about
//    70 ms of every command's start-up (module compiling and chevrotain's grammar analysis).
//    bin/trailq uses it.
//  - dist/trailq.flags: the V8 flags the snapshot was built with, which bin/trailq starts node with
//    (node refuses a snapshot under other flags): a heap limit of half the machine's memory when
//    that is more than V8's own, so that the memory budget (--memory, src/exec/memory.ts: at most
//    half the heap limit) can reach its default of 25 % of the memory, and stops a run before V8;
//    --expose-gc, so that what a spill wrote is collected at once (collectSpilled).
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { getHeapStatistics } from "node:v8";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions, type Plugin } from "esbuild";
import { PACKAGE_ROOT } from "../root.js";
import { machineMemory } from "../exec/memory.js";

const DIST = join(PACKAGE_ROOT, "dist");
const BLOB = join(DIST, "trailq.blob");
const FLAGS = join(DIST, "trailq.flags");

/**
 * The command's node flags: gc exposed (a spill collects what it wrote at once: memory.ts), and the
 * heap limit, when half the machine's memory is more than V8's default.
 */
function nodeFlags(): string[] {
  const half = Math.floor(machineMemory() / 2 / 2 ** 20);
  return ["--expose-gc", ...(half > getHeapStatistics().heap_size_limit / 2 ** 20 ? [`--max-old-space-size=${half}`] : [])];
}

/**
 * src/lang/chevrotain.ts loads chevrotain's single-file build at run time, for the compiled
 * sources; a bundle takes that file in instead (one file less to find and load).
 */
const chevrotainBundled: Plugin = {
  name: "chevrotain-single-file",
  setup(b) {
    const single = fileURLToPath(new URL("../chevrotain.mjs", import.meta.resolve("chevrotain")));
    b.onLoad({ filter: /[\\/]src[\\/]lang[\\/]chevrotain\.ts$/ }, () => ({
      contents: `import * as api from ${JSON.stringify(single)};\nexport const { createToken, Lexer, EmbeddedActionsParser, tokenMatcher } = api;\n`,
      loader: "ts",
    }));
  },
};

const common: BuildOptions = {
  bundle: true,
  platform: "node",
  target: "node20",
  logLevel: "warning",
  plugins: [chevrotainBundled],
  // DuckDB is optional and native: loaded at run time when `--engine duckdb` asks for it
  external: ["@duckdb/node-api"],
};

async function esModules(): Promise<void> {
  const out = join(DIST, "bundle");
  rmSync(out, { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: [join(PACKAGE_ROOT, "src/cli/main.ts"), join(PACKAGE_ROOT, "src/exec/worker.ts")],
    splitting: true,
    format: "esm",
    outdir: out,
    entryNames: "[name]",
    chunkNames: "chunk-[hash]",
    outExtension: { ".js": ".mjs" },
    // the CommonJS packages inside (commander) call require for node's own modules
    banner: { js: "import { createRequire as __trailqRequire } from 'node:module'; const require = __trailqRequire(import.meta.url);" },
  });
}

async function snapshot(): Promise<void> {
  const script = join(DIST, "snapshot", "trailq.cjs");
  rmSync(BLOB, { force: true });
  await build({
    ...common,
    entryPoints: [join(PACKAGE_ROOT, "src/cli/snapshot.ts")],
    format: "cjs",
    outfile: script,
    // The script stands in for dist/bundle/main.mjs: the project folder is found from there, and
    // the workers are started from the worker.mjs beside it.
    define: { "import.meta.url": "__trailqUrl" },
    banner: { js: 'var __trailqUrl = require("node:url").pathToFileURL(require("node:path").join(__dirname, "..", "bundle", "main.mjs")).href;' },
  });
  // --no-warnings: node warns that child_process (commander's, for external subcommands) is not
  // verified in snapshots; nothing runs it while the snapshot is built.
  const flags = nodeFlags();
  writeFileSync(FLAGS, flags.join(" ") + "\n");
  const r = spawnSync(process.execPath, ["--no-warnings", ...flags, "--snapshot-blob", BLOB, "--build-snapshot", script], { stdio: "inherit" });
  if (r.status !== 0) throw new Error(`building the start-up snapshot failed (exit ${r.status ?? r.signal})`);
}

await esModules();
await snapshot();
