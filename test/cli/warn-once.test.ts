// A subquery reads the inputs again: a bad file met by both scans is warned about once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { rmSync, writeFileSync } from "node:fs";
import { trailq } from "../bin.js";
import { tempDir } from "../temp.js";

test("a bad file is one warning, though a subquery and the main scan both read it", () => {
  const dir = tempDir("warn-once");
  try {
    writeFileSync(join(dir, "a.jsonl"), '{"eventTime":"2024-01-01T00:00:00Z","eventID":"1","eventName":"X","sourceIPAddress":"1.1.1.1"}\n');
    writeFileSync(join(dir, "b.jsonl"), "not json\n");
    const r = trailq(["query", 'filter sourceIPAddress in (filter eventName = "X" | fields sourceIPAddress) | stats count(*)', dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.split("\n").filter((l) => l.includes("b.jsonl: not JSON")).length, 1, r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an empty --region or --account (a variable unset) is a usage error, not an empty selection", () => {
  for (const args of [["query", "stats count(*)", "fixtures/sample-trail", "--region", ""], ["detect", "fixtures/sample-trail", "--account", ","]]) {
    const r = trailq(args);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /an empty list/);
  }
});

test("the prompt says a subquery's warnings too, once", () => {
  const dir = tempDir("warn-once-repl");
  try {
    writeFileSync(join(dir, "a.jsonl"), '{"eventTime":"2024-01-01T00:00:00Z","eventID":"1","eventName":"X","sourceIPAddress":"1.1.1.1"}\n');
    writeFileSync(join(dir, "b.jsonl"), "not json\n");
    const r = trailq(["repl", dir], 'filter sourceIPAddress in (filter eventName = "X" | fields sourceIPAddress) | stats count(*)\n.quit\n');
    assert.equal(r.stderr.split("\n").filter((l) => l.includes("b.jsonl: not JSON")).length, 1, r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
