// The console's warnings: each once (a subquery's scan reads the inputs again), the first few, then a count.
import { test } from "node:test";
import assert from "node:assert/strict";
import { shownWarnings } from "../../src/ui/lines.js";
import { TimeCounts } from "../../src/ui/histogram.js";

test("shownWarnings says each input's warning once, then the query's own", () => {
  assert.deepEqual(shownWarnings(["a.json: truncated JSON", "a.json: truncated JSON", "b.json: not JSON"], ["own"]), ["a.json: truncated JSON", "b.json: not JSON", "own"]);
});

test("the histogram's count holds the matched events without a time, on no bar", () => {
  const times = new TimeCounts();
  times.add(Date.parse("2026-11-01T00:00:30Z"));
  times.add(Date.parse("2026-11-01T00:05:00Z"), 2);
  times.add(undefined);
  times.add(null, 4);
  const bars = times.bars()!;
  assert.equal(bars.total, 8);
  assert.equal(bars.untimed, 5);
  assert.equal(bars.counts.reduce((a, b) => a + b, 0), 3);
});
