import { test } from "node:test";
import assert from "node:assert/strict";
import { FORMATS } from "../../src/output/index.js";
import { FORMAT_NAMES } from "../../src/output/names.js";

test("the format names the command line lists are the writers there are", () => {
  assert.deepEqual([...FORMAT_NAMES].sort(), Object.keys(FORMATS).sort());
});

test("formatTime prints what Date's ISO form says, before and after 1970, with fractions", async () => {
  const { formatTime } = await import("../../src/output/render.js");
  const iso = (ms: number): string => {
    const s = new Date(ms).toISOString();
    return `${s.slice(0, 10)} ${s.slice(11, 23)}`;
  };
  let x = 12345;
  for (let i = 0; i < 20_000; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const ms = (x / 2 ** 31 - 0.3) * 4e12 + (i % 3 === 0 ? 0.6 : 0);
    assert.equal(formatTime(ms), iso(ms), String(ms));
  }
  assert.equal(formatTime(Date.UTC(2026, 10, 30, 23, 59, 59, 7)), "2026-11-30 23:59:59.007");
});
