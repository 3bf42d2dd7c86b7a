// The parallel scan gives what the single-threaded scan gives: the same rows in the same order, the
// same warnings in the same order, the same figures.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { queryRows } from "../../src/api.js";
import { withWorkers } from "../workers.js";
import { tempDir } from "../temp.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SAMPLE = join(ROOT, "fixtures", "sample-trail");


const QUERIES = [
  // aggregate: partial groups merged, in the order of their first rows
  "stats count(*) by eventSource, eventName, awsRegion",
  "filter ispresent(errorCode) | stats count(*) by bin(1h), errorCode",
  'filter eventName = "ConsoleLogin" | stats count(*), earliest(@timestamp), latest(sourceIPAddress) by userIdentity.userName',
  "stats count_distinct(sourceIPAddress) as ips, avg(strlen(userAgent)) as ua, pct(strlen(eventName), 90) by userIdentity.type | sort ips desc",
  'parse userAgent /^(?<tool>[A-Za-z0-9_.-]+)\\// | stats count(*) by tool',
  "unnest resources into r | stats count(*) by r.type",
  // top: each file's first n, the first n of all, with the early stop
  "fields @timestamp, eventName, eventID | sort @timestamp desc | limit 20",
  "fields eventName, eventID | sort eventName asc | limit 15",
  "limit 3",
  // ordered: each file's sorted run, merged here (times repeat: ties go by place)
  "fields @timestamp, eventName, sourceIPAddress",
  "fields @timestamp, eventName, userIdentity.arn | sort @timestamp asc",
  // rows: every row through this thread
  'filter eventSource = "iam.amazonaws.com" | fields @timestamp, eventName, @logStream, @ptr',
  "fields userIdentity.arn, eventName | dedup userIdentity.arn",
  "pattern eventName | limit 10",
];

for (const q of QUERIES) {
  test(`two workers give what one thread gives: ${q}`, async () => {
    const one = await withWorkers(0, () => queryRows(q, [SAMPLE]));
    const two = await withWorkers(2, () => queryRows(q, [SAMPLE]));
    assert.ok(one.rows.length > 0);
    assert.equal(one.result.workers, 0);
    assert.equal(two.result.workers, 2);
    assert.deepEqual(two.rows, one.rows);
    const { eventsRead, filesRead, filesUnmatched, filesUnneeded } = one.result.read;
    assert.deepEqual(
      { eventsRead: two.result.read.eventsRead, filesRead: two.result.read.filesRead, filesUnmatched: two.result.read.filesUnmatched, filesUnneeded: two.result.read.filesUnneeded },
      { eventsRead, filesRead, filesUnmatched, filesUnneeded },
    );
  });
}

