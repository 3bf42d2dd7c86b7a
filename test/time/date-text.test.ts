// Date strings are UTC unless they name a zone, whatever zone the machine is set to.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDateText } from "../../src/time/date-text.js";

test("a date string without a zone is UTC on a machine in any zone; one that names its zone keeps it", () => {
  const saved = process.env["TZ"];
  try {
    for (const tz of ["UTC", "America/New_York", "Asia/Kolkata"]) {
      process.env["TZ"] = tz;
      assert.equal(parseDateText("2020-09-14T12:00:00"), Date.UTC(2020, 8, 14, 12), tz);
      assert.equal(parseDateText("2020-09-14 12:00:00.250"), Date.UTC(2020, 8, 14, 12, 0, 0, 250), tz);
      assert.equal(parseDateText("2020-09-14"), Date.UTC(2020, 8, 14), tz);
      // the form some services write in responseElements (credentials' expiration)
      assert.equal(parseDateText("Sep 14, 2020, 7:01:26 AM"), Date.UTC(2020, 8, 14, 7, 1, 26), tz);
      assert.equal(parseDateText("2020-09-14T12:00:00Z"), Date.UTC(2020, 8, 14, 12), tz);
      assert.equal(parseDateText("2020-09-14T12:00:00+02:00"), Date.UTC(2020, 8, 14, 10), tz);
      assert.equal(parseDateText("2020-09-14T12:00:00-0500"), Date.UTC(2020, 8, 14, 17), tz);
      assert.equal(parseDateText("Mon, 14 Sep 2020 07:01:26 GMT"), Date.UTC(2020, 8, 14, 7, 1, 26), tz);
      assert.equal(parseDateText("Mon, 14 Sep 2020 07:01:26 EST"), Date.UTC(2020, 8, 14, 12, 1, 26), tz);
      assert.ok(Number.isNaN(parseDateText("not a date")), tz);
      assert.equal(parseDateText("2020-09-14 12:00:00 UTC"), Date.UTC(2020, 8, 14, 12), tz);
      assert.equal(parseDateText("2020-09-14 07:01:26 +0000"), Date.UTC(2020, 8, 14, 7, 1, 26), tz);
      assert.equal(parseDateText("2020-09-14 07:01:26 -05:00"), Date.UTC(2020, 8, 14, 12, 1, 26), tz);
      assert.equal(parseDateText("14 September 2020"), Date.UTC(2020, 8, 14), tz);
      // text Date.parse reads as a date, which is none: a region, a version, a day its month has not
      for (const s of ["us-east-1", "eu-west-2", "version 7", "db 12", "hello 2024", "1 2", "12", "2024-02-30", "Feb 30, 2024", "2023-06-31T10:00:00", "Marathon 2024"]) {
        assert.ok(Number.isNaN(parseDateText(s)), `${s} (${tz})`);
      }
    }
  } finally {
    if (saved === undefined) delete process.env["TZ"];
    else process.env["TZ"] = saved;
  }
});
