// The anchor of a template's recent window ({{@anchor}}): templates judge the data they are given,
// not today's date. "First seen in the last 24 hours" counts back from the end of the query's time
// range when it has one (--end, SOURCE END=), else from the newest event in the inputs and the range
// (--since sets only its start: a trail copied yesterday is judged on its own last day, not on an
// empty today), found by a first, cheap query over the same inputs and selection:
// `sort @timestamp desc | limit 1` reads the newest files only (the time-order early stop).
import type { Query } from "../lang/ast.js";
import { parseQuery } from "../lang/index.js";
import { buildPlan } from "../plan/build.js";
import { sourceSelection } from "../plan/commands/source.js";
import { runPlan, scanReaderOptions } from "../exec/run.js";
import { Reader, readOnceInputs } from "../sources/index.js";
import type { RemoteFiles } from "../sources/types.js";
import type { TimeRange } from "../time/range.js";
import { ExitCode, UserError } from "../errors.js";
import { momentText } from "../time/zone.js";

export interface Anchor {
  /** epoch ms */
  at: number;
  /** Where it comes from, as the summary line says it. */
  from: "--end" | "SOURCE END=" | "last event" | "no event with a time: now";
}

export interface AnchorOptions {
  /** The options' time range (--start/--end/--since). */
  range: TimeRange;
  accounts?: string[];
  regions?: string[];
  now: number;
  signal?: AbortSignal;
  /** The s3:// inputs, listed (src/sources/s3/). */
  remote?: RemoteFiles;
}

/** The query that finds the newest event. */
const NEWEST = "fields @timestamp | sort @timestamp desc | limit 1";

/**
 * Where the window of a template's query (parameters bound or not: only its SOURCE is read here)
 * ends, over these inputs.
 */
export async function findAnchor(query: Query, inputs: string[], o: AnchorOptions): Promise<Anchor> {
  const cmd = query.commands.find((c) => c.kind === "source");
  const source = cmd?.kind === "source" ? sourceSelection(cmd, o.now, () => {}) : {};
  // both ends apply: the earlier one ends the range
  if (o.range.end !== undefined && (source.end === undefined || o.range.end <= source.end)) return { at: o.range.end, from: "--end" };
  if (source.end !== undefined) return { at: source.end, from: "SOURCE END=" };
  const once = readOnceInputs(inputs);
  if (once.length > 0) {
    const what = once.includes("-") ? "standard input" : `a named pipe (${once[0]})`;
    throw new UserError(`this template measures its window back from the newest event, and ${what} can't be read twice: give --end (or files or folders)`, ExitCode.usage);
  }
  const probe = { ...buildPlan(parseQuery(NEWEST), { now: o.now }), source };
  const select = { range: o.range, ...(o.accounts ? { accounts: o.accounts } : {}), ...(o.regions ? { regions: o.regions } : {}) };
  // the main scan reads every file again and reports their problems: none are told twice
  const reader = new Reader(inputs, { warn: () => {}, ...(o.signal ? { signal: o.signal } : {}), ...(o.remote ? { remote: o.remote } : {}), ...scanReaderOptions(probe, select, inputs) });
  let newest: number | undefined;
  await runPlan(probe, reader, { row: (v) => (newest = typeof v[0] === "number" ? v[0] : undefined), end: () => {} }, { ...select, ...(o.signal ? { signal: o.signal } : {}) });
  return newest === undefined ? { at: o.now, from: "no event with a time: now" } : { at: newest, from: "last event" };
}

/** For the summary line: `window anchored at 2023-07-10 12:30:05 UTC (last event)`. */
export function anchorNote(a: Anchor): string {
  return `window anchored at ${momentText(a.at)} (${a.from})`;
}
