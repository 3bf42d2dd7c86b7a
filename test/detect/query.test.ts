// Each rule as a query: hostile rule text stays data (strings, regexes, names, titles), the query
// finds what detect finds on the fixture events, and the printed forms of every modifier.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../bin.js";
import { loadRuleText } from "../../src/detect/load.js";
import { ruleQuery, printRegex, printField } from "../../src/detect/query.js";
import { quoteString } from "../../src/lang/quote.js";
import { prepareDetection } from "../../src/detect/index.js";
import { parseQuery } from "../../src/lang/index.js";
import { compile, ruleYaml } from "./helpers.js";
import { RuleRefusal } from "../../src/detect/refusal.js";
import { queryFinds, readEvents, ruleFinds } from "./equivalence.js";

const DIR = join(ROOT, "fixtures", "detect");

function query(detection: string, extra = ""): string {
  const { docs, problems } = loadRuleText(ruleYaml(detection, extra), "t.yml");
  assert.deepEqual(problems, []);
  const d = docs[0]!;
  assert.equal(d.kind, "detection");
  return ruleQuery(d.kind === "detection" ? d.rule : (undefined as never));
}

const filterLine = (q: string): string => q.split("\n").find((l) => l.startsWith("filter "))!;

test("each modifier's query form", () => {
  assert.equal(filterLine(query("  s:\n    eventName: StopLogging\n  condition: s")), "filter eventName like /(?is)^StopLogging$/");
  assert.equal(filterLine(query("  s:\n    requestParameters.name|contains: trail\n  condition: s")), "filter requestParameters.name like /(?is)^.*trail.*$/ or jsonStringify(requestParameters.name) like /(?is)^.*trail.*$/");
  assert.equal(filterLine(query("  s:\n    userAgent|startswith|cased: Boto\n  condition: s")), "filter userAgent like /(?s)^Boto.*$/");
  assert.equal(filterLine(query("  s:\n    errorCode: null\n  condition: s")), "filter not (ispresent(errorCode))");
  assert.equal(filterLine(query("  s:\n    errorCode|exists: true\n  condition: s")), "filter ispresent(errorCode)");
  assert.equal(filterLine(query("  s:\n    userAgent|re|i: 'kali|parrot'\n  condition: s")), "filter userAgent like /(?i)kali|parrot/ or jsonStringify(userAgent) like /(?i)kali|parrot/");
  assert.equal(filterLine(query("  s:\n    sourceIPAddress|cidr: 10.0.0.0/8\n  condition: s")), 'filter isIpInSubnet(sourceIPAddress, "10.0.0.0/8")');
  assert.equal(filterLine(query("  s:\n    requestParameters.maxCount|gte: 10\n  condition: s")), "filter requestParameters.maxCount >= 10");
  assert.equal(filterLine(query("  s:\n    a|fieldref: b\n  condition: s")), "filter tolower(a) = tolower(b)");
  assert.equal(filterLine(query("  s:\n    readOnly: false\n  condition: s")), "filter readOnly like /(?is)^false$/ or readOnly = false");
  assert.equal(filterLine(query("  s:\n    eventName|neq: A\n  condition: s")), "filter not (eventName like /(?is)^A$/)");
  assert.equal(filterLine(query("  k:\n    - evil\n  condition: k")), "filter @message like /(?is)^.*evil.*$/");
  assert.equal(filterLine(query("  a:\n    eventName: A\n  b:\n    eventName: B\n  c:\n    errorCode: x\n  condition: (a or b) and not c")), "filter (eventName like /(?is)^A$/ or eventName like /(?is)^B$/) and not (errorCode like /(?is)^x$/)");
});

test("an empty selection or list is refused by the query as detect refuses it (it printed filter 1 = 1: every event)", () => {
  for (const [detection, why] of [
    ["  s: {}\n  condition: s", /s: an empty selection/],
    ["  s:\n    - {}\n    - eventName: A\n  condition: s", /s: an empty selection/],
    ["  s: []\n  condition: s", /s: an empty list/],
    ["  s:\n    eventName: A\n  f: {}\n  condition: s and not f", /f: an empty selection/],
  ] as const) {
    assert.throws(() => query(detection), (e: unknown) => e instanceof RuleRefusal && why.test(e.message), detection);
    assert.throws(() => compile(detection), why, detection);
  }
});

test("a rule's text stays data: quotes, slashes, pipes and newlines cannot change the query", () => {
  const q = query("  s:\n    userAgent: 'x\" | stats count(*) as pwned | filter \"'\n    requestParameters.path|contains: '/etc/passwd/ | fields x'\n  condition: s", "");
  const parsed = parseQuery(q);
  assert.deepEqual(parsed.commands.map((c) => c.kind), ["filter", "fields"]);
  const events = [{ userAgent: 'x" | stats count(*) as pwned | filter "', requestParameters: { path: "a/etc/passwd/ | fields xz" } }, { userAgent: "x" }];
  assert.deepEqual(queryFinds(q, events), [0]);
});

