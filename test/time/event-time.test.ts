import { test } from "node:test";
import assert from "node:assert/strict";
import { parseEventTime } from "../../src/time/event-time.js";

test("parseEventTime agrees with Date.parse, on CloudTrail's form and every other", () => {
  const cases = [
    "2026-11-01T00:00:00Z", "2026-11-30T23:59:59Z", "1999-01-28T12:34:56Z", "2024-02-29T10:00:00Z", "2026-02-30T10:00:00Z",
    "2026-13-01T00:00:00Z", "2026-11-01T24:00:00Z", "2026-11-01T00:60:00Z", "2026-11-01T00:00:60Z", "2026-1a-01T00:00:00Z",
    "2026-11-01T00:00:00.123Z", "2026-11-01T00:00:00+02:00", "2026-11-01", "yesterday", "", "2026-11-01T00:00:00z",
  ];
  for (const s of cases) assert.deepEqual(parseEventTime(s), Date.parse(s), s);
});
