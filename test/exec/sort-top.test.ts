// A sort with a limit keeps its rows in a heap (SortOp.offer): the rows handed on, their order and
// the bound the scan stops by are those of sorting every row and keeping the first k.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { SortOp } from "../../src/exec/operators/sort.js";
import { Row } from "../../src/exec/row.js";
import type { Operator } from "../../src/exec/operators/operator.js";

/** Rows from (name, bytes) pairs: few distinct values, so that ties are many and go by position. */
function rows(pairs: [number, number][]): Row[] {
  return pairs.map(([name, bytes], i) => {
    const row = new Row({ id: i, name: `n${String(name).padStart(2, "0")}`, bytes }, null, i, 1_700_000_000_000 + i);
    row.pos = i;
    return row;
  });
}

/** Runs a sort on eventName-like text (desc) then bytes (asc) with limit k, asking bound() after each row (`bounds`). */
function sortTop(input: Row[], k: number, bounds = true): { ids: unknown[]; bounds: unknown[] } {
  const out: Row[] = [];
  const sink: Operator = { push: (r) => void out.push(r), end() {} };
  const sort = new SortOp(
    [
      { eval: (r) => r.ev!["name"] as string, desc: true },
      { eval: (r) => r.ev!["bytes"] as number, desc: false },
    ],
    k,
    sink,
  );
  const seen: unknown[] = [];
  input.forEach((r) => {
    sort.push(r);
    if (bounds) seen.push(sort.bound());
  });
  sort.end();
  return { ids: out.map((r) => r.ev!["id"]), bounds: seen };
}

/** The order of a whole sort (names are zero-padded: text order is natural order). */
function order(a: Row, b: Row): number {
  const an = a.ev!["name"] as string;
  const bn = b.ev!["name"] as string;
  if (an !== bn) return an < bn ? 1 : -1;
  return (a.ev!["bytes"] as number) - (b.ev!["bytes"] as number) || a.pos - b.pos;
}

/** The first k ids by sorting every row (stable: ties by position). */
function firstIds(input: Row[], k: number): unknown[] {
  return [...input].sort(order).slice(0, k).map((r) => r.ev!["id"]);
}

/** firstIds, and after each row the k-th row's name so far. */
function expected(input: Row[], k: number): { ids: unknown[]; bounds: unknown[] } {
  const bounds = input.map((_, i) => (k < 1 || i + 1 < k ? undefined : input.slice(0, i + 1).sort(order)[k - 1]!.ev!["name"]));
  return { ids: firstIds(input, k), bounds };
}

test("sort with a limit: the first k rows in order, and the k-th row's key as the bound, as a whole sort gives", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 })), { maxLength: 120 }), fc.integer({ min: 0, max: 30 }), (pairs, k) => {
      const input = rows(pairs);
      assert.deepEqual(sortTop(input, k), expected(input, k));
    }),
    { numRuns: 300 },
  );
});

test("sort with a limit past the heap's size buffers and trims: the same rows", () => {
  const pairs: [number, number][] = Array.from({ length: 30_000 }, (_, i) => [(i * 7919) % 13, (i * 104_729) % 7]);
  const input = rows(pairs);
  for (const k of [10_000, 10_001]) assert.deepEqual(sortTop(input, k, false).ids, firstIds(input, k), `limit ${k}`);
});
