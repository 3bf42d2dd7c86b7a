// Every example runs (issue 16 point 2). Every shell command shown in README.md and docs/*.md is run
// with the built bin/trailq, in a folder of its own where `logs/` is the bundled sample trail (and
// `fixtures/inputs` the repository's); its exit status is checked (0, or the `exit=N` its fence
// states), and where the doc shows its output (a `$ command` followed by output lines, or a block
// after the word "prints"), that output is compared with the run's. Every whole query shown inline
// is parsed and checked, the counts the docs quote are those of runs, and every markdown table has
// as many cells in each row as in its header.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT, BIN } from "../bin.js";
import { docFiles, readDoc, type Block, type Doc } from "./markdown.js";
import { parseQuery } from "../../src/lang/index.js";
import { buildPlan } from "../../src/plan/build.js";
import { COMMAND_NAMES } from "../../src/lang/index.js";
import { SAMPLE, filesUnder, writeTrailWithCopies } from "../trails.js";
import { tempDir } from "../temp.js";

const DOCS: Doc[] = docFiles(ROOT).map((f) => readDoc(ROOT, f));
const doc = (file: string): Doc => DOCS.find((d) => d.file === file)!;

// ---------------------------------------------------------------------------------------------
// The folder the commands run in: `logs/` (and `fixtures/sample-trail`) is the sample trail,
// `file.json.gz` one of its files,
// HOME (and the XDG folders) are inside it, and `trailq` on the PATH is bin/trailq.

const WORK = tempDir("docs");
after(() => rmSync(WORK, { recursive: true, force: true }));
const HOME = join(WORK, "home");
for (const d of [".local/share/bash-completion/completions", ".config/fish/completions", ".config/trailq", ".local/state"]) mkdirSync(join(HOME, d), { recursive: true });
mkdirSync(join(WORK, "bin"));
symlinkSync(BIN, join(WORK, "bin", "trailq"));
symlinkSync(SAMPLE, join(WORK, "logs"));
// the docs name the repository's fixtures/sample-trail and fixtures/inputs
mkdirSync(join(WORK, "fixtures"));
symlinkSync(SAMPLE, join(WORK, "fixtures", "sample-trail"));
symlinkSync(join(ROOT, "fixtures", "inputs"), join(WORK, "fixtures", "inputs"));
// detect.md's and README.md's trails and Sigma rules: the sample trail, and the SigmaHQ and
// suzaku-rules CloudTrail rules of ../shared/data/sigma (a rule file of its own: SigmaHQ's
// aws_cloudtrail_disable_logging.yml)
symlinkSync(join(SAMPLE, "AWSLogs"), join(WORK, "AWSLogs"));
symlinkSync(SAMPLE, join(WORK, "trail"));
// the folders the docs index (trailq index): no other example reads them, so that no other
// example's summary depends on whether an index was built before it ran
symlinkSync(SAMPLE, join(WORK, "case-1234"));
symlinkSync(SAMPLE, join(WORK, "incident"));
const SIGMA = join(ROOT, "..", "shared", "data", "sigma");
/** Whether ../shared/data/sigma is there: without it the examples that read its rules are not run (NOT_RUN). */
const HAVE_SIGMA = existsSync(join(SIGMA, "sigmahq", "aws_cloudtrail_disable_logging.yml"));
if (HAVE_SIGMA) {
  for (const d of [join(HOME, "sigma/rules/cloud/aws"), join(WORK, "sigma/rules/cloud"), join(WORK, "suzaku-rules/suzaku/aws")]) mkdirSync(d, { recursive: true });
  symlinkSync(join(SIGMA, "sigmahq"), join(HOME, "sigma/rules/cloud/aws/cloudtrail"));
  symlinkSync(join(SIGMA, "sigmahq"), join(WORK, "sigma/rules/cloud/aws"));
  symlinkSync(join(SIGMA, "suzaku"), join(WORK, "suzaku-rules/suzaku/aws/cloudtrail"));
  for (const f of ["rule.yml", "my-rule.yml", "aws_cloudtrail_disable_logging.yml"]) copyFileSync(join(SIGMA, "sigmahq", "aws_cloudtrail_disable_logging.yml"), join(WORK, f));
}
// `trailq generate` runs in a folder of its own, so that sample-trail.md's writes a new
// fixtures/sample-trail there
const GENERATED = join(WORK, "generated");
mkdirSync(GENERATED);
const SAMPLE_FILES = filesUnder(SAMPLE);
copyFileSync(SAMPLE_FILES[0]!, join(WORK, "file.json.gz"));
// inputs.md's trail-with-copies/: the sample trail, and a copy of every third file in another region's
// folder of the same account (test/trails.ts)
writeTrailWithCopies(join(WORK, "trail-with-copies"));

