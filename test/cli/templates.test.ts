// trailq templates / run, as a user runs them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { trailq } from "../bin.js";
import { generateTrail } from "../../src/generator/index.js";
import { tempDir } from "../temp.js";

test("templates --format json: an array of id, title, category, parameters; 40+ with 14+ CIS controls", () => {
  const r = trailq(["templates", "--format", "json"]);
  assert.equal(r.status, 0, r.stderr);
  const list = JSON.parse(r.stdout) as { id: string; title: string; category: string; parameters: unknown[] }[];
  assert.ok(list.length >= 40);
  assert.ok(list.filter((t) => t.category === "cis").length >= 14);
  for (const t of list) assert.ok(t.id && t.title && t.category && Array.isArray(t.parameters), t.id);
  for (const t of list as { id: string; doesNotCover?: string }[]) assert.match(t.doesNotCover ?? "", /^\S.*\.$/, `${t.id} says what it does not cover`);
});

test("templates show: the description, then what the template does not cover", () => {
  const r = trailq(["templates", "show", "cis-console-signin-without-mfa"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Successful IAM-user console logins that did not use MFA.*\n\nDoes not cover: root sign-ins \(see cis-root-signin-without-mfa\), failed sign-ins/m);
});

test("run: parameters from --param; an injection attempt stays one value", () => {
  const ok = trailq(["run", "activity-by-source-ip", "--param", "ip=185.220.101.45", "-f", "json", "-q"]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.ok((JSON.parse(ok.stdout) as unknown[]).length >= 1);
  const evil = trailq(["run", "activity-by-source-ip", "--param", 'ip=x" or 1=1 | stats count(*) as pwned # \n| limit 1', "-f", "json", "-q"]);
  assert.equal(evil.status, 0, evil.stderr);
  assert.deepEqual(JSON.parse(evil.stdout), []);
  // a CIDR block covers its addresses
  const block = trailq(["run", "activity-by-source-ip", "--param", "ip=185.220.101.0/24", "-f", "json", "-q"]);
  assert.equal(block.status, 0, block.stderr);
  assert.deepEqual(JSON.parse(block.stdout), JSON.parse(ok.stdout));
  assert.deepEqual(JSON.parse(trailq(["run", "activity-by-source-ip", "--param", "ip=185.220.100.0/24", "-f", "json", "-q"]).stdout), []);
  const missing = trailq(["run", "activity-by-source-ip", "-q"]);
  assert.equal(missing.status, 3);
  assert.match(missing.stderr, /needs ip=<string>/);
  const unknown = trailq(["run", "cis-root-acount-usage", "-q"]);
  assert.equal(unknown.status, 3);
  assert.match(unknown.stderr, /did you mean `cis-root-account-usage`/);
  // a parameter given twice, or empty (an unset variable), would change what is found without a word
  const twice = trailq(["run", "activity-by-source-ip", "-p", "ip=185.220.101.45", "-p", "ip=10.0.0.1", "-q"]);
  assert.equal(twice.status, 3);
  assert.match(twice.stderr, /^trailq: parameter ip is given twice: give it once/m);
  const empty = trailq(["run", "activity-by-source-ip", "-p", "ip=", "-q"]);
  assert.equal(empty.status, 3);
  assert.match(empty.stderr, /^trailq: parameter ip has an empty value \(an unset variable\?\)/m);
});

/** Every event of a generated trail (the test's own reading, not trailq's). */
function events(dir: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(...(JSON.parse(gunzipSync(readFileSync(p)).toString()) as { Records: Record<string, unknown>[] }).Records);
    }
  };
  walk(dir);
  return out;
}

/** The principal and API pairs first seen in the 24 hours before `end` (events after it not read). */
function newPairs(evs: Record<string, unknown>[], end: number): Map<string, number> {
  const first = new Map<string, number>();
  for (const e of evs) {
    const t = Date.parse(e["eventTime"] as string);
    if (t > end) continue;
    const key = JSON.stringify([(e["userIdentity"] as { arn?: string }).arn ?? null, e["eventSource"], e["eventName"]]);
    first.set(key, Math.min(first.get(key) ?? Infinity, t));
  }
  return new Map([...first].filter(([, t]) => t >= end - 86_400_000));
}

