// The prompt: continuation rules, completion, and a real session in a pseudo-terminal (tmux).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { needsMore } from "../../src/repl/input.js";
import { asOneEntry, screenful } from "../../src/cli/repl.js";
import { complete } from "../../src/repl/complete.js";
import { promptHistory } from "../../src/repl/saved.js";
import { dripCommand, eventLines } from "../drip.js";
import { hasTmux, terminal, type Terminal } from "../tmux.js";
import { tempDir } from "../temp.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

test("a line continues after a trailing |, an open quote, parenthesis or bracket", () => {
  assert.equal(needsMore("filter a = 1 |"), true);
  assert.equal(needsMore('filter a = "x'), true);
  assert.equal(needsMore("filter a in [1,"), true);
  assert.equal(needsMore("stats count(*"), true);
  assert.equal(needsMore('filter a = "|" and b = 1'), false);
  assert.equal(needsMore("filter a = 1 # a comment with ( and |"), false);
  assert.equal(needsMore("stats count(*) by eventName"), false);
  // a regex literal holds no quote, comment or bracket of the query's (as the lexer reads it); a / after a value divides
  assert.equal(needsMore("filter userAgent like /Don't/ | stats count(*) as n"), false);
  assert.equal(needsMore("filter userAgent like /(distrib#kali)/ | stats count(*) as n"), false);
  assert.equal(needsMore('parse userAgent /a"(?<b>\\w+)/ | fields b'), false);
  assert.equal(needsMore("filter eventName like /ab/ |"), true);
  assert.equal(needsMore("fields bytes / 2 |"), true);
  assert.equal(needsMore("fields (bytes / 2"), true);
});

test("a query typed over lines is one entry of the session's history: Up recalls the query that ran, not its last line", () => {
  // readline's history, newest first: the query's lines, with a line pasted after them before them
  const history = ["fields eventName", "stats count(*) as n", 'filter eventName = "ConsoleLogin" |', "limit 1"];
  asOneEntry(history, 'filter eventName = "ConsoleLogin" |\nstats count(*) as n', 'filter eventName = "ConsoleLogin" |\nstats count(*) as n');
  assert.deepEqual(history, ["fields eventName", 'filter eventName = "ConsoleLogin" |\nstats count(*) as n', "limit 1"]);
  // a | line: the whole query it ran
  const piped = ["| stats count(*)", "filter a = 1"];
  asOneEntry(piped, "| stats count(*)", "filter a = 1\n| stats count(*)");
  assert.deepEqual(piped, ["filter a = 1\n| stats count(*)", "filter a = 1"]);
  // a one-line query stays as readline keeps it
  const one = ["limit 1"];
  asOneEntry(one, "limit 1", "limit 1");
  assert.deepEqual(one, ["limit 1"]);
});

test("the first screenful counts the rows of the screen a long line wraps onto", () => {
  const long = "x".repeat(250);
  // 80 columns: the long line takes 4 rows
  assert.deepEqual(screenful(["a", long, "b", "c"], 6, 80), { text: `a\n${long}\nb`, lines: 3 });
  assert.deepEqual(screenful(["a", long, "b"], 4, 80), { text: "a", lines: 1 });
  // colour takes no column
  assert.deepEqual(screenful(["\x1b[1mab\x1b[0m", "c"], 2, 2), { text: "\x1b[1mab\x1b[0m\nc", lines: 2 });
  // a first line taller than the screen is cut to it
  assert.deepEqual(screenful([long], 2, 80), { text: "x".repeat(159) + "…", lines: 1 });
});

