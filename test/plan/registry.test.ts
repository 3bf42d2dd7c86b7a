// The registry of generic commands' planners: one planner for each command word the parser reads as
// generic, and none for a word it does not.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GENERIC_COMMANDS } from "../../src/lang/lexer.js";
import { parseQuery } from "../../src/lang/index.js";
import { GENERIC_PLANNERS } from "../../src/plan/commands/index.js";

test("every generic command word has a planner, under its lower-case name", () => {
  assert.deepEqual([...GENERIC_PLANNERS.keys()].sort(), GENERIC_COMMANDS.map((w) => w.toLowerCase()).sort());
});

test("the name the parser gives a generic command finds its planner, however it is written", () => {
  for (const word of GENERIC_COMMANDS) {
    for (const written of [word, word.toUpperCase()]) {
      const cmd = parseQuery(written).commands[0]!;
      assert.equal(cmd.kind, "generic", written);
      assert.ok(cmd.kind === "generic" && GENERIC_PLANNERS.has(cmd.name.toLowerCase()), written);
    }
  }
});
