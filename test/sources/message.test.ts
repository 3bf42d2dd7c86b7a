// @message is each event's text as the file has it (src/sources/raw.ts): every reading path keeps
// it — the fast path (compact and pretty Records documents, gzipped or not), the careful one (JSON
// lines, arrays, single events, zip, standard input, documents too big to parse whole) — and they
// agree; only the whitespace outside strings is removed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gunzipSync } from "node:zlib";
import { zipSync } from "fflate";
import { compactJson, elementTexts } from "../../src/sources/raw.js";
import { readFast } from "../../src/sources/fast.js";
import { Projector } from "../../src/sources/project.js";
import { Reader } from "../../src/sources/index.js";
import { eventReads, requiredText } from "../../src/plan/reads.js";
import { buildPlan } from "../../src/plan/build.js";
import { parseQuery } from "../../src/lang/index.js";
import { ROOT, readAll } from "./helpers.js";
import { tempDir } from "../temp.js";

const EVENTS = join(ROOT, "fixtures", "message", "events");

/** The texts the fixtures' events must have as @message (fixtures/message/make.mjs), by eventID. */
const HEAD = (n: number): string =>
  `{"eventVersion":"1.09","eventTime":"2024-05-01T00:0${n}:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.${n}","userIdentity":{"type":"IAMUser","userName":"user-${n}"},`;
const EXPECTED: Record<string, string> = {
  "m-1": HEAD(1) + '"additionalEventData":{"bytesTransferredIn":500.0,"bytesTransferredOut":1.0E7,"x":-0.0,"y":1e-7},"eventID":"m-1"}',
  "m-2": HEAD(2) + '"requestParameters":{"bucketName":"b","10":"ten","key":"caf\\u00e9 \\/ \\"q\\""},"eventID":"m-2"}',
  "m-3": HEAD(3) + '"userAgent":"aws-cli/2.15.0 Python/3.11 \\"a\\": b","bytes":500.0,"eventID":"m-3"}',
  "m-4": HEAD(4) + '"n":1.50,"eventID":"m-4"}',
  "m-5": HEAD(5) + '"n":2E3,"eventID":"m-5"}',
  "m-6": HEAD(6) + '"n":3.0,"eventID":"m-6"}',
  "m-7": HEAD(7) + '"n":4.00,"eventID":"m-7"}',
  "m-8": HEAD(8) + '"n":5.0,"eventID":"m-8"}',
  "m-9": HEAD(9) + '"n":6.0E0,"eventID":"m-9"}',
};

test("compactJson: whitespace outside strings goes, strings stay as written; a compact text is returned as is", () => {
  const compact = '{"a":"x y","b":[1,2.50,{"c":"\\"q\\": \\\\"}],"d":"\\\\"}';
  assert.equal(compactJson(compact), compact);
  assert.equal(compactJson(' {\n\t"a" : "x y" ,\r\n "b" : [ 1 , 2.50 , { "c" : "\\"q\\": \\\\" } ] , "d": "\\\\"\n} \n'), compact);
  assert.equal(compactJson('{"s": "a \\" b", "t": "c \\\\", "u": "\\\\\\" d"}'), '{"s":"a \\" b","t":"c \\\\","u":"\\\\\\" d"}');
  assert.equal(compactJson('{"cut": "no end '), '{"cut":"no end ');
  assert.equal(compactJson(""), "");
});

test("elementTexts: the records of a document on one line, or an array's elements, each compacted", () => {
  assert.deepEqual(elementTexts('{"Records": [{"a": 1.0}, 2, {"b": "x y"}], "z": 1}'), ['{"a":1.0}', "2", '{"b":"x y"}']);
  assert.deepEqual(elementTexts('[ {"a": [ ] } ]'), ['{"a":[]}']);
  assert.deepEqual(elementTexts('{"a": 1E2}'), ['{"a":1E2}']);
});

