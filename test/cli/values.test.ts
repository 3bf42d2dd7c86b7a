// Hostile values through the built command: log content chosen to hurt (a 50 KB user agent, keys
// named like JavaScript's own properties, odd times) and odd inputs give right answers, quickly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, ROOT } from "../bin.js";
import { tempDir } from "../temp.js";

const HOSTILE = join(ROOT, "fixtures", "golden", "hostile.jsonl");

/** The command with a deadline: a run that hangs is killed and fails the test instead of the suite. */
function run(args: string[], timeout = 60_000): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const r = spawnSync(BIN, args, { cwd: ROOT, encoding: "utf8", timeout, stdio: ["ignore", "pipe", "pipe"] });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

test("catastrophic regexes and globs against a 50 KB user agent: right rows, no hang", { timeout: 120_000 }, () => {
  const r = run(["query", 'filter userAgent =~ /(a+)+$/ or userAgent like /^(a|aa)*!$/ | parse userAgent "*:*:*:*ZZZ" as a, b, c, d | fields eventID, strlen(userAgent) as n | sort eventID asc', HOSTILE, "-f", "json", "-q"]);
  assert.equal(r.signal, null, "killed at the deadline");
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [
    { eventID: "h-2", n: 50_001 },
    { eventID: "h-4", n: 4 },
  ]);
  const glob = run(["query", 'parse userAgent "*:*:*:*ZZZ" as a, b, c, d | filter ispresent(a) | fields eventID, a, d', HOSTILE, "-f", "json", "-q"]);
  assert.equal(glob.status, 0, glob.stderr);
  assert.deepEqual(JSON.parse(glob.stdout), [{ eventID: "h-5", a: "x", d: "w" }]);
});

