// The console's warnings: each once (a subquery's scan reads the inputs again), the first few, then a count.
import { test } from "node:test";
import assert from "node:assert/strict";
import { shownWarnings } from "../../src/ui/lines.js";

test("shownWarnings says each input's warning once, then the query's own", () => {
  assert.deepEqual(shownWarnings(["a.json: truncated JSON", "a.json: truncated JSON", "b.json: not JSON"], ["own"]), ["a.json: truncated JSON", "b.json: not JSON", "own"]);
});
