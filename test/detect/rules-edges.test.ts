// Rule files at the edges of Sigma (found by a second hunt): what YAML makes of a value, a keyword
// that is null, a subnet without its prefix, a correlation's count of events and its rules named twice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { BIN, ROOT, trailq } from "../bin.js";
import { tempDir } from "../temp.js";
import { writeLateLogins } from "../trails.js";

const HEAD = "logsource:\n  product: aws\n  service: cloudtrail\n";
const ev = (n: number, extra: Record<string, unknown>): string =>
  JSON.stringify({ eventVersion: "1.08", eventTime: `2026-11-01T00:00:${String(n).padStart(2, "0")}Z`, eventSource: "signin.amazonaws.com", eventName: "ConsoleLogin", eventID: `e-${n}`, ...extra });

/** The eventIDs detect finds with these rules over these events, and its standard error. */
function detect(rules: Record<string, string>, events: string[]): { ids: string[]; stderr: string } {
  const dir = tempDir("rules-edges");
  try {
    for (const [name, text] of Object.entries(rules)) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, "events.jsonl"), events.join("\n") + "\n");
    const r = trailq(["detect", join(dir, "events.jsonl"), "--no-bundled", "--rules", dir, "-f", "jsonl", "--no-rules-cache"]);
    assert.equal(r.status, 0, r.stderr);
    return { ids: r.stdout.trim().split("\n").filter(Boolean).map((l) => `${(JSON.parse(l) as { rule: string }).rule}:${(JSON.parse(l) as { eventID: string }).eventID}`), stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a value written as a number with a leading zero (an account id) is the text written, not the number YAML 1.2 makes of it", () => {
  const { ids } = detect({ "acct.yml": `title: acct\n${HEAD}detection:\n  sel:\n    recipientAccountId: 012345678901\n  condition: sel\n` }, [ev(1, { recipientAccountId: "012345678901" }), ev(2, { recipientAccountId: "12345678901" })]);
  assert.deepEqual(ids, ["acct:e-1"]);
});