const ENV: NodeJS.ProcessEnv = {
  PATH: `${join(WORK, "bin")}:${process.env["PATH"] ?? ""}`,
  HOME,
  XDG_CONFIG_HOME: join(HOME, ".config"),
  XDG_STATE_HOME: join(HOME, ".local/state"),
  TMPDIR: WORK,
  LANG: "C.UTF-8",
};

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * One shell command line, as a user types it, in WORK; standard input is /dev/null, as nothing piped
 * in (trailq then reads the sample trail when no path is given).
 */
function sh(command: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const cwd = /^trailq generate /.test(command) ? GENERATED : WORK;
    const p = spawn("sh", ["-c", command], { cwd, env: ENV, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    p.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => p.kill("SIGKILL"), 60_000);
    p.on("error", reject);
    p.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** At most 3 commands at a time (2 cores, shared). */
const POOL = 3;
let active = 0;
const waiting: (() => void)[] = [];
async function pooled<T>(f: () => Promise<T>): Promise<T> {
  if (active >= POOL) await new Promise<void>((r) => waiting.push(r));
  active++;
  try {
    return await f();
  } finally {
    active--;
    waiting.shift()?.();
  }
}
const runs = new Map<string, Promise<Run>>();
/** A command's run, shared by every check that needs it. */
function run(command: string): Promise<Run> {
  let r = runs.get(command);
  if (!r) runs.set(command, (r = pooled(() => sh(command))));
  return r;
}

/** What truly varies between runs: the elapsed time, and the folder the commands run in. */
function normalise(text: string): string {
  return text
    .split(WORK + "/").join("")
    .split(ROOT.replace(/\/$/, "")).join("/path/to/trailq")
    .replace(/\b\d+\.\d\d s\b/g, "0.00 s");
}
const lines = (text: string): string[] => (text === "" ? [] : normalise(text).replace(/\n$/, "").split("\n"));

// ---------------------------------------------------------------------------------------------
// The shell examples.

const SHELL = new Set(["sh", "bash", "console", "shell"]);
/** A block is shell when its fence says so, or when it has no language and starts with a trailq command. */
function isShell(b: Block): boolean {
  const lang = b.info.split(/\s+/)[0]!;
  if (SHELL.has(lang)) return true;
  return lang === "" && /^(\$ )?trailq /.test(b.lines.find((l) => l.trim() !== "") ?? "");
}

/** Whether shell text leaves a quote open, or ends a line with `\`: the command goes on. */
function open(text: string): boolean {
  let q = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q === "'") {
      if (c === "'") q = "";
    } else if (q === '"') {
      if (c === "\\") i++;
      else if (c === '"') q = "";
    } else if (c === "\\") i++;
    else if (c === "'" || c === '"') q = c;
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf("\n", i);
      if (nl < 0) break;
      i = nl;
    }
  }
  return q !== "" || /\\$/.test(text);
}

interface Example {
  where: string;
  /** as the doc shows it */
  command: string;
  /** the lines the doc shows after `$ command`: standard output, then standard error */
  output?: string[];
  /** the block the doc shows after "prints": standard output */
  stdout?: string[];
  exit: number;
}

