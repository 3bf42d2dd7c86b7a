// Thousands of small files (issue 17): many files go to a worker in one message, the eventIDs of a
// message's files are judged together, and the workers start reading while the folder is still being
// listed. None of that may change a result: a folder of tiny files (copies of events among them, a
// few bad files) gives the same rows, warnings and figures on one thread, and with two workers taking
// one file a message, a few, or as many as the scan chooses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { queryRows, type QueryRows } from "../../src/api.js";
import { withWorkers } from "../workers.js";
import { SAMPLE, filesUnder, inOtherRegion } from "../trails.js";
import { filesPerMessage, workersPay } from "../../src/exec/parallel.js";
import { stampFromName, stampFromNameByRegex } from "../../src/sources/cloudtrail.js";
import { readAheadFiles, readAheadTesting } from "../../src/sources/read-ahead.js";
import { sharedRuns } from "../shared-runs.js";
import { tempDir } from "../temp.js";


/**
 * Every sixteenth file of the sample trail split into files of 1 to 3 events (names keep CloudTrail's
 * form, so time order and pruning work on them), a copy of every fifth tiny file in another region's
 * folder (copies of events, met before or after their originals), an empty file and a corrupt one:
 * 884 files (every eighth made 1,690, for no more than the test needs: hundreds of messages of one
 * file, dozens of several, the rest of the scans at their own sizes; each two-worker run cost 0.3 s
 * more CPU).
 */
function tinyTrail(): { dir: string; files: number } {
  const dir = tempDir("small");
  let files = 0;
  filesUnder(SAMPLE).forEach((f, i) => {
    if (i % 16 !== 0) return;
    const records = (JSON.parse(gunzipSync(readFileSync(f)).toString()) as { Records: unknown[] }).Records;
    const rel = relative(SAMPLE, f);
    let k = 0;
    for (let at = 0, size = 1; at < records.length; at += size, size = (size % 3) + 1, k++) {
      const name = rel.replace(/\.json\.gz$/, `_${String(k).padStart(3, "0")}.json.gz`);
      const body = gzipSync(JSON.stringify({ Records: records.slice(at, at + size) }));
      const to = join(dir, name);
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, body);
      files++;
      if (files % 5 === 0) {
        const copy = join(dir, inOtherRegion(name));
        mkdirSync(dirname(copy), { recursive: true });
        writeFileSync(copy, body);
        files++;
      }
    }
  });
  const bad = join(dir, "AWSLogs", "bad");
  mkdirSync(bad, { recursive: true });
  writeFileSync(join(bad, "empty.json.gz"), "");
  writeFileSync(join(bad, "corrupt.json.gz"), Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8]));
  return { dir, files: files + 2 };
}

const { dir, files } = tinyTrail();
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

/** Runs a query with TRAILQ_FILES_PER_MESSAGE set to n (undefined: as the scan chooses). */
async function withPerMessage(n: number | undefined, run: () => Promise<QueryRows>): Promise<QueryRows> {
  const before = process.env["TRAILQ_FILES_PER_MESSAGE"];
  if (n === undefined) delete process.env["TRAILQ_FILES_PER_MESSAGE"];
  else process.env["TRAILQ_FILES_PER_MESSAGE"] = String(n);
  try {
    return await run();
  } finally {
    if (before === undefined) delete process.env["TRAILQ_FILES_PER_MESSAGE"];
    else process.env["TRAILQ_FILES_PER_MESSAGE"] = before;
  }
}

const QUERIES = [
  "stats count(*) as n by eventSource, eventName, awsRegion",
  "stats count(*) as n by @log",
  'filter eventName = "ConsoleLogin" | stats count(*) by userIdentity.userName, sourceIPAddress',
  "fields @timestamp, eventName, eventID, @ptr",
  "fields @timestamp, eventName, @log | sort @timestamp asc",
  "fields eventName, eventID, @ptr | sort eventName asc | limit 15",
  "sort @timestamp desc | limit 20",
  'filter eventSource = "iam.amazonaws.com" | fields @timestamp, eventName, @logStream, @ptr',
  "fields userIdentity.arn, eventName | dedup userIdentity.arn",
];

