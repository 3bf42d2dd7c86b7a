// User regexes and globs: linear-time matching on hostile values, the engine each pattern runs on,
// and the JavaScript fast path meaning exactly what RE2 makes of a pattern (a seeded differential test).
import { test } from "node:test";
import assert from "node:assert/strict";
import { RE2JS } from "re2js";
import fc from "fast-check";
import { GlobMatcher, translateRegex, type RegexMatch } from "../../src/check/regex.js";
import { toJsRegex } from "../../src/check/regex-js.js";
import { QueryError } from "../../src/errors.js";
import { Rng } from "../../src/generator/rng.js";

const SPAN = { start: 0, end: 1, line: 1, col: 1 };
const re = (p: string) => translateRegex(p, SPAN).regex;
/** A hostile value: 50 KB of what a catastrophic pattern backtracks over, then a character that fails it. */
const LONG = "a".repeat(50_000) + "!";

test("catastrophic patterns on a 50 KB value give their answers (they would not end on a backtracking engine)", { timeout: 60_000 }, () => {
  const nested = re("(a+)+$");
  assert.equal(nested.engine, "re2");
  assert.equal(nested.test(LONG), false);
  assert.equal(nested.exec(LONG), null);
  assert.deepEqual([...nested.matchAll(LONG)], []);
  assert.equal(nested.test(LONG.slice(0, -1)), true);

  const alternation = re("^(a|aa)*b");
  assert.equal(alternation.engine, "re2");
  assert.equal(alternation.exec(LONG), null);

  // polynomial ones: quadratic and worse on JavaScript's engine
  const stars = re("(?<x>.*)(?<y>.*)(?<z>.*)=");
  assert.equal(stars.exec(LONG), null);
  const unanchored = re("[a-z]+X");
  assert.equal(unanchored.engine, "re2");
  assert.equal(unanchored.test(LONG), false);
  assert.equal(re("\\d+\\.?\\d*$").test("1".repeat(50_000) + "x"), false);

  // a match found after the long run: the groups are right
  const m = re("^(?<run>a+)(?<end>!)$").exec(LONG);
  assert.equal(m?.[1]?.length, 50_000);
  assert.equal(m?.groups?.["g1"], "!"); // named groups are renamed g0, g1... (names may start with @)
  assert.equal(re("(a+)+!").replace(LONG, "<$1>"), "<" + "a".repeat(50_000) + ">");
});

test("a glob matches in linear time and as its backtracking regex does", { timeout: 60_000 }, () => {
  const g = new GlobMatcher("*:*:*:*ZZZ");
  assert.equal(g.exec("a:".repeat(25_000)), null);
  assert.deepEqual([...g.matchAll("a:".repeat(25_000))], []);
  const ok = g.exec("a:".repeat(25_000) + "ZZZ");
  assert.deepEqual(ok && [ok[1], ok[2], ok[3], ok[4]?.length], ["a", "a", "a", 50_000 - 6]);

  // against the regex it stands for, on short texts (where backtracking is harmless)
  const rng = new Rng(7);
  const alphabet = ["a", "b", ":", "ab", "", "*"];
  let compared = 0;
  for (let n = 0; n < 3000; n++) {
    const glob = Array.from({ length: rng.int(1, 5) }, () => rng.pick(alphabet)).join("");
    const text = Array.from({ length: rng.int(0, 12) }, () => rng.pick(["a", "b", ":", "\n"])).join("");
    const g2 = new GlobMatcher(glob);
    const js = new RegExp(g2.source, "s");
    assert.deepEqual(shape(g2.exec(text)), shape(js.exec(text)), `exec ${JSON.stringify(glob)} on ${JSON.stringify(text)}`);
    assert.deepEqual([...g2.matchAll(text)].map(shape), [...text.matchAll(new RegExp(g2.source, "gs"))].map(shape), `matchAll ${JSON.stringify(glob)} on ${JSON.stringify(text)}`);
    compared++;
  }
  assert.equal(compared, 3000);
});

