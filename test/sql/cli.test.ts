// `trailq sql`, `trailq sql --ddl` and `trailq query --engine duckdb` through the built binary.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, trailq } from "../bin.js";
import { tempDir } from "../temp.js";
import { zipSync } from "fflate";

const EVENTS = join(ROOT, "fixtures", "golden", "events.jsonl");


test("trailq sql prints Athena SQL with the time range as partition and eventtime predicates", () => {
  const r = trailq(["sql", 'filter eventName = "ConsoleLogin" | stats count(*) as logins by userIdentity.userName', "--start", "2026-11-01", "--end", "2026-11-03"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /FROM cloudtrail_logs\n/);
  assert.match(r.stdout, /"timestamp" BETWEEN '2026\/11\/01' AND '2026\/11\/03'/);
  assert.match(r.stdout, /from_iso8601_timestamp\(eventtime\) BETWEEN from_iso8601_timestamp\('2026-11-01T00:00:00.000Z'\) AND from_iso8601_timestamp\('2026-11-03T00:00:00.000Z'\)/);
  assert.match(r.stdout, /GROUP BY useridentity\.username/);
  assert.match(r.stdout, /;\n$/);
  assert.equal(r.stderr, "");
});

test("--table names the table, --dialect duckdb prints the view over the files", () => {
  const a = trailq(["sql", "stats count(*) as n", "--table", "security.trail"]);
  assert.equal(a.status, 0, a.stderr);
  assert.match(a.stdout, /FROM security\.trail\n/);
  // written as it is: a word SQL reserves would be a syntax error in Athena
  for (const name of ["select", "logs.order"]) {
    const bad = trailq(["sql", "stats count(*) as n", "--table", name]);
    assert.equal(bad.status, 3, bad.stderr);
    assert.match(bad.stderr, /reserves/);
  }
  const d = trailq(["sql", "stats count(*) as n", EVENTS, "--dialect", "duckdb"]);
  assert.equal(d.status, 0, d.stderr);
  assert.match(d.stdout, /^WITH cloudtrail_files AS \(/);
  assert.match(d.stdout, /read_json_objects\(\['[^']*events\.jsonl'\]/);
  assert.match(d.stdout, /\), cloudtrail_logs AS \(/);
});

test("a query that can't be translated is an error naming the command, with no SQL", () => {
  const r = trailq(["sql", "pattern eventName"]);
  assert.equal(r.status, 3);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /trailq: can't translate pattern\/diff\/anomaly to SQL/);
  const f = trailq(["sql", "fields hexToAscii(eventName)"]);
  assert.match(f.stderr, /the function hexToAscii\(\)/);
});

test("a query error is shown as for query, with the caret", () => {
  const r = trailq(["sql", "stast count(*)"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /\^/);
});

test("trailq sql --ddl prints the partition-projected table", () => {
  const r = trailq(["sql", "--ddl", "--bucket", "s3://my-trail-bucket/org", "--account", "111111111111,222222222222", "--table", "trail"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^CREATE EXTERNAL TABLE IF NOT EXISTS trail \(\n  eventversion STRING,\n  useridentity STRUCT<\n/);
  assert.match(r.stdout, /  requestparameters STRING,/);
  assert.match(r.stdout, /PARTITIONED BY \(account STRING, region STRING, `timestamp` STRING\)/);
  assert.match(r.stdout, /LOCATION 's3:\/\/my-trail-bucket\/org\/AWSLogs\/'/);
  assert.match(r.stdout, /'projection\.account\.values' = '111111111111,222222222222'/);
  assert.match(r.stdout, /'projection\.region\.values' = 'us-east-1,/);
  assert.match(r.stdout, /'projection\.timestamp\.format' = 'yyyy\/MM\/dd'/);
  assert.match(r.stdout, /'storage\.location\.template' = 's3:\/\/my-trail-bucket\/org\/AWSLogs\/\$\{account\}\/CloudTrail\/\$\{region\}\/\$\{timestamp\}'/);
});

test("--ddl needs --bucket and the accounts", () => {
  assert.match(trailq(["sql", "--ddl"]).stderr, /--bucket s3:\/\/bucket\/prefix/);
  const r = trailq(["sql", "--ddl", "--bucket", "s3://b"]);
  assert.equal(r.status, 3);
  assert.match(r.stderr, /--account/);
  assert.match(trailq(["sql", "--ddl", "--bucket", "http://b", "--account", "111111111111"]).stderr, /not an S3 location/);
});

test("query --engine duckdb prints the same rows as the native engine", () => {
  const q = "filter ispresent(errorCode) | stats count(*) as n by errorCode | sort n desc, errorCode asc";
  const native = trailq(["query", q, EVENTS, "-f", "json", "-q"]);
  const duck = trailq(["query", q, EVENTS, "-f", "json", "-q", "--engine", "duckdb"]);
  assert.equal(duck.status, 0, duck.stderr);
  assert.equal(duck.stdout, native.stdout);
  assert.ok(JSON.parse(duck.stdout).length > 0);
  const note = trailq(["query", q, EVENTS, "--engine", "duckdb"]);
  assert.match(note.stderr, /DuckDB over 1 file · \d+ rows · JSON DuckDB can't read is skipped uncounted \(the native engine warns\)/);
  // what DuckDB skips it does not say: --strict can't be kept
  const strict = trailq(["query", q, EVENTS, "--engine", "duckdb", "--strict"]);
  assert.equal(strict.status, 3);
  assert.match(strict.stderr, /--strict needs the native engine: DuckDB skips the JSON it can't read without saying what/);
  // nor a memory budget: DuckDB's memory is its own
  const memory = trailq(["query", q, EVENTS, "--engine", "duckdb", "--memory", "200M"]);
  assert.equal(memory.status, 3);
  assert.match(memory.stderr, /--memory bounds the native engine: DuckDB manages its own memory/);
});

test("copies of an event: --engine duckdb and trailq sql --dialect duckdb skip them as the native engine does; --keep-duplicates counts them", () => {
  // two files: b.jsonl holds copies of two of a.jsonl's events (the second twice) and an event without an eventID
  const dir = tempDir("sql-copies");
  const lines = readFileSync(EVENTS, "utf8").split("\n").filter(Boolean).slice(0, 6);
  const noId = JSON.stringify({ ...(JSON.parse(lines[0]!) as Record<string, unknown>), eventID: undefined });
  writeFileSync(join(dir, "a.jsonl"), lines.join("\n") + "\n");
  writeFileSync(join(dir, "b.jsonl"), [lines[0], lines[1], lines[1], noId, noId].join("\n") + "\n");
  const q = "stats count(*) as n by eventName | sort eventName";
  const count = (args: string[]): unknown => {
    const r = trailq(["query", q, dir, "-f", "json", "-q", ...args]);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  const once = count([]);
  const every = count(["--keep-duplicates"]);
  assert.deepEqual(count(["--engine", "duckdb"]), once);
  assert.deepEqual(count(["--engine", "duckdb", "--keep-duplicates"]), every);
  const total = (rows: unknown): number => (rows as { n: number }[]).reduce((a, r) => a + r.n, 0);
  assert.equal(total(once), 8);
  assert.equal(total(every), 11);
  assert.match(trailq(["sql", q]).stdout, /row_number\(\) OVER \(PARTITION BY nullif\(eventid, ''\) ORDER BY "\$path"\) AS copy_number/);
  assert.doesNotMatch(trailq(["sql", q, "--keep-duplicates"]).stdout, /PARTITION BY/);
});

test("query --engine duckdb refuses a zip file (DuckDB's JSON reader does not open it), naming it", () => {
  const dir = tempDir("sql-zip");
  writeFileSync(join(dir, "events.zip"), zipSync({ "events.jsonl": readFileSync(EVENTS) }));
  const r = trailq(["query", "stats count(*)", dir, "--engine", "duckdb"]);
  assert.equal(r.status, 3);
  assert.match(r.stderr, /^trailq: --engine duckdb reads JSON, JSON lines and gzip: .*events\.zip is a zip file, which the native engine reads/);
  assert.equal(trailq(["query", "stats count(*) as n", dir, "-f", "jsonl", "-q"]).stdout.trim(), `{"n":${readFileSync(EVENTS, "utf8").split("\n").filter(Boolean).length}}`);
});

test("query --engine duckdb refuses what it can't translate, and standard input", () => {
  assert.match(trailq(["query", "pattern eventName", EVENTS, "--engine", "duckdb"]).stderr, /can't translate pattern/);
  assert.match(trailq(["query", "stats count(*)", "-", "--engine", "duckdb"]).stderr, /reads files, not standard input/);
});

test("partition conditions at the edges: an end in the year 9999 leaves the day open, accounts that share none select nothing, a time too far is a usage error", () => {
  const far = trailq(["sql", "stats count(*)", "--end", "9999-12-31T23:59:59Z"]);
  assert.equal(far.status, 0, far.stderr);
  assert.doesNotMatch(far.stdout, /"timestamp" <=/);
  assert.doesNotMatch(far.stdout, /\+010000/);
  const none = trailq(["sql", 'SOURCE accounts=["111111111111"] | stats count(*)', "--account", "222222222222"]);
  assert.equal(none.status, 0, none.stderr);
  assert.doesNotMatch(none.stdout, /IN \(\)/);
  assert.match(none.stdout, /WHERE false/);
  const huge = trailq(["sql", "stats count(*)", "--end", "+100000000d"]);
  assert.equal(huge.status, 3);
  assert.match(huge.stderr, /bad value for --end: "\+100000000d" is further than a time can be/);
});

test("--engine duckdb: a file outside the layout is in the day of its events' UTC times, whatever offset they are written with", () => {
  const dir = tempDir("duck-offset");
  const file = join(dir, "export.jsonl");
  writeFileSync(file, JSON.stringify({ eventVersion: "1.08", eventTime: "2026-01-02T01:00:00+05:00", eventSource: "s3.amazonaws.com", eventName: "X", eventID: "e-1" }) + "\n");
  const args = ["query", "stats count(*) as n", file, "--start", "2026-01-01T19:00:00Z", "--end", "2026-01-01T20:30:00Z", "-q", "-f", "json"];
  const native = trailq(args);
  const duck = trailq([...args, "--engine", "duckdb"]);
  assert.equal(native.status, 0, native.stderr);
  assert.equal(duck.status, 0, duck.stderr);
  assert.deepEqual(JSON.parse(duck.stdout), JSON.parse(native.stdout));
  assert.deepEqual(JSON.parse(native.stdout), [{ n: 1 }]);
});

test("--account and --region: an event without recipientAccountId or awsRegion is its folder's, a numeric account its digits; both engines agree, a region folder in capitals too", () => {
  const dir = tempDir("account-fallback");
  const folder = (region: string): string => join(dir, "AWSLogs", "111111111111", "CloudTrail", region, "2014", "01", "01");
  mkdirSync(folder("us-east-1"), { recursive: true });
  mkdirSync(folder("EU-WEST-1"), { recursive: true });
  // version 1.01: no recipientAccountId; the second has no awsRegion either
  writeFileSync(join(folder("us-east-1"), "111111111111_CloudTrail_us-east-1_20140101T1005Z_a.json"), JSON.stringify({ Records: [
    { eventVersion: "1.01", eventTime: "2014-01-01T10:00:00Z", eventID: "old1", eventName: "N", awsRegion: "us-east-1" },
    { eventVersion: "1.01", eventTime: "2014-01-01T10:01:00Z", eventID: "old2", eventName: "N" },
  ] }));
  writeFileSync(join(folder("EU-WEST-1"), "111111111111_CloudTrail_eu-west-1_20140101T1005Z_b.json"), JSON.stringify({ Records: [
    { eventVersion: "1.01", eventTime: "2014-01-01T10:02:00Z", eventID: "old3", eventName: "N", awsRegion: "eu-west-1" },
  ] }));
  // outside the layout: only the event says, here as a number
  writeFileSync(join(dir, "export.jsonl"), JSON.stringify({ eventTime: "2014-01-01T10:03:00Z", eventID: "num1", eventName: "N", recipientAccountId: 111111111111, awsRegion: "us-east-1" }) + "\n");
  const count = (args: string[]): unknown => JSON.parse(trailq(["query", "stats count(*) as n", dir, "-q", "-f", "json", ...args]).stdout);
  for (const engine of [[], ["--engine", "duckdb"]]) {
    assert.deepEqual(count(["--account", "111111111111", ...engine]), [{ n: 4 }], engine.join(" "));
    assert.deepEqual(count(["--region", "us-east-1", ...engine]), [{ n: 3 }], engine.join(" "));
    assert.deepEqual(count(["--region", "eu-west-1", ...engine]), [{ n: 1 }], engine.join(" "));
  }
});

test("jsonParse of text that is not whole JSON ([1,2, or {oops}) is null in SQL as natively; round to tens and more is round in both", () => {
  const dir = tempDir("sql-jsonparse");
  const file = join(dir, "events.jsonl");
  const ev = (id: string, p: string): string => JSON.stringify({ eventTime: "2026-01-01T00:00:00Z", eventName: "E", eventSource: "s", eventID: id, requestParameters: { p } });
  writeFileSync(file, [ev("j1", "[1,2,"), ev("j2", "{oops}"), ev("j3", '{"a":1}')].join("\n") + "\n");
  const q = "fields eventID, jsonParse(requestParameters.p) as j, round(383453, -5) as r | sort eventID asc";
  const native = trailq(["query", q, file, "-f", "json", "-q"]);
  const duck = trailq(["query", q, file, "-f", "json", "-q", "--engine", "duckdb"]);
  assert.equal(native.status, 0, native.stderr);
  assert.equal(duck.status, 0, duck.stderr);
  assert.deepEqual(JSON.parse(native.stdout), [{ eventID: "j1", r: 400000 }, { eventID: "j2", r: 400000 }, { eventID: "j3", j: { a: 1 }, r: 400000 }]);
  assert.equal(duck.stdout, native.stdout);
  // Athena: try(json_parse()) says whether the text is JSON
  const athena = trailq(["sql", "fields jsonParse(requestParameters.p) as j"]);
  assert.equal(athena.status, 0, athena.stderr);
  assert.match(athena.stdout, /try\(json_parse\(/);
});
