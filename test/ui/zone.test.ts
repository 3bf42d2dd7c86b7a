// The console's own zone (src/ui/page/zone.ts): the histogram's labels and the range's, written in
// the zone the server says, as the CLI writes times.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setZone, zoned } from "../../src/ui/page/zone.js";

test("the console writes a time in its zone as the table does: four digits of year, the year 0 and before with a sign", () => {
  try {
    setZone("America/New_York");
    assert.equal(zoned(Date.parse("2026-07-01T12:00:00Z"), 19), "2026-07-01 08:00:00");
    assert.equal(zoned(Date.parse("0050-06-15T12:00:00Z"), 10), "0050-06-15");
    // Go's zero time, in New York's local mean time: the last day of 1 BC, the year 0
    assert.equal(zoned(Date.parse("0001-01-01T00:00:00Z"), 16), "0000-12-31 19:03");
    assert.equal(zoned(Date.UTC(-50, 0, 1, 12), 10), "-000050-01-01");
    setZone("+05:30");
    assert.equal(zoned(Date.parse("2026-07-01T12:00:00Z"), 16), "2026-07-01 17:30");
    assert.equal(zoned(Date.UTC(-50, 0, 1, 12), 16), "-000050-01-01 17:30");
  } finally {
    setZone("UTC");
  }
  assert.equal(zoned(Date.parse("2026-07-01T12:00:00Z"), 19), "2026-07-01 12:00:00");
});
