// The DuckDB engine: the plan translated to DuckDB SQL over the view of the local files, run by
// @duckdb/node-api (loaded only when asked for), the rows given back as trailq values so the normal
// output formats print them.
import { createRequire } from "node:module";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../root.js";
import { ExitCode, UserError } from "../errors.js";
import type { Plan } from "../plan/plan.js";
import type { Value } from "../exec/values.js";
import type { TimeRange } from "../time/range.js";
import { scanSelection } from "../exec/run.js";
import { Reader } from "../sources/index.js";
import { MAGIC_BYTES, compressionOf, fileHead } from "../sources/sniff.js";
import { visible } from "../output/safe.js";
import { translatePlan, type OutputSpec, type Translation } from "./translate.js";
import { duckdbView } from "./view.js";

export interface DuckdbRunOptions {
  range?: TimeRange;
  accounts?: string[];
  regions?: string[];
  /** Count every copy of an event; by default an eventID met before is skipped, as the native engine does. */
  keepDuplicates?: boolean;
  warn?: (message: string) => void;
}

export interface DuckdbResult {
  translation: Translation;
  rows: Value[][];
  files: number;
}

/** A compression DuckDB's JSON reader does not open (zip, bzip2, xz), by the file's first bytes. */
function archiveKind(path: string): string | undefined {
  const head = fileHead(path, MAGIC_BYTES); // unreadable: DuckDB says so
  const kind = head && compressionOf(head);
  return kind === "zip" || kind === "bzip2" || kind === "xz" ? kind : undefined;
}

/** The files the native engine would read (same walk, same pruning by the AWSLogs layout). */
async function inputFiles(plan: Plan, inputs: string[], opts: DuckdbRunOptions): Promise<string[]> {
  if (inputs.includes("-")) throw new UserError("--engine duckdb reads files, not standard input", ExitCode.usage);
  const select = {
    ...(opts.range ? { range: opts.range } : {}),
    ...(opts.accounts ? { accounts: opts.accounts } : {}),
    ...(opts.regions ? { regions: opts.regions } : {}),
  };
  const reader = new Reader(inputs, { warn: opts.warn ?? (() => {}), select: scanSelection(plan, select) });
  const files: string[] = [];
  for (const f of reader.files()) {
    const kind = archiveKind(f.path);
    if (kind) throw new UserError(`--engine duckdb reads JSON, JSON lines and gzip: ${visible(f.path)} is a ${kind} file, which the native engine reads (leave out --engine duckdb)`, ExitCode.usage);
    files.push(f.path);
  }
  return files;
}

interface DuckdbApi {
  DuckDBInstance: { create(path: string): Promise<{ connect(): Promise<DuckdbConnection>; closeSync?(): void }> };
}
export interface DuckdbConnection {
  runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }>;
  closeSync?(): void;
}

/** The DuckDB package (@duckdb/node-api), or a UserError saying to install it. */
export async function loadDuckdb(): Promise<DuckdbApi> {
  try {
    // required, not imported: the start-up snapshot's program (src/cli/snapshot.ts) cannot import()
    return createRequire(join(PACKAGE_ROOT, "package.json"))("@duckdb/node-api") as DuckdbApi;
  } catch {
    throw new UserError("--engine duckdb needs the DuckDB package: npm install @duckdb/node-api", ExitCode.usage);
  }
}

/** Translate and run a plan with DuckDB over the inputs. */
export async function runDuckdb(plan: Plan, inputs: string[], opts: DuckdbRunOptions = {}): Promise<DuckdbResult> {
  const list = await inputFiles(plan, inputs, opts);
  const translation = translatePlan(plan, {
    dialect: "duckdb",
    ...(opts.range ? { range: opts.range } : {}),
    ...(opts.accounts ? { accounts: opts.accounts } : {}),
    ...(opts.regions ? { regions: opts.regions } : {}),
    ...(opts.keepDuplicates ? { keepDuplicates: true } : {}),
    prelude: duckdbView(list),
  });
  const { DuckDBInstance } = await loadDuckdb();
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  try {
    // a date without a zone is UTC (parseTime's TIMESTAMPTZ), whatever zone the machine is set to
    await conn.runAndReadAll("SET TimeZone = 'UTC'");
    const result = await conn.runAndReadAll(translation.sql);
    const rows = result.getRows().map((r) => r.map((v, i) => toValue(v, translation.columns[i]!)));
    return { translation, rows, files: list.length };
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`DuckDB could not run the translated query: ${e instanceof Error ? e.message : String(e)}`, ExitCode.query);
  } finally {
    conn.closeSync?.();
    db.closeSync?.();
  }
}

/** A DuckDB value as the trailq value of the output column. */
export function toValue(v: unknown, col: OutputSpec): Value {
  if (v === null || v === undefined) return undefined;
  if (col.sql === "json") {
    const s = String(v);
    try {
      return JSON.parse(s) as Value;
    } catch {
      return s;
    }
  }
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "object") {
    const o = v as { micros?: bigint; toDouble?: () => number };
    if (typeof o.micros === "bigint") return Number(o.micros / 1000n);
    if (typeof o.toDouble === "function") return o.toDouble();
  }
  return String(v);
}
