// Rule files at the edges of Sigma (found by a second hunt): what YAML makes of a value, a keyword
// that is null, a subnet without its prefix, a correlation's count of events and its rules named twice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { rmSync, writeFileSync } from "node:fs";
import { trailq } from "../bin.js";
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

test("a value written as a number with a leading zero (an account id) is the text written, as PyYAML reads it", () => {
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
    assert.match(r.stderr, /^trailq: warning: correlation two logins: 1 match came after later ones of the same group were judged .* left out, so it may have missed a finding there$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a subnet's prefix is decimal digits, spaces around the text aside", async () => {
  const { parseCidr } = await import("../../src/functions/ip.js");
  assert.deepEqual(parseCidr(" 10.0.0.0/8 "), { bytes: [10, 0, 0, 0], prefix: 8 });
  for (const bad of ["10.0.0.0/", "10.0.0.0/0x10", "10.0.0.0/8/16", "2001:db8::/", "10.0.0.0/33"]) assert.equal(parseCidr(bad), undefined, bad);
});
