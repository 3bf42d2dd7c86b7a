import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { eventTimeMs, parseEventTime } from "../../src/time/event-time.js";

const at = (iso: string): number => Date.parse(iso);

test("parseEventTime agrees with Date.parse on the ISO 8601 forms Date.parse reads in UTC", () => {
  const cases = [
    "2026-11-01T00:00:00Z", "2026-11-30T23:59:59Z", "1999-01-28T12:34:56Z", "2024-02-29T10:00:00Z", "2026-11-01T00:00:00z",
    "2026-11-01T00:00:00.123Z", "2026-11-01T00:00:00+02:00", "2026-11-01T00:00:00+0200", "2026-11-01", "2026-11-01T24:00:00Z",
    "2026-11-01 00:00:00Z", "2026-11-01T00:00Z", "0099-01-01T00:00:00Z",
  ];
  for (const s of cases) assert.equal(parseEventTime(s), Date.parse(s), s);
});

test("what Date.parse rolls over or reads in local time is not a time", () => {
  // Date.parse: 2026-02-30 is March 2; a form without ISO's shape is local time; "1" is the year 2001
  for (const s of ["2026-02-30T10:00:00Z", "2025-02-29T00:00:00Z", "2026-04-31", "2026-13-01T00:00:00Z", "2026-11-01T24:00:01Z", "2026-11-01T00:60:00Z",
    "2026-11-01T00:00:60Z", "2026-1a-01T00:00:00Z", "Tue Nov 02 2026 06:00:00", "yesterday", "", "2026-11-01T00:00:00+25:00", "2026-11-01T00:00:00Z".repeat(3000)]) {
    assert.ok(Number.isNaN(parseEventTime(s)), s.slice(0, 40));
  }
});

test("no zone is UTC; offsets, fractions and a space for T are read", () => {
  assert.equal(parseEventTime("2026-11-02T06:00:00"), at("2026-11-02T06:00:00Z"));
  assert.equal(parseEventTime("2026-11-02 07:00:00.25+01:00"), at("2026-11-02T06:00:00.250Z"));
  assert.equal(parseEventTime("2026-11-02T06:00:00,5Z"), at("2026-11-02T06:00:00.500Z"));
  assert.equal(parseEventTime("2026-11-02T01:00-05"), at("2026-11-02T06:00:00Z"));
});

test("a fraction past the millisecond is cut, not rounded: the last instant of a day stays in it", () => {
  assert.equal(parseEventTime("2026-01-31T23:59:59.9999Z"), at("2026-01-31T23:59:59.999Z"));
  assert.equal(parseEventTime("2026-01-31T23:59:59.123456789+01:00"), at("2026-01-31T22:59:59.123Z"));
  assert.equal(parseEventTime("2026-01-31T23:59:59.5Z"), at("2026-01-31T23:59:59.500Z"));
});

test("epoch numbers: seconds below 10^11, milliseconds up to 10^14, decided by magnitude", () => {
  const t = at("2026-11-02T06:00:00Z");
  assert.equal(eventTimeMs(t / 1000), t);
  assert.equal(eventTimeMs(t / 1000 + 0.5), t + 500);
  assert.equal(eventTimeMs(t), t);
  assert.equal(eventTimeMs(String(t / 1000)), t);
  assert.equal(eventTimeMs(String(t)), t);
  assert.equal(eventTimeMs(99_999_999_999), 99_999_999_999_000); // seconds: the year 5138
  assert.equal(eventTimeMs(100_000_000_000), 100_000_000_000); // milliseconds: 1973-03-03
  for (const v of [1e14, -1e15, Infinity, NaN, null, undefined, true, {}, "1e9", "12:00"]) assert.ok(Number.isNaN(eventTimeMs(v)), String(v));
});

