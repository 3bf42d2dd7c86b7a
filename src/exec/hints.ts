// The warnings at the end of a run that say why a result may be empty, from what the scan learnt
// (facts.ts): a time range that selected no event (where the data are instead).
import type { ReadStats } from "../sources/index.js";
import type { SourceSelection } from "../plan/commands/source.js";
import type { ScanFacts } from "./facts.js";

/** A time as the range warning writes it: UTC, to the minute (to the second when it has seconds). */
export function shortTime(t: number): string {
  return new Date(t).toISOString().slice(0, Math.floor(t / 1000) % 60 !== 0 ? 19 : 16).replace("T", " ");
}

/**
 * When a time range selected no event: a warning that says where the data are, from the times of
 * the events read (all outside the range), and the stamps in the names of the files pruned.
 */
export function rangeHint(sel: SourceSelection, facts: ScanFacts, read: ReadStats): string[] {
  if ((sel.start === undefined && sel.end === undefined) || facts.inRange > 0) return [];
  const range =
    sel.start !== undefined && sel.end !== undefined ? `between ${shortTime(sel.start)} and ${shortTime(sel.end)}`
    : sel.start !== undefined ? `at or after ${shortTime(sel.start)}`
    : `at or before ${shortTime(sel.end!)}`;
  const named = read.prunedStamps;
  let first = facts.first;
  let last = facts.last;
  const seen = first <= last;
  if (named) {
    first = Math.min(first, named.first);
    last = Math.max(last, named.last);
  }
  if (first > last) {
    return read.eventsRead > 0 ? [`no events ${range}: none of the ${read.eventsRead} events read has a usable eventTime`] : [];
  }
  // the stamp in a file's name is its delivery, minutes after its events
  const byName = named !== undefined && (!seen || named.first < facts.first || named.last > facts.last);
  const span = `${shortTime(first)} to ${shortTime(last)}`;
  return [`no events ${range}; the files hold ${byName ? `about ${span} (from the delivery stamps in their names)` : span}`];
}
