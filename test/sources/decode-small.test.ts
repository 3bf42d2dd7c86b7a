// decodeSmall (decompress.ts): a small file read in one step into a buffer the thread reuses; what it
// gives stays whole when the next file is read, and a file past SMALL_FILE is left to the careful reader.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { SMALL_FILE, decodeSmall } from "../../src/sources/decompress.js";
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
