// The fast path (fast.ts, project.ts, prefilter.ts) must give exactly what the careful reader gives:
// the same rows for every kind of query, and a fallback to the careful reader on anything odd.
import { test } from "node:test";
import fc from "fast-check";
import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { writeFileSync } from "node:fs";
import { parseQuery } from "../../src/lang/index.js";
import { buildPlan } from "../../src/plan/build.js";
import { runPlan, scanReaderOptions } from "../../src/exec/run.js";
import { requiredText } from "../../src/plan/reads.js";
import { Reader } from "../../src/sources/index.js";
import { Projector, scannerBytes } from "../../src/sources/project.js";
import { Prefilter } from "../../src/sources/prefilter.js";
import { readFast, recordsInPieces } from "../../src/sources/fast.js";
import type { Value } from "../../src/exec/values.js";
import { ROOT, readAll } from "./helpers.js";
import { tempDir } from "../temp.js";
import { Rng } from "../../src/generator/rng.js";

const SAMPLE = join(ROOT, "fixtures", "sample-trail");
const NOW = Date.parse("2026-11-10T00:00:00Z");

/** How the events are read: the fast path; the careful reader with the query's projection (events parsed whole, then pruned); or whole. */
type Reading = boolean | "pruned";

async function rows(query: string, inputs: string[], fast: Reading): Promise<{ rows: Value[][]; unmatched: number; events: number }> {
  const plan = buildPlan(parseQuery(query), { now: NOW });
  const opts = fast === true ? scanReaderOptions(plan, {}, inputs) : fast === "pruned" ? { ...scanReaderOptions(plan, {}, inputs), fast: false } : { fast: false };
  const reader = new Reader(inputs, { warn: () => {}, ...opts });
  const out: Value[][] = [];
  await runPlan(plan, reader, { row: (v) => out.push(v), end: () => {} });
  return { rows: out, unmatched: reader.stats.filesUnmatched, events: reader.stats.eventsRead };
}

const QUERIES = [
  "stats count(*) by eventSource, eventName, awsRegion",
  'filter eventName = "ConsoleLogin" | stats count(*) by userIdentity.userName, sourceIPAddress, responseElements.ConsoleLogin',
  'filter eventName in ["CreateUser", "DeleteTrail", "StopLogging"] or eventSource like "iam" | fields @timestamp, eventName, userIdentity.arn',
  'filter userIdentity.type = "Root" and eventName like "User" | stats count(*) by eventName',
  "filter ispresent(errorCode) | stats count(*) by bin(1h), errorCode",
  "unnest resources into r | stats count(*) by r.type",
  "fields @timestamp, @message | sort @timestamp desc | limit 5",
  "fields requestParameters.bucketName as b | filter ispresent(b) | stats count(*) by b",
  'filter eventName = "AssumeRole" | stats count_distinct(sourceIPAddress) as ips, earliest(@timestamp) as first by userIdentity.arn',
];

for (const q of QUERIES) {
  test(`fast and careful reading agree: ${q}`, async () => {
    const fast = await rows(q, [SAMPLE], true);
    const careful = await rows(q, [SAMPLE], false);
    assert.ok(careful.rows.length > 0, "the query has rows on the sample trail");
    assert.deepEqual(fast.rows, careful.rows);
    assert.deepEqual((await rows(q, [SAMPLE], "pruned")).rows, careful.rows, "the careful reader's events pruned to the projection");
  });
}

test("the prefilter leaves out files that can't match, and says so", async () => {
  const q = 'filter eventName = "ConsoleLogin" | stats count(*)';
  const fast = await rows(q, [SAMPLE], true);
  const careful = await rows(q, [SAMPLE], false);
  assert.deepEqual(fast.rows, careful.rows);
  assert.ok(fast.unmatched > 1000, `${fast.unmatched} files not parsed`);
  assert.ok(fast.events < careful.events);
});

