// The warnings at the end of a run that say why a result may be empty, from what the scan learnt
// (facts.ts): a field the query reads that no event had but that looks like one they have (a change
// of case, a small edit, a name with `-` written without backticks), an unknown `@` field, and a time
// range that selected no event (where the data are instead). Nothing is read for them unless a path
// was never met: then a few of the files are read again whole, for the names their events have.
import { codePointText, foldLookalikes, likelyName } from "../errors.js";
import { isVisible, unitEscapes } from "../output/safe.js";
import type { Plan } from "../plan/plan.js";
import { eventReads } from "../plan/reads.js";
import { SYSTEM_FIELDS } from "../check/rexpr.js";
import { inDisplayZone, wallClock } from "../time/zone.js";
import { Reader, stampSpan, type ReadStats } from "../sources/index.js";
import type { FoundFile } from "../sources/walk.js";
import { PATH_SAMPLE_EVENTS, addPaths, type FieldPaths } from "../sources/field-paths.js";
import type { SourceSelection } from "../plan/commands/source.js";
import { EVENT_TIME, type ScanFacts } from "./facts.js";
import { spreadOver } from "./spread.js";

const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/g;
/** What a range's pruning by the files' names leaves unseen, and how to see it. */
const LATE_NOTE = "an event delivered more than an hour late is not seen: filter on @timestamp to read every file";

/** The characters of a name that are not printable ASCII, as their code points: U+0435, U+0430. */
const lookalikeNames = (name: string): string => [...new Set(name.match(NOT_PRINTABLE_ASCII) ?? [])].map((c) => codePointText(c)).join(", ");
/** A name with those characters written as \u escapes, so that it no longer reads as the name it looks like. */
const lookalikeShown = (name: string): string => name.replace(NOT_PRINTABLE_ASCII, unitEscapes);

/**
 * Files read again whole for the names their events have, spread over the files scanned, until
 * PATH_SAMPLE_EVENTS: enough files of a few events each (8 files of a trail of small files held 37
 * events, and missed errorCode that 98 of its 3,000 had).
 */
const SAMPLE_FILES = 256;

/** The field paths of the events of a few files spread over `files`, read whole, with how many events have each. */
async function sampleFields(files: readonly FoundFile[], streamed: FieldPaths | undefined): Promise<FieldPaths> {
  const have = new Map(streamed?.have);
  let events = streamed?.events ?? 0;
  // a stream cannot be read again: its first events' paths were counted as it was read
  const again = files.filter((f) => f.file.path !== "-" && !f.file.pipe);
  const sample = spreadOver(again, SAMPLE_FILES);
  // what is wrong with these files was said when they were scanned
  const reader = new Reader([], { warn: () => {} });
  for (const f of sample) {
    for await (const batch of reader.read(f)) {
      for (const ev of batch.events) addPaths(ev, have);
      events += batch.events.length;
      if (events >= PATH_SAMPLE_EVENTS) return { have, events };
    }
  }
  return { have, events };
}

/**
 * One warning per event path the query reads that no event had, when it is likely a mistake: a name
 * that differs from one the events have by case or a small edit, a name with `-` without backticks,
 * or an `@` name that is not a system field. The files' events are looked at only when some path was
 * never met. When no event was parsed (every file ruled out by the filter's text), whether an event
 * has the path is told from the events looked at, and the warning says so.
 */
