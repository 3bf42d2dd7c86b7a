// The two ways the command starts: from the start-up snapshot (bin/trailq, when dist/trailq.blob is
// there) and from the bundle (bin/trailq.mjs). They are the same program and must say the same.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { ROOT, trailq } from "../bin.js";
import { tempDir } from "../temp.js";

const BLOB = join(ROOT, "dist", "trailq.blob");
const DETECT_BLOB = join(ROOT, "dist", "trailq-detect.blob");
/** The V8 flags each snapshot was built with, a line each (node refuses a snapshot under others). */
const [FLAGS, DETECT_FLAGS] = readFileSync(join(ROOT, "dist", "trailq.flags"), "utf8").split("\n").map((l) => l.split(/\s+/).filter(Boolean));
const QUERIES = [
  "stats count(*) as n by eventSource | sort n desc | limit 5",
  'filter errorCode like /Denied/ | fields @timestamp, eventName, userIdentity.arn | limit 3',
  "stats count(*) by bin(1h) | limit 4",
];

function viaBundle(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "trailq.mjs"), ...args], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("the build leaves a start-up snapshot, and one for detect with a larger young generation", () => {
  assert.ok(existsSync(BLOB), `${BLOB} is missing: npm run build makes it`);
  assert.ok(existsSync(DETECT_BLOB), `${DETECT_BLOB} is missing: npm run build makes it`);
  assert.ok(FLAGS.includes("--max-semi-space-size=4"), FLAGS.join(" "));
  assert.deepEqual(DETECT_FLAGS, FLAGS.map((f) => (f.startsWith("--max-semi-space-size=") ? "--max-semi-space-size=16" : f)));
});

test("the scripts node starts from are ASCII, so node holds their text one byte a character (the snapshot keeps it)", () => {
  const scripts = [join(ROOT, "dist", "snapshot", "trailq.cjs"), ...readdirSync(join(ROOT, "dist", "bundle")).map((f) => join(ROOT, "dist", "bundle", f))];
  assert.ok(scripts.length > 3, scripts.join(" "));
  for (const f of scripts) {
    const text = readFileSync(f, "latin1");
    const at = text.search(/[^\x00-\x7f]/);
    assert.equal(at, -1, `${f} has a character past ASCII: ${JSON.stringify(text.slice(at - 40, at + 10))}`);
  }
});