test("the tiny-file folder is what the tests need: many files, copies among them", async () => {
  assert.ok(files > 500, `files: ${files}`);
  const one = await withWorkers(0, () => queryRows("stats count(*) as n", [dir]));
  assert.ok(one.result.read.eventsDuplicate > 50, `copies: ${one.result.read.eventsDuplicate}`);
  assert.equal(one.result.read.filesEmpty, 1);
  assert.equal(one.warnings.length, 1, one.warnings.join("\n"));
});

/**
 * A query's run on one thread with no read-ahead thread, made once: the workers' and the read-ahead
 * thread's tests below compare with it. (By default a scan of this folder reads ahead neither: it
 * has fewer files than a read-ahead waits for.)
 */
const oneThreadRuns = sharedRuns<QueryRows>();
const oneThread = (q: string): Promise<QueryRows> => oneThreadRuns(q, () => withReadAhead("never", () => withWorkers(0, () => queryRows(q, [dir]))));

// each query as the scan chooses, and with one file a message or seven, by turns
QUERIES.forEach((q, k) => {
  test(`one file a message, a few, or many: what one thread gives: ${q}`, async () => {
    const one = await oneThread(q);
    assert.equal(one.result.workers, 0);
    assert.ok(one.rows.length > 0);
    for (const per of [k % 2 ? 7 : 1, undefined]) {
      const two = await withPerMessage(per, () => withWorkers(2, () => queryRows(q, [dir])));
      const label = `${per ?? "chosen"} files a message`;
      assert.equal(two.result.workers, 2, label);
      assert.deepEqual(two.rows, one.rows, label);
      assert.deepEqual(two.warnings, one.warnings, label);
      const figures = (r: QueryRows) => {
        const { eventsRead, eventsDuplicate, filesRead, filesEmpty, filesSkipped, filesUnmatched, filesUnneeded } = r.result.read;
        return { eventsRead, eventsDuplicate, filesRead, filesEmpty, filesSkipped, filesUnmatched, filesUnneeded };
      };
      assert.deepEqual(figures(two), figures(one), label);
    }
  });
});

test("--keep-duplicates: the same rows from tiny files one a message and many", async () => {
  const q = "stats count(*) as n by eventName, awsRegion";
  const one = await withWorkers(0, () => queryRows(q, [dir], { keepDuplicates: true }));
  const a = await withPerMessage(1, () => withWorkers(2, () => queryRows(q, [dir], { keepDuplicates: true })));
  const b = await withPerMessage(undefined, () => withWorkers(2, () => queryRows(q, [dir], { keepDuplicates: true })));
  assert.deepEqual(a.rows, one.rows);
  assert.deepEqual(b.rows, one.rows);
  assert.equal(b.result.read.eventsDuplicate, 0);
});

/** Runs a query with TRAILQ_READ_AHEAD set ("always": a thread reads and gunzips every file for the scan). */
async function withReadAhead(set: "always" | "never", run: () => Promise<QueryRows>): Promise<QueryRows> {
  const before = process.env["TRAILQ_READ_AHEAD"];
  process.env["TRAILQ_READ_AHEAD"] = set;
  try {
    return await run();
  } finally {
    if (before === undefined) delete process.env["TRAILQ_READ_AHEAD"];
    else process.env["TRAILQ_READ_AHEAD"] = before;
  }
}

