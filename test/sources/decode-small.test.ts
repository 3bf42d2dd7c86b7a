// decodeSmall (decompress.ts): a small file read in one step into a buffer the thread reuses; what it
// gives stays whole when the next file is read, and a file past SMALL_FILE is left to the careful reader.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { SMALL_FILE, decodeSmall, inPlace } from "../../src/sources/decompress.js";
import { tempDir } from "../temp.js";

test("decodeSmall: plain and gzipped texts stay whole as the next files are read; sizes as read replace the estimates", () => {
  const dir = tempDir("decode-small");
  const plain = join(dir, "a.json");
  const gz = join(dir, "b.json.gz");
  const other = join(dir, "c.json");
  writeFileSync(plain, '{"Records":[{"eventName":"A"}]}');
  writeFileSync(gz, gzipSync('{"Records":[{"eventName":"B"}]}'));
  writeFileSync(other, '{"Records":[{"eventName":"CCCCCCCCCCCCCCCCCCCCCCCCC"}]}');
  const a = { path: plain, size: 7, estimated: true };
  const gotA = decodeSmall(a, 1 << 20);
  const gotB = decodeSmall({ path: gz, size: 7, estimated: true }, 1 << 20);
  decodeSmall({ path: other, size: 7, estimated: true }, 1 << 20);
  assert.ok(typeof gotA === "object" && typeof gotB === "object");
  assert.equal(gotA.text.toString(), '{"Records":[{"eventName":"A"}]}');
  assert.equal(gotB.text.toString(), '{"Records":[{"eventName":"B"}]}');
  assert.deepEqual(a, { path: plain, size: 31, estimated: false });
});

test("decodeSmall: an empty file is empty; a file past SMALL_FILE is the careful reader's, its size known", () => {
  const dir = tempDir("decode-small-big");
  const empty = join(dir, "empty.json");
  const big = join(dir, "big.json");
  writeFileSync(empty, "");
  writeFileSync(big, Buffer.alloc(SMALL_FILE + 10, 0x20));
  assert.equal(decodeSmall({ path: empty, size: 100, estimated: true }, 1 << 20), "empty");
  const file = { path: big, size: 100, estimated: true };
  assert.equal(decodeSmall(file, 1 << 30), undefined);
  assert.deepEqual(file, { path: big, size: SMALL_FILE + 10, estimated: false });
  assert.equal(decodeSmall({ path: join(dir, "gone.json"), size: 100 }, 1 << 20), undefined, "a file that can't be opened");
});

test("decodeSmall with room: a text is written where it is given room, or is a buffer of its own when it does not fit there", () => {
  const dir = tempDir("decode-small-room");
  const gz = join(dir, "a.json.gz");
  const plain = join(dir, "b.json");
  // two members: the trailer states the last one's size, 2 bytes, so the text outgrows its room
  const understated = join(dir, "c.json.gz");
  const text = '{"Records":[{"eventName":"CreateBucket"}]}';
  writeFileSync(gz, gzipSync(text));
  writeFileSync(plain, text);
  writeFileSync(understated, Buffer.concat([gzipSync(text.slice(0, -2)), gzipSync("]}")]));
  const held = Buffer.alloc(1 << 12);
  let used = 0;
  const room = (bytes: number): Buffer => {
    assert.ok(used + bytes <= held.length);
    return held.subarray(used, used + bytes);
  };
  for (const path of [gz, plain, understated]) {
    const got = decodeSmall({ path, size: 10, estimated: true }, 1 << 20, room);
    assert.ok(typeof got === "object", path);
    assert.equal(got.text.toString(), text, path);
    assert.equal(inPlace(got.text, held.buffer, held.byteOffset + used), path !== understated, path);
    used += got.text.length;
  }
});
