// Shapes of content that were read wrong (second pass over odd inputs): a document written a record
// a line read as JSON lines, JSON lines whose first line is long read as a document, a zip whose
// first entry is not CloudTrail dropped whole, and a file skipped whole counted as one problem.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { zipSync } from "fflate";
import { readAll } from "./helpers.js";
import { tempDir } from "../temp.js";

const ev = (n: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ eventTime: `2026-11-02T06:00:${String(n % 60).padStart(2, "0")}Z`, eventSource: "s3.amazonaws.com", eventName: "GetObject", eventID: `e-${n}`, ...extra });
/** Standard input in the 64 KiB pieces a pipe gives (one piece would hold every line at once). */
const stdin = (text: string | Buffer): Readable => {
  const all = Buffer.from(text);
  const pieces: Buffer[] = [];
  for (let at = 0; at < all.length; at += 65536) pieces.push(all.subarray(at, at + 65536));
  return Readable.from(pieces);
};

test("a document written a record a line ({\"Records\":[{...},\\n{...}]}) is a document, through standard input too, with a byte-order mark too", async () => {
  const doc = `{"Records":[${JSON.stringify(ev(0))},\n${JSON.stringify(ev(1))}]}`;
  for (const text of [doc, "\ufeff" + doc]) {
    const got = await readAll(["-"], { stdin: stdin(text) });
    assert.deepEqual(got.events.map((e) => e.id), ["e-0", "e-1"], JSON.stringify(text.slice(0, 3)));
    assert.deepEqual(got.warnings, []);
  }
});

test("JSON lines whose first line is longer than the content sniffed (1 MiB): lines, a bad one skipped alone, the rest read", async () => {
  const lines = [JSON.stringify(ev(0, { requestParameters: { p: "x".repeat(1_200_000) } })), '{"eventTime": broken', ...Array.from({ length: 500 }, (_, i) => JSON.stringify(ev(i + 1)))];
  const got = await readAll(["-"], { stdin: stdin(lines.join("\n") + "\n") });
  assert.equal(got.events.length, 501);
  assert.equal(got.warnings.length, 1);
  assert.match(got.warnings[0]!, /^-: line 2: bad JSON .*: line skipped$/);
  // a document of records on one line, as CloudTrail writes them, is still a document
  const one = await readAll(["-"], { stdin: stdin(JSON.stringify({ Records: [ev(0, { requestParameters: { p: "x".repeat(1_200_000) } }), ev(1)] })) });
  assert.deepEqual(one.events.map((e) => e.id), ["e-0", "e-1"]);
});

test("a zip's entries are judged apart: a manifest first is not CloudTrail, named; the trail's entries after it are read", async () => {
  const dir = tempDir("zip-entries");
  const manifest = Buffer.from(JSON.stringify(Array.from({ length: 2500 }, (_, i) => ({ key: `k${i}`, size: i }))));
  const small = Buffer.from(JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ key: `k${i}` }))));
  const trail = Buffer.from(JSON.stringify({ Records: [ev(0), ev(1), ev(2)] }));
  writeFileSync(join(dir, "a.zip"), zipSync({ "0-manifest.json": manifest, "1-small.json": small, "trail/a.json": trail }));
  const got = await readAll([join(dir, "a.zip")]);
  assert.deepEqual(got.events.map((e) => e.id), ["e-0", "e-1", "e-2"]);
  assert.deepEqual(got.warnings, [
    `${join(dir, "a.zip")}: entry 0-manifest.json: not CloudTrail: no record has eventTime, eventName or eventSource`,
    `${join(dir, "a.zip")}: entry 1-small.json: not CloudTrail: no record has eventTime, eventName or eventSource`,
  ]);
  assert.equal(got.stats.filesRead, 1);
});

test("a file skipped whole counts every problem it had, not only the last", async () => {
  const dir = tempDir("all-bad");
  writeFileSync(join(dir, "bad.jsonl"), Array.from({ length: 13 }, (_, i) => `{bad${i}}`).join("\n") + "\n");
  const got = await readAll([join(dir, "bad.jsonl")]);
  assert.equal(got.stats.filesSkipped, 1);
  assert.equal(got.stats.skipped.reduce((n, s) => n + (s.count ?? 1), 0), 13);
  assert.ok(got.stats.skipped.every((s) => s.reason === "bad JSON line"));
});
