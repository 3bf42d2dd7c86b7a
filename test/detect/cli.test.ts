// `trailq detect` and `trailq sigma`, run as a user runs them (the built binary).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { BIN, ROOT, trailq } from "../bin.js";
import { tempDir } from "../temp.js";
import { writeLateLogins } from "../trails.js";

const EVENTS = join("fixtures", "detect", "events.jsonl");
const RULES = join("fixtures", "detect", "rules");

test("detect --no-bundled --rules: the timeline as JSON rows with rule id, author and tags; the summary on stderr", () => {
  const r = trailq(["detect", EVENTS, "--no-bundled", "--rules", RULES, "-f", "json"]);
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.equal(rows.length, 18);
  const mfa = rows.find((x) => x["ruleId"] === "fx-login-no-mfa")!;
  assert.deepEqual(mfa, {
    "@timestamp": "2024-05-01 10:03:00.000",
    level: "medium",
    ruleId: "fx-login-no-mfa",
    rule: "Console login without MFA",
    author: "trailq team (fixture)",
    tags: ["attack.initial-access"],
    principal: "arn:aws:iam::111122223333:user/bob",
    sourceIPAddress: "198.51.100.7",
    eventName: "ConsoleLogin",
    awsRegion: "us-east-1",
    recipientAccountId: "111122223333",
    eventID: "d-4",
    "@ptr": "events.jsonl#3",
  });
  const corr = rows.find((x) => x["ruleId"] === "fx-corr-login")!;
  assert.equal(corr["detail"], "3 events by sourceIPAddress=\"198.51.100.7\" within 5m");
  assert.equal(corr["eventID"], "d-3");
  // oldest first
  const times = rows.map((x) => String(x["@timestamp"]));
  assert.deepEqual(times, [...times].sort());
  assert.match(r.stderr, /^14 of 19 events with a finding \(73\.7 %\) · 18 findings · /m);
  assert.match(r.stderr, /^by level: critical 2, high 6, medium 4, low 3, informational 3$/m);
  assert.match(r.stderr, /^first finding 2024-05-01 10:02:00\.000, last 2024-05-01 11:00:00\.000$/m);
  assert.match(r.stderr, /^rule authors: trailq team \(fixture\)$/m);
  assert.match(r.stderr, /^rules run: 16 Sigma, 4 correlations, 0 templates · not run: 2$/m);
  assert.match(r.stderr, /^not run \(1 modifier, 1 not CloudTrail\):$/m);
  assert.match(r.stderr, /not_run_expand\.yml: Calls from the office network \(placeholder\): selection: modifier expand: /);
  assert.match(r.stderr, /not_run_windows\.yml: A Windows process rule: logsource windows\/process_creation is not aws\/cloudtrail/);
  // with the bundled templates, those that look across events are counted in the plural
  const all = trailq(["detect", EVENTS, "--rules", RULES]);
  assert.match(all.stderr, /^not run \(\d+ templates, 1 modifier, 1 not CloudTrail\):$/m);
});

test("jsonl and csv; --min-level keeps the findings at or above it", () => {
  const j = trailq(["detect", EVENTS, "--no-bundled", "--rules", RULES, "-f", "jsonl", "--min-level", "critical", "-q"]);
  assert.equal(j.status, 0, j.stderr);
  assert.equal(j.stderr, "");
  const lines = j.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(lines.map((l) => `${l["ruleId"]} ${l["eventID"]}`), ["fx-public-bucket d-9", "fx-trail d-13"]);
  const c = trailq(["detect", EVENTS, "--no-bundled", "--rules", join(RULES, "kali_user_agent.yml"), "-f", "csv", "-q"]);
  assert.equal(c.status, 0, c.stderr);
  assert.equal(c.stdout.split("\r\n")[0], "'@timestamp,level,rule,principal,sourceIPAddress,eventName,awsRegion,recipientAccountId,eventID,'@ptr,detail");
  assert.match(c.stdout.split("\r\n")[1]!, /^2024-05-01 10:10:00\.000,medium,Offensive distribution user agent,arn:aws:iam::111122223333:user\/mallory,203\.0\.113\.9,GetCallerIdentity,/);
});

