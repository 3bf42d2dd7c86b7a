// Builds what the trailq command runs, from the TypeScript sources (`npm run bundle`, after tsc):
//
//  - dist/bundle/: the program (main.mjs), the scan worker (worker.mjs) and the read-ahead thread
//    (read-ahead-worker.mjs) as ES modules, split
//    into chunks so that each subcommand loads only what it needs. Workers always start from here,
//    and so does the command when there is no start-up snapshot.
//  - dist/trailq.blob: a V8 start-up snapshot of the same program. The program is bundled once more
//    as one script (dist/snapshot/trailq.cjs, from src/cli/snapshot.ts), node runs it with
//    --build-snapshot, and the heap it leaves (every module loaded, the query parser built) is
//    saved. `node --snapshot-blob dist/trailq.blob` starts from that heap, which saves about
//    70 ms of every command's start-up (module compiling and chevrotain's grammar analysis).
//    bin/trailq uses it. bin/snapshot.mjs builds it, with the V8 flags it writes to
//    dist/trailq.flags (see there).
//  - dist/wasm/: the WebAssembly the program loads at run time, assembled from its text
//    (src/**/*.wat) with wabt.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions, type Plugin } from "esbuild";
import { PACKAGE_ROOT } from "../root.js";

const DIST = join(PACKAGE_ROOT, "dist");

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
  // DuckDB is optional and native: loaded at run time when `--engine duckdb` asks for it; the AWS
  // SDK is required from node_modules when an s3:// input is given (src/sources/s3/sdk.ts)
  external: ["@duckdb/node-api", "@aws-sdk/client-s3"],
  // Without comments or layout: node reads a script as one text, two bytes a character if any is
  // past U+00FF (a dash in a comment was enough), and the snapshot keeps that text. The snapshot's
  // 5.6 MB text became 1.9 MB, its start 0.31 -> 0.26 s (docs/performance.md). Names are kept, for
  // stack traces of bugs; test/cli/startup checks that every file stays ASCII.
  minifyWhitespace: true,
};

async function esModules(): Promise<void> {
  const out = join(DIST, "bundle");
  rmSync(out, { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: [join(PACKAGE_ROOT, "src/cli/main.ts"), join(PACKAGE_ROOT, "src/exec/worker.ts"), join(PACKAGE_ROOT, "src/sources/read-ahead-worker.ts")],
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

/**
 * dist/ui/: the web console's page (`trailq ui`): src/ui/page/ bundled for the browser with
 * CodeMirror into one script (app.js), and the results table's sort worker (sort.js), beside its
 * page and styles. The server serves these files only: no resource from the network.
 */
async function page(): Promise<void> {
  const out = join(DIST, "ui");
  const src = join(PACKAGE_ROOT, "src", "ui", "page");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: { app: join(src, "main.ts"), sort: join(src, "sort-worker.ts") },
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    minify: true,
    legalComments: "linked",
    outdir: out,
    logLevel: "warning",
  });
  copyFileSync(join(src, "index.html"), join(out, "index.html"));
  copyFileSync(join(src, "app.css"), join(out, "app.css"));
}

/** dist/wasm/: each module of WASM_SOURCES assembled from its text, under its own name. */
const WASM_SOURCES = ["src/sources/project.wat"];

async function wasm(): Promise<void> {
  const out = join(DIST, "wasm");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const wabt = await (await import("wabt")).default();
  for (const source of WASM_SOURCES) {
    const name = basename(source, ".wat");
    const parsed = wabt.parseWat(source, readFileSync(join(PACKAGE_ROOT, source), "utf8"));
    try {
      writeFileSync(join(out, `${name}.wasm`), parsed.toBinary({}).buffer);
    } finally {
      parsed.destroy();
    }
  }
}

async function snapshot(): Promise<void> {
  const script = join(DIST, "snapshot", "trailq.cjs");
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
  // bin/snapshot.mjs builds the blob from the script (an installed package runs it too, after install)
  const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, "bin", "snapshot.mjs")], { stdio: "inherit" });
  if (r.status !== 0) throw new Error(`building the start-up snapshot failed (exit ${r.status ?? r.signal})`);
}

await wasm();
await esModules();
await page();
await snapshot();