test("the engine: provably linear patterns run on JavaScript, the others on RE2", () => {
  const js = [
    "^(?<tool>[A-Za-z0-9_.-]+)\\/", // the bench's parse
    "^(?<agent>[A-Za-z0-9_.-]+)\\/(?<version>[0-9][0-9.]*)",
    '"Effect":\\s*"Allow"',
    '"cidrIp":"([^"]+)"',
    "User: (\\S+) is not authorized to perform: (\\S+)",
    "arn:aws:(?<svc>[a-z]+)::(?<acct>\\d+):(?<kind>[a-z-]+)\\/(?<who>.+)",
    "(?i)Exception",
    "^(?i)access",
    "Get.*",
    "^[a-zA-Z0-9].*$",
    "2\\d\\d",
    "AccessDenied|Unauthorized",
    "^(?<@octet1>\\d+)\\.",
    "UnauthorizedOperation$",
  ];
  for (const p of js) assert.equal(re(p).engine, "js", p);
  const re2 = [
    "(a+)+$", // nested quantifier
    "(a|a)*", // quantified group
    "[a-z]+X", // unanchored repetition that can start anywhere: quadratic
    "\\d+\\.?\\d*$", // two ways to share the digits
    ".*.*=",
    "(|)(|)x", // alternatives that both take nothing
    "(GetObject|GetBucket)", // alternatives starting alike
    "user=(?<u>.*?), method:(?<m>.*?)", // . takes the , that follows
    "(?m)^a$", // JavaScript ends lines at \r and U+2028 too
    "^(?i)\\w", // JavaScript folds \w under /ui to ſ and K
    "\\pL+",
    "a{2,}a",
  ];
  for (const p of re2) assert.equal(re(p).engine, "re2", p);
});

test("the dialect: RE2 syntax, (?i) and @ group names; lookaround and backreferences are errors at check time", () => {
  const t = translateRegex("^(?i)(?<@who>[a-z]+)-(?P<n>\\d+)", SPAN);
  assert.deepEqual(t.groupNames, ["@who", "n"]);
  assert.deepEqual(t.jsGroupNames, ["g0", "g1"]);
  assert.equal(t.regex.flags, "i");
  assert.equal(t.regex.exec("ALICE-42")?.groups?.["g0"], "ALICE");
  assert.equal(re("a(?i)b").test("aB"), true); // RE2 takes flags anywhere
  assert.equal(re("\\u00e9").test("é"), true); // JavaScript's \uXXXX, read as RE2's \x{XXXX}
  assert.equal(re("[\\s]+").exec("a \u00a0b")?.[0], " "); // RE2's \s: no NO-BREAK SPACE
  for (const [p, why] of [
    ["(?=a)b", "lookahead (?=...) (RE2 syntax has none)"],
    ["(?<!a)b", "lookbehind (?<!...) (RE2 syntax has none)"],
    ["(a)\\1", "the backreference \\1 (RE2 syntax has none)"],
    ["[a-", "missing closing ]: `[a-`"],
    ["(unclosed", "missing closing ): `(unclosed`"],
  ]) {
    assert.throws(() => re(p!), (e: unknown) => e instanceof QueryError && e.message === `this regex can't be used: ${why}`, p);
  }
});

test("regexReplace's template: $1 and \\1, $&, $$, two-digit groups as JavaScript reads them", () => {
  assert.equal(re("(\\d)").replace("a1b22", "<$1\\1$&$$>"), "a<111$>b<222$><222$>");
  assert.equal(re("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)").replace("abcdefghij", "$10|$11"), "j|a1");
  assert.equal(re("x").replace("axb", "[$`|$']"), "a[a|b]b");
  assert.equal(re("z").replace("abc", "Q"), "abc");
  assert.equal(re("(a+)+$").replace("baa", "<$1>"), "b<aa>");
  // a group the regex does not have: $n stays as written, \\n is empty
  assert.equal(re("(b)").replace("abc", "<$2|\\2|$0|$>"), "a<$2||$0|$>c");
});

