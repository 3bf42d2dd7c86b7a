// The built binary, run as a user runs it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { BIN, ROOT, trailq } from "../bin.js";
import { tempDir } from "../temp.js";

const EVENTS = join(ROOT, "fixtures", "golden", "events.jsonl");


test("--format json prints one JSON array of row objects", () => {
  const r = trailq(["query", 'filter eventName = "ConsoleLogin" | fields @timestamp, userIdentity.type, responseElements.ConsoleLogin as result | sort @timestamp asc', EVENTS, "--format", "json"]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [
    { "@timestamp": "2024-03-01 08:00:00.000", "userIdentity.type": "Root", result: "Success" },
    { "@timestamp": "2024-03-01 08:01:00.000", "userIdentity.type": "IAMUser", result: "Failure" },
  ]);
  assert.match(r.stderr, /12 events parsed in 1 file · 2 rows · \d+\.\d\d s/);
});

test("numbers are JSON numbers, absent values are left out, booleans are 1/0", () => {
  const r = trailq(["query", "fields eventID, requestParameters.maxCount as n, readOnly | sort eventID asc | limit 3", EVENTS, "-f", "json", "-q"]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [
    { eventID: "e-1", readOnly: 1 },
    { eventID: "e-2", n: 2, readOnly: 0 },
    { eventID: "e-3", readOnly: 0 },
  ]);
  assert.equal(r.stderr, "");
});

test("with no path and no piped stdin, the sample trail is queried and stderr says so", () => {
  const r = trailq(["query", "stats count(*) as n", "-f", "json"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /querying the bundled sample trail/);
  const rows = JSON.parse(r.stdout) as { n: number }[];
  assert.ok(rows[0]!.n > 15000, `sample trail has ${rows[0]!.n} events`);
});

test("piped stdin is read, gzip or not", () => {
  const text = readFileSync(EVENTS);
  for (const input of [text, gzipSync(text)]) {
    const r = trailq(["query", "stats count(*) as n", "-f", "jsonl", "-q"], input);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '{"n":12}\n');
  }
});

test("every format shows the same columns", () => {
  const q = 'stats count(*) as calls by eventSource | sort calls desc, eventSource asc | limit 2';
  const csv = trailq(["query", q, EVENTS, "-f", "csv", "-q"]);
  assert.equal(csv.stdout, "eventSource,calls\r\nec2.amazonaws.com,4\r\nsignin.amazonaws.com,2\r\n");
  const md = trailq(["query", q, EVENTS, "-f", "markdown", "-q"]);
  assert.equal(md.stdout, "| eventSource | calls |\n| --- | --- |\n| ec2.amazonaws.com | 4 |\n| signin.amazonaws.com | 2 |\n");
  const table = trailq(["query", q, EVENTS, "-q"]);
  assert.equal(table.stdout, ["eventSource          │ calls", "─────────────────────┼──────", "ec2.amazonaws.com    │     4", "signin.amazonaws.com │     2", ""].join("\n"));
});

