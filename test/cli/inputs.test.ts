// Inputs at scale: bad files never sink the run, and the time range prunes files by name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { queryRows } from "../../src/api.js";
import { Pruner, DELIVERY_MARGIN_MS } from "../../src/sources/index.js";
import { ROOT, trailq } from "../bin.js";
import { tempDir } from "../temp.js";

const SAMPLE = join(ROOT, "fixtures", "sample-trail");


test("a folder of good and bad files: every good event, one warning per bad file, exit 0 (1 with --strict)", () => {
  const r = trailq(["query", "stats count(*) as n", "fixtures/inputs/good", "fixtures/inputs/bad", "-f", "json"]);
  assert.equal(r.status, 0, r.stderr);
  // 18 good events, and the good records of the partly bad files (see fixtures/inputs/README.md)
  assert.deepEqual(JSON.parse(r.stdout), [{ n: 18 + 3 + 2 + 2 + 11 + 3 }]);
  const warnings = r.stderr.split("\n").filter((l) => l.includes("warning:"));
  // binary.dat and notes.txt are neither JSON nor compressed: ignored in a folder, not warned about
  const badFiles = ["bad-event-time.json", "broken-line.jsonl", "corrupt.json.gz", "non-object-record.json", "not-cloudtrail-array.json", "not-cloudtrail.json", "records-not-array.json", "truncated.json", "truncated.json.gz"];
  for (const f of badFiles) assert.equal(warnings.filter((w) => w.includes(`bad/${f}:`)).length, 1, `one warning for ${f}:\n${warnings.join("\n")}`);
  assert.equal(warnings.length, badFiles.length);
  assert.match(r.stderr, / · 1 empty file · 2 files ignored \(not JSON\) · 4 files skipped, problems: .*corrupt gzip/);
  assert.doesNotMatch(r.stderr, /empty\.json/);
  assert.equal(trailq(["query", "stats count(*)", "fixtures/inputs/bad", "--strict", "-q"]).status, 1);
  assert.equal(trailq(["query", "stats count(*)", "fixtures/inputs/good", "--strict", "-q"]).status, 0);
  // ignored files are not problems: --strict does not fail on them; named, a README is one
  const dir = tempDir("inputs");
  try {
    writeFileSync(join(dir, "good.json"), JSON.stringify({ Records: [{ eventTime: "2026-01-01T00:00:00Z", eventName: "A" }] }));
    writeFileSync(join(dir, "README.md"), "# A trail\n");
    assert.equal(trailq(["query", "stats count(*)", dir, "--strict", "-q"]).status, 0);
    assert.equal(trailq(["query", "stats count(*)", dir, join(dir, "README.md"), "--strict", "-q"]).status, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a file named on the command line is read and warned about when bad; a folder's non-JSON files are only counted", () => {
  const named = trailq(["query", "stats count(*) as n", "fixtures/inputs/bad/notes.txt", "fixtures/inputs/bad/binary.dat", "-f", "json"]);
  assert.equal(named.status, 0, named.stderr);
  assert.match(named.stderr, /warning: fixtures\/inputs\/bad\/notes\.txt: not JSON/);
  assert.match(named.stderr, /warning: fixtures\/inputs\/bad\/binary\.dat: binary content/);
  assert.match(named.stderr, /0 events parsed in 0 files · 1 row · .* · 2 files skipped, problems: 1 not JSON, 1 binary file$/m);
  const folder = trailq(["query", "stats count(*) as n", "fixtures/inputs", "-f", "json"]);
  // fixtures/inputs holds README.md and make.mjs beside the two folders
  assert.match(folder.stderr, / · 4 files ignored \(not JSON\) · /);
  assert.doesNotMatch(folder.stderr, /README|make\.mjs|notes\.txt|binary\.dat/);
});

test("a path that does not exist is an error before anything is read: named, exit 2", () => {
  const one = trailq(["query", "stats count(*)", "fixtures/inputs/good", "no/such/folder"]);
  assert.equal(one.status, 2);
  assert.equal(one.stdout, "");
  assert.equal(one.stderr, "trailq: no/such/folder: no such file or folder\n");
  const two = trailq(["query", "stats count(*)", "nope.json", "fixtures/inputs/good/records.json/x", "-"], "");
  assert.equal(two.status, 2);
  assert.equal(two.stderr, "trailq: no such files or folders: nope.json, fixtures/inputs/good/records.json/x\n");
  for (const args of [["run", "activity-by-source-ip", "-p", "ip=1.2.3.4", "nope.json"], ["sql", "stats count(*)", "--dialect", "duckdb", "nope.json"]]) {
    const r = trailq(args);
    assert.equal(r.status, 2, args.join(" "));
    assert.equal(r.stderr, "trailq: nope.json: no such file or folder\n", args.join(" "));
  }
});

test("unreadable files and symlink loops are warnings, not failures", () => {
  const dir = tempDir("inputs");
  try {
    writeFileSync(join(dir, "good.json"), JSON.stringify({ Records: [{ eventTime: "2026-01-01T00:00:00Z", eventName: "A" }] }));
    mkdirSync(join(dir, "sub"));
    spawnSync("ln", ["-s", "..", join(dir, "sub", "loop")]);
    const r = trailq(["query", "stats count(*) as n", dir, "-f", "json"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [{ n: 1 }]);
    assert.match(r.stderr, /symlink loop/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--start/--end prune files by name and give the same rows as filtering on @timestamp", async () => {
  const range = { start: Date.parse("2026-11-02T06:00:00Z"), end: Date.parse("2026-11-02T12:00:00Z") };
  const pruned = await queryRows("stats count(*) as n by eventName | sort n desc, eventName asc", [SAMPLE], { range });
  const filtered = await queryRows('filter @timestamp >= "2026-11-02T06:00:00Z" and @timestamp <= "2026-11-02T12:00:00Z" | stats count(*) as n by eventName | sort n desc, eventName asc', [SAMPLE]);
  assert.deepEqual(pruned.rows, filtered.rows);
  assert.ok(pruned.rows.length > 10);
  const all = filtered.result.read.filesRead;
  assert.equal(all, 1246);
  assert.ok(pruned.result.read.filesRead < all / 5, `opened ${pruned.result.read.filesRead} files`);
  assert.equal(pruned.result.read.filesRead + pruned.result.read.filesPruned, all);
});

test("--account/--region and SOURCE prune the AWSLogs layout and agree with filtering", async () => {
  const viaFlags = await queryRows("stats count(*) as n", [SAMPLE], { accounts: ["444455556666"], regions: ["us-west-2"] });
  const viaSource = await queryRows("SOURCE accounts='444455556666' regions='us-west-2' | stats count(*) as n", [SAMPLE]);
  const viaFilter = await queryRows('filter recipientAccountId = "444455556666" and awsRegion = "us-west-2" | stats count(*) as n', [SAMPLE]);
  assert.deepEqual(viaFlags.rows, viaFilter.rows);
  assert.deepEqual(viaSource.rows, viaFilter.rows);
  assert.ok(viaFlags.result.read.filesPruned > 1000);
});

test("a file stamped after midnight keeps an event from before midnight (the delivery margin)", () => {
  const dir = "/x/AWSLogs/111122223333/CloudTrail/us-east-1";
  const day = (d: string): string => `${dir}/${d.replaceAll("-", "/")}`;
  const file = (d: string, stamp: string): string => `${day(d)}/111122223333_CloudTrail_us-east-1_${stamp}_AbCdEfGhIjKlMnOp.json.gz`;
  // the range is the last 10 minutes of 2026-11-01; the file of 00:05 on 11-02 may hold them
  const p = new Pruner({ start: Date.parse("2026-11-01T23:50:00Z"), end: Date.parse("2026-11-01T23:59:59Z") });
  assert.equal(p.dir(day("2026-11-02")), false);
  assert.equal(p.file(file("2026-11-02", "20261102T0005Z")), false);
  assert.equal(p.file(file("2026-11-02", "20261102T0005Z").replace("0005Z", "0130Z")), true, "stamped more than the margin after the end");
  assert.equal(p.file(file("2026-11-01", "20261101T2340Z")), true, "stamped before the start");
  assert.equal(p.dir(day("2026-11-03")), true);
  assert.equal(p.dir(day("2026-10-31")), true);
  assert.equal(p.dir(`${dir}/2026/10`), true);
  assert.equal(p.dir(`${dir}/2026`), false);
  assert.ok(DELIVERY_MARGIN_MS >= 15 * 60_000);
  const acct = new Pruner({ accounts: ["999999999999"] });
  assert.equal(acct.dir("/x/AWSLogs/111122223333"), true);
  assert.equal(acct.dir("/x/AWSLogs/o-abc123/999999999999/CloudTrail/us-east-1"), false);
  assert.equal(acct.file("/x/elsewhere/file.json"), false, "outside the layout: never pruned by name");
});

test("a stamp is a minute: a file stamped 12:00 may hold 12:00:59; a file without a stamp is opened wherever it is; folders are matched as AWS writes them", () => {
  const dir = "/x/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01";
  const stamped = `${dir}/111122223333_CloudTrail_us-east-1_20261101T1200Z_AbCdEfGhIjKlMnOp.json.gz`;
  assert.equal(new Pruner({ start: Date.parse("2026-11-01T12:00:59.999Z") }).file(stamped), false);
  assert.equal(new Pruner({ start: Date.parse("2026-11-01T12:01:00Z") }).file(stamped), true);
  // an export placed in a day folder by hand: its events' times are not the folder's
  assert.equal(new Pruner({ start: Date.parse("2026-11-05T00:00:00Z") }).file(`${dir}/export.json`), false);
  assert.equal(new Pruner({ start: Date.parse("2026-11-05T00:00:00Z") }).file(stamped), true);
  // a region folder renamed in capitals is still that region; an account folder renamed is not the layout
  assert.equal(new Pruner({ regions: ["us-east-1"] }).dir("/x/AWSLogs/111122223333/CloudTrail/US-EAST-1"), false);
  assert.equal(new Pruner({ regions: ["us-west-2"] }).dir("/x/AWSLogs/111122223333/CloudTrail/US-EAST-1"), true);
  assert.equal(new Pruner({ accounts: ["111122223333"] }).dir("/x/AWSLogs/111122223333-old/CloudTrail/us-east-1"), false);
  // a region folder with a name that is no region's (a copy) is not the layout either
  assert.equal(new Pruner({ regions: ["us-east-1"] }).dir("/x/AWSLogs/111122223333/CloudTrail/us-east-1.bak"), false);
  assert.equal(new Pruner({ regions: ["us-east-1"] }).dir("/x/AWSLogs/111122223333/CloudTrail/us-gov-west-1"), true);
  // a stamp in a name CloudTrail does not give says nothing of the file's events (an export), in the
  // layout or not; a CloudTrail name does, wherever the file was copied (a case's flat folder)
  const start = new Pruner({ start: Date.parse("2026-11-05T00:00:00Z") });
  for (const other of ["/x/exports/export_20261101T1200Z_final.json", `${dir}/export_20261101T1200Z_final.json`, `${dir}/111122223333_CloudTrail_us-east-1_20261101T1200Z_x.json.bak`, `${dir}/111122223333_CloudTrail-Insight_us-east-1_20261101T1200Z_x.json.gz`]) {
    assert.equal(start.file(other), false, other);
  }
  for (const copied of ["/x/case/111122223333_CloudTrail_us-east-1_20261101T0105Z_AbCdEfGhIjKlMnOp.json.gz", "/x/case/111122223333_CloudTrail_us-east-1_20261101T0105Z_AbCdEfGhIjKlMnOp.json"]) {
    assert.equal(start.file(copied), true, copied);
  }
  // date folders are YYYY, MM, DD: `1/` and `26/11/05/` are not the years 1901 and 1926
  for (const odd of ["/x/AWSLogs/111122223333/CloudTrail/us-east-1/1", "/x/AWSLogs/111122223333/CloudTrail/us-east-1/26/11/05", "/x/AWSLogs/111122223333/CloudTrail/us-east-1/2026/13", "/x/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/32"]) {
    assert.equal(start.dir(odd), false, odd);
  }
  assert.equal(start.dir("/x/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/04"), true);
});

test("a stamp in a name CloudTrail does not give (an export's) is read and ordered as no stamp: a range and the early stop of a sort | limit (a template's anchor is one) see its events", () => {
  const dir = tempDir("stamp-outside");
  try {
    const ev = (id: string, time: string): Record<string, unknown> => ({ eventVersion: "1.08", eventTime: time, eventName: "ConsoleLogin", eventSource: "signin.amazonaws.com", eventID: id, awsRegion: "us-east-1" });
    const day = join(dir, "AWSLogs", "111122223333", "CloudTrail", "us-east-1", "2026", "11", "01");
    mkdirSync(day, { recursive: true });
    for (let h = 0; h < 40; h++) {
      const hh = String(h % 24).padStart(2, "0");
      writeFileSync(join(day, `111122223333_CloudTrail_us-east-1_20261101T${hh}${String(Math.floor(h / 24) * 10).padStart(2, "0")}Z_f${h}.json.gz`), gzipSync(JSON.stringify({ Records: [ev(`in-${h}`, `2026-11-01T${hh}:00:00Z`)] })));
    }
    mkdirSync(join(dir, "exports"));
    writeFileSync(join(dir, "exports", "export_20261101T1200Z_final.json"), JSON.stringify({ Records: [ev("late-export", "2026-11-05T10:00:00Z")] }));
    const r = trailq(["query", "fields eventID", dir, "-f", "csv", "-q", "--start", "2026-11-05T00:00:00Z"]);
    assert.equal(r.stdout, "eventID\r\nlate-export\r\n", r.stderr);
    const top = trailq(["query", "fields eventID | sort @timestamp desc | limit 2", dir, "-f", "csv", "-q"]);
    assert.equal(top.stdout, "eventID\r\nlate-export\r\nin-23\r\n", top.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("events in their file's stamp minute: the newest is found, a range inside the minute keeps them, the order holds", () => {
  const dir = tempDir("stamp-minute");
  const day = join(dir, "AWSLogs", "111122223333", "CloudTrail", "us-east-1", "2026", "11", "01");
  mkdirSync(day, { recursive: true });
  const ev = (t: string, id: string): object => ({ eventVersion: "1.08", eventTime: t, eventName: "X", eventSource: "s3.amazonaws.com", eventID: id });
  const put = (stamp: string, events: object[]): void =>
    writeFileSync(join(day, `111122223333_CloudTrail_us-east-1_${stamp}_x.json.gz`), gzipSync(JSON.stringify({ Records: events })));
  put("20261101T1200Z", [ev("2026-11-01T11:58:00Z", "a1"), ev("2026-11-01T12:00:30Z", "a2")]);
  put("20261101T1205Z", [ev("2026-11-01T12:00:10Z", "b1"), ev("2026-11-01T11:59:00Z", "b2")]);
  const ids = (args: string[]): string[] => JSON.parse(trailq(["query", ...args, dir, "-q", "-f", "json"]).stdout).map((r: { eventID: string }) => r.eventID);
  assert.deepEqual(ids(["fields eventID | limit 1"]), ["a2"]);
  assert.deepEqual(ids(["fields eventID", "--start", "2026-11-01T12:00:15Z"]), ["a2"]);
  assert.deepEqual(ids(["fields eventID | sort @timestamp desc"]), ["a2", "b1", "b2", "a1"]);
});

test("a file that holds an event more than an hour older than its stamp: the rows before it are written, and a warning says the order broke", () => {
  const dir = tempDir("late-delivery");
  const day = join(dir, "AWSLogs", "111122223333", "CloudTrail", "us-east-1", "2026", "11", "01");
  mkdirSync(day, { recursive: true });
  const ev = (t: number, id: string): object => ({ eventVersion: "1.08", eventTime: new Date(t).toISOString().replace(".000", ""), eventName: "X", eventSource: "s3.amazonaws.com", eventID: id });
  const t0 = Date.parse("2026-11-01T12:00:00Z");
  // 24 files five minutes apart, 200 events each; the one of 13:55 also holds an event of 11:59:30
  for (let f = 1; f <= 24; f++) {
    const stamp = t0 + f * 300_000;
    const events = Array.from({ length: 200 }, (_, i) => ev(stamp - 300_000 + i * 1000, `f${f}-${i}`));
    if (f === 23) events.push(ev(t0 - 30_000, "LATE"));
    const name = new Date(stamp).toISOString().replace(/[-:]/g, "").slice(0, 13) + "Z";
    writeFileSync(join(day, `111122223333_CloudTrail_us-east-1_${name}_x.json.gz`), gzipSync(JSON.stringify({ Records: events })));
  }
  for (const workers of ["0", "2"]) {
    const r = spawnSync(join(ROOT, "bin", "trailq"), ["query", "fields eventID | sort @timestamp asc", dir, "-q", "-f", "jsonl"], { encoding: "utf8", env: { ...process.env, TRAILQ_WORKERS: workers, TRAILQ_THREADS_FROM_BUNDLE: "1" } });
    assert.equal(r.stdout.trim().split("\n").length, 24 * 200 + 1, `workers ${workers}`);
    assert.match(r.stderr, /^trailq: warning: 1 row was written out of time order, after rows it sorts before: a file held events more than an hour older than the time in its name/m, `workers ${workers}`);
  }
  // sorted on the text of the time, every row is held to the end: in order, and no warning
  const whole = trailq(["query", "fields eventID | sort eventTime asc", dir, "-q", "-f", "jsonl"]);
  assert.equal(whole.stdout.split("\n")[0], JSON.stringify({ eventID: "LATE" }));
  assert.equal(whole.stderr, "");
});

const SHARED = join(ROOT, "..", "shared", "data");
const noShared = !existsSync(SHARED) && "../shared/data is absent";
const warningsOf = (stderr: string): string[] => stderr.split("\n").filter((l) => l.startsWith("trailq: warning: ")).map((l) => l.slice("trailq: warning: ".length));

test("a time range that selects no event says where the data are: from the files' names when all were pruned, else from the events", () => {
  const pruned = trailq(["query", "stats count(*) as n", "--start", "2024-01-01", "--end", "2024-01-02", "-f", "json"]);
  assert.equal(pruned.status, 0, pruned.stderr);
  assert.deepEqual(JSON.parse(pruned.stdout), [{ n: 0 }]);
  assert.deepEqual(warningsOf(pruned.stderr), ["no events between 2024-01-01 00:00 and 2024-01-02 00:00; the files hold events within 2026-10-31 23:32 to 2026-11-04 00:06 by the delivery stamps in their names (an event delivered more than an hour late is not seen: filter on @timestamp to read every file)"]);
  assert.match(pruned.stderr, /0 events parsed in 0 files · 1 row · .* · 1,246 files pruned by name/);
  // a file outside the CloudTrail layout is read: its events' times
  const read = trailq(["query", "fields eventName", "fixtures/golden/events.jsonl", "--end", "2020-06-01T12:30:15Z", "-q"]);
  assert.deepEqual(warningsOf(read.stderr), ["no events at or before 2020-06-01 12:30:15; the files hold 2024-02-29 23:59:59 to 2025-01-06 12:00:05"]);
  // SOURCE's range too; and a range that selects events says nothing
  const source = trailq(["query", 'SOURCE START="2030-01-01" | stats count(*)', "fixtures/golden/events.jsonl", "-q"]);
  assert.deepEqual(warningsOf(source.stderr), ["no events at or after 2030-01-01 00:00; the files hold 2024-02-29 23:59:59 to 2025-01-06 12:00:05"]);
  assert.deepEqual(warningsOf(trailq(["query", "stats count(*)", "--start", "2026-11-02", "-q"]).stderr), []);
});

test("on real data, a time range that selects no event says where the data are (../shared/data)", { skip: noShared }, () => {
  // invictus: CloudTrail file names (pruned by their stamps); stratus: arrays without stamps (read)
  const named = trailq(["query", "stats count(*)", join(SHARED, "invictus-aws-dataset"), "--start", "2024-01-01", "--end", "2024-01-02", "-q"]);
  assert.deepEqual(warningsOf(named.stderr), ["no events between 2024-01-01 00:00 and 2024-01-02 00:00; the files hold events within 2023-07-10 10:45 to 2023-07-10 12:41 by the delivery stamps in their names (an event delivered more than an hour late is not seen: filter on @timestamp to read every file)"]);
  const events = trailq(["query", "stats count(*)", join(SHARED, "stratus-detonation-logs"), "--start", "2030-01-01", "-q"]);
  assert.deepEqual(warningsOf(events.stderr), ["no events at or after 2030-01-01 00:00; the files hold 2024-07-30 21:31:10 to 2024-11-30 08:43:18"]);
});

test("on real data, a folder's README, LICENSE and Sigma rules are ignored without a warning each (../shared/data)", { skip: noShared }, () => {
  const r = trailq(["query", "stats count(*) as n", SHARED, "-f", "json"]);
  assert.equal(r.status, 0, r.stderr);
  // the one JSON file that is not CloudTrail is still warned about: a JSON file is never ignored
  // silently (and two panther events have an eventTime that is not a time)
  const warnings = warningsOf(r.stderr);
  assert.equal(warnings.length, 3, r.stderr);
  assert.equal(warnings.filter((w) => /manifest\.ndjson: not CloudTrail/.test(w)).length, 1);
  assert.equal(warnings.filter((w) => /cloudtrail_test_events\.ndjson: record \d+: eventTime/.test(w)).length, 2);
  assert.match(r.stderr, / · 804 files ignored \(not JSON\) · 1 file skipped, problems: 1 not CloudTrail\n$/);
});

test("a misspelt field is named at the end of the run, on standard error, even with -q", () => {
  const r = trailq(["query", 'filter eventname = "ConsoleLogin" | stats count(*) as n by userIdentity.username', "-q", "-f", "json"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "[]\n");
  assert.equal(r.stderr, "trailq: warning: no event has eventname; did you mean eventName?\ntrailq: warning: no event has userIdentity.username; did you mean userIdentity.userName?\n");
  const right = trailq(["query", 'filter eventName = "ConsoleLogin" | stats count(*) as n by userIdentity.userName', "-q", "-f", "json"]);
  assert.equal(right.stderr, "");
  assert.ok(JSON.parse(right.stdout).length > 3);
});

test("a misspelt field is named for standard input and a named pipe too, which are not read again for it", async () => {
  const line = JSON.stringify({ eventTime: "2026-11-01T00:00:00Z", eventName: "ConsoleLogin", eventSource: "signin.amazonaws.com", eventID: "e-1" }) + "\n";
  const piped = trailq(["query", "stats count(*) as n by eventname", "-", "-q", "-f", "json"], line);
  assert.equal(piped.status, 0, piped.stderr);
  assert.equal(piped.stderr, "trailq: warning: no event has eventname; did you mean eventName?\n");
  const dir = tempDir("pipe-hint");
  const fifo = join(dir, "events.pipe");
  execFileSync("mkfifo", [fifo]);
  // the run must end: a second opening of the pipe would wait for a writer that never comes
  const writer = spawn(process.execPath, ["-e", `require("fs").writeFileSync(process.argv[1], process.argv[2])`, fifo, line], { stdio: "ignore" });
  const q = spawn(join(ROOT, "bin", "trailq"), ["query", "stats count(*) as n by eventname", fifo, "-q", "-f", "json"], { cwd: ROOT });
  let out = "";
  let err = "";
  q.stdout.on("data", (c: Buffer) => (out += c));
  q.stderr.on("data", (c: Buffer) => (err += c));
  const timer = setTimeout(() => q.kill(), 20_000);
  try {
    const code = await new Promise<number | null>((r) => q.on("close", r));
    assert.equal(code, 0, err);
    assert.deepEqual(JSON.parse(out), [{ n: 1 }]);
    assert.equal(err, "trailq: warning: no event has eventname; did you mean eventName?\n");
  } finally {
    clearTimeout(timer);
    writer.kill();
  }
});

test("what reads the inputs twice refuses a named pipe at once: a subquery, a template's window", () => {
  const dir = tempDir("pipe-twice");
  const fifo = join(dir, "events.pipe");
  execFileSync("mkfifo", [fifo]);
  // nothing writes to the pipe: each must refuse before opening it (else the test times out)
  const sub = trailq(["query", "filter eventName in (stats count(*) by eventName | fields eventName)", fifo]);
  assert.equal(sub.status, 3, sub.stderr);
  assert.match(sub.stderr, /read the inputs twice: give files or folders, not standard input or a named pipe/);
  const template = trailq(["run", "first-seen-api-per-principal", fifo]);
  assert.equal(template.status, 3, template.stderr);
  assert.match(template.stderr, /and a named pipe \(.*events\.pipe\) can't be read twice: give --end/);
});

test("on real data, misspelt fields and a dashed name without backticks are named (../shared/data)", { skip: noShared }, () => {
  const invictus = join(SHARED, "invictus-aws-dataset");
  const dashed = trailq(["query", "filter ispresent(requestParameters.object-lock) | stats count(*) as n", invictus, "-q", "-f", "json"]);
  assert.deepEqual(warningsOf(dashed.stderr), ["no event has requestParameters.object; did you mean `requestParameters.object-lock`? (without backticks a name with - is a subtraction: requestParameters.object - lock)"]);
  const quoted = trailq(["query", "filter ispresent(`requestParameters.object-lock`) | stats count(*) as n", invictus, "-q", "-f", "json"]);
  assert.deepEqual(JSON.parse(quoted.stdout), [{ n: 10 }]);
  assert.equal(quoted.stderr, "");
  // panther's test events: missing fields are normal there, misspelt ones are not
  const panther = trailq(["query", "stats count(*) as n by eventname, useridentity.type", join(SHARED, "panther-rule-tests", "cloudtrail_test_events.ndjson"), "-q"]);
  assert.deepEqual(warningsOf(panther.stderr).filter((w) => !/eventTime .* is not a time/.test(w)), ["no event has eventname; did you mean eventName?", "no event has useridentity.type; did you mean userIdentity.type?"]);
});

test("--tz: times print in the zone with its offset; --start and --end without a zone are read in it; a bad zone is a usage error", () => {
  const json = (r: { stdout: string }): Record<string, unknown>[] => JSON.parse(r.stdout) as Record<string, unknown>[];
  const utc = trailq(["query", "stats earliest(@timestamp) as first, count(*) as n by bin(1d)", SAMPLE, "--start", "2026-11-02T06:00Z", "--end", "2026-11-02T12:00Z", "-f", "json", "-q"]);
  const paris = trailq(["query", "stats earliest(@timestamp) as first, count(*) as n by bin(1d)", SAMPLE, "--tz", "Europe/Paris", "--start", "2026-11-02 07:00", "--end", "2026-11-02T13:00", "-f", "json", "-q"]);
  assert.equal(paris.status, 0, paris.stderr);
  const [u, p] = [json(utc)[0]!, json(paris)[0]!];
  // the same events (the same range), the times shown an hour later with the offset; the day's bucket is UTC's
  assert.equal(p["n"], u["n"]);
  assert.ok((u["n"] as number) > 100);
  assert.match(String(u["first"]), /^2026-11-02 06:\d\d:\d\d\.\d{3}$/);
  assert.equal(p["first"], String(u["first"]).replace(/^2026-11-02 06/, "2026-11-02 07") + " +01:00");
  assert.equal(p["bin(1d)"], "2026-11-02 01:00:00.000 +01:00");
  // the prompt: .tz sets the zone, .tz alone says it
  const repl = trailq(["repl", SAMPLE], ".tz America/New_York\nstats min(@timestamp) as first\n.tz\n");
  assert.equal(repl.status, 0, repl.stderr);
  assert.match(repl.stdout, /times show in America\/New_York/);
  assert.match(repl.stdout, /20\d\d-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} -0[45]:00/);
  const bad = trailq(["query", "limit 1", SAMPLE, "--tz", "Mars/Olympus"]);
  assert.equal(bad.status, 3);
  assert.match(bad.stderr, /^trailq: bad value for --tz: "Mars\/Olympus" is not a time zone \(use UTC, local/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
});

test("Ctrl-C while a pipe is still open: the events read so far are counted, the batch still filling too", async () => {
  const dir = tempDir("pipe-interrupt");
  const fifo = join(dir, "events.pipe");
  execFileSync("mkfifo", [fifo]);
  const lines = [1, 2, 3].map((n) => JSON.stringify({ eventTime: `2026-11-01T00:00:0${n}Z`, eventName: "X", eventSource: "s3.amazonaws.com", eventID: `e-${n}` })).join("\n") + "\n";
  // three lines, and the pipe held open: the scan waits for more
  const writer = spawn(process.execPath, ["-e", `const fs=require("fs");const fd=fs.openSync(process.argv[1],"w");fs.writeSync(fd,process.argv[2]);setTimeout(()=>{},30000)`, fifo, lines], { stdio: "ignore" });
  const q = spawn(join(ROOT, "bin", "trailq"), ["query", "stats count(*) as n", fifo, "-f", "json"], { cwd: ROOT });
  let out = "";
  let err = "";
  q.stdout.on("data", (c: Buffer) => (out += c));
  q.stderr.on("data", (c: Buffer) => (err += c));
  try {
    await new Promise((r) => setTimeout(r, 2000));
    q.kill("SIGINT");
    const code = await new Promise<number | null>((r) => q.on("close", r));
    assert.equal(code, 130, err);
    assert.deepEqual(JSON.parse(out), [{ n: 3 }]);
    assert.match(err, /3 events parsed in 1 file .* interrupted/);
  } finally {
    writer.kill();
    q.kill();
  }
});

test("estimate over standard input is a usage error: it has no size to extrapolate from, and read it would be gone", () => {
  const r = trailq(["query", "estimate", "-"], '{"eventTime":"2026-11-01T00:00:00Z","eventName":"X","eventSource":"s"}\n');
  assert.equal(r.status, 3);
  assert.match(r.stderr, /^trailq: estimate extrapolates from the files' sizes on disk: standard input has none/m);
});

test("in a folder, a UTF-16 export with its byte-order mark is read whatever its name (PowerShell's export.txt); a tar archive, plain or gzipped, is named as one and skipped", () => {
  const dir = tempDir("utf16-tar");
  try {
    const doc = JSON.stringify({ Records: [1, 2, 3].map((i) => ({ eventTime: `2026-11-01T00:00:0${i}Z`, eventName: "CreateUser", eventSource: "iam.amazonaws.com", eventID: `w-${i}`, userAgent: "café ☃" })) });
    writeFileSync(join(dir, "export.txt"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc, "utf16le")]));
    const be = Buffer.from(doc.replaceAll('"w-', '"b-'), "utf16le").swap16();
    writeFileSync(join(dir, "export-be.txt"), Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    mkdirSync(join(dir, "t"));
    writeFileSync(join(dir, "t", "inner.json"), JSON.stringify({ Records: [{ eventTime: "2026-11-01T00:00:09Z", eventName: "X", eventID: "t-1" }] }));
    execFileSync("tar", ["-cf", join(dir, "bundle.tar"), "-C", join(dir, "t"), "inner.json"]);
    execFileSync("tar", ["-czf", join(dir, "bundle.tgz"), "-C", join(dir, "t"), "inner.json"]);
    rmSync(join(dir, "t"), { recursive: true });
    const r = trailq(["query", "stats count(*) as n by userAgent", dir, "-f", "csv"]);
    assert.equal(r.stdout, "userAgent,n\r\ncafé ☃,6\r\n", r.stderr);
    for (const tar of ["bundle.tar", "bundle.tgz"]) assert.match(r.stderr, new RegExp(`${tar}: a tar archive.*not read \\(extract its files first`), r.stderr);
    assert.doesNotMatch(r.stderr, /ignored/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bytes that are not UTF-8 (Latin-1 text, an overlong form) are said, once a file, by every reader: values holding them no longer match their text, and eventIDs differing there were taken for copies without a word", () => {
  const dir = tempDir("not-utf8");
  try {
    const ev = (id: string, name: string): string => `{"eventTime":"2026-11-01T00:00:0${id.length}Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","eventID":"${id}","userIdentity":{"userName":"${name}"}}`;
    const latin1 = (s: string): Buffer => Buffer.from(s, "latin1");
    writeFileSync(join(dir, "doc.json"), latin1(`{"Records":[${ev("id-\u00e9", "jos\u00e9")},${ev("id-\u00e8", "ok")}]}`));
    writeFileSync(join(dir, "lines.jsonl"), latin1(`${ev("l-\u00e9", "jos\u00e9")}\n${ev("l-2", "ok")}\n`));
    writeFileSync(join(dir, "overlong.json.gz"), gzipSync(Buffer.concat([Buffer.from(`{"Records":[${ev("o-1", "caf")}`.slice(0, -3)), Buffer.from([0xc0, 0xaf]), Buffer.from(`"}}]}`)])));
    // a real U+FFFD, written as UTF-8, is text like any other
    writeFileSync(join(dir, "fine.json"), `{"Records":[${ev("f-1", "\ufffd")}]}`);
    // UTF-16 with half a surrogate pair (a real U+FFFD in UTF-16 beside it is text too)
    const wide = Buffer.from(`{"Records":[${ev("w-1", "caf\ufffd X")}]}`, "utf16le");
    const lone = wide.indexOf(Buffer.from("X", "utf16le"));
    wide[lone] = 0x00;
    wide[lone + 1] = 0xd8;
    writeFileSync(join(dir, "wide.txt"), Buffer.concat([Buffer.from([0xff, 0xfe]), wide]));
    for (const workers of ["0", "2"]) {
      const r = spawnSync(join(ROOT, "bin", "trailq"), ["query", "stats count(*) as n by userIdentity.userName", dir, "-f", "csv"], { encoding: "utf8", env: { ...process.env, TRAILQ_WORKERS: workers } });
      for (const f of ["doc.json", "lines.jsonl", "overlong.json.gz", "wide.txt"]) assert.equal(r.stderr.split("\n").filter((l) => l.includes(`${f}: bytes that are not UTF-8`)).length, 1, `${f} (workers ${workers}):\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /fine\.json/);
      assert.match(r.stderr, /problems: 4 not UTF-8/);
    }
    assert.equal(trailq(["query", "stats count(*)", join(dir, "doc.json"), "--strict", "-q"]).status, 1);
    // the fast path looks at the values the query reads (and the eventIDs): one it does not read cannot change the answer
    assert.doesNotMatch(trailq(["query", "stats count(*)", join(dir, "overlong.json.gz")]).stderr, /UTF-8/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