test("a regex RE2 can't read is an error at check time, with no stack trace", () => {
  const r = run(["query", "filter userAgent =~ /(?<=a)b/", HOSTILE]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /this regex can't be used: lookbehind \(\?<=\.\.\.\) \(RE2 syntax has none\)/);
  assert.match(r.stderr, /hint: trailq reads regexes in RE2 syntax/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.equal(r.stdout, "");
});

test("keys named like JavaScript's own properties are ordinary fields", () => {
  const r = run(["query", "filter ispresent(constructor) or ispresent(toString) or ispresent(hasOwnProperty) | fields eventID, constructor, __proto__.polluted as p", HOSTILE, "-f", "json", "-q"]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [{ eventID: "h-6", constructor: "c-top", p: "yes" }]);
});

test("a malformed lookup table stops the query before any file is read, naming its line", () => {
  const dir = tempDir("values");
  try {
    const csv = join(dir, "accounts.csv");
    writeFileSync(csv, 'id,name\n111111111111,"prod\n222222222222,dev\n');
    // the input does not exist: had it been looked for, there would be a warning about it
    const r = run(["query", "lookup accounts id as recipientAccountId OUTPUT name | fields name", join(dir, "missing"), "--lookup", `accounts=${csv}`]);
    assert.equal(r.status, 3, r.stderr);
    assert.equal(r.stderr, `trailq: lookup table accounts (${csv}): line 2: a quoted field starts on this line and is never closed\n`);
    assert.equal(r.stdout, "");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the summary counts every event with a bad eventTime", () => {
  const r = run(["query", "stats count(*) as n", join(ROOT, "fixtures", "golden", "times.jsonl"), "-f", "json"]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [{ n: 14 }]);
  assert.match(r.stderr, / · 5 events with a bad eventTime \(no @timestamp\)/);
  assert.equal(r.stderr.split("\n").filter((l) => /: record \d+: eventTime .* is not a time/.test(l)).length, 3);
  assert.match(r.stderr, /times\.jsonl: more events with an eventTime that is not a time, not shown \(the summary counts them\)/);
});

/** The command started in the background: its output so far, and its end (code or signal). */
function start(args: string[]): { out: () => string; err: () => string; kill: (s: NodeJS.Signals) => void; done: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(BIN, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
  return { out: () => out, err: () => err, kill: (s) => void child.kill(s), done };
}

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no end within ${ms} ms`)), ms).unref())]);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test("a named pipe without a writer: trailq waits, and Ctrl-C ends the run at once (exit 130)", { timeout: 60_000 }, async () => {
  const dir = tempDir("fifo");
  try {
    const fifo = join(dir, "events.pipe");
    spawnSync("mkfifo", [fifo]);
    const run = start(["query", "stats count(*) as n", fifo, "-f", "json"]);
    await sleep(1500);
    run.kill("SIGINT");
    const end = await within(run.done, 10_000, "after SIGINT");
    assert.equal(end.code, 130, run.err());
    assert.match(run.err(), /^trailq: 0 events parsed in 1 file .* · interrupted\n$/);
    assert.deepEqual(JSON.parse(run.out()), [{ n: 0 }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a named pipe is read as its writer writes it", { timeout: 60_000 }, async () => {
  const dir = tempDir("fifo");
  try {
    const fifo = join(dir, "events.pipe");
    spawnSync("mkfifo", [fifo]);
    const run = start(["query", "stats count(*) as n", fifo, "-f", "json", "-q"]);
    await sleep(500);
    // the writer comes after trailq opened the pipe; opening it for writing waits for the reader
    writeFileSync(fifo, readFileSync(HOSTILE));
    const end = await within(run.done, 20_000, "after the writer closed");
    assert.equal(end.code, 0, run.err());
    assert.deepEqual(JSON.parse(run.out()), [{ n: 6 }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a device named as an input is refused before anything is read", () => {
  for (const dev of ["/dev/null", "/dev/zero"]) {
    const r = run(["query", "limit 1", HOSTILE, dev]);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, `trailq: ${dev} is a character device, not a file, a folder or a named pipe: pipe what it gives to trailq's standard input instead (cat ${dev} | trailq query '...' -)\n`);
    assert.equal(r.stdout, "");
  }
});

test("numbers at the edges: Infinity prints as itself (a string in JSON), compares as equal to itself; overflow is Infinity; histogram edges and addtotals as stats sum", () => {
  const dir = tempDir("edge-numbers");
  const file = join(dir, "n.jsonl");
  const ev = (i: number, v: string, extra = ""): string => `{"eventTime":"2026-11-01T00:00:0${i}Z","eventID":"n${i}","v":${v}${extra}}`;
  writeFileSync(file, [ev(1, "1e400", ',"requestParameters":{"x":-1e400,"y":[1e999,2]}'), ev(2, "5"), ev(3, '"1e999"'), ev(4, "1e200")].join("\n") + "\n");
  const q = (query: string, format = "json"): string => {
    const r = run(["query", query, file, "-f", format, "-q"]);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  assert.deepEqual(JSON.parse(q("fields eventID, v, v * v as sq, v - v as none, v / 0 as byZero, requestParameters | sort eventID asc")), [
    { eventID: "n1", v: "Infinity", sq: "Infinity", requestParameters: { x: "-Infinity", y: ["Infinity", 2] } },
    { eventID: "n2", v: 5, sq: 25, none: 0 },
    { eventID: "n3", v: "1e999", sq: "Infinity" },
    { eventID: "n4", v: 1e200, sq: "Infinity", none: 0 },
  ]);
  assert.equal(q("fields eventID, v * 2 as d | sort eventID asc", "csv"), "eventID,d\r\nn1,Infinity\r\nn2,10\r\nn3,Infinity\r\nn4,2e+200\r\n");
  // equal infinities are <= and >= each other, as = says
  assert.deepEqual(JSON.parse(q("filter v <= v and v >= toNumber(\"1e999\") | fields eventID | sort eventID asc")), [{ eventID: "n1" }, { eventID: "n3" }]);
  // a value on a bucket's edge is counted in the bucket it starts, as the keys say
  const hist = dir + "/h.jsonl";
  writeFileSync(hist, [0, 0.3, 0.6, 0.7, 1].map((v, i) => ev(i, String(v))).join("\n") + "\n");
  const hr = run(["query", "stats histogram(v, 10) as h", hist, "-f", "json", "-q"]);
  assert.equal(hr.status, 0, hr.stderr);
  const counts = (JSON.parse(hr.stdout) as { h: Record<string, number> }[])[0]!.h;
  assert.deepEqual([counts["0.2-0.3"], counts["0.3-0.4"], counts["0.6-0.7"], counts["0.7-0.8"]], [0, 1, 1, 1]);
  // addtotals adds a column as stats sum does: exactly, rounded once
  const sums = dir + "/s.jsonl";
  writeFileSync(sums, ["0.1", "0.2", "0.3", "1e16", "1", "-1e16"].map((v, i) => ev(i, v).replace('"eventID"', `"g":"g${i}","eventID"`)).join("\n") + "\n");
  const at = run(["query", "stats sum(v) as s by g | sort g asc | addtotals col=true s", sums, "-f", "csv", "-q"]);
  assert.equal(at.status, 0, at.stderr);
  // (the row total, then the column's)
  assert.equal(at.stdout.trim().split("\r\n").at(-1), ",1.6,1.6");
  // a number in the query past the double's range is an error at its place
  const big = run(["query", "filter v < 1e400", file]);
  assert.equal(big.status, 2);
  assert.match(big.stderr, /1:12: 1e400 is past the largest number a query can hold/);
});