/** eventID → text, for every event a reader gives. */
async function texts(inputs: string[], opts: Parameters<typeof readAll>[1] = {}): Promise<Record<string, string>> {
  const got = await readAll(inputs, opts);
  assert.deepEqual(got.warnings, []);
  const out: Record<string, string> = {};
  for (const b of got.batches) {
    assert.equal(b.raws?.length, b.events.length, `${b.file.display}: a text for each event`);
    b.events.forEach((ev, i) => {
      const raw = b.raws![i]!;
      // the text is the event: parsed, it gives the event read (or the fields projected of it)
      const whole = JSON.parse(raw) as Record<string, unknown>;
      assert.deepEqual(opts.project ? Object.fromEntries(Object.keys(ev).map((k) => [k, whole[k]])) : whole, ev);
      out[ev["eventID"] as string] = raw;
    });
  }
  return out;
}

test("every reading path keeps each event's text as written: fast, careful, scanned in pieces", async () => {
  assert.deepEqual(await texts([EVENTS]), EXPECTED);
  assert.deepEqual(await texts([EVENTS], { fast: false }), EXPECTED);
  assert.deepEqual(await texts([EVENTS], { fast: false, wholeParseLimit: 16 }), EXPECTED);
  // with a projection (a query that reads some fields and @message): the same texts
  assert.deepEqual(await texts([EVENTS], { project: [["eventID"], ["eventTime"]] }), EXPECTED);
});

test("the fast path gives the texts itself for Records documents, compact or pretty, gzipped or not", () => {
  for (const name of ["compact.json.gz", "pretty.json"]) {
    const path = join(EVENTS, name);
    const file = { path, display: name, size: readFileSync(path).length, ingestionTime: 0 };
    for (const projector of [undefined, new Projector([["eventID"], ["eventTime"]])]) {
      const r = readFast(file, { projector, texts: true });
      assert.equal(r?.kind, "events", name);
      if (r?.kind !== "events") continue;
      assert.deepEqual(r.raws, r.events.map((e) => EXPECTED[e["eventID"] as string]), name);
    }
    // the projector notes whitespace between tokens: only then are the texts compacted
    const p = new Projector([]);
    p.records(name.endsWith(".gz") ? gunzipSync(readFileSync(path)) : readFileSync(path));
    assert.equal(p.spaced, name === "pretty.json", name);
    const plain = readFast(file, {});
    assert.equal(plain?.kind === "events" ? plain.raws : "no events", undefined, `${name}: no texts when not asked`);
  }
});

test("standard input and zip entries keep the texts too; raw: false keeps none", async () => {
  const dir = tempDir("message");
  const zip = join(dir, "events.zip");
  writeFileSync(zip, zipSync({ "a/pretty.json": readFileSync(join(EVENTS, "pretty.json")), "b/lines.jsonl": readFileSync(join(EVENTS, "lines.jsonl")) }));
  const fromZip = await texts([zip]);
  assert.deepEqual(Object.keys(fromZip).sort(), ["m-3", "m-4", "m-5", "m-6", "m-7"]);
  for (const [id, t] of Object.entries(fromZip)) assert.equal(t, EXPECTED[id]);

  const reader = new Reader(["-"], { warn: (m) => assert.fail(m), stdin: Readable.from([readFileSync(join(EVENTS, "array.json"))]) });
  const got: string[] = [];
  for await (const b of reader.batches()) got.push(...b.raws!);
  assert.deepEqual(got, [EXPECTED["m-8"]]);

  const none = await readAll([EVENTS], { raw: false });
  assert.ok(none.batches.length > 0 && none.batches.every((b) => b.raws === undefined));
  const noneCareful = await readAll([EVENTS], { raw: false, fast: false });
  assert.ok(noneCareful.batches.every((b) => b.raws === undefined));
});

test("a query that reads @message keeps texts and reads only the fields it names; one that does not keeps none", () => {
  const reads = (q: string) => eventReads(buildPlan(parseQuery(q), { now: 0 }));
  const m = reads("fields eventName, @message");
  assert.equal(m.raw, true);
  assert.deepEqual(m.paths, [["eventTime"], ["eventName"]]);
  assert.equal(reads('search "x" | stats count(*)').raw, true);
  assert.equal(reads("parse /(?<a>x)/ | stats count(*) by a").raw, true);
  assert.equal(reads("fields eventName").raw, false);
  assert.equal(reads("stats count(*) by eventName | filter strlen(eventName) > 1").raw, false);
});

