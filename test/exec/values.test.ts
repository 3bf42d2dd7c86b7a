// Value classes that JavaScript would get wrong by default, on one thread and in workers: keys
// named like the properties every object inherits are ordinary fields.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { queryRows, type QueryRows } from "../../src/api.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const HOSTILE = `${ROOT}fixtures/golden/hostile.jsonl`;
const RECORDS = `${ROOT}fixtures/golden/prototype-names.json`;

async function withWorkers(n: number, run: () => Promise<QueryRows>): Promise<QueryRows> {
  const before = process.env["TRAILQ_WORKERS"];
  process.env["TRAILQ_WORKERS"] = String(n);
  try {
    return await run();
  } finally {
    if (before === undefined) delete process.env["TRAILQ_WORKERS"];
    else process.env["TRAILQ_WORKERS"] = before;
  }
}

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
