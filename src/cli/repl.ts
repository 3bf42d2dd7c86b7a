// `trailq repl [PATH...]` (and plain `trailq` on a terminal): the interactive prompt. Multi-line
// queries, history across sessions, Tab completion, dot commands, Ctrl-C to cancel a scan.
import { appendFileSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { ExitCode, QueryError, UserError } from "../errors.js";
import { parseQuery, type Query } from "../lang/index.js";
import { buildPlan } from "../plan/build.js";
import { explainPlan } from "../plan/explain.js";
import { runPlan, scanReaderOptions, scanSelection } from "../exec/run.js";
import { Reader, isFolder } from "../sources/index.js";
import { FORMATS, bufferedOut } from "../output/index.js";
import { chartInfo } from "../output/charts/index.js";
import { visible } from "../output/safe.js";
import { cutToWidth, displayWidth, padToWidth } from "../output/width.js";
import { checkWritable, errorCode, fileError, writeOutputFile } from "../output/files.js";
import { parseTimeRange, type TimeRange } from "../time/range.js";
import { displayZone, momentText, parseZone, setDisplayZone } from "../time/zone.js";
import { LookupTables } from "../lookup/tables.js";
import { loadLibrary, problemText, type Library } from "../templates/library.js";
import { bindTemplate, paramPairs, runPairs } from "../templates/bind.js";
import { anchorNote, findAnchor } from "../templates/anchor.js";
import { usesAnchor } from "../templates/template.js";
import { needsMore } from "../repl/input.js";
import { complete } from "../repl/complete.js";
import { FieldShares, discoverFields } from "../repl/fields.js";
import { promptHistory, readSaved, saveQuery } from "../repl/saved.js";
import { colorWanted, DuplicatesOptionSchema, S3OptionsSchema, ZoneOptionSchema, parseOptions, zoneOption, type S3CliOptions } from "./options.js";
import { openRemote, progressFor } from "./query.js";
import type { S3Inputs } from "../sources/s3/remote.js";
import type { Selection } from "../sources/prune.js";
import { SAMPLE_TRAIL, checkInputs, onceEach, shownText, stdoutText, terminalColumns } from "./io.js";
import { plural, runFacts } from "./summary.js";
import { compareText } from "../exec/values.js";

export function historyFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env["XDG_STATE_HOME"] || join(homedir(), ".local", "state"), "trailq", "history");
}

/**
 * Readline's history (newest first) with the lines typed for `text` made one entry, `query` (the
 * whole query that ran): Up then recalls what ran, not its last line alone, which would run on its
 * own over every event. The lines are found newest first from where they are (lines pasted after
 * them are in the history already, before them).
 */
export function asOneEntry(history: string[], text: string, query: string): void {
  // readline keeps no blank line
  const lines = text.split("\n").filter((l) => l.trim() !== "").reverse();
  if (lines.length === 0 || (lines.length === 1 && text === query)) return;
  for (let at = 0; at + lines.length <= history.length; at++) {
    if (lines.every((l, k) => history[at + k] === l)) {
      history.splice(at, lines.length, query);
      return;
    }
  }
}

/**
 * The first of `lines` that fit `rows` rows of a screen `width` columns wide, each line taking the
 * rows it wraps onto; when the first alone is taller, it cut to fit. `lines`: how many are shown.
 */
