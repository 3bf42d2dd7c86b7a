// Date.UTC for every year: it reads a year from 0 to 99 as 1900 to 1999.

/** Milliseconds in 400 Gregorian years, after which the calendar repeats (146,097 days). */
export const CYCLE_MS = 146_097 * 86_400_000;

/**
 * The epoch ms of a date and time read as UTC (Date.UTC's arguments, a field out of its range rolled
 * over as it rolls them), the years 0 to 99 as themselves: counted 2,000 years later, in the same
 * calendar, and brought back.
 */
export function utcOf(year: number, month: number, day = 1, hour = 0, minute = 0, second = 0, ms = 0): number {
  return year >= 0 && year < 100 ? Date.UTC(year + 2000, month, day, hour, minute, second, ms) - 5 * CYCLE_MS : Date.UTC(year, month, day, hour, minute, second, ms);
}
