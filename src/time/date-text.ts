// A date written as text (a constant in a query, a string field given to a datetime function) as an
// instant. A date without a zone is UTC, as every time trailq reads or prints is, whatever zone the
// machine is set to: JavaScript's Date.parse would read "2020-09-14T12:00:00" and "Sep 14, 2020,
// 7:01:26 AM" in the machine's zone.

/** Names its zone: ends as ISO 8601 writes one (`Z`, `+02:00`, `-0500`), or holds a zone's name or an offset after a time (`GMT`, `EST`, `07:01 +0200`). */
const NAMES_ZONE = /(?:[zZ]|[+-]\d\d:?\d\d)$|\b(?:UTC|GMT|UT|[ECMP][SD]T)\b|\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:[AP]M\s*)?[+-]\d\d:?\d\d\b/i;

/** Epoch milliseconds of a date string, UTC unless it names a zone; NaN when it is not a date. */
export function parseDateText(s: string): number {
  if (NAMES_ZONE.test(s)) return Date.parse(s);
  // ISO forms take a Z; the forms Date.parse reads beside them (`Sep 14, 2020, 7:01:26 AM`) a zone name
  const iso = Date.parse(s + "Z");
  if (!Number.isNaN(iso)) return iso;
  return Date.parse(s + " UTC");
}
