// The table of eventIDs the scan's workers share (src/exec/shared-ids.ts): a file before the
// claimant takes the claim, copies in a file are copies, the table grows with its ids kept, and two
// threads racing over interleaved files keep exactly the rows a single-threaded scan keeps.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { COPY, NO_ID, SharedIds, sharedIdsMemory } from "../../src/exec/shared-ids.js";

/** A fingerprint for a small number (neither half 0). */
const hi = (id: number): number => Math.imul(id + 1, 0x9e3779b1) | 1;
const lo = (id: number): number => (id * 7919 + 13) | 1;

test("a later file that met an id first loses it to an earlier file; copies within a file and after it are copies", () => {
  const ids = new SharedIds(sharedIdsMemory(0));
  ids.enter(3);
  const late = ids.claim(hi(1), lo(1), 5);
  assert.ok(late >= 0, "file 5 is the first to meet id 1");
  assert.equal(ids.claim(hi(1), lo(1), 5), COPY, "a second row of file 5 with id 1 is a copy");
  const early = ids.claim(hi(1), lo(1), 3);
  assert.equal(early, late, "file 3 takes the slot's claim");
  assert.equal(ids.claim(hi(1), lo(1), 4), COPY, "file 4 comes after file 3");
  ids.leave(3);
  ids.enter(0);
  assert.equal(ids.holds(late, 5), false);
  assert.equal(ids.holds(early, 3), true);
  ids.leave(0);
});

test("claimAll gives each row of a unit what claim gives it, and leaves a row without an eventID as it is", () => {
  const ids = new SharedIds(sharedIdsMemory(0));
  // file 2's rows: ids 1, 2, none, 1 again, 3
  const unit = [1, 2, -1, 1, 3];
  const fps = new Int32Array(2 * unit.length);
  const slots = new Int32Array(unit.length);
  unit.forEach((id, i) => {
    if (id < 0) slots[i] = NO_ID;
    else [fps[2 * i], fps[2 * i + 1]] = [hi(id), lo(id)];
  });
  ids.enter(unit.length);
  const before = ids.claim(hi(3), lo(3), 1); // file 1 came first with id 3
  ids.claimAll(fps, slots, 2);
  ids.leave(unit.length);
  assert.ok(slots[0]! >= 0 && slots[1]! >= 0 && slots[0] !== slots[1], "ids 1 and 2: their own slots");
  assert.equal(slots[2], NO_ID);
  assert.equal(slots[3], COPY, "id 1 again in the same file");
  assert.equal(slots[4], COPY, "id 3: file 1 holds it");
  ids.enter(0);
  assert.equal(ids.holds(slots[0]!, 2), true);
  assert.equal(ids.holds(before, 1), true);
  assert.equal(ids.find(hi(2), lo(2)), slots[1]);
  ids.leave(0);
});

test("the files before one are in once each is marked, in any order", () => {
  const ids = new SharedIds(sharedIdsMemory(0));
  ids.done(1);
  ids.done(2);
  assert.equal(ids.before(0), true);
  assert.equal(ids.before(3), false, "file 0 is not in");
  ids.done(0);
  assert.equal(ids.before(3), true);
  assert.equal(ids.before(4), false);
});

test("the table grows past its first size with every id and claim kept, looked up anew after the grow", () => {
  const ids = new SharedIds(sharedIdsMemory(0));
  const first: number[] = [];
  const n = 200_000;
  for (let id = 0; id < n; id += 1000) {
    ids.enter(1000);
    const epoch = ids.epoch;
    for (let k = id; k < id + 1000; k++) first.push(ids.claim(hi(k), lo(k), k % 7));
    ids.leave(1000);
    if (id === 0) assert.equal(epoch, ids.epoch);
  }
  ids.enter(0);
  assert.ok(ids.epoch > 0, "the table grew");
  for (let k = 0; k < n; k += 997) {
    const slot = ids.find(hi(k), lo(k));
    assert.equal(ids.holds(slot, k % 7), true, `id ${k} kept its claim`);
  }
  ids.leave(0);
  ids.enter(n);
  for (let k = 0; k < n; k += 991) assert.equal(ids.claim(hi(k), lo(k), 7), COPY);
  ids.leave(n);
});

/**
 * What a thread does with its files, as the scan's workers do (worker.ts, HeldRows): claims each
 * file's ids (file f has ids f*3 .. f*3+40, so each id is in about 13 files), marks the file in,
 * waits until every file before it is in, and counts the rows it keeps. Written out as the worker's source: it runs in two threads at once.
 */
const THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
// a wait on shared memory does not keep a thread alive: a timer does, until the end
const alive = setInterval(() => {}, 1000);
import(workerData.module).then(async ({ SharedIds, COPY }) => {
  const ids = new SharedIds(workerData.memory);
  const hi = (id) => Math.imul(id + 1, 0x9e3779b1) | 1;
  const lo = (id) => (id * 7919 + 13) | 1;
  const kept = [];
  for (const file of workerData.files) {
    const slots = [];
    // as the scan's workers do: a file whose earlier files were all in before it claimed keeps its claims
    const settled = ids.before(file);
    ids.enter(41);
    for (let id = file * 3; id <= file * 3 + 40; id++) slots.push([id, ids.claim(hi(id), lo(id), file), ids.epoch]);
    ids.leave(41);
    ids.done(file);
    while (!ids.before(file)) await ids.next();
    ids.enter(0);
    for (const [id, slot, epoch] of slots) {
      if (slot === COPY) continue;
      const at = epoch === ids.epoch ? slot : ids.find(hi(id), lo(id));
      if (settled || ids.holds(at, file)) kept.push(file + ":" + id);
    }
    ids.leave(0);
  }
  parentPort.postMessage(kept);
  clearInterval(alive);
});
`;

test("two threads over interleaved files keep each id once, in the file that comes first, whatever their timing", async () => {
  const files = 4_000;
  const memory = sharedIdsMemory(0);
  const module = new URL("../../src/exec/shared-ids.js", import.meta.url).href;
  // thread A takes files 0-9, 20-29, ...; thread B 10-19, 30-39, ...: each waits on the other's files
  const share = (t: number): number[] => Array.from({ length: files }, (_, f) => f).filter((f) => Math.floor(f / 10) % 2 === t);
  const run = (t: number): Promise<string[]> =>
    new Promise((resolve, reject) => {
      const w = new Worker(THREAD, { eval: true, workerData: { module, memory, files: share(t) } });
      w.once("message", resolve);
      w.once("error", reject);
    });
  const kept = (await Promise.all([run(0), run(1)])).flat().sort();
  // one thread, in scan order: each id is kept in the first file that has it
  const expected: string[] = [];
  const seen = new Set<number>();
  for (let f = 0; f < files; f++) {
    for (let id = f * 3; id <= f * 3 + 40; id++) {
      if (seen.has(id)) continue;
      seen.add(id);
      expected.push(`${f}:${id}`);
    }
  }
  assert.equal(kept.length, expected.length);
  assert.deepEqual(kept, expected.sort());
});
