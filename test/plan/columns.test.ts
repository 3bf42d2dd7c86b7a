// The output columns when a command adds a column after `display` chose them: a displayed name now
// shows the command's column, once and in its place; a new one comes after, except expand's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseQuery } from "../../src/lang/index.js";
import { buildPlan } from "../../src/plan/build.js";

/** The output columns: name, and what they read (a column of the row, or the event). */
const columns = (q: string): [string, string][] => buildPlan(parseQuery(q), { now: 0 }).columns.map((c) => [c.name, c.expr.k]);

test("a column display names is shown from the command that makes it, once, in its place", () => {
  assert.deepEqual(columns("display session_id, eventID | sessionize sourceIPAddress"), [["session_id", "column"], ["eventID", "event"]]);
  assert.deepEqual(columns("fields strlen(eventName) as len | display len_outlier, eventID | outlier len mark=true"), [["len_outlier", "column"], ["eventID", "column"]]);
  assert.deepEqual(columns("stats count(*) as n by bin(1h) | display n | accum n"), [["n", "column"]]);
  assert.deepEqual(columns("fields x = 1 | display total, x | addtotals row=true col=false fieldname=total x"), [["total", "column"], ["x", "column"]]);
});

test("a new column comes after the displayed ones; expand's replaces the field it reads", () => {
  assert.deepEqual(columns("display eventID | sessionize sourceIPAddress"), [["eventID", "event"], ["session_id", "column"]]);
  assert.deepEqual(columns("display eventID | accum x as running"), [["eventID", "event"], ["running", "column"]]);
  assert.deepEqual(columns("display eventID | expand resources"), [["eventID", "event"]]);
});
