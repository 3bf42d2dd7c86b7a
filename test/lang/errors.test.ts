// How a query error prints (QueryError.format): the message on one line, the query's line as a
// terminal shows it, and the caret under the spot, whatever the query holds (tabs, line breaks,
// control characters, wide characters, a very long line).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseQuery } from "../../src/lang/index.js";
import { buildPlan } from "../../src/plan/build.js";
import { QueryError, quoteText, showLine } from "../../src/errors.js";

function printed(q: string): string[] {
  try {
    buildPlan(parseQuery(q), { now: 0 });
  } catch (e) {
    if (e instanceof QueryError) return e.format(q).split("\n");
    throw e;
  }
  assert.fail(`expected an error for ${JSON.stringify(q)}`);
}

test("tabs print as spaces to the next multiple of 4, and the caret follows them", () => {
  assert.deepEqual(printed("fields\ta,\t@timestmp"), [
    "error: 1:11: unknown system field `@timestmp`",
    "1 | fields  a,  @timestmp",
    "                ^^^^^^^^^",
    "hint: did you mean `@timestamp`?",
  ]);
  assert.deepEqual(printed("filter\tx = 1 and\ty ="), [
    'error: 1:21: expected an expression after "=" but found the end of the query',
    "1 | filter  x = 1 and   y =",
    "                           ^",
  ]);
});

test("a CRLF line ends without its CR; a control character prints escaped, the caret under all of it", () => {
  assert.deepEqual(printed("fields a\r\n| stast b").slice(0, 3), [
    'error: 2:3: expected a command (fields, filter, stats, sort, limit, parse, dedup, display, ...) but found "stast"',
    "2 | | stast b",
    "      ^^^^^",
  ]);
  assert.deepEqual(printed("fields a\u001b[31m b"), [
    'error: 1:9: unexpected character "\\u001b"',
    "1 | fields a\\u001b[31m b",
    "            ^^^^^^",
  ]);
});

test("a line ends at CR alone, the line and paragraph separators, NEL, VT and FF too: a # comment stops there, and an error's line and column count them", () => {
  for (const br of ["\r", "\u2028", "\u2029", "\u0085", "\v", "\f", "\r\n", "\n"]) {
    const q = `filter eventSource = "s3.amazonaws.com" # only s3${br}| stats count(*) by eventName`;
    assert.deepEqual(parseQuery(q).commands.map((c) => c.kind), ["filter", "stats"], JSON.stringify(br));
    assert.deepEqual(printed(`fields a${br}| sort a${br}| stast b`).slice(0, 3), [
      'error: 3:3: expected a command (fields, filter, stats, sort, limit, parse, dedup, display, ...) but found "stast"',
      "3 | | stast b",
      "      ^^^^^",
    ], JSON.stringify(br));
  }
});

test("a token spanning lines is quoted with its line break escaped: the message stays on one line", () => {
  assert.deepEqual(printed('fields a "x\ny" b'), [
    'error: 1:10: unexpected ""x\\ny"": expected "|" before the next command, or an operator',
    '1 | fields a "x',
    "             ^^",
  ]);
});

test("wide characters take two columns, as in a terminal", () => {
  assert.deepEqual(printed('fields "日本語", 😀x'), [
    'error: 1:15: unexpected character "😀"',
    '1 | fields "日本語", 😀x',
    //           the caret: 7 + 8 columns ("日本語" is 3 wide characters in quotes) + ", "
    "                     ^^",
  ]);
});

test("a long line is cut around the caret, which stays under its place", () => {
  const q = "fields " + "a, ".repeat(80) + "@timestmp, " + "b, ".repeat(80) + "c";
  const [message, line, caret] = printed(q);
  assert.equal(message, "error: 1:248: unknown system field `@timestmp`");
  assert.match(line!, /^1 \| …(a, )+@timestmp, (b, )+b,…$/);
  assert.ok(line!.length < 120, `${line!.length} characters`);
  assert.equal(caret!.indexOf("^"), line!.indexOf("@timestmp"));
  assert.equal(caret!.trim(), "^".repeat("@timestmp".length));
});

test("a message quotes at most 60 characters of the query", () => {
  const [message] = printed(`fields a "${"y".repeat(200)}"`);
  assert.equal(message, `error: 1:10: unexpected "\"${"y".repeat(58)}…": expected "|" before the next command, or an operator`);
  assert.equal(quoteText("a\tb\u2028c\u202e"), '"a\\tb\\u2028c\\u202e"');
  // a surrogate pair is not cut in half
  assert.equal(quoteText("x".repeat(58) + "😀😀", 60), `"${"x".repeat(58)}…"`);
});

test("a span past the line's end (the end of the query) puts the caret after the last character", () => {
  assert.deepEqual(showLine("filter x =", 10, 11), { text: "filter x =", caret: 10, width: 1 });
  assert.deepEqual(showLine("a\tb", 2, 3), { text: "a   b", caret: 4, width: 1 });
});
