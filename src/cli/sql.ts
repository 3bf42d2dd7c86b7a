// `trailq sql QUERY`: the query as SQL for Athena (or DuckDB), compiled from the checked plan; and
// `trailq sql --ddl --bucket s3://...`: the CREATE TABLE that SQL targets.
import { statSync } from "node:fs";
import { join } from "node:path";
import { z } from "../zod.js";
import { parseQuery } from "../lang/index.js";
import { buildPlan } from "../plan/build.js";
import { LookupTables } from "../lookup/tables.js";
import { ExitCode, UserError } from "../errors.js";
import { parseTimeRange } from "../time/range.js";
import { parseEventTime } from "../time/event-time.js";
import { SELECTION_OPTIONS, SQL_DIALECTS, matching, parseOptions, zoneOption } from "./options.js";
import { SAMPLE_TRAIL, checkInputs, warn, writeText } from "./io.js";
import { translatePlan } from "../sql/translate.js";
import { createTableDdl } from "../sql/ddl.js";
import { isReservedWord } from "../sql/schema.js";
import { isS3Url } from "../sources/s3/url.js";
import { duckdbView } from "../sql/view.js";

const SqlOptionsSchema = z.object({
  dialect: z._default(z.enum(SQL_DIALECTS), "athena"),
  table: z.optional(
    matching(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/, "a table name such as cloudtrail_logs or mydb.cloudtrail_logs").check(
      // written as it is in the SQL and the DDL: a reserved word there is a syntax error in Athena
      z.refine((t) => !t.split(".").some(isReservedWord), "a table name that is not a word SQL reserves (select, order, table...)"),
    ),
  ),
  ...SELECTION_OPTIONS,
  ddl: z._default(z.boolean(), false),
  keepDuplicates: z._default(z.boolean(), false),
  bucket: z.optional(z.string()),
  firstDay: z.optional(
    matching(/^\d{4}\/\d{2}\/\d{2}$/, "a day such as 2020/01/01").check(
      // a day of the calendar: Athena refuses the table's projection at query time otherwise
      z.refine((d) => !Number.isNaN(parseEventTime(d.replaceAll("/", "-"))), "a day of the calendar, such as 2020/01/01"),
    ),
  ),
});

/** sql's options read and checked (sigma --sql checks its --table with them before it prints anything). */
export const sqlOptions = (rawOpts: Record<string, unknown>): z.infer<typeof SqlOptionsSchema> => parseOptions(SqlOptionsSchema, rawOpts);

/** DuckDB reads folders by glob: every JSON file under them (digests are not events and are skipped). */
function duckdbSources(paths: string[]): string[] {
  checkInputs(paths);
  return (paths.length ? paths : [SAMPLE_TRAIL]).map((p) => {
    let dir = false;
    try {
      dir = statSync(p).isDirectory();
    } catch {
      throw new UserError(`no such file or folder: ${p}`, ExitCode.usage);
    }
    return dir ? join(p, "**", "*.json*") : p;
  });
}

export function sqlCommand(queryText: string | undefined, paths: string[], rawOpts: Record<string, unknown>): void {
  const opts = sqlOptions(rawOpts);
  if (opts.ddl) {
    // the table holds every day: a range, a zone or copies are the queries' (each a WHERE of its own)
    const queryOnly = (["start", "end", "since", "tz"] as const).find((o) => opts[o] !== undefined) ?? (opts.keepDuplicates ? "keepDuplicates" : undefined);
    if (queryOnly) throw new UserError(`--${queryOnly.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())} goes with a query: --ddl prints the table, which holds every day and every copy`, ExitCode.usage);
    // the location as an input path: trailq sql --ddl s3://bucket/prefix (the same URL a query reads)
    if (queryText !== undefined && isS3Url(queryText) && !opts.bucket && paths.length === 0) {
      opts.bucket = queryText;
      queryText = undefined;
    }
    if (queryText !== undefined) throw new UserError("--ddl prints the table only: give no query", ExitCode.usage);
    if (!opts.bucket) throw new UserError("--ddl needs the trail's location: --bucket s3://bucket/prefix", ExitCode.usage);
    if (opts.dialect !== "athena") throw new UserError("--ddl is for Athena; with --dialect duckdb the table is a view in the SQL itself", ExitCode.usage);
    writeText(
      createTableDdl({
        bucket: opts.bucket,
        ...(opts.table ? { table: opts.table } : {}),
        ...(opts.account ? { accounts: opts.account } : {}),
        ...(opts.region ? { regions: opts.region } : {}),
        ...(opts.firstDay ? { firstDay: opts.firstDay } : {}),
      }),
    );
    return;
  }
  if (queryText === undefined) throw new UserError("give a query, e.g. trailq sql 'stats count(*) by eventSource' (or --ddl for the table)", ExitCode.usage);
  if (opts.bucket) throw new UserError("--bucket goes with --ddl", ExitCode.usage);
  if (opts.firstDay) throw new UserError("--first-day goes with --ddl", ExitCode.usage);
  if (paths.length && opts.dialect !== "duckdb") throw new UserError("files are only read by --dialect duckdb: Athena reads the table", ExitCode.usage);
  const now = Date.now();
  const range = parseTimeRange(opts, now, zoneOption(opts));
  const plan = buildPlan(parseQuery(queryText), { now, lookups: new LookupTables([]) });
  const t = translatePlan(plan, {
    dialect: opts.dialect,
    range,
    ...(opts.table ? { table: opts.dialect === "duckdb" ? opts.table.split(".").pop()! : opts.table } : {}),
    ...(opts.account ? { accounts: opts.account } : {}),
    ...(opts.region ? { regions: opts.region } : {}),
    ...(opts.keepDuplicates ? { keepDuplicates: true } : {}),
    ...(opts.dialect === "duckdb" ? { prelude: duckdbView(duckdbSources(paths), opts.table) } : {}),
  });
  for (const w of plan.warnings) warn(w);
  writeText(t.sql.replace(/\n$/, ";\n"));
}
