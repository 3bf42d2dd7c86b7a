// --tz (src/time/zone.ts): the zones it takes, their offsets across changes to and from summer time,
// the wall times --start and --end read in them, and times printed in them.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { UTC, displayZone, parseZone, setDisplayZone, wallToInstant } from "../../src/time/zone.js";
import { parseTimeRange } from "../../src/time/range.js";
import { formatTime } from "../../src/output/render.js";
import { shortTime } from "../../src/exec/hints.js";
import { ExitCode, UserError } from "../../src/errors.js";

const at = (iso: string): number => Date.parse(iso);
const MINUTE = 60_000;

test("the zones --tz takes: UTC, fixed offsets, IANA names; anything else is a usage error naming it", () => {
  for (const t of ["UTC", "utc", "Z", "GMT", "+00:00", "Etc/UTC", "-0"]) assert.equal(parseZone(t).utc, true, t);
  assert.equal(parseZone("+02:00").offsetAt(0), 120);
  assert.equal(parseZone("-0530").offsetAt(0), -330);
  assert.equal(parseZone("+2").offsetAt(0), 120);
  assert.equal(parseZone("+05:45").name, "+05:45");
  assert.equal(parseZone("Asia/Kolkata").offsetAt(at("2026-01-01T00:00:00Z")), 330);
  assert.equal(parseZone("America/St_Johns").offsetAt(at("2026-01-15T12:00:00Z")), -210);
  assert.equal(parseZone("Europe/Paris").name, "Europe/Paris");
  for (const bad of ["Mars/Olympus", "+15:00", "+02:75", "CEST+", ""]) {
    assert.throws(() => parseZone(bad), (e: unknown) => e instanceof UserError && e.exitCode === ExitCode.usage && /--tz/.test(e.message), bad);
  }
});

test("a named zone's offset changes at the instant summer time starts and ends (Paris, New York)", () => {
  const paris = parseZone("Europe/Paris");
  assert.equal(paris.offsetAt(at("2026-03-29T00:59:59.999Z")), 60);
  assert.equal(paris.offsetAt(at("2026-03-29T01:00:00Z")), 120);
  assert.equal(paris.offsetAt(at("2026-10-25T00:59:59.999Z")), 120);
  assert.equal(paris.offsetAt(at("2026-10-25T01:00:00Z")), 60);
  const ny = parseZone("America/New_York");
  assert.equal(ny.offsetAt(at("2026-03-08T06:59:59Z")), -300);
  assert.equal(ny.offsetAt(at("2026-03-08T07:00:00Z")), -240);
  // asked out of order, across years: each answer is its own instant's
  assert.equal(paris.offsetAt(at("1990-07-01T00:00:00Z")), 120);
  assert.equal(paris.offsetAt(at("2026-01-01T00:00:00Z")), 60);
});

test("a wall time is the instant that shows it; one summer time skips reads with the offset before; one it repeats is the first", () => {
  const paris = parseZone("Europe/Paris");
  assert.equal(wallToInstant(at("2026-07-01T12:00:00Z"), paris), at("2026-07-01T10:00:00Z"));
  assert.equal(wallToInstant(at("2026-01-01T00:00:00Z"), paris), at("2025-12-31T23:00:00Z"));
  assert.equal(wallToInstant(at("2026-03-29T02:30:00Z"), paris), at("2026-03-29T01:30:00Z"));
  // the day of the change, after it: the new offset, not the day before's
  assert.equal(wallToInstant(at("2026-03-29T12:00:00Z"), paris), at("2026-03-29T10:00:00Z"));
  assert.equal(wallToInstant(at("2026-10-25T12:00:00Z"), paris), at("2026-10-25T11:00:00Z"));
  assert.equal(wallToInstant(at("2026-10-25T02:30:00Z"), paris), at("2026-10-25T00:30:00Z"));
  assert.equal(wallToInstant(at("2026-10-25T03:00:00Z"), paris), at("2026-10-25T02:00:00Z"));
  assert.equal(wallToInstant(at("2026-07-01T12:00:00Z"), UTC), at("2026-07-01T12:00:00Z"));
  // every instant printed in the zone reads back as itself, but the second of a repeated hour
  const zones = ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "-03:30"].map((z) => parseZone(z));
  fc.assert(
    fc.property(fc.integer({ min: at("1980-01-01T00:00:00Z") / MINUTE, max: at("2040-01-01T00:00:00Z") / MINUTE }), fc.constantFrom(...zones), (minute, zone) => {
      const t = minute * MINUTE;
      const back = wallToInstant(t + zone.offsetAt(t) * MINUTE, zone);
      assert.ok(back === t || (back < t && zone.offsetAt(back) > zone.offsetAt(t)), `${zone.name} ${new Date(t).toISOString()} read back as ${new Date(back).toISOString()}`);
    }),
    { numRuns: 2000 },
  );
});