test("--fail-level: exit status 1 when a finding is at or above it, 0 otherwise", () => {
  const hit = trailq(["detect", EVENTS, "--no-bundled", "--rules", RULES, "--fail-level", "critical", "-q", "-f", "jsonl"]);
  assert.equal(hit.status, 1);
  const miss = trailq(["detect", EVENTS, "--no-bundled", "--rules", join(RULES, "kali_user_agent.yml"), "--fail-level", "high", "-q", "-f", "jsonl"]);
  assert.equal(miss.status, 0);
});

test("--memory takes a size, as for queries: anything else is a usage error before anything is read", () => {
  const r = trailq(["detect", EVENTS, "--no-bundled", "--rules", RULES, "--memory", "lots"]);
  assert.deepEqual(r, { status: 3, stdout: "", stderr: 'trailq: bad value for --memory "lots": not a size such as 512M or 2G\n' });
});

test("--start/--end select the events judged", () => {
  const r = trailq(["detect", EVENTS, "--no-bundled", "--rules", RULES, "--start", "2024-05-01T10:45:00Z", "--end", "2024-05-01T10:55:00Z", "-f", "jsonl", "-q"]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { ruleId: string }).ruleId), ["fx-corr-secrets"]);
});

test("with the bundled templates: the template findings, and the templates not run named in the summary", () => {
  const r = trailq(["detect", EVENTS, "-f", "jsonl"]);
  assert.equal(r.status, 0, r.stderr);
  const ids = r.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { ruleId: string; eventID: string; author: string }));
  assert.ok(ids.some((x) => x.ruleId === "cloudtrail-logging-tampered" && x.eventID === "d-13" && x.author === "trailq"));
  assert.match(r.stderr, /discovery-burst: Enumeration bursts \(time-bucketed\): looks across events \(stats\)/);
});

test("a bad rule is one warning naming the file and rule; the rest run", () => {
  const r = trailq(["detect", EVENTS, "--no-bundled", "--rules", join("fixtures", "detect", "bad-rules"), "-f", "jsonl"]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { ruleId: string }).ruleId), ["fx-good"]);
  assert.match(r.stderr, /trailq: warning: fixtures\/detect\/bad-rules\/no_condition\.yml: A rule without a condition: detection\.condition: .* \(not run\)/);
  assert.match(r.stderr, /trailq: warning: fixtures\/detect\/bad-rules\/broken_yaml\.yml: document 1: YAML: /);
});

test("a bad rule is a warning under --quiet too: detect.md's CI line does not pass a broken rule off as a clean run", () => {
  const r = trailq(["detect", EVENTS, "--no-bundled", "--rules", join("fixtures", "detect", "bad-rules"), "-f", "jsonl", "--fail-level", "high", "-q"]);
  assert.match(r.stderr, /trailq: warning: fixtures\/detect\/bad-rules\/no_condition\.yml: A rule without a condition: .* \(not run\)/);
  assert.match(r.stderr, /trailq: warning: fixtures\/detect\/bad-rules\/broken_yaml\.yml: document 1: YAML: /);
  assert.doesNotMatch(r.stderr, /rules run:/, "the summary stays quiet");
});

test("usage errors: a missing rules path (2), --no-bundled without rules (3), a bad level (3)", () => {
  assert.equal(trailq(["detect", EVENTS, "--rules", "no/such/dir"]).status, 2);
  assert.equal(trailq(["detect", EVENTS, "--no-bundled"]).status, 3);
  const bad = trailq(["detect", EVENTS, "--min-level", "severe"]);
  assert.equal(bad.status, 3);
  assert.match(bad.stderr, /--min-level "severe": must be one of: informational, low, medium, high, critical/);
});

