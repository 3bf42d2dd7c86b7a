// The end-of-run warnings' pieces.
import { test } from "node:test";
import assert from "node:assert/strict";
import { shortTime } from "../../src/exec/hints.js";

test("times in the range warning: to the minute, to the second when it has seconds", () => {
  assert.equal(shortTime(Date.parse("2024-01-01T00:00:00Z")), "2024-01-01 00:00");
  assert.equal(shortTime(Date.parse("2024-01-01T10:20:30.456Z")), "2024-01-01 10:20:30");
});