for (const q of [...QUERIES, "fields @message | filter @message like /ConsoleLogin/ | limit 50"]) {
  test(`read ahead by a second thread, or not: the same rows, warnings and figures: ${q}`, async () => {
    const one = await oneThread(q);
    const before = { ...readAheadFiles };
    const ahead = await withReadAhead("always", () => withWorkers(0, () => queryRows(q, [dir])));
    assert.equal(ahead.result.workers, 0);
    // every file came from the thread, or was taken by the scan's thread while the thread read the
    // rest of its chunk, but the empty one of known size (the scan sees to it) and those a limit left unread
    const served = readAheadFiles.count - before.count + readAheadFiles.taken - before.taken;
    assert.ok(served >= (q.includes("limit") ? 10 : files - 1), `files read ahead: ${served}`);
    assert.deepEqual(ahead.rows, one.rows);
    assert.deepEqual(ahead.warnings, one.warnings);
    assert.deepEqual(ahead.result.read, one.result.read);
    // the scan's thread taking files of every chunk as soon as it asks for it: the same again
    const taken = readAheadFiles.taken;
    readAheadTesting.takeAtOnce = true;
    try {
      const racing = await withReadAhead("always", () => withWorkers(0, () => queryRows(q, [dir])));
      assert.ok(readAheadFiles.taken > taken, "files taken by the scan's thread");
      assert.deepEqual(racing.rows, one.rows);
      assert.deepEqual(racing.warnings, one.warnings);
      assert.deepEqual(racing.result.read, one.result.read);
    } finally {
      readAheadTesting.takeAtOnce = false;
    }
  });
}

