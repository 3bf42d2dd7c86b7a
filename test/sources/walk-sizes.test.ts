// The walk does not stat a CloudTrail file it finds in a folder (walk.ts: SIZE_SAMPLE_EVERY): its size is
// estimated until the reader opens it. What is read, counted and reported stays the same.
import { test } from "node:test";
import assert from "node:assert/strict";
import { linkSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { fsProblem, walk, type FoundFile } from "../../src/sources/walk.js";
import { ExitCode, UserError } from "../../src/errors.js";
import { GOOD, id, readAll } from "./helpers.js";
import { spawnSync } from "node:child_process";
import { BIN, trailq } from "../bin.js";
import { tempDir } from "../temp.js";

/** A day folder of a trail: files named as CloudTrail names them, with their delivery stamps. */
function trailDay(root: string): { day: string; names: string[]; sizes: number[] } {
  const day = join(root, "AWSLogs", "111122223333", "CloudTrail", "us-east-1", "2024", "01", "01");
  mkdirSync(day, { recursive: true });
  const event = (JSON.parse(readFileSync(join(GOOD, "records.json"), "utf8")) as { Records: Record<string, unknown>[] }).Records[0]!;
  const records = (from: number, n: number): string => JSON.stringify({ Records: Array.from({ length: n }, (_, k) => ({ ...event, eventID: id(from + k) })) });
  const name = (minute: number): string => `111122223333_CloudTrail_us-east-1_20240101T00${String(minute).padStart(2, "0")}Z_x${minute}.json.gz`;
  const contents = [gzipSync(records(0, 1)), gzipSync(records(1, 3)), Buffer.alloc(0), gzipSync(records(4, 2))];
  const names = contents.map((_, k) => name(5 * k));
  names.forEach((n, k) => writeFileSync(join(day, n), contents[k]!));
  return { day, names, sizes: contents.map((c) => c.length) };
}

const found = (inputs: string[]): FoundFile[] => [...walk(inputs)].filter((w): w is FoundFile => w.kind === "file");

test("in a folder, a CloudTrail-named file past the first is not stat'ed: its size is the last stat'ed one's", () => {
  const dir = tempDir("sizes");
  const { day, names, sizes } = trailDay(dir);
  writeFileSync(join(day, "notes.json"), "{}"); // no delivery stamp: stat'ed
  const files = found([dir]).map((f) => f.file);
  assert.deepEqual(files.map((f) => f.path), [...names.map((n) => join(day, n)), join(day, "notes.json")]);
  assert.deepEqual(files.map((f) => f.estimated ?? false), [false, true, true, true, false]);
  assert.equal(files[0]!.size, sizes[0]);
  assert.equal(files[1]!.size, sizes[0], "the size of the one stat'ed so far");
  assert.equal(files[4]!.size, 2, "notes.json");
  // a file named as an input may be met again in the folder: everything is stat'ed, by inode
  const withFile = found([dir, join(day, names[1]!)]).map((f) => f.file);
  assert.equal(withFile.length, 5, "the named file is not read twice");
  assert.ok(withFile.every((f) => !f.estimated));
  assert.deepEqual(withFile.slice(0, 4).map((f) => f.size), sizes);
});

test("one file in 32 of a folder is stat'ed: the files after it take its size, as a day's files grow and shrink", () => {
  const dir = tempDir("sizes-sampled");
  const day = join(dir, "AWSLogs", "111122223333", "CloudTrail", "us-east-1", "2024", "01", "01");
  mkdirSync(day, { recursive: true });
  // 80 files whose sizes grow as the day goes: 100 bytes, then 200, ...
  const sizes = Array.from({ length: 80 }, (_, k) => 100 * (k + 1));
  const names = sizes.map((_, k) => `111122223333_CloudTrail_us-east-1_20240101T${String(Math.floor(k / 12)).padStart(2, "0")}${String((k % 12) * 5).padStart(2, "0")}Z_x${k}.json.gz`);
  names.forEach((n, k) => writeFileSync(join(day, n), Buffer.alloc(sizes[k]!)));
  const files = found([dir]).map((f) => f.file);
  assert.deepEqual(files.map((f) => f.path), names.map((n) => join(day, n)));
  const stated = files.flatMap((f, k) => (f.estimated ? [] : [k]));
  assert.deepEqual(stated, [0, 32, 64]);
  assert.deepEqual(files.map((f) => f.size), sizes.map((_, k) => sizes[k - (k % 32)]));
});

test("an estimated file is read as a stat'ed one: its events, an empty one counted as empty, its real size once read", async () => {
  const dir = tempDir("sizes-read");
  const { day, names, sizes } = trailDay(dir);
  // with a file among the inputs, every file is stat'ed
  const stated = await readAll([dir, join(day, names[0]!)]);
  const got = await readAll([dir]);
  assert.deepEqual(got.events.map((e) => [e.display.slice(-12), e.index, e.id]), stated.events.map((e) => [e.display.slice(-12), e.index, e.id]));
  assert.deepEqual(got.events.map((e) => e.id), [0, 1, 2, 3, 4, 5].map(id));
  assert.equal(got.stats.filesEmpty, 1);
  assert.equal(got.stats.filesRead, 3);
  assert.equal(got.stats.bytesRead, sizes.reduce((a, b) => a + b, 0));
  for (const b of got.batches) assert.ok(!b.file.estimated, `${b.file.display}: its size is known once read`);
  // through the binary (the fast path), and with a thread reading ahead: the same count, the empty file in the summary
  for (const readAhead of ["never", "always"]) {
    const r = spawnSync(BIN, ["query", "stats count(*) as n", dir, "-f", "jsonl"], { encoding: "utf8", env: { ...process.env, TRAILQ_READ_AHEAD: readAhead } });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { n: got.events.length });
    assert.match(r.stderr, /events parsed in 3 files .* · 1 empty file/, readAhead);
  }
});

test("a hard link to a file in the same folders is read twice (no stat, no inode): its events are copies, skipped by eventID", () => {
  const dir = tempDir("sizes-link");
  const { day, names } = trailDay(dir);
  linkSync(join(day, names[1]!), join(day, names[1]!.replace("_x5", "_x5-again")));
  const once = trailq(["query", "stats count(*) as n", dir, "-f", "jsonl"]);
  assert.equal(once.status, 0, once.stderr);
  const kept = trailq(["query", "stats count(*) as n", dir, "-f", "jsonl", "--keep-duplicates"]);
  const n = (JSON.parse(once.stdout) as { n: number }).n;
  assert.equal((JSON.parse(kept.stdout) as { n: number }).n, n + 3, "with --keep-duplicates, the linked file's three events again");
  assert.match(once.stderr, /3 duplicate events skipped/);
});

test("the system refusing more open files (EMFILE, ENFILE) stops the run with a message and exit 2: it is no file's problem, and every file after would be 'unreadable'", () => {
  for (const code of ["EMFILE", "ENFILE"]) {
    const e = Object.assign(new Error(`${code}: too many open files, open '/x/y.json.gz'`), { code });
    assert.throws(() => fsProblem(e), (thrown: unknown) => thrown instanceof UserError && thrown.exitCode === ExitCode.path && /too many open files, open '\/x\/y\.json\.gz': the (limit on open files of this process \(ulimit -n|system's limit)/.test(thrown.message));
  }
  assert.deepEqual(fsProblem(Object.assign(new Error("EACCES"), { code: "EACCES" })), { reason: "unreadable", detail: "permission denied" });
});