test("requiredText: @message like a number as written is a literal the file must hold; a field's number is not", () => {
  const req = (q: string): string[][] => requiredText(buildPlan(parseQuery(q), { now: 0 }));
  assert.deepEqual(req('filter @message like "500.0"'), [["500.0"]]);
  assert.deepEqual(req('search "1.0E7"'), [["1.0E7"]]);
  assert.deepEqual(req('filter errorCode like "500"'), []);
});

test("a JSON line whose \"Records\" is written twice is skipped with a problem, with texts or without: never an event paired with another's text; one written with an escape is read as JSON reads it", async () => {
  const dir = tempDir("ambiguous-records");
  try {
    const ev = (n: number): string => JSON.stringify({ eventTime: `2026-11-01T00:00:0${n}Z`, eventName: `E${n}`, eventSource: "s3.amazonaws.com", eventID: `id-${n}` });
    writeFileSync(join(dir, "lines.jsonl"), [
      // JSON.parse keeps the second array, the texts' scanner the first
      `{"Records":[${ev(0)},${ev(1)}],"Records":[${ev(2)},${ev(3)}]}`,
      // both read the key as Records
      `{"Rec\\u006frds":[${ev(4)}]}`,
      // a value that spells "Records" is no doubt once both readings agree
      `{"Records":[${JSON.stringify({ eventTime: "2026-11-01T00:00:07Z", eventName: "E7", eventSource: "s3.amazonaws.com", eventID: "id-7", requestParameters: { key: "Records" } })}]}`,
      ev(5),
    ].join("\n") + "\n");
    for (const raw of [true, false]) {
      const got = await readAll([dir], { raw });
      assert.deepEqual(got.events.map((e) => e.id), ["id-4", "id-7", "id-5"], `raw: ${raw}`);
      assert.equal(got.warnings.length, 1, got.warnings.join("\n"));
      assert.match(got.warnings[0]!, /line 1: its records can't be told apart \(a "Records" key written twice, or with an escape\): line skipped/);
      if (raw) for (const b of got.batches) b.events.forEach((e, i) => assert.deepEqual(JSON.parse(b.raws![i]!), e));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a whole document with a second \"Records\" key, or its key written with an escape: every reading takes the first array, the key read as JSON reads it, and says there is a second", async () => {
  const ev = (n: number): string => JSON.stringify({ eventTime: `2026-11-01T00:00:0${n}Z`, eventName: `E${n}`, eventSource: "s3.amazonaws.com", eventID: `id-${n}` });
  const docs: [string, string, string[], boolean][] = [
    // name, text, the events read, whether a second Records key is said
    ["two.json", `{"Records":[${ev(0)},${ev(1)}],"Records":[${ev(2)}]}`, ["id-0", "id-1"], true],
    ["escaped.json", `{"Rec\\u006frds":[${ev(3)}]}`, ["id-3"], false],
    ["escaped-second.json", `{"Records":[${ev(4)}],"Rec\\u006frds":[${ev(5)}]}`, ["id-4"], true],
    ["second-not-array.json", `{"Records":[${ev(6)}],"Records":null}`, ["id-6"], true],
    // as CloudTrail writes them: no doubt, no warning (a value holding the word and an escape)
    ["plain.json", `{"Records":[${JSON.stringify({ eventTime: "2026-11-01T00:00:07Z", eventName: "E7", eventSource: "s3.amazonaws.com", eventID: "id-7", userAgent: "Records \u00e9" })}]}`, ["id-7"], false],
  ];
  // the fast paths (whole events, projected, with texts) and the careful reader alone
  const readings: [string, Parameters<typeof readAll>[1]][] = [
    ["whole", { raw: false }],
    ["projected", { raw: false, project: [["eventID"], ["eventName"]] }],
    ["texts", { raw: true }],
    ["careful", { raw: false, fast: false }],
    ["careful texts", { raw: true, fast: false }],
  ];
  for (const [name, text, want, second] of docs) {
    const dir = tempDir("records-key");
    try {
      writeFileSync(join(dir, name), text);
      for (const [reading, opts] of readings) {
        const got = await readAll([dir], opts);
        assert.deepEqual(got.events.map((e) => e.id), want, `${name}, ${reading}`);
        assert.deepEqual(got.warnings.map((w) => /a second "Records" key: its records are not read/.test(w)), second ? [true] : [], `${name}, ${reading}: ${got.warnings.join(" | ")}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