test("completion: commands, functions with their ( , fields, dot commands, template ids", () => {
  const src = { fields: () => ["userIdentity.sessionContext.sessionIssuer.userName", "userIdentity.type", "eventName"], templates: () => ["cis-root-account-usage", "cis-nacl-changes"] };
  assert.deepEqual(complete("sta", src), [["stats"], "sta"]);
  assert.deepEqual(complete("filter x | so", src), [["SOURCE", "sort"], "so"]);
  assert.deepEqual(complete("fields userIdentity.sess", src), [["userIdentity.sessionContext.sessionIssuer.userName"], "userIdentity.sess"]);
  assert.deepEqual(complete("filter isValidIpV", src)[0], ["isValidIpV4(", "isValidIpV6("]);
  assert.deepEqual(complete(".ti", src), [[".timer"], ".ti"]);
  assert.deepEqual(complete(".run cis-r", src), [["cis-root-account-usage"], "cis-r"]);
  // a name the parser would not read back as written is offered with backticks
  const odd = { fields: () => ["requestParameters.x-amz-server-side-encryption", "requestParameters.sp ace"], templates: () => [] };
  assert.deepEqual(complete("fields requestParameters.x", odd), [["requestParameters.`x-amz-server-side-encryption`"], "requestParameters.x"]);
  assert.deepEqual(complete("fields requestParameters.sp", odd), [["requestParameters.`sp ace`"], "requestParameters.sp"]);
  // readline echoes a candidate as it is: a name holding a terminal's escapes is not offered, a field's nor a file's
  const hostile = { fields: () => ["requestParameters.\u001b]0;T\u0007x", "requestParameters.ok"], templates: () => [] };
  assert.deepEqual(complete("fields requestParameters.", hostile), [["requestParameters.ok"], "requestParameters."]);
  const dir = tempDir("repl-complete-files");
  try {
    for (const name of ["ok.json", "bad\u001b[31mRED.json", "b\u202eidi.json"]) writeFileSync(join(dir, name), "");
    assert.deepEqual(complete(`.source ${dir}/`, src), [[`${dir}/ok.json`], `${dir}/`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the prompt recalls no history line that would act on the terminal, and skips a line it did not write", () => {
  const dir = tempDir("repl-history");
  try {
    const file = join(dir, "history");
    writeFileSync(file, [JSON.stringify("fields a"), JSON.stringify("filter requestParameters.`\u001b[31mK` = 1"), "not json", JSON.stringify("fields b\n| limit 1"), JSON.stringify(".run x"), ""].join("\n"));
    assert.deepEqual(promptHistory(file), [".run x", "fields b\n| limit 1", "fields a"]);
    assert.deepEqual(promptHistory(join(dir, "none")), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a session in a real terminal: multi-line query, Tab, Ctrl-C, history across restarts", { skip: !hasTmux && "tmux is not installed" }, async () => {
  const dir = tempDir("repl");
  const pipe = join(dir, "events.pipe");
  let feeder: ChildProcess | undefined;
  const start = (): Terminal => terminal(`cd ${ROOT} && XDG_STATE_HOME=${dir} NO_COLOR=1 ./bin/trailq repl`, 150, 50, { tries: 300 });
  let t: Terminal | undefined;
  try {
    // A named pipe that keeps giving events: the scan of it is still running when Ctrl-C comes.
    execFileSync("mkfifo", [pipe]);
    feeder = spawn("sh", ["-c", `${dripCommand(await eventLines(join(ROOT, "fixtures", "sample-trail"), dir))} > ${pipe}`], { stdio: "ignore" });
    t = start();
    await t.until(/^trailq>\s*$/m, "the prompt");
    t.keys('filter eventSource = "kms.amazonaws.com" |', "Enter");
    await t.until(/^\s+\.\.\.>\s*$/m, "the continuation prompt");
    t.keys('stats count(*) as n by eventName | sort n desc | limit 2', "Enter");
    await t.until(/Decrypt\s+│\s+\d+[\s\S]*\(2 rows, 18,636 events parsed, 344 files ruled out by the filter.s text\)/, "the result");
    t.keys("sta", "Tab");
    await t.until(/^trailq> stats\s*$/m, "Tab completes sta");
    // Tab completes as far as the discovered paths agree, then on to the full path
    t.keys("C-u", "fields userIdentity.sess", "Tab");
    await t.until(/^trailq> fields userIdentity\.sessionContext\.\s*$/m, "Tab completes userIdentity.sess");
    t.keys("sessionI", "Tab");
    await t.until(/^trailq> fields userIdentity\.sessionContext\.sessionIssuer\.\s*$/m, "Tab completes sessionI");
    t.keys("userN", "Tab");
    await t.until(/^trailq> fields userIdentity\.sessionContext\.sessionIssuer\.userName\s*$/m, "Tab completes to the full path");
    t.keys("C-u", `.source ${pipe}`, "Enter");
    t.keys("stats count(*) by eventName, sourceIPAddress, userAgent", "Enter");
    await t.until(/files · .*events/, "the scan's progress");
    t.keys("C-c");
    await t.until(/cancelled\)/, "Ctrl-C cancels the scan");
    t.keys(".source fixtures/sample-trail", "Enter");
    t.keys("stats count(*) as total", "Enter");
    await t.until(/20000\n\(1 row, 20,000 events parsed\)/, "another query in the same session");
    // two lines at once (as pasted): the second comes while the first runs, and runs after it
    t.keys("stats count(*) as first_of_two", "Enter", "stats count(*) as second_of_two", "Enter");
    await t.until(/first_of_two\n─+\n\s*20000[\s\S]*second_of_two\n─+\n\s*20000/, "both pasted lines run");
    // a | line goes on from the last query; recalled with Up, it is the whole query it ran, not the | line again
    t.keys('filter eventName = "ConsoleLogin" | stats count(*) as logins', "Enter");
    t.keys("| fields logins + 1 as more", "Enter");
    await t.until(/more\n─+\n\s*31\n/, "the | line's result");
    t.keys("Up", "Enter");
    await t.until(/more\n─+\n\s*31\n[\s\S]*more\n─+\n\s*31\n/, "the recalled query's result, the same");
    // a template with a recent window says where it was anchored: the sample trail's newest event
    t.keys(".run console-login-new-source-ip", "Enter");
    await t.until(/102\.129\.234\.5[\s\S]*\(2 rows, [^)]*, window anchored at 2026-11-03 23:59:31 UTC \(last event\)\)/, "a template's anchor");
    t.keys("C-d");
    await new Promise((r) => setTimeout(r, 300));
    const saved = readFileSync(join(dir, "trailq", "history"), "utf8");
    assert.match(saved, /stats count\(\*\) as total/);
    // Ctrl-D ended the prompt, and with it the tmux session
    t.close();
    t = start();
    await t.until(/^trailq>\s*$/m, "the prompt again");
    t.keys("Up");
    await t.until(/trailq> \.run console-login-new-source-ip/, "history survives a restart");
    t.keys("Up");
    await t.until(/trailq> filter eventName = "ConsoleLogin" \| stats count\(\*\) as logins\n\| fields logins \+ 1 as more/, "history goes back further: a | line as the whole query it ran");
  } finally {
    feeder?.kill();
    t?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("completion offers no field name that holds control characters (readline would echo it raw)", () => {
  const src = { fields: () => ["requestParameters.bucketName", "requestParameters.\x1b]2;key\x07", "requestParameters.\u202eevil"], templates: () => [] };
  assert.deepEqual(complete("fields requestParameters.", src), [["requestParameters.bucketName"], "requestParameters."]);
});

test("hostile values at the prompt: shown escaped, the terminal's title untouched; an .output that cannot be written is a message", { skip: !hasTmux && "tmux is not installed" }, async () => {
  const dir = tempDir("repl-hostile");
  const events = join(dir, "hostile.jsonl");
  writeFileSync(events, [
    { eventTime: "2026-11-01T00:00:00Z", eventName: "E1", userAgent: "\x1b]2;pwned\x07\x1b[2J\x1b[31mred", requestParameters: { bucketName: "b", "\x1b]2;key\x07": 1 } },
    { eventTime: "2026-11-01T00:01:00Z", eventName: "E2", userAgent: "=HYPERLINK(\"http://x\") \u202eevil \u009b31m", requestParameters: { bucketName: "c" } },
  ].map((e) => JSON.stringify(e)).join("\n") + "\n");
  const t = terminal(`cd ${ROOT} && XDG_STATE_HOME=${dir} NO_COLOR=1 ./bin/trailq repl ${events}`, 150, 50, { tries: 300 });
  try {
    await t.until(/^trailq>\s*$/m, "the prompt");
    const before = t.title();
    assert.notEqual(before, "pwned");
    t.keys("fields eventName, userAgent", "Enter");
    await t.until(/E1 +│ \\x1b\]2;pwned\\x07\\x1b\[2J\\x1b\[31mred\n/, "the table, escaped");
    await t.until(/E2 +│ =HYPERLINK\("http:\/\/x"\) \\u202eevil \\x9b31m\n/, "the table, escaped");
    t.keys(".format csv", "Enter", "fields eventName, userAgent", "Enter");
    await t.until(/^E1,\\x1b\]2;pwned\\x07\\x1b\[2J\\x1b\[31mred$/m, "csv on the screen, escaped");
    await t.until(/^E2,"'=HYPERLINK\(""http:\/\/x""\) \\u202eevil \\x9b31m"$/m, "csv on the screen, formula neutralised");
    t.keys(".format json", "Enter", "fields eventName, userAgent", "Enter");
    await t.until(/"userAgent":"\\u001b\]2;pwned\\u0007\\u001b\[2J\\u001b\[31mred"/, "json on the screen");
    await t.until(/"userAgent":"=HYPERLINK\(\\"http:\/\/x\\"\) \\u202eevil \\u009b31m"/, "json on the screen");
    t.keys(".fields", "Enter");
    await t.until(/requestParameters\.\\x1b\]2;key\\x07 +50%/, ".fields, escaped");
    // Tab: the one field name under requestParameters. that can be typed
    t.keys("fields requestParameters.", "Tab");
    await t.until(/^trailq> fields requestParameters\.bucketName\s*$/m, "Tab completes past the hostile name");
    t.keys("C-u", ".output /proc/x.csv", "Enter");
    await t.until(/^error: cannot write the file \/proc\/x\.csv: it cannot be created there \(ENOENT\)$/m, ".output refuses /proc");
    const full = join(dir, "full.csv");
    symlinkSync("/dev/full", full);
    t.keys(`.output ${full}`, "Enter", ".format table", "Enter", "fields eventName", "Enter");
    // (lines typed ahead: the prompt can come before the message)
    await t.until(new RegExp(`^(trailq> )?error: cannot write the file ${full.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: no space left on device \\(ENOSPC\\)$`, "m"), "a full disk under .output");
    t.keys(".output off", "Enter");
    await t.until(/^output: the screen only$/m, "the prompt takes commands after the error");
    t.keys("stats count(*) as n", "Enter");
    await t.until(/^trailq> stats count\(\*\) as n\nn\n─\n2\n\(1 row, 2 events parsed\)/m, "the session goes on");
    assert.equal(t.title(), before, "an event renamed the pane");
  } finally {
    t.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("dot commands say what they did, and a bad argument is an error, never a silent switch", () => {
  const script = [".chart maybe", ".timer", ".timer on", ".timer", ".chart", ".range", ".since 2h", ".range", ".run", ".run console-password-spraying minUsers", "   .tz", ".sigma fixtures", ".tz +05:30", ".since 2h", ".quit"].join("\n") + "\n";
  const state = tempDir("repl-dots");
  const r = spawnSync(join(ROOT, "bin", "trailq"), ["repl"], { cwd: ROOT, input: script, encoding: "utf8", env: { ...process.env, XDG_STATE_HOME: state } });
  rmSync(state, { recursive: true, force: true });
  const lines = r.stdout.split("\n").concat(r.stderr.split("\n")).filter(Boolean);
  assert.deepEqual(lines.filter((l) => l.startsWith("timer: ")), ["timer: off", "timer: on", "timer: on"]);
  for (const want of [
    "trailq: error: .chart on|off",
    // alone, .timer and .chart say their state, and change nothing
    "timer: off",
    "timer: on",
    "chart: off",
    "time range: all",
    "trailq: error: .run ID [name=value ...]: .templates lists the ids",
    'trailq: error: bad parameter "minUsers": write name=value',
    "times show in UTC",
    "trailq: error: fixtures is a folder: give one rule file (trailq detect --rules takes a folder)",
  ]) {
    assert.ok(lines.includes(want), `${want}\n---\n${lines.join("\n")}`);
  }
  // .range alone shows the range .since set (the last 2h, measured at each query), and leaves it
  assert.match(r.stdout, /^time range: the last 2h at each query$/m);
  // times said in the zone .tz chose: the range, and where a template's window was anchored
  assert.match(r.stdout, /^time range: the last 2h at each query \(now from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+05:30\)$/m);
});

test("a line that starts with | goes on from the last query, as the lines of a Logs Insights query do", () => {
  const script = 'filter eventSource = "signin.amazonaws.com"\n| stats count(*) as logins by eventName\n.quit\n';
  const state = tempDir("repl-pipe");
  const r = spawnSync(join(ROOT, "bin", "trailq"), ["repl"], { cwd: ROOT, input: script, encoding: "utf8", env: { ...process.env, XDG_STATE_HOME: state } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\(after the last query: filter eventSource = "signin\.amazonaws\.com" \| stats count\(\*\) as logins by eventName\)$/m);
  assert.match(r.stdout, /^eventName +│ logins$/m);
  // a last query holding a # comment is shown line by line (on one line the comment hid the rest)
  const commented = spawnSync(join(ROOT, "bin", "trailq"), ["repl"], { cwd: ROOT, input: 'filter eventSource = "signin.amazonaws.com" # logins\n| stats count(*) as n\n.quit\n', encoding: "utf8", env: { ...process.env, XDG_STATE_HOME: state } });
  rmSync(state, { recursive: true, force: true });
  assert.match(commented.stdout, /^\(after the last query: filter eventSource = "signin\.amazonaws\.com" # logins\n {2}\| stats count\(\*\) as n\)$/m);
  // a filter pasted over lines, its conditions on lines of their own (as the bundled templates write
  // them): the query the command line runs, not the first line's with the | line on it
  const pasted = 'filter eventSource = "s3.amazonaws.com"\n    and readOnly = 0\n  OR eventName = "ConsoleLogin"\n| stats count(*) as n\n';
  const cli = spawnSync(join(ROOT, "bin", "trailq"), ["query", pasted, "fixtures/sample-trail", "-f", "csv", "-q"], { cwd: ROOT, encoding: "utf8" });
  // (each line runs as it comes: the first alone writes some thousands of events)
  const repl = spawnSync(join(ROOT, "bin", "trailq"), ["repl", "fixtures/sample-trail"], { cwd: ROOT, input: `.format csv\n${pasted}`, encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, XDG_STATE_HOME: state } });
  assert.equal(repl.status, 0, repl.stderr);
  // the last answer: the header and its row, before the summary line
  assert.equal(repl.stdout.replace(/\r/g, "").trim().split("\n").slice(-3, -1).join("\n"), cli.stdout.replace(/\r/g, "").trim());
  assert.match(cli.stdout, /^n\r\n[1-9]\d*\r\n$/);
  // a | line after a query with an error is refused, not run after the query before that one (it
  // was most likely the failed query's next line, pasted with it)
  const afterError = spawnSync(join(ROOT, "bin", "trailq"), ["repl", "fixtures/sample-trail"], { cwd: ROOT, input: 'filter awsRegion = "eu-west-1"\nfilter eventName = "ConsoleLogin" and userAgent like /Mozilla[/\n| stats count(*) as logins\n.quit\n', encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, XDG_STATE_HOME: state } });
  assert.match(afterError.stderr, /^trailq: error: a line that starts with \|, and or or goes on from the last query, and the query before this line had an error \(this line is not run after an earlier one\): type the whole query$/m);
  assert.doesNotMatch(afterError.stdout, /logins/);
  // a field that starts with "and" or "or" is no continuation
  assert.equal(spawnSync(join(ROOT, "bin", "trailq"), ["repl"], { cwd: ROOT, input: "orders.id\n", encoding: "utf8", env: { ...process.env, XDG_STATE_HOME: state } }).stderr.includes("goes on from the last query"), false);
  rmSync(state, { recursive: true, force: true });
});

test("the last query is the one that planned and ran: | after .sigma refines the rule's query, after an error or a template there is none to go on from", () => {
  const dir = tempDir("repl-last");
  const rule = join(dir, "rule.yml");
  writeFileSync(rule, "title: logins\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  sel:\n    eventName: ConsoleLogin\n  condition: sel\n");
  const script = [`.sigma ${rule}`, "| stats count(*) as n", "stast count(*)", ".save broken", ".saved", ".run cis-root-account-usage", "| stats count(*)", ".explain    stast count(*)", ".range 2026-11-02 10:00 2026-11-02T12:00", ".fields", `.source ${dir}`, ".fields", ".quit"].join("\n") + "\n";
  const r = spawnSync(join(ROOT, "bin", "trailq"), ["repl"], { cwd: ROOT, input: script, encoding: "utf8", env: { ...process.env, XDG_STATE_HOME: dir, XDG_CONFIG_HOME: dir } });
  rmSync(dir, { recursive: true, force: true });
  // the rule's query, then the | line on it: 30 console logins in the sample trail
  assert.match(r.stdout, /^\(after the last query: filter eventName like .* \| stats count\(\*\) as n\)$/m);
  assert.match(r.stdout, /^ *n\n─+\n *30$/m);
  // the query that failed to parse is not the last query: .save saves the one that ran before it
  assert.match(r.stdout, /^ {2}broken +filter eventName like .* \| stats count\(\*\) as n$/m);
  // a template's query is no text to go on from
  assert.match(r.stderr, /^trailq: error: a line that starts with \|, and or or goes on from the last query, and there is none \(the last was the template cis-root-account-usage, whose query is not text with its values in it: type the query\): type the whole query$/m);
  // the caret under the query's own text, whatever the spaces after .explain
  assert.match(r.stderr, /^1 \| stast count\(\*\)\n {4}\^{5}$/m);
  // a date and its time as two words, as --start takes them
  assert.match(r.stdout, /^time range: 2026-11-02 10:00:00 UTC to 2026-11-02 12:00:00 UTC$/m);
  // piped, .fields samples the inputs then; after .source, the new ones (a folder of a rule file: no field)
  assert.match(r.stdout, /^ {2}eventName +100%$/m);
  const afterSource = r.stdout.slice(r.stdout.indexOf(`reading: ${dir}`));
  assert.doesNotMatch(afterSource, /eventName +100%/);
});

test(".fields: shares as ispresent has them (a null is absent, an empty object present), each copy of an event once, of the events it says it read", () => {
  const dir = tempDir("repl-fields");
  try {
    const events = [0, 1, 2, 3].map((i) => ({ eventTime: `2026-11-01T00:00:0${i}Z`, eventID: `x${i}`, eventName: "E", requestParameters: i < 2 ? {} : { bucketName: "b" }, responseElements: null, ...(i === 0 ? { "a.b": 1, a: { b: 2 } } : {}), ...(i < 2 ? { errorCode: "Denied" } : { errorCode: null }) }));
    // a copy of x0, which queries skip
    writeFileSync(join(dir, "a.json"), JSON.stringify({ Records: [...events, events[0]] }));
    const r = spawnSync(join(ROOT, "bin", "trailq"), ["repl", dir], { input: ".fields\n", encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^the fields of the first 4 events read \(each copy once\)/m);
    const share = (f: string): string | undefined => new RegExp(`^ {2}${f.replace(".", "\\.")} +(\\S+)$`, "m").exec(r.stdout)?.[1];
    // empty in two events, filled in the other two: present in all four
    assert.equal(share("requestParameters"), "100%");
    assert.equal(share("requestParameters.bucketName"), "50%");
    assert.equal(share("responseElements"), undefined);
    assert.equal(share("errorCode"), "50%");
    // one event has the path twice (a dotted key and a nested one): 1 of 4
    assert.equal(share("a.b"), "25%");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(".templates and .run say once that a template file of yours could not be read, as trailq templates does", () => {
  const config = tempDir("repl-bad-template");
  try {
    mkdirSync(join(config, "trailq", "templates"), { recursive: true });
    writeFileSync(join(config, "trailq", "templates", "bad-one.logsinsights"), "# id: bad-one\n# title: x\nfilter x\n");
    const r = spawnSync(join(ROOT, "bin", "trailq"), ["repl"], { input: ".templates\n.run bad-one\n", encoding: "utf8", env: { ...process.env, XDG_CONFIG_HOME: config } });
    const said = r.stderr.split("\n").filter((l) => l.includes("bad-one.logsinsights"));
    assert.equal(said.length, 1, r.stderr);
    assert.match(said[0]!, /^trailq: warning: template .*bad-one\.logsinsights: title: .* \(skipped\)$/);
    assert.match(r.stderr, /no template bad-one/);
  } finally {
    rmSync(config, { recursive: true, force: true });
  }
});

test(".templates shows a template's title escaped: a team's templates folder is anyone's to write", () => {
  const config = tempDir("repl-hostile-template");
  try {
    mkdirSync(join(config, "trailq", "templates"), { recursive: true });
    writeFileSync(join(config, "trailq", "templates", "evil.logsinsights"), "# id: evil\n# title: Evil \u001b]0;pwned\u0007 \u202erev\n# category: custom\n# description: what a hostile team mate wrote\nfields eventName\n");
    const r = spawnSync(join(ROOT, "bin", "trailq"), ["repl"], { input: ".templates\n", encoding: "utf8", env: { ...process.env, XDG_CONFIG_HOME: config } });
    assert.match(r.stdout, /evil +Evil \\x1b\]0;pwned\\x07 \\u202erev$/m, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /[\u0007\u001b\u202e]/);
  } finally {
    rmSync(config, { recursive: true, force: true });
  }
});

test("the prompt says what the CLI says of the data: each bad line and bad eventTime a warning (also from worker threads), the copies and problems in its summary", () => {
  const dir = tempDir("repl-problems");
  try {
    // enough files for two workers when asked (TRAILQ_WORKERS=2), one with every kind of problem
    for (let f = 0; f < 3; f++) writeFileSync(join(dir, `ok-${f}.jsonl`), `{"eventTime":"2026-11-01T00:00:0${f}Z","eventName":"OK","eventSource":"s","eventID":"ok-${f}"}\n`);
    writeFileSync(join(dir, "mix.jsonl"), [
      '{"eventTime":"2026-11-01T00:01:01Z","eventName":"A","eventSource":"s","eventID":"m1"}',
      '{"eventTime":"2026-11-01T00:01:02Z","eventName":"A","eventSource":"s","eventID":"m1"}',
      '{"eventTime":"not a time","eventName":"B","eventSource":"s","eventID":"m2"}',
      '{"eventTime":"2026-11-01T00:01:03Z","eventName":',
    ].join("\n") + "\n");
    for (const workers of ["0", "2"]) {
      const r = spawnSync(join(ROOT, "bin", "trailq"), ["repl", dir], { input: "stats count(*) as n\n", encoding: "utf8", env: { ...process.env, XDG_STATE_HOME: dir, TRAILQ_WORKERS: workers } });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /mix\.jsonl: line 4: bad JSON .*: line skipped/, `workers ${workers}`);
      assert.match(r.stderr, /mix\.jsonl: record 3: eventTime "not a time" is not a time/, `workers ${workers}`);
      assert.match(r.stdout, /^5\n\(1 row, 6 events parsed, 1 duplicate event skipped \(same eventID; --keep-duplicates keeps them\), 1 event with a bad eventTime \(no @timestamp\), 0 files skipped, problems: 1 bad JSON line\)$/m, `workers ${workers}`);
    }
    // the option the summary names is the prompt's too
    const kept = spawnSync(join(ROOT, "bin", "trailq"), ["repl", dir, "--keep-duplicates"], { input: "stats count(*) as n\n", encoding: "utf8", env: { ...process.env, XDG_STATE_HOME: dir } });
    assert.equal(kept.status, 0, kept.stderr);
    assert.match(kept.stdout, /^6\n\(1 row, 6 events parsed, 1 event with a bad eventTime/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("piped, .detect and .index say their warnings on standard error, as queries do", () => {
  const dir = tempDir("repl-detect-warn");
  try {
    writeFileSync(join(dir, "a.jsonl"), '{"eventTime":"2026-11-01T00:00:00Z","eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com","eventID":"a"}\n{"eventTime":\n');
    const r = spawnSync(join(ROOT, "bin", "trailq"), ["repl", dir], { input: ".detect\n", encoding: "utf8", env: { ...process.env, XDG_STATE_HOME: dir, XDG_CACHE_HOME: dir } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /trailq: warning: .*a\.jsonl: line 2: bad JSON/);
    assert.doesNotMatch(r.stdout, /warning:/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the prompt does not hold a result's whole text: a sort of 40,000 whole events in a 128 MB heap ends as the CLI's does (it ran out of memory)", () => {
  const dir = tempDir("repl-big");
  try {
    const made = spawnSync(join(ROOT, "bin", "trailq"), ["generate", "--events", "40000", "--out", join(dir, "trail")], { encoding: "utf8" });
    assert.equal(made.status, 0, made.stderr);
    const env = { ...process.env, XDG_STATE_HOME: dir, NODE_OPTIONS: "--max-old-space-size=128", TRAILQ_WORKERS: "0" };
    const r = spawnSync(join(ROOT, "bin", "trailq"), ["repl", "--keep-duplicates", join(dir, "trail")], { input: ".format csv\nfields @message, eventID | sort eventID\n", encoding: "utf8", env, maxBuffer: 1 << 30 });
    assert.equal(r.status, 0, r.stderr.slice(-500));
    assert.match(r.stdout, /\(40,000 rows, 40,000 events parsed, \d+ MB spilled to temporary files/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
