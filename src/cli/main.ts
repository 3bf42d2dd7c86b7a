// The trailq program: commander wires the subcommands; user errors print as messages (with a caret
// for query errors) and set the exit code; anything else is a bug and shows its stack.
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { QueryError, UserError, ExitCode } from "../errors.js";
import { FORMAT_NAMES } from "../output/names.js";
import { TEMPLATE_CATEGORIES } from "../templates/template.js";
import { queryAndPaths } from "./io.js";
import { visible } from "../output/safe.js";
import { errorCode, errorReason } from "../output/files.js";

/** The options that select events: time range, accounts, regions (query, run, sql). */
function selectionOptions(c: Command, where: { accounts: string; regions: string }): Command {
  return tzOption(c)
    .option("--start <time>", "only events at or after this time: ISO 8601 (2026-11-01T06:00Z) or relative (-2h, -7d)", once, undefined)
    .option("--end <time>", "only events at or before this time: ISO 8601 or relative (-1h, now)", once, undefined)
    .option("--since <duration>", "only events of the last duration, e.g. 24h, 7d (start = now - duration)", once, undefined)
    .option("--account <ids>", `only these accounts (comma-separated, repeatable)${where.accounts}`, list, undefined)
    .option("--region <names>", `only these regions (comma-separated, repeatable)${where.regions}`, list, undefined);
}

/** --tz: the zone times show in (query, run, detect, sql, repl, ui). */
function tzOption(c: Command): Command {
  return c.option("--tz <zone>", "show times in this zone, and read --start/--end without one in it: UTC (default), local, a name (Europe/Paris) or an offset (+02:00)", once, undefined);
}

/** The options of every command that runs a query (query, run). */
function queryOptions(c: Command): Command {
  c = selectionOptions(c, { accounts: ": AWSLogs/<account>/ folders and recipientAccountId", regions: ": CloudTrail/<region>/ folders and awsRegion" })
    .option("-f, --format <format>", `output format: ${FORMAT_NAMES.join(", ")} (default: table)`, once, undefined)
    .option("--max-rows <n>", "print at most n rows (the summary says how many there were)", once, undefined)
    .option("-q, --quiet", "no summary line, no progress and no notes on standard error")
    .option("--strict", "exit with status 1 if any input was skipped")
    .option("--keep-duplicates", "keep every copy of an event met in several files (by default an eventID already seen is skipped)")
    .option("--memory <size>", "what sort, stats, dedup and pattern may hold, e.g. 512M, 2G (default: 25% of the memory, at most half node's heap); past it sort, stats and dedup spill to temporary files, and the others stop (exit 4)", once, undefined)
    .option("--chart <file>", "also write the result as a chart: FILE.svg or FILE.html (self-contained)", once, undefined)
    .option("--chart-type <type>", "line, area (stacked), bar or pie (default: line for a time series, bar otherwise)", once, undefined)
    .option("--fill", "a time series gets its empty buckets as 0, across the time range (or the data's span)")
    .option("--csv-raw", "csv: write cells as they are (no ' before text a spreadsheet would run as a formula)")
    .option("--engine <engine>", "native (default), or duckdb: run the query's SQL translation with DuckDB (needs @duckdb/node-api)", once, undefined)
    .option("--color <when>", "colour of charts (-f chart) on standard output: auto (default: a terminal, unless NO_COLOR; FORCE_COLOR forces it), always, never", once, undefined);
  return s3Options(lookupOption(c));
}

/** --lookup: the tables of the lookup command (query, run, explain). */
function lookupOption(c: Command): Command {
  return c.option("--lookup <name=file.csv>", "a lookup table for the lookup command (repeatable)", repeated, [] as string[]);
}

/** The options of s3:// inputs (docs/s3.md). */
function s3Options(c: Command): Command {
  return c
    .option("--profile <name>", "s3:// inputs: the AWS profile of the shared config and credentials files (default: AWS_PROFILE, else the SDK's chain)", once, undefined)
    .option("--endpoint-url <url>", "s3:// inputs: an S3-compatible server, addressed path-style (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL)", once, undefined)
    .option("--no-cache", "s3:// inputs: list and fetch everything, keep nothing in $XDG_CACHE_HOME/trailq/s3")
    .option("--refresh", "s3:// inputs: list again what the cache holds listed (objects already cached are not fetched again)")
    .option("--s3-concurrency <n>", "s3:// inputs: objects fetched at once (default 4)", once, undefined)
    .option("--verbose", "s3:// inputs: a line per list call, listing from the cache and object fetched on standard error");
}

