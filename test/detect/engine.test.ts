// The hand-written rules of fixtures/detect/rules over fixtures/detect/events.jsonl: exactly the
// findings each rule should give (correlations included), the rules not run with their reasons,
// one pass over the input whatever the number of rules, and the bundled templates beside them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { rmSync, statSync, writeFileSync } from "node:fs";
import { tempDir } from "../temp.js";
import { ROOT } from "../bin.js";
import { prepareDetection } from "../../src/detect/index.js";
import { Detector } from "../../src/detect/engine.js";

const DIR = join(ROOT, "fixtures", "detect");
const EVENTS = join(DIR, "events.jsonl");
const RULES = join(DIR, "rules");
const NOW = Date.parse("2026-12-05T00:00:00Z");

function pairs(findings: { rule: { ruleId: string }; event: { eventID: string | null } }[]): string[] {
  return findings.map((f) => `${f.rule.ruleId} ${f.event.eventID}`).sort();
}

test("every fixture rule finds exactly its events", async () => {
  const p = prepareDetection({ rules: [RULES], bundled: false, now: NOW });
  const warnings: string[] = [];
  const r = await p.detector.run([EVENTS], { warn: (m) => warnings.push(m) });
  assert.deepEqual(warnings, []);
  assert.deepEqual(pairs(r.findings), [
    "fx-corr-login d-3",
    "fx-corr-recon d-6",
    "fx-corr-secrets d-18",
    "fx-corr-temporal d-16",
    "fx-gpu d-15",
    "fx-instance-array d-10",
    "fx-kali d-5",
    "fx-key-other d-7",
    "fx-keywords d-13",
    "fx-keywords d-19",
    "fx-list-buckets d-6",
    "fx-login-no-mfa d-4",
    "fx-long-session d-14",
    "fx-public-bucket d-9",
    "fx-root-v6 d-13",
    "fx-trail d-13",
    "fx-userdata d-12",
    "fx-whoami d-5",
  ].sort());
  assert.equal(r.events, 19);
  // the rules only correlations use (generate: false, the default) show no findings of their own
  assert.ok(!r.findings.some((f) => ["fx-login-failure", "fx-secret-read", "fx-unauth-describe"].includes(f.rule.ruleId)));
  assert.equal(r.eventsWithFinding, new Set(r.findings.map((f) => f.event.eventID)).size);
  // the timeline is in time order
  const times = r.findings.map((f) => f.event.time);
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
});

test("correlation findings say what made them fire", async () => {
  const p = prepareDetection({ rules: [RULES], bundled: false, now: NOW });
  const r = await p.detector.run([EVENTS], { warn: () => {} });
  const detail = (id: string): string | undefined => r.findings.find((f) => f.rule.ruleId === id)?.detail;
  assert.equal(detail("fx-corr-login"), "3 events by sourceIPAddress=\"198.51.100.7\" within 5m");
  assert.equal(detail("fx-corr-secrets"), "3 distinct requestParameters.secretId by sourceIPAddress=\"203.0.113.9\" within 1h");
  assert.equal(detail("fx-corr-recon"), "in order: Who am I → Bucket listing by userIdentity.arn=\"arn:aws:iam::111122223333:user/mallory\" within 10m");
  assert.equal(detail("fx-corr-temporal"), "Unauthorized describe calls and Secret read by sourceIPAddress=\"203.0.113.9\" within 1h");
});

