// Each event once: the same eventID met again in the scan (a global event delivered to several
// trails, an overlapping copy of a bucket) is skipped, the first in scan order kept, the same on one
// thread or two; --keep-duplicates keeps every copy.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { queryRows, type QueryRows } from "../../src/api.js";
import { withWorkers } from "../workers.js";
import { SAMPLE, filesUnder, writeTrailWithCopies } from "../trails.js";
import { trailq } from "../bin.js";
import { sharedRuns } from "../shared-runs.js";
import { tempDir } from "../temp.js";


/** The sample trail with a copy of every third file in another region's folder (test/trails.ts). */
function trailWithCopies(): { dir: string; copied: number } {
  const dir = tempDir("dups");
  return { dir, copied: writeTrailWithCopies(dir) };
}


const { dir, copied } = trailWithCopies();
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

test("a copy of every third file: the counts are the trail's, and the summary says how many copies were skipped", async () => {
  assert.ok(copied > 300);
  const original = await queryRows("stats count(*) as n, count_distinct(eventID) as ids", [SAMPLE]);
  const deduped = await queryRows("stats count(*) as n, count_distinct(eventID) as ids", [dir]);
  const kept = await queryRows("stats count(*) as n", [dir], { keepDuplicates: true });
  assert.deepEqual(deduped.rows, original.rows);
  assert.deepEqual(original.rows, [{ n: 20000, ids: 20000 }]);
  const copies = (kept.rows[0]!["n"] as number) - 20000;
  assert.ok(copies > 5000, `copies: ${copies}`);
  assert.equal(deduped.result.read.eventsDuplicate, copies);
  assert.equal(deduped.result.read.eventsRead, 20000 + copies);
  assert.equal(kept.result.read.eventsDuplicate, 0);
});

const QUERIES = [
  "stats count(*) as n by eventSource, eventName, awsRegion",
  "stats count(*) as n by @log",
  "filter ispresent(errorCode) | stats count(*) by bin(1h), errorCode",
  "fields @timestamp, eventName, eventID, @log | sort @timestamp desc | limit 30",
  "fields eventName, eventID, @ptr | sort eventName asc | limit 15",
  "fields @timestamp, eventName, @ptr",
  "fields @timestamp, eventName, @log | sort @timestamp asc",
  'filter eventSource = "iam.amazonaws.com" | fields @timestamp, eventName, @logStream, @ptr',
  "fields userIdentity.arn, eventName, @log | sort @timestamp desc | dedup userIdentity.arn",
  "fields eventID, @ptr | sort eventID asc",
];

/** A query's run on one thread, made once: the test of the first copy kept reads one of them too. */
const oneThreadRuns = sharedRuns<QueryRows>();
const oneThread = (q: string): Promise<QueryRows> => oneThreadRuns(q, () => withWorkers(0, () => queryRows(q, [dir])));

for (const q of QUERIES) {
  test(`copies skipped, the first in scan order kept, one thread or two: ${q}`, async () => {
    const one = await oneThread(q);
    const two = await withWorkers(2, () => queryRows(q, [dir]));
    assert.equal(one.result.workers, 0);
    assert.equal(two.result.workers, 2);
    assert.ok(one.rows.length > 0);
    assert.deepEqual(two.rows, one.rows);
    assert.equal(two.result.read.eventsDuplicate, one.result.read.eventsDuplicate);
    assert.ok(one.result.read.eventsDuplicate > 0);
  });
}

