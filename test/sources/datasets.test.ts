// Real public CloudTrail data (../shared/data, see its README.md): each data set reads with the event
// count its README gives. Skipped when the folder is absent (a user's clone won't have it).
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { SHARED_DATA, batchInvariants, readAll } from "./helpers.js";

function dataset(t: TestContext, name: string): string | undefined {
  const dir = join(SHARED_DATA, name);
  if (existsSync(dir)) return dir;
  t.skip(`${dir} is absent`);
  return undefined;
}

test("invictus-aws-dataset: 55 Records documents with CloudTrail names, 2,900 events", async (t) => {
  const dir = dataset(t, "invictus-aws-dataset");
  if (!dir) return;
  const got = await readAll([join(dir, "CloudTrail")]);
  assert.deepEqual(got.warnings, []);
  assert.equal(got.stats.filesRead, 55);
  assert.equal(got.events.length, 2900);
  assert.equal(batchInvariants(got.batches), undefined);
  assert.ok(got.events.every((e) => typeof e.ev["eventTime"] === "string"));
  // Every file's ingestion time is the stamp in its name (all delivered on 2023-07-10).
  for (const b of got.batches) {
    const stamp = /_(\d{8})T(\d{4})Z_/.exec(b.file.display)!;
    assert.equal(new Date(b.file.ingestionTime).toISOString().slice(0, 16), `${stamp[1]!.slice(0, 4)}-${stamp[1]!.slice(4, 6)}-${stamp[1]!.slice(6)}T${stamp[2]!.slice(0, 2)}:${stamp[2]!.slice(2)}`);
  }
  // The whole folder: the README and the license are not JSON: ignored, counted, no warning.
  const all = await readAll([dir]);
  assert.equal(all.events.length, 2900);
  assert.deepEqual(all.warnings, []);
  assert.deepEqual(all.stats.skipped, []);
  assert.equal(all.stats.filesIgnored, 2);
});

test("stratus-detonation-logs: 35 pretty-printed JSON arrays, 310 events", async (t) => {
  const dir = dataset(t, "stratus-detonation-logs");
  if (!dir) return;
  const files = readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => join(dir, f));
  assert.equal(files.length, 35);
  const got = await readAll(files);
  assert.deepEqual(got.warnings, []);
  assert.equal(got.events.length, 310);
  assert.equal(got.stats.filesRead, 35);
});

test("panther-rule-tests: 464 events one a line; the manifest is not CloudTrail", async (t) => {
  const dir = dataset(t, "panther-rule-tests");
  if (!dir) return;
  const got = await readAll([join(dir, "cloudtrail_test_events.ndjson"), join(dir, "manifest.ndjson")]);
  assert.equal(got.events.length, 464);
  assert.deepEqual(got.events.map((e) => e.index), Array.from({ length: 464 }, (_, i) => i));
  assert.equal(got.warnings.length, 1);
  assert.match(got.warnings[0]!, /manifest\.ndjson: not CloudTrail/);
});

test("otrf-ec2-proxy-s3-exfiltration: 103 events, as JSON lines and inside the zip", async (t) => {
  const dir = dataset(t, "otrf-ec2-proxy-s3-exfiltration");
  if (!dir) return;
  const lines = await readAll([join(dir, "ec2_proxy_s3_exfiltration_2020-09-14011940.json")]);
  const zip = await readAll([join(dir, "ec2_proxy_s3_exfiltration.zip")]);
  for (const got of [lines, zip]) {
    assert.deepEqual(got.warnings, []);
    assert.equal(got.events.length, 103);
  }
  assert.deepEqual(zip.events.map((e) => e.ev), lines.events.map((e) => e.ev));
  // These events have no eventTime (only @timestamp): still yielded.
  assert.ok(lines.events.some((e) => e.ev["eventTime"] === undefined));
});