test("CloudTrail's form YYYY-MM-DDTHH:MM:SSZ: the same instant as Date.UTC for every valid date of years 100-9999, NaN for a day the month has not", () => {
  const pad = (n: number, w: number): string => String(n).padStart(w, "0");
  fc.assert(
    fc.property(fc.integer({ min: 100, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), (y, mo, d, h, mi, sec) => {
      const s = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(sec, 2)}Z`;
      const utc = Date.UTC(y, mo - 1, d, h, mi, sec);
      // Date.UTC rolls a day past the month's end over into the next month
      const real = new Date(utc).getUTCDate() === d;
      if (real) assert.equal(parseEventTime(s), utc, s);
      else assert.ok(Number.isNaN(parseEventTime(s)), s);
    }),
    { numRuns: 20_000 },
  );
  // the leap days the rule of 100 and 400 years decides
  for (const [s, leap] of [["1900-02-29T00:00:00Z", false], ["2000-02-29T00:00:00Z", true], ["2100-02-29T00:00:00Z", false], ["2024-02-29T00:00:00Z", true]] as const) {
    assert.equal(Number.isNaN(parseEventTime(s)), !leap, s);
  }
});

test("calendar periods floor and ceil in years 0 to 99 too (Date.UTC reads them as 1900 to 1999)", async () => {
  const { floorTime, ceilTime } = await import("../../src/time/periods.js");
  const t = Date.parse("0099-05-01T10:00:00Z");
  assert.equal(new Date(floorTime(t, 1, "y")).toISOString(), "0099-01-01T00:00:00.000Z");
  assert.equal(new Date(floorTime(t, 1, "q")).toISOString(), "0099-04-01T00:00:00.000Z");
  assert.equal(new Date(ceilTime(t, 1, "y")).toISOString(), "0100-01-01T00:00:00.000Z");
});

test("the year 0 is a leap year (the proleptic Gregorian calendar): its 29 February is a time, the year 1900's is not", async () => {
  const { parseDateText } = await import("../../src/time/date-text.js");
  assert.equal(parseEventTime("0000-02-29T00:00:00Z"), Date.UTC(2000, 1, 29) - 2000 * 365.2425 * 86_400_000);
  assert.equal(new Date(parseEventTime("0000-02-29T12:00:00.000Z")).toISOString(), "0000-02-29T12:00:00.000Z");
  assert.ok(Number.isNaN(parseEventTime("1900-02-29T00:00:00Z")));
  assert.ok(Number.isNaN(parseEventTime("0100-02-29T00:00:00Z")));
  assert.equal(new Date(parseDateText("Feb 29, 0000")).toISOString(), "0000-02-29T00:00:00.000Z");
  // a year under 100 written with four digits is that year, not 1950 or 2049 (Date.parse's two digits)
  assert.equal(new Date(parseDateText("Jan 1, 0050")).toISOString(), "0050-01-01T00:00:00.000Z");
  assert.equal(new Date(parseDateText("Mon, 14 Sep 0020 07:01:26 GMT")).toISOString(), "0020-09-14T07:01:26.000Z");
  assert.equal(new Date(parseDateText("Sep 14, 2020, 7:01:26 AM")).toISOString(), "2020-09-14T07:01:26.000Z");
});

test("an epoch with a fraction past the millisecond is cut, as an ISO time's is (not rounded into the next second, or year)", () => {
  assert.equal(parseEventTime("1767225599.9996"), Date.parse("2025-12-31T23:59:59.999Z"));
  assert.equal(parseEventTime("1767225599.9996"), parseEventTime("2025-12-31T23:59:59.9996Z"));
  assert.equal(parseEventTime("1767225599999.6"), Date.parse("2025-12-31T23:59:59.999Z"));
  // every millisecond written to three decimals is that millisecond (a double's error in seconds times 1000 is nudged past)
  for (const s of ["1.001", "1700000000.001", "1700000000.123", "1767225599.999", "0.001"]) assert.equal(parseEventTime(s), Math.round(Number(s) * 1000), s);
  assert.equal(parseEventTime("-1.5"), -1500);
});