function examples(): Example[] {
  const out: Example[] = [];
  for (const d of DOCS) {
    d.blocks.forEach((b, bi) => {
      if (!isShell(b)) return;
      const exit = Number(/\bexit=(\d+)/.exec(b.info)?.[1] ?? 0);
      const where = `${b.file}:${b.line}`;
      if (b.lines.some((l) => l.startsWith("$ "))) {
        // console style: `$ command`, then its output (maybe none) up to the next `$ `
        let cur: (Example & { output: string[] }) | undefined;
        for (const l of b.lines) {
          if (cur && cur.output.length === 0 && open(cur.command)) cur.command += "\n" + l;
          else if (l.startsWith("$ ")) out.push((cur = { where, command: l.slice(2), exit, output: [] }));
          else if (cur) cur.output.push(l);
        }
        for (const e of out) if (e.where === where && e.output) while (e.output.at(-1) === "") e.output.pop();
        return;
      }
      const commands: string[] = [];
      let cur = "";
      for (const l of b.lines) {
        if (cur === "" && l.trim() === "") continue;
        cur = cur === "" ? l : cur + "\n" + l;
        if (!open(cur)) {
          commands.push(cur);
          cur = "";
        }
      }
      assert.equal(cur, "", `${where}: a command with an open quote`);
      const next = d.blocks[bi + 1];
      const prints = next && /\bprints:?\s*$/.test(next.before.trim()) ? next.lines : undefined;
      if (prints) assert.equal(commands.length, 1, `${where}: "prints" after a block of several commands`);
      for (const c of commands) out.push({ where, command: c, exit, ...(prints ? { stdout: prints } : {}) });
    });
  }
  return out;
}

/**
 * The commands not run as written, each with its reason; `instead` is what is run in its place.
 * Every entry must match a command of the docs.
 */
const NOT_RUN: { match: RegExp; why: string; instead?: (c: string) => string }[] = [
  { match: /^npm install && npm test$/, why: "installs the packages and runs the whole suite, this test included" },
  {
    match: /^npm install && npx trailq /,
    why: "`npm install` built the binary this test runs; the query after it is run",
    instead: (c) => c.replace(/^npm install && npx /, ""),
  },
  {
    match: /^npm install -g /,
    why: "installs into the machine's global prefix; test/cli/package.test.ts installs the packed tarball into a prefix of its own (the clone's `npm install -g .` is not run)",
  },
  { match: /^npx --package=\.\/trailq-0\.1\.0\.tgz /, why: "needs the tarball `npm pack` makes; test/cli/package.test.ts runs trailq this way" },
  {
    match: /^eval "\$\(trailq completion zsh\)"/,
    why: "a line for ~/.zshrc, evaluated by zsh, which this machine does not have: the script it evaluates is printed",
    instead: () => "trailq completion zsh",
  },
  {
    match: /s3:\/\//,
    why: "reads a bucket in S3: needs the bucket, AWS credentials and the network (test/s3/s3.test.ts runs s3:// inputs against a local fake S3 server)",
  },
  { match: /^trailq ui\b/, why: "starts the web console, a server that runs until it is stopped with Ctrl-C (test/ui/server.test.ts runs it)" },
  ...(HAVE_SIGMA
    ? []
    : [{ match: /sigma\/rules\/|suzaku-rules\/|\b(my-)?rule\.yml\b|aws_cloudtrail_disable_logging\.yml/, why: "reads the Sigma rules of ../shared/data/sigma, which this checkout does not have beside it" }]),
  {
    match: /^trailq generate --out fixtures\/sample-trail /,
    why: "run by the test below that compares what it writes with the bundled sample trail, byte for byte (its status and the scenarios it prints too)",
  },
  {
    match: /^trailq generate --out \/tmp\/trail --events 200000\b/,
    why: "200,000 events take about 10 s of the 2 shared cores; sample-trail.md's generate command (20,000 events) is run and compared with the fixture",
  },
];

