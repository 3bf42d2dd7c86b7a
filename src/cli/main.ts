// The trailq program: commander wires the subcommands; user errors print as messages (with a caret
// for query errors) and set the exit code; anything else is a bug and shows its stack.
import { Command, CommanderError } from "commander";
import { QueryError, UserError, ExitCode } from "../errors.js";
import { FORMAT_NAMES } from "../output/names.js";

/** The options that select events: time range, accounts, regions (query, run, sql). */
function selectionOptions(c: Command, where: { accounts: string; regions: string }): Command {
  return c
    .option("--start <time>", "only events at or after this time: ISO 8601 (2026-11-01T06:00Z) or relative (-2h, -7d)")
    .option("--end <time>", "only events at or before this time: ISO 8601 or relative (-1h, now)")
    .option("--since <duration>", "only events of the last duration, e.g. 24h, 7d (start = now - duration)")
    .option("--account <ids>", `only these accounts (comma-separated, repeatable)${where.accounts}`, list, undefined)
    .option("--region <names>", `only these regions (comma-separated, repeatable)${where.regions}`, list, undefined);
}

/** The options of every command that runs a query (query, run). */
function queryOptions(c: Command): Command {
  return selectionOptions(c, { accounts: ": AWSLogs/<account>/ folders and recipientAccountId", regions: ": CloudTrail/<region>/ folders and awsRegion" })
    .option("-f, --format <format>", `output format: ${FORMAT_NAMES.join(", ")}`, "table")
    .option("--max-rows <n>", "print at most n rows (the summary says how many there were)")
    .option("-q, --quiet", "no summary line, no progress and no notes on standard error")
    .option("--strict", "exit with status 1 if any input was skipped")
    .option("--keep-duplicates", "keep every copy of an event met in several files (by default an eventID already seen is skipped)")
    .option("--memory <size>", "what sort, stats, dedup and pattern may hold, e.g. 512M, 2G (default: 25% of the memory, at most half node's heap); past it they spill to temporary files")
    .option("--chart <file>", "also write the result as a chart: FILE.svg or FILE.html (self-contained)")
    .option("--chart-type <type>", "line, area (stacked), bar or pie (default: line for a time series, bar otherwise)")
    .option("--fill", "a time series gets its empty buckets as 0, across the time range (or the data's span)")
    .option("--engine <engine>", "native (default), or duckdb: run the query's SQL translation with DuckDB (needs @duckdb/node-api)")
    .option("--lookup <name=file.csv>", "a lookup table for the lookup command (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[]);
}

/** A repeatable, comma-separated option's values. */
const list = (v: string, acc: string[] | undefined): string[] => [...(acc ?? []), ...v.split(",").map((x) => x.trim()).filter(Boolean)];

function program(): Command {
  const p = new Command("trailq")
    .description("Query AWS CloudTrail logs with the CloudWatch Logs Insights language, on your own machine.")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  queryOptions(
    p.command("query")
      .description("run a query over CloudTrail files, folders or standard input (default: the bundled sample trail)")
      .argument("<query>", "a Logs Insights query, e.g. 'stats count(*) by eventSource'")
      .argument("[paths...]", "files or folders to read (recursively); - for standard input"),
  ).action(async (query: string, paths: string[], opts: Record<string, unknown>) => {
    p.setOptionValue("lastQuery", query);
    await (await import("./query.js")).queryCommand(query, paths, opts);
  });

  p.command("templates")
    .description("list the query templates (bundled, and yours in $XDG_CONFIG_HOME/trailq/templates)")
    .option("--json", "as JSON (same as --format json)")
    .option("-f, --format <format>", "text (default) or json")
    .option("--category <name>", "only this category: cis, detection, investigation, operations, cost")
    .option("--templates <dir>", "your templates folder")
    .action(async (opts: Record<string, unknown>) => (await import("./templates.js")).listTemplates(opts))
    .command("show")
    .description("show one template: description, parameters, query")
    .argument("<id>", "template id")
    .option("--templates <dir>", "your templates folder")
    .action(async (id: string, opts: Record<string, unknown>) => (await import("./templates.js")).showTemplate(id, opts));

  queryOptions(
    p.command("run")
      .description("run a query template over CloudTrail inputs (default: the bundled sample trail)")
      .argument("<id>", "template id (see: trailq templates)")
      .argument("[paths...]", "files or folders to read; - for standard input")
      .option("-p, --param <name=value>", "a template parameter (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
      .option("--templates <dir>", "your templates folder"),
  ).action(async (id: string, paths: string[], opts: Record<string, unknown>) => (await import("./templates.js")).runTemplate(id, paths, opts));

  p.command("repl")
    .description("the interactive prompt (also: trailq with no arguments on a terminal)")
    .argument("[paths...]", "files or folders to read (default: the bundled sample trail)")
    .action(async (paths: string[]) => (await import("./repl.js")).replCommand(paths));

  p.command("explain")
    .description("print the execution plan of a query without running it")
    .argument("<query>", "a Logs Insights query")
    .action(async (query: string) => {
      p.setOptionValue("lastQuery", query);
      (await import("./explain.js")).explainCommand(query);
    });

  selectionOptions(
    p.command("sql")
      .description("print the query as SQL for Amazon Athena (or DuckDB), with the time range as partition predicates; --ddl prints the table")
      .argument("[query]", "a Logs Insights query")
      .argument("[paths...]", "with --dialect duckdb: the files or folders the SQL reads (default: the bundled sample trail)")
      .option("--dialect <dialect>", "athena (Trino, the default) or duckdb")
      .option("--table <name>", "the table the SQL reads (default: cloudtrail_logs)"),
    { accounts: "; with --ddl, the accounts the table covers", regions: "; with --ddl, the regions the table covers" },
  )
    .option("--ddl", "print the CREATE EXTERNAL TABLE statement (partition projection) instead")
    .option("--bucket <s3url>", "with --ddl: where the trail is, s3://bucket/prefix (the folder holding AWSLogs/)")
    .option("--first-day <yyyy/mm/dd>", "with --ddl: the first day of the date partition (default 2020/01/01)")
    .action(async (query: string | undefined, paths: string[], opts: Record<string, unknown>) => {
      if (query !== undefined) p.setOptionValue("lastQuery", query);
      (await import("./sql.js")).sqlCommand(query, paths, opts);
    });

  p.command("generate")
    .description("write a seeded synthetic CloudTrail trail (AWSLogs/... layout, gzip files)")
    .requiredOption("-o, --out <dir>", "folder to write into")
    .option("-n, --events <n>", "number of events", "20000")
    .option("--seed <n>", "random seed: the same seed gives the same files", "1")
    .option("--start <iso>", "time of the first event", "2026-11-01T00:00:00Z")
    .option("--days <n>", "days of events", "3")
    .option("--events-per-file <n>", "target events per file")
    .action(async (opts: Record<string, unknown>) => (await import("./generate.js")).generateCommand(opts));
  return p;
}

export async function main(argv: string[]): Promise<void> {
  // `trailq ... | head`: when the reader goes away, stop quietly (the query command also stops its scan)
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(ExitCode.ok);
  });
  const p = program();
  // plain `trailq` on a terminal opens the prompt
  if (argv.length <= 2 && process.stdin.isTTY && process.stdout.isTTY) argv = [...argv, "repl"];
  try {
    await p.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander already printed its message (or the help/version text)
      process.exitCode = e.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
      return;
    }
    if (e instanceof QueryError) {
      process.stderr.write(e.format(String(p.getOptionValue("lastQuery") ?? "")) + "\n");
      process.exitCode = e.exitCode;
      return;
    }
    if (e instanceof UserError) {
      process.stderr.write(`trailq: ${e.message}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    process.stderr.write(`trailq: internal error (a bug: please report it)\n${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 70;
  }
}