test("requiredText: literals a filter needs, only where a file without them can't contribute", () => {
  const req = (q: string): string[][] => requiredText(buildPlan(parseQuery(q), { now: NOW }));
  assert.deepEqual(req('filter eventName = "ConsoleLogin"'), [['"ConsoleLogin"']]);
  assert.deepEqual(req('filter eventName in ["A", "B"] and errorCode like "Denied"'), [['"A"', '"B"'], ["Denied"]]);
  assert.deepEqual(req('filter eventName = "A" or eventSource = "b.amazonaws.com"'), [['"A"', '"b.amazonaws.com"']]);
  assert.deepEqual(req('search "ConsoleLogin"'), [["ConsoleLogin"]]);
  // not derivable: a negation, a number in a string (it equals the number 123), a regex, a column
  assert.deepEqual(req('filter eventName != "A"'), []);
  assert.deepEqual(req('filter recipientAccountId = "123"'), []);
  assert.deepEqual(req("filter eventName like /Get.*/"), []);
  // a number's text may hold what its spelling in the file does not (1e+21 written in full, Infinity as 1e400)
  assert.deepEqual(req('filter v like "e+"'), []);
  assert.deepEqual(req('filter v like "Infinity"'), []);
  assert.deepEqual(req('filter v like "-"'), []);
  assert.deepEqual(req('filter v like "e+x"'), [["e+x"]]);
  assert.deepEqual(req('parse eventName /(?<x>.*)/ | filter x = "A"'), []);
  // a limit before the filter decides which events come first: files can't be left out
  assert.deepEqual(req('limit 10 | filter eventName = "A"'), []);
  assert.deepEqual(req('stats count(*) by eventName | filter eventName = "A"'), []);
});

test("Prefilter: every clause needs one alternative; a \\u escape might hide one", () => {
  const p = new Prefilter([['"A"', '"B"'], ["Denied"]]);
  assert.equal(p.mayMatch(Buffer.from('{"x":"B","y":"AccessDenied"}')), true);
  assert.equal(p.mayMatch(Buffer.from('{"x":"B","y":"Allowed"}')), false);
  assert.equal(p.mayMatch(Buffer.from('{"x":"C","y":"Denied"}')), false);
  assert.equal(p.mayMatch(Buffer.from('{"x":"\\u0041","y":"Denied"}')), true);
  assert.equal(new Prefilter([["a/b"]]).mayMatch(Buffer.from('{"x":"a\\/b"}')), true);
  // other escapes disguise nothing; one at the text's end neither
  assert.equal(p.mayMatch(Buffer.from('{"x":"\\"\\\\\\n","y":"Denied"}')), false);
  assert.equal(p.mayMatch(Buffer.from('{"x":"C","y":"Denied\\')), false);
  assert.equal(p.mayMatch(Buffer.from('{"x":"\\t\\u0042","y":"Denied"}')), true);
});

test("Projector: only the wanted keys, values as JSON.parse gives them", () => {
  const p = new Projector([["a"], ["b"], ["c"], ["d"]]);
  const doc = {
    Other: { Records: [1] },
    Records: [
      { a: "plain", x: { deep: [1, { y: "}]" }], z: "q\"uote" }, b: 'esc"aped\\', c: -1.5e3, d: null, eventName: "E" },
      { b: [true, false, { k: "ü ☃" }], eventSource: "s", a: "ünï" },
      { eventTime: "t" },
    ],
  };
  for (const text of [JSON.stringify(doc), JSON.stringify(doc, null, 2)]) {
    const got = p.records(Buffer.from(text));
    assert.deepEqual(got, [{ a: "plain", b: 'esc"aped\\', c: -1500, d: null }, { b: [true, false, { k: "ü ☃" }], a: "ünï" }, {}]);
  }
});

