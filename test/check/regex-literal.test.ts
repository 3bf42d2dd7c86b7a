// The text every match of a regex holds (regex-literal.ts): read right where it is sure, none where
// it is not, and never a text some match lacks (a property test against RE2 itself).
import { test } from "node:test";
import assert from "node:assert/strict";
import { RE2JS } from "re2js";
import fc from "fast-check";
import { requiredLiteral } from "../../src/check/regex-literal.js";
import { translateRegex } from "../../src/check/regex.js";

test("the longest run of plain characters every match holds", () => {
  const cases: [string, string, string | undefined][] = [
    [".+:assumed-role/aws:.+", "", ":assumed-role/aws:"],
    ["^arn:aws:iam::\\d+:root$", "", "arn:aws:iam::"],
    ["abc*", "", undefined], // ab once c may be left out: too short
    ["abcd?e", "", "abc"],
    ["xab+cdef", "", "cdef"],
    ["a\\.b\\.c", "", "a.b.c"],
    ["(foo|bar)bazz", "", "bazz"],
    ["[a-z]+test[0-9]", "", "test"],
    ["Get(Object|Bucket)Acl", "", "Get"],
    ["kali|parrot", "", undefined], // an alternation at the top: no one text
    ["secret", "i", undefined], // case-insensitive
    ["abc(?i)def", "", undefined], // flags past the start
    ["\\Qa.b\\E", "", undefined],
    ["(\\Q)ab\\.c(\\E)", "", undefined], // quoted inside a group: its ")" is text
    ["ab\\123cd", "", undefined], // octal
    ["abc{", "", undefined], // a brace that is no quantifier: a character in RE2
    ["x{2}yzw", "", "yzw"], // x twice ends its run
    ["hello{0,3}world", "", "world"],
    ["hello{2,}world", "", "hello"],
    ["\\pLword\\p{Greek}", "", "word"],
    ["ab\\x41cd", "", undefined], // \x41 is A, read as no plain character: ab, cd too short
    ["ab\\x{41}cdef", "", "cdef"],
    ["a.b", "s", undefined],
    ["😀abc", "", "abc"],
    ["abc😀*", "", "abc"],
  ];
  for (const [source, flags, want] of cases) {
    assert.equal(requiredLiteral(source, flags), want, `${source} (${flags})`);
  }
});

test("a text some match lacks is never the literal (RE2 decides the matches), whatever the pattern", () => {
  // patterns made of pieces that are all RE2 syntax, texts from the same few characters
  const piece = fc.constantFrom("a", "b", "c", "ab", "abc", ".", "a*", "b+", "c?", "(a|b)", "(ab)+", "[ab]", "[^c]", "a{2}", "b{0,2}", "c{1,}", "\\.", "^", "$", "x", "\\d", "a+?", "(?:bc)*", "|", "(", ")", "\\Q", "\\E");
  const pattern = fc.array(piece, { minLength: 1, maxLength: 10 }).map((p) => p.join(""));
  const text = fc.string({ unit: fc.constantFrom("a", "b", "c", "x", ".", "1"), maxLength: 16 });
  fc.assert(
    fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 20 }), (source, texts) => {
      let re: RE2JS;
      try {
        re = RE2JS.compile(source);
      } catch {
        return true; // not a regex
      }
      const literal = requiredLiteral(source, "");
      if (literal === undefined) return true;
      for (const t of texts) if (re.test(t)) assert.ok(t.includes(literal), `/${source}/ matches ${JSON.stringify(t)}, which lacks ${JSON.stringify(literal)}`);
      return true;
    }),
    { seed: 20261208, numRuns: 3000 },
  );
});

test("a regex skips the texts without its literal and finds the same matches in the others", () => {
  const SPAN = { start: 0, end: 1, line: 1, col: 1 };
  const re = translateRegex(".+:assumed-role/aws:.+", SPAN).regex;
  assert.equal(re.engine, "re2");
  assert.equal(re.test("arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1"), true);
  assert.equal(re.test("arn:aws:sts::1:assumed-role/admin/s"), false);
  assert.equal(re.exec("arn:aws:sts::1:user/x"), null);
  assert.deepEqual([...re.matchAll("no")], []);
  assert.equal(re.exec("a:assumed-role/aws:b")?.[0], "a:assumed-role/aws:b");
});