test("the copy kept is the one met first: each eventID once, from the file that comes first in scan order", async () => {
  // (the scan of this folder runs on one thread by default: too few files and bytes for workers)
  const q = "fields eventID, @ptr | sort eventID asc";
  assert.ok(QUERIES.includes(q));
  const { rows } = await oneThread(q);
  const ids = rows.map((r) => r["eventID"]);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(ids.length, 20000);
  // every kept row is from an original file (an original path sorts before its copy in another
  // region only when its region does; either way the first met is kept)
  const order = filesUnder(dir).map((f) => relative(dir, f));
  const rank = new Map(order.map((f, i) => [f, i]));
  const all = await queryRows("fields eventID, @ptr", [dir], { keepDuplicates: true });
  const first = new Map<string, number>();
  for (const r of all.rows) {
    const file = String(r["@ptr"]).replace(/#\d+$/, "");
    const at = rank.get(file)!;
    const id = r["eventID"] as string;
    if (!first.has(id) || first.get(id)! > at) first.set(id, at);
  }
  for (const r of rows) assert.equal(rank.get(String(r["@ptr"]).replace(/#\d+$/, "")), first.get(r["eventID"] as string));
});

test("duplicates within one file, events without an eventID (never copies of each other), JSON lines", async () => {
  const d = tempDir("dups-lines");
  try {
    const ev = (id: string | undefined, name: string): string => JSON.stringify({ eventVersion: "1.08", eventTime: "2026-11-01T00:00:00Z", eventSource: "iam.amazonaws.com", eventName: name, ...(id ? { eventID: id } : {}) });
    writeFileSync(join(d, "a.jsonl"), [ev("1", "A"), ev("1", "A"), ev(undefined, "B"), ev(undefined, "B"), ev("2", "C")].join("\n") + "\n");
    writeFileSync(join(d, "b.json.gz"), gzipSync(JSON.stringify({ Records: [JSON.parse(ev("2", "C")), JSON.parse(ev("3", "D"))] })));
    const r = await queryRows("stats count(*) as n by eventName", [d]);
    assert.deepEqual(r.rows, [{ eventName: "A", n: 1 }, { eventName: "B", n: 2 }, { eventName: "C", n: 1 }, { eventName: "D", n: 1 }]);
    assert.equal(r.result.read.eventsDuplicate, 2);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test("big files whose rows a worker holds in part while it waits: the same counts on one thread or two", async () => {
  const d = tempDir("dups-big");
  try {
    const lines = (from: number, to: number): string => {
      const out: string[] = [];
      for (let i = from; i < to; i++) out.push(JSON.stringify({ eventVersion: "1.08", eventTime: `2026-11-01T00:${String(i % 60).padStart(2, "0")}:00Z`, eventSource: "s3.amazonaws.com", eventName: `E${i % 7}`, eventID: `id-${i}` }));
      return out.join("\n") + "\n";
    };
    writeFileSync(join(d, "a.jsonl"), lines(0, 25_000));
    writeFileSync(join(d, "b.jsonl"), lines(12_500, 37_500));
    writeFileSync(join(d, "c.jsonl"), lines(30_000, 45_000));
    for (const q of ["stats count(*) as n by eventName", "fields eventID | sort @timestamp desc | limit 5", "fields eventID, @ptr"]) {
      const one = await withWorkers(0, () => queryRows(q, [d]));
      const two = await withWorkers(2, () => queryRows(q, [d]));
      assert.equal(two.result.workers, 2);
      assert.deepEqual(two.rows, one.rows);
      assert.equal(one.result.read.eventsDuplicate, 12_500 + 7_500);
      assert.equal(two.result.read.eventsDuplicate, 12_500 + 7_500);
    }
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test("the summary line names the skipped copies; --keep-duplicates keeps them", () => {
  const skipped = trailq(["query", "stats count(*) as n", dir, "--format", "csv"]);
  assert.equal(skipped.status, 0, skipped.stderr);
  assert.equal(skipped.stdout, "n\r\n20000\r\n");
  assert.match(skipped.stderr, /· [\d,]+ duplicate events skipped \(same eventID; --keep-duplicates keeps them\)/);
  const kept = trailq(["query", "stats count(*) as n", dir, "--format", "csv", "--keep-duplicates"]);
  assert.equal(kept.status, 0, kept.stderr);
  assert.notEqual(kept.stdout, "n\r\n20000\r\n");
  assert.doesNotMatch(kept.stderr, /duplicate/);
});

test("where copies were skipped, a query reading where its events were read (@logStream, @ptr, @log) is told that the copy kept follows its order; one that does not is not", async () => {
  const placed = await oneThread("stats count(*) as n by @logStream | limit 1");
  assert.ok(placed.result.read.eventsDuplicate > 0);
  assert.ok(
    placed.warnings.some((w) => w.startsWith(`${placed.result.read.eventsDuplicate.toLocaleString("en-US")} duplicate events were skipped: @logStream is that of the copy read first, and the query's order decides`)),
    placed.warnings.join("\n"),
  );
  const plain = await oneThread("stats count(*) as n by eventName | limit 1");
  assert.ok(plain.result.read.eventsDuplicate > 0);
  assert.ok(!plain.warnings.some((w) => w.includes("copy read first")), plain.warnings.join("\n"));
  const kept = await queryRows("stats count(*) as n by @logStream | limit 1", [dir], { keepDuplicates: true });
  assert.ok(!kept.warnings.some((w) => w.includes("copy read first")), kept.warnings.join("\n"));
});
