// Every condition form: and, or, not, parentheses and precedence, 1 of / all of a pattern or them,
// lists of maps, several conditions; and the refusals (aggregations, unknown identifiers).
import { test } from "node:test";
import assert from "node:assert/strict";
import { compile, matches, refusal } from "./helpers.js";
import { parseCondition } from "../../src/detect/condition.js";

const E = (eventName: string, errorCode?: string, userType = "IAMUser") => ({ eventName, ...(errorCode ? { errorCode } : {}), userIdentity: { type: userType } });
const SEL = "  sel_a:\n    eventName: A\n  sel_b:\n    eventName: B\n  err:\n    errorCode|exists: true\n  root:\n    userIdentity.type: Root\n";

test("and, or, not", () => {
  assert.deepEqual(matches(`${SEL}  condition: sel_a and err`, E("A", "x"), E("A"), E("B", "x")), [true, false, false]);
  assert.deepEqual(matches(`${SEL}  condition: sel_a or sel_b`, E("A"), E("B"), E("C")), [true, true, false]);
  assert.deepEqual(matches(`${SEL}  condition: sel_a and not err`, E("A"), E("A", "x")), [true, false]);
  assert.deepEqual(matches(`${SEL}  condition: not not sel_a`, E("A"), E("B")), [true, false]);
});

test("not binds tighter than and, and tighter than or; parentheses group", () => {
  // sel_a or sel_b and err = sel_a or (sel_b and err)
  assert.deepEqual(matches(`${SEL}  condition: sel_a or sel_b and err`, E("A"), E("B"), E("B", "x")), [true, false, true]);
  assert.deepEqual(matches(`${SEL}  condition: (sel_a or sel_b) and err`, E("A"), E("A", "x"), E("B", "x")), [false, true, true]);
  assert.deepEqual(matches(`${SEL}  condition: not sel_a and not sel_b`, E("A"), E("C")), [false, true]);
  assert.deepEqual(matches(`${SEL}  condition: not (sel_a or sel_b) and root`, E("C", undefined, "Root"), E("A", undefined, "Root"), E("C")), [true, false, false]);
  assert.deepEqual(matches(`${SEL}  condition: ((sel_a)) AND NOT (err OR root)`, E("A"), E("A", "x"), E("A", undefined, "Root")), [true, false, false]);
});

test("1 of x*, all of x*, 1 of them, all of them (them leaves out identifiers starting with _)", () => {
  assert.deepEqual(matches(`${SEL}  condition: 1 of sel_*`, E("A"), E("B"), E("C")), [true, true, false]);
  assert.deepEqual(matches(`${SEL}  condition: all of sel_*`, E("A")), [false]);
  assert.deepEqual(matches("  sel_a:\n    eventName: A\n  sel_x:\n    errorCode: x\n  condition: all of sel_*", E("A", "x"), E("A")), [true, false]);
  assert.deepEqual(matches(`${SEL}  condition: 1 of them`, E("C", "x"), E("C")), [true, false]);
  assert.deepEqual(matches("  a:\n    eventName: A\n  b:\n    errorCode: x\n  _helper:\n    eventName: Z\n  condition: all of them", E("A", "x")), [true]);
  assert.deepEqual(matches("  a:\n    eventName: A\n  _helper:\n    eventName: Z\n  condition: 1 of them", E("Z")), [false]);
  assert.deepEqual(matches(`${SEL}  condition: 1 of sel_* and not 1 of err*`, E("A"), E("A", "x")), [true, false]);
  assert.deepEqual(matches(`${SEL}  condition: any of sel_*`, E("B")), [true]);
});

test("a selection list of maps is one of them; a map's entries all hold", () => {
  const det = "  s:\n    - eventName: A\n      errorCode: x\n    - eventName: B\n  condition: s";
  assert.deepEqual(matches(det, E("A", "x"), E("A"), E("B")), [true, false, true]);
});

test("a list of conditions: one of them", () => {
  assert.deepEqual(matches(`${SEL}  condition:\n    - sel_a and err\n    - sel_b`, E("A", "x"), E("A"), E("B")), [true, false, true]);
});

test("identifier names with dashes, dots and digits", () => {
  assert.deepEqual(matches("  sel-1.x:\n    eventName: A\n  condition: sel-1.x", E("A")), [true]);
});

test("refusals: aggregations, unknown identifiers, an unmatched pattern, syntax", () => {
  assert.match(refusal(`${SEL}  condition: sel_a | count() > 5`).message, /aggregations/);
  assert.match(refusal(`${SEL}  condition: sel_c`).message, /no search identifier sel_c/);
  assert.match(refusal(`${SEL}  condition: 1 of nothing*`).message, /no search identifier matches/);
  assert.match(refusal(`${SEL}  condition: (sel_a`).message, /not closed/);
  assert.match(refusal(`${SEL}  condition: sel_a and`).message, /ends too early/);
  assert.match(refusal(`${SEL}  condition: sel_a sel_b`).message, /unexpected sel_b/);
  assert.match(refusal(`${SEL}  condition: 2 of sel_*`).message, /only 1 of and all of/);
  for (const r of [refusal(`${SEL}  condition: sel_a | count() > 5`)]) assert.equal(r.kind, "condition");
});

test("a deeply nested condition is refused, not a stack overflow", () => {
  const deep = "(".repeat(5000) + "a" + ")".repeat(5000);
  assert.throws(() => parseCondition(deep, ["a"]), /nested too deeply/);
  const nots = "not ".repeat(5000) + "a";
  assert.throws(() => parseCondition(nots, ["a"]), /nested too deeply/);
});

test("rules are dispatched by the event names their condition needs", () => {
  assert.deepEqual([...compile(`${SEL}  condition: sel_a and not err`).eventNames!], ["a"]);
  assert.deepEqual([...compile(`${SEL}  condition: sel_a or sel_b`).eventNames!].sort(), ["a", "b"]);
  assert.equal(compile(`${SEL}  condition: sel_a or err`).eventNames, undefined);
  assert.equal(compile(`${SEL}  condition: not sel_a`).eventNames, undefined);
  assert.equal(compile("  s:\n    eventName|contains: A\n  condition: s").eventNames, undefined);
  assert.equal(compile("  s:\n    eventName: 'Get*'\n  condition: s").eventNames, undefined);
  assert.deepEqual([...compile(`${SEL}  condition: 1 of sel_*`).eventNames!].sort(), ["a", "b"]);
});