test("Projector gives up on what it does not handle, for the careful reader to say what it is", () => {
  const p = new Projector([["eventName"]]);
  const bad = [
    '[{"eventName":"A"}]', // a top-level array
    '{"Records":[{"eventName":"A"},', // cut short
    '{"Records":[{"eventName":"A"}]} trailing',
    '{"Records":[1]}', // a record that is not an object
    '{"Records":[{"event\\u004eame":"A"}]}', // an escaped key
    '{"Records":[{"eventName":"A","x":[1,nope]}]}', // garbage in a skipped value
    '{"Records":[{"eventName" "A"}]}', // no colon
    '{"Records":[{"eventName":"A\u0001"}]}', // a raw control character
    '{"Records":[{"eventName":"A\\x"}]}', // a bad escape in a wanted string
    '{"Records":[{"eventName":"A"},{}]}', // records that are not events: {}
    '{"Records":[{"eventName":"A"},{"x":{"eventName":"B"}}]}', // none of the event keys at its first level
    '{"Records":[{"x\\u0041":1,"eventName":"A"}]}', // an escaped key before an event key could spell one
    `{"Records":[{"eventName":"A","x":${"[".repeat(1000)}${"]".repeat(1000)}}]}`, // nested 1001 levels deep
  ];
  for (const text of bad) assert.equal(p.records(Buffer.from(text)), undefined, text);
  assert.deepEqual(p.records(Buffer.from('{"Records":[{"eventName":"A"}]}')), [{ eventName: "A" }]);
  // a key with dots whose first part is wanted may hold a wanted path flat: the careful reader's
  const nested = new Projector([["eventName"], ["requestParameters", "a", "b"]]);
  for (const key of ["a.b", "a.b.c", "a.x"]) {
    const text = `{"Records":[{"eventName":"A","requestParameters":{"${key}":"flat","a":{"b":"nested"}}}]}`;
    assert.equal(nested.records(Buffer.from(text)), undefined, key);
  }
  // one whose first part is not wanted is skipped as any other key (also a long one, past 16 bytes)
  for (const key of ["x.b", "not-wanted-at-all-here.a", "aa.b", "b.a"]) {
    const text = `{"Records":[{"eventName":"A","requestParameters":{"${key}":"flat","a":{"b":"nested"}}}]}`;
    assert.deepEqual(nested.records(Buffer.from(text)), [{ eventName: "A", requestParameters: { a: { b: "nested" } } }], key);
  }
  // 1000 levels, the record's own included: read, whether the deep value is wanted or skipped
  const deep = `{"Records":[{"eventName":"A","x":${"[".repeat(999)}${"]".repeat(999)}}]}`;
  assert.deepEqual(p.records(Buffer.from(deep)), [{ eventName: "A" }]);
  assert.equal(JSON.stringify(new Projector([["x"]]).records(Buffer.from(deep))), JSON.stringify([{ x: JSON.parse(deep).Records[0].x }]));
  // the document's other keys may nest as they like: only records are read
  assert.deepEqual(p.records(Buffer.from(`{"x":${"[".repeat(5000)}${"]".repeat(5000)},"Records":[{"eventName":"A"}]}`)), [{ eventName: "A" }]);
});

test("a key written with dots reads the same from a Records document as from JSON lines (the fast path gives way)", async () => {
  const dir = tempDir("flat-keys");
  const events = [
    { eventTime: "2026-11-01T00:00:00Z", eventName: "A", eventSource: "s", eventID: "dot-0", requestParameters: { a: { b: "nested" } } },
    { eventTime: "2026-11-01T00:00:01Z", eventName: "A", eventSource: "s", eventID: "dot-1", requestParameters: { "a.b": "flat" } },
    { eventTime: "2026-11-01T00:00:02Z", eventName: "A", eventSource: "s", eventID: "dot-2", requestParameters: { "a.b": "flat2", a: { b: "nested2" } } },
  ];
  writeFileSync(join(dir, "records.json.gz"), gzipSync(JSON.stringify({ Records: events })));
  writeFileSync(join(dir, "lines.jsonl"), events.map((e) => JSON.stringify(e)).join("\n") + "\n");
  const q = "fields eventID, requestParameters.a.b | sort eventID asc";
  const want = [["dot-0", "nested"], ["dot-1", "flat"], ["dot-2", "flat2"]];
  assert.deepEqual((await rows(q, [join(dir, "records.json.gz")], true)).rows, want);
  assert.deepEqual((await rows(q, [join(dir, "lines.jsonl")], true)).rows, want);
  assert.deepEqual((await rows(q, [join(dir, "records.json.gz")], false)).rows, want);
  assert.deepEqual((await rows(q, [join(dir, "records.json.gz")], "pruned")).rows, want);
});

