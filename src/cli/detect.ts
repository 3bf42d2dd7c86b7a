// `trailq detect [PATH...]`: the bundled detection and CIS templates and the Sigma rules of --rules,
// all in one pass over the inputs; the findings as a timeline, then the summary on standard error.
import { existsSync } from "node:fs";
import { z } from "../zod.js";
import { ExitCode, UserError } from "../errors.js";
import { fixedRunRows } from "../output/index.js";
import { visible } from "../output/safe.js";
import { parseTimeRange } from "../time/range.js";
import { MEMORY_SIZE, S3_OPTIONS, SELECTION_OPTIONS, digits, parseOptions, zoneOption } from "./options.js";
import { openRemote, progressFor, resolveInputs } from "./query.js";
import { interruptible, stdoutText, terminalColumns, warn as warnLine } from "./io.js";
import { unreadableInput } from "../sources/index.js";
import { prepareDetection, rulesRun } from "../detect/index.js";
import type { NotRun } from "../detect/load.js";
import { JSON_COLUMNS, TABLE_COLUMNS, findingValues, findingWriter, summarize, summaryText } from "../detect/report.js";
import { grouped, plural } from "./summary.js";
import { TimelineSort, type TimelineOverflow } from "../detect/timeline-sort.js";
import { LEVELS, levelRank, type Level } from "../detect/rule.js";
import { SortOp } from "../exec/operators/sort.js";
import { lateRowsWarning } from "../exec/scan.js";
import type { Operator } from "../exec/operators/operator.js";
import { Row } from "../exec/row.js";
import { MemoryBudget, defaultMemory, heapKeeper } from "../exec/memory.js";
import type { Value } from "../exec/values.js";
import { memoryBudget } from "./options.js";
import type { S3Inputs } from "../sources/s3/remote.js";

/** What the timeline's sort holds before it spills, by default: detect keeps to a few hundred MB whatever the findings. */
const DETECT_MEMORY = 128 * 1024 * 1024;

/** What a finding held in the timeline costs, about (its event shared with its other findings). */
const HELD_FINDING_BYTES = 512;

/**
 * The timeline past its limit: findings as rows of their values in a sort that spills to disk past
 * the memory budget, in the timeline's order (time, the rule's title by its rank, then Row.pos).
 */
function spillingTimeline(memory: MemoryBudget, json: boolean, write: (values: Value[]) => void): TimelineOverflow {
  const print: Operator = { push: (row) => write(row.x!["v"] as Value[]), end() {} };
  const sort = new SortOp(
    [
      { eval: (row) => (Number.isNaN(row.timestamp) ? undefined : row.timestamp), desc: false },
      { eval: (row) => row.x!["rank"], desc: false },
    ],
    undefined,
    print,
    true,
    memory,
  );
  return {
    push(f) {
      const row = new Row(null, null, 0, f.event.time);
      row.pos = f.event.place;
      row.x = { v: findingValues(f, json), rank: f.rank };
      sort.push(row);
    },
    release: (bound) => sort.release(bound),
    end: () => sort.end(),
    get late() {
      return sort.late;
    },
  };
}

/**
 * The heap detect's timeline lets grow before collecting the findings written (heapKeeper). With
 * detect's 16 MB young generation (bin/snapshot.mjs), at 64 MB instead of 96 the 1M-event trail with
 * the public Sigma rules peaked at 386 MB against 401, in the same time.
 */
const HEAP_FLOOR = 64 * 1024 * 1024;

export const DETECT_FORMATS = ["table", "json", "jsonl", "csv"] as const;

export const DetectOptionsSchema = z.object({
  rules: z._default(z.array(z.string()), []),
  bundled: z._default(z.boolean(), true),
  format: z._default(z.enum(DETECT_FORMATS), "table"),
  minLevel: z.optional(z.enum(LEVELS)),
  failLevel: z.optional(z.enum(LEVELS)),
  maxRows: z.optional(digits(z.coerce.number().check(z.int(), z.positive()))),
  quiet: z._default(z.boolean(), false),
  ...SELECTION_OPTIONS,
  keepDuplicates: z._default(z.boolean(), false),
  csvRaw: z._default(z.boolean(), false),
  memory: z.optional(MEMORY_SIZE),
  rulesCache: z._default(z.boolean(), true),
  ...S3_OPTIONS,
});

/** The warnings of the rules that cannot run for a fault of their own (a bad rule, a regex), one each naming its file and rule; the others run. */
export function notRunWarnings(notRun: readonly NotRun[]): string[] {
  return notRun.filter((n) => n.kind === "bad rule" || n.kind === "regex").map((n) => `${n.file}: ${n.rule}: ${n.reason} (not run)`);
}

/** Every --rules path exists (else exit 2, before anything is read). */
export function checkRulePaths(rules: readonly string[]): void {
  for (const r of rules) if (!existsSync(r)) throw new UserError(`--rules ${r}: no such file or folder`, ExitCode.path);
}