export async function fieldHints(plan: Plan, facts: ScanFacts, files: readonly FoundFile[], read: ReadStats): Promise<string[]> {
  let missing = facts.missing().map((p) => p.join("."));
  if (missing.length === 0 || files.length === 0) return [];
  const { have, events } = await sampleFields(files, read.streamedPaths);
  const sampled = read.eventsRead === 0;
  if (sampled && events === 0) return [];
  // a name some event has is not missing, though no event parsed had it (its files were ruled out
  // by the filter's text or the index, or not needed after a limit): no hint to change it
  missing = missing.filter((m) => !have.has(m));
  const none = sampled ? "no event of the files looked at has" : "no event has";
  const out: string[] = [];
  const done = new Set<string>();
  // the longest first: `a-b-c` before the `a-b` in it
  for (const d of eventReads(plan).dashed.sort((x, y) => y.text.length - x.text.length)) {
    const gone = d.reads.find((r) => missing.includes(r) && !done.has(r));
    if (gone === undefined || !(facts.had(d.path) || have.has(d.text))) continue;
    out.push(`${none} ${gone}; did you mean \`${d.text}\`? (without backticks a name with - is a subtraction: ${d.reads.join(" - ")})`);
    for (const r of d.reads) done.add(r);
  }
  const unknown: string[] = [];
  for (const name of missing) {
    if (done.has(name)) continue;
    const like = likelyName(name, have.keys(), (f) => have.get(f) ?? 0);
    if (like !== undefined && foldLookalikes(name) === foldLookalikes(like)) {
      out.push(`${none} ${lookalikeShown(name)}: it holds ${lookalikeNames(name)}, which look like other characters or show nothing (pasted text?); did you mean ${like}?`);
    } else if (like !== undefined && !isVisible(like)) {
      // a name of the data that holds controls or characters that show nothing: escaped, it would read as one with backslashes
      out.push(`${none} ${name}; did you mean ${lookalikeShown(like)}? (the events' name holds ${lookalikeNames(like)}: written here as \\u escapes, not text to type)`);
    } else if (like !== undefined) out.push(`${none} ${name}; did you mean ${like}?`);
    else if (name.startsWith("@")) unknown.push(name);
  }
  if (unknown.length > 0) {
    const names = unknown.length === 1 ? unknown[0]! : `${unknown.slice(0, -1).join(", ")} or ${unknown.at(-1)!}`;
    const they = unknown.length === 1 ? "it is not a system field" : "they are not system fields";
    out.push(`${none} ${names}: ${they} (those are ${SYSTEM_FIELDS.join(", ")}), so ${unknown.length === 1 ? "it is" : "they are"} absent`);
  }
  return out;
}

/**
 * When the query reads @timestamp (bin(), a sort on it, earliest...: the scan then looks for
 * eventTime, scanFacts) and no event read had an eventTime (an export that keeps the time under
 * another key): every @timestamp is empty, so say so. A time range says it in its own warning (rangeHint).
 */
export function timeHint(sel: SourceSelection, facts: ScanFacts, read: ReadStats): string[] {
  if (read.eventsRead === 0 || !facts.lacks(EVENT_TIME)) return [];
  if (sel.start !== undefined || sel.end !== undefined) return [];
  return [`no event has an eventTime, so none has a @timestamp: what the query does with @timestamp (bin, a sort on it, earliest, latest) sees it empty`];
}

/** The fields that name where an event was read: of two copies of an event, each says its own file. */
const PLACE_FIELDS = ["@logStream", "@ptr", "@log", "@ingestionTime"];

/**
 * When copies were skipped and the query reads where its events were read (`@logStream`, `@ptr`,
 * `@log` from the folder): those are the copy's that came first, and which comes first follows the
 * query's order (the default order reads the newest files first, `sort @timestamp asc` the oldest),
 * so `filter @logStream like ...` may count otherwise from one query to the next.
 */
export function copyPlaceHint(plan: Plan, read: ReadStats): string[] {
  if (read.eventsDuplicate === 0) return [];
  const names = eventReads(plan).names;
  const places = PLACE_FIELDS.filter((f) => names.has(f));
  if (places.length === 0) return [];
  return [`${read.eventsDuplicate.toLocaleString("en-US")} duplicate ${read.eventsDuplicate === 1 ? "event was" : "events were"} skipped: ${places.join(", ")} ${places.length === 1 ? "is" : "are"} that of the copy read first, and the query's order decides which copy that is (another order may keep another); --keep-duplicates keeps every copy`];
}

/** A time as the range warning writes it: to the minute (to the second when it has seconds), in the zone times are shown in. */
export function shortTime(t: number): string {
  const seconds = Math.floor(t / 1000) % 60 !== 0;
  return inDisplayZone(t, (wall) => wallClock(wall, seconds));
}

/** The accounts and regions a selection asks for, as the warnings name them. */
function chosenText(sel: SourceSelection): string {
  return [
    ...(sel.accounts?.length ? [`account${sel.accounts.length > 1 ? "s" : ""} ${sel.accounts.join(", ")}`] : []),
    ...(sel.regions?.length ? [`region${sel.regions.length > 1 ? "s" : ""} ${sel.regions.join(", ")}`] : []),
  ].join(" in ");
}

/**
 * When no event was read and every file left out by name was of another account or region: the
 * selection is what left nothing (`lead`, the warning's start: "no events", "no events between ...").
 */
function noFileOfSelection(sel: SourceSelection, read: ReadStats, lead: string): string[] | undefined {
  const elsewhere = read.filesElsewhere ?? 0;
  if (!(elsewhere > 0 && elsewhere === read.filesPruned && read.eventsRead === 0)) return undefined;
  const them = (sel.accounts?.length ?? 0) + (sel.regions?.length ?? 0) > 1 ? "them" : "it";
  return [`${lead} from ${chosenText(sel)}: no file of the trail's layout is from ${them} (${elsewhere.toLocaleString("en-US")} files of other accounts or regions pruned by name)`];
}

