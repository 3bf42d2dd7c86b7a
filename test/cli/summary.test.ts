// The summary line tells the truth: what was parsed, every file that was not and why, and which way
// the files not opened lie.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { grouped, summaryLine } from "../../src/cli/summary.js";
import type { RunResult } from "../../src/exec/run.js";
import { ROOT, trailq } from "../bin.js";

const SHARED = join(ROOT, "..", "shared", "data");

test("counts are grouped by thousands, as en-US writes them", () => {
  for (const x of [0, 7, 42, 999, 1000, 12_345, 100_000, 999_999, 1_000_000, 1_234_567_890]) {
    assert.equal(grouped(x), x.toLocaleString("en-US"), String(x));
  }
});

const result = (read: Partial<RunResult["read"]>, more: Partial<RunResult> = {}): RunResult => ({
  read: { filesRead: 0, filesSkipped: 0, filesEmpty: 0, filesPruned: 0, filesUnmatched: 0, filesUnneeded: 0, filesIgnored: 0, eventsRead: 0, eventsDuplicate: 0, eventsBadTime: 0, bytesRead: 0, bytesDecoded: 0, skipped: [], ...read },
  rowsOut: 0,
  elapsedMs: 1234,
  warnings: [],
  interrupted: false,
  workers: 0,
  spilled: 0,
  ...more,
});

test("the summary line: events parsed, files ruled out by the filter's text, and every other file by why", () => {
  assert.equal(summaryLine(result({ filesRead: 1, eventsRead: 1 }), 1, 1), "1 event parsed in 1 file · 1 row · 1.23 s");
  assert.equal(
    summaryLine(result({ filesRead: 1240, filesUnmatched: 1200, eventsRead: 1234 }), 3, 3),
    "1,234 events parsed in 40 files, 1,200 files ruled out by the filter's text, not parsed · 3 rows · 1.23 s",
  );
  // a filter a folder's index would serve, past 2,000 files ruled out, and with an index
  assert.equal(
    summaryLine(result({ filesRead: 2040, filesUnmatched: 2000, eventsRead: 1234, indexable: true }), 3, 3),
    "1,234 events parsed in 40 files, 2,000 files ruled out by the filter's text, not parsed (trailq index on the folder leaves such files unopened) · 3 rows · 1.23 s",
  );
  assert.equal(
    summaryLine(result({ filesRead: 1999, filesUnmatched: 1999, eventsRead: 0, indexable: true }), 0, 0),
    "0 events parsed in 0 files, 1,999 files ruled out by the filter's text, not parsed · 0 rows · 1.23 s",
  );
  assert.equal(
    summaryLine(result({ filesRead: 40, eventsRead: 1234, indexed: { files: 2000, events: 16000, changed: 3 } }), 3, 3),
    "1,234 events parsed in 40 files, 2,000 files (16,000 events) ruled out by the folder's index, not opened · 3 rows · 1.23 s · 3 files read as new or changed since the folder was indexed (trailq index brings the index up to date)",
  );
  assert.equal(
    summaryLine(result({ filesRead: 40, eventsRead: 1234, indexed: { files: 2000, events: 16000, changed: 0, unindexed: 1 } }), 3, 3),
    "1,234 events parsed in 40 files, 2,000 files (16,000 events) ruled out by the folder's index, not opened · 3 rows · 1.23 s · 1 file read that the folder's index does not hold (hidden, or reached through a link: trailq index does not take them)",
  );
  assert.equal(
    summaryLine(result({ filesRead: 12, eventsRead: 90, filesUnneeded: 5, filesPruned: 1, filesIgnored: 3 }, { unneeded: "newer" }), 2, 2),
    "90 events parsed in 12 files · 2 rows · 1.23 s · 5 files not opened (by their names, newer than the rows kept) · 1 file pruned by name · 3 files ignored (not JSON)",
  );
  assert.equal(
    summaryLine(result({ filesRead: 2, eventsRead: 9, filesSkipped: 1, skipped: [{ file: "a", reason: "corrupt gzip" }, { file: "b", reason: "bad JSON line" }] }, { interrupted: true }), 9, 4),
    "9 events parsed in 2 files · 4 of 9 rows shown (--max-rows) · 1.23 s · 1 file skipped, problems: 1 corrupt gzip, 1 bad JSON line · interrupted",
  );
});

/** The figures of a summary line on standard error: events parsed, files parsed, files ruled out. */
function figures(stderr: string): { events: number; parsed: number; ruledOut: number } {
  const m = /trailq: ([\d,]+) events? parsed in ([\d,]+) files?(?:, ([\d,]+) files? ruled out by the filter's text, not parsed)? · /.exec(stderr);
  assert.ok(m, stderr);
  const n = (s: string | undefined): number => Number((s ?? "0").replaceAll(",", ""));
  return { events: n(m[1]), parsed: n(m[2]), ruledOut: n(m[3]) };
}

test("stats count(*) and a filtered query read as the same trail: the files parsed and ruled out add up", () => {
  const all = trailq(["query", "stats count(*) as n", "-f", "json"]);
  assert.equal(all.status, 0, all.stderr);
  assert.deepEqual(figures(all.stderr), { events: 20000, parsed: 1246, ruledOut: 0 });
  assert.deepEqual(JSON.parse(all.stdout), [{ n: 20000 }]);
  const logins = trailq(["query", 'filter eventName = "ConsoleLogin" | stats count(*) as n', "-f", "json"]);
  const f = figures(logins.stderr);
  assert.ok(f.ruledOut > 1000 && f.parsed > 0, logins.stderr);
  assert.equal(f.parsed + f.ruledOut, 1246);
  assert.ok(f.events >= JSON.parse(logins.stdout)[0].n);
  assert.match(logins.stderr, / files ruled out by the filter's text, not parsed · 1 row · /);
});

test("after sort @timestamp asc | limit n the files not opened are newer than the rows kept; newest first, older", () => {
  const asc = trailq(["query", "fields @timestamp, eventID | sort @timestamp asc | limit 3"]);
  assert.match(asc.stderr, / · [\d,]+ files not opened \(by their names, newer than the rows kept\)/);
  const desc = trailq(["query", "fields @timestamp, eventID | limit 3"]);
  assert.match(desc.stderr, / · [\d,]+ files not opened \(by their names, older than the rows kept\)/);
});

test("on real data: the summary counts the files ignored and ruled out (../shared/data)", { skip: !existsSync(SHARED) && "../shared/data is absent" }, () => {
  const invictus = join(SHARED, "invictus-aws-dataset");
  const all = trailq(["query", "stats count(*) as n", invictus, "-f", "json"]);
  assert.equal(all.stderr.match(/warning/g), null, all.stderr);
  assert.match(all.stderr, /^trailq: 2,900 events parsed in 55 files · 1 row · [\d.]+ s · 2 files ignored \(not JSON\)\n$/);
  const logins = trailq(["query", 'filter eventName = "ConsoleLogin" | stats count(*) as n', invictus, "-f", "json"]);
  assert.match(logins.stderr, /^trailq: 75 events parsed in 2 files, 53 files ruled out by the filter's text, not parsed · 1 row · [\d.]+ s · 2 files ignored \(not JSON\)\n$/);
});