test("Projector.prune: an event parsed whole keeps what records() keeps of its text, and a key with dots whole", () => {
  const paths = [["u", "arn"], ["u", "s", "i"], ["w", "z"], ["w"], ["l", "x"], ["n", "m"], ["eventTime"]];
  const p = new Projector(paths);
  const doc = {
    Records: [
      { u: { type: "T", arn: "A", s: { i: 1, j: 2 }, big: { deep: [1, 2] } }, w: { z: 1, q: 2 }, l: [{ x: 1 }], n: "text", other: 5, eventTime: "t" },
      { u: null, w: 3, eventName: "E" },
      { eventName: "E", n: { m: [1], o: 2 }, u: { s: [1], arn: { a: 1 } } },
    ],
  };
  const fast = p.records(Buffer.from(JSON.stringify(doc)))!;
  assert.equal(fast.length, 3);
  doc.Records.forEach((r, i) => assert.deepEqual(p.prune(JSON.parse(JSON.stringify(r)) as Record<string, unknown>), fast[i], `record ${i}`));
  // the order is the event's own
  assert.deepEqual(Object.keys(p.prune({ w: 1, eventTime: "t", u: { s: { i: 1 }, arn: "A" } })), ["w", "eventTime", "u"]);
  // a flat key with dots (which records() gives to the careful reader) is kept whole, at any level read
  assert.deepEqual(p.prune({ "u.arn": "flat", u: { "s.i": 2, arn: "A", x: 1 }, "x.y": 1, other: 2 }), { "u.arn": "flat", u: { "s.i": 2, arn: "A" }, "x.y": 1 });
  // own keys only; __proto__ as a key of its own
  const odd = JSON.parse('{"__proto__":{"arn":"p"},"eventTime":"t"}') as Record<string, unknown>;
  assert.deepEqual(Object.keys(p.prune(odd)), ["eventTime"]);
});

test("a file the fast path can't take is read the careful way: same events, same warnings", async () => {
  const dir = tempDir("fast");
  const good = { Records: [{ eventTime: "2026-11-01T00:00:00Z", eventName: "A", eventSource: "s" }] };
  writeFileSync(join(dir, "ok.json.gz"), gzipSync(JSON.stringify(good)));
  writeFileSync(join(dir, "cut.json.gz"), gzipSync('{"Records":[{"eventTime":"2026-11-01T00:00:00Z","eventName":"B","eventSource":"s"},{"eventName"'));
  writeFileSync(join(dir, "other.json"), JSON.stringify({ Records: [{ hello: 1 }] }));
  const fast = await readAll([dir], { project: [["eventName"], ["eventTime"], ["eventSource"]], prefilter: [['"A"', '"B"']] });
  const careful = await readAll([dir], { fast: false });
  assert.deepEqual(fast.events.map((e) => e.ev["eventName"]), careful.events.map((e) => e.ev["eventName"]));
  assert.deepEqual(fast.warnings, careful.warnings);
  assert.equal(careful.warnings.length, 2, careful.warnings.join("\n"));
});

