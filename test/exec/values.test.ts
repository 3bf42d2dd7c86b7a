// Value classes that JavaScript would get wrong by default, on one thread and in workers: keys
// named like the properties every object inherits are ordinary fields.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { queryRows } from "../../src/api.js";
import { withWorkers } from "../workers.js";
import { tempDir } from "../temp.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const HOSTILE = `${ROOT}fixtures/golden/hostile.jsonl`;
const RECORDS = `${ROOT}fixtures/golden/prototype-names.json`;


test("prototype names read after the workers' barrier cross to the main thread as the event's own fields", async () => {
  // the sort is the barrier: constructor and toString are read from the events the workers send
  // (the two files hold h-1 and h-6 each: JSON lines parsed whole, a Records document projected)
  const q = "sort eventID asc | fields eventID, constructor, ispresent(toString) as t, ispresent(constructor) as c";
  const one = await withWorkers(0, () => queryRows(q, [HOSTILE, RECORDS], { keepDuplicates: true }));
  const two = await withWorkers(2, () => queryRows(q, [HOSTILE, RECORDS], { keepDuplicates: true }));
  assert.equal(two.result.workers, 2);
  assert.deepEqual(two.rows, one.rows);
  assert.deepEqual(one.rows.filter((r) => r["eventID"] === "h-6"), [1, 2].map(() => ({ eventID: "h-6", constructor: "c-top", t: 0, c: 1 })));
  assert.deepEqual(one.rows.filter((r) => r["eventID"] === "h-1"), [1, 2].map(() => ({ eventID: "h-1", t: 0, c: 0 })));
  assert.equal(one.rows.length, 8);
});

test("a dynamic key and a column named __proto__ stay data", async () => {
  const r = await queryRows('filter eventID = "h-6" | fields requestParameters["toString"] as a, requestParameters["valueOf"] as b, requestParameters["__proto__"] as c, eventName as __proto__', [HOSTILE]);
  assert.deepEqual(r.rows, [{ a: "ts", c: "p", ["__proto__"]: "GetObject" }]);
  assert.ok(Object.hasOwn(r.rows[0]!, "__proto__"));
  assert.equal(Object.getPrototypeOf(r.rows[0]), Object.prototype);
});

test("every bad eventTime is counted, warned about three times a file, the same on one thread and in workers", async () => {
  const dir = tempDir("times");
  try {
    // two files, each with 2 good times and 5 bad ones spread over several batches' worth of events
    for (const f of ["a", "b"]) {
      const events = [];
      for (let i = 0; i < 4500; i++) {
        const bad = i % 1000 === 999;
        events.push({ eventSource: "s3.amazonaws.com", eventName: "GetObject", eventID: `${f}-${i}`, eventTime: bad ? `not a time ${i}` : 1793599200 + i });
      }
      writeFileSync(join(dir, `${f}.json`), JSON.stringify({ Records: events }));
    }
    const q = "stats count(*) as n, count(@timestamp) as timed";
    const one = await withWorkers(0, () => queryRows(q, [dir]));
    const two = await withWorkers(2, () => queryRows(q, [dir]));
    assert.equal(two.result.workers, 2);
    assert.deepEqual(one.rows, [{ n: 9000, timed: 8992 }]);
    assert.deepEqual(two.rows, one.rows);
    assert.equal(one.result.read.eventsBadTime, 8);
    assert.equal(two.result.read.eventsBadTime, 8);
    const expected = ["a", "b"].flatMap((f) => [
      ...[999, 1999, 2999].map((i) => `${join(dir, f)}.json: record ${i + 1}: eventTime "not a time ${i}" is not a time: the event has no @timestamp`),
      `${join(dir, f)}.json: more events with an eventTime that is not a time, not shown (the summary counts them)`,
    ]);
    const relative = (w: string): string => w.replace(/^[^:]*:/, (p) => join(process.cwd(), p.slice(0, -1)) + ":");
    assert.deepEqual(one.warnings.map(relative), expected);
    assert.deepEqual(two.warnings.map(relative), expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
