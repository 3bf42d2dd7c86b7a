// A column a command makes (lookup, accum...) with no fields or display: shown after @timestamp and
// @message; still an output column for filldown and addtotals; in a subquery, its only column.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { rmSync, writeFileSync } from "node:fs";
import { trailq } from "../bin.js";
import { tempDir } from "../temp.js";

const ev = (n: number, name: string, readOnly: boolean): string =>
  JSON.stringify({ eventVersion: "1.08", eventTime: `2026-11-01T00:00:0${n}Z`, eventSource: "s3.amazonaws.com", eventName: name, readOnly, eventID: `e-${n}` });

function query(q: string): { rows: Record<string, unknown>[]; header: string } {
  const dir = tempDir("made-columns");
  try {
    writeFileSync(join(dir, "events.jsonl"), [ev(1, "GetObject", true), ev(2, "PutObject", false), ev(3, "Other", true), ev(4, "Other", false)].join("\n") + "\n");
    writeFileSync(join(dir, "kinds.csv"), "eventName,kind\nGetObject,read\nPutObject,write\n");
    const run = (f: string): string => {
      const r = trailq(["query", q, join(dir, "events.jsonl"), "--lookup", `kinds=${join(dir, "kinds.csv")}`, "-q", "-f", f]);
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    return { rows: JSON.parse(run("json")) as Record<string, unknown>[], header: run("csv").split(/\r?\n/)[0]! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a made column stays an output column: filldown with no names fills it", () => {
  const { rows } = query("sort @timestamp asc | lookup kinds eventName OUTPUT kind | filldown | stats count(kind) as n");
  assert.deepEqual(rows, [{ n: 4 }]);
});

test("appendcols of a subquery that chooses no columns: its @timestamp and @message take the default columns' places, once", () => {
  const { header } = query("sort @timestamp asc | appendcols (sort @timestamp desc | limit 2)");
  assert.equal(header, "'@timestamp,'@message");
});

test("in a subquery the made column is its only column: in compares it", () => {
  const { rows } = query('lookup kinds eventName OUTPUT kind | filter kind in (lookup kinds eventName OUTPUT kind | filter kind = "read") | stats count(*) as n');
  assert.deepEqual(rows, [{ n: 1 }]);
});
