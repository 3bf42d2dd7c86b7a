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
