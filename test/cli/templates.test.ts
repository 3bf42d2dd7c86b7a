// trailq templates / run, as a user runs them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { trailq } from "../bin.js";

test("templates --format json: an array of id, title, category, parameters; 40+ with 14+ CIS controls", () => {
  const r = trailq(["templates", "--format", "json"]);
  assert.equal(r.status, 0, r.stderr);
  const list = JSON.parse(r.stdout) as { id: string; title: string; category: string; parameters: unknown[] }[];
  assert.ok(list.length >= 40);
  assert.ok(list.filter((t) => t.category === "cis").length >= 14);
  for (const t of list) assert.ok(t.id && t.title && t.category && Array.isArray(t.parameters), t.id);
});

test("run: parameters from --param; an injection attempt stays one value", () => {
  const ok = trailq(["run", "activity-by-source-ip", "--param", "ip=185.220.101.45", "-f", "json", "-q"]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.ok((JSON.parse(ok.stdout) as unknown[]).length >= 1);
  const evil = trailq(["run", "activity-by-source-ip", "--param", 'ip=x" or 1=1 | stats count(*) as pwned # \n| limit 1', "-f", "json", "-q"]);
  assert.equal(evil.status, 0, evil.stderr);
  assert.deepEqual(JSON.parse(evil.stdout), []);
  const missing = trailq(["run", "activity-by-source-ip", "-q"]);
  assert.equal(missing.status, 3);
  assert.match(missing.stderr, /needs ip=<string>/);
  const unknown = trailq(["run", "cis-root-acount-usage", "-q"]);
  assert.equal(unknown.status, 3);
  assert.match(unknown.stderr, /did you mean `cis-root-account-usage`/);
});
