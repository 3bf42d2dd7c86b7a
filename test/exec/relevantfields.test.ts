// relevantfields counts every value: medians of all the numbers (not the first 10,000), every
// distinct text (not the first 1,000), and identifiers judged on the true count of distinct values.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { queryRows } from "../../src/api.js";
import { Row } from "../../src/exec/row.js";
import { tempDir } from "../temp.js";

async function run(records: Record<string, unknown>[], query: string): ReturnType<typeof queryRows> {
  const dir = tempDir("relevantfields");
  try {
    writeFileSync(join(dir, "t.jsonl"), records.map((r, i) => JSON.stringify({ eventTime: "2024-01-01T00:00:00Z", eventID: `r${i}`, ...r })).join("\n") + "\n");
    return await queryRows(query, [dir]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ranked = async (records: Record<string, unknown>[], query: string): Promise<Record<string, unknown>[]> => (await run(records, query)).rows;

test("relevantfields: the median of every number, past 10,000 of them", async () => {
  const records = [...Array.from({ length: 25_000 }, (_, i) => ({ c: 1, x: i < 10_000 ? 1 : 100 })), ...Array.from({ length: 100 }, () => ({ c: 0, x: 100 }))];
  assert.deepEqual(await ranked(records, "relevantfields x where c = 1"), [{ "@fieldName": "x", "@relevanceScore": 0, "@conditionalMedian": 100, "@baselineMedian": 100 }]);
});

test("relevantfields: every distinct text counts, past 1,000 of them; a field mostly distinct is left out however many rows", async () => {
  const records = [...Array.from({ length: 5_500 }, (_, i) => ({ c: 0, t: `v${i % 1100}` })), ...Array.from({ length: 500 }, () => ({ c: 1, t: "zzz" }))];
  const { rows, warnings } = await run(records, "relevantfields t, eventID where c = 1");
  assert.deepEqual(rows, [{ "@fieldName": "t", "@relevanceScore": 1, "@topRelevanceContributors": "zzz (100% vs 0%)" }]);
  // eventID was named: that it is left out is said
  assert.deepEqual(warnings.filter((w) => w.startsWith("relevantfields")), [
    "relevantfields: eventID left out, though named: taken for an identifier, mostly distinct values (more than 20, for over half the rows), each of which tells a row apart: a score of 1 that says nothing (stats count(*) by the field shows its values)",
  ]);
});

test("relevantfields: a field with values on one side only is scored by its presence, not left out", async () => {
  const records = [...Array.from({ length: 50 }, (_, i) => ({ who: i % 2 ? "a" : "b" })), ...Array.from({ length: 10 }, () => ({ who: "a", errorCode: "AccessDenied" }))];
  const rows = await ranked(records, "relevantfields errorCode, who where ispresent(errorCode)");
  assert.deepEqual(rows.map((r) => [r["@fieldName"], r["@relevanceScore"], r["@topRelevanceContributors"]]), [
    ["errorCode", 1, "(present) (100% vs 0%)"],
    ["who", 0.5, "a (100% vs 50%)"],
  ]);
});

test("relevantfields: a field named in the command is judged on every row, in any order; one found in the events and let go early is said", async () => {
  const { RelevantFieldsOp } = await import("../../src/exec/operators/relevantfields.js");
  // 60,000 values of k over 200,000 rows (30 %: not an identifier), the first 55,000 rows each a new one
  const events = Array.from({ length: 200_000 }, (_, i) => ({ k: `k${i < 55_000 ? i : i % 60_000}`, eventName: i % 10 === 0 ? "Bad" : "Good" }));
  const run = (evs: typeof events, listed: boolean): { rows: Row[]; warnings: string[] } => {
    const rows: Row[] = [];
    const warnings: string[] = [];
    const read = (name: string) => (r: Row) => (r.ev as Record<string, string>)[name];
    const op = new RelevantFieldsOp(listed ? [{ name: "k", read: read("k") }, { name: "eventName", read: read("eventName") }] : [], (r) => (r.ev as Record<string, string>)["eventName"] === "Bad", { push: (r) => void rows.push(r), end() {} }, undefined, warnings);
    evs.forEach((e, i) => op.push(new Row(e, null, i)));
    op.end();
    return { rows, warnings };
  };
  const names = (r: { rows: Row[] }) => r.rows.map((x) => x.get("@fieldName"));
  const forward = run(events, true);
  const backward = run([...events].reverse(), true);
  assert.deepEqual(names(forward).sort(), ["eventName", "k"]);
  assert.deepEqual(forward.rows.map((r) => [r.get("@fieldName"), r.get("@relevanceScore")]), backward.rows.map((r) => [r.get("@fieldName"), r.get("@relevanceScore")]));
  assert.deepEqual(forward.warnings, []);
  // found in the events: let go past 50,000 distinct values early, and said
  const found = run(events, false);
  assert.ok(!names(found).includes("k"));
  assert.ok(found.warnings.some((w) => /relevantfields: a field taken for an identifier once past 50,000 distinct values .*: k \(name a field/.test(w)), found.warnings.join("\n"));
  // a share under 1 % is not 0 %
  assert.match(String(forward.rows.find((r) => r.get("@fieldName") === "k")!.get("@topRelevanceContributors")), /^k\d+ \(0\.\d+% vs 0%\)/);
});

test("relevantfields: a share short of all is not written 100%", async () => {
  const records = [
    ...Array.from({ length: 1000 }, (_, i) => ({ eventName: "Bad", ...(i > 0 ? { errorCode: "AccessDenied" } : {}) })),
    ...Array.from({ length: 1000 }, () => ({ eventName: "Good" })),
  ];
  const rows = await ranked(records, 'relevantfields errorCode where eventName = "Bad"');
  assert.equal(rows[0]!["@topRelevanceContributors"], "(present) (99.9% vs 0%)");
});
