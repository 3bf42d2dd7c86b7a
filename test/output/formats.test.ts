import { test } from "node:test";
import assert from "node:assert/strict";
import { FORMATS } from "../../src/output/index.js";
import { FORMAT_NAMES } from "../../src/output/names.js";

test("the format names the command line lists are the writers there are", () => {
  assert.deepEqual([...FORMAT_NAMES].sort(), Object.keys(FORMATS).sort());
});
