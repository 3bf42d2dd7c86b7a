// SOURCE START= and END= read a date or date-time without a zone as --start and --end do: in the
// zone of --tz (setDisplayZone), a space between date and time allowed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseQuery } from "../../src/lang/index.js";
import { buildPlan } from "../../src/plan/build.js";
import { parseZone, setDisplayZone, UTC } from "../../src/time/zone.js";
import { parseTimeRange } from "../../src/time/range.js";

test("SOURCE START=/END= in --tz's zone, as --start/--end", () => {
  const paris = parseZone("Europe/Paris", "--tz");
  setDisplayZone(paris);
  try {
    const plan = buildPlan(parseQuery("SOURCE START='2024-03-31 02:30' END='2024-03-31T04:00' | fields eventID"), { now: 0 });
    const cli = parseTimeRange({ start: "2024-03-31 02:30", end: "2024-03-31T04:00" }, 0, paris);
    assert.equal(plan.source?.start, cli.start);
    assert.equal(plan.source?.end, cli.end);
    // 04:00 in Paris that day (summer time from 02:00) is 02:00 UTC
    assert.equal(plan.source?.end, Date.parse("2024-03-31T02:00:00Z"));
  } finally {
    setDisplayZone(UTC);
  }
});