test("Projector: nested paths keep only their keys; a shorter path or a non-object keeps the value whole", () => {
  const p = new Projector([["u", "arn"], ["u", "s", "i"], ["w", "z"], ["w"], ["l", "x"], ["n", "m"]]);
  const doc = {
    Records: [
      { u: { type: "T", arn: "A", s: { i: 1, j: 2 }, big: { deep: [1, 2] } }, w: { z: 1, q: 2 }, l: [{ x: 1 }], n: "text", other: 5, eventTime: "t" },
      { u: null, w: 3, eventName: "E" },
    ],
  };
  assert.deepEqual(p.records(Buffer.from(JSON.stringify(doc))), [
    { u: { arn: "A", s: { i: 1 } }, w: { z: 1, q: 2 }, l: [{ x: 1 }], n: "text" },
    { u: null, w: 3 },
  ]);
});

test("Prefilter: alternatives sharing a part are looked for only where the part is", async () => {
  const { commonPart } = await import("../../src/sources/prefilter.js");
  assert.equal(commonPart(['"CreateSecurityGroup"', '"DeleteSecurityGroup"', '"AuthorizeSecurityGroupIngress"']), "eSecurityGroup");
  assert.equal(commonPart(['"A"', '"B"']), "");
  const p = new Prefilter([['"CreateSecurityGroup"', '"DeleteSecurityGroup"']]);
  assert.equal(p.mayMatch(Buffer.from('{"eventName":"DescribeSecurityGroups"}')), false);
  assert.equal(p.mayMatch(Buffer.from('{"eventName":"DeleteSecurityGroup"}')), true);
  assert.equal(p.mayMatch(Buffer.from('{"eventName":"ListUsers"}')), false);
});

test("Projector reads strings the same at every alignment, with every kind of byte", () => {
  const rng = new Rng(7);
  const rand = (n: number): number => rng.int(0, n - 1);
  const pieces = ["a", "bcd", "\"", "\\", "/", "ü", "☃", "😀", "\u2028", "\t", "x".repeat(9), "}", "]", "{\"", "\\u0041"];
  const text = (): string => Array.from({ length: rand(14) }, () => pieces[rand(pieces.length)]!).join("");
  const records = Array.from({ length: 300 }, () => ({ pad: "p".repeat(rand(4)), a: text(), skipped: { s: text(), t: [text(), text()] }, b: text(), eventName: "E" }));
  const json = JSON.stringify({ Records: records });
  const p = new Projector([["a"], ["b"]]);
  const want = records.map((r) => ({ a: r.a, b: r.b }));
  for (let shift = 0; shift < 4; shift++) {
    // the document at each offset from a 4-aligned start
    const whole = Buffer.alloc(json.length * 4 + 8);
    const n = whole.write(json, shift);
    assert.deepEqual(p.records(whole.subarray(shift, shift + n)), want, `offset ${shift}`);
  }
  // a raw control character anywhere in a skipped string is not JSON, whatever its place in the 16 bytes read at once
  for (let at = 0; at < 20; at++) {
    const bad = Buffer.alloc(128);
    const n = bad.write(`{"Records":[{"eventName":"E","a":"x","s":"${"y".repeat(at)}\u0001${"z".repeat(9)}"}]}`);
    assert.equal(p.records(bad.subarray(0, n)), undefined, `control character at ${at}`);
  }
});

test("Projector: a document with more records than its tape holds at first; projectors taking turns", () => {
  const records = Array.from({ length: 40_000 }, (_, k) => ({ eventName: `E${k}`, eventSource: "s", n: k }));
  const text = Buffer.from(JSON.stringify({ Records: records }));
  const names = new Projector([["eventName"]]);
  const numbers = new Projector([["n"], ["eventSource"]]);
  for (let turn = 0; turn < 2; turn++) {
    // each record is 3 entries of the tape: 120,000 entries, where the first tape holds 21,845
    assert.deepEqual(names.records(text), records.map((r) => ({ eventName: r.eventName })));
    assert.deepEqual(numbers.records(text), records.map((r) => ({ eventSource: r.eventSource, n: r.n })));
  }
});

