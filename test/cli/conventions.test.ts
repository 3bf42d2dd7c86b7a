// The conventions of the ecosystem: shell completion, --color with NO_COLOR and FORCE_COLOR, --help
// with examples, environment and exit codes, --query-file, and every option checked in trailq's words.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { BIN, ROOT, trailq } from "../bin.js";
import { shownText } from "../../src/cli/io.js";
import { tempDir } from "../temp.js";

function withEnv(args: string[], env: Record<string, string | undefined>): { status: number | null; stdout: string; stderr: string } {
  const e: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete e[k];
    else e[k] = v;
  }
  const r = spawnSync(BIN, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: e });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("bash completion: subcommands, options, an option's values, template ids, shells", () => {
  const script = trailq(["completion", "bash"]);
  assert.equal(script.status, 0, script.stderr);
  const dir = tempDir("completion");
  try {
    writeFileSync(join(dir, "c.bash"), script.stdout);
    const cases: [string[], string][] = [
      [["trailq", "qu"], "query"],
      [["trailq", "run", "cis-root-a"], "cis-root-account-usage"],
      [["trailq", "query", "--keep-d"], "--keep-duplicates"],
      [["trailq", "query", "-f", "j"], "json jsonl"],
      [["trailq", "query", "--color", ""], "auto always never"],
      [["trailq", "templates", "--category", "de"], "detection"],
      [["trailq", "templates", "show", "first-seen"], "first-seen-api-per-principal"],
      [["trailq", "completion", "f"], "fish"],
      [["trailq", "sql", "--dialect", ""], "athena duckdb"],
      [["trailq", "query", "--since", ""], ""],
    ];
    const body = cases
      .map(([words]) => `COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _trailq; echo "\${COMPREPLY[*]}"`)
      .join("\n");
    const r = spawnSync("bash", ["-c", `source ${join(dir, "c.bash")}\n${body}`], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.split("\n").slice(0, -1), cases.map(([, want]) => want));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("zsh and fish completion scripts: the same subcommands and template ids; an unknown shell is a usage error", () => {
  const zsh = trailq(["completion", "zsh"]);
  assert.equal(zsh.status, 0);
  assert.match(zsh.stdout, /^autoload -U \+X bashcompinit && bashcompinit$/m);
  assert.match(zsh.stdout, /complete -o filenames -F _trailq trailq/);
  const fish = trailq(["completion", "fish"]);
  assert.equal(fish.status, 0);
  assert.match(fish.stdout, /^complete -c trailq -n __fish_use_subcommand -a "query templates run detect sigma repl ui explain sql index cache generate completion"$/m);
  assert.match(fish.stdout, /^complete -c trailq -n "__fish_seen_subcommand_from query" -l format -s f -x -a "table json jsonl csv markdown vertical chart"$/m);
  assert.match(fish.stdout, /^complete -c trailq -n "__fish_seen_subcommand_from run" -a "[a-z0-9 -]*cis-root-account-usage[a-z0-9 -]*"$/m);
  assert.deepEqual(trailq(["completion", "tcsh"]), { status: 3, stdout: "", stderr: 'trailq: bad value for shell "tcsh": must be one of: bash, zsh, fish\n' });
});

test("--color: auto follows NO_COLOR and FORCE_COLOR, always and never win over both", () => {
  // a bar chart of the 12 hand-written events (what colours it is the setting, not the input)
  const chart = ["query", "stats count(*) as n by eventName", join(ROOT, "fixtures", "golden", "events.jsonl"), "-q", "-f", "chart"];
  const esc = (s: string): boolean => s.includes("\x1b[");
  assert.equal(esc(withEnv(chart, { NO_COLOR: undefined, FORCE_COLOR: undefined }).stdout), false, "a pipe: no colour");
  assert.equal(esc(withEnv(chart, { NO_COLOR: undefined, FORCE_COLOR: "1" }).stdout), true);
  assert.equal(esc(withEnv(chart, { NO_COLOR: "1", FORCE_COLOR: "0" }).stdout), false);
  assert.equal(esc(withEnv([...chart, "--color", "always"], { NO_COLOR: "1" }).stdout), true);
  assert.equal(esc(withEnv([...chart, "--color", "never"], { FORCE_COLOR: "1" }).stdout), false);
  assert.deepEqual(trailq([...chart, "--color", "sometimes"]), { status: 3, stdout: "", stderr: 'trailq: bad value for --color "sometimes": must be one of: auto, always, never\n' });
});

test("--help of every subcommand lists its options, an example and the exit codes; the examples that read no input run", () => {
  const help = new Map<string, string>();
  const subs = trailq(["--help"]).stdout.match(/^ {2}([a-z]+) /gm)!.map((l) => l.trim()).filter((c) => c !== "help");
  assert.ok(subs.length >= 13, subs.join(" "));
  for (const sub of subs) {
    const r = trailq([sub, "--help"]);
    assert.equal(r.status, 0, sub);
    assert.match(r.stdout, /^Options:$/m, sub);
    assert.match(r.stdout, /^Examples:\n {2}\$ trailq /m, sub);
    assert.match(r.stdout, /^Exit codes: 0 ok · 1 --strict .* · 3 bad command line · 4 over the memory budget \(--memory\) · 70 /m, sub);
    help.set(sub, r.stdout);
  }
  assert.match(help.get("query")!, /^ {2}TRAILQ_WORKERS /m);
  assert.match(help.get("repl")!, /^ {2}XDG_STATE_HOME /m);
  assert.match(help.get("cache")!, /^ {2}XDG_CACHE_HOME /m);
  // an example that needs no trail, no network and no terminal is run as a shell would run it, in a
  // home of its own (the completion examples write into ~/.local and ~/.config)
  const pure = new Set(["explain", "sql", "templates", "completion"]);
  const home = tempDir("help-examples");
  let ran = 0;
  try {
    for (const [sub, text] of help) {
      if (!pure.has(sub)) continue;
      for (const [, example] of text.matchAll(/^ {2}\$ (trailq .*)$/gm)) {
        const written = [...example!.matchAll(/> ~\/(\S+)/g)].map((m) => join(home, m[1]!));
        for (const f of written) mkdirSync(dirname(f), { recursive: true });
        const r = spawnSync("sh", ["-c", example!], { cwd: ROOT, encoding: "utf8", env: { ...process.env, HOME: home, PATH: `${join(ROOT, "bin")}:${process.env["PATH"]}` } });
        assert.equal(r.status, 0, `${example}: ${r.stderr}`);
        for (const f of written) assert.match(readFileSync(f, "utf8"), /trailq/, f);
        ran++;
      }
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  assert.ok(ran >= 7, `${ran} examples run`);
});

test("--query-file: the query from a file, every argument a path", () => {
  const dir = tempDir("query-file");
  try {
    const file = join(dir, "hunt.logsinsights");
    writeFileSync(file, 'filter eventName = "ConsoleLogin"\n| stats count(*) as logins\n');
    const r = trailq(["query", "--query-file", file, join(ROOT, "fixtures", "sample-trail"), "-q", "-f", "csv"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r, trailq(["query", 'filter eventName = "ConsoleLogin" | stats count(*) as logins', join(ROOT, "fixtures", "sample-trail"), "-q", "-f", "csv"]));
    assert.match(trailq(["explain", "--query-file", file]).stdout, /^query: filter eventName = "ConsoleLogin"/);
    assert.deepEqual(trailq(["query", "--query-file", join(dir, "nope")]), { status: 3, stdout: "", stderr: `trailq: cannot read the query file ${join(dir, "nope")}: no such file\n` });
    assert.deepEqual(trailq(["query"]), { status: 3, stdout: "", stderr: "trailq: give a query, or --query-file FILE\n" });
    // a query error in a file points into the file's text
    writeFileSync(file, "fields eventName\n| stats cout(*)\n");
    const bad = trailq(["query", "--query-file", file]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^error: 2:9: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("every option is checked, in trailq's words", () => {
  const cases: [string[], Record<string, string>, string][] = [
    [["query", "limit 1", "--max-rows", "abc"], {}, 'trailq: bad value for --max-rows "abc": not a whole number written in digits\n'],
    // decimal digits only: Number() reads 0x10 as 16, 1e3 as 1000 and "" as 0
    [["query", "limit 1", "--max-rows", "0x10"], {}, 'trailq: bad value for --max-rows "0x10": not a whole number written in digits\n'],
    [["ui", "--port", "0x50", "--no-open"], {}, 'trailq: bad value for --port "0x50": not a whole number written in digits\n'],
    [["generate", "-o", "/nonexistent/x", "--seed", ""], {}, 'trailq: bad value for --seed "": not a whole number written in digits\n'],
    [["generate", "-o", "/nonexistent/x", "--days", "1e9"], {}, 'trailq: bad value for --days "1e9": not a number written in digits\n'],
    [["generate", "-o", "/nonexistent/x", "--days", "99999"], {}, 'trailq: bad value for --days "99999": must be at most 3660\n'],
    [["generate", "-o", "/nonexistent/x", "--start", "March 7"], {}, 'trailq: bad value for --start "March 7": not an ISO 8601 date such as 2026-11-01T00:00:00Z\n'],
    [["generate", "-o", "/nonexistent/x", "-n", "10", "-n", "20"], {}, 'error: option \'-n, --events <n>\' argument \'20\' is invalid. given twice ("10", then "20"): give it once\n'],
    [["templates", "--category", "cis", "--category", "cost"], {}, 'error: option \'--category <name>\' argument \'cost\' is invalid. given twice ("cis", then "cost"): give it once\n'],
    [["templates", "-f", "text", "--json"], {}, "trailq: --json and -f text ask for two formats: give one\n"],
    // durations: a capital M could be months; a length has no sign
    [["query", "limit 1", "--since", "6M"], {}, 'trailq: bad value for --since: "6M" could be minutes or months: write 6m for minutes (a month has no fixed length: give days, such as 30d)\n'],
    [["query", "limit 1", "--since", "-2h"], {}, 'trailq: bad value for --since: "-2h" is a length of time, without a sign (such as 2h)\n'],
    [["query", "limit 1", "--tz", "+02:60"], {}, 'trailq: bad value for --tz: "+02:60" is not an offset from UTC (its minutes are 00 to 59)\n'],
    [["query", "limit 1", "--lookup", "t=a.csv", "--lookup", "t=b.csv"], {}, "trailq: --lookup t is given twice: give each table a name of its own\n"],
    [["query", "--query-file", "fixtures"], {}, "trailq: cannot read the query file fixtures: a folder, not a file\n"],
    // an option that does nothing where it is given
    [["sigma", "fixtures/detect/rules/big_gpu.yml", "--table", "foo"], {}, "trailq: --table goes with --sql\n"],
    [["sigma", "fixtures/detect/rules/big_gpu.yml", "--sql", "--table", "bad name"], {}, 'trailq: bad value for --table "bad name": a table name such as cloudtrail_logs or mydb.cloudtrail_logs\n'],
    [["sql", "stats count(*)", "--first-day", "2021/01/01"], {}, "trailq: --first-day goes with --ddl\n"],
    [["sql", "--ddl", "--bucket", "s3://b/p", "--first-day", "2021/13/45"], {}, 'trailq: bad value for --first-day "2021/13/45": a day of the calendar, such as 2020/01/01\n'],
    [["sql", "--ddl", "--bucket", "s3://b/p", "--since", "7d"], {}, "trailq: --since goes with a query: --ddl prints the table, which holds every day and every copy\n"],
    [["query", "limit 1", "--max-rows", "-3"], {}, 'trailq: bad value for --max-rows "-3": must be more than 0\n'],
    [["query", "limit 1", "-f", "yaml"], {}, 'trailq: bad value for --format "yaml": must be one of: table, json, jsonl, csv, markdown, vertical, chart\n'],
    [["query", "limit 1", "--account", "12"], {}, 'trailq: bad value for --account "12": an account id has 12 digits\n'],
    [["generate", "-o", "/nonexistent/x", "-n", "1.5"], {}, 'trailq: bad value for --events "1.5": not a whole number written in digits\n'],
    [["query", "limit 1"], { TRAILQ_WORKERS: "abc" }, 'trailq: bad value for TRAILQ_WORKERS "abc": not a whole number of worker threads (0 or 1: none)\n'],
    [["ui", "--no-open"], { TRAILQ_WORKERS: "abc" }, 'trailq: bad value for TRAILQ_WORKERS "abc": not a whole number of worker threads (0 or 1: none)\n'],
    [["templates", "-f", "yaml"], {}, 'trailq: bad value for --format "yaml": must be one of: text, json\n'],
    [["templates", "--category", "bogus"], {}, 'trailq: bad value for --category "bogus": must be one of: cis, detection, investigation, operations, cost, aws-sample, time-series, custom\n'],
  ];
  for (const [args, env, stderr] of cases) {
    const r = withEnv(args, env);
    assert.deepEqual(r, { status: 3, stdout: "", stderr }, args.join(" "));
    assert.doesNotMatch(r.stderr, /Invalid|received|expected/);
  }
  // checked before anything is written: detect's --memory before the rules (and their cache) are read
  const cache = tempDir("options-cache");
  try {
    const r = withEnv(["detect", "--rules", "fixtures/detect/rules", "--memory", "1K"], { XDG_CACHE_HOME: cache });
    assert.deepEqual(r, { status: 3, stdout: "", stderr: "trailq: bad value for --memory: 1K is less than the smallest budget, 1 MB\n" });
    assert.deepEqual(readdirSync(cache), [], "no rules cache written");
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test("text for a person (a query, a plan, SQL, a template): on a terminal what would act is shown as an escape, line by line; piped, exact", () => {
  const text = "filter userAgent = \"\u001b]0;x\u0007\u202e\"\n| limit 1\n";
  assert.equal(shownText(text, false), text);
  assert.equal(shownText(text, true), 'filter userAgent = "\\x1b]0;x\\x07\\u202e"\n| limit 1\n');
});