test("a temporal correlation whose condition asks fewer than all its rules names only those that matched", async () => {
  const dir = tempDir("temporal-detail");
  try {
    const rule = (name: string): string => `title: ${name}\nname: ${name}\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  sel:\n    eventName: ${name}\n  condition: sel\n`;
    const correlation = "title: two of three\ncorrelation:\n  type: temporal\n  rules: [A, B, C]\n  group-by: [sourceIPAddress]\n  timespan: 10m\n  condition: {gte: 2}\n";
    writeFileSync(join(dir, "rules.yml"), [rule("A"), rule("B"), rule("C"), correlation].join("---\n"));
    const event = (name: string, minute: number): string => JSON.stringify({ eventTime: `2026-11-01T00:0${minute}:00Z`, eventSource: "x.amazonaws.com", eventName: name, eventID: `q${minute}`, sourceIPAddress: "1.1.1.1" });
    writeFileSync(join(dir, "events.jsonl"), `${event("A", 0)}\n${event("B", 1)}\n`);
    const p = prepareDetection({ rules: [join(dir, "rules.yml")], bundled: false, now: NOW });
    const r = await p.detector.run([join(dir, "events.jsonl")], { warn: () => {} });
    // C never matched: the detail said A → B → C
    assert.deepEqual(r.findings.filter((f) => f.rule.title === "two of three").map((f) => f.detail), ["A and B (2 of 3 rules) by sourceIPAddress=\"1.1.1.1\" within 10m"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("correlations: temporal_ordered counts the rules matched in their order; a group fires again once its window emptied; an event without the value_count fields has no value; a timespan of 0 is refused", async () => {
  const dir = tempDir("correlation-edges");
  try {
    const rule = (name: string): string => `title: ${name}\nname: ${name}\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  sel:\n    eventName: ${name}\n  condition: sel\n`;
    const corr = (title: string, body: string): string => `title: ${title}\ncorrelation:\n${body}`;
    writeFileSync(join(dir, "rules.yml"), [
      rule("A"), rule("B"), rule("C"),
      corr("ordered two", "  type: temporal_ordered\n  rules: [A, B, C]\n  group-by: [sourceIPAddress]\n  timespan: 5m\n  condition: {gte: 2}\n"),
      corr("any A", "  type: event_count\n  rules: [A]\n  group-by: [sourceIPAddress]\n  timespan: 5m\n  condition: {gte: 1}\n"),
      corr("two values", "  type: value_count\n  rules: [A]\n  group-by: [sourceIPAddress]\n  timespan: 5m\n  condition: {field: [userName, userAgent], gte: 2}\n"),
      corr("no time", "  type: event_count\n  rules: [A]\n  timespan: 0s\n  condition: {gte: 1}\n"),
    ].join("---\n"));
    const event = (id: string, time: string, name: string, ip: string, extra: Record<string, string> = {}): string => JSON.stringify({ eventTime: time, eventSource: "x.amazonaws.com", eventName: name, eventID: id, sourceIPAddress: ip, ...extra });
    writeFileSync(join(dir, "events.jsonl"), [
      // in order: A then B (1.1.1.1), B then C (2.2.2.2); C then A is not in order (3.3.3.3)
      event("a1", "2026-11-01T10:00:00Z", "A", "1.1.1.1", { userName: "bob", userAgent: "cli" }),
      event("b1", "2026-11-01T10:01:00Z", "B", "1.1.1.1"),
      event("b2", "2026-11-01T10:00:00Z", "B", "2.2.2.2"),
      event("c2", "2026-11-01T10:01:00Z", "C", "2.2.2.2"),
      event("c3", "2026-11-01T10:00:00Z", "C", "3.3.3.3"),
      event("a3", "2026-11-01T10:01:00Z", "A", "3.3.3.3"),
      // hours later, 1.1.1.1 again: its window emptied in between; this A has neither value field
      event("a4", "2026-11-01T15:00:00Z", "A", "1.1.1.1"),
      // no time: in no window, and said so
      JSON.stringify({ eventSource: "x.amazonaws.com", eventName: "A", eventID: "n1", sourceIPAddress: "1.1.1.1" }),
    ].join("\n") + "\n");
    const p = prepareDetection({ rules: [join(dir, "rules.yml")], bundled: false, now: NOW });
    assert.ok(p.notRun.some((n) => /no time/.test(n.rule) && /a window must last some time/.test(n.reason)), JSON.stringify(p.notRun));
    const warnings: string[] = [];
    const r = await p.detector.run([join(dir, "events.jsonl")], { warn: (m) => warnings.push(m) });
    assert.ok(warnings.includes("correlation any A: 1 match of events without a usable eventTime is in no window: left out"), warnings.join("\n"));
    const fired = (title: string): string[] => r.findings.filter((f) => f.rule.title === title).map((f) => String(f.event.eventID));
    assert.deepEqual(fired("ordered two").sort(), ["b1", "c2"]);
    assert.deepEqual(fired("any A").sort(), ["a1", "a3", "a4"]);
    assert.deepEqual(fired("two values"), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("temporal_ordered: one event two rules find is one step, not a sequence; events of one second are in order whichever the file writes first; value_count counts each element of a list", async () => {
  const dir = tempDir("correlation-ordered");
  try {
    writeFileSync(join(dir, "rules.yml"), [
      "title: Get object\nname: get\nlogsource: {product: aws, service: cloudtrail}\ndetection: {sel: {eventName: GetObject}, condition: sel}\n",
      "title: S3 read\nname: read\nlogsource: {product: aws, service: cloudtrail}\ndetection: {sel: {eventSource: s3.amazonaws.com, readOnly: true}, condition: sel}\n",
      "title: Put object\nname: put\nlogsource: {product: aws, service: cloudtrail}\ndetection: {sel: {eventName: PutObject}, condition: sel}\n",
      "title: get then read\ncorrelation: {type: temporal_ordered, rules: [get, read], group-by: [sourceIPAddress], timespan: 5m}\n",
      "title: read then get\ncorrelation: {type: temporal_ordered, rules: [read, get], group-by: [sourceIPAddress], timespan: 5m}\n",
      "title: put then get\ncorrelation: {type: temporal_ordered, rules: [put, get], group-by: [sourceIPAddress], timespan: 5m}\n",
      "title: two resources\ncorrelation: {type: value_count, rules: [get], group-by: [sourceIPAddress], timespan: 5m, condition: {field: resources.ARN, gte: 2}}\n",
      "title: put get read\ncorrelation: {type: temporal_ordered, rules: [put, get, read], group-by: [sourceIPAddress], timespan: 5m}\n",
    ].join("---\n"));
    const ev = (id: string, name: string, ip: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ eventTime: "2026-11-01T10:00:00Z", eventSource: "s3.amazonaws.com", eventName: name, readOnly: name !== "PutObject", eventID: id, sourceIPAddress: ip, ...extra });
    const arns = (...a: string[]): Record<string, unknown> => ({ resources: a.map((ARN) => ({ ARN })) });
    writeFileSync(join(dir, "events.jsonl"), [
      // one GetObject: both get and read find it
      ev("alone", "GetObject", "1.1.1.1", arns("x")),
      // get written before put, in the same second: put then get still holds
      ev("get2", "GetObject", "2.2.2.2", arns("x", "y")),
      ev("put2", "PutObject", "2.2.2.2"),
      // two gets of the same two resources: two values, not one list
      ev("get3", "GetObject", "3.3.3.3", arns("a", "b")),
      ev("get3b", "GetObject", "3.3.3.3", arns("a", "b")),
      // a put, then in one second a GetObject (get and read) and a ListObjects (read), in both orders: put, get, read either way
      ev("put5", "PutObject", "5.5.5.5", { eventTime: "2026-11-01T09:59:50Z" }),
      ev("get5", "GetObject", "5.5.5.5"),
      ev("list5", "ListObjects", "5.5.5.5"),
      ev("put6", "PutObject", "6.6.6.6", { eventTime: "2026-11-01T09:59:50Z" }),
      ev("list6", "ListObjects", "6.6.6.6"),
      ev("get6", "GetObject", "6.6.6.6"),
      // a put, a GetObject, then a GetObject alone in its second that both get and read find: its read ends put, get, read
      ev("put7", "PutObject", "7.7.7.7", { eventTime: "2026-11-01T09:59:50Z" }),
      ev("get7a", "GetObject", "7.7.7.7", { eventTime: "2026-11-01T09:59:55Z" }),
      ev("get7b", "GetObject", "7.7.7.7"),
    ].join("\n") + "\n");
    const p = prepareDetection({ rules: [join(dir, "rules.yml")], bundled: false, now: NOW });
    const r = await p.detector.run([join(dir, "events.jsonl")], { warn: () => {} });
    const fired = (title: string): string[] => r.findings.filter((f) => f.rule.title === title).map((f) => String(f.event.eventID)).sort();
    // one event that both rules find is no sequence in either order (1.1.1.1, and 2.2.2.2, whose put is no read); 3.3.3.3's two gets
    // are, and so are 5.5.5.5's and 6.6.6.6's get and list of one second (found at the second of them)
    assert.deepEqual(fired("get then read"), ["get3b", "get6", "get7b", "list5"]);
    assert.deepEqual(fired("read then get"), ["get3b", "get6", "get7b", "list5"]);
    // found at the match that completed it as read: the put, written after the get of its second
    assert.deepEqual(fired("put then get"), ["get5", "get6", "get7a", "put2"]);
    assert.deepEqual(fired("two resources"), ["get2", "get3"]);
    assert.deepEqual(fired("put get read"), ["get6", "get7b", "list5"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("temporal_ordered over events of one second: the least rule a chain of each length can end with, from any order (not one order kept), however many events", async () => {
  const dir = tempDir("correlation-ties");
  try {
    const rule = (name: string, names: string[]): string => `title: ${name}\nname: ${name}\nlogsource: {product: aws, service: cloudtrail}\ndetection: {sel: {eventName: [${names.join(", ")}]}, condition: sel}\n`;
    writeFileSync(join(dir, "rules.yml"), [
      rule("A", ["nAC", "nAD"]), rule("B", ["nB", "nBC"]), rule("C", ["nAC", "nBC"]), rule("D", ["nAD"]),
      rule("R", ["ListBuckets"]), rule("H", ["HeadBucket"]), rule("G", ["GetObject"]),
      "title: A B C D\ncorrelation: {type: temporal_ordered, rules: [A, B, C, D], group-by: [sourceIPAddress], timespan: 10m}\n",
      "title: R H G\ncorrelation: {type: temporal_ordered, rules: [R, H, G], group-by: [sourceIPAddress], timespan: 10m}\n",
    ].join("---\n"));
    const ev = (id: string, time: string, name: string, ip: string): string => JSON.stringify({ eventTime: `2026-11-01T${time}Z`, eventSource: "s3.amazonaws.com", eventName: name, eventID: id, sourceIPAddress: ip });
    writeFileSync(join(dir, "events.jsonl"), [
      // an earlier B must not hide A (10:00:01) -> B (same second) -> C -> D
      ev("e0", "10:00:00", "nB", "1.1.1.1"),
      ev("e1", "10:00:01", "nAD", "1.1.1.1"), ev("e2", "10:00:01", "nBC", "1.1.1.1"),
      ev("e3", "10:00:02", "nAC", "1.1.1.1"), ev("e4", "10:00:02", "nAD", "1.1.1.1"),
      // seven events of one second: five ListBuckets, a HeadBucket, a GetObject
      ...[1, 2, 3, 4, 5].map((k) => ev(`r${k}`, "10:00:00", "ListBuckets", "2.2.2.2")),
      ev("h", "10:00:00", "HeadBucket", "2.2.2.2"), ev("g", "10:00:00", "GetObject", "2.2.2.2"),
    ].join("\n") + "\n");
    const p = prepareDetection({ rules: [join(dir, "rules.yml")], bundled: false, now: NOW });
    const r = await p.detector.run([join(dir, "events.jsonl")], { warn: () => {} });
    const fired = (title: string): string[] => r.findings.filter((f) => f.rule.title === title).map((f) => String(f.event.sourceIP));
    assert.deepEqual(fired("A B C D"), ["1.1.1.1"]);
    assert.deepEqual(fired("R H G"), ["2.2.2.2"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("correlations past a thousand groups: a late file's match of a group let go is left out and said, not judged alone (the count of one group does not depend on how many others there are)", async () => {
  const dir = tempDir("correlation-pruned");
  try {
    writeFileSync(join(dir, "rules.yml"), [
      "title: Get\nname: get\nlogsource: {product: aws, service: cloudtrail}\ndetection: {sel: {eventName: GetObject}, condition: sel}\n",
      "title: two gets\ncorrelation: {type: event_count, rules: [get], group-by: [sourceIPAddress], timespan: 1h, condition: {gte: 2}}\n",
      "title: one get\ncorrelation: {type: event_count, rules: [get], group-by: [sourceIPAddress], timespan: 1h, condition: {lt: 2}}\n",
    ].join("---\n"));
    const ev = (id: string, time: string, name: string, ip: string): Record<string, unknown> => ({ eventTime: time, eventSource: "s3.amazonaws.com", eventName: name, eventID: id, sourceIPAddress: ip });
    const file = (stamp: string, events: Record<string, unknown>[]): void => writeFileSync(join(dir, `111122223333_CloudTrail_us-east-1_${stamp}_x${stamp}.json`), JSON.stringify({ Records: events }));
    const others = Array.from({ length: 1100 }, (_, i) => ev(`o${i}`, "2024-05-01T10:00:00Z", "GetObject", `10.${i >> 8}.${i & 255}.1`));
    file("20240501T1005Z", [...others, ev("first", "2024-05-01T10:00:00Z", "GetObject", "7.7.7.7")]);
    file("20240501T1300Z", [ev("later", "2024-05-01T12:30:00Z", "PutObject", "6.6.6.6")]);
    // delivered hours late: its match belongs with "first", 30 s before it
    file("20240501T1400Z", [ev("late", "2024-05-01T10:00:30Z", "GetObject", "7.7.7.7")]);
    const p = prepareDetection({ rules: [join(dir, "rules.yml")], bundled: false, now: NOW });
    const warnings: string[] = [];
    const r = await p.detector.run([dir], { warn: (m) => warnings.push(m) });
    const of = (title: string): string[] => r.findings.filter((f) => f.rule.title === title && f.event.sourceIP === "7.7.7.7").map((f) => String(f.event.eventID));
    assert.deepEqual(of("one get"), ["first"], "the late match is not judged as a window of one");
    assert.deepEqual(of("two gets"), []);
    for (const title of ["two gets", "one get"]) assert.ok(warnings.some((w) => w.startsWith(`correlation ${title}: 1 match came after later ones were judged`)), warnings.join("\n"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("every rule read is run or reported with its reason", () => {
  const p = prepareDetection({ rules: [RULES], bundled: false, now: NOW });
  assert.equal(p.sigma.length, 16);
  assert.equal(p.correlations.length, 4);
  assert.deepEqual(
    p.notRun.map((n) => [n.rule, n.kind, n.modifier ?? ""]),
    [
      ["Calls from the office network (placeholder)", "modifier", "expand"],
      ["A Windows process rule", "not CloudTrail", ""],
    ],
  );
  assert.match(p.notRun[0]!.reason, /selection: modifier expand/);
  assert.match(p.notRun[0]!.file, /not_run_expand\.yml$/);
});

test("a bad rule file is one problem naming the file and rule; the rest run", () => {
  const p = prepareDetection({ rules: [join(DIR, "bad-rules")], bundled: false, now: NOW });
  assert.deepEqual(p.sigma.map((r) => r.ruleId), ["fx-good"]);
  const problems = p.notRun.map((n) => `${n.file.replace(/.*\//, "")}: ${n.rule}: ${n.kind}`);
  assert.deepEqual(problems, ["broken_yaml.yml: document 1: bad rule", "no_condition.yml: A rule without a condition: bad rule"]);
  assert.match(p.notRun[1]!.reason, /detection\.condition/);
});

test("one pass: each file is read once and each event decoded once, whatever the number of rules", async () => {
  const one = prepareDetection({ rules: [join(RULES, "kali_user_agent.yml")], bundled: false, now: NOW });
  const all = prepareDetection({ rules: [RULES], bundled: true, now: NOW });
  // two hundred copies of every rule: the input is still read once
  const many = new Detector(Array.from({ length: 200 }, () => all.sigma).flat(), all.correlations, all.templates);
  const size = statSync(EVENTS).size;
  for (const d of [one.detector, all.detector, many]) {
    const r = await d.run([EVENTS], { warn: () => {} });
    assert.equal(r.read.filesRead, 1);
    assert.equal(r.read.bytesRead, size);
    assert.equal(r.read.eventsRead, 19);
    assert.equal(r.events, 19);
  }
  const r = await many.run([EVENTS], { warn: () => {} });
  assert.equal(r.findings.filter((f) => f.rule.ruleId === "fx-kali").length, 200);
});

test("the time range, accounts and --min-level select what is judged and kept", async () => {
  const p = prepareDetection({ rules: [RULES], bundled: false, now: NOW });
  const r = await p.detector.run([EVENTS], { warn: () => {}, range: { start: Date.parse("2024-05-01T10:30:00Z") }, minLevel: "high" });
  assert.deepEqual(pairs(r.findings), ["fx-corr-secrets d-18", "fx-root-v6 d-13", "fx-trail d-13", "fx-userdata d-12"]);
  const none = await p.detector.run([EVENTS], { warn: () => {}, accounts: ["999999999999"] });
  assert.equal(none.events, 0);
  assert.equal(none.findings.length, 0);
});

test("the bundled templates that judge events one at a time run in the same pass", async () => {
  const p = prepareDetection({ rules: [], bundled: true, now: NOW });
  assert.ok(p.templates.length >= 20, `${p.templates.length} templates run`);
  // every detection and CIS template is run or reported
  for (const n of p.notRun) assert.match(n.reason, /trailq run /);
  const r = await p.detector.run([EVENTS], { warn: () => {} });
  const ids = new Set(r.findings.map((f) => `${f.rule.ruleId} ${f.event.eventID}`));
  assert.ok(ids.has("cloudtrail-logging-tampered d-13"), [...ids].join(", "));
  assert.ok(ids.has("cis-root-account-usage d-13"));
  assert.ok(ids.has("access-key-created-for-other-user d-7"));
  assert.ok(ids.has("s3-bucket-made-public d-9"));
  for (const f of r.findings) assert.equal(f.rule.origin, "template");
});