test("a hostile title, id or author is one comment line", () => {
  const { docs } = loadRuleText("title: \"T\\n| stats count(*) as pwned\\rx\"\nid: \"i\\nfilter 1=0\"\nauthor: \"a\\u2028b\"\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    eventName: A\n  condition: s\n", "t.yml");
  const d = docs[0]!;
  const q = ruleQuery(d.kind === "detection" ? d.rule : (undefined as never));
  assert.deepEqual(parseQuery(q).commands.map((c) => c.kind), ["filter", "fields"]);
  assert.match(q, /^# Sigma: T \| stats count\(\*\) as pwned x \(i filter 1=0\)$/m);
});

test("printing: strings, regexes with slashes and escapes, names that need backticks", () => {
  assert.equal(quoteString('a"b\\c\nd'), '"a\\"b\\\\c\\nd"');
  assert.equal(printRegex("a/b\\/c", "i"), "/(?i)a\\/b\\/c/");
  // a line break or a bidi override is written by its code: the printed query stays one line, in order
  assert.equal(printRegex("^x$|y\n| filter eventName = \"N\"\\\n\u202e😀", ""), "/^x$|y\\x{a}| filter eventName = \"N\"\\x{a}\\x{202e}😀/");
  assert.deepEqual(queryFinds(`filter userAgent like ${printRegex("^a\\\nb\u202ec$", "")}`, [{ userAgent: "a\nb\u202ec" }, { userAgent: "ab\u202ec" }]), [0]);
  assert.throws(() => printField("@message"), /@ names are the query language's own fields/);
  assert.equal(printField("requestParameters.instancesSet.items"), "requestParameters.instancesSet.items");
  assert.equal(printField("a.some-name.b"), "a.`some-name`.b");
  assert.equal(printField("not"), "`not`");
  assert.throws(() => printField("a.b`c"), /cannot be written/);
});

test("every fixture rule's query finds the events detect finds, but for a field reached through a list", async () => {
  const p = prepareDetection({ rules: [join(DIR, "rules")], bundled: false, now: 0 });
  const events = await readEvents([join(DIR, "events.jsonl")]);
  let compared = 0;
  for (const r of p.sigma) {
    const q = ruleQuery(r.rule);
    const mine = ruleFinds(r, events);
    const theirs = queryFinds(q, events);
    if (r.ruleId === "fx-instance-array") {
      // detect looks into each element of requestParameters.instancesSet.items; a query reads no list
      assert.deepEqual(mine, [9]);
      assert.deepEqual(theirs, []);
      continue;
    }
    assert.deepEqual(theirs, mine, `${r.title}\n${q}`);
    compared++;
  }
  assert.equal(compared, 15);
});

test("case-insensitive matching folds as the query's (?i) does: Greek sigma in any position, the long s, the micro sign, the ypogegrammeni, İ only itself", () => {
  // 7-9: the micro sign and the Greek mu; 10-11: the combining ypogegrammeni and iota (each pair one letter to the regex engine)
  const events = [{ key: "ΟΔΟΣΤ" }, { key: "οδοσ" }, { key: "ΟΔΟΣ" }, { key: "οδοτ" }, { key: "xſy" }, { key: "xİy" }, { key: "xiy" }, { key: "5µm" }, { key: "5μm" }, { key: "5Μm" }, { key: "x\u0345y" }, { key: "xΙy" }];
  for (const [detection, expected] of [
    ["  s:\n    key|contains: 'ΟΔΟΣ'\n  condition: s", [0, 1, 2]],
    ["  s:\n    key: 'οδος'\n  condition: s", [1, 2]],
    ["  s:\n    key|contains: 's'\n  condition: s", [4]],
    ["  s:\n    key|contains: 'i'\n  condition: s", [6]],
    ["  s:\n    key|contains: 'İ'\n  condition: s", [5]],
    ["  k:\n    - 'οδος'\n  condition: k", [0, 1, 2]],
    ["  s:\n    key|contains: 'μm'\n  condition: s", [7, 8, 9]],
    ["  s:\n    key|contains: 'µm'\n  condition: s", [7, 8, 9]],
    ["  s:\n    key|contains: 'xιy'\n  condition: s", [10, 11]],
  ] as const) {
    assert.deepEqual(ruleFinds(compile(detection), events), expected, `detect: ${detection}`);
    assert.deepEqual(queryFinds(query(detection), events), expected, `query: ${detection}`);
  }
});

test("a field path through a list's index reads that element, in detect as in the query (resources.0.ARN)", () => {
  const events = [{ resources: [{ ARN: "arn:first" }, { ARN: "arn:second" }] }, { resources: [{ ARN: "arn:second" }] }, { resources: [] }];
  for (const [detection, expected] of [
    ["  s:\n    resources.0.ARN: 'arn:first'\n  condition: s", [0]],
    ["  s:\n    resources.1.ARN: 'arn:second'\n  condition: s", [0]],
    ["  s:\n    resources.0.ARN: 'arn:second'\n  condition: s", [1]],
    ["  s:\n    resources.2.ARN|exists: true\n  condition: s", []],
  ] as const) {
    assert.deepEqual(ruleFinds(compile(detection), events), expected, `detect: ${detection}`);
    assert.deepEqual(queryFinds(query(detection), events), expected, `query: ${detection}`);
  }
});
