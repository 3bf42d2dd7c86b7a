// gunzipWhole (gunzip-sync.ts) against node:zlib's gunzipSync: the same bytes out, or a failure, for
// good, multi-member, padded, damaged and oversized inputs, in any order (a failure does not spoil
// the next call), and with a size hint that is wrong either way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gunzipSync, gzipSync } from "node:zlib";
import { gunzipWhole, keepsContext } from "../../src/sources/gunzip-sync.js";

const records = gzipSync('{"Records":[' + '{"eventName":"RunInstances","n":1},'.repeat(3000) + "{}]}");
const small = gzipSync('{"Records":[]}');
const badCrc = Buffer.from(records);
badCrc[badCrc.length - 6]! ^= 1;
const INPUTS: Record<string, Buffer> = {
  "one member": records,
  "two members": Buffer.concat([records, small]),
  "zero padding": Buffer.concat([records, Buffer.alloc(16)]),
  "trailing garbage": Buffer.concat([records, Buffer.from("junk")]),
  truncated: records.subarray(0, records.length - 20),
  "bad CRC": badCrc,
  "no content": gzipSync(Buffer.alloc(0)),
  "header only": records.subarray(0, 6),
  "not gzip": Buffer.from('{"Records":[]}'),
};

function outcome(f: () => Buffer): string {
  try {
    return f().toString("base64");
  } catch {
    return "fails";
  }
}

test("gunzipWhole keeps one zlib context on this node", () => {
  assert.equal(keepsContext(), true, "node:zlib's handle changed shape: every small file now pays for a new stream (gunzip-sync.ts)");
});

test("gunzipWhole gives what gunzipSync gives, whatever came before and whatever the size hint", () => {
  const names = Object.keys(INPUTS);
  // every input after every other, so a failure or a member left over would show in the next
  for (const before of names) {
    for (const name of names) {
      const input = INPUTS[name]!;
      for (const [hint, max] of [[0, 1 << 30], [1 << 20, 1 << 30], [100, 1 << 30], [100, 50_000]] as const) {
        outcome(() => gunzipWhole(INPUTS[before]!, hint, max));
        const expected = outcome(() => gunzipSync(input, { maxOutputLength: max }));
        assert.equal(outcome(() => gunzipWhole(input, hint, max)), expected, `${name} after ${before}, hint ${hint}, at most ${max}`);
      }
    }
  }
  assert.equal(gunzipWhole(records, 10, 1 << 30).length, gunzipSync(records).length);
});

test("gunzipWhole fails where zlib stops at zero padding with more after it (gunzipSync keeps the first member, says nothing)", () => {
  const zeros = Buffer.alloc(16);
  assert.throws(() => gunzipWhole(Buffer.concat([records, zeros, small]), 0, 1 << 30));
  assert.throws(() => gunzipWhole(Buffer.concat([records, zeros, Buffer.from("junk")]), 0, 1 << 30));
  assert.equal(gunzipSync(Buffer.concat([records, zeros, small])).length, gunzipSync(records).length);
  assert.equal(gunzipWhole(Buffer.concat([records, zeros]), 0, 1 << 30).length, gunzipSync(records).length);
});