/** --query-file, for the commands whose first argument is a query. */
/** --rules: the Sigma rules detect runs (detect, and the console's detect tab). */
function rulesOption(c: Command): Command {
  return c.option("--rules <path>", "a Sigma rule file or a folder of them (.yml, .yaml; repeatable)", repeated, [] as string[]);
}

function queryFileOption(c: Command): Command {
  return c.option("--query-file <file>", "read the query from FILE (then every argument is a path), as jq -f and psql -f do", once, undefined);
}

/** The environment variables and exit codes a subcommand's --help lists, and its examples. */
const ENVIRONMENT = {
  workers: "TRAILQ_WORKERS   worker threads for big scans (default: one per core; 0 or 1: none)",
  color: "NO_COLOR, FORCE_COLOR   with --color auto: no colour / colour even when not a terminal",
  templates: "XDG_CONFIG_HOME  your templates in $XDG_CONFIG_HOME/trailq/templates, lookup tables in .../trailq/lookups",
  state: "XDG_STATE_HOME   the prompt's history in $XDG_STATE_HOME/trailq/history",
  cache: "XDG_CACHE_HOME   the cache in $XDG_CACHE_HOME/trailq (~/.cache/trailq): folders' indexes, s3:// objects, parsed Sigma rules",
} as const;
const EXIT_CODES =
  "Exit codes: 0 ok · 1 --strict and some input was skipped (detect: a finding at or above --fail-level) · 2 the query has an error, or a path is wrong (an input missing, an output not writable) · 3 bad command line · 4 over the memory budget (--memory) · 70 a bug in trailq · 130 interrupted (Ctrl-C)";

function helpAfter(c: Command, examples: string[], env: (keyof typeof ENVIRONMENT)[]): Command {
  const lines = ["", "Examples:", ...examples.map((e) => `  $ ${e}`)];
  if (env.length) lines.push("", "Environment:", ...env.map((k) => `  ${ENVIRONMENT[k]}`));
  lines.push("", EXIT_CODES);
  return c.addHelpText("after", lines.join("\n"));
}

/** The query of a command's arguments: the first, or the --query-file's text (and then every argument is a path). */
function takeQuery(p: Command, first: string | undefined, rest: string[], opts: Record<string, unknown>): { query: string; paths: string[] } {
  const { query, paths } = queryAndPaths(first, rest, opts["queryFile"]);
  if (query === undefined) throw new UserError("give a query, or --query-file FILE", ExitCode.usage);
  p.setOptionValue("lastQuery", query);
  return { query, paths };
}

/** An option given once: a second value is refused, not taken in place of the first (--start twice). */
const once = (v: string, prev: string | undefined): string => {
  if (prev !== undefined) throw new InvalidArgumentError(`given twice (${JSON.stringify(prev)}, then ${JSON.stringify(v)}): give it once`);
  return v;
};

/** A repeatable option's values, in the order given. */
const repeated = (v: string, acc: string[]): string[] => [...acc, v];

/** A repeatable, comma-separated option's values. */
const list = (v: string, acc: string[] | undefined): string[] => {
  const items = v.split(",").map((x) => x.trim()).filter(Boolean);
  // --region "$REGION" with the variable unset selected nothing, without a word (exit 0)
  if (items.length === 0) throw new InvalidArgumentError("an empty list: give at least one value (a,b or the option again)");
  return [...(acc ?? []), ...items];
};

