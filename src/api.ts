// trailq as a library: run a query over inputs and get the rows as JSON objects (the shape of
// `--format json`). Tests, the REPL and other tools use this instead of the command line.
import { parseQuery } from "./lang/index.js";
import { buildPlan } from "./plan/build.js";
import type { OutputColumn, Plan } from "./plan/plan.js";
import { runPlan, scanReaderOptions, type RunResult } from "./exec/run.js";
import type { TimeRange } from "./time/range.js";
import { Reader, readOnceInputs } from "./sources/index.js";
import { rowObject } from "./output/index.js";
import { LookupTables, lookupsDir } from "./lookup/tables.js";

export interface QueryRows {
  plan: Plan;
  columns: OutputColumn[];
  rows: Record<string, unknown>[];
  result: RunResult;
  /** Reader warnings (bad files) and compile warnings. */
  warnings: string[];
}

export interface ApiOptions {
  /** now() and relative times are computed from this instant (epoch ms). */
  now?: number;
  signal?: AbortSignal;
  /** Lookup tables as NAME=FILE; the user's lookups folder is not read when this is given. */
  lookups?: string[];
  /** The time range and the accounts/regions to read (as --start/--end, --account, --region). */
  range?: TimeRange;
  accounts?: string[];
  regions?: string[];
  /** Keep every copy of an event (the same eventID in several files), as --keep-duplicates. */
  keepDuplicates?: boolean;
  /** The memory budget in bytes, as --memory (default: the machine's, see exec/memory.ts). */
  memory?: number;
}

export async function queryRows(queryText: string, inputs: string[], opts: ApiOptions = {}): Promise<QueryRows> {
  const lookups = new LookupTables(opts.lookups ?? [], opts.lookups ? undefined : lookupsDir());
  const plan = buildPlan(parseQuery(queryText), { lookups, ...(opts.now !== undefined ? { now: opts.now } : {}) });
  const warnings: string[] = [];
  const select = {
    ...(opts.range ? { range: opts.range } : {}),
    ...(opts.accounts ? { accounts: opts.accounts } : {}),
    ...(opts.regions ? { regions: opts.regions } : {}),
    ...(opts.keepDuplicates ? { keepDuplicates: true } : {}),
  };
  const open = (p: Plan = plan): Reader =>
    new Reader(inputs, { warn: (m) => warnings.push(m), ...scanReaderOptions(p, select, inputs), ...(opts.signal ? { signal: opts.signal } : {}) });
  const reader = open();
  const rows: Record<string, unknown>[] = [];
  const result = await runPlan(plan, reader, {
    row: (values) => rows.push(rowObject(plan.columns, values)),
    end: () => {},
  }, { ...select, ...(opts.memory !== undefined ? { memory: opts.memory } : {}), warn: (m) => warnings.push(m), ...(opts.signal ? { signal: opts.signal } : {}), ...(readOnceInputs(inputs).length > 0 ? {} : { reopen: open }) });
  warnings.push(...result.warnings);
  return { plan, columns: plan.columns, rows, result, warnings };
}