test("trailq sigma prints each detection rule of a file as a query that runs; --sql as Athena SQL", () => {
  const r = trailq(["sigma", join(RULES, "trail_tampering.yml")]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^# Sigma: Trail stopped or deleted \(fx-trail\)$/m);
  assert.match(r.stdout, /^filter \(eventName like \/\(\?is\)\^StopLogging\$\/ or eventName like \/\(\?is\)\^DeleteTrail\$\/ or eventName like \/\(\?is\)\^UpdateTrail\$\/\) and not \(ispresent\(errorCode\)\)$/m);
  const file = join(tempDir("sigma"), "rule.logsinsights");
  writeFileSync(file, r.stdout);
  const q = trailq(["query", "--query-file", file, EVENTS, "-f", "json", "-q"]);
  assert.equal(q.status, 0, q.stderr);
  assert.deepEqual((JSON.parse(q.stdout) as { eventID: string }[]).map((x) => x.eventID), ["d-13"]);
  const sql = trailq(["sigma", join(RULES, "trail_tampering.yml"), "--sql"]);
  assert.equal(sql.status, 0, sql.stderr);
  assert.match(sql.stdout, /^-- Trail stopped or deleted$/m);
  assert.match(sql.stdout, /FROM cloudtrail_logs/);
  const none = trailq(["sigma", join(RULES, "not_run_expand.yml")]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /modifier expand/);
  // a correlation has no query: whether detect runs it, or why not
  const dir = tempDir("sigma-correlations");
  const rule = join(dir, "rules.yml");
  writeFileSync(rule, [
    "title: Get\nname: get\nlogsource: {product: aws, service: cloudtrail}\ndetection: {sel: {eventName: GetObject}, condition: sel}\n",
    "title: many gets\ncorrelation: {type: event_count, rules: [get], timespan: 1h, condition: {gte: 5}}\n",
    "title: bytes\ncorrelation: {type: value_sum, rules: [get], timespan: 1h, condition: {field: bytes, gte: 5}}\n",
    "title: elsewhere\ncorrelation: {type: event_count, rules: [put], timespan: 1h, condition: {gte: 5}}\n",
  ].join("---\n"));
  const c = trailq(["sigma", rule]);
  assert.equal(c.status, 0, c.stderr);
  assert.ok(c.stderr.includes(`${rule}: many gets: a correlation rule has no single query (trailq detect runs it) (no query)`), c.stderr);
  assert.ok(c.stderr.includes(`${rule}: bytes: a correlation rule has no single query (correlation type value_sum is not run (trailq runs event_count, value_count, temporal, temporal_ordered): trailq detect does not run it) (no query)`), c.stderr);
  assert.ok(c.stderr.includes(`${rule}: elsewhere: a correlation rule has no single query (refers to put, which is not among the rules run (not loaded, or refused): trailq detect runs it given the files that hold its rules) (no query)`), c.stderr);
});

test("a timeline past what --memory lets it hold goes through a sort that spills to disk: the same rows, in the same order", () => {
  // one file of JSON lines has no time in its name: nothing bounds its findings until its end
  const dir = tempDir("timeline");
  const events = join(dir, "events.jsonl");
  const lines: string[] = [];
  for (let i = 0; i < 6000; i++) {
    const t = new Date(Date.UTC(2026, 0, 1) + ((i * 7919) % 6000) * 1000).toISOString().replace(/\.\d+Z$/, "Z");
    lines.push(JSON.stringify({ eventVersion: "1.08", eventTime: t, eventSource: "s3.amazonaws.com", eventName: i % 3 ? "GetObject" : "PutObject", awsRegion: "us-east-1", eventID: `e-${i}`, recipientAccountId: "111122223333", sourceIPAddress: `10.0.0.${i % 250}` }));
  }
  writeFileSync(events, lines.join("\n") + "\n");
  const rules = join(dir, "rules.yml");
  writeFileSync(rules, ["title: Any S3 call", "id: t-any", "logsource: {product: aws, service: cloudtrail}", "detection:", "  s:", "    eventSource: s3.amazonaws.com", "  condition: s", "level: low", "---", "title: A put", "id: t-put", "logsource: {product: aws, service: cloudtrail}", "detection:", "  s:", "    eventName: PutObject", "  condition: s", "level: high", ""].join("\n"));
  let spilledJsonl = "";
  for (const format of ["jsonl", "csv", "table"]) {
    const held = trailq(["detect", events, "--no-bundled", "--rules", rules, "-q", "-f", format]);
    // 1 MiB holds about 2,000 findings: the 8,000 here go to the spilling sort
    const spilled = trailq(["detect", events, "--no-bundled", "--rules", rules, "-q", "-f", format, "--memory", "1M"]);
    assert.equal(held.status, 0, held.stderr);
    assert.equal(spilled.status, 0, spilled.stderr);
    assert.equal(spilled.stdout, held.stdout, format);
    if (format === "jsonl") spilledJsonl = spilled.stdout;
  }
  // the spilled run's JSON lines
  const rows = spilledJsonl.trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
  assert.equal(rows.length, 8000);
  // oldest first; at one time, the rules by title ("A put" before "Any S3 call")
  assert.deepEqual(rows.slice(0, 2).map((r) => [r["@timestamp"], r["rule"], r["eventID"]]), [
    ["2026-01-01 00:00:00.000", "A put", "e-0"],
    ["2026-01-01 00:00:00.000", "Any S3 call", "e-0"],
  ]);
  const keys = rows.map((r) => r["@timestamp"]!);
  assert.deepEqual(keys, [...keys].sort());
});

test("trailq cache info counts the cached rule sets; trailq cache clear removes them", () => {
  const home = tempDir("rules-cache");
  const env = { ...process.env, XDG_CACHE_HOME: home };
  const run = (args: string[]): { status: number | null; stdout: string; stderr: string } => spawnSync(BIN, args, { cwd: ROOT, env, encoding: "utf8" });
  assert.match(run(["cache", "info"]).stdout, /^rules: {3}0 sets of parsed Sigma rule files \(0 KB; /m);
  assert.equal(run(["detect", EVENTS, "--no-bundled", "--rules", RULES, "-q"]).status, 0);
  assert.equal(run(["detect", EVENTS, "--no-bundled", "--rules", join(RULES, "kali_user_agent.yml"), "-q"]).status, 0);
  assert.match(run(["cache", "info"]).stdout, /^rules: {3}2 sets of parsed Sigma rule files \(\d+(\.\d)? KB; /m);
  const cleared = run(["cache", "clear"]);
  assert.equal(cleared.status, 0, cleared.stderr);
  assert.equal(cleared.stdout, "removed 0 cached objects (0 KB), 2 cached rule sets and 0 folder indexes\n");
  assert.ok(!existsSync(join(home, "trailq", "rules")));
  // the next run parses the files again; the one after reads them from the cache
  assert.match(run(["detect", EVENTS, "--no-bundled", "--rules", RULES]).stderr, /^18 rule files read$/m);
  assert.match(run(["detect", EVENTS, "--no-bundled", "--rules", RULES]).stderr, /^18 rule files read, 18 of them parsed in an earlier run/m);
});

test("trailq sigma: a rule's title reaches the query's header without control or bidi characters; a control character in a value is written by its code", () => {
  const dir = tempDir("sigma-hostile");
  try {
    const rule = join(dir, "hostile.yml");
    writeFileSync(rule, 'title: "Bidi \\u202e\\u2066 title \\e]0;x\\a"\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  sel:\n    userAgent|contains: "\\ec"\n  condition: sel\nlevel: high\n');
    const r = trailq(["sigma", rule]);
    assert.equal(r.status, 0, r.stderr);
    const header = r.stdout.split("\n")[0]!;
    assert.match(header, /^# Sigma: Bidi +title +\]0;x$/);
    assert.ok(r.stdout.includes("\\x{1b}c") && !r.stdout.includes("\u001b"), "the value written by its code, the same regex");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a finding older than what the timeline already wrote (a file delivered late) is written, and the count said", () => {
  const dir = tempDir("late-delivery");
  try {
    writeLateLogins(dir);
    const rule = join(dir, "rule.yml");
    writeFileSync(rule, "title: any login\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  sel:\n    eventName: ConsoleLogin\n  condition: sel\n");
    const r = trailq(["detect", dir, "--no-bundled", "--rules", rule, "-f", "jsonl", "--no-rules-cache"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { eventID: string }).eventID), ["0005-0", "0300-0", "0400-0"]);
    assert.match(r.stderr, /^trailq: warning: 1 finding was written out of time order, after findings it sorts before: a file held events more than an hour older than the time in its name.*; sort the rows by time to read them in order$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a finding's principal: an empty arn is no arn, the principalId names the caller; the summary counts in words", () => {
  const dir = tempDir("detect-principal");
  try {
    writeFileSync(join(dir, "e.jsonl"), JSON.stringify({ eventTime: "2024-01-01T00:00:00Z", eventID: "p1", eventName: "PrincipalProbe", eventSource: "iam.amazonaws.com", userIdentity: { type: "IAMUser", arn: "", principalId: "AIDAEMPTY" } }) + "\n");
    writeFileSync(join(dir, "r.yml"), "title: probe\nid: probe-1\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  sel:\n    eventName: PrincipalProbe\n  condition: sel\nlevel: high\n");
    const r = trailq(["detect", join(dir, "e.jsonl"), "--no-bundled", "--rules", join(dir, "r.yml"), "-f", "json"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { principal: string }[])[0]!.principal, "AIDAEMPTY");
    assert.match(r.stderr, /1 event read in 1 file\b/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Ctrl-C while the timeline is spilled: once, what was found is written and the spill files removed; twice, it ends at once and removes them too", async () => {
  const dir = tempDir("detect-interrupt");
  const spillRoot = join(dir, "tmp");
  mkdirSync(spillRoot);
  const rules = join(dir, "rules.yml");
  writeFileSync(rules, ["title: Any S3 call", "id: t-any", "logsource: {product: aws, service: cloudtrail}", "detection:", "  s:", "    eventSource: s3.amazonaws.com", "  condition: s", "level: low", ""].join("\n"));
  // more events with a finding than a file holds before handing on what it found (engine.ts PART_EVENTS)
  const lines: string[] = [];
  for (let i = 0; i < 24_000; i++) {
    const t = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString().replace(/\.\d+Z$/, "Z");
    lines.push(JSON.stringify({ eventVersion: "1.08", eventTime: t, eventSource: "s3.amazonaws.com", eventName: "GetObject", awsRegion: "us-east-1", eventID: `e-${i}`, recipientAccountId: "111122223333" }));
  }
  for (const presses of [1, 2]) {
    // standard input left open: the run waits for more events, its findings held (nothing bounds them) and spilled past 1 MiB
    const child = spawn(BIN, ["detect", "-", "--no-bundled", "--rules", rules, "-f", "jsonl", "--memory", "1M"], { cwd: ROOT, env: { ...process.env, TMPDIR: spillRoot }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdin.on("error", () => {});
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.stdin.write(lines.join("\n") + "\n");
    for (let i = 0; i < 1000 && readdirSync(spillRoot).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(readdirSync(spillRoot).length, 1, "a spill folder while it runs");
    for (let i = 0; i < presses; i++) child.kill("SIGINT");
    const code = await exited;
    child.stdin.destroy();
    assert.equal(code, 130, stderr);
    assert.deepEqual(readdirSync(spillRoot), [], `no spill files left after ${presses} Ctrl-C`);
    if (presses === 1) {
      // the findings of the events read, in order, and the summary saying the run was stopped
      const ids = stdout.trim().split("\n").map((l) => (JSON.parse(l) as Record<string, string>)["eventID"]);
      assert.ok(ids.length >= 2000, `${ids.length} findings written`);
      assert.deepEqual(ids.slice(0, 3), ["e-0", "e-1", "e-2"]);
      assert.match(stderr, /interrupted/i);
    }
  }
});

test("a big file hands on its findings as it is read: the same findings, in the same order, as the same events in small files", () => {
  // one JSON-lines file of 24,000 events (each found by a rule: past PART_EVENTS) against 48 files
  // of 500, whose names order them as the lines are; a correlation over the whole span
  const dir = tempDir("detect-parts");
  const rules = join(dir, "rules.yml");
  writeFileSync(rules, [
    "title: Any S3 call", "id: t-any", "logsource: {product: aws, service: cloudtrail}", "detection:", "  s:", "    eventSource: s3.amazonaws.com", "  condition: s", "level: low",
    "---", "title: Puts from one address", "id: t-puts", "logsource: {product: aws, service: cloudtrail}",
    "correlation:", "  type: event_count", "  rules: [t-put]", "  group-by: [sourceIPAddress]", "  timespan: 10m", "  condition: {gte: 3}", "level: high",
    "---", "title: A put", "id: t-put", "logsource: {product: aws, service: cloudtrail}", "detection:", "  s:", "    eventName: PutObject", "  condition: s", "level: medium", "",
  ].join("\n"));
  const events: string[] = [];
  for (let i = 0; i < 24_000; i++) {
    // times mostly rising, some a minute back (a file's events are not in order)
    const t = new Date(Date.UTC(2026, 0, 1) + (i * 7 - (i % 13 === 0 ? 60 : 0)) * 1000).toISOString().replace(/\.\d+Z$/, "Z");
    events.push(JSON.stringify({ eventVersion: "1.08", eventTime: t, eventSource: "s3.amazonaws.com", eventName: i % 5 ? "GetObject" : "PutObject", awsRegion: "us-east-1", eventID: `e-${i}`, recipientAccountId: "111122223333", sourceIPAddress: `10.0.0.${i % 7}` }));
  }
  const one = join(dir, "one");
  const many = join(dir, "many");
  mkdirSync(one);
  mkdirSync(many);
  writeFileSync(join(one, "events.jsonl"), events.join("\n") + "\n");
  for (let f = 0; f < 48; f++) writeFileSync(join(many, `part-${String(f).padStart(2, "0")}.jsonl`), events.slice(f * 500, f * 500 + 500).join("\n") + "\n");
  const run = (input: string): string[] => {
    // on this thread, where a file is read in parts (the workers hand on a file's findings at its end)
    const r = spawnSync(BIN, ["detect", input, "--no-bundled", "--rules", rules, "-q", "-f", "jsonl"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, TRAILQ_WORKERS: "0" } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split("\n").map((l) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      delete o["@ptr"];
      return JSON.stringify(o);
    });
  };
  const whole = run(one);
  assert.ok(whole.length >= 24_000, `${whole.length} findings`);
  assert.ok(whole.some((l) => l.includes('"ruleId":"t-puts"')), "the correlation fired");
  assert.deepEqual(whole, run(many));
});

test("a time range or a region that selects no event is said, as query says it (one thread and workers)", () => {
  for (const workers of ["0", "2"]) {
    const late = spawnSync(BIN, ["detect", "fixtures/sample-trail", "--start", "2027-01-01", "-f", "jsonl"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, TRAILQ_WORKERS: workers } });
    assert.equal(late.status, 0, late.stderr);
    assert.match(late.stderr, /^trailq: warning: no events at or after 2027-01-01 00:00; the files hold events within 2026-10-31 23:32 to 2026-11-04 00:06/m, workers);
    const elsewhere = spawnSync(BIN, ["detect", "fixtures/sample-trail", "--region", "ap-south-1", "-f", "jsonl"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, TRAILQ_WORKERS: workers } });
    assert.match(elsewhere.stderr, /^trailq: warning: no events from region ap-south-1: no file of the trail's layout is from it/m, workers);
  }
});
