// The last line on standard error: what was scanned, how many rows came out, how long it took.
import type { RunResult } from "../exec/run.js";
import type { ReadStats } from "../sources/types.js";
import { formatBytes } from "../exec/memory.js";

/** A count with thousands separators, 1,234,567 (toLocaleString would load ICU's number formats: 11 ms). */
export function grouped(x: number): string {
  const digits = String(x);
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += "," + digits.slice(i, i + 3);
  return out;
}

/** Files ruled out by the filter's text past which the summary says what `trailq index` would save. */
const INDEX_TIP_FILES = 2000;

/** A count and its noun: `1 file`, `1,246 files`. */
/** The problems whose name counts one (a reason of the reader's): more than one, as the summary says them. */
const PROBLEMS: Record<string, string> = {
  "bad JSON line": "bad JSON lines",
  "truncated JSON line": "truncated JSON lines",
  "not an event": "not events",
  "record too large": "records too large",
};

export const plural = (n: number, one: string, many = `${one}s`): string => `${grouped(n)} ${n === 1 ? one : many}`;

/**
 * What the folder's index did, as every summary says it (a query's, detect's): the files it left
 * unopened, and those it could not leave out because they are new or changed since it was built,
 * or not part of it (hidden, or reached through a link: its walk does not take them).
 */
export function indexedParts(read: ReadStats): { ruledOut?: string; readAnyway?: string } {
  const i = read.indexed;
  const readAnyway = [
    ...(i && i.changed > 0 ? [`${plural(i.changed, "file")} read as new or changed since the folder was indexed (trailq index brings the index up to date)`] : []),
    ...(i?.unindexed ? [`${plural(i.unindexed, "file")} read that the folder's index does not hold (hidden, or reached through a link: trailq index does not take them)`] : []),
  ];
  return {
    ...(i && i.files > 0 ? { ruledOut: `${plural(i.files, "file")} (${plural(i.events, "event")}) ruled out by the folder's index, not opened` } : {}),
    ...(readAnyway.length ? { readAnyway: readAnyway.join(" · ") } : {}),
  };
}

/**
 * `1,234 events parsed in 40 files, 1,200 files ruled out by the filter's text, not parsed · 3 rows ·
 * 0.12 s · ...`: what was parsed, and every file that was not, by why, so that a filtered query and
 * `stats count(*)` over the same files read as the same trail. `notes`: what else the run should say
 * (a template's window anchor), before the file figures.
 */
export function summaryLine(r: RunResult, totalRows: number, shownRows: number, notes: string[] = []): string {
  const { read } = r;
  const parsed = read.filesRead - read.filesUnmatched;
  let scanned = `${plural(read.eventsRead, "event")} parsed in ${plural(parsed, "file")}`;
  if (read.filesUnmatched > 0) scanned += `, ${plural(read.filesUnmatched, "file")} ruled out by the filter's text, not parsed`;
  if (read.indexable && read.filesUnmatched >= INDEX_TIP_FILES) scanned += " (trailq index on the folder leaves such files unopened)";
  const indexed = indexedParts(read);
  if (indexed.ruledOut) scanned += `, ${indexed.ruledOut}`;
  const parts = [
    scanned,
    shownRows < totalRows ? `${grouped(shownRows)} of ${grouped(totalRows)} rows shown (--max-rows)` : plural(totalRows, "row"),
    `${(r.elapsedMs / 1000).toFixed(2)} s`,
    ...notes,
  ];
  parts.push(...runFacts(r));
  if (r.interrupted) parts.push("interrupted");
  return parts.join(" · ");
}

/**
 * What the run skipped, left out or spilled, as the summary says it after the rows and the time
 * (the prompt says the same after its own figures): no result reads as the whole trail's when
 * part of it was not counted.
 */
export function runFacts(r: RunResult): string[] {
  const { read } = r;
  const facts: string[] = [];
  const indexed = indexedParts(read);
  // told by the files' names (the delivery stamps): a file delivered over an hour late is passed over too (docs/inputs.md)
  if (read.filesUnneeded > 0) facts.push(`${plural(read.filesUnneeded, "file")} not opened (by ${read.filesUnneeded === 1 ? "its name" : "their names"}, ${r.unneeded ?? "older"} than the rows kept)`);
  if (read.eventsDuplicate > 0) facts.push(`${plural(read.eventsDuplicate, "duplicate event")} skipped (same eventID; --keep-duplicates keeps them)`);
  if (read.eventsBadTime > 0) facts.push(`${plural(read.eventsBadTime, "event")} with a bad eventTime (no @timestamp)`);
  if (read.filesPruned > 0) facts.push(`${plural(read.filesPruned, "file")} pruned by name`);
  if (indexed.readAnyway) facts.push(indexed.readAnyway);
  if (read.filesEmpty > 0) facts.push(plural(read.filesEmpty, "empty file"));
  if (read.filesIgnored > 0) facts.push(`${plural(read.filesIgnored, "file")} ignored (not JSON)`);
  if (read.skipped.length > 0) {
    // One entry per wholly skipped file, and one per bad line or record of a file read in part.
    const reasons = new Map<string, number>();
    for (const s of read.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + (s.count ?? 1));
    const what = [...reasons].map(([k, v]) => `${grouped(v)} ${v === 1 ? k : (PROBLEMS[k] ?? k)}`).join(", ");
    facts.push(`${plural(read.filesSkipped, "file")} skipped, problems: ${what}`);
  }
  if (r.spilled > 0) facts.push(`${formatBytes(r.spilled)} spilled to temporary files (past the --memory budget)`);
  return facts;
}
