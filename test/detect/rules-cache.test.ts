// The rules cache keeps a file's documents while the file is unchanged: a copy that keeps the size
// and the modification time (cp -p, rsync -a, tar x) is another text all the same.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { RulesCache } from "../../src/detect/rules-cache.js";
import type { YamlFile } from "../../src/detect/load.js";
import { tempDir } from "../temp.js";

test("a rule file rewritten with its size and modification time kept is read again", () => {
  const dir = tempDir("rules-cache-stamp");
  try {
    const file = join(dir, "r.yml");
    const cacheDir = join(dir, "cache");
    writeFileSync(file, "eventName: CreateUser\n");
    const when = new Date("2026-01-01T00:00:00Z");
    utimesSync(file, when, when);
    const yaml = { docs: [{ eventName: "CreateUser" }] } as unknown as YamlFile;
    const first = new RulesCache([file], cacheDir);
    assert.equal(first.get(file, statSync(file)), undefined);
    first.set(file, statSync(file), yaml);
    first.save();
    assert.deepEqual(new RulesCache([file], cacheDir).get(file, statSync(file)), yaml, "unchanged: from the cache");
    // the same size, the same modification time: only the change time tells
    writeFileSync(file, "eventName: DeleteUser\n");
    utimesSync(file, when, when);
    assert.equal(statSync(file).size, "eventName: CreateUser\n".length);
    assert.equal(new RulesCache([file], cacheDir).get(file, statSync(file)), undefined, "rewritten: parsed again");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a cache file damaged or written by another program (a value changed, a bit flipped) is not used: each entry carries its CRC-32", () => {
  const dir = tempDir("rules-cache-crc");
  try {
    const file = join(dir, "r.yml");
    const cacheDir = join(dir, "cache");
    writeFileSync(file, "eventName: GetSecretValue\n");
    const yaml = { docs: [{ detection: { selection: { eventName: "GetSecretValue" } } }] } as unknown as YamlFile;
    const first = new RulesCache([file], cacheDir);
    first.set(file, statSync(file), yaml);
    first.save();
    const [cached] = readdirSync(cacheDir);
    const at = join(cacheDir, cached!);
    assert.deepEqual(new RulesCache([file], cacheDir).get(file, statSync(file)), yaml, "unchanged: from the cache");
    // one bit: 'e' (0x65) to 'f' (0x66) in the value
    const text = readFileSync(at, "utf8");
    writeFileSync(at, text.replace('"GetSecretValue"', '"GetSecretValuf"'));
    assert.equal(new RulesCache([file], cacheDir).get(file, statSync(file)), undefined, "damaged: parsed again");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
