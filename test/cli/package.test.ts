// trailq as npm installs it: `npm pack` (of what `npm test` just built), installed into a prefix of
// its own and run with `npx --package`, from a folder with no clone beside it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../bin.js";
import { tempDir } from "../temp.js";

const work = tempDir("package");
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
/** A folder with nothing of trailq's in or above it. */
const elsewhere = mkdtempSync(join(work, "elsewhere-"));
const npmEnv = { ...process.env, npm_config_cache: join(work, "npm-cache"), npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };

function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd: elsewhere, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: npmEnv, timeout: 180_000, ...opts });
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

// --ignore-scripts: `npm test` built dist/ already (npm pack would build it again through prepare)
const packed = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: ROOT });
const tarball = join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
const prefix = join(work, "prefix");
const installed = run("npm", ["install", "--global", "--offline", "--prefix", prefix, tarball]);
const bin = join(prefix, "bin", "trailq");
const home = join(prefix, "lib", "node_modules", "trailq");

test("the package holds the built program, the templates, the sample trail and the license, not the tests", () => {
  assert.equal(packed.status, 0, packed.stderr);
  const files = (JSON.parse(packed.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  for (const f of ["bin/trailq", "bin/trailq.mjs", "bin/snapshot.mjs", "dist/bundle/main.mjs", "dist/bundle/worker.mjs", "dist/snapshot/trailq.cjs", "dist/ui/index.html", "dist/ui/app.js", "dist/ui/app.css", "LICENSE", "README.md", "package.json", "templates/cis-root-account-usage.logsinsights"]) {
    assert.ok(files.includes(f), `${f} is in the package`);
  }
  assert.ok(files.some((f) => f.startsWith("fixtures/sample-trail/AWSLogs/")));
  assert.deepEqual(files.filter((f) => /^(test|src|bench)\/|^dist\/(test|src)\/|\.blob$/.test(f)), []);
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
  assert.equal(pkg["private"], undefined);
  assert.equal(pkg["license"], "MIT");
  assert.ok(pkg["repository"]);
  assert.deepEqual(pkg["bin"], { trailq: "bin/trailq" });
  assert.match((pkg["engines"] as { node: string }).node, /\d/);
});

test("installed into a prefix of its own, trailq runs from any folder: query, templates, run, repl", () => {
  assert.equal(installed.status, 0, installed.stderr);
  assert.ok(existsSync(bin));
  // the install built a start-up snapshot for this folder and this node
  assert.deepEqual(readdirSync(join(home, "dist")).sort(), ["bundle", "snapshot", "trailq-detect.blob", "trailq.blob", "trailq.flags", "trailq.root", "ui", "wasm"]);
  assert.equal(readFileSync(join(home, "dist", "trailq.root"), "utf8").split("\n")[0], home);

  const q = run(bin, ["query", "stats count(*) as n"]);
  assert.equal(q.status, 0, q.stderr);
  assert.match(q.stdout, /20000/);
  assert.match(q.stderr, new RegExp(`querying the bundled sample trail \\(${join(home, "fixtures", "sample-trail").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\)`));

  const t = run(bin, ["templates"]);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /cis-root-account-usage/);

  const r = run(bin, ["run", "cis-root-account-usage", "-q", "-f", "jsonl"]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.trim().split("\n").length >= 1);
  assert.match(r.stdout, /"recipientAccountId"/);

  const repl = spawnSync(bin, ["repl"], { cwd: elsewhere, input: "stats count(*) as n\n.quit\n", encoding: "utf8", timeout: 60_000 });
  assert.equal(repl.status, 0, repl.stderr);
  assert.match(repl.stdout, /20000/);
});

test("a snapshot that does not fit (another folder, another node) is skipped: the bundle starts, and says the same", () => {
  const stamp = join(home, "dist", "trailq.root");
  const good = readFileSync(stamp, "utf8");
  const expected = run(bin, ["query", "stats count(*) as n", "-q", "-f", "csv"]);
  try {
    for (const other of ["/moved/elsewhere\n/usr/bin/node\n", `${home}\n/not/this/node\n`, ""]) {
      spawnSync("sh", ["-c", `printf %s "$1" > "$2"`, "sh", other, stamp]);
      const r = run(bin, ["query", "stats count(*) as n", "-q", "-f", "csv"]);
      assert.deepEqual(r, expected);
      assert.deepEqual(r, { status: 0, stdout: "n\r\n20000\r\n", stderr: "" });
    }
  } finally {
    spawnSync("sh", ["-c", `printf %s "$1" > "$2"`, "sh", good, stamp]);
  }
});

test("npx --package=TARBALL trailq runs it without installing it globally", () => {
  // without the install's scripts: the snapshot the install builds is the test above's (10 s of CI
  // a build); here trailq starts from its bundle, as it does on a node that cannot build one
  const r = run("npx", ["--yes", "--offline", "--ignore-scripts", `--package=${tarball}`, "trailq", "query", "stats count(*) as n", "-q", "-f", "csv"]);
  assert.deepEqual({ status: r.status, stdout: r.stdout }, { status: 0, stdout: "n\r\n20000\r\n" }, r.stderr);
});