test("regexReplace's template means what String.replace makes of it, for any template of $ references (property)", () => {
  const patterns = ["x", "(x)", "(x)(y)?", "(x)(y)?(z)?(w)?(v)?(u)?(t)?(s)?(r)?(q)?(p)?"];
  const template = fc.array(fc.constantFrom("$", "$", "&", "`", "'", "0", "1", "2", "9", "a", "<"), { maxLength: 12 }).map((cs) => cs.join(""));
  fc.assert(
    fc.property(fc.constantFrom(...patterns), template, fc.constantFrom("x", "axyb", "xyxx", "zzz"), (p, t, s) => {
      assert.equal(re(p).replace(s, t), s.replace(new RegExp(p, "g"), t), `/${p}/ ${JSON.stringify(t)} over ${JSON.stringify(s)}`);
    }),
    { numRuns: 2000, seed: 7 },
  );
});

// ---- the JavaScript fast path means what RE2 means: patterns from the taken syntax, random texts ----

function shape(m: RegexMatch | RegExpMatchArray | null | undefined): unknown {
  if (!m) return null;
  const groups: (string | undefined)[] = [];
  for (let i = 0; i < m.length; i++) groups.push(m[i]);
  return { index: m.index, groups };
}

function randomPattern(rng: Rng, depth: number): string {
  const atoms = ["a", "b", "c", "A", "K", "-", "\\.", ".", "[ab]", "[^a]", "[a-c]", "\\d", "\\s", "\\S", "\\w", "[\\s-]", "é", "\\x{2a}", "[^\\n]"];
  const quants = ["", "", "", "*", "+", "?", "{2}", "{1,3}", "{2,}", "*?", "+?"];
  const n = rng.int(1, 4);
  let s = "";
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < 0.1 && depth > 0) {
      const alts = Array.from({ length: rng.int(1, 3) }, () => randomPattern(rng, depth - 1));
      s += rng.pick(["(", "(?:", "(?<g9>"]) + alts.join("|") + ")";
    } else if (r < 0.15) s += rng.pick(["^", "$", "\\b"]);
    else s += rng.pick(atoms) + rng.pick(quants);
  }
  return s.replace(/\(\?<g9>/g, () => "(?<g9>"); // one name may repeat: RE2 refuses, the pair is skipped
}

test("where JavaScript runs a pattern, it finds what RE2 finds (seeded differential test)", { timeout: 120_000 }, () => {
  const rng = new Rng(2026);
  const letters = ["a", "b", "c", "A", "B", "k", "K", "\u212a", "s", "\u017f", "-", ".", " ", "\n", "\r", "1", "2", "_", "é", "É", "*", "\u00a0"];
  let taken = 0;
  let compared = 0;
  for (let n = 0; n < 4000; n++) {
    const flags = rng.pick(["", "", "(?i)", "(?s)"]);
    const pattern = flags + randomPattern(rng, 2);
    let r;
    try {
      r = translateRegex(pattern, SPAN).regex;
    } catch {
      continue; // not RE2 syntax (a repeated group name, a bad range): an error at check time
    }
    if (r.engine !== "js") continue;
    taken++;
    const re2 = RE2JS.compile(r.source, (r.flags.includes("i") ? RE2JS.CASE_INSENSITIVE : 0) | (r.flags.includes("s") ? RE2JS.DOTALL : 0));
    for (let k = 0; k < 8; k++) {
      const text = Array.from({ length: rng.int(0, 10) }, () => rng.pick(letters)).join("");
      const what: string = `${JSON.stringify(pattern)} (JS ${JSON.stringify(toJsRegex(r.source, r.flags)?.source)}) on ${JSON.stringify(text)}`;
      assert.deepEqual(shape(r.exec(text)), shape(re2.exec(text) as RegexMatch | null), what);
      assert.equal(r.test(text), re2.test(text), what);
      assert.deepEqual([...r.matchAll(text)].map(shape), [...re2.matchAll(text)].map(shape), what);
      compared++;
    }
  }
  // the test must exercise the fast path: most short patterns are taken
  assert.ok(taken > 1000, `only ${taken} patterns were taken by the JavaScript fast path`);
  assert.ok(compared > 8000);
});