const EXAMPLES = examples();
const rowsCommand = (args: string): string => `trailq ${args} -f jsonl -q`;
const num = (s: string): number => Number(s.replace(/,/g, ""));
const quote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;

/**
 * sample-trail.md's scenario table: the first code span of "finds it" is a query or a template that
 * finds the scenario's events; it finds the "events" count, or the count written after it as "finds N".
 */
const SCENARIOS = (() => {
  const table = doc("docs/sample-trail.md").tables.find((t) => t.rows[0]!.cells.join("|") === "scenario|events|finds it")!;
  const out: { scenario: string; finder: string; args: string; column?: string; expected: number }[] = [];
  const filters: string[] = [];
  for (const row of table.rows.slice(2)) {
    const [scenario, events, finds] = row.cells as [string, string, string];
    // the first code span, and the words after it up to the next one
    const m = /^`([^`]+)`([^`]*)/.exec(finds);
    if (!m) continue;
    const finder = m[1]!;
    const said = /\bfinds (\d+)/.exec(m[2]!);
    const expected = said ? Number(said[1]) : num(events);
    if (finder.startsWith("filter ")) {
      // the events a filter keeps are those its condition is true for: every filter of the table is
      // counted in one scan, as sum(if(condition, 1, 0)) (if() and filter share one rule of truth)
      out.push({ scenario, finder, args: "", column: `q${filters.length}`, expected });
      filters.push(finder.slice("filter ".length));
    } else if (/^[a-z0-9-]+$/.test(finder) && existsSync(join(ROOT, "templates", `${finder}.logsinsights`))) out.push({ scenario, finder, args: `run ${finder}`, expected });
  }
  const counts = `query ${quote("stats " + filters.map((f, i) => `sum(if(${f}, 1, 0)) as q${i}`).join(", "))}`;
  for (const s of out) if (s.column) s.args = counts;
  return out;
})();

// Start every run now, in the order the tests need them, a few at a time: the tests await them.
for (const e of EXAMPLES) {
  const skip = NOT_RUN.find((n) => n.match.test(e.command));
  const command = skip ? skip.instead?.(e.command) : e.command;
  if (command !== undefined) void run(command);
}
for (const s of SCENARIOS) void run(rowsCommand(s.args));

test("the docs show shell examples, and every command not run as written says why", () => {
  assert.ok(EXAMPLES.length >= 25, `${EXAMPLES.length} shell examples`);
  for (const n of NOT_RUN) assert.ok(EXAMPLES.some((e) => n.match.test(e.command)), `no doc command matches ${n.match}: remove it from NOT_RUN`);
  for (const e of EXAMPLES) {
    const first = e.command.split(/\s|\|/)[0]!;
    assert.ok(first === "trailq" || first === "zcat" || NOT_RUN.some((n) => n.match.test(e.command)), `${e.where}: a command this test does not know how to run: ${e.command}`);
  }
});

for (const e of EXAMPLES) {
  const skip = NOT_RUN.find((n) => n.match.test(e.command));
  const command = skip ? skip.instead?.(e.command) : e.command;
  const name = `${e.where}: ${e.command.split("\n")[0]!.slice(0, 100)}`;
  if (command === undefined) {
    test(name, { skip: skip!.why }, () => {});
    continue;
  }
  test(name, async () => {
    const r = await run(command);
    assert.equal(r.status, e.exit, `${command}\nexit ${r.status}, the doc says ${e.exit}\n${r.stderr}`);
    if (e.output) assert.deepEqual([...lines(r.stdout), ...lines(r.stderr)], e.output.map(normalise), `${command}: the output the doc shows`);
    if (e.stdout) assert.deepEqual(lines(r.stdout), e.stdout.map(normalise), `${command}: the output the doc shows`);
  });
}

// ---------------------------------------------------------------------------------------------
// What some commands leave behind, and the counts the docs quote beside them.