function shownPairs(stdout: string): Map<string, number> {
  const rows = JSON.parse(stdout) as Record<string, string | number>[];
  return new Map(rows.map((r) => [JSON.stringify([r["userIdentity.arn"] ?? null, r["eventSource"], r["eventName"]]), Date.parse((r["firstSeen"] as string).replace(" ", "T") + "Z")]));
}

const stamp = (t: number): string => new Date(t).toISOString().slice(0, 19).replace("T", " ");

test("run: a parameter the query can't use is shown at its place in the template's text", () => {
  const r = trailq(["run", "suspicious-user-agents", "fixtures/sample-trail", "-p", "uaRegex=a("]);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, ["error: 1:23: this regex can't be used: missing closing ): `a(`", "1 | filter userAgent like {{uaRegex}}", `${" ".repeat(26)}${"^".repeat(11)}`, "hint: trailq reads regexes in RE2 syntax: no lookahead, lookbehind or backreferences", ""].join("\n"));
});

test("run: a first-seen template judges the trail it reads, from its newest event or from --end, and says so", async () => {
  const dir = tempDir("anchor");
  try {
    await generateTrail({ outDir: dir, events: 4000, seed: 5, start: "2023-03-01T00:00:00Z", days: 3 });
    const evs = events(dir);
    const last = Math.max(...evs.map((e) => Date.parse(e["eventTime"] as string)));
    assert.ok(last < Date.parse("2023-03-04T00:00:00Z"), "the trail ends long before today");

    const r = trailq(["run", "first-seen-api-per-principal", dir, "-f", "json"]);
    assert.equal(r.status, 0, r.stderr);
    const expected = newPairs(evs, last);
    assert.ok(expected.size > 10, `${expected.size} pairs are new in the trail's last day`);
    assert.deepEqual(shownPairs(r.stdout), expected);
    assert.match(r.stderr, new RegExp(`· window anchored at ${stamp(last)} UTC \\(last event\\)`));

    // --end wins: the pairs new in the day before it, from the events up to it
    const end = Date.parse("2023-03-02T12:00:00Z");
    const e = trailq(["run", "first-seen-api-per-principal", dir, "-f", "json", "--end", "2023-03-02T12:00:00Z"]);
    assert.equal(e.status, 0, e.stderr);
    const expectedEnd = newPairs(evs, end);
    assert.ok(expectedEnd.size > 10);
    assert.notDeepEqual(expectedEnd, expected);
    assert.deepEqual(shownPairs(e.stdout), expectedEnd);
    assert.match(e.stderr, /· window anchored at 2023-03-02 12:00:00 UTC \(--end\)/);

    // the planted new sign-in (carol from 102.129.234.5, on the trail's last day) is found
    const c = trailq(["run", "console-login-new-source-ip", dir, "-f", "json"]);
    assert.equal(c.status, 0, c.stderr);
    const logins = JSON.parse(c.stdout) as { who: string; sourceIPAddress: string }[];
    assert.ok(logins.some((l) => l.who === "carol" && l.sourceIPAddress === "102.129.234.5"), c.stdout);

    // standard input can't be read twice to find the newest event: --end is asked for
    const lines = evs.map((x) => JSON.stringify(x)).join("\n");
    const piped = trailq(["run", "first-seen-api-per-principal", "-f", "json"], lines);
    assert.equal(piped.status, 3);
    assert.match(piped.stderr, /standard input can't be read twice: give --end/);
    const pipedEnd = trailq(["run", "first-seen-api-per-principal", "-f", "json", "--end", "2023-03-02T12:00:00Z"], lines);
    assert.equal(pipedEnd.status, 0, pipedEnd.stderr);
    assert.deepEqual(shownPairs(pipedEnd.stdout), expectedEnd);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
