// The times there are: what a JavaScript Date holds, ±100,000,000 days around 1970. A number
// past them (an epoch in nanoseconds, a floor of the earliest time) is no time.

/** The greatest distance from 1970 of a time, in milliseconds. */
export const MAX_TIME_MS = 8.64e15;

/**
 * Whether a number is a time that can be written: within what a Date holds (a floor or bin() of the
 * earliest time is before it; that is no time, and prints as absent, as NaN does).
 */
export function isTime(ms: number): boolean {
  return Math.abs(ms) <= MAX_TIME_MS;
}
