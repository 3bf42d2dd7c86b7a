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

test("rowJsonText gives JSON.stringify's text of the row object, whatever the values and names", async () => {
  const { rowJsonText, rowObject } = await import("../../src/output/json.js");
  const cols = (names: string[]) => names.map((name, i) => ({ name, type: (i === 0 ? "time" : "any") as never, expr: undefined as never }));
  const rows: unknown[][] = [
    [Date.UTC(2026, 0, 2), "a\"b\\c\u2028", 1.5, null, { k: [1, "x"] }],
    [undefined, NaN, true, -0, "ü"],
    [null, undefined, null, undefined, null],
    // strings JSON.stringify escapes (controls, quote, backslash, lone surrogates) and ones it keeps
    [0, "tab\there\u0001\u001f", "plain GetObject", "😀 pair", "lone \ud800 high"],
    [1, "lone \udc00 low", "\u007f del, \u2029", "", "ends with \\"],
  ];
  for (const names of [["@timestamp", "eventName", "n", "absent", "m"], ["t", "2", "x", "x", "10"]]) {
    const text = rowJsonText(cols(names));
    for (const r of rows) assert.equal(text(r), JSON.stringify(rowObject(cols(names), r)), `${names} ${JSON.stringify(r)}`);
  }
});

test("the table sizes its columns over every row, however many (a million-row stream once overflowed the stack)", () => {
  let text = "";
  const out = { write: (s: string) => void (text += s), flush: () => {} };
  const cols = [{ name: "n", type: "any" }, { name: "name", type: "any" }] as never;
  const w = FORMATS["table"]!(cols, out as never, { maxCellWidth: 40 } as never);
  const n = 300_000;
  for (let i = 0; i < n; i++) w.row([i, i === n - 1 ? "the longest name of all" : "x"]);
  w.end();
  const lines = text.split("\n");
  assert.equal(lines.length, n + 3);
  assert.equal(lines[0], "     n │ name");
  assert.equal(lines[2], "     0 │ x");
  assert.equal(lines[n + 1], "299999 │ the longest name of all");
});
