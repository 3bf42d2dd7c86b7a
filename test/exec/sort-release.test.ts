// A sort on @timestamp fed by a scan in time order hands rows on as the scan goes (SortOp.release):
// the same rows in the same order as sorting them all at the end, and never more than a few steps
// of rows held.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SortOp } from "../../src/exec/operators/sort.js";
import { Row } from "../../src/exec/row.js";
import type { Operator } from "../../src/exec/operators/operator.js";

const HOUR = 3_600_000;

/** Rows newest first, a file of 8 at a time, each file's events up to 5 minutes older than its stamp. */
function scan(files: number, perFile: number): { stamp: number; rows: Row[] }[] {
  const start = Date.UTC(2026, 10, 1);
  return Array.from({ length: files }, (_, f) => {
    const stamp = start - f * 60_000;
    const rows = Array.from({ length: perFile }, (_, k) => {
      const ts = stamp - ((f * 7919 + k * 104_729) % 300_000);
      const row = new Row({ eventID: `${f}-${k}` }, null, k, ts);
      row.pos = f * 2 ** 24 + k;
      return row;
    });
    return { stamp, rows };
  });
}

test("release: the rows in sorted order as the scan goes, with a bounded number held", () => {
  const files = scan(2_000, 8);
  const out: Row[] = [];
  const sink: Operator = { push: (r) => void out.push(r), end() {} };
  const sort = new SortOp([{ eval: (r) => r.timestamp, desc: true }], undefined, sink);
  let heldMost = 0;
  let handedEarly = 0;
  files.forEach(({ rows }, f) => {
    for (const r of rows) sort.push(r);
    // the scan's bound: no file to come holds an event newer than its stamp plus an hour
    const next = files[f + 1];
    if (next) sort.release(next.stamp + HOUR);
    heldMost = Math.max(heldMost, (f + 1) * 8 - out.length);
    handedEarly = out.length;
  });
  sort.end();
  const all = files.flatMap((f) => f.rows).sort((a, b) => b.timestamp - a.timestamp || a.pos - b.pos);
  assert.deepEqual(out.map((r) => r.ev!["eventID"]), all.map((r) => r.ev!["eventID"]));
  assert.ok(handedEarly > 14_000, `${handedEarly} of 16,000 rows handed on before the end`);
  // an hour of rows (480) is held after each release; releases come every 1,024 rows past that
  assert.ok(heldMost < 1_024 + 2 * 480 + 8, `at most ${heldMost} rows held`);
});