function program(): Command {
  const p = new Command("trailq")
    .description("Query AWS CloudTrail logs with the CloudWatch Logs Insights language, on your own machine.")
    .version("0.1.0")
    .exitOverride()
    // commander's errors quote the argument (`unknown option '--x'`): a file name a glob made an
    // argument may hold terminal escapes, shown escaped as in every message of trailq's own
    .configureOutput({ writeErr: (s) => process.stderr.write(s.split("\n").map(visible).join("\n")) });

  helpAfter(
    queryFileOption(queryOptions(
      p.command("query")
        .description("run a query over CloudTrail files, folders or standard input (default: the bundled sample trail)")
        .argument("[query]", "a Logs Insights query, e.g. 'stats count(*) by eventSource' (or --query-file)")
        .argument("[paths...]", "files or folders to read (recursively); - for standard input"),
    )),
    ["trailq query 'filter eventName = \"ConsoleLogin\" | stats count(*) by sourceIPAddress' AWSLogs/", "trailq query --query-file hunt.logsinsights trail/ --since 7d -f csv", "zcat events.json.gz | trailq query 'stats count(*) by eventName'"],
    ["workers", "color", "templates", "cache"],
  ).action(async (first: string | undefined, rest: string[], opts: Record<string, unknown>) => {
    const { query, paths } = takeQuery(p, first, rest, opts);
    await (await import("./query.js")).queryCommand(query, paths, opts);
  });

  const templates = helpAfter(
    p.command("templates")
      .description("list the query templates (bundled, and yours in $XDG_CONFIG_HOME/trailq/templates)")
      .option("--json", "as JSON (same as --format json)")
      .option("-f, --format <format>", "text (default) or json", once, undefined)
      .option("--category <name>", `only this category: ${TEMPLATE_CATEGORIES.join(", ")}`, once, undefined)
      .option("--templates <dir>", "your templates folder", once, undefined),
    ["trailq templates --category detection", "trailq templates show first-seen-api-per-principal"],
    ["templates"],
  ).action(async (opts: Record<string, unknown>) => (await import("./templates.js")).listTemplates(opts));
  templates
    .command("show")
    .description("show one template: description, parameters, query")
    .argument("<id>", "template id")
    .option("--templates <dir>", "your templates folder", once, undefined)
    // `templates show ID --templates DIR`: the option after the id is the parent's (commander gives
    // a parent's options wherever they stand), so both are read
    .action(async (id: string, opts: Record<string, unknown>, cmd: Command) => (await import("./templates.js")).showTemplate(id, { ...cmd.parent?.opts(), ...opts }));

  helpAfter(
    queryOptions(
      p.command("run")
        .description("run a query template over CloudTrail inputs (default: the bundled sample trail)")
        .argument("<id>", "template id (see: trailq templates)")
        .argument("[paths...]", "files or folders to read; - for standard input")
        .option("-p, --param <name=value>", "a template parameter (repeatable)", repeated, [] as string[])
        .option("--templates <dir>", "your templates folder", once, undefined),
    ),
    ["trailq run cis-root-account-usage AWSLogs/ --since 30d", "trailq run activity-by-principal trail/ -p principalArn=arn:aws:iam::111122223333:user/alice"],
    ["workers", "color", "templates", "cache"],
  ).action(async (id: string, paths: string[], opts: Record<string, unknown>) => (await import("./templates.js")).runTemplate(id, paths, opts));

  helpAfter(
    s3Options(selectionOptions(
      rulesOption(p.command("detect"))
        .description("run the bundled detection and CIS templates and Sigma rules (--rules) over CloudTrail inputs in one pass; findings as a timeline")
        .argument("[paths...]", "files or folders to read; - for standard input (default: the bundled sample trail)")
        .option("--no-bundled", "run only the --rules rules, not the bundled templates")
        .option("--no-rules-cache", "parse every rule file, keep no parsed rules in $XDG_CACHE_HOME/trailq/rules"),
      { accounts: ": AWSLogs/<account>/ folders and recipientAccountId", regions: ": CloudTrail/<region>/ folders and awsRegion" },
    )
      .option("-f, --format <format>", "output format: table, json, jsonl, csv (default: table)", once, undefined)
      .option("--min-level <level>", "only findings at or above: informational, low, medium, high, critical", once, undefined)
      .option("--fail-level <level>", "exit with status 1 when a finding is at or above this level (cron, CI)", once, undefined)
      .option("--max-rows <n>", "print at most n findings (the summary counts them all)", once, undefined)
      .option("-q, --quiet", "no summary and no notes on standard error")
      .option("--keep-duplicates", "keep every copy of an event met in several files")
      .option("--memory <size>", "what the timeline's sort holds before it spills to temporary files, e.g. 256M (default 128M)", once, undefined)
      .option("--csv-raw", "csv: write cells as they are")),
    ["trailq detect AWSLogs/ --rules ~/sigma/rules/cloud/aws --since 7d", "trailq detect trail/ --no-bundled --rules my-rule.yml -f jsonl", "trailq detect trail/ --min-level high --fail-level high -q", "trailq detect s3://my-trail-bucket --since 7d"],
    ["color", "templates"],
  ).action(async (paths: string[], opts: Record<string, unknown>) => (await import("./detect.js")).detectCommand(paths, opts));

  helpAfter(
    p.command("sigma")
      .description("print a Sigma rule file's detection rules as trailq (Logs Insights) queries, or as Athena SQL (--sql)")
      .argument("<rule>", "a Sigma rule file (.yml)")
      .option("--sql", "print Athena SQL (the translation of trailq sql)")
      .option("--table <name>", "with --sql: the table the SQL reads (default: cloudtrail_logs)", once, undefined),
    ["trailq sigma rules/aws_cloudtrail_disable_logging.yml", "trailq sigma my-rule.yml --sql"],
    [],
  ).action(async (rule: string, opts: Record<string, unknown>) => (await import("./sigma.js")).sigmaCommand(rule, opts));

  helpAfter(
    s3Options(tzOption(p.command("repl"))
      .description("the interactive prompt (also: trailq with no arguments on a terminal)")
      .argument("[paths...]", "files or folders to read (default: the bundled sample trail)")
      .option("--keep-duplicates", "keep every copy of an event met in several files (by default an eventID already seen is skipped)")),
    ["trailq repl AWSLogs/", "echo 'stats count(*) by eventName' | trailq repl trail/"],
    ["workers", "color", "templates", "state"],
  ).action(async (paths: string[], opts: Record<string, unknown>) => (await import("./repl.js")).replCommand(paths, opts));

  helpAfter(
    rulesOption(tzOption(p.command("ui"))
      .description("the web console: a Logs Insights page served on 127.0.0.1, over these files (default: the bundled sample trail)")
      .argument("[paths...]", "files or folders to read")
      .option("--port <n>", "the port to listen on (default: a free one)", once, undefined)
      .option("--no-open", "print the address only; do not open the browser")
      .option("--keep-duplicates", "keep every copy of an event met in several files (by default an eventID already seen is skipped)")),
    ["trailq ui AWSLogs/", "trailq ui trail/ --port 8700 --no-open", "trailq ui AWSLogs/ --rules ~/sigma/rules/cloud/aws"],
    ["workers", "templates", "state"],
  ).action(async (paths: string[], opts: Record<string, unknown>) => (await import("./ui.js")).uiCommand(paths, opts));

  helpAfter(
    queryFileOption(
      lookupOption(tzOption(p.command("explain")))
        .description("print the execution plan of a query without running it")
        .argument("[query]", "a Logs Insights query (or --query-file)"),
    ),
    ["trailq explain 'filter errorCode like /Denied/ | stats count(*) by bin(1h)'"],
    [],
  ).action(async (first: string | undefined, opts: Record<string, unknown>) => {
    const { query, paths } = takeQuery(p, first, [], opts);
    if (paths.length > 0) throw new UserError("explain takes a query only, not paths", ExitCode.usage);
    (await import("./explain.js")).explainCommand(query, opts);
  });

  const sql = selectionOptions(
    p.command("sql")
      .description("print the query as SQL for Amazon Athena (or DuckDB), with the time range as partition predicates; --ddl prints the table")
      .argument("[query]", "a Logs Insights query (or --query-file)")
      .argument("[paths...]", "with --dialect duckdb: the files or folders the SQL reads (default: the bundled sample trail)")
      .option("--dialect <dialect>", "athena (Trino, the default) or duckdb", once, undefined)
      .option("--table <name>", "the table the SQL reads (default: cloudtrail_logs)", once, undefined),
    { accounts: "; with --ddl, the accounts the table covers", regions: "; with --ddl, the regions the table covers" },
  )
    .option("--keep-duplicates", "count every copy of an event met in several files (by default the SQL skips an eventID met before, as trailq query does)")
    .option("--ddl", "print the CREATE EXTERNAL TABLE statement (partition projection) instead")
    .option("--bucket <s3url>", "with --ddl: where the trail is, s3://bucket/prefix (the folder holding AWSLogs/)", once, undefined)
    .option("--first-day <yyyy/mm/dd>", "with --ddl: the first day of the date partition (default 2020/01/01)", once, undefined);
  helpAfter(queryFileOption(sql), ["trailq sql 'stats count(*) by eventName' --since 7d", "trailq sql --ddl --bucket s3://my-trail-bucket/prefix --account 111122223333"], []).action(
    async (first: string | undefined, rest: string[], opts: Record<string, unknown>) => {
      const { query, paths } = queryAndPaths(first, rest, opts["queryFile"]);
      if (query !== undefined) p.setOptionValue("lastQuery", query);
      (await import("./sql.js")).sqlCommand(query, paths, opts);
    },
  );

  helpAfter(
    p.command("index")
      .description("index folders' files by the values of a few fields, so that queries filtering on them open only the files that can match")
      .argument("<folders...>", "folders of CloudTrail files (each indexed as a whole; queries over it or anything below it use its index)")
      .option("-q, --quiet", "no summary"),
    ["trailq index AWSLogs/", "trailq index AWSLogs/ && trailq query 'filter eventName = \"ConsoleLogin\"' AWSLogs/"],
    ["workers", "cache"],
  ).action(async (folders: string[], opts: Record<string, unknown>) => (await import("./index-command.js")).indexCommand(folders, { quiet: opts["quiet"] === true }));

  const cache = helpAfter(
    p.command("cache").description("the local cache ($XDG_CACHE_HOME/trailq): objects fetched from s3:// inputs, parsed Sigma rule files, folders' indexes"),
    ["trailq cache info", "trailq cache clear"],
    ["cache"],
  );
  cache.command("info").description("where the cache is, its objects and size, its cap (TRAILQ_S3_CACHE_SIZE), the rule sets and indexes it holds").action(async () => (await import("./cache.js")).cacheCommand("info"));
  cache.command("clear").description("remove every cached object, rule set and folder index").action(async () => (await import("./cache.js")).cacheCommand("clear"));

  helpAfter(p.command("generate")
    .description("write a seeded synthetic CloudTrail trail (AWSLogs/... layout, gzip files)")
    .requiredOption("-o, --out <dir>", "folder to write into", once, undefined)
    .option("-n, --events <n>", "number of events (default: 20000)", once, undefined)
    .option("--seed <n>", "random seed: the same seed gives the same files (default: 1)", once, undefined)
    .option("--start <iso>", "time of the first event, ISO 8601, UTC without a zone (default: 2026-11-01T00:00:00Z)", once, undefined)
    .option("--days <n>", "days of events, up to 3660 (default: 3)", once, undefined)
    .option("--events-per-file <n>", "target events per file", once, undefined), ["trailq generate --out /tmp/trail --events 200000 --days 14"], [])
    .action(async (opts: Record<string, unknown>) => (await import("./generate.js")).generateCommand(opts));
  helpAfter(
    p.command("completion")
      .description("print a shell completion script: subcommands, options and their values, template ids")
      .argument("<shell>", "bash, zsh or fish"),
    ["trailq completion bash > ~/.local/share/bash-completion/completions/trailq", 'eval "$(trailq completion zsh)"    # in ~/.zshrc', "trailq completion fish > ~/.config/fish/completions/trailq.fish"],
    ["templates"],
  ).action(async (shell: string) => {
    const { completionScript } = await import("./completion.js");
    const { loadLibrary, userTemplatesDir } = await import("../templates/library.js");
    process.stdout.write(completionScript(shell, p, [...loadLibrary(userTemplatesDir()).templates.keys()].sort()));
  });
  return p;
}

export async function main(argv: string[]): Promise<void> {
  // `trailq ... | head`: when the reader goes away, stop quietly (the query command also stops its scan);
  // any other failure to write (a full disk: `> /dev/full`) is a message and exit 2
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(ExitCode.ok);
    process.stderr.write(`trailq: cannot write standard output: ${errorReason(e)}\n`);
    process.exit(ExitCode.path);
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
      process.stderr.write(`trailq: ${visible(e.message)}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    // a file system error no command turned into a message: still the environment, not a bug
    const path = (e as NodeJS.ErrnoException).path;
    if (errorCode(e) !== undefined && typeof path === "string") {
      process.stderr.write(`trailq: cannot ${(e as NodeJS.ErrnoException).syscall ?? "use"} ${visible(path)}: ${errorReason(e, path)}\n`);
      process.exitCode = ExitCode.path;
      return;
    }
    process.stderr.write(`trailq: internal error (a bug: please report it)\n${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 70;
  }
}
