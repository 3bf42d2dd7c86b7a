// A text written as a string literal (lang/quote.ts: Sigma rules as queries, the web console's
// "+ filter") is read back by the parser as that same text, whatever characters it holds.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseQuery } from "../../src/lang/index.js";
import { quoteString } from "../../src/lang/quote.js";
import { fieldPath, filterFor } from "../../src/ui/page/filter-text.js";

/** The string literals of a parsed query, in order. */
function literals(query: string): string[] {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === "object") {
      const o = n as Record<string, unknown>;
      if (o["kind"] === "string" && typeof o["value"] === "string") out.push(o["value"]);
      for (const [k, v] of Object.entries(o)) if (k !== "span") walk(v);
    }
  };
  walk(parseQuery(query));
  return out;
}

const HOSTILE = ['a"b\\c', "\x1b]0;title\x07", "back\bspace\fform", "line\nend\r\ttab", "\u202eright-to-left\u2066", "\u2028", "\\u0041 stays as written", "'single'", "", "al\u{E0041}ice", "\u{E0000}", "ali\u034fce"];

test("quoteString: the parser reads back the text it quoted, control characters and all", () => {
  for (const s of HOSTILE) assert.deepEqual(literals(`filter eventName = ${quoteString(s)}`), [s], JSON.stringify(s));
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (s) => {
      assert.deepEqual(literals(`filter eventName = ${quoteString(s)}`), [s]);
    }),
    { numRuns: 300 },
  );
});

test("the console's + filter quotes a value so that the filter matches it (JSON's \\u and \\b escapes are not the language's)", () => {
  for (const s of HOSTILE) assert.deepEqual(literals(`fields eventName ${filterFor("userAgent", s)}`), [s], JSON.stringify(s));
  assert.equal(filterFor("userAgent", "ua\x1bx"), '| filter userAgent = "ua\\u001bx"');
});

test("the console's + filter names a field as the parser reads it back, and offers none it can't write or no value matches", () => {
  const pathOf = (query: string): unknown => (parseQuery(query).commands[0] as unknown as { items: { expr: { segments?: string[] } }[] }).items[0]!.expr.segments;
  for (const parts of [["userAgent"], ["requestParameters", "object-lock"], ["not"], ["requestParameters", "a.b"], ["x", "0"], ["requestParameters", "=cmd"], ["a", "é ☃"]]) {
    assert.deepEqual(pathOf(`fields ${fieldPath(parts)!}`), parts, JSON.stringify(parts));
  }
  for (const parts of [["requestParameters", "a`b"], ["requestParameters", "x\n| stats count(*)"], ["@message"]]) assert.equal(fieldPath(parts), undefined, JSON.stringify(parts));
  // a quoted name has no escapes: a key that would act on a terminal or turn the query around is
  // offered no + filter (it would go raw into the query, the history, and the prompt's recall)
  for (const parts of [["requestParameters", "\u001b[31mRED\u001b[0m"], ["a", "\u202e"], ["a", "x\u200by"], ["\u009b2J"]]) assert.equal(fieldPath(parts), undefined, JSON.stringify(parts));
  assert.equal(filterFor("requestParameters.empty", {}), undefined);
  assert.equal(filterFor("requestParameters.list", []), undefined);
});

test("quoteString writes what would act on a terminal or a page as \\uXXXX, and the lexer reads the value back", () => {
  for (const v of ["Bidi\u202eabc", "\x1b[31mRED\x1b[0m", "a\ud800b", "zero\u200bwidth", "c1\u009bx", "tab\there\\x\"q"]) {
    const t = quoteString(v);
    assert.doesNotMatch(t, /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u200b\ud800-\udfff]/, JSON.stringify(t));
    const back = parseQuery(`filter x = ${t}`).commands[0] as { expr: { right: { value: string } } };
    assert.equal(back.expr.right.value, v);
  }
  assert.equal(quoteString("Bidi\u202eabc"), '"Bidi\\u202eabc"');
});