test("--start and --end without a zone are wall times in --tz; with one, or relative, they are what they say", () => {
  const paris = parseZone("Europe/Paris");
  const now = at("2026-11-05T00:00:00Z");
  assert.deepEqual(parseTimeRange({ start: "2026-11-01", end: "2026-11-01 18:30" }, now, paris), { start: at("2026-10-31T23:00:00Z"), end: at("2026-11-01T17:30:00Z") });
  assert.deepEqual(parseTimeRange({ start: "2026-07-01T06:00", end: "2026-07-01T06:00:30.5" }, now, paris), { start: at("2026-07-01T04:00:00Z"), end: at("2026-07-01T04:00:30.500Z") });
  assert.deepEqual(parseTimeRange({ start: "2026-11-01T06:00:00+05:30", end: "2026-11-01T06:00Z" }, now, paris), { start: at("2026-11-01T00:30:00Z"), end: at("2026-11-01T06:00:00Z") });
  assert.deepEqual(parseTimeRange({ start: "-2h", end: "now" }, now, paris), { start: now - 2 * 3_600_000, end: now });
  assert.deepEqual(parseTimeRange({ start: "2026-11-01" }, now), { start: at("2026-11-01T00:00:00Z") });
  // a date is its midnight: the same date for both ends would keep one millisecond, and is refused
  assert.deepEqual(parseTimeRange({ start: "2026-11-01", end: "2026-11-02" }, now), { start: at("2026-11-01T00:00:00Z"), end: at("2026-11-02T00:00:00Z") });
  assert.throws(
    () => parseTimeRange({ start: "2026-11-01", end: "2026-11-01" }, now),
    (e: unknown) => e instanceof UserError && e.exitCode === ExitCode.usage && /for the whole day write --end 2026-11-02/.test(e.message),
  );
  assert.deepEqual(parseTimeRange({ start: "2026-11-01T00:00", end: "2026-11-01T00:00" }, now), { start: at("2026-11-01T00:00:00Z"), end: at("2026-11-01T00:00:00Z") });
  // only ISO 8601: what Date.parse would read in the machine's own zone, or roll over, is refused
  for (const text of ["2026-11-01 6:00", "2026-11-01T6:00", "2026-02-30", "2026-11-01T25:00", "Nov 1 2026", "2026-11-01 06:00 PST"]) {
    assert.throws(
      () => parseTimeRange({ start: text }, now, paris),
      (e: unknown) => e instanceof UserError && e.exitCode === ExitCode.usage && e.message.includes("is not a time"),
      text,
    );
  }
  assert.deepEqual(parseTimeRange({ start: "2026-11-01t06:00:00.250+0100", end: "2026-11-01 06:00:00,5z" }, now, paris), { start: at("2026-11-01T05:00:00.250Z"), end: at("2026-11-01T06:00:00.500Z") });
});

test("times print in the zone shown, with its offset; UTC prints as it always did", () => {
  try {
    setDisplayZone(parseZone("Europe/Paris"));
    assert.equal(formatTime(at("2026-03-29T00:30:00.250Z")), "2026-03-29 01:30:00.250 +01:00");
    assert.equal(formatTime(at("2026-03-29T01:30:00Z")), "2026-03-29 03:30:00.000 +02:00");
    assert.equal(formatTime(at("2026-12-31T23:30:00Z")), "2027-01-01 00:30:00.000 +01:00");
    assert.equal(shortTime(at("2026-07-01T10:00:00Z")), "2026-07-01 12:00 +02:00");
    setDisplayZone(parseZone("-03:30"));
    assert.equal(formatTime(at("2026-01-01T01:00:00Z")), "2025-12-31 21:30:00.000 -03:30");
  } finally {
    setDisplayZone(UTC);
  }
  assert.equal(displayZone(), UTC);
  assert.equal(formatTime(at("2026-03-29T00:30:00.250Z")), "2026-03-29 00:30:00.250");
  assert.equal(shortTime(at("2026-07-01T10:00:05Z")), "2026-07-01 10:00:05");
});

test("a named zone's offset in the years 0 to 99 and before the common era is the zone's, not 1,900 years", () => {
  try {
    setDisplayZone(parseZone("Europe/Paris"));
    // Paris kept its mean time (+00:09:21) before 1891
    assert.equal(formatTime(at("0050-06-15T12:00:00Z")), "0050-06-15 12:09:00.000 +00:09");
    assert.equal(formatTime(at("0100-01-01T12:00:00Z")), "0100-01-01 12:09:00.000 +00:09");
    setDisplayZone(parseZone("America/New_York"));
    // Go's zero time, which tools writing events of this shape emit: the day before, in 1 BC (the year 0)
    assert.equal(formatTime(at("0001-01-01T00:00:00Z")), "0000-12-31 19:04:00.000 -04:56");
    assert.equal(formatTime(Date.UTC(-50, 0, 1, 12)), "-000050-01-01 07:04:00.000 -04:56");
    // a wall time read in the zone comes back to the instant
    assert.equal(wallToInstant(Date.parse("0050-06-15T12:00:00Z"), parseZone("Europe/Paris")), Date.parse("0050-06-15T11:51:00Z"));
  } finally {
    setDisplayZone(UTC);
  }
});

