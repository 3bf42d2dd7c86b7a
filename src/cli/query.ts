// `trailq query QUERY [PATH...]`: parse, check, plan, run, print.
import { parseQuery, type Query } from "../lang/index.js";
import { buildPlan } from "../plan/build.js";
import type { Plan } from "../plan/plan.js";
import { runPlan, scanReaderOptions, scanSelection } from "../exec/run.js";
import { Reader, readOnceInputs, unreadableInput, type SkippedInput, type SourceFile } from "../sources/index.js";
import { FORMATS } from "../output/index.js";
import type { ResultSink } from "../exec/pipeline.js";
import { colorWanted, memoryBudget, parseOptions, QueryOptionsSchema, zoneOption } from "./options.js";
import { workersSetting } from "../exec/parallel.js";
import { SAMPLE_TRAIL, checkInputs, interruptible, note, onceEach, stdinIsPiped, stdoutText, terminalColumns, warn as warnLine } from "./io.js";
import { summaryLine } from "./summary.js";
import { ExitCode, UserError } from "../errors.js";
import { parseTimeRange, type TimeRange } from "../time/range.js";
import { LookupTables } from "../lookup/tables.js";
import { PROGRESS_TICK_MS, createProgress, type Progress, type ProgressTotals } from "./progress.js";
import { chartFileSink, chartInfo, type ChartType } from "../output/charts/index.js";
import { checkWritable } from "../output/files.js";
import type { RemoteFiles } from "../sources/types.js";
import type { Selection } from "../sources/prune.js";
import type { S3CliOptions } from "./options.js";
import type { S3Inputs } from "../sources/s3/remote.js";
import { isS3Url } from "../sources/s3/url.js";

/**
 * The reader's problem that standard input ended inside a document or line (or a gzip or zip
 * stream): warned with the problem, and recorded even past the warnings shown for one file.
 */
const stdinCut = (p: SkippedInput): boolean => p.file === "-" && p.reason.startsWith("truncated");

/** The inputs to read: the given paths (which must exist), else piped stdin, else the bundled sample trail. */
export function resolveInputs(paths: string[], quiet: boolean): string[] {
  checkInputs(paths);
  if (paths.length > 0) return paths;
  if (stdinIsPiped()) return ["-"];
  if (!quiet) note(`no input given: querying the bundled sample trail (${SAMPLE_TRAIL})`);
  return [SAMPLE_TRAIL];
}

/**
 * A query that needs the inputs and the selection before it can be made: a template measured from
 * its anchor (src/templates/anchor.ts). `note` goes on the summary line.
 */
export type PreparedQuery = (ctx: { inputs: string[]; range: TimeRange; accounts?: string[]; regions?: string[]; now: number; remote?: RemoteFiles }) => Promise<{ query: Query; note: string }>;

/**
 * The s3:// inputs listed (src/sources/s3/, loaded only when one is given; the AWS SDK only when
 * something must be listed or fetched), pruned by `select`; undefined when every input is local.
 * Interrupted (`signal`), the listing so far. `onProgress`: as the listing and the fetching go.
 */
export async function openRemote(inputs: string[], select: Selection, opts: S3CliOptions, signal?: AbortSignal, onProgress?: (s: S3Inputs) => void): Promise<S3Inputs | undefined> {
  if (!inputs.some(isS3Url)) return undefined;
  const { S3Inputs } = await import("../sources/s3/remote.js");
  return S3Inputs.open(inputs, {
    select,
    cache: opts.cache,
    refresh: opts.refresh,
    ...(signal ? { signal } : {}),
    ...(onProgress ? { onProgress } : {}),
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.endpointUrl ? { endpoint: opts.endpointUrl } : {}),
    ...(opts.s3Concurrency ? { concurrency: opts.s3Concurrency } : {}),
    ...(s3TimeoutMs() ? { timeoutMs: s3TimeoutMs()! } : {}),
    ...(opts.verbose ? { log: note } : {}),
  });
}

/**
 * The progress line of a run over `inputs` (standard error). With s3:// inputs it says what S3
 * listed and fetched (`seen`, given to openRemote, tells it the inputs), and a timer redraws it
 * while S3 is waited for: the scan tells nothing then.
 */
export function progressFor(inputs: string[], o: { enabled: boolean; total?: Promise<ProgressTotals | undefined> }): { progress: Progress; seen: (s: S3Inputs) => void } {
  let s3: S3Inputs | undefined;
  const remote = inputs.some(isS3Url) ? { extra: () => s3?.progress(), tickMs: PROGRESS_TICK_MS } : {};
  const progress = createProgress({ ...o, stream: process.stderr, ...remote });
  return {
    progress,
    seen: (s) => {
      s3 = s;
      progress.update();
    },
  };
}

