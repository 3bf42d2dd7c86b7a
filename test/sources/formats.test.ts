// Each input format yields exactly its events, with the right indexes and file facts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync, utimesSync, writeFileSync, mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { logGroupFromPath, stampFromName } from "../../src/sources/index.js";
import { isJsonLines } from "../../src/sources/sniff.js";
import { GOOD, batchInvariants, id, readAll } from "./helpers.js";
import { tempDir } from "../temp.js";

const TRAIL_REL = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/04/111122223333_CloudTrail_us-east-1_20240304T0005Z_Fx7kQm2ZpL9wNb3R.json.gz";

/** [display, index, eventID] of each event. */
const where = (got: Awaited<ReturnType<typeof readAll>>): [string, number, unknown][] => got.events.map((e) => [e.display, e.index, e.id]);

async function one(rel: string): Promise<Awaited<ReturnType<typeof readAll>>> {
  const got = await readAll([join(GOOD, rel)]);
  assert.deepEqual(got.warnings, []);
  assert.equal(got.stats.filesRead, 1);
  assert.equal(got.stats.filesSkipped, 0);
  assert.equal(batchInvariants(got.batches), undefined);
  return got;
}

test("a gzipped Records document in the AWSLogs layout: events, file facts, escapes kept", async () => {
  const got = await one(TRAIL_REL);
  const name = basename(TRAIL_REL);
  assert.deepEqual(where(got), [
    [name, 0, id(1)],
    [name, 1, id(2)],
    [name, 2, id(3)],
  ]);
  const file = got.batches[0]!.file;
  assert.equal(file.path, join(GOOD, TRAIL_REL));
  assert.equal(file.display, name);
  assert.equal(file.size, statSync(join(GOOD, TRAIL_REL)).size);
  assert.equal(file.ingestionTime, Date.UTC(2024, 2, 4, 0, 5));
  assert.equal(file.logGroup, "111122223333:us-east-1");
  const params = got.events[2]!.ev["requestParameters"] as Record<string, string>;
  assert.equal(params["policyDocument"], '{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b\\\\k/*"}]}');
  assert.equal(got.stats.eventsRead, 3);
  assert.equal(got.stats.bytesRead, file.size);
  assert.ok(got.stats.bytesDecoded > got.stats.bytesRead);
});

test("a plain one-line Records document, UTF-8 text intact", async () => {
  const got = await one("records.json");
  assert.deepEqual(where(got), [
    ["records.json", 0, id(4)],
    ["records.json", 1, id(5)],
  ]);
  assert.equal(got.events[0]!.ev["userAgent"], "Mozilla/5.0 (Macintosh) café/1.0 ✓");
  const file = got.batches[0]!.file;
  assert.equal(file.logGroup, undefined);
  assert.equal(file.ingestionTime, Math.floor(statSync(join(GOOD, "records.json")).mtimeMs));
  assert.equal(got.stats.bytesDecoded, got.stats.bytesRead);
});

test("a pretty-printed JSON array of events", async () => {
  const got = await one("array-pretty.json");
  assert.deepEqual(where(got), [
    ["array-pretty.json", 0, id(6)],
    ["array-pretty.json", 1, id(7)],
    ["array-pretty.json", 2, id(8)],
  ]);
});

test("JSON lines: blank lines ignored, CRLF accepted, one index per record", async () => {
  const got = await one("events.jsonl");
  assert.deepEqual(where(got), [
    ["events.jsonl", 0, id(9)],
    ["events.jsonl", 1, id(10)],
    ["events.jsonl", 2, id(11)],
  ]);
});

test("a single pretty-printed event, and a single event on one line", async () => {
  assert.deepEqual(where(await one("single-event.json")), [["single-event.json", 0, id(12)]]);
  assert.deepEqual(where(await one("single-line-event.json")), [["single-line-event.json", 0, id(13)]]);
});

test("gzip is found by content, whatever the name", async () => {
  const got = await one("misleading.txt");
  assert.deepEqual(where(got), [
    ["misleading.txt", 0, id(14)],
    ["misleading.txt", 1, id(15)],
  ]);
});

test("a multi-member gzip of two Records documents: both documents, indexes going on", async () => {
  const got = await one("multi-member.json.gz");
  assert.deepEqual(where(got), [
    ["multi-member.json.gz", 0, id(16)],
    ["multi-member.json.gz", 1, id(17)],
    ["multi-member.json.gz", 2, id(18)],
  ]);
});

