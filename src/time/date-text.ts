// A date written as text (a constant in a query, a string field given to a datetime function) as an
// instant. A date without a zone is UTC, as every time trailq reads or prints is, whatever zone the
// machine is set to: JavaScript's Date.parse would read "2020-09-14T12:00:00" and "Sep 14, 2020,
// 7:01:26 AM" in the machine's zone. Only text with a date's shape is a date: Date.parse alone reads
// "us-east-1" as 2001-01-01 and "version 7" as 2001-07-01, and rolls "Feb 30" over to March.
import { isoNamesZone, monthDays, parseEventTime } from "./event-time.js";
import { CYCLE_MS } from "./utc.js";

/** Names its zone: holds a zone's name, or an offset after a time (`GMT`, `EST`, `07:01 +0200`). */
const NAMES_ZONE = /\b(?:UTC|GMT|UT|[ECMP][SD]T)\b|\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:[AP]M\s*)?[+-]\d\d:?\d\d\b/i;

const MONTH = "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
/** A month's name with its day on either side (`Sep 14`, `14 Sep`), and a four-digit year. */
const DAY_MONTH = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH}(?![a-z])|\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b`, "i");
const YEAR = /\b(\d{4})\b/;
/** ISO 8601 followed by its zone after a space: a name (`2020-09-14 12:00:00 UTC`) or an offset (`... +0000`). */
const ISO_ZONE = /^(.*\S)\s+(?:(UTC|GMT|Z)|([+-]\d{2}:?\d{2}))$/i;

/** Epoch milliseconds of a date string, UTC unless it names a zone; NaN when it is not a date. */
export function parseDateText(s: string): number {
  const t = s.trim();
  // ISO 8601, read as eventTime is (a day its month has, an hour up to 24)
  if (isoNamesZone(t) !== undefined) return parseEventTime(t);
  const zoned = ISO_ZONE.exec(t);
  if (zoned && isoNamesZone(zoned[1]!) === false) return parseEventTime(zoned[1]! + (zoned[3] ?? ""));
  // a month's name, its day and a year (`Sep 14, 2020, 7:01:26 AM`, `Mon, 14 Sep 2020 07:01:26 GMT`),
  // as Date.parse reads it, when the day is one the month has
  const dm = DAY_MONTH.exec(t);
  const year = YEAR.exec(t);
  if (!dm || !year) return NaN;
  const month = monthIndex((dm[2] ?? dm[3])!);
  const day = Number(dm[1] ?? dm[4]);
  const y = Number(year[1]);
  if (day < 1 || day > monthDays(y, month + 1)) return NaN;
  const text = NAMES_ZONE.test(t) ? t : `${t} UTC`;
  // Date.parse takes a year under 100 for two digits (0050 as 1950): the same date 400 years on
  // (the calendar repeats every 400 years, weekdays too), then 400 years back
  if (y < 100) return Date.parse(text.replace(YEAR, String(y + 400).padStart(4, "0"))) - CYCLE_MS;
  return Date.parse(text);
}

/** 0-11 for a month's name or its abbreviation. */
function monthIndex(name: string): number {
  return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].indexOf(name.slice(0, 3).toLowerCase());
}