test("sample-trail.md: its generate command writes the bundled sample trail, byte for byte", async () => {
  const e = EXAMPLES.find((x) => x.where.startsWith("docs/sample-trail.md") && x.command.startsWith("trailq generate"))!;
  const r = await run(e.command);
  assert.equal(r.status, 0);
  // the events it planted per scenario are the table's
  const planted = (JSON.parse(r.stdout) as { scenarios: Record<string, number> }).scenarios;
  const table = doc("docs/sample-trail.md").tables.find((t) => t.rows[0]!.cells.join("|") === "scenario|events|finds it")!;
  assert.deepEqual(Object.fromEntries(table.rows.slice(2).map((row) => [row.cells[0]!, num(row.cells[1]!)])), planted);
  const made = join(GENERATED, "fixtures", "sample-trail");
  const files = filesUnder(made);
  assert.deepEqual(files.map((f) => relative(made, f)), SAMPLE_FILES.map((f) => relative(SAMPLE, f)));
  for (const f of files) assert.ok(readFileSync(f).equals(readFileSync(join(SAMPLE, relative(made, f)))), relative(made, f));
});

test("charts.md: the chart files its commands name are written", async () => {
  for (const e of EXAMPLES.filter((x) => x.where.startsWith("docs/charts.md") && / --chart /.test(x.command))) {
    assert.equal((await run(e.command)).status, 0);
    const file = join(WORK, / --chart (\S+)/.exec(e.command)![1]!);
    const text = readFileSync(file, "utf8");
    assert.match(text, file.endsWith(".svg") ? /^<svg / : /^<!doctype html>/i, file);
    assert.match(text, /<\/(svg|html)>\s*$/, file);
  }
});

test("the completion lines write their scripts where they say", async () => {
  for (const e of EXAMPLES.filter((x) => /^trailq completion \w+ > ~/.test(x.command))) {
    assert.equal((await run(e.command)).status, 0);
    const file = join(HOME, /> ~\/(\S+)/.exec(e.command)![1]!);
    assert.ok(readFileSync(file, "utf8").includes("trailq"), file);
  }
});

