// The streaming splitters against JSON.parse, with the content cut into chunks at every place.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RecordScanner, type ScanError } from "../../src/sources/scanner.js";
import { LineSplitter } from "../../src/sources/lines.js";

interface Scanned {
  records: unknown[];
  values: unknown[];
  /** Second "Records" keys met. */
  seconds: number;
  error: ScanError | undefined;
}

function scan(text: string | Buffer, chunkSize: number): Scanned {
  const out: Scanned = { records: [], values: [], seconds: 0, error: undefined };
  const s = new RecordScanner({ record: (t) => out.records.push(JSON.parse(t)), value: (t) => out.values.push(JSON.parse(t)), secondRecords: () => out.seconds++ });
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text);
  for (let i = 0; i < buf.length; i += chunkSize) s.push(buf.subarray(i, i + chunkSize));
  s.end();
  out.error = s.error;
  return out;
}

const tricky = [
  { eventTime: "2024-01-01T00:00:00Z", s: 'quote " and backslash \\ and \\" both', u: "é ✓ 𝄞", n: [1, [2, [3]], { "}": "]" }] },
  { eventName: "Records", Records: ["not", "the", "top"], e: "", nested: { Records: [{ a: 1 }] } },
  { x: "\\", y: "\\\\", z: '\\"', w: "ends with backslash \\" },
];

test("a Records document: every record, whatever the chunk size", () => {
  const doc = JSON.stringify({ other: { Records: [9] }, Records: tricky, after: [1, 2] });
  for (const size of [1, 2, 3, 5, 7, 16, 64, doc.length]) {
    const got = scan(doc, size);
    assert.equal(got.error, undefined, `chunk ${size}`);
    assert.deepEqual(got.records, tricky, `chunk ${size}`);
    assert.deepEqual(got.values, [], `chunk ${size}`);
  }
});

test("a pretty-printed array, an empty array, an empty Records", () => {
  const doc = JSON.stringify(tricky, null, 2);
  for (const size of [1, 4, 9, 1000]) assert.deepEqual(scan(doc, size).records, tricky);
  assert.deepEqual(scan(" [ ] ", 1), { records: [], values: [], seconds: 0, error: undefined });
  assert.deepEqual(scan('{"Records": []}', 2), { records: [], values: [], seconds: 0, error: undefined });
});

test("a Records key is read as JSON reads it (escapes and all); the first one's records are the document's, a second one is said", () => {
  const cases: [string, unknown[], number][] = [
    [`{"Rec\\u006frds":${JSON.stringify(tricky)}}`, tricky, 0],
    [`{"\\u0052\\u0065\\u0063\\u006f\\u0072\\u0064\\u0073" : [${JSON.stringify(tricky[0])}]}`, [tricky[0]], 0],
    [`{"Records":[${JSON.stringify(tricky[0])}],"Records":[${JSON.stringify(tricky[1])}]}`, [tricky[0]], 1],
    [`{"Records":[${JSON.stringify(tricky[0])}],"other":{"Records":[1]},"Rec\\u006frds":"x","Records":{}}`, [tricky[0]], 2],
    // a key that only looks like it, and one too long to be it
    [`{"Records\\n":[1],"\\u0052ecordsRecords":[2],"Records":[${JSON.stringify(tricky[2])}]}`, [tricky[2]], 0],
  ];
  for (const [text, records, seconds] of cases) {
    for (const size of [1, 2, 5, text.length]) {
      const got = scan(text, size);
      assert.equal(got.error, undefined, `${text} by ${size}`);
      assert.deepEqual(got.records, records, `${text} by ${size}`);
      assert.equal(got.seconds, seconds, `${text} by ${size}`);
      assert.deepEqual(got.values, [], `${text} by ${size}`);
    }
  }
});

test("documents and objects one after another; a Records key whose value is no array leaves the object whole", () => {
  const text = `${JSON.stringify({ Records: [tricky[0]] })}${JSON.stringify({ Records: [tricky[1]] })}\n${JSON.stringify(tricky[2])} {"Reco\\u0072ds": 1}`;
  for (const size of [1, 3, 11, text.length]) {
    const got = scan(text, size);
    assert.equal(got.error, undefined);
    assert.deepEqual(got.records, [tricky[0], tricky[1]]);
    assert.deepEqual(got.values, [tricky[2], { Records: 1 }]);
  }
});

test("truncated and malformed content stops the scanner with a located error", () => {
  const doc = JSON.stringify({ Records: tricky });
  const cut = doc.slice(0, doc.indexOf('"x"'));
  for (const size of [1, 8, cut.length]) {
    const got = scan(cut, size);
    assert.deepEqual(got.records, tricky.slice(0, 2));
    assert.equal(got.error?.kind, "truncated");
    assert.equal(got.error?.inRecord, true);
  }
  assert.equal(scan('{"a": "unterminated', 4).error?.kind, "truncated");
  const bad = scan('[{"a":1}}', 1);
  assert.equal(bad.error?.kind, "bad");
  assert.equal(bad.error?.offset, 8);
  assert.equal(scan("  42", 1).error?.message, "expected a JSON object or array");
  assert.equal(scan("[1,,2]", 1).error?.message, "an empty element in an array");
});

test("JSON lines: split at every chunk size, multi-byte characters intact, last line without newline", () => {
  const lines = ['{"a":"é✓"}', "", '{"b":"x\\ny"}\r', "   ", '{"c":3}'];
  const text = Buffer.from(lines.join("\n"));
  for (const size of [1, 2, 3, 7, text.length]) {
    const got: [string, number][] = [];
    const s = new LineSplitter({ line: (t, n) => got.push([t, n]), tooLong: () => assert.fail("no long lines") });
    for (let i = 0; i < text.length; i += size) s.push(text.subarray(i, i + size));
    s.end();
    assert.deepEqual(got, lines.map((l, i) => [l, i + 1]), `chunk ${size}`);
  }
});

test("joinPieces: consecutive slices of one buffer join without a copy; others are copied", async () => {
  const { joinPieces } = await import("../../src/sources/bytes.js");
  const whole = Buffer.alloc(10);
  whole.write("0123456789");
  const view = joinPieces([whole.subarray(2, 4), whole.subarray(4, 7), whole.subarray(7, 9)]);
  assert.equal(view.toString(), "2345678");
  whole[3] = 0x78; // "x": the view sees it, it is the same memory
  assert.equal(view.toString(), "2x45678");
  const gap = joinPieces([whole.subarray(0, 2), whole.subarray(3, 5)]);
  assert.equal(gap.toString(), "01x4");
  whole[0] = 0x79; // a copy does not see it
  assert.equal(gap.toString(), "01x4");
  assert.equal(joinPieces([Buffer.alloc(2, "a"), Buffer.alloc(2, "b")]).toString(), "aabb");
  assert.equal(joinPieces([]).length, 0);
});