/** The command line node runs with once bin/trailq has exec'd it (the same process), for `args` reading standard input. */
async function nodeCommandLine(args: string[]): Promise<string[]> {
  const child = spawn(join(ROOT, "bin", "trailq"), args, { cwd: ROOT, stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  try {
    const read = (): string => readFileSync(`/proc/${child.pid}/cmdline`, "utf8");
    for (let i = 0; i < 500; i++) {
      // read twice alike: a read while the shell execs node can mix the two command lines
      const text = read();
      const line = text.split("\0").filter(Boolean);
      if (line.includes("--") && read() === text) return line;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error("bin/trailq did not start node");
  } finally {
    child.stdin.end();
    assert.equal(await exited, 0, stderr);
  }
}

test("bin/trailq starts detect from its own snapshot with its flags, and every other command from the other", { skip: !existsSync("/proc/self/cmdline") && "no /proc" }, async () => {
  const detect = await nodeCommandLine(["detect", "-", "-q", "-f", "jsonl"]);
  assert.deepEqual(detect.slice(1, detect.indexOf("--")), [...DETECT_FLAGS, "--snapshot-blob", DETECT_BLOB]);
  const query = await nodeCommandLine(["query", "stats count(*)", "-", "-q"]);
  assert.deepEqual(query.slice(1, query.indexOf("--")), [...FLAGS, "--snapshot-blob", BLOB]);
});

test("bin/trailq asks glibc for two malloc arenas and for huge pages, and keeps the user's own settings", () => {
  // a stand-in for node, first on the PATH, says what it was started with
  const dir = tempDir("env");
  try {
    writeFileSync(join(dir, "node"), '#!/bin/sh\nprintf "%s|%s" "$GLIBC_TUNABLES" "$MALLOC_ARENA_MAX"\n', { mode: 0o755 });
    const started = (env: Record<string, string>): string => {
      const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "GLIBC_TUNABLES" && k !== "MALLOC_ARENA_MAX"));
      const r = spawnSync(join(ROOT, "bin", "trailq"), ["--version"], { encoding: "utf8", env: { ...base, PATH: `${dir}:${process.env["PATH"]}`, ...env } });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    assert.equal(started({}), "glibc.malloc.hugetlb=1|2");
    assert.equal(started({ GLIBC_TUNABLES: "glibc.malloc.mmap_threshold=262144", MALLOC_ARENA_MAX: "4" }), "glibc.malloc.mmap_threshold=262144:glibc.malloc.hugetlb=1|4");
    assert.equal(started({ GLIBC_TUNABLES: "glibc.malloc.hugetlb=0:glibc.malloc.mmap_threshold=262144" }), "glibc.malloc.hugetlb=0:glibc.malloc.mmap_threshold=262144|2");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("snapshot and bundle give the same findings", () => {
  const args = ["detect", "--min-level", "medium", "-f", "jsonl", "-q"];
  const a = trailq(args);
  assert.equal(a.status, 0, a.stderr);
  assert.ok(a.stdout.split("\n").length > 10, "some findings");
  assert.deepEqual(a, viaBundle(args));
});

for (const q of QUERIES) {
  test(`snapshot and bundle give the same result: ${q}`, () => {
    const a = trailq(["query", q, "--format", "jsonl", "--quiet"]);
    const b = viaBundle(["query", q, "--format", "jsonl", "--quiet"]);
    assert.equal(a.status, 0, a.stderr);
    assert.ok(a.stdout.split("\n").length > 2, "some rows");
    assert.deepEqual(a, b);
  });
}

test("arguments node also knows are the program's: --version, -e, --help", () => {
  const version = trailq(["--version"]);
  assert.deepEqual(version, { status: 0, stdout: "0.1.0\n", stderr: "" });
  assert.deepEqual(version, viaBundle(["--version"]));
  const e = trailq(["-e", "1"]);
  assert.equal(e.status, 3);
  assert.match(e.stderr, /unknown option '-e'/);
  assert.deepEqual(e, viaBundle(["-e", "1"]));
  assert.match(trailq(["--help"]).stdout, /^Usage: trailq /);
  // the parser's errors quote the argument (a file name a glob made one): shown escaped
  const odd = trailq(["query", "limit 1", "--bogus\u001b]0;T\u0007"]);
  assert.equal(odd.status, 3);
  assert.match(odd.stderr, /unknown option '--bogus\\x1b\]0;T\\x07'/);
  assert.doesNotMatch(odd.stderr, /[\u0007\u001b]/);
});

test("NODE_OPTIONS (V8 flags node would refuse the snapshot for) starts from the bundle", () => {
  const r = spawnSync(join(ROOT, "bin", "trailq"), ["query", "stats count(*)", "-q", "-f", "csv"], {
    cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=4096" },
  });
  assert.deepEqual({ status: r.status, stdout: r.stdout }, { status: 0, stdout: "count(*)\r\n20000\r\n" });
});

test("a zip (fflate, loaded when the first zip comes) is read the same by both starts", () => {
  const dir = tempDir("zip");
  try {
    const records = [1, 2, 3].map((i) => ({ eventTime: `2026-11-01T00:00:0${i}Z`, eventSource: "s3.amazonaws.com", eventName: `E${i}` }));
    writeFileSync(join(dir, "trail.zip"), zipSync({ "a.json": strToU8(JSON.stringify({ Records: records })) }));
    const args = ["query", "stats count(*) as n", join(dir, "trail.zip"), "-q", "-f", "csv"];
    const a = trailq(args);
    assert.deepEqual(a, { status: 0, stdout: "n\r\n3\r\n", stderr: "" });
    assert.deepEqual(a, viaBundle(args));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("snapshot and bundle report a query error the same way", () => {
  const a = trailq(["query", "stats cout(*)"]);
  assert.equal(a.status, 2);
  assert.match(a.stderr, /did you mean `count`/);
  assert.deepEqual(a, viaBundle(["query", "stats cout(*)"]));
});

test("a snapshot built for another project folder says to rebuild, and runs nothing", () => {
  const r = spawnSync(process.execPath, [...FLAGS, "--snapshot-blob", BLOB, "query", "limit 1"], {
    cwd: ROOT, encoding: "utf8", env: { ...process.env, TRAILQ_ROOT: "/moved/trailq" },
  });
  assert.equal(r.status, 3);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, `trailq: dist/ was built in ${ROOT.replace(/\/$/, "")}; run \`npm run build\` in /moved/trailq\n`);
});