/** Rows of a query over the sample trail, through the binary, as JSON lines. */
async function jsonRows(args: string): Promise<Record<string, unknown>[]> {
  const r = await run(rowsCommand(args));
  assert.equal(r.status, 0, `${args}\n${r.stderr}`);
  return r.stdout.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
}
const summary = async (args: string): Promise<string> => {
  const r = await run(`trailq ${args}`);
  assert.equal(r.status, 0, r.stderr);
  return lines(r.stderr).at(-1)!;
};
test("sample-trail.md: the trail's figures", async () => {
  const text = doc("docs/sample-trail.md").text;
  const m = /\| events \| ([\d,]+) \((\d+) event names, (\d+) services\) \|/.exec(text)!;
  const [all] = await jsonRows(`query 'stats count(*) as n, count_distinct(eventName) as names, count_distinct(eventSource) as services'`);
  assert.deepEqual([num(m[1]!), num(m[2]!), num(m[3]!)], [all!["n"], all!["names"], all!["services"]]);
  assert.equal(num(/\(`fixtures\/sample-trail`, ([\d,]+) generated events/.exec(doc("README.md").text)![1]!), all!["n"], "README.md");
  const files = /\| files \| ([\d,]+) gzip files, ([\d.]+) MB \|/.exec(text)!;
  assert.equal(num(files[1]!), SAMPLE_FILES.length);
  const bytes = SAMPLE_FILES.reduce((s, f) => s + readFileSync(f).length, 0);
  assert.equal(files[2], (bytes / 1e6).toFixed(1));
  for (const [key, field] of [["accounts", "recipientAccountId"], ["regions", "awsRegion"]] as const) {
    const row = new RegExp(`\\| ${key} \\| (.*) \\|`).exec(text)![1]!;
    const shares = Object.fromEntries((await jsonRows(`query 'stats count(*) as n by ${field}'`)).map((r) => [r[field], Math.round(((r["n"] as number) / (all!["n"] as number)) * 100)]));
    const shown = Object.fromEntries([...row.matchAll(/([\w-]+) \((\d+)%\)/g)].map((x) => [x[1]!, Number(x[2])]));
    assert.deepEqual(shown, shares, key);
  }
});

/**
 * The scenario table: the first code span of "finds it" is a query or a template that finds the
 * scenario's events; it finds the "events" count, or the count written after it as "finds N".
 */
test("sample-trail.md: each scenario's query finds the count the table gives", async () => {
  assert.ok(SCENARIOS.length >= 20, `${SCENARIOS.length} scenarios checked`);
  for (const s of SCENARIOS) {
    const rows = await jsonRows(s.args);
    assert.equal(s.column ? rows[0]![s.column] : rows.length, s.expected, `${s.scenario}: ${s.finder}`);
  }
});

test("performance.md: the pruning figures over the sample trail", async () => {
  const text = doc("docs/performance.md").text;
  const m = /`(--start \S+ --end \S+)` over the sample trail opens ([\d,]+) of its ([\d,]+)\s+files \(([\d,]+) pruned by name\)/.exec(text)!;
  assert.ok(m, "the pruning sentence");
  const s = await summary(`query 'stats count(*)' ${m[1]}`);
  assert.match(s, new RegExp(` in ${m[2]} files · .* · ${m[4]} files pruned by name`), s);
  assert.equal(num(m[3]!), SAMPLE_FILES.length);
  const r = /`(--account \S+ --region \S+)` opens ([\d,]+)/.exec(text)!;
  assert.ok(r, "the account and region sentence");
  assert.match(await summary(`query 'stats count(*)' ${r[1]}`), new RegExp(` in ${r[2]} files · `));
  // `limit 1` on the sample trail reads only the newest files
  const newest = /`limit 1` on the sample trail \(([\d,]+) files then, ([\d,]+) now;[^)]*\):[^.]* reading the (\d+) newest files/.exec(text.replace(/\s+/g, " "))!;
  assert.ok(newest, "the sentence on limit 1");
  assert.equal(num(newest[2]!), SAMPLE_FILES.length);
  assert.match(await summary("query 'limit 1'"), new RegExp(` in ${newest[3]} files · `));
});

