// The terminal width of text, cutting to a width, and fitting a table to the terminal.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cutToWidth, displayWidth, padToWidth } from "../../src/output/width.js";
import { cellText, fitColumns } from "../../src/output/table.js";

test("display width: East Asian Wide and Fullwidth take 2 columns, marks and joiners 0, emoji 2", () => {
  assert.equal(displayWidth("plain"), 5);
  assert.equal(displayWidth("東京"), 4); // Wide
  assert.equal(displayWidth("ＡＢ"), 4); // Fullwidth
  assert.equal(displayWidth("ｱｲ"), 2); // Halfwidth katakana
  assert.equal(displayWidth("한국어"), 6);
  assert.equal(displayWidth("cafe\u0301"), 4); // a combining acute accent
  assert.equal(displayWidth("😀"), 2); // emoji presentation
  assert.equal(displayWidth("👍🏽"), 2); // a skin tone joins the emoji before it
  assert.equal(displayWidth("👩\u200d💻"), 2); // a ZWJ sequence is one picture
  assert.equal(displayWidth("🇫🇷🇯🇵"), 4); // two flags, regional indicator pairs
  assert.equal(displayWidth("a\u200bb\ufeffc"), 3); // zero-width space, BOM
  assert.equal(displayWidth("é"), 1);
  assert.equal(displayWidth("Ω≈ç"), 3);
  assert.equal(displayWidth(""), 0);
  // a lone surrogate (shown as U+FFFD by visible(), but measured safely anyway)
  assert.equal(displayWidth("a\ud800b"), 3);
});

test("display width stops counting past a limit", () => {
  assert.ok(displayWidth("x".repeat(1000), 10) > 10);
  assert.ok(displayWidth("x".repeat(1000), 10) < 20);
  assert.equal(displayWidth("東京", 10), 4);
});

test("cut to a width: whole characters, an ellipsis, marks kept with their letter", () => {
  assert.equal(cutToWidth("abcdef", 6), "abcdef");
  assert.equal(cutToWidth("abcdefg", 6), "abcde…");
  assert.equal(cutToWidth("東京タワー", 6), "東京…"); // a wide character is not split: 5 columns then …
  assert.equal(displayWidth(cutToWidth("東京タワー", 6)), 5);
  assert.equal(cutToWidth("東京タワー", 10), "東京タワー");
  assert.equal(cutToWidth("e\u0301e\u0301e\u0301e\u0301", 3), "e\u0301e\u0301…");
  assert.equal(cutToWidth("😀😀😀", 4), "😀…");
  assert.equal(cutToWidth("abc", 5, true), "abc…"); // the text goes on past what is held
  assert.equal(cutToWidth("abcdef", 1), "…");
  assert.equal(padToWidth("東京", 6), "東京  ");
  assert.equal(padToWidth("7", 3, true), "  7");
});

test("a 50 MB cell costs what is shown: escaped and cut from its head, never spread into an array", () => {
  const huge = "\x1b[31m" + "東".repeat(25_000_000);
  const before = process.memoryUsage().heapUsed;
  const cell = cellText(huge, 40);
  const grew = process.memoryUsage().heapUsed - before;
  assert.equal(cell, "\\x1b[31m" + "東".repeat(15) + "…");
  assert.equal(displayWidth(cell), 39); // a wide character does not fit the 40th column
  // a spread would have made an array of 25 million strings (gigabytes); a head of the text is all
  assert.ok(grew < 64 * 1024 * 1024, `the heap grew ${grew} bytes`);
  // not on a terminal: every character, escaped
  assert.equal(cellText("a\tb", undefined), "a\\tb");
});

test("fitting a table: the widest columns shrink first, numbers last, nothing under 4 columns", () => {
  // natural: 10 + 80 + 60 + 5 and 3 gaps of 3 = 164
  assert.deepEqual(fitColumns([10, 80, 60, 5], [false, false, false, true], 200), [10, 80, 60, 5]);
  const w = fitColumns([10, 80, 60, 5], [false, false, false, true], 80);
  assert.equal(w.reduce((a, b) => a + b, 0) + 9, 80);
  assert.equal(w[0], 10); // narrower than the cap: untouched
  assert.equal(w[3], 5); // a number keeps its width
  assert.ok(Math.abs(w[1]! - w[2]!) <= 1, `the two wide columns end as wide: ${w}`);
  // too many columns for the terminal: every column at the floor
  assert.deepEqual(fitColumns([30, 30, 30, 30], [false, false, false, false], 10), [4, 4, 4, 4]);
  // the text can't give enough: it goes to the floor first, then the numbers and times share the rest
  // (at 40 columns: a time of 23 and a number of 13 beside two text columns of 10 and 30)
  const narrow = fitColumns([23, 10, 13, 30], [true, false, true, false], 40);
  assert.equal(narrow.reduce((a, b) => a + b, 0) + 9, 40);
  assert.equal(narrow[1], 4);
  assert.equal(narrow[3], 4);
  assert.ok(narrow[0]! >= 11 && narrow[2]! >= 11, `numbers and times keep what text could not give: ${narrow}`);
});
