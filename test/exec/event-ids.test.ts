// The one-thread table of eventIDs (event-ids.ts): made big enough at once for the events the
// files may hold, and the same answers either way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { EventIds } from "../../src/exec/event-ids.js";

/** 20,000 ids with a copy of every tenth, in a fixed order: the answers add() gives. */
function answers(ids: EventIds): boolean[] {
  const out: boolean[] = [];
  for (let i = 0; i < 20_000; i++) {
    out.push(ids.add(i * 7919 + 1, (i * 104_729) | 1));
    if (i % 10 === 0) out.push(ids.add(i * 7919 + 1, (i * 104_729) | 1));
  }
  return out;
}

test("EventIds.expect: room made at once for the events expected, the same answers as a table grown as ids come", () => {
  const grown = new EventIds();
  const sized = new EventIds();
  sized.expect(20_000);
  const capacity = sized.capacity;
  assert.ok(capacity * 3 >= 20_000 * 4 && capacity <= 32_768, `${capacity} slots`);
  const expected = answers(grown);
  assert.deepEqual(answers(sized), expected);
  assert.equal(sized.capacity, capacity, "no grow while the ids came");
  assert.equal(expected.filter((a) => !a).length, 2_000, "every tenth id's copy");
  assert.equal(sized.size, 20_000);
});

test("EventIds.expect: at most 2^21 slots made at once, however many events the files may hold", () => {
  const ids = new EventIds();
  ids.expect(1e12);
  assert.equal(ids.capacity, 1 << 21);
});