export function screenful(lines: readonly string[], rows: number, width: number): { text: string; lines: number } {
  // colour (the output's own: a value's escape characters are written escaped) takes no column
  const uncoloured = (line: string): string => line.replace(/\x1b\[[0-9;]*m/g, "");
  let used = 0;
  let n = 0;
  for (; n < lines.length; n++) {
    const tall = Math.max(1, Math.ceil(displayWidth(uncoloured(lines[n]!)) / width));
    if (used + tall > rows) break;
    used += tall;
  }
  if (n === 0 && lines.length > 0) return { text: cutToWidth(uncoloured(lines[0]!), rows * width), lines: 1 };
  return { text: lines.slice(0, n).join("\n"), lines: n };
}

/** A line that goes on from the last query: it starts with `|`, `and` or `or`. */
const CONTINUATION = /^\s*(?:\||(?:and|or)(?![\w@.`]))/i;

const HELP = `Type a Logs Insights query; a line ending in | (or with an open quote or bracket) continues.
  .help                    this help
  .templates               the query templates        .run ID [name=value ...]  run one
  .source PATH...          read these files/folders   .fields                   fields found, how often present
  .since 24h | .range START END | .range off          the time range
  .tz [ZONE]               the zone times show in (and a .range without one is in): UTC, local, Europe/Paris, +02:00
  .format table|json|jsonl|csv|markdown|vertical|chart  .chart on|off          draw results as a chart
  .explain QUERY           the plan                   .timer on|off             time each query
  .detect [RULES...]       detection over the inputs: the bundled templates and these Sigma rule files/folders
  .index                   index the input folders (trailq index): filters on eventName, the principal... read fewer
  .sigma FILE              a Sigma rule as a query: printed, then run (copy it to refine it)
  .output FILE | .output off                          write all rows of the next results to FILE
  .vertical [on|off]       one block per row, a line per column (for wide rows)
  .save NAME               save the last query        .saved [NAME]             list saved queries, or run one
  .quit (or Ctrl-D)        leave                      Ctrl-C cancels a running query`;

interface Session {
  inputs: string[];
  range: TimeRange;
  /** .since D: the range is the last D at each run (as --since is), not from when .since was typed. */
  since?: string;
  format: string;
  chart: boolean;
  timer: boolean;
  /** Rows shown as blocks, a line per column (.vertical). */
  vertical: boolean;
  /** The file the next results are written to (.output: once). */
  output?: string;
  fields: FieldShares;
}

export async function replCommand(paths: string[], rawOpts: Record<string, unknown> = {}): Promise<void> {
  const s3opts: S3CliOptions = parseOptions(S3OptionsSchema, rawOpts);
  zoneOption(parseOptions(ZoneOptionSchema, rawOpts));
  const { keepDuplicates } = parseOptions(DuplicatesOptionSchema, rawOpts);
  checkInputs(paths);
  /** s3:// inputs are listed for each query, by its range (closed when it is done). */
  const withRemote = async <T>(select: Selection, signal: AbortSignal | undefined, fn: (remote: S3Inputs | undefined) => Promise<T>): Promise<T> => {
    const remote = await openRemote(s.inputs, select, s3opts, signal);
    try {
      return await fn(remote);
    } finally {
      remote?.close();
    }
  };
  const s: Session = { inputs: paths.length ? paths : [SAMPLE_TRAIL], range: {}, format: "table", chart: false, timer: false, vertical: false, fields: new FieldShares() };
  const out = (t: string): boolean => process.stdout.write(t.endsWith("\n") ? t : t + "\n");
  // Piped standard input (`echo 'stats count(*)' | trailq repl`): the lines are run one after
  // another, as a script, with no prompt, no line editing and no escape codes; errors go to
  // standard error and the exit status says the last one.
  const batch = process.stdin.isTTY !== true;
  /** Piped: the rows' bytes go to standard output as the CLI writes them, as they come. */
  const piped = batch ? stdoutText().out : undefined;
  const terminal = !batch && process.stdout.isTTY === true;
  /** A warning: on standard error when piped, else among the session's lines. */
  const sayWarning = (m: string): void => {
    if (batch) process.stderr.write(`trailq: warning: ${visible(m)}\n`);
    else out(`warning: ${visible(m)}`);
  };
  const fail = (t: string): void => {
    if (batch) process.stderr.write(`trailq: ${t}\n`);
    else out(t);
  };
  if (!paths.length) (batch ? (t: string) => process.stderr.write(t + "\n") : out)(`trailq: no input given: reading the bundled sample trail (${SAMPLE_TRAIL})`);
  if (!batch) {
    out("trailq — Logs Insights queries over CloudTrail. .help for help, .quit to leave.");
    void learnFields(s);
  }

  const hist = historyFile();
  const history = promptHistory(hist);
  const templates = (): string[] => [...loadLibrary().templates.keys()];
  // a template file that could not be read is said once, as `trailq templates` says it, not taken for one that is not there
  const libraryProblem = onceEach(sayWarning);
  const library = (): Library => {
    const lib = loadLibrary();
    for (const p of lib.problems) libraryProblem(problemText(p));
    return lib;
  };
  const rl: Interface = createInterface({
    input: process.stdin,
    ...(batch ? {} : { output: process.stdout }),
    terminal,
    history,
    historySize: 1000,
    removeHistoryDuplicates: true,
    completer: (line: string) => complete(line, { fields: () => [...s.fields.keys()], templates }),
  });
  let buffer = "";
  let running: AbortController | undefined;
  /** Lines that came while another was handled (pasted at once, or typed during a query): handled next, in order. */
  const queued: string[] = [];
  /** The last query that planned (what .save saves, and a `|` line goes on from). */
  let lastQuery: string | undefined;
  /** Why a `|` line has no query to go on from after a command that ran one (.run). */
  let noLastQuery = "none ran yet";
  /**
   * The query typed last had an error: a `|` line after it is refused, not run after the query
   * before it (the line was most likely that query's next line, pasted with it).
   */
  let lastFailed = false;
  /** The text of the query being handled, for its error's caret. */
  let current: string | undefined;
  /** The session's range now: .since's is measured back from this moment. */
  const rangeNow = (): TimeRange => (s.since !== undefined ? parseTimeRange({ since: s.since }, Date.now()) : s.range);
  const prompt = (): void => {
    rl.setPrompt(buffer ? "   ...> " : "trailq> ");
    rl.prompt();
  };
  let interrupted = false;
  const onSigint = (): void => {
    if (running) {
      running.abort();
      // what was typed ahead is dropped with the query it waited for, as a stop
      queued.length = 0;
      if (batch) interrupted = true;
      return;
    }
    if (batch) process.exit(ExitCode.interrupted);
    // as bash and psql: the line typed so far (and the lines of a query being continued) is
    // dropped, so that the next query does not start with it; so are lines queued behind a query
    // that ended before the Ctrl-C meant for it was heard
    buffer = "";
    queued.length = 0;
    const line = rl as unknown as { line: string; cursor: number };
    line.line = "";
    line.cursor = 0;
    out("^C");
    prompt();
  };
  rl.on("SIGINT", onSigint);
  // in batch, readline has no terminal to take Ctrl-C from
  if (batch) process.on("SIGINT", onSigint);

  const remember = (text: string): void => {
    try {
      mkdirSync(dirname(hist), { recursive: true });
      appendFileSync(hist, JSON.stringify(text) + "\n");
    } catch {
      // history is a convenience: a read-only home must not stop the session
    }
  };

  /** Runs a query; `queryText`, when given, is its text, the last query once it has planned. */
  const run = async (query: Query, note?: string, queryText?: string): Promise<void> => {
    const plan = buildPlan(query, { lookups: new LookupTables() });
    if (queryText !== undefined) lastQuery = queryText;
    // .output is for the next results: these
    const file = s.output;
    s.output = undefined;
    // before the run starts: a failure here must not leave the prompt thinking a query runs
    if (file) writeOutputFile(file, "", "the file");
    running = new AbortController();
    const signal = running.signal;
    const select = { range: rangeNow(), keepDuplicates };
    const { progress, seen } = progressFor(s.inputs, { enabled: process.stderr.isTTY === true });
    const warnLine = (m: string): void => {
      progress.clear();
      sayWarning(m);
    };
    // s3:// inputs: listed for this query's range, closed when it is done
    let remote: S3Inputs | undefined;
    try {
      remote = await openRemote(s.inputs, scanSelection(plan, select), s3opts, signal, seen);
    } catch (e) {
      running = undefined;
      progress.done();
      throw e;
    }
    const withFiles = remote ? { remote } : {};
    // each warning once: a subquery's scan (reopen) reads the inputs again
    const warnOnce = onceEach(warnLine);
    const reader = new Reader(s.inputs, { warn: warnOnce, signal, ...withFiles, ...scanReaderOptions(plan, select, s.inputs) });
    // the rows' text: piped, written as it comes (as the CLI writes it); on a terminal, the first screenful kept (what is
    // shown) and the rest's lines counted: a result is not held whole besides what the query holds
    // (a sort of 40,000 whole events had the prompt run out of memory where the CLI spilled)
    const room = Math.max(10, (process.stdout.rows ?? 40) - 6);
    let kept = "";
    let lineCount = 0;
    const text =
      piped ??
      bufferedOut((c) => {
        if (lineCount <= room) kept += c;
        for (let i = c.indexOf("\n"); i >= 0; i = c.indexOf("\n", i + 1)) lineCount++;
      });
    const format = s.chart ? "chart" : s.vertical ? "vertical" : s.format;
    const tty = process.stdout.isTTY === true;
    const width = tty ? terminalColumns(process.stdout, 80) : 80;
    const writer = FORMATS[format]!(plan.columns, text, { ...(tty ? { fitWidth: width } : {}), width, color: colorWanted("auto", process.stdout), terminal: tty || !batch, chart: chartInfo(plan) });
    const append = (c: string): void => {
      try {
        appendFileSync(file!, c);
      } catch (e) {
        throw fileError(e, "cannot write the file", file!);
      }
    };
    const all = file ? FORMATS[s.format === "table" ? "csv" : s.format]!(plan.columns, bufferedOut(append), {}) : undefined;
    let rows = 0;
    try {
      const r = await runPlan(plan, reader, {
        row(v) {
          rows++;
          writer.row(v);
          all?.row(v);
        },
        end() {
          writer.end();
          all?.end();
        },
      }, { signal, ...select, warn: warnOnce, onProgress: (x) => progress.update(x), reopen: (p) => new Reader(s.inputs, { warn: warnOnce, signal, ...withFiles, ...scanReaderOptions(p, select, s.inputs) }) });
      progress.done();
      if (!batch) {
        // the rows' lines (the text ends with a line break: no line after it), as many as fit the
        // screen's rows, a long line (a JSON row) taking the rows it wraps onto
        const lines = kept.replace(/\n$/, "").split("\n");
        const shown = screenful(lines, room, tty ? width : Infinity);
        out(shown.text);
        if (lineCount > shown.lines) out(`… ${plural(rows, "row")} in all (${plural(lineCount - shown.lines, "more line")})${file ? "" : ": .output FILE writes them all"}`);
      }
      for (const w of r.warnings) warnLine(w);
      const parts = [plural(rows, "row"), `${plural(r.read.eventsRead, "event")} parsed`];
      if (r.read.filesUnmatched) parts.push(`${plural(r.read.filesUnmatched, "file")} ruled out by the filter's text`);
      if (r.read.indexed?.files) parts.push(`${plural(r.read.indexed.files, "file")} ruled out by the folder's index`);
      if (s.timer) parts.push(`${(r.elapsedMs / 1000).toFixed(2)} s`);
      if (note) parts.push(note);
      // what was skipped or left out, as the CLI's summary says it
      parts.push(...runFacts(r));
      if (r.interrupted) parts.push("cancelled");
      if (file) parts.push(`all rows written to ${visible(file)}`);
      if (remote) parts.push(remote.note());
      out(`(${parts.join(", ")})`);
    } finally {
      running = undefined;
      progress.done();
      remote?.close();
    }
  };

  /** `.detect [RULES...]`: the timeline's first lines and the summary, over the session's inputs and range. */
  const detect = async (rules: string[]): Promise<void> => {
    const { prepareDetection, rulesRun } = await import("../detect/index.js");
    const { TABLE_COLUMNS, findingValues, summarize, summaryText } = await import("../detect/report.js");
    checkInputs(rules);
    const prepared = prepareDetection({ rules, bundled: true, now: Date.now(), cache: true, runWith: ".run" });
    running = new AbortController();
    const signal = running.signal;
    try {
      const range = rangeNow();
      const r = await withRemote({ ...range }, signal, (remote) => prepared.detector.run(s.inputs, { warn: sayWarning, range, signal, keepDuplicates, ...(remote ? { remote } : {}) }));
      const chunks: string[] = [];
      const width = terminalColumns(process.stdout, 80);
      const room = Math.max(10, (process.stdout.rows ?? 40) - 20);
      const first = r.findings.slice(0, room);
      // the detail column (what made a correlation fire) only when a finding shown has one, and the
      // rows as blocks under .vertical: the columns share the screen's width
      const detail = first.some((f) => f.detail !== undefined);
      const columns = detail ? TABLE_COLUMNS : TABLE_COLUMNS.slice(0, -1);
      const writer = FORMATS[s.vertical ? "vertical" : "table"]!(columns, bufferedOut((c) => chunks.push(c)), { fitWidth: width, width, terminal: true });
      for (const f of first) writer.row(detail ? findingValues(f, false) : findingValues(f, false).slice(0, -1));
      writer.end();
      out(chunks.join(""));
      if (r.findings.length > room) out(`… ${r.findings.length} findings in all: trailq detect -f jsonl (from a shell) writes them all`);
      const run = rulesRun(prepared);
      for (const l of summaryText(summarize(r, run), run, r)) out(visible(l));
      if (s.output) out(`(.output ${visible(s.output)} is kept for the next query: .detect writes to the screen only)`);
    } finally {
      running = undefined;
    }
  };

  /** `.index`: builds or brings up to date the field index of the session's folders (trailq index). */
  const index = async (): Promise<void> => {
    const { buildIndex } = await import("../exec/index-build.js");
    const { indexedNote } = await import("./index-command.js");
    // not standard input, nor an s3:// location (no folder here)
    const folders = s.inputs.filter((i) => i !== "-" && isFolder(i));
    if (folders.length === 0) {
      out("no folder among the inputs to index (.source FOLDER reads one)");
      return;
    }
    running = new AbortController();
    try {
      for (const folder of folders) {
        const built = await buildIndex(folder, { warn: sayWarning, signal: running.signal });
        if (built.interrupted) {
          out("cancelled: the index is left as it was");
          return;
        }
        out(visible(indexedNote(folder, built)));
      }
    } finally {
      running = undefined;
    }
  };

  const dot = async (line: string): Promise<boolean> => {
    const [cmd, ...args] = line.trim().split(/\s+/);
    /** An on/off argument, or the setting as it is (`now`) without one; anything else is an error, not a silent on. */
    const onOff = (name: string, now: boolean): boolean => {
      if (args.length > 1 || (args[0] !== undefined && args[0] !== "on" && args[0] !== "off")) throw new UserError(`${name} on|off`);
      return args[0] === undefined ? now : args[0] === "on";
    };
    const rest = line.trim().slice(cmd!.length).trim();
    switch (cmd) {
      case ".help":
        out(HELP);
        break;
      case ".quit":
      case ".exit":
        return false;
      case ".templates":
        // a team's templates folder is anyone's to write: its titles are shown escaped (as `trailq templates` shows them)
        for (const t of library().templates.values()) out(`  ${padToWidth(visible(t.id), 42)} ${visible(t.title)}`);
        break;
      case ".run": {
        if (!args[0]) throw new UserError(".run ID [name=value ...]: .templates lists the ids");
        const t = library().templates.get(args[0]);
        if (!t) throw new UserError(`no template ${args[0]} (.templates lists them)`);
        const values = paramPairs(runPairs(rest.slice(args[0].length)));
        const query = parseQuery(t.query);
        current = t.query;
        // a template's parameters are bound as values, never written into query text: no text to go on from
        lastQuery = undefined;
        noLastQuery = `the last was the template ${t.id}, whose query is not text with its values in it: type the query`;
        if (!usesAnchor(t)) {
          await run(bindTemplate(t, query, values));
          break;
        }
        // the window of a "first seen" template ends at the range's end, else at the newest event;
        // Ctrl-C stops the search for it as it stops a query
        const range = rangeNow();
        running = new AbortController();
        const signal = running.signal;
        let anchor: Awaited<ReturnType<typeof findAnchor>>;
        try {
          anchor = await withRemote({ ...range }, signal, (remote) => findAnchor(bindTemplate(t, query, values, { anchor: 0 }), s.inputs, { range, now: Date.now(), signal, ...(remote ? { remote } : {}) }));
        } finally {
          running = undefined;
        }
        if (signal.aborted) {
          out("(cancelled)");
          break;
        }
        await run(bindTemplate(t, query, values, { anchor: anchor.at }), anchorNote(anchor));
        break;
      }
      case ".source":
        if (!args.length) out(`reading: ${visible(s.inputs.join(" "))}`);
        else {
          checkInputs(args);
          s.inputs = args;
          // the old inputs' fields are not these: .fields samples now until the new ones are in
          s.fields = new FieldShares();
          void learnFields(s);
          out(`reading: ${visible(s.inputs.join(" "))}`);
        }
        break;
      case ".since":
        s.range = parseTimeRange({ since: rest }, Date.now());
        s.since = rest;
        out(`time range: the last ${visible(rest)} at each query (now from ${momentText(s.range.start!)})`);
        break;
      case ".range":
        // none: the range as it is (as .tz and .source show theirs)
        if (rest) {
          // a date and its time may be two words (2026-11-02 10:00), as --start "2026-11-02 10:00" takes them
          const times = args.reduce<string[]>((acc, a) => (/^\d{1,2}:\d{2}/.test(a) && /^\d{4}-\d{2}-\d{2}$/.test(acc[acc.length - 1] ?? "") ? [...acc.slice(0, -1), `${acc[acc.length - 1]} ${a}`] : [...acc, a]), []);
          if (times.length > 2) throw new UserError(".range START [END]: two times at most (a date and its time may be two words)");
          s.range = rest === "off" ? {} : parseTimeRange({ start: times[0]!, ...(times[1] ? { end: times[1] } : {}) }, Date.now(), displayZone());
          s.since = undefined;
        }
        if (s.since !== undefined) out(`time range: the last ${visible(s.since)} at each query`);
        else out(s.range.start === undefined && s.range.end === undefined ? "time range: all" : `time range: ${s.range.start === undefined ? "the start" : momentText(s.range.start)} to ${s.range.end === undefined ? "the end" : momentText(s.range.end)}`);
        break;
      case ".format":
        if (!args[0] || !FORMATS[args[0]]) throw new UserError(`formats: ${Object.keys(FORMATS).join(", ")}`);
        s.format = args[0];
        break;
      case ".chart":
        s.chart = onOff(".chart", s.chart);
        out(`chart: ${s.chart ? "on" : "off"}`);
        break;
      case ".vertical":
        s.vertical = args.length ? onOff(".vertical", s.vertical) : !s.vertical;
        out(`vertical: ${s.vertical ? "on (a block per row)" : "off"}`);
        break;
      case ".tz":
        if (rest) setDisplayZone(parseZone(rest, ".tz"));
        out(`times show in ${displayZone().name}${displayZone().utc ? "" : " (bin() still floors in UTC)"}`);
        break;
      case ".timer":
        s.timer = onOff(".timer", s.timer);
        out(`timer: ${s.timer ? "on" : "off"}`);
        break;
      case ".output":
        // a file that cannot be written says so now
        if (args[0] && args[0] !== "off") checkWritable(args[0], "the file");
        s.output = !args[0] || args[0] === "off" ? undefined : args[0];
        out(s.output ? `the next results go to ${visible(s.output)} too` : "output: the screen only");
        break;
      case ".save": {
        if (!rest) throw new UserError("give the query a name: .save NAME");
        if (!lastQuery) throw new UserError(`no query to save (${noLastQuery}): run one, then .save NAME`);
        try {
          saveQuery({ name: rest, query: lastQuery });
        } catch (e) {
          throw new UserError(`cannot save the query: ${(e as Error).message}`);
        }
        out(`saved as ${visible(rest)} (the web console lists it too)`);
        break;
      }
      case ".saved": {
        const saved = readSaved();
        if (!rest) {
          if (!saved.length) out("no saved queries yet: .save NAME saves the last query");
          for (const q of saved) out(`  ${visible(q.name).padEnd(30)} ${visible(q.query.replace(/\s+/g, " "))}`);
          break;
        }
        const q = saved.find((x) => x.name === rest);
        if (!q) throw new UserError(`no saved query ${rest} (.saved lists them)`);
        current = q.query;
        await run(parseQuery(q.query), undefined, q.query);
        break;
      }
      case ".fields":
        // piped (no sampling at the start), or asked before the session's sampling is done: sampled now
        if (s.fields.size === 0) await learnFields(s);
        out(`the fields of the first ${plural(s.fields.events, "event")} read (each copy once), with the share that has each (as ispresent has it):`);
        for (const [f, share] of [...s.fields].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))) out(`  ${padToWidth(visible(f), 60)} ${share > 0 && share < 0.005 ? "<1" : Math.round(share * 100)}%`);
        break;
      case ".explain":
        current = rest;
        out(explainPlan(buildPlan(parseQuery(rest))));
        break;
      case ".detect":
        await detect(args);
        break;
      case ".index":
        await index();
        break;
      case ".sigma": {
        if (!args[0]) throw new UserError(".sigma FILE: a Sigma rule file");
        const { sigmaQueries } = await import("./sigma.js");
        const { queries, problems } = sigmaQueries(rest);
        for (const p of problems) sayWarning(p);
        for (const q of queries) {
          out(shownText(q.query, terminal));
          // the rule's query, to refine with a | line (without its # lines: they would be all
          // that shows of it when the query is echoed on one line)
          current = q.query;
          await run(parseQuery(q.query), undefined, q.query.replace(/^(?:#.*\n)+/, ""));
        }
        break;
      }
      default:
        throw new UserError(`unknown command ${cmd}: .help lists them`);
    }
    return true;
  };

  /** One line: a query (or its part) or a dot command; false when the session ends (.quit). `last`: the input ended (what is left runs, complete or not). */
  const handle = async (line: string, last = false): Promise<boolean> => {
    buffer = buffer ? `${buffer}\n${line}` : line;
    if (!buffer.trim()) {
      buffer = "";
      return true;
    }
    // a dot command may follow spaces; a query's first line may not be one
    const dotted = buffer.trimStart().startsWith(".");
    if (!last && !dotted && needsMore(buffer)) return true;
    const text = dotted ? buffer.trim() : buffer;
    buffer = "";
    current = undefined;
    try {
      if (text.startsWith(".")) {
        if (!batch) remember(text);
        return await dot(text);
      }
      // a line that starts with | goes on from the last query (as the lines of a Logs Insights
      // query do): `fields eventName`, then `| filter eventName = "ConsoleLogin"`, runs both; so
      // does one that starts with `and` or `or` (no query starts so), as a filter pasted over lines
      // goes on (the bundled templates are written so): it was an error, and the `| stats` line
      // after it went on from the filter without its condition
      const continued = CONTINUATION.test(text);
      if (continued && (lastQuery === undefined || lastFailed)) {
        if (!batch) remember(text);
        const why = lastQuery === undefined ? `there is none (${noLastQuery})` : "the query before this line had an error (this line is not run after an earlier one)";
        throw new UserError(`a line that starts with |, and or or goes on from the last query, and ${why}: type the whole query`);
      }
      const query = continued ? `${lastQuery}\n${text.trim()}` : text;
      // the history holds the query that ran (the web console runs it from there), in this session
      // too: recalled as typed, a | line would go on from the query it had made (and run it twice)
      if (!batch) {
        remember(query);
        asOneEntry((rl as unknown as { history: string[] }).history, text, query);
      }
      // on one line, but line by line when it may hold a # comment (which ends at its line: on one
      // line it would hide the rest of the query)
      const lines = query.split("\n").map((l) => l.trim()).filter(Boolean);
      if (query !== text) out(`(after the last query: ${lines.map((l) => visible(l)).join(query.includes("#") ? "\n  " : " ")})`);
      // a syntax error is shown with its caret before anything is read; the last query is one that planned
      current = query;
      lastFailed = true;
      await run(parseQuery(query), undefined, query);
      lastFailed = false;
    } catch (e) {
      if (e instanceof QueryError) fail(e.format(current ?? text));
      else if (e instanceof UserError) fail(`error: ${visible(e.message)}`);
      else if (errorCode(e) !== undefined) fail(`error: ${visible((e as Error).message)}`);
      else throw e;
      if (batch) process.exitCode = e instanceof UserError ? e.exitCode : ExitCode.path;
    }
    return true;
  };

  if (batch) {
    // one line after another; Ctrl-C stops the query running and the script
    for await (const line of rl) {
      if (!(await handle(line)) || interrupted) break;
    }
    // a query left open at the end runs as it is (its error says what is missing)
    if (buffer.trim() && !interrupted) await handle("", true);
    rl.close();
    process.off("SIGINT", onSigint);
    if (interrupted) process.exitCode = ExitCode.interrupted;
    return;
  }

  await new Promise<void>((resolve) => {
    rl.on("close", () => {
      out("");
      resolve();
    });
    let handling = false;
    rl.on("line", (line: string) => {
      // the prompt keeps reading while a query runs, so that Ctrl-C reaches it; a line that comes
      // meanwhile (pasted with others, typed ahead) waits its turn
      queued.push(line);
      if (handling) return;
      handling = true;
      void (async () => {
        while (queued.length) {
          if (!(await handle(queued.shift()!))) return rl.close();
          // a Ctrl-C pressed in the query's last steps (which do not let the event loop turn) is
          // heard now, before the next line runs: it drops the lines queued, not the next query
          await new Promise<void>((r) => setImmediate(r));
        }
        handling = false;
        prompt();
      })();
    });
    prompt();
  });
}

/**
 * The fields of the session's inputs, sampled (in the background, or awaited by .fields): kept only
 * if the inputs are still those (a sampling of an earlier .source that ends after the later one's is
 * dropped).
 */
function learnFields(s: { inputs: string[]; fields: FieldShares }): Promise<void> {
  const inputs = s.inputs;
  return discoverFields(inputs).then((f) => {
    if (s.inputs === inputs) s.fields = f;
  });
}