/** Whether the filter ruled files out unparsed (by their text, or by the index's values): they may hold what was looked for. */
const ruledOutUnparsed = (read: ReadStats): boolean => read.filesUnmatched > 0 || (read.indexed?.byValue ?? 0) > 0;

/**
 * When --account or --region (or SOURCE's) left no event, and no time range or filter is what did:
 * where the events were instead (of other accounts or regions, or no file of the layout from them).
 */
export function selectionHint(sel: SourceSelection, facts: ScanFacts, read: ReadStats): string[] {
  if (!sel.accounts?.length && !sel.regions?.length) return [];
  if (facts.selected > 0 || ruledOutUnparsed(read)) return [];
  const ranged = sel.start !== undefined || sel.end !== undefined;
  // no event in the range: rangeHint says where the data are (and names the selection when it is what left nothing)
  if (ranged && facts.inRange === 0) return [];
  if (read.eventsRead === 0) return noFileOfSelection(sel, read, "no events") ?? [];
  return [
    `no events from ${chosenText(sel)}: the ${read.eventsRead.toLocaleString("en-US")} events read${ranged ? " (in the range)" : ""} are of other accounts or regions, by their recipientAccountId and awsRegion (a global event a trail of another region wrote in its folder is in no --region answer: filter awsRegion = "..." reads every folder)`,
  ];
}

/**
 * Under a time range: the events without a usable time it left out, and when it selected no event,
 * where the data are (noEventsHint).
 */
export function rangeHint(sel: SourceSelection, facts: ScanFacts, read: ReadStats): string[] {
  if (sel.start === undefined && sel.end === undefined) return [];
  // an event without a time is in no range: left out, and said (one with a bad time is warned of as read)
  const n = facts.untimed;
  const untimed = n > 0 ? [`${n.toLocaleString("en-US")} event${n === 1 ? "" : "s"} without a usable eventTime ${n === 1 ? "is" : "are"} in no time range: --start/--end (or SOURCE's) left ${n === 1 ? "it" : "them"} out`] : [];
  if (facts.inRange > 0) return untimed;
  return [...untimed, ...noEventsHint(sel, facts, read)];
}

/**
 * A time range that selected no event: a warning that says where the data are, from the times of
 * the events read (all outside the range), those of the files a folder's index left out, and the
 * stamps in the names of the files pruned.
 */
function noEventsHint(sel: SourceSelection, facts: ScanFacts, read: ReadStats): string[] {
  // files the filter ruled out unparsed may hold events in the range: the filter, not the range,
  // left nothing (the summary says what was ruled out)
  if (ruledOutUnparsed(read)) return [];
  const range =
    sel.start !== undefined && sel.end !== undefined ? `between ${shortTime(sel.start)} and ${shortTime(sel.end)}`
    : sel.start !== undefined ? `at or after ${shortTime(sel.start)}`
    : `at or before ${shortTime(sel.end!)}`;
  // every file left out by name being of another account or region, the selection is what left
  // nothing, not the range (the stamps of such files are not in prunedStamps)
  const elsewhere = noFileOfSelection(sel, read, `no events ${range}`);
  if (elsewhere) return elsewhere;
  const named = read.prunedStamps;
  let first = facts.first;
  let last = facts.last;
  // the files a folder's index left out by the range: their events' times, known exactly
  const indexed = read.indexed?.times;
  if (indexed) {
    first = Math.min(first, indexed.first);
    last = Math.max(last, indexed.last);
  }
  /** The times known exactly: of events read, and of files the index left out. */
  const exact = { first, last };
  const seen = first <= last;
  if (named && named.first <= named.last) {
    // a stamped file holds events from the margin before its stamp to the end of its minute
    first = Math.min(first, stampSpan(named.first).lo);
    last = Math.max(last, stampSpan(named.last).hi + 1);
  }
  if (first > last) {
    return read.eventsRead > 0 ? [`no events ${range}: none of the ${read.eventsRead} events read has a usable eventTime`] : [];
  }
  const byName = !seen || first < exact.first || last > exact.last;
  const span = `${shortTime(first)} to ${shortTime(last)}`;
  // by their names only: a file left out by its stamp could still hold an event delivered late
  if (byName) return [`no events ${range}; the files hold events within ${span} by the delivery stamps in their names (${LATE_NOTE})`];
  return [`no events ${range}; the files hold ${span}`];
}
