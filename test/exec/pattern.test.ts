// pattern keeps each distinct form as its tokens joined into one key, and splits the key again when
// it clusters: the tokens come back exactly, a token that is the joining character included.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formKey, keyOf, tokenize, tokensOf } from "../../src/exec/operators/pattern.js";
import { Rng } from "../../src/generator/rng.js";
import { queryRows } from "../../src/api.js";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../temp.js";

test("a form's key splits back into its tokens, the joining character as a token included", () => {
  // an empty text has no token: its @pattern is empty, not the joining character
  const cases = [[], ["a", " ", "b"], ["a", "\u0001", "b"], ["\u0001", "b"], ["a", "\u0001"], ["\u0001"], ["\u0001", "\u0001"], ["a", "\u0001", "\u0001", "b"], ["x"]];
  for (const tokens of cases) assert.deepEqual(tokensOf(keyOf(tokens)), tokens, JSON.stringify(tokens));
});

test("tokens are what the regex of docs/language.md reads, masked; a text's form key is its tokens joined, whatever its characters", () => {
  const TOKEN = /[A-Za-z0-9_.:/@+=-]+|\s+|[^A-Za-z0-9_.:/@+=\s-]/g;
  const masks: [string, RegExp][] = [
    ["IP", /^\d{1,3}(?:\.\d{1,3}){3}$/],
    ["UUID", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i],
    ["Time", /^\d{4}-\d{2}-\d{2}[T ]?[\d:.]*Z?$/],
    ["Number", /^[-+]?\d+(?:\.\d+)?$/],
    ["ID", /^(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{12,}$/],
  ];
  const reference = (s: string): string[] =>
    [...s.matchAll(TOKEN)].map(([t]) => {
      const mask = /^[A-Za-z0-9_.:/@+=-]+$/.test(t) ? masks.find(([, re]) => re.test(t)) : undefined;
      return mask ? "\u0000" + mask[0] : t;
    });
  const pieces = ["a", "Z", "0", "7", "-", ".", ":", "/", "@", "+", "=", "_", " ", "\t", "\n", "\u000b", "\u00a0", "\u2028", "\u3000", "\ufeff", "\u1680", "\u200a", "\u200b", '"', "{", ",", "é", "ÿ", "Ā", "😀", "\u0000", "\u0001", "\u0002",
    "10.0.0.1", "6a16df26-4792-49f9-bbf7-54427a0816cf", "2026-11-01T12:00:00Z", "-12.5", "AKIAEXAMPLE12345", "arn:aws:iam::123456789012:user/a"];
  // every UTF-16 code unit between two letters: white space is what \s says, each other unit a token of its own
  for (let c = 0; c < 0x10000; c++) {
    const s = `a${String.fromCharCode(c)}b`;
    assert.deepEqual(tokenize(s), reference(s), `U+${c.toString(16)}`);
  }
  const rng = new Rng(3);
  for (let i = 0; i < 20_000; i++) {
    const s = Array.from({ length: rng.int(0, 12) }, () => rng.pick(pieces)).join("");
    const want = reference(s);
    assert.deepEqual(tokenize(s), want, JSON.stringify(s));
    assert.equal(formKey(s), keyOf(want), JSON.stringify(s));
  }
});

test("values holding the joining character cluster as their text reads", async () => {
  const dir = tempDir("pattern");
  try {
    const records = ["a\u0001b 1", "a\u0001b 2", "a\u0001b 3"].map((errorMessage, i) => ({ eventTime: `2026-01-01T00:00:0${i}Z`, eventName: "X", eventSource: "s3.amazonaws.com", errorMessage }));
    writeFileSync(join(dir, "t.json"), JSON.stringify({ Records: records }));
    const { rows } = await queryRows("pattern errorMessage", [dir]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!["@pattern"], "a\u0001b <Number-1>");
    assert.equal(rows[0]!["@sampleCount"], 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a steady rate compared with the same length before it is the same, with no range given; anomaly and diff over many events", async () => {
  const dir = tempDir("pattern-shift");
  try {
    // one event an hour for ten days
    const records = Array.from({ length: 240 }, (_, i) => ({ eventTime: new Date(Date.UTC(2024, 0, 1, i)).toISOString(), eventName: "GetObject", eventSource: "s3.amazonaws.com", eventID: `h${i}` }));
    writeFileSync(join(dir, "t.json"), JSON.stringify({ Records: records }));
    for (const [q, n] of [["logcompare timeshift 1d", 24], ["diff previousDay", 24], ["pattern eventName | diff", 120], ["logcompare timeshift 3d", 72]] as const) {
      const { rows } = await queryRows(q, [dir]);
      assert.deepEqual(rows.map((r) => [r["@sampleCount"], r["@previousSampleCount"], r["@change"]]), [[n, n, "same"]], q);
    }
    // past what a spread of arguments holds (about 125,000 on this stack)
    const many = Array.from({ length: 200_000 }, (_, i) => ({ eventTime: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(), eventName: "GetObject", eventID: `m${i}` }));
    writeFileSync(join(dir, "t.json"), JSON.stringify({ Records: many }));
    assert.equal((await queryRows("anomaly", [dir])).rows.length, 1);
    assert.equal((await queryRows("diff", [dir])).rows.length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A Records file of events with these errorMessage values, a second apart from `start` (or at the times given). */
function messages(path: string, values: string[], start = Date.UTC(2026, 0, 1), times?: number[]): void {
  const records = values.map((errorMessage, i) => ({ eventTime: new Date(times?.[i] ?? start + i * 1000).toISOString(), eventName: "X", eventSource: "s3.amazonaws.com", eventID: `${path}-${i}`, errorMessage }));
  writeFileSync(path, JSON.stringify({ Records: records }));
}

test("the same events in another order give the same patterns, counts and samples", async () => {
  const dir = tempDir("pattern-order");
  try {
    const files = ["aa bb cc dd", "aa bb xx yy", "pp qq xx yy"].map((m, i) => {
      const path = join(dir, `f${i}.json`);
      messages(path, [m, `${m} ${i}`]);
      return path;
    });
    const forward = await queryRows("pattern errorMessage", files);
    const backward = await queryRows("pattern errorMessage", [...files].reverse());
    assert.deepEqual(backward.rows, forward.rows);
    assert.deepEqual(forward.rows.map((r) => [r["@pattern"], r["@sampleCount"]]), [["aa bb <Token-1> <Token-2>", 2], ["aa bb <Token-1> <Token-2> <Number-3>", 2], ["pp qq xx yy", 1], ["pp qq xx yy <Number-1>", 1]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a NUL in a value is a character of the pattern, not a masked value", async () => {
  const dir = tempDir("pattern-nul");
  try {
    messages(join(dir, "t.json"), ["code \u0000 end", "code 5 end", "\u0000", "a\u0000b", "a\u0000b"]);
    const { rows } = await queryRows("pattern errorMessage", [dir]);
    assert.deepEqual(rows.map((r) => [r["@pattern"], r["@sampleCount"]]), [["a\u0000b", 2], ["\u0000", 1], ["code \u0000 end", 1], ["code <Number-1> end", 1]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("past 200 patterns of one token count, the forms left unmerged are said in a warning", async () => {
  const dir = tempDir("pattern-cap");
  try {
    const rng = new Rng(8);
    const word = (): string => Array.from({ length: 8 }, () => String.fromCharCode(97 + rng.int(0, 25))).join("");
    // 200 shapes of four words met twice, then 50 of one template met once
    const unrelated = Array.from({ length: 200 }, () => `${word()} ${word()} ${word()} ${word()}`);
    messages(join(dir, "t.json"), [...unrelated, ...unrelated, ...Array.from({ length: 50 }, (_, i) => `common word here v${word()}`)]);
    const { rows, warnings } = await queryRows("pattern errorMessage", [dir]);
    assert.equal(rows.filter((r) => String(r["@pattern"]).startsWith("common")).length, 50);
    assert.ok(warnings.some((w) => /past 200 patterns of one token count.*50 patterns are shown as they are/.test(w)), warnings.join("\n"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("diff with its range from the data: events in neither range neither count nor shape a pattern, and the sample is of the range asked about", async () => {
  const dir = tempDir("pattern-diff-range");
  try {
    const day = 86_400_000;
    const t0 = Date.UTC(2026, 0, 1);
    messages(join(dir, "t.json"), ["aa bb xx yy", "aa bb xx yy", "aa bb xx yy", "pp qq cc dd", "aa bb cc dd"], t0, [t0, t0 + 1000, t0 + 2000, t0 + 3 * day + 36e6, t0 + 4 * day + 36e6]);
    const { rows } = await queryRows("pattern errorMessage | diff previousDay", [dir]);
    assert.deepEqual(rows.map((r) => [r["@pattern"], r["@sampleCount"], r["@previousSampleCount"], r["@change"], r["@sample"]]), [["<Token-1> <Token-2> cc dd", 1, 1, "same", "aa bb cc dd"]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("anomaly over events that span less than 24 minutes calls no count unusual, and says so", async () => {
  const dir = tempDir("pattern-anomaly-short");
  try {
    messages(join(dir, "t.json"), Array.from({ length: 30 }, (_, i) => ["GetObject ok", "PutObject ok", "ListBuckets ok"][i % 3]!), Date.UTC(2026, 0, 1), Array.from({ length: 30 }, (_, i) => Date.UTC(2026, 0, 1) + (i % 2) * 1000));
    const { rows, warnings } = await queryRows("pattern errorMessage | anomaly", [dir]);
    assert.deepEqual(rows.map((r) => [r["@sampleCount"], r["@anomaly"]]), [[30, 0]]);
    assert.ok(warnings.some((w) => w.includes("anomaly: the events span 1 s, less than 24 minutes")), warnings.join("\n"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a pattern met once among many is given its share, not 0", async () => {
  const dir = tempDir("pattern-ratio");
  try {
    messages(join(dir, "t.json"), [...Array.from({ length: 25_000 }, () => "steady text"), "rare"]);
    const { rows } = await queryRows("pattern errorMessage", [dir]);
    assert.deepEqual(rows.map((r) => [r["@pattern"], r["@ratio"]]), [["steady text", 0.9999], ["rare", 0.00004]]);
    // below 0.0001, two significant digits (not rounded up to 0.0001)
    messages(join(dir, "t.json"), [...Array.from({ length: 14_999 }, () => "steady text"), "rare"]);
    assert.deepEqual((await queryRows("pattern errorMessage", [dir])).rows.map((r) => r["@ratio"]), [0.9999, 0.000067]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("diff: a range longer than its shift overlaps the one before it, and an event in both counts in both; a pattern gone takes the least text of the range before", async () => {
  const dir = tempDir("pattern-diff-overlap");
  try {
    const t0 = Date.UTC(2024, 0, 1);
    // one event an hour for five days, and two forms seen only on the first day, in either order
    const hours = Array.from({ length: 120 }, (_, i) => t0 + i * 3_600_000);
    messages(join(dir, "t.json"), [...hours.map(() => "steady"), "count 7 gone", "count 5 gone"], t0, [...hours, t0 + 60_000, t0 + 120_000]);
    const range = { start: Date.UTC(2024, 0, 3), end: Date.UTC(2024, 0, 5) - 1 };
    const { rows } = await queryRows("pattern errorMessage | diff previousDay", [dir], { range });
    assert.deepEqual(rows.map((r) => [r["@pattern"], r["@sampleCount"], r["@previousSampleCount"], r["@change"]]), [["steady", 48, 48, "same"]]);
    const wide = { start: Date.UTC(2024, 0, 2), end: Date.UTC(2024, 0, 4) - 1 };
    const both = await queryRows("pattern errorMessage | diff previousDay", [dir], { range: wide });
    assert.deepEqual(both.rows.map((r) => [r["@pattern"], r["@sampleCount"], r["@previousSampleCount"], r["@sample"]]), [["steady", 48, 48, "steady"], ["count <Number-1> gone", 0, 2, "count 5 gone"]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
