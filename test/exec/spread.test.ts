// spreadOver: the samples an estimate and the end-of-run hints read.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spreadOver } from "../../src/exec/spread.js";

test("spreadOver: evenly over the list, the first and the last among them; the whole list when it is short", () => {
  const five = [0, 1, 2, 3, 4];
  assert.deepEqual(spreadOver(five, 3), [0, 2, 4]);
  assert.deepEqual(spreadOver(five, 5), five);
  assert.deepEqual(spreadOver(five, 9), five);
  assert.deepEqual(spreadOver(five, 1), [0]);
  assert.deepEqual(spreadOver(five, 0), []);
  const many = Array.from({ length: 654 }, (_, i) => i);
  assert.deepEqual(spreadOver(many, 3), [0, 327, 653]);
  const sample = spreadOver(many, 256);
  assert.equal(sample.length, 256);
  assert.equal(new Set(sample).size, 256);
  assert.equal(sample.at(-1), 653);
});
