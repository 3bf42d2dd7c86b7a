// The results table's column sort (the page's sort worker): numbers as numbers, times written in a
// zone as instants, the rest as text; absent cells last, ties in the order the rows came.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sortOrder } from "../../src/ui/page/sort-order.js";

const sorted = (cells: (string | null)[], desc = false): (string | null)[] => [...sortOrder(cells, cells.length, desc)].map((i) => cells[i]!);

test("times written in New York sort as instants across the hour the change back from summer time repeats", () => {
  // 2026-11-01: 01:30 EDT (-04:00) is 05:30Z, 01:10 EST (-05:00) is 06:10Z: later, though it reads earlier
  const cells = ["2026-11-01 01:10:00.000 -05:00", null, "2026-11-01 01:30:00.000 -04:00", "2026-11-01 00:59:59.000 -04:00"];
  assert.deepEqual(sorted(cells), ["2026-11-01 00:59:59.000 -04:00", "2026-11-01 01:30:00.000 -04:00", "2026-11-01 01:10:00.000 -05:00", null]);
  assert.deepEqual(sorted(cells, true), ["2026-11-01 01:10:00.000 -05:00", "2026-11-01 01:30:00.000 -04:00", "2026-11-01 00:59:59.000 -04:00", null]);
});

test("numbers as numbers, anything else as text; ties keep the rows' order", () => {
  assert.deepEqual(sorted(["10", "9", null, "-1.5", "9"]), ["-1.5", "9", "9", "10", null]);
  assert.deepEqual(sorted(["10", "9", "x"]), ["10", "9", "x"]);
  // numbers as the engine reads them: decimal with an exponent, not 0x1F or Infinity (Number() reads those)
  assert.deepEqual(sorted(["20", "1e3", "3"]), ["3", "20", "1e3"]);
  assert.deepEqual(sorted(["40", "0x1F", "5"]), ["0x1F", "40", "5"]);
  assert.deepEqual(sorted(["Infinity", "7"]), ["7", "Infinity"]);
  // a time among numbers, or text among times: text
  assert.deepEqual(sorted(["2026-11-01 01:10:00.000 -05:00", "5"]), ["2026-11-01 01:10:00.000 -05:00", "5"]);
  assert.deepEqual(sorted(["b", "2026-11-01 01:10:00.000 -05:00", "a"]), ["2026-11-01 01:10:00.000 -05:00", "a", "b"]);
  // UTC times have no offset: as text, which is their order
  assert.deepEqual(sorted(["2026-11-02 00:00:00.000", "2026-11-01 23:59:59.999"]), ["2026-11-01 23:59:59.999", "2026-11-02 00:00:00.000"]);
});
