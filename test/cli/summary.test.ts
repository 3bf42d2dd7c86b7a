import { test } from "node:test";
import assert from "node:assert/strict";
import { grouped } from "../../src/cli/summary.js";

test("counts are grouped by thousands, as en-US writes them", () => {
  for (const x of [0, 7, 42, 999, 1000, 12_345, 100_000, 999_999, 1_000_000, 1_234_567_890]) {
    assert.equal(grouped(x), x.toLocaleString("en-US"), String(x));
  }
});