export async function detectCommand(paths: string[], rawOpts: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(DetectOptionsSchema, rawOpts);
  const now = Date.now();
  const range = parseTimeRange(opts, now, zoneOption(opts));
  // its bounds checked before the rules are read (and their cache written)
  const budget = opts.memory === undefined ? Math.min(defaultMemory(), DETECT_MEMORY) : memoryBudget(opts.memory);
  checkRulePaths(opts.rules);
  if (!opts.bundled && opts.rules.length === 0) throw new UserError("--no-bundled leaves no rule to run: give --rules DIR|FILE", ExitCode.usage);
  const inputs = resolveInputs(paths, opts.quiet);
  const unreadable = unreadableInput(inputs);
  if (unreadable) throw new UserError(unreadable, ExitCode.path);

  const prepared = prepareDetection({ rules: opts.rules, bundled: opts.bundled, now, cache: opts.rulesCache });
  const run = rulesRun(prepared);
  // the progress line (on a terminal) is erased before a warning or the timeline prints
  const { progress, seen } = progressFor(inputs, { enabled: !opts.quiet && process.stderr.isTTY === true });
  const warn = (m: string): void => {
    progress.clear();
    warnLine(m);
  };
  // a bad rule is one warning naming its file and rule, under --quiet too (a warning, not progress:
  // a CI run with a broken rule must not read as a clean one); the others run
  for (const w of notRunWarnings(prepared.notRun)) warn(w);

  const { out, closed } = stdoutText(() => progress.clear());
  // Ctrl-C stops the scan and prints what was found; a second one ends at once (its spill files removed)
  const interrupt = interruptible();
  const signal = AbortSignal.any([closed, interrupt.signal]);
  // the timeline: findings sorted by time as they come, handed on once no file still to read can
  // hold an older one; past what the memory allows, through a sort that spills to disk
  const json = opts.format === "json" || opts.format === "jsonl";
  const tty = process.stdout.isTTY === true;
  const columns = json ? JSON_COLUMNS : TABLE_COLUMNS;
  const writerOptions = { ...(tty ? { fitWidth: terminalColumns(process.stdout, 120) } : {}), terminal: tty, csvRaw: opts.csvRaw };
  // the line formats make a rule's columns once, and copy them into each of its findings
  const rows = fixedRunRows(opts.format, columns, out, writerOptions);
  const write = findingWriter(rows, json);
  const noRun = rows.fixed([], 0);
  let shown = 0;
  /** Whether one more row may be shown (--max-rows), counting it. */
  const mayShow = (): boolean => {
    if (opts.maxRows !== undefined && shown >= opts.maxRows) return false;
    shown++;
    return true;
  };
  const memory = new MemoryBudget(budget);
  const timeline = new TimelineSort(
    (f) => {
      if (mayShow()) write(f);
    },
    memory.limit / HELD_FINDING_BYTES,
    () =>
      spillingTimeline(memory, json, (values) => {
        if (mayShow()) rows.row(values, noRun);
      }),
  );
  // the findings written are garbage V8 would let pile up (a million findings: the heap at 450 MB)
  const collect = heapKeeper(HEAP_FLOOR);
  let result;
  const select = { ...range, ...(opts.account ? { accounts: opts.account } : {}), ...(opts.region ? { regions: opts.region } : {}) };
  let remote: S3Inputs | undefined;
  /** Ctrl-C stopped the listing of s3:// inputs: the scan, given what was listed, cannot tell. */
  let listingCut = false;
  try {
    // s3:// inputs: listed for the selection (pruned as folders are), fetched as the pass reads them
    remote = await openRemote(inputs, select, opts, signal, seen);
    listingCut = interrupt.signal.aborted;
    result = await prepared.detector.run(inputs, {
      range,
      ...(opts.account ? { accounts: opts.account } : {}),
      ...(opts.region ? { regions: opts.region } : {}),
      keepDuplicates: opts.keepDuplicates,
      memoryLimit: memory.limit,
      ...(opts.minLevel ? { minLevel: opts.minLevel } : {}),
      warn,
      signal,
      ...(remote ? { remote } : {}),
      onProgress: (r) => progress.update(r),
      onFinding: (f) => timeline.push(f),
      // the files are read in time order: what no file still to come can precede is written
      onBound(bound) {
        timeline.release(bound);
        collect();
      },
    });
    progress.done();
    timeline.end();
    rows.end();
    if (timeline.late > 0) {
      warn(lateRowsWarning(timeline.late, "findings", "sort the rows by time to read them in order"));
    }
  } finally {
    progress.done();
    interrupt.off();
    memory.close();
    remote?.close();
  }
  out.flush();
  // interrupted: the listing or the scan was cut short (a Ctrl-C once every file was read, while
  // the last findings were written, changed nothing: the timeline is whole, and not said otherwise)
  if (listingCut) result.interrupted = true;

  const summary = summarize(result, run);
  if (!opts.quiet) {
    const lines = summaryText(summary, run, result);
    if (shown < result.tally.findings) lines.splice(1, 0, `${grouped(shown)} of ${plural(result.tally.findings, "finding")} shown (--max-rows)`);
    if (remote) lines.push(remote.note());
    process.stderr.write(lines.map((l) => visible(l)).join("\n") + "\n");
  }
  // (the scan also stops when standard output's reader goes away: not a Ctrl-C)
  if (result.interrupted && interrupt.signal.aborted) process.exitCode = ExitCode.interrupted;
  else if (opts.failLevel && [...result.tally.levels].some(([l, n]) => n > 0 && levelRank(l as Level) >= levelRank(opts.failLevel!))) process.exitCode = ExitCode.skipped;
}