test("Projector: after a document bigger than the memory it keeps, the next is read in a small memory again", () => {
  const p = new Projector([["eventName"]]);
  const records = Array.from({ length: 90_000 }, (_, k) => ({ eventName: `E${k}`, pad: "x".repeat(100) }));
  const big = Buffer.from(JSON.stringify({ Records: records }));
  assert.ok(big.length > 9 << 20, `${big.length} bytes`);
  assert.deepEqual(p.records(big), records.map((r) => ({ eventName: r.eventName })));
  assert.equal(scannerBytes(), 0, "the big memory is let go");
  assert.deepEqual(p.records(Buffer.from('{"Records":[{"eventName":"A"}]}')), [{ eventName: "A" }]);
  assert.ok(scannerBytes() > 0 && scannerBytes() <= 1 << 20, `${scannerBytes()} bytes`);
});

test("Prefilter: alternatives found where their common part is, as a search for each would find them", () => {
  const alts = ['"CreateSecurityGroup"', '"DeleteSecurityGroup"', '"SecurityGroupSecurityGroup"'];
  const p = new Prefilter([alts]);
  const pieces = ['"', "Create", "Delete", "Describe", "SecurityGroup", "s", "x", "\\"];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (parts) => {
      const text = Buffer.from(parts.join(""));
      const naive = alts.some((a) => text.includes(a)) || text.includes("\\u") || text.includes("\\/");
      assert.equal(p.mayMatch(text), naive, text.toString());
    }),
    { numRuns: 3000, seed: 17 },
  );
  // at the text's start and end, and after an occurrence of the part that holds none
  for (const text of ['"CreateSecurityGroup"', 'x"DeleteSecurityGroup"', 'eSecurityGroup "SecurityGroupSecurityGroup"']) {
    assert.equal(p.mayMatch(Buffer.from(text)), true, text);
  }
});

test("Projector: the eventID's fingerprint made in the byte loop is the one made from its text; other values are kept", async () => {
  const { eventFingerprint, eventIdOf, fingerprint } = await import("../../src/exec/event-ids.js");
  // every length of the last word (1 to 4 bytes), ids of ASCII made in the loop and the others from their text
  const lengths = Array.from({ length: 13 }, (_, n) => "0123456789abcdef".slice(0, n + 1));
  const ids: unknown[] = ["6a16df26-4792-49f9-bbf7-54427a0816cf", "a", "", "ünï", "日本語", "\u{1F600}x", 'q"uote', "x".repeat(300), 42, null, { id: "o" }, ...lengths];
  const records: Record<string, unknown>[] = ids.map((id, k) => ({ eventName: `E${k}`, eventID: id }));
  records.push({ eventName: "no id" });
  const text = JSON.stringify({ Records: records });
  // a record with the key twice: JSON.parse keeps the last, and so must the fingerprint
  const twice = text.replace('{"eventName":"no id"}', '{"eventName":"twice","eventID":"first","eventID":"second"},{"eventName":"twice back","eventID":"first","eventID":""}');
  const parsed = (JSON.parse(twice) as { Records: Record<string, unknown>[] }).Records;
  const p = new Projector([["eventName"]], "eventID");
  const got = p.records(Buffer.from(twice))!;
  assert.equal(got.length, parsed.length);
  const fps = p.fingerprints!;
  assert.equal(fps.length, 2 * got.length);
  const a: [number, number] = [0, 0];
  const b: [number, number] = [0, 0];
  got.forEach((ev, k) => {
    const id = eventIdOf(parsed[k]!);
    assert.equal(eventFingerprint(ev, fps, k, a), id !== undefined, String(parsed[k]!["eventName"]));
    if (id !== undefined) {
      fingerprint(id, b);
      assert.deepEqual(a, b, id);
    }
    assert.equal(ev["eventName"], parsed[k]!["eventName"]);
  });
  // made in the loop, no string: the plain ASCII ones
  assert.equal(got[0]!["eventID"], undefined);
  assert.notEqual(fps[0], 0);
  assert.equal(got[3]!["eventID"], "ünï");
  assert.equal(fps[6], 0);
  // no two of these ids share a fingerprint, nor a half of one
  const made = ids.filter((id): id is string => typeof id === "string" && id !== "").map((id) => {
    fingerprint(id, a);
    return [...a];
  });
  assert.equal(new Set(made.map((f) => f[0])).size, made.length);
  assert.equal(new Set(made.map((f) => f[1])).size, made.length);
  // a query that reads the eventID gets it, fingerprinted from its text
  assert.deepEqual(new Projector([["eventID"]], "eventID").records(Buffer.from(text))!.map((e) => e["eventID"]), records.map((r) => r["eventID"]));
});