test("a time at the ends of those there are prints in UTC when the zone's wall clock would be past them; a time past them is no time", async () => {
  const { renderJson, renderText } = await import("../../src/output/render.js");
  try {
    setDisplayZone(parseZone("-05:00"));
    assert.equal(formatTime(-8.64e15), "-271821-04-20 00:00:00.000 +00:00");
    setDisplayZone(parseZone("+05:00"));
    assert.equal(formatTime(8.64e15), "+275760-09-13 00:00:00.000 +00:00");
    // a named zone's offset is read at the last time there is, not past it
    setDisplayZone(parseZone("Europe/Paris"));
    assert.equal(formatTime(8.64e15 - 1), "+275760-09-12 23:59:59.999 +00:00");
    assert.equal(formatTime(-8.64e15), "-271821-04-20 00:09:00.000 +00:09");
  } finally {
    setDisplayZone(UTC);
  }
  // datefloor(fromMillis(-8.64e15), 1w) is before the first time: absent, as NaN is
  assert.equal(renderText(-8.64e15 - 86_400_000, "time"), undefined);
  assert.equal(renderJson(8.64e15 + 1, "time"), undefined);
  assert.equal(renderText(-8.64e15, "time"), "-271821-04-20 00:00:00.000");
});

test("a named zone's offset changes at its instant also when that is not on a quarter hour of UTC (St. John's at 03:31 UTC, Casey at 16:01)", () => {
  try {
    setDisplayZone(parseZone("America/St_Johns"));
    assert.equal(formatTime(at("2011-03-13T03:30:59Z")), "2011-03-13 00:00:59.000 -03:30");
    assert.equal(formatTime(at("2011-03-13T03:31:00Z")), "2011-03-13 01:01:00.000 -02:30");
    assert.equal(formatTime(at("2011-03-13T03:35:00Z")), "2011-03-13 01:05:00.000 -02:30");
    assert.equal(wallToInstant(Date.parse("2011-03-13T01:02:00Z"), parseZone("America/St_Johns")), at("2011-03-13T03:32:00Z"));
    setDisplayZone(parseZone("Antarctica/Casey"));
    assert.equal(formatTime(at("2022-10-01T16:06:00Z")), "2022-10-02 03:06:00.000 +11:00");
  } finally {
    setDisplayZone(UTC);
  }
});

test("local is the process's zone: TZ's name, a POSIX offset as that offset (IST-5:30 is +05:30), a POSIX rule or an unknown TZ a usage error", async () => {
  const { spawnSync } = await import("node:child_process");
  const script = `import("${new URL("../../src/time/zone.js", import.meta.url).href}").then((z) => { try { const l = z.parseZone("local"); console.log(l.name, l.offsetAt(0)); } catch (e) { console.log("error:", e.message); } })`;
  const local = (tz: string): string => spawnSync(process.execPath, ["-e", script], { env: { ...process.env, TZ: tz }, encoding: "utf8" }).stdout.trim();
  assert.equal(local("JST-9"), "+09:00 540");
  assert.equal(local("IST-5:30"), "+05:30 330");
  assert.equal(local("<+0530>-5:30"), "+05:30 330");
  assert.equal(local("Asia/Kolkata"), "Asia/Calcutta 330");
  // a name Intl keeps as it is given (the check that a TZ is a zone must not take it for an unknown one)
  assert.equal(local("Europe/Paris"), "Europe/Paris 60");
  assert.equal(local("Asia/Tokyo"), "Asia/Tokyo 540");
  assert.equal(local(":Asia/Tokyo"), "Asia/Tokyo 540");
  assert.equal(local("UTC"), "UTC 0");
  assert.equal(local(""), "UTC 0");
  assert.match(local("CET-1CEST,M3.5.0,M10.5.0/3"), /^error: bad value for --tz: local is TZ="CET-1CEST,M3\.5\.0,M10\.5\.0\/3", which is no zone node knows/);
  assert.match(local("garbage"), /^error: bad value for --tz: local is TZ="garbage"/);
});

test("formatDate at and past the ends of the times there are: the instant in UTC where the zone's clock is past them, none past them; a six-digit year's clock whole", async () => {
  const { strftime } = await import("../../src/functions/datetime.js");
  const { queryRows } = await import("../../src/api.js");
  const { momentText } = await import("../../src/time/zone.js");
  assert.equal(strftime(-8.64e15, "%F %T %a %b %z", parseZone("America/New_York")), "-271821-04-20 00:00:00 Tue Apr +0000");
  assert.equal(strftime(8.64e15, "%F %T", parseZone("+14:00")), "275760-09-13 00:00:00");
  const { rows } = await queryRows('fields formatDate(1700000000000000000, "%F", "Europe/Paris") as ns, formatDate(fromMillis(0), "%F", "Europe/Paris") as ok | limit 1', ["fixtures/sample-trail"]);
  assert.deepEqual(rows, [{ ok: "1970-01-01" }]);
  assert.equal(momentText(Date.UTC(10000, 0, 1, 13, 59, 59)), "+010000-01-01 13:59:59 UTC");
});