test("a keyword that is null and a subnet without its prefix are refused, named, not run as matching nothing or everything", () => {
  const { ids, stderr } = detect(
    {
      "kw.yml": `title: nullkw\n${HEAD}detection:\n  kw:\n    - null\n  condition: kw\n`,
      "net.yml": `title: net\n${HEAD}detection:\n  sel:\n    sourceIPAddress|cidr: 10.0.0.0/\n  condition: sel\n`,
    },
    [ev(1, { sourceIPAddress: "192.0.2.1" })],
  );
  assert.deepEqual(ids, []);
  assert.match(stderr, /nullkw.*null is not a keyword/);
  assert.match(stderr, /net.*10\.0\.0\.0\//);
});

test("event_count counts events: one event that two of its rules match is one; a correlation naming a rule twice is not run", () => {
  const rule = (id: string, name: string): string => `title: ${id}\nid: ${id}\nname: ${name}\n${HEAD}detection:\n  sel:\n    eventName: ConsoleLogin\n  condition: sel\n`;
  const { ids, stderr } = detect(
    {
      "a.yml": rule("ra", "a"),
      "b.yml": rule("rb", "b"),
      "count.yml": `title: two logins\nid: two\ncorrelation:\n  type: event_count\n  rules: [a, b]\n  timespan: 10s\n  condition:\n    gte: 2\n`,
      "twice.yml": `title: again\nid: again\ncorrelation:\n  type: temporal_ordered\n  rules: [a, b, a]\n  timespan: 1h\n`,
    },
    [ev(1, {}), ev(30, {})],
  );
  // each event matches a and b: one event in each 10 s window, never two
  assert.ok(!ids.some((i) => i.startsWith("two logins:")), ids.join(" "));
  assert.match(stderr, /again: names the rule ra twice/);
});

test("a correlation's match from a file delivered late is left out with a warning, never counted in a window it is not in", () => {
  const dir = tempDir("late-correlation");
  try {
    const trail = writeLateLogins(dir);
    writeFileSync(join(dir, "login.yml"), `title: login\nname: login\n${HEAD}detection:\n  sel:\n    eventName: ConsoleLogin\n  condition: sel\n`);
    writeFileSync(join(dir, "two.yml"), `title: two logins\ncorrelation:\n  type: event_count\n  rules: [login]\n  timespan: 5m\n  condition:\n    gte: 2\n`);
    const r = trailq(["detect", trail, "--no-bundled", "--rules", join(dir, "login.yml"), "--rules", join(dir, "two.yml"), "-f", "jsonl", "--no-rules-cache"]);
    assert.equal(r.status, 0, r.stderr);
    // 02:55 and 00:02 are not 2 events within 5m
    assert.ok(!r.stdout.includes("two logins"), r.stdout);
    assert.match(r.stderr, /^trailq: warning: correlation two logins: 1 match came after later ones were judged .* left out, so it may have missed a finding there$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a subnet's prefix is decimal digits, spaces around the text aside", async () => {
  const { parseCidr } = await import("../../src/functions/ip.js");
  assert.deepEqual(parseCidr(" 10.0.0.0/8 "), { bytes: [10, 0, 0, 0], prefix: 8 });
  for (const bad of ["10.0.0.0/", "10.0.0.0/0x10", "10.0.0.0/8/16", "2001:db8::/", "10.0.0.0/33"]) assert.equal(parseCidr(bad), undefined, bad);
});

test("hostile rule and template files: a symlink loop loads a rule once; a FIFO, a device, a file not UTF-8 and a dangling link are each reported, never read, never hung on", () => {
  const dir = tempDir("rules-hostile");
  try {
    const rules = join(dir, "rules");
    mkdirSync(rules);
    const rule = (id: string, title: string, body = "    eventName: ConsoleLogin"): string => `title: ${title}\nid: ${id}\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  sel:\n${body}\n  condition: sel\nlevel: low\n`;
    writeFileSync(join(rules, "a.yml"), rule("11111111-1111-1111-1111-111111111111", "logins"));
    symlinkSync(".", join(rules, "loop"));
    symlinkSync("nowhere.yml", join(rules, "dangling.yml"));
    execFileSync("mkfifo", [join(rules, "fifo.yml")]);
    symlinkSync("/dev/zero", join(rules, "zero.yml"));
    writeFileSync(join(rules, "latin1.yml"), Buffer.from(rule("22222222-2222-2222-2222-222222222222", "latin", "    userAgent|contains: \u00dcn\u00efc"), "latin1"));
    const r = spawnSync(BIN, ["detect", "fixtures/sample-trail", "--no-bundled", "--rules", rules, "-f", "jsonl", "--no-rules-cache"], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    assert.equal(r.signal, null, "it ended by itself");
    assert.equal(r.status, 0, r.stderr);
    // the rule once: each finding once
    const ids = r.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { eventID: string }).eventID);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.length > 0);
    for (const [name, why] of [["dangling.yml", /a link that leads nowhere/], ["fifo.yml", /not a regular file/], ["zero.yml", /not a regular file/], ["latin1.yml", /not UTF-8/]] as const) {
      assert.match(r.stderr, new RegExp(`${name}.*${why.source}`), name);
    }
    // the same refusals from trailq sigma and in a templates folder
    for (const f of ["fifo.yml", "latin1.yml"]) {
      const s = spawnSync(BIN, ["sigma", join(rules, f)], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
      assert.equal(s.signal, null);
      assert.equal(s.status, 2, s.stderr);
    }
    const templates = join(dir, "trailq", "templates");
    mkdirSync(templates, { recursive: true });
    execFileSync("mkfifo", [join(templates, "hang.logsinsights")]);
    const t = spawnSync(BIN, ["templates"], { cwd: ROOT, encoding: "utf8", timeout: 30_000, env: { ...process.env, XDG_CONFIG_HOME: dir } });
    assert.equal(t.signal, null, "trailq templates ended by itself");
    assert.match(t.stderr, /hang\.logsinsights: not a regular file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("trailq sigma prints no query for a rule detect refuses (exists: 'True' was printed as not ispresent, the opposite); a correlation naming an id two rules share is refused, not run on the first", () => {
  const dir = tempDir("rules-refused");
  try {
    const file = join(dir, "exists.yml");
    writeFileSync(file, "title: has error\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  sel:\n    errorCode|exists: 'True'\n  condition: sel\n");
    const s = trailq(["sigma", file]);
    assert.equal(s.status, 2, s.stdout);
    assert.doesNotMatch(s.stdout, /ispresent/);
    assert.match(s.stderr, /exists/);
    const rule = (title: string, name: string): string => `title: ${title}\nid: 33333333-3333-3333-3333-333333333333\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  sel:\n    eventName: ${name}\n  condition: sel\nlevel: low\n`;
    writeFileSync(join(dir, "one.yml"), rule("first", "ConsoleLogin"));
    writeFileSync(join(dir, "two.yml"), rule("second", "GetObject"));
    writeFileSync(join(dir, "corr.yml"), "title: many\nlogsource:\n  product: aws\n  service: cloudtrail\ncorrelation:\n  type: event_count\n  rules:\n    - 33333333-3333-3333-3333-333333333333\n  group-by:\n    - sourceIPAddress\n  timespan: 1h\n  condition:\n    gte: 2\nlevel: high\n");
    const d = trailq(["detect", "fixtures/sample-trail", "--no-bundled", "--rules", join(dir, "one.yml"), "--rules", join(dir, "two.yml"), "--rules", join(dir, "corr.yml"), "-f", "jsonl", "--no-rules-cache"]);
    assert.match(d.stderr, /many: refers to 33333333-3333-3333-3333-333333333333, which 2 rules are called \(first, second\): give each its own id/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The eventIDs the query `trailq sigma` prints for a rule file finds over these events (the rule's only query). */
function sigmaQueryIds(rule: string, events: string[]): string[] {
  const dir = tempDir("rules-edges-query");
  try {
    writeFileSync(join(dir, "r.yml"), rule);
    writeFileSync(join(dir, "events.jsonl"), events.join("\n") + "\n");
    const q = trailq(["sigma", join(dir, "r.yml")]);
    assert.equal(q.status, 0, q.stderr);
    const r = trailq(["query", `${q.stdout.replace(/^#.*\n/gm, "")} | fields eventID`, join(dir, "events.jsonl"), "-f", "jsonl", "-q"]);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { eventID: string }).eventID);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a keyword is found in the values that hold it, its quotes and backslashes as the event's JSON text writes them; detect and its query agree", () => {
  const rule = `title: kw\n${HEAD}detection:\n  kw:\n    - 'admin"'\n    - 'C:\\Windows\\x'\n  condition: kw\n`;
  const events = [ev(1, { userName: "admin" }), ev(2, { userName: 'admin"' }), ev(3, { p: "C:\\Windows\\x" }), ev(4, { p: "C:\\\\Windows\\\\x" })];
  assert.deepEqual(detect({ "kw.yml": rule }, events).ids, ["kw:e-2", "kw:e-3"]);
  assert.deepEqual(sigmaQueryIds(rule, events).sort(), ["e-2", "e-3"]);
});

test("a rule collection (action: global) runs no document of its file, each reported; a field named __proto__ or '' is refused, not dropped or read as keywords", () => {
  const { ids, stderr } = detect(
    {
      "coll.yml": `action: global\ntitle: collection\n${HEAD}detection:\n  sel:\n    a: '1'\n  condition: sel\n---\ntitle: child\ndetection:\n  sel:\n    b: 'y'\n`,
      "proto.yml": `title: proto\n${HEAD}detection:\n  sel:\n    eventName: ConsoleLogin\n    __proto__: x\n  condition: sel\n`,
      "empty.yml": `title: emptyfield\n${HEAD}detection:\n  sel:\n    '': evil\n  condition: sel\n`,
    },
    [ev(1, { a: "1", b: "x" }), ev(2, { a: "1", b: "y", note: "evil" })],
  );
  assert.deepEqual(ids, []);
  assert.match(stderr, /collection: rule collections \(action: global, reset, repeat\) are not supported: no document of the file is run/);
  assert.match(stderr, /child: rule collections/);
  assert.match(stderr, /proto: __proto__: a field named __proto__ is not supported/);
  assert.match(stderr, /emptyfield: sel: an empty field name \(''\)/);
});

test("an integer past 2^53 in a rule keeps its digits (a double rounded 9007199254740993 to ...992); a comparison with 0x10 or Infinity is refused", () => {
  const { ids, stderr } = detect(
    {
      "big.yml": `title: big\n${HEAD}detection:\n  sel:\n    f: 9007199254740993\n  condition: sel\n`,
      "hex.yml": `title: hex\n${HEAD}detection:\n  sel:\n    f|gt: '0x10'\n  condition: sel\n`,
      "inf.yml": `title: inf\n${HEAD}detection:\n  sel:\n    f|lt: 'Infinity'\n  condition: sel\n`,
    },
    [ev(1, { f: "9007199254740993" }), ev(2, { f: "9007199254740992" }), ev(3, { f: 20 })],
  );
  assert.deepEqual(ids, ["big:e-1"]);
  assert.match(stderr, /hex: sel: gt needs a decimal number, not "0x10"/);
  assert.match(stderr, /inf: sel: lt needs a decimal number, not "Infinity"/);
});

test("a document of a rule collection that is not YAML is reported for its YAML, not dropped", () => {
  const { stderr } = detect({ "coll.yml": `action: global\ntitle: collection\n${HEAD}detection:\n  sel:\n    a: '1'\n  condition: sel\n---\ntitle: [broken\n` }, [ev(1, { a: "1" })]);
  assert.match(stderr, /collection: rule collections \(action: global, reset, repeat\) are not supported/);
  assert.match(stderr, /document 2: YAML: /);
});