test("a read-ahead thread stopped by a limit ends of itself, never terminated in the middle of a file", async () => {
  // terminating it in gunzipSync could leave a zlib handle that aborts the process when collected
  const before = readAheadFiles.endedOfItself;
  for (let i = 1; i <= 6; i++) await withReadAhead("always", () => withWorkers(0, () => queryRows(`fields eventID | limit ${i * 7}`, [dir])));
  // each ends after the file it is in (a thread of the tests before may end in this time too)
  for (const deadline = Date.now() + 10_000; readAheadFiles.endedOfItself - before < 6 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(readAheadFiles.endedOfItself - before >= 6, `threads that ended of themselves: ${readAheadFiles.endedOfItself - before}`);
});

test("a read-ahead thread started while the files are listed: the same rows; none for a scan a limit may stop", async () => {
  // 2,400 files of one event (a thread starts early past 2,256 files found), and a copy of each tenth
  const many = tempDir("early");
  try {
    const records = filesUnder(SAMPLE)
      .slice(0, 400)
      .flatMap((f) => (JSON.parse(gunzipSync(readFileSync(f)).toString()) as { Records: { eventTime: string }[] }).Records);
    for (let i = 0; i < 2_400; i++) {
      const r = records[i % records.length]!;
      const stamp = r.eventTime.replace(/[-:]/g, "").slice(0, 13) + "Z";
      const folder = join(many, "AWSLogs", "111122223333", "CloudTrail", "us-east-1", r.eventTime.slice(0, 4), r.eventTime.slice(5, 7), r.eventTime.slice(8, 10));
      mkdirSync(folder, { recursive: true });
      const body = gzipSync(JSON.stringify({ Records: i % 10 === 0 ? [r, r] : [r] }));
      writeFileSync(join(folder, `111122223333_CloudTrail_us-east-1_${stamp}_${String(i).padStart(5, "0")}.json.gz`), body);
    }
    for (const q of ["stats count(*) by eventName, awsRegion", "fields @timestamp, eventID, eventName | sort @timestamp asc"]) {
      const one = await withReadAhead("never", () => withWorkers(0, () => queryRows(q, [many])));
      const before = { ...readAheadFiles };
      // the scan waits for the thread (which starts slower from the modules of dist/ than from the
      // bundle) and for each of its chunks, however busy the machine: every file comes from the thread
      readAheadTesting.waitForThread = true;
      const early = await withWorkers(0, () => queryRows(q, [many])).finally(() => (readAheadTesting.waitForThread = false));
      assert.equal(readAheadFiles.early - before.early, 1, `one thread started while listing: ${q}`);
      assert.equal(readAheadFiles.count - before.count, 2_400, q);
      assert.equal(readAheadFiles.taken, before.taken, q);
      assert.deepEqual(early.rows, one.rows, q);
      assert.deepEqual(early.result.read, one.result.read, q);
      assert.equal(early.result.read.eventsDuplicate, 240);
    }
    const before = readAheadFiles.early;
    await withWorkers(0, () => queryRows("sort @timestamp desc | limit 5", [many]));
    assert.equal(readAheadFiles.early, before, "a limit may stop the scan after a few files: no thread while listing");
  } finally {
    rmSync(many, { recursive: true, force: true });
  }
});

test("files per message: dozens of small files, a few big ones, 16 messages a worker at least", () => {
  // 23,363 files of 8 events (2.3 KB gzipped each), copies skipped: about 96 KB a message
  assert.equal(filesPerMessage(23_363, 23_363 * 2_265, 2, true), 43);
  // 3,240 files of 300 events (44 KB each): two a message with dedup, eight without
  assert.equal(filesPerMessage(3_240, 3_240 * 44_000, 2, true), 2);
  assert.equal(filesPerMessage(3_240, 3_240 * 44_000, 2, false), 8);
  // few files: each worker still gets 16 messages
  assert.equal(filesPerMessage(100, 100 * 2_000, 2, true), 3);
  // while listing, the count of files is not known: the bytes decide
  assert.equal(filesPerMessage(100, 100 * 2_000, 2, true, false), 49);
  assert.equal(filesPerMessage(100_000, 100_000 * 300, 2, false), 256);
});

test("the choice of workers weighs files and bytes", () => {
  // the sample trail (1,246 files, 4.6 MB): one thread
  assert.ok(!workersPay(1_246, 4_600_000));
  // the small-file trail, 23,363 files of 8 events: one thread (as fast as two workers, half the memory)
  assert.ok(!workersPay(23_363, 23_363 * 2_265));
  // three times as many are work enough
  assert.ok(workersPay(70_000, 70_000 * 2_265));
  // tiny files never: their reading costs little more than what workers add a file
  assert.ok(!workersPay(10_000, 10_000 * 100));
  assert.ok(!workersPay(1_000_000, 1_000_000 * 1_000));
  // big files past about 32 MB are (44 MB of the 1M trail: 1.13-1.30 s against 1.39-1.52 on one thread; 13 MB: 0.52-0.67 against 0.43-0.59)
  assert.ok(workersPay(360, 44_000_000));
  assert.ok(!workersPay(110, 13_000_000));
  assert.ok(workersPay(20, 40_000_000));
  assert.ok(!workersPay(20, 25_000_000));
});

test("the delivery stamp read from character codes is the regex's, on real names and odd ones", () => {
  const names = [
    "111122223333_CloudTrail_us-east-1_20240304T0005Z_abcd.json.gz",
    "111122223333_CloudTrail_us-east-1_20240230T0005Z_abcd.json.gz", // Feb 30th
    "111122223333_CloudTrail_us-east-1_20241304T0005Z_abcd.json.gz", // month 13
    "x_20240304T2460Z_y", // minute 60
    "_20240304T0005Z_",
    "20240304T0005Z_",
    "a_2024030xT0005Z_b_20240304T0005Z_c", // the first form that fits is a later one
    "a_20240304T0005Z_20240305T0005Z_",
    "a_2024-03-04T0005Z_b",
    "no stamp.json.gz",
    "Z_Z_Z_",
    "",
  ];
  for (const n of names) assert.equal(stampFromName(n), stampFromNameByRegex(n), n);
  // every stamp of a few years, in a name
  for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2026, 0, 1); t += 7_777_777) {
    const d = new Date(t);
    const p = (v: number, k = 2) => String(v).padStart(k, "0");
    const n = `1_CloudTrail_eu-west-1_${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}${p(d.getUTCMinutes())}Z_u.json.gz`;
    assert.equal(stampFromName(n), stampFromNameByRegex(n), n);
    assert.equal(stampFromName(n), Math.floor(t / 60_000) * 60_000);
  }
});
