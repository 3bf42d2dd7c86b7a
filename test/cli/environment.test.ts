// The environment, through the built binary: output paths that cannot be written (a missing
// folder, /proc, /sys, a folder, a full disk). Each is a message naming the path, exit 2, no stack
// trace, no spin.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { join, relative } from "node:path";
import { BIN, ROOT } from "../bin.js";
import { tempDir } from "../temp.js";

const dir = tempDir("env");
const EVENTS = join(ROOT, "fixtures", "golden", "events.jsonl");
const STACK = /\bat .*\.[cm]?js:\d+|internal error/;

/** Runs the binary with a time limit: a spin fails the test instead of hanging it. */
function run(args: string[], stdout: "pipe" | number = "pipe", as?: { uid: number; gid: number }): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const r = spawnSync(BIN, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", stdout, "pipe"], timeout: 30_000, ...as });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? "", stderr: r.stderr };
}

function fails(r: ReturnType<typeof run>, message: string): void {
  assert.equal(r.signal, null, `killed by ${r.signal}: it did not end by itself`);
  assert.equal(r.stderr, message);
  assert.equal(r.status, 2);
  assert.doesNotMatch(r.stderr, STACK);
}

const CHART_Q = "stats count(*) as n by bin(1h)";

test("--chart into a folder that does not exist: a message naming the path before the scan, exit 2", () => {
  const file = join(dir, "missing", "x.svg");
  const r = run(["query", CHART_Q, EVENTS, "--chart", file]);
  fails(r, `trailq: cannot write the chart file ${file}: its folder does not exist (ENOENT)\n`);
  assert.equal(r.stdout, "", "nothing was scanned");
});

test("--chart into /proc and /sys (special, read-only folders), onto a folder, under a file", () => {
  fails(run(["query", CHART_Q, EVENTS, "-q", "--chart", "/proc/x.svg"]), "trailq: cannot write the chart file /proc/x.svg: it cannot be created there (ENOENT)\n");
  if (existsSync("/sys/kernel")) fails(run(["query", CHART_Q, EVENTS, "-q", "--chart", "/sys/x.svg"]), "trailq: cannot write the chart file /sys/x.svg: permission denied (EACCES)\n");
  const folder = join(dir, "folder.svg");
  mkdirSync(folder);
  fails(run(["query", CHART_Q, EVENTS, "-q", "--chart", folder]), `trailq: cannot write the chart file ${folder}: it is a folder (EISDIR)\n`);
  fails(run(["query", CHART_Q, EVENTS, "-q", "--chart", `${EVENTS}/x.html`]), `trailq: cannot write the chart file ${EVENTS}/x.html: a part of the path is not a folder (ENOTDIR)\n`);
});

test("--chart onto a full disk (/dev/full): the rows are printed, then a message, exit 2", () => {
  const full = join(dir, "full.svg");
  symlinkSync("/dev/full", full);
  const r = run(["query", CHART_Q, EVENTS, "-q", "--chart", full]);
  fails(r, `trailq: cannot write the chart file ${full}: no space left on device (ENOSPC)\n`);
  assert.match(r.stdout, /^bin\(1h\) +│ n\n/);
  // the check before the scan leaves no file behind: a run that fails after it has none
  const fresh = join(dir, "fresh.svg");
  assert.equal(run(["query", "stats count(*) by bin(1ms) | fillmissing", EVENTS, "-q", "--chart", fresh]).status, 2);
  assert.equal(existsSync(fresh), false);
  assert.equal(run(["query", CHART_Q, EVENTS, "-q", "--chart", fresh]).status, 0);
  assert.match(readFileSync(fresh, "utf8"), /^<svg /);
});

test("standard output on a full disk: a message, exit 2, for every command", () => {
  for (const args of [["query", "limit 3", EVENTS, "-q"], ["query", "limit 3", EVENTS, "-q", "-f", "json"], ["explain", "limit 3"], ["templates"], ["generate", "--out", join(dir, "gen-stdout"), "-n", "5"]]) {
    const fd = openSync("/dev/full", "w");
    try {
      fails(run(args, fd), "trailq: cannot write standard output: no space left on device (ENOSPC)\n");
    } finally {
      closeSync(fd);
    }
  }
});