test("templates.md and README.md: how many templates, in each category", async () => {
  const list = (await run("trailq templates --json")).stdout;
  const templates = JSON.parse(list) as { id: string; category: string; tags: string[] }[];
  const m = /\((\d+) today: (\d+) of them the core set/.exec(doc("docs/templates.md").text)!;
  assert.equal(Number(m[1]), templates.length);
  assert.equal(Number(m[2]), templates.filter((t) => t.tags.includes("core")).length);
  assert.match(doc("README.md").text, new RegExp(`# ${templates.length} bundled queries`));
  const headings = [...doc("docs/templates.md").text.matchAll(/^### (.+) \((\d+)\)$/gm)];
  assert.equal(headings.reduce((s, h) => s + Number(h[2]), 0), templates.length);
});

test("templates.md: what cis-iam-policy-changes finds on the sample trail", async () => {
  const m = /on the sample trail: (\d+) events, the (\d+) of\s+the iam-policy-changes scenario, (\d+) IAM policy changes planted for other templates, and these (\d+)\)/.exec(doc("docs/templates.md").text)!;
  assert.ok(m, "the sentence on cis-iam-policy-changes");
  const rows = await jsonRows("run cis-iam-policy-changes");
  assert.equal(rows.length, Number(m[1]));
  assert.equal(Number(m[2]) + Number(m[3]) + Number(m[4]), rows.length);
  assert.equal(rows.filter((r) => r["eventSource"] === "organizations.amazonaws.com").length, Number(m[4]));
});

// ---------------------------------------------------------------------------------------------
// Queries shown inline.

/** Syntax shown with placeholders (`limit n`, `fields e [as a], ...`), not a query. */
const NOTATION = /\.\.\.|…|\[(as|f|by|with|multi|fieldname|row|col|type|override|action|param|uselower|mark|p=|maxspan)\b|\b(TABLE|COND|TERM|QUERY)\b|\(default order\)|\(\s*query\s*\)|^(limit|head|tail|limit any) n$|\btimeshift D$|^(sort|filter|stats|dedup|pattern) \||^diff previousDay\|/;
/** Code spans that start like a query but are something else, each with what it is. */
const NOT_QUERIES: Record<string, string> = {
  "SOURCE START=/END=": "the two keywords of SOURCE",
  "SOURCE START= END=": "the two keywords of SOURCE",
  "SOURCE accounts=": "a keyword of SOURCE",
  "SOURCE END=": "a keyword of SOURCE",
  "pattern needs more than the 512 MB memory budget": "an error message",
  "sort (default order)": "how explain shows the planner's sort",
};
/** Inline queries shown as errors, and the error each gives. */
const ERRORS: Record<string, RegExp> = {
  "fields 5m": /a time period can only be an argument of/,
  "stats count(*) by (0s)": /a time period can only be an argument of/,
  "filter f in (y)": /in needs a list/,
  'search eventName = "x"': /reads as a condition on a field/,
  "stats count(*) as n, sum(b) as n": /`n` names two columns of this stats/,
};
// as the docs write them (ORDER BY in athena.md is SQL)
const STARTS = new RegExp(`^(${COMMAND_NAMES.join("|")})\\s`);

test("every whole query shown inline parses and checks; the error examples give their errors", () => {
  let queries = 0;
  const seen = new Set<string>();
  for (const d of DOCS) {
    for (const s of d.spans) {
      if (!STARTS.test(s.text) || NOTATION.test(s.text) || s.text in NOT_QUERIES) continue;
      seen.add(s.text);
      let error: Error | undefined;
      try {
        buildPlan(parseQuery(s.text));
      } catch (e) {
        error = e as Error;
      }
      const expected = ERRORS[s.text];
      if (expected) assert.match(error?.message ?? "no error", expected, `${s.file}:${s.line}: ${s.text}`);
      else {
        assert.equal(error?.message, undefined, `${s.file}:${s.line}: \`${s.text}\` does not check`);
        queries++;
      }
    }
  }
  for (const k of [...Object.keys(ERRORS)]) assert.ok(seen.has(k), `no doc shows \`${k}\` any more: remove it from ERRORS`);
  assert.ok(queries >= 40, `${queries} inline queries`);
});

test("every query shown in a block without a language parses and checks", () => {
  let n = 0;
  for (const d of DOCS) {
    for (const b of d.blocks) {
      if (b.info !== "" || isShell(b)) continue;
      const text = b.lines.join("\n");
      const first = b.lines.find((l) => l.trim() !== "" && !l.startsWith("#")) ?? "";
      if (!STARTS.test(first)) continue;
      // the template format's example shortens its query with "..."
      if (text.includes("...")) continue;
      buildPlan(parseQuery(text));
      n++;
    }
  }
  assert.ok(n >= 1);
});

// ---------------------------------------------------------------------------------------------
// Markdown that renders as written.

test("every markdown table has as many cells in each row as in its header", () => {
  for (const d of DOCS) {
    for (const t of d.tables) {
      const n = t.rows[0]!.cells.length;
      for (const r of t.rows) assert.equal(r.cells.length, n, `${d.file}:${r.line}: ${r.cells.length} cells, the header has ${n} (a | inside a cell is written \\|)`);
    }
  }
});

// ---------------------------------------------------------------------------------------------
// What the docs say beside their commands.

test("templates.md: what the discovery-burst chart example finds", async () => {
  const text = doc("docs/templates.md").text.replace(/\s+/g, " ");
  const e = EXAMPLES.find((x) => x.where.startsWith("docs/templates.md") && x.command.startsWith("trailq run discovery-burst"))!;
  const m = /finds one burst, the recon sweep planted for `discovery-burst`: (\S+)'s key, (\d+) calls to (\d+) APIs of (\d+) services in the (\d+) minutes from (\S+ \d\d:\d\d)/.exec(text)!;
  assert.ok(m, "the sentence on the discovery-burst example");
  const rows = await jsonRows(e.command.replace(/^trailq /, "").replace(/ --format chart$/, ""));
  assert.equal(rows.length, 1);
  const r = rows[0]!;
  assert.ok(String(r["userIdentity.arn"]).endsWith(`:user/${m[1]}`), String(r["userIdentity.arn"]));
  assert.deepEqual([r["calls"], r["distinctApis"], r["services"]], [Number(m[2]), Number(m[3]), Number(m[4])]);
  assert.equal(r[`bin(${m[5]}m)`], `${m[6]}:00.000`);
});

test("templates.md: a template's description is required, of at least the length it says", async () => {
  const m = /`description` \(required, at least (\d+)\s+characters/.exec(doc("docs/templates.md").text)!;
  assert.ok(m, "templates.md says what description needs");
  const n = Number(m[1]);
  const dir = join(WORK, "user-templates");
  mkdirSync(dir);
  const header = (id: string, description?: string): string =>
    `# id: ${id}\n# title: A probe\n# category: custom\n${description === undefined ? "" : `# description: ${description}\n`}stats count(*)\n`;
  writeFileSync(join(dir, "short.logsinsights"), header("short", "x".repeat(n - 1)));
  writeFileSync(join(dir, "none.logsinsights"), header("none"));
  writeFileSync(join(dir, "long-enough.logsinsights"), header("long-enough", "x".repeat(n)));
  const r = await sh("trailq templates --templates user-templates --category custom");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /short\.logsinsights: description: .*>=\s*10 characters.*skipped/);
  assert.match(r.stderr, /none\.logsinsights: description: .*skipped/);
  assert.doesNotMatch(r.stderr, /long-enough/);
  assert.match(r.stdout, /long-enough/);
  assert.doesNotMatch(r.stdout, /\bshort\b|\bnone\b/);
});

/**
 * repl.md's session needs a terminal (the prompt's line editing), so its parts are checked through
 * the command line: the query's rows are the table's (cells cut with `…`), and the mistyped query
 * gives the error shown.
 */
test("repl.md: the session's query gives the rows shown, the mistyped one the error shown", async () => {
  const block = doc("docs/repl.md").blocks.find((b) => b.lines.some((l) => l.startsWith("trailq> ")))!;
  const steps: { query: string; shown: string[] }[] = [];
  for (const l of block.lines) {
    if (l.startsWith("trailq> ")) steps.push({ query: l.slice(8), shown: [] });
    else if (/^ {3}\.\.\.> /.test(l)) steps.at(-1)!.query += "\n" + l.slice(8);
    else steps.at(-1)?.shown.push(l);
  }
  const queries = steps.filter((s) => !s.query.startsWith("."));
  assert.equal(queries.length, 2);
  const [table, typo] = queries as [(typeof steps)[number], (typeof steps)[number]];
  const rows = await jsonRows(`query ${quote(table.query)}`);
  const shown = table.shown.slice(2, -1).map((l) => l.split(" │ ").map((c) => c.trim()));
  assert.equal(shown.length, rows.length);
  rows.forEach((r, i) => {
    const [cell, n] = shown[i]!;
    const [col, count] = Object.keys(r) as [string, string];
    assert.ok(cell!.endsWith("…") ? String(r[col]).startsWith(cell!.slice(0, -1)) : r[col] === cell, `${cell} / ${String(r[col])}`);
    assert.equal(Number(n), r[count]);
  });
  assert.match(table.shown.at(-1)!, new RegExp(`^\\(${rows.length} rows, 20,000 events parsed, \\d+\\.\\d\\d s\\)$`));
  const e = await run(`trailq explain '${typo.query}'`);
  assert.equal(e.status, 2);
  assert.deepEqual(lines(e.stderr), typo.shown.slice(0, lines(e.stderr).length));
});
