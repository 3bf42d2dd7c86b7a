// `trailq query QUERY [PATH...]`: parse, check, plan, run, print.
import { parseQuery, type Query } from "../lang/index.js";
import { buildPlan } from "../plan/build.js";
import type { Plan } from "../plan/plan.js";
import { runPlan, scanReaderOptions } from "../exec/run.js";
import { Reader, unreadableInput, type SourceFile } from "../sources/index.js";
import { FORMATS } from "../output/index.js";
import type { ResultSink } from "../exec/pipeline.js";
import { colorWanted, memoryBudget, parseOptions, QueryOptionsSchema } from "./options.js";
import { workersSetting } from "../exec/parallel.js";
import { SAMPLE_TRAIL, checkInputs, note, stdinIsPiped, stdoutText, warn as warnLine } from "./io.js";
import { summaryLine } from "./summary.js";
import { ExitCode, UserError } from "../errors.js";
import { parseTimeRange, type TimeRange } from "../time/range.js";
import { LookupTables } from "../lookup/tables.js";
import { createProgress, type ProgressTotals } from "./progress.js";
import { chartFileSink, chartInfo, type ChartType } from "../output/charts/index.js";
import { checkWritable } from "../output/files.js";

/** The reader's warning that standard input ended inside a document (or a gzip or zip stream). */
const STDIN_CUT = /^-: (?:entry [^:]*: )?(?:truncated |gzip data ends early|zip entry .* ends early)/;

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
export type PreparedQuery = (ctx: { inputs: string[]; range: TimeRange; since: boolean; accounts?: string[]; regions?: string[]; now: number }) => Promise<{ query: Query; note: string }>;

/** Runs a query given as text, or already parsed (a template with its parameters bound), or prepared. */
export async function queryCommand(queryText: string, paths: string[], rawOpts: Record<string, unknown>, parsed?: Query | PreparedQuery): Promise<void> {
  const opts = parseOptions(QueryOptionsSchema, rawOpts);
  workersSetting(); // a bad TRAILQ_WORKERS is an error before anything runs
  const now = Date.now();
  const range = parseTimeRange(opts, now);
  const lookups = new LookupTables(opts.lookup);
  const given = typeof parsed === "function" ? undefined : buildPlan(parsed ?? parseQuery(queryText), { now, lookups });
  const inputs = resolveInputs(paths, opts.quiet);
  const unreadable = unreadableInput(inputs);
  if (unreadable) throw new UserError(unreadable, ExitCode.path);
  const notes: string[] = [];
  let plan: Plan;
  if (given) plan = given;
  else {
    const ready = await (parsed as PreparedQuery)({ inputs, range, since: opts.since !== undefined, ...(opts.account ? { accounts: opts.account } : {}), ...(opts.region ? { regions: opts.region } : {}), now });
    plan = buildPlan(ready.query, { now, lookups });
    notes.push(ready.note);
  }
  // a chart file that cannot be written says so now, not after the scan
  if (opts.chart) checkWritable(opts.chart, "the chart file");

  // the progress line (standard error, on a terminal) is erased before rows or a warning print
  const tty = process.stdout.isTTY === true;
  let listed: (totals: ProgressTotals) => void = () => {};
  const progress = createProgress({
    enabled: !opts.quiet && process.stderr.isTTY === true,
    stream: process.stderr,
    total: new Promise((resolve) => (listed = resolve)),
  });
  // Ctrl-C on `producer | trailq`: the terminal signals both at once, the producer ends, and
  // standard input with it, cut short; whether trailq hears the signal or the end of its input
  // first is a race. So the warning that standard input was cut short waits for the end of the
  // run: it is dropped if the run was interrupted, and said then otherwise.
  let cutShort: string | undefined;
  const warn = (m: string): void => {
    if (cutShort === undefined && STDIN_CUT.test(m) && inputs.includes("-")) {
      cutShort = m;
      return;
    }
    progress.clear();
    warnLine(m);
  };
  const { out, closed } = stdoutText(tty ? () => progress.clear() : undefined);
  const interrupt = new AbortController();
  // Ctrl-C stops reading and prints what was found; a second one ends at once (exiting removes
  // the spill files: spill.ts)
  const atOnce = (): never => process.exit(ExitCode.interrupted);
  const onSigint = (): void => {
    // the terminal echoed ^C: the progress line is erased with it, else the output starts below it
    if (process.stderr.isTTY && !progress.clear()) process.stderr.write("\n");
    interrupt.abort();
    process.once("SIGINT", atOnce);
  };
  process.once("SIGINT", onSigint);
  const stop = AbortSignal.any([closed, interrupt.signal]);

  const info = chartInfo(plan, opts.fill ? { ...(range.start !== undefined ? { start: range.start } : {}), ...(range.end !== undefined ? { end: range.end } : {}) } : undefined);
  const writer = FORMATS[opts.format]!(plan.columns, out, {
    ...(tty ? { fitWidth: process.stdout.columns ?? 80 } : {}),
    width: tty ? (process.stdout.columns ?? 80) : 80,
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
  const memory = opts.memory === undefined ? {} : { memory: memoryBudget(opts.memory) };
  if (opts.engine === "duckdb") {
    process.off("SIGINT", onSigint);
    const { runDuckdb } = await import("../sql/duckdb.js");
    const r = await runDuckdb(plan, inputs, { ...select, warn });
    for (const row of r.rows) sink.row(row);
    sink.end();
    for (const w of plan.warnings) warn(w);
    if (!opts.quiet) note([`DuckDB over ${r.files} file${r.files === 1 ? "" : "s"}`, `${total} row${total === 1 ? "" : "s"}${shown < total ? ` (${shown} shown)` : ""}`, ...notes].join(" · "));
    return;
  }
  const open = (p: Plan = plan): Reader => new Reader(inputs, { warn, signal: stop, ...scanReaderOptions(p, select) });
  const reader = open();
  // the scan lists its files first: their number and size give the progress bar its ETA
  const onListed = (files: SourceFile[]): void => listed({ files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) });
  try {
    const result = await runPlan(plan, reader, sink, { signal: stop, warn, onListed, onProgress: (r) => progress.update(r), ...select, ...memory, ...(inputs.includes("-") ? {} : { reopen: open }) });
    progress.done();
    if (cutShort !== undefined) {
      // the signal that came with the end of the input, if any, is heard within this wait
      if (!interrupt.signal.aborted) await new Promise((r) => setTimeout(r, 200));
      if (interrupt.signal.aborted) {
        result.interrupted = true;
        result.read.skipped = result.read.skipped.filter((x) => !(x.file === "-" && x.reason.startsWith("truncated")));
      } else warnLine(cutShort);
    }
    for (const w of result.warnings) warn(w);
    if (!opts.quiet) note(summaryLine(result, total, shown, notes));
    if (interrupt.signal.aborted) process.exitCode = ExitCode.interrupted;
    else if (opts.strict && result.read.skipped.length > 0) process.exitCode = ExitCode.skipped;
  } catch (e) {
    // an error after the scan (a chart file that cannot be written) prints on a clean line
    progress.done();
    throw e;
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGINT", atOnce);
  }
}