test("a folder: stable sorted order, display relative to the root, hidden files and digests skipped", async () => {
  const got = await readAll([GOOD]);
  assert.deepEqual(got.warnings, []);
  const files = [...new Set(got.events.map((e) => e.display))];
  assert.deepEqual(files, [
    TRAIL_REL,
    "array-pretty.json",
    "events.jsonl",
    "misleading.txt",
    "multi-member.json.gz",
    "records.json",
    "single-event.json",
    "single-line-event.json",
  ]);
  assert.deepEqual(
    got.events.map((e) => e.id),
    [1, 2, 3, 6, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 4, 5, 12, 13].map(id),
  );
  assert.equal(got.stats.filesRead, 8);
  assert.equal(got.stats.eventsRead, 18);
  assert.equal(got.events[0]!.ev["eventID"], id(1));
  assert.equal(got.batches[0]!.file.logGroup, "111122223333:us-east-1");
  // The walk alone lists the same files, in the same order.
  const { Reader } = await import("../../src/sources/index.js");
  const listed: string[] = [];
  for (const f of new Reader([GOOD], { warn: () => {} }).files()) listed.push(f.display);
  assert.deepEqual(listed, files);
});

test("a document parsed whole and the same split by the streaming scanner give the same events", async () => {
  const whole = await readAll([GOOD]);
  const scanned = await readAll([GOOD], { wholeParseLimit: 0 });
  assert.deepEqual(scanned.warnings, []);
  assert.deepEqual(where(scanned), where(whole));
  assert.deepEqual(
    scanned.events.map((e) => e.ev),
    whole.events.map((e) => e.ev),
  );
});

test("standard input, through a stream: JSON lines, gzip, a Records document", async () => {
  const lines = readFileSync(join(GOOD, "events.jsonl"));
  const cases: [string, Buffer[], string[]][] = [
    ["JSON lines, a byte at a time", [...lines].map((b) => Buffer.from([b])), [id(9), id(10), id(11)]],
    ["gzip", [readFileSync(join(GOOD, TRAIL_REL))], [id(1), id(2), id(3)]],
    ["Records document", [readFileSync(join(GOOD, "records.json"))], [id(4), id(5)]],
  ];
  for (const [label, chunks, ids] of cases) {
    const before = Date.now();
    const got = await readAll(["-"], { stdin: Readable.from(chunks) });
    assert.deepEqual(got.warnings, [], label);
    assert.deepEqual(
      got.events.map((e) => [e.display, e.id]),
      ids.map((i) => ["-", i]),
      label,
    );
    assert.deepEqual(got.events.map((e) => e.index), ids.map((_, i) => i), label);
    const file = got.batches[0]!.file;
    assert.equal(file.path, "-");
    assert.equal(file.size, 0);
    assert.ok(file.ingestionTime >= before && file.ingestionTime <= Date.now(), label);
    assert.equal(got.stats.bytesRead, chunks.reduce((n, c) => n + c.length, 0), label);
  }
});

test("display is relative to each input root; a file input shows its own name", async () => {
  const dir = tempDir("display");
  mkdirSync(join(dir, "a", "b"), { recursive: true });
  writeFileSync(join(dir, "a", "b", "x.json"), readFileSync(join(GOOD, "records.json")));
  writeFileSync(join(dir, "top.json"), readFileSync(join(GOOD, "single-event.json")));
  const got = await readAll([join(dir, "a"), join(dir, "a", "b"), join(dir, "top.json"), join(dir, "top.json")]);
  assert.deepEqual(got.warnings, []);
  // a/b/x.json is found under the first root; the second root and the repeated file add nothing.
  assert.deepEqual(where(got), [
    ["b/x.json", 0, id(4)],
    ["b/x.json", 1, id(5)],
    ["top.json", 0, id(12)],
  ]);
});

test("ingestionTime: the CloudTrail stamp in the name, else the file's mtime", async () => {
  const dir = tempDir("ingest");
  const stamped = join(dir, "999999999999_CloudTrail_eu-west-3_20231231T2355Z_abcdefgh12345678.json.gz");
  const plain = join(dir, "plain.json.gz");
  const body = gzipSync(readFileSync(join(GOOD, "records.json")));
  writeFileSync(stamped, body);
  writeFileSync(plain, body);
  const mtime = new Date(Date.UTC(2022, 0, 2, 3, 4, 5));
  utimesSync(plain, mtime, mtime);
  const got = await readAll([dir]);
  const byName = new Map(got.batches.map((b) => [b.file.display, b.file]));
  assert.equal(byName.get(basename(stamped))!.ingestionTime, Date.UTC(2023, 11, 31, 23, 55));
  assert.equal(byName.get("plain.json.gz")!.ingestionTime, mtime.getTime());
});