test("bad files among good ones: the same warnings, in the same order, and the same rows", async () => {
  const dir = tempDir("parallel");
  try {
    cpSync(join(ROOT, "fixtures", "inputs"), join(dir, "inputs"), { recursive: true });
    // a region of the sample trail (144 files): enough for each worker to read many
    cpSync(join(SAMPLE, "AWSLogs", "111122223333", "CloudTrail", "us-east-1"), join(dir, "trail"), { recursive: true });
    const q = "stats count(*) by eventName | sort eventName";
    const one = await withWorkers(0, () => queryRows(q, [dir]));
    const two = await withWorkers(2, () => queryRows(q, [dir]));
    assert.ok(one.warnings.length > 5, one.warnings.join("\n"));
    assert.equal(two.result.workers, 2);
    assert.deepEqual(two.warnings, one.warnings);
    assert.deepEqual(two.rows, one.rows);
    assert.deepEqual(two.result.read.skipped, one.result.read.skipped);
    // the default order, events without a time among them (last)
    const q2 = "fields @timestamp, eventName, eventID";
    const rowsOne = await withWorkers(0, () => queryRows(q2, [dir]));
    const rowsTwo = await withWorkers(2, () => queryRows(q2, [dir]));
    assert.ok(rowsOne.rows.some((r) => r["@timestamp"] === undefined));
    assert.deepEqual(rowsTwo.rows, rowsOne.rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the end-of-run hints (fields no event has, a time range that selects nothing) are the same from workers", async () => {
  const cases: [string, Parameters<typeof queryRows>[2]][] = [
    // parsed events in some files, every other ruled out by the filter's text
    ['filter eventname = "ConsoleLogin" | stats count(*) by userIdentity.username, requestParameters.x-amz-server-side-encryption', {}],
    // the fields are met in some files only (errorCode, the S3 encryption key): no hint; eventType
    // would be taken for eventTime if the workers did not say the events have it
    ["filter ispresent(errorCode) | stats count(*) by `requestParameters.x-amz-server-side-encryption`, eventType, @type", {}],
    // an early stop: the files not read add nothing
    ["fields @timestamp, eventNmae | sort @timestamp asc | limit 3", {}],
    // a range after every event read (the files of the last hours are read: their stamps allow it)
    ["stats count(*) as n", { range: { start: Date.parse("2026-11-03T23:59:59.500Z") } }],
    // a range that selects events in some files only: no hint
    ["stats count(*) as n", { range: { start: Date.parse("2026-11-03T23:00:00Z") } }],
  ];
  const hints: string[][] = [];
  for (const [q, opts] of cases) {
    const one = await withWorkers(0, () => queryRows(q, [SAMPLE], opts));
    const two = await withWorkers(2, () => queryRows(q, [SAMPLE], opts));
    assert.equal(two.result.workers, 2, q);
    assert.deepEqual(two.warnings, one.warnings, q);
    assert.deepEqual(two.rows, one.rows, q);
    hints.push(two.warnings);
  }
  const w = (i: number): string[] => hints[i]!;
  assert.deepEqual(w(0), [
    "no event has requestParameters.x; did you mean `requestParameters.x-amz-server-side-encryption`? (without backticks a name with - is a subtraction: requestParameters.x - amz - server - side - encryption)",
    "no event has eventname; did you mean eventName?",
    "no event has userIdentity.username; did you mean userIdentity.userName?",
  ]);
  assert.deepEqual(w(1), ["no event has @type: it is not a system field (those are @timestamp, @message, @logStream, @log, @ingestionTime, @ptr), so it is absent"]);
  assert.deepEqual(w(2), ["no event has eventNmae; did you mean eventName?"]);
  assert.deepEqual(w(4), []);
  assert.match(w(3).join("\n"), /^no events at or after 2026-11-03 23:59:59; the files hold events within 2026-10-31 23:32 to 2026-11-03 23:59:\d\d by the delivery stamps in their names \(an event delivered more than an hour late is not seen: filter on @timestamp to read every file\)$/);
});

test("@message is the text as written on one thread or several, whichever mode carries it across", async () => {
  const dir = tempDir("parallel");
  try {
    cpSync(join(ROOT, "fixtures", "message", "events"), join(dir, "message"), { recursive: true });
    // a region of the sample trail (144 files): enough for each worker to read many
    cpSync(join(SAMPLE, "AWSLogs", "111122223333", "CloudTrail", "us-east-1"), join(dir, "trail"), { recursive: true });
    const queries = [
      // ordered: the output values are made in the workers
      'filter eventSource = "s3.amazonaws.com" | fields @timestamp, eventID, @message',
      // rows: the text crosses with the row, read after the barrier
      'filter eventSource = "s3.amazonaws.com" | sort eventID asc | fields eventID, @message, strlen(@message) as n',
      'pattern @message | sort @sampleCount desc, @pattern asc | limit 5',
      // top and aggregate: read before the barrier only
      'filter @message like "500.0" | fields eventID, @message | sort eventID asc | limit 3',
      'stats count(*) as n, max(strlen(@message)) as longest by eventSource',
    ];
    for (const q of queries) {
      const one = await withWorkers(0, () => queryRows(q, [dir]));
      const two = await withWorkers(2, () => queryRows(q, [dir]));
      assert.equal(two.result.workers, 2, q);
      assert.ok(one.rows.length > 0, q);
      assert.deepEqual(two.rows, one.rows, q);
    }
    const m1 = await withWorkers(2, () => queryRows('filter eventID = "m-1" | fields @message', [dir]));
    assert.match(String(m1.rows[0]!["@message"]), /"bytesTransferredIn":500\.0,"bytesTransferredOut":1\.0E7/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a message's file results cross packed: plain files as numbers, the rest whole, and come out the same", async () => {
  const { packResults, unpackResults, FILE_COUNTERS } = await import("../../src/exec/parallel.js");
  const counters = (base: number) => Object.fromEntries(FILE_COUNTERS.map((k, i) => [k, base + i]));
  const plain = (ordinal: number) => ({ ordinal, stats: { ...counters(ordinal * 10), skipped: [] }, warnings: [], rows: [], copies: ordinal % 3, facts: { present: [], inRange: 4, selected: 3, untimed: 1, first: Infinity, last: -Infinity } });
  const warned = { ...plain(7), warnings: ["f.json.gz: not CloudTrail"] };
  const pathMet = { ...plain(8), facts: { present: [1], inRange: 0, selected: 0, untimed: 0, first: 5, last: 9 } };
  const results = [plain(5), plain(6), warned, pathMet, plain(9)] as never[];
  const packed = packResults(results);
  assert.equal(packed.others.length, 2, "the file with a warning and the one that met a path cross whole");
  assert.equal(packed.plain.length / 3, FILE_COUNTERS.length + 7, "three plain files, as numbers");
  const back = unpackResults(packed).sort((a, b) => a.ordinal - b.ordinal);
  assert.deepEqual(back, [...results].sort((a: { ordinal: number }, b: { ordinal: number }) => a.ordinal - b.ordinal));
});

test("ties and mixed kinds in min, max, earliest and latest: one answer, whatever the order the workers merge in", async () => {
  const dir = tempDir("parallel-ties");
  try {
    // six files, every event at the same instant; x a number, a number in text, or text
    const xs: unknown[] = [9, "10", "8", "abc", "01", 1];
    xs.forEach((x, f) => {
      const records = Array.from({ length: 40 }, (_, k) => ({ eventTime: "2026-11-01T00:00:00Z", eventSource: "s3.amazonaws.com", eventName: k % 2 ? "GetObject" : "PutObject", eventID: `f${f}-${k}`, v: f * 100 + k, x }));
      writeFileSync(join(dir, `f${f}.json`), JSON.stringify({ Records: records }));
    });
    const q = "stats latest(v) as l, earliest(v) as e, min(x) as mn, max(x) as mx by eventName | sort eventName";
    const one = await withWorkers(0, () => queryRows(q, [dir]));
    // the first row met wins a tie; text holding no number before numbers, numbers as numbers
    assert.deepEqual(one.rows, [
      { eventName: "GetObject", l: 1, e: 1, mn: "abc", mx: "10" },
      { eventName: "PutObject", l: 0, e: 0, mn: "abc", mx: "10" },
    ]);
    // a file a message: the two workers' groups come from interleaved files
    process.env["TRAILQ_FILES_PER_MESSAGE"] = "1";
    for (let run = 0; run < 4; run++) {
      const two = await withWorkers(2, () => queryRows(q, [dir]));
      assert.equal(two.result.workers, 2);
      assert.deepEqual(two.rows, one.rows, `run ${run}`);
    }
  } finally {
    delete process.env["TRAILQ_FILES_PER_MESSAGE"];
    rmSync(dir, { recursive: true, force: true });
  }
});

test("files that may hold more rows than a share of --memory are read on this thread (a worker holds a file's rows outside the budget); the same rows either way", async () => {
  const dir = tempDir("rows-budget");
  try {
    // two files of about 700 KB: past a 1 MiB budget's share (a quarter with two workers)
    for (let f = 0; f < 2; f++) {
      const lines = Array.from({ length: 2500 }, (_, i) => JSON.stringify({ eventTime: `2026-11-01T00:${String(i % 60).padStart(2, "0")}:00Z`, eventName: "E", eventSource: "s", eventID: `f${f}-${i}`, requestParameters: { pad: "p".repeat(200) } }));
      writeFileSync(join(dir, `f${f}.jsonl`), lines.join("\n") + "\n");
    }
    const q = "fields eventID | sort eventID desc";
    const free = await withWorkers(2, () => queryRows(q, [dir]));
    const bounded = await withWorkers(2, () => queryRows(q, [dir], { memory: 1 << 20 }));
    assert.equal(free.result.workers, 2);
    assert.equal(bounded.result.workers, 0);
    assert.equal(bounded.rows.length, 5000);
    assert.deepEqual(bounded.rows, free.rows);
    // a query whose workers hold no rows (stats) keeps them
    assert.equal((await withWorkers(2, () => queryRows("stats count(*) by eventName", [dir], { memory: 1 << 20 }))).result.workers, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
