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

test("appendcols of a subquery that chooses no columns: each row keeps its own @timestamp and @message, shown once", () => {
  const { header, rows } = query("sort @timestamp asc | appendcols (sort @timestamp desc | limit 2)");
  assert.equal(header, "'@timestamp,'@message");
  assert.deepEqual(rows.map((r) => r["@timestamp"]), ["2026-11-01 00:00:01.000", "2026-11-01 00:00:02.000", "2026-11-01 00:00:03.000", "2026-11-01 00:00:04.000"]);
});

test("a join's right side that adds a column still gives whole events", () => {
  const { rows } = query('filter eventName = "GetObject" | join type=inner left=L right=R where L.eventName = R.eventName (lookup kinds eventName OUTPUT kind) | fields eventID, R.kind');
  assert.deepEqual(rows, [{ eventID: "e-1", "R.kind": "read" }]);
});

test("in a subquery that chose no columns, the first column its commands made is compared", () => {
  const { rows } = query('lookup kinds eventName OUTPUT kind | filter kind in (lookup kinds eventName OUTPUT kind | filter kind = "read") | stats count(*) as n');
  assert.deepEqual(rows, [{ n: 1 }]);
  const { rows: accum } = query("filter readOnly in (accum readOnly as ro | filter ro = 0) | stats count(*) as n");
  assert.deepEqual(accum, [{ n: 2 }]);
});

test("unnest's name is shown after @timestamp and @message, as parse's names are (else its rows look like copies)", () => {
  const { header, rows } = query("filter eventName = 'GetObject' | parse eventName /(?<verb>Get)/ | unnest split('a,b', ',') into part");
  assert.equal(header, "'@timestamp,'@message,verb,part");
  assert.deepEqual(rows.map((r) => r["part"]), ["a", "b"]);
});