test("a Records document parsed in pieces: the same records; where a piece is not whole JSON, the careful reader's", async () => {
  const event = (k: number, extra: Record<string, unknown> = {}) => ({
    eventVersion: "1.09", eventTime: "2026-10-01T00:00:00Z", eventSource: "s3.amazonaws.com", eventName: `E${k}`, eventID: `id-${k}`,
    userAgent: `ünïcødé ☃ 𝄞 "quoted" },{"eventVersion": in a string ${k}`, requestParameters: { n: k, pad: "p".repeat(k % 97) }, ...extra,
  });
  const dir = tempDir("pieces");
  const read = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    const r = readFast({ path, display: name, size: Buffer.byteLength(text), ingestionTime: 0 }, {});
    return r?.kind === "events" ? r.events : r?.kind;
  };
  /** What the careful reader makes of the file written last: its events and warnings. */
  const careful = async (name: string) => {
    const got = await readAll([join(dir, name)], { raw: false, fast: false });
    return { events: got.events.map((e) => e.ev), warnings: got.warnings };
  };
  const records = Array.from({ length: 1_000 }, (_, k) => event(k));
  const compact = JSON.stringify({ Records: records });
  assert.ok(compact.length > 200_000, `${compact.length} bytes`);
  const pieces = recordsInPieces(Buffer.from(compact));
  assert.deepEqual(pieces, records, "compact: parsed in pieces");
  assert.deepEqual(read("compact.json", compact), records);
  // small: one piece
  const small = JSON.stringify({ Records: records.slice(0, 3) });
  assert.deepEqual(recordsInPieces(Buffer.from(small)), records.slice(0, 3));
  // an array nested in each record whose objects begin as records do: a cut there fails, the careful reader reads it
  const nested = Array.from({ length: 1_000 }, (_, k) => event(k, { resources: [{ eventVersion: "x" }, { eventVersion: "y" }] }));
  const nestedText = JSON.stringify({ Records: nested });
  assert.equal(recordsInPieces(Buffer.from(nestedText)), undefined, "the first cut falls in a nested array");
  assert.equal(read("nested.json", nestedText), undefined);
  assert.deepEqual(await careful("nested.json"), { events: nested, warnings: [] });
  // pretty-printed: no separator, one piece
  assert.deepEqual(read("pretty.json", JSON.stringify({ Records: records }, null, 2)), records);
  // bad in the middle: the careful reader says so
  const bad = compact.replace('"id-500"', '"id-500');
  assert.equal(recordsInPieces(Buffer.from(bad)), undefined);
  assert.equal(read("bad.json", bad), undefined);
  // a second Records key: never JSON.parse's reading (the last); the careful reader reads the first and says so
  const twoArrays = compact.replace(/\]\}$/, '],"Records":[{"eventVersion":"1","eventName":"last","eventID":"l","eventTime":"2026-10-01T00:00:00Z"}]}');
  assert.equal(recordsInPieces(Buffer.from(twoArrays)), undefined);
  assert.equal(read("two.json", twoArrays), undefined);
  const two = await careful("two.json");
  assert.deepEqual(two.events, records);
  assert.equal(two.warnings.length, 1);
  assert.match(two.warnings[0]!, /two\.json: a second "Records" key: its records are not read/);
});
