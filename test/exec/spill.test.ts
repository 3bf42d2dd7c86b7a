// Spill files (src/exec/spill.ts): records come back as written, runs merge in order, partitions keep
// every record of a key together and in order, and a partition too big to hold is split again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { dirname } from "node:path";
import { PARTITIONS, Partitions, RecordReader, RecordWriter, SpillFolder, arraySource, eachPartition, mergeSources, type RecordSource } from "../../src/exec/spill.js";

test("records come back as written: undefined, NaN, sets, typed arrays, nested values", () => {
  const folder = new SpillFolder();
  try {
    const records: unknown[] = [];
    for (let i = 0; i < 5000; i++) records.push([i, undefined, NaN, null, { a: [i, "x".repeat(i % 50)] }, new Set([i, "s"]), new Uint8Array([i & 255])]);
    const w = new RecordWriter<unknown>(folder);
    for (const r of records) w.add(r);
    w.close();
    assert.ok(folder.written > 5000 * 20);
    const r = new RecordReader<unknown>(w.path);
    const back: unknown[] = [];
    for (let x = r.next(); x !== undefined; x = r.next()) back.push(x);
    assert.deepEqual(back, records);
    assert.equal(existsSync(w.path), false, "a file read to its end is deleted");
  } finally {
    folder.remove();
  }
});

test("runs merge into one order, and a merge stops when told", () => {
  const runs = [[1, 4, 7, 10], [2, 5, 8], [], [3, 6, 9, 11, 12]];
  const out: number[] = [];
  mergeSources(runs.map((r) => arraySource([...r])), (a, b) => a - b, (x) => void out.push(x));
  assert.deepEqual(out, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const first5: number[] = [];
  mergeSources(runs.map((r) => arraySource([...r])), (a, b) => a - b, (x) => {
    first5.push(x);
    return first5.length < 5;
  });
  assert.deepEqual(first5, [1, 2, 3, 4, 5]);
});

/** Records [key, n]: 2,000 keys, each 10 times, spread out. */
function keyed(): [string, number][] {
  const out: [string, number][] = [];
  for (let n = 0; n < 20_000; n++) out.push([`k${(n * 7919) % 2000}`, n]);
  return out;
}

function visitAll(paths: string[], folder: SpillFolder, fits: (bytes: number) => boolean): [string, number][][] {
  const visits: [string, number][][] = [];
  eachPartition<[string, number]>(paths, { folder, keyOf: (r) => r[0], fits, tooBig: () => { throw new Error("too big"); } }, (records: RecordSource<[string, number]>) => {
    const got: [string, number][] = [];
    for (let r = records.next(); r !== undefined; r = records.next()) got.push(r);
    visits.push(got);
  });
  return visits;
}

test("partitions: every record once, a key's records in one partition and in order; too big ones split again", () => {
  for (const [fits, split] of [[() => true, false], [(bytes: number) => bytes < 2000, true]] as const) {
    const folder = new SpillFolder();
    try {
      const parts = new Partitions<[string, number]>(folder, (r) => r[0]);
      for (const r of keyed()) parts.add(r);
      const visits = visitAll(parts.close(), folder, fits);
      if (split) assert.ok(visits.length > PARTITIONS, `${visits.length} partitions visited`);
      else assert.equal(visits.length, PARTITIONS);
      const all = visits.flat();
      assert.equal(all.length, 20_000);
      assert.deepEqual(new Set(all.map((r) => r[1])).size, 20_000);
      const where = new Map<string, number>();
      visits.forEach((v, i) => {
        for (const [k] of v) {
          assert.equal(where.get(k) ?? i, i, `${k} in one partition`);
          where.set(k, i);
        }
        const byKey = new Map<string, number[]>();
        for (const [k, n] of v) byKey.set(k, [...(byKey.get(k) ?? []), n]);
        for (const ns of byKey.values()) assert.deepEqual(ns, [...ns].sort((a, b) => a - b), "in the order added");
      });
      assert.equal(where.size, 2000);
      assert.deepEqual(readdirSync(dirname(folder.file())), [], "partitions are deleted once read");
    } finally {
      folder.remove();
    }
  }
});

test("a partition that splitting cannot shrink (one key holds it) gives up: tooBig", () => {
  const folder = new SpillFolder();
  try {
    const parts = new Partitions<[string, number]>(folder, (r) => r[0]);
    for (let n = 0; n < 5000; n++) parts.add(["hot", n]);
    assert.throws(() => visitAll(parts.close(), folder, (bytes) => bytes < 2000), /too big/);
  } finally {
    folder.remove();
  }
  assert.equal(folder.used, false);
});