test("a column is named by its expression as written, the same in every format", () => {
  const q = 'filter eventID = "e-3" | fields resources[0].ARN, strlen( eventName ), `tlsDetails.tlsVersion`, readOnly = false';
  const names = ["resources[0].ARN", "strlen( eventName )", "tlsDetails.tlsVersion", "readOnly = false"];
  const run = (format: string): string => {
    const r = trailq(["query", q, EVENTS, "-f", format, "-q"]);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  assert.equal(run("csv").split("\r\n")[0], names.join(","));
  // markdown escapes its markup characters ([ and ]), which render as written
  assert.equal(run("markdown").split("\n")[0], `| ${names.map((n) => n.replace(/[[\]]/g, "\\$&")).join(" | ")} |`);
  assert.deepEqual(run("table").split("\n")[0]!.split("│").map((h) => h.trim()), names);
  assert.deepEqual(Object.keys((JSON.parse(run("json")) as object[])[0]!), names);
  assert.deepEqual(Object.keys(JSON.parse(run("jsonl")) as object), names);
});

test("@message is printed as the file has it: --format json, csv and the table keep its text", () => {
  const file = join(ROOT, "fixtures", "message", "events", "compact.json.gz");
  const text = '"additionalEventData":{"bytesTransferredIn":500.0,"bytesTransferredOut":1.0E7,"x":-0.0,"y":1e-7}';
  const json = trailq(["query", 'filter eventID = "m-1" | fields @message', file, "-f", "json", "-q"]);
  assert.equal(json.status, 0, json.stderr);
  const message = (JSON.parse(json.stdout) as { "@message": string }[])[0]!["@message"];
  assert.ok(message.includes(text), message);
  const jsonl = trailq(["query", 'filter eventID = "m-2" | fields @message', file, "-f", "jsonl", "-q"]);
  assert.ok((JSON.parse(jsonl.stdout) as { "@message": string })["@message"].includes('"10":"ten","key":"caf\\u00e9 \\/ \\"q\\""'), jsonl.stdout);
  const csv = trailq(["query", 'filter eventID = "m-1" | fields @message', file, "-f", "csv", "-q"]);
  assert.ok(csv.stdout.includes(text.replace(/"/g, '""')), csv.stdout);
  const table = trailq(["query", 'filter eventID = "m-1" | fields @message', file, "-q"]);
  assert.ok(table.stdout.includes(text), table.stdout);
});

test("a syntax error prints line:col, the line, a caret and a hint, exit 2, no stack trace", () => {
  const r = trailq(["query", "fields eventName\n| stast count(*)", EVENTS]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^error: 2:3: /);
  assert.match(r.stderr, /2 \| \| stast count\(\*\)\n {6}\^{5}/);
  assert.match(r.stderr, /did you mean `stats`\?/);
  assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/);
});

test("an unknown function is a check error with a did-you-mean", () => {
  const r = trailq(["query", "stats cout(*)", EVENTS]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown function `cout`/);
  assert.match(r.stderr, /did you mean `count`\?/);
});

test("a bad option value is a usage error (exit 3)", () => {
  const r = trailq(["query", "stats count(*)", EVENTS, "--format", "xml"]);
  assert.equal(r.status, 3);
  assert.match(r.stderr, /--format/);
  assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/);
});

test("explain prints the plan", () => {
  const r = trailq(["explain", 'filter eventSource = "ec2.amazonaws.com" | stats count(*) as calls by eventName | sort calls desc | limit 5']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /filter\s+eventSource = "ec2\.amazonaws\.com"/);
  assert.match(r.stdout, /stats\s+count\(\*\) as calls by eventName/);
  assert.match(r.stdout, /sort\s+calls desc\s+\[top 5\]/);
  // what the scan reads: the query's fields, and its own (the time, the eventID of copies, SOURCE's account)
  assert.match(r.stdout, /scan\s+events, reading eventName, eventSource for the query, and eventTime, eventID for the scan itself$/m);
  const source = trailq(["explain", 'SOURCE accounts="777788889999" | stats count(*)']);
  assert.match(source.stdout, /scan\s+events, reading no field for the query, and eventTime, eventID, recipientAccountId for the scan itself$/m);
  // a command that reads every field: the events are parsed whole
  assert.match(trailq(["explain", "relevantfields where ispresent(errorCode)"]).stdout, /scan\s+events, parsed whole \(a command reads every field\)$/m);
  // as query reads them: SOURCE's times without a zone in --tz's, the lookup command's tables from --lookup
  assert.match(trailq(["explain", 'SOURCE START="2026-11-02T00:00:00" | stats count(*)', "--tz", "Europe/Paris"]).stdout, /source\s+from 2026-11-01T23:00:00\.000Z$/m);
  const dir = tempDir("explain-lookup");
  writeFileSync(join(dir, "own.csv"), "ip,owner\n10.0.0.1,alice\n");
  const lookup = trailq(["explain", "lookup own ip AS sourceIPAddress OUTPUT owner", "--lookup", `own=${join(dir, "own.csv")}`]);
  assert.equal(lookup.status, 0, lookup.stderr);
  assert.match(lookup.stdout, /lookup\s+own on sourceIPAddress → owner$/m);
});

test("output to a pipe is complete, and a closed pipe ends quietly", async () => {
  const dir = tempDir("cli");
  const lines = Array.from({ length: 50000 }, (_, i) => JSON.stringify({ eventTime: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), eventName: "E" + (i % 7), eventSource: "s3.amazonaws.com" }));
  const file = join(dir, "big.jsonl");
  writeFileSync(file, lines.join("\n") + "\n");
  const full = trailq(["query", "fields eventName", file, "-f", "jsonl", "-q"]);
  assert.equal(full.status, 0);
  assert.equal(full.stdout.split("\n").length - 1, 50000);
  // like `trailq ... | head -1`
  const code = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const p = spawn(BIN, ["query", "fields eventName", file, "-f", "jsonl"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.stdout.once("data", () => p.stdout.destroy());
    p.on("close", (status) => resolve({ status, stderr }));
  });
  assert.equal(code.status, 0);
  assert.doesNotMatch(code.stderr, /EPIPE|Error/);
});

test("an option given once, given twice, is a usage error: the second value was taken in place of the first", () => {
  const twice: [string, string[]][] = [
    ["query", ["--start", "2026-11-01T00:00Z", "--start", "2026-11-02T00:00Z"]],
    ["query", ["--end", "now", "--end", "-1h"]],
    // --tz twice moved the range --start is read in
    ["query", ["--tz", "Europe/Paris", "--start", "2026-11-01 06:00", "--tz", "UTC"]],
    ["query", ["-f", "json", "-f", "csv"]],
    ["query", ["--max-rows", "1", "--max-rows", "2"]],
    ["detect", ["--min-level", "high", "--min-level", "low"]],
    ["detect", ["--fail-level", "high", "--fail-level", "critical"]],
  ];
  for (const [command, args] of twice) {
    const r = trailq(command === "query" ? ["query", "stats count(*)", "fixtures/sample-trail", ...args] : [command, "fixtures/sample-trail", ...args]);
    assert.equal(r.status, 3, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /given twice/);
  }
});