test("generate --out a path that cannot be made: /proc (once a spin), /sys, a file, under a file", () => {
  fails(run(["generate", "--out", "/proc/x", "-n", "5"]), "trailq: cannot create the folder /proc/x: it cannot be created there (ENOENT)\n");
  fails(run(["generate", "--out", "/proc/x/y", "-n", "5"]), "trailq: cannot create the folder /proc/x: it cannot be created there (ENOENT)\n");
  if (existsSync("/sys/kernel")) fails(run(["generate", "--out", "/sys/x", "-n", "5"]), "trailq: cannot create the folder /sys/x: not permitted (EPERM)\n");
  fails(run(["generate", "--out", EVENTS, "-n", "5"]), `trailq: cannot create the folder ${EVENTS}: ${EVENTS} is not a folder\n`);
  fails(run(["generate", "--out", `${EVENTS}/x`, "-n", "5"]), `trailq: cannot create the folder ${EVENTS}/x: a part of the path is not a folder (ENOTDIR)\n`);
});

test("generate onto a full disk: a message naming the file, exit 2", () => {
  // the same options write the same files: the first run gives the names, the second meets /dev/full at one
  const first = join(dir, "gen-a");
  assert.equal(run(["generate", "--out", first, "-n", "20", "--days", "1"]).status, 0);
  const files = readdirSync(first, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(first, join(e.parentPath, e.name))).sort();
  assert.ok(files.length > 0);
  const second = join(dir, "gen-b");
  const victim = join(second, files[0]!);
  mkdirSync(join(victim, ".."), { recursive: true });
  symlinkSync("/dev/full", victim);
  fails(run(["generate", "--out", second, "-n", "20", "--days", "1"]), `trailq: cannot write the file ${victim}: no space left on device (ENOSPC)\n`);
});

test("a read-only folder (as root, trailq runs as nobody: root writes anyway)", async () => {
  const { chmodSync } = await import("node:fs");
  const as = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
  chmodSync(dir, 0o755);
  const ro = join(dir, "read-only");
  mkdirSync(ro);
  chmodSync(ro, 0o555);
  fails(run(["query", CHART_Q, EVENTS, "-q", "--chart", join(ro, "x.svg")], "pipe", as), `trailq: cannot write the chart file ${join(ro, "x.svg")}: permission denied (EACCES)\n`);
  fails(run(["generate", "--out", join(ro, "trail"), "-n", "5"], "pipe", as), `trailq: cannot create the folder ${join(ro, "trail")}: permission denied (EACCES)\n`);
});

/** Runs the binary under a shell's ulimit, with these environment variables. */
function limited(limit: string, args: string[], env: Record<string, string> = {}): ReturnType<typeof run> {
  const r = spawnSync("sh", ["-c", `ulimit ${limit} && exec "$0" "$@"`, BIN, ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, ...env } });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? "", stderr: r.stderr };
}

test("too few open files allowed (ulimit -n): a message saying so, exit 2; never a count of 0 from files called unreadable, nor a worker's stack trace", () => {
  const trail = join(ROOT, "fixtures", "sample-trail");
  // from 18 open files up a run fails one way or another as the limit moves (the listing, a worker's
  // start, loading a worker's modules); below, node itself does not start
  for (const n of [18, 20, 22, 23, 24, 26, 28]) {
    const r = limited(`-n ${n}`, ["query", "stats count(*) as n", trail, "-f", "csv"], { TRAILQ_WORKERS: "2" });
    assert.equal(r.signal, null);
    assert.equal(r.status, 2, `ulimit -n ${n}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /too many open files|EMFILE/, `ulimit -n ${n}`);
    assert.doesNotMatch(r.stderr, STACK);
    assert.equal(r.stdout, "");
    assert.doesNotMatch(r.stderr, /unreadable|skipped/);
  }
});

test("a limit on address space that refuses the workers' WebAssembly memory (ulimit -v): the same count, read the careful way", () => {
  const trail = join(ROOT, "fixtures", "sample-trail");
  const want = run(["query", "stats count(*) as n by eventSource | sort eventSource", trail, "-f", "csv", "-q"]);
  const r = limited("-v 16000000", ["query", "stats count(*) as n by eventSource | sort eventSource", trail, "-f", "csv", "-q"], { TRAILQ_WORKERS: "2" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, want.stdout);
  assert.doesNotMatch(r.stderr, STACK);
});
