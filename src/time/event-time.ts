// @timestamp from eventTime. CloudTrail writes `YYYY-MM-DDTHH:MM:SSZ` (20 characters) on every event,
// which this reads from the character codes several times faster than a regex. Other writers of
// CloudTrail-shaped events use other forms; what is read (docs/inputs.md, "Event times"):
//
// - ISO 8601: a date, optionally a time (`T` or a space, seconds and a fraction optional) and a zone
//   (`Z`, `+01:00`, `+0100`, `+01`); without a zone, UTC (as trailq reads date strings in queries);
// - epoch numbers, a JSON number or a string of digits: seconds when below 10^11 (until the year
//   5138), milliseconds up to 10^14, by magnitude (no plausible time is ambiguous: 10^11 ms is
//   1973-03-03);
// - anything else (a date with a month 13, 2026-02-30, a local time like `Tue Nov 02 2026`,
//   `yesterday`) is not a time: the event has no @timestamp, and the scan counts and reports it.
import { utcOf } from "./utc.js";

const ZERO = 48;

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

/** Below this, an epoch number is seconds; from it, milliseconds. */
const SECONDS_BELOW = 1e11;
/** From this on, an epoch number is not a time trailq reads. */
const MILLISECONDS_BELOW = 1e14;

/**
 * Epoch ms of an epoch number in seconds or milliseconds (by magnitude), NaN beyond. A fraction past
 * the millisecond is cut, as an ISO time's is (1767225599.9996 is 23:59:59.999, not the next year's
 * first instant); seconds times 1000 are nudged by a little less than the error a double makes there
 * (1.001 * 1000 is 1000.9999999999999).
 */
export function epochMs(n: number): number {
  if (!Number.isFinite(n)) return NaN;
  const a = Math.abs(n);
  // the nudge: a few of a double's steps at that size (1.5e-3 ms for today's times), far less than a tenth of a millisecond
  return a < SECONDS_BELOW ? Math.floor(n * 1000 + a * 1000 * 2 ** -50) : a < MILLISECONDS_BELOW ? Math.floor(n) : NaN;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const EPOCH = /^-?\d{1,15}(?:\.\d{1,9})?$/;

const DAY_MS = 86_400_000;

/** The days of month `mo` (1-12) of the year `y` of the proleptic Gregorian calendar (the year 0 is a leap year). */
export function monthDays(y: number, mo: number): number {
  if (mo === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/**
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar (the civil-from-days arithmetic
 * of eras of 400 years, as Date.UTC counts), without a Date: CloudTrail's every event has its time
 * read, and Date.UTC took half of the 150 ns it cost.
 */
export function daysFromCivil(y: number, mo: number, d: number): number {
  const year = mo <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5) + d - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Whether an ISO 8601 date or date-time, as parseEventTime reads it, names its zone (undefined: not ISO 8601). */
export function isoNamesZone(s: string): boolean | undefined {
  const m = ISO.exec(s);
  return m ? m[8] !== undefined || m[9] !== undefined : undefined;
}

/** Epoch ms of an eventTime string (NaN when it is not a time). */
export function parseEventTime(s: string): number {
  if (s.length === 20 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(10) === 84 && s.charCodeAt(13) === 58 && s.charCodeAt(16) === 58 && s.charCodeAt(19) === 90) {
    const mo = digits(s, 5, 2);
    const d = digits(s, 8, 2);
    const h = digits(s, 11, 2);
    const mi = digits(s, 14, 2);
    const sec = digits(s, 17, 2);
    const y = digits(s, 0, 4);
    // the years 0-99 (Date.UTC's 1900s) are read below
    if (y >= 100 && mo >= 1 && mo <= 12 && d >= 1 && d <= monthDays(y, mo) && h <= 23 && mi <= 59 && sec <= 59) return daysFromCivil(y, mo, d) * DAY_MS + h * 3_600_000 + mi * 60_000 + sec * 1000;
  }
  if (s.length > 40) return NaN;
  const m = ISO.exec(s);
  if (!m) return EPOCH.test(s) ? epochMs(Number(s)) : NaN;
  const [, y, mo, d, h = "0", mi = "0", sec = "0", frac = "", zulu, sign, oh, om = "0"] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(sec);
  if (month < 1 || month > 12 || day < 1 || day > monthDays(year, month)) return NaN;
  // 24:00:00 is the end of a day (ISO 8601): the next one's midnight
  if (minute > 59 || second > 59 || (hour === 24 ? minute + second + Number(frac || "0") > 0 : hour > 23)) return NaN;
  // a fraction past the millisecond is cut, not rounded (as fromMillis cuts): 23:59:59.9999 stays on its day
  let ms = utcOf(year, month - 1, day, hour, minute, second) + Number(`${frac}000`.slice(0, 3));
  if (sign && !zulu) {
    const offset = Number(oh) * 60 + Number(om);
    if (Number(oh) > 23 || Number(om) > 59) return NaN;
    ms -= (sign === "-" ? -1 : 1) * offset * 60_000;
  }
  return ms;
}

/** Epoch ms of an eventTime value as the event holds it (NaN when it is not a time). */
export function eventTimeMs(v: unknown): number {
  return typeof v === "string" ? parseEventTime(v) : typeof v === "number" ? epochMs(v) : NaN;
}