test("file-name stamps and the AWSLogs layout", () => {
  assert.equal(stampFromName("123456789012_CloudTrail_us-east-1_20240304T0005Z_Fx7kQm2ZpL9wNb3R.json.gz"), Date.UTC(2024, 2, 4, 0, 5));
  assert.equal(stampFromName("events_20240230T0005Z_x.json"), undefined); // no 30 February
  assert.equal(stampFromName("events.json"), undefined);
  assert.equal(logGroupFromPath("/logs/AWSLogs/123456789012/CloudTrail/eu-west-1/2024/03/04/f.json.gz"), "123456789012:eu-west-1");
  assert.equal(logGroupFromPath("/b/AWSLogs/o-abc123def4/123456789012/CloudTrail/ap-south-1/2024/f.json.gz"), "123456789012:ap-south-1");
  assert.equal(logGroupFromPath("/b/AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2024/f.json.gz"), undefined);
  assert.equal(logGroupFromPath("/b/logs/CloudTrail/us-east-1/f.json"), undefined);
});

test("JSON lines or one document: decided by whether more than one top-level value follows", () => {
  const b = (s: string): Buffer => Buffer.from(s);
  assert.equal(isJsonLines(b('{"eventTime":"x"}\n'), true), false); // one object on one line
  assert.equal(isJsonLines(b('{"eventTime":"x"}\n{"eventTime":"y"}\n'), true), true);
  assert.equal(isJsonLines(b('{"Records":[{"a":1}]}\n{"eventTime":"y"}'), true), true);
  assert.equal(isJsonLines(b('{\n  "eventTime": "x",\n  "eventName": "y"\n}\n'), true), false);
  assert.equal(isJsonLines(b('[\n{"a":1},\n{"b":2}\n]\n'), true), false);
  assert.equal(isJsonLines(b('{"Records":[\n{"a":1},\n{"b":2}\n]}'), true), false);
  // A broken first line does not hide the JSON lines after it.
  assert.equal(isJsonLines(b('{"eventTime":"x", \n{"eventTime":"y"}\n{"eventTime":"z"}\n'), true), true);
});

test("a file found in a folder: its paths, its stamp, and the plain copy that crosses to a worker", async () => {
  const { Reader, plainFound } = await import("../../src/sources/index.js");
  const root = tempDir("paths");
  const folder = join(root, "AWSLogs", "111122223333", "CloudTrail", "eu-west-1", "2026", "11", "02");
  mkdirSync(folder, { recursive: true });
  const stamped = "111122223333_CloudTrail_eu-west-1_20261102T0105Z_abcdefgh12345678.json.gz";
  writeFileSync(join(folder, stamped), gzipSync('{"Records":[]}'));
  writeFileSync(join(folder, "export.json"), '{"Records":[]}');
  const mtime = new Date("2026-10-01T00:00:00Z");
  utimesSync(join(folder, "export.json"), mtime, mtime);
  const found = [...new Reader([root], { warn: () => {} }).found()];
  assert.deepEqual(
    found.map((f) => [f.file.path, f.file.display, f.shown, f.file.logGroup, f.file.stamped, f.file.ingestionTime, f.file.size]),
    [
      [join(folder, stamped), `AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/02/${stamped}`, join(root, "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/02", stamped), "111122223333:eu-west-1", true, Date.UTC(2026, 10, 2, 1, 5), statSync(join(folder, stamped)).size],
      [join(folder, "export.json"), "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/02/export.json", join(root, "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/02/export.json"), "111122223333:eu-west-1", false, mtime.getTime(), 14],
    ],
  );
  // a worker gets plain data, the same whatever a structured clone keeps (a class's getters it drops)
  for (const f of found) {
    const sent = structuredClone(plainFound(f));
    assert.deepEqual(sent, { kind: "file", shown: f.shown, file: { path: f.file.path, display: f.file.display, size: f.file.size, ingestionTime: f.file.ingestionTime, logGroup: "111122223333:eu-west-1", ...(f.file.stamped ? { stamped: true } : {}) } });
  }
  // a file named as an input: its name is its path in the trail
  const [named] = [...new Reader([join(folder, stamped)], { warn: () => {} }).found()];
  assert.deepEqual([named!.file.display, named!.shown, named!.file.stamped, named!.file.logGroup], [stamped, join(folder, stamped), true, "111122223333:eu-west-1"]);
});