/** TRAILQ_S3_TIMEOUT: seconds an S3 request may go without a byte (default 30). */
function s3TimeoutMs(): number | undefined {
  const t = process.env["TRAILQ_S3_TIMEOUT"];
  if (t === undefined || t === "") return undefined;
  const n = Number(t);
  if (!(n > 0)) throw new UserError(`bad value for TRAILQ_S3_TIMEOUT ${JSON.stringify(t)}: not a number of seconds`, ExitCode.usage);
  return Math.round(n * 1000);
}


/** Runs a query given as text, or already parsed (a template with its parameters bound), or prepared. */
export async function queryCommand(queryText: string, paths: string[], rawOpts: Record<string, unknown>, parsed?: Query | PreparedQuery): Promise<void> {
  const opts = parseOptions(QueryOptionsSchema, rawOpts);
  // an option that would do nothing says so (a user who asked for a pie would otherwise get a table)
  if (opts.chartType && !opts.chart) throw new UserError("--chart-type is the type of the --chart FILE: give one (-f chart draws in the terminal by itself)", ExitCode.usage);
  if (opts.fill && !opts.chart && opts.format !== "chart") throw new UserError("--fill fills a chart's empty buckets: give --chart FILE or -f chart", ExitCode.usage);
  workersSetting(); // a bad TRAILQ_WORKERS is an error before anything runs
  const now = Date.now();
  const range = parseTimeRange(opts, now, zoneOption(opts));
  const lookups = new LookupTables(opts.lookup);
  const given = typeof parsed === "function" ? undefined : buildPlan(parsed ?? parseQuery(queryText), { now, lookups });
  const inputs = resolveInputs(paths, opts.quiet);
  const unreadable = unreadableInput(inputs);
  if (unreadable) throw new UserError(unreadable, ExitCode.path);
  const notes: string[] = [];
  const cliSelect = { range, ...(opts.account ? { accounts: opts.account } : {}), ...(opts.region ? { regions: opts.region } : {}) };
  if (opts.engine === "duckdb" && inputs.some(isS3Url)) throw new UserError("--engine duckdb reads local files: s3:// inputs are read by the native engine", ExitCode.usage);
  // DuckDB reads with ignore_errors: what it skips, it does not say
  if (opts.engine === "duckdb" && opts.strict) throw new UserError("--strict needs the native engine: DuckDB skips the JSON it can't read without saying what (leave out --engine duckdb to have it counted)", ExitCode.usage);
  if (opts.engine === "duckdb" && opts.memory !== undefined) throw new UserError("--memory bounds the native engine: DuckDB manages its own memory, and reads each Records document whole (leave out --engine duckdb to keep to the budget)", ExitCode.usage);
  // its bounds checked before anything is listed, fetched or written
  const memory = opts.memory === undefined ? {} : { memory: memoryBudget(opts.memory) };

  // the progress line (standard error, on a terminal) is erased before rows or a warning print; it
  // is drawn from the start, so that the listing of s3:// inputs shows on it too
  let listed: (totals: ProgressTotals) => void = () => {};
  const { progress, seen } = progressFor(inputs, { enabled: !opts.quiet && process.stderr.isTTY === true, total: new Promise((resolve) => (listed = resolve)) });
  let remote: S3Inputs | undefined;
  // Ctrl-C stops listing and reading and prints what was found; a second one ends at once
  const interrupt = interruptible(() => {
    // the terminal echoed ^C: the progress line is erased with it, else the output starts below it
    if (process.stderr.isTTY && !progress.clear()) process.stderr.write("\n");
  });
  try {
    // s3:// inputs are listed once, for the plan's selection (a template's, before its anchor: the options')
    const selection = given ? scanSelection(given, cliSelect) : { ...cliSelect.range, ...cliSelect };
    remote = await openRemote(inputs, selection, opts, interrupt.signal, seen);
    await runQuery();
  } finally {
    progress.done();
    interrupt.off();
    remote?.close();
  }

  async function runQuery(): Promise<void> {
    let plan: Plan;
    if (given) plan = given;
    else {
      const ready = await (parsed as PreparedQuery)({ inputs, range, ...(opts.account ? { accounts: opts.account } : {}), ...(opts.region ? { regions: opts.region } : {}), now, ...(remote ? { remote } : {}) });
      plan = buildPlan(ready.query, { now, lookups });
      notes.push(ready.note);
    }
    // a chart file that cannot be written says so now, not after the scan
    if (opts.chart) checkWritable(opts.chart, "the chart file");

    const tty = process.stdout.isTTY === true;
    // Ctrl-C on `producer | trailq`: the terminal signals both at once, the producer ends, and
    // standard input with it, cut short; whether trailq hears the signal or the end of its input
    // first is a race. So the warning that standard input was cut short waits for the end of the
    // run: it is dropped if the run was interrupted, and said then otherwise.
    let cutShort: string | undefined;
    const say = onceEach((m) => {
      progress.clear();
      warnLine(m);
    });
    const warn = (m: string, problem?: SkippedInput): void => {
      if (cutShort === undefined && problem !== undefined && stdinCut(problem)) {
        cutShort = m;
        return;
      }
      say(m);
    };
    const { out, closed } = stdoutText(tty ? () => progress.clear() : undefined);
    const stop = AbortSignal.any([closed, interrupt.signal]);

    const info = chartInfo(plan, opts.fill ? { ...(range.start !== undefined ? { start: range.start } : {}), ...(range.end !== undefined ? { end: range.end } : {}) } : undefined);
    const width = tty ? terminalColumns(process.stdout, 80) : 80;
    const writer = FORMATS[opts.format]!(plan.columns, out, {
      ...(tty ? { fitWidth: width } : {}),
      width,
      color: colorWanted(opts.color, process.stdout),
      terminal: tty,
      csvRaw: opts.csvRaw,
      chart: info,
    });
    const chartFile = opts.chart
      ? chartFileSink(plan, opts.chart, (opts.chartType ?? (plan.timeSeries ? "line" : "bar")) as ChartType, info)
      : undefined;
    let total = 0;
    let shown = 0;
    const sink: ResultSink = {
      row(values) {
        total++;
        chartFile?.row(values);
        if (opts.maxRows === undefined || shown < opts.maxRows) {
          shown++;
          writer.row(values);
        }
      },
      end() {
        writer.end();
        chartFile?.end();
      },
    };
    const select = { range, ...(opts.account ? { accounts: opts.account } : {}), ...(opts.region ? { regions: opts.region } : {}), keepDuplicates: opts.keepDuplicates };
    if (opts.engine === "duckdb") {
      interrupt.off();
      const { runDuckdb } = await import("../sql/duckdb.js");
      const r = await runDuckdb(plan, inputs, { ...select, warn });
      for (const row of r.rows) sink.row(row);
      sink.end();
      for (const w of plan.warnings) warn(w);
      if (!opts.quiet) note([`DuckDB over ${r.files} file${r.files === 1 ? "" : "s"}`, `${total} row${total === 1 ? "" : "s"}${shown < total ? ` (${shown} shown)` : ""}`, ...notes, "JSON DuckDB can't read is skipped uncounted (the native engine warns)"].join(" · "));
      return;
    }
    const open = (p: Plan = plan): Reader => new Reader(inputs, { warn, signal: stop, ...(remote ? { remote } : {}), ...scanReaderOptions(p, select, inputs) });
    const reader = open();
    // the scan lists its files first: their number and size give the progress bar its ETA
    const onListed = (files: SourceFile[]): void => listed({ files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) });
    try {
      const result = await runPlan(plan, reader, sink, { signal: stop, warn, onListed, onProgress: (r) => progress.update(r), ...select, ...memory, ...(readOnceInputs(inputs).length > 0 ? {} : { reopen: open }) });
      // (interrupted while listing: no file may have been read to notice it)
      if (interrupt.signal.aborted) result.interrupted = true;
      progress.done();
      if (result.read.skipped.some(stdinCut)) {
        // the signal that came with the end of the input, if any, is heard within this wait
        if (!interrupt.signal.aborted) await new Promise((r) => setTimeout(r, 200));
        if (interrupt.signal.aborted) {
          result.interrupted = true;
          result.read.skipped = result.read.skipped.filter((x) => !stdinCut(x));
        } else if (cutShort !== undefined) warnLine(cutShort);
      }
      for (const w of result.warnings) warn(w);
      if (remote) notes.push(remote.note());
      if (!opts.quiet) note(summaryLine(result, total, shown, notes));
      if (interrupt.signal.aborted) process.exitCode = ExitCode.interrupted;
      else if (opts.strict && result.read.skipped.length > 0) process.exitCode = ExitCode.skipped;
    } catch (e) {
      // an error after the scan (a chart file that cannot be written) prints on a clean line
      progress.done();
      throw e;
    }
  }
}
