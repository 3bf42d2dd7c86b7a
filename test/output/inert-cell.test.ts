// A CSV cell a spreadsheet would run as a formula gets a leading ' (output/safe.ts inertCell): also
// when white space, a double quote or a character that shows nothing comes first, which a spreadsheet may
// drop before it reads the cell; also the full-width and small forms of = + - @.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inertCell } from "../../src/output/safe.js";

test("a formula after white space or a double quote is made inert; numbers and plain text are left as they are", () => {
  for (const s of ["=1+1", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", " =1", "  +1+1", "\u00a0=1", "\ufeff=1", "\n=1", "\u2028@x", '"@SUM(1)', '" =cmd|x', "＝cmd", " ＋1", "－2", "＠SUM(A1)", "\u200b=1+1", "\u2060=1", "\u001c=1+1", "\u0085-2+3", "\u180e@x", "﹦cmd", "﹢1", "﹣2", "﹫SUM(A1)"])
    assert.equal(inertCell(s), "'" + s, JSON.stringify(s));
  for (const s of ["-12.5", "+3", " -2", "1e5", "GetObject", "a=b", "", " ", "x@y.com"]) assert.equal(inertCell(s), s, JSON.stringify(s));
  assert.equal(inertCell("\t-2"), "'\t-2", "a tab first is never left, number or not");
});
