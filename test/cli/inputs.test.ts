// Inputs at scale: bad files never sink the run, and the time range prunes files by name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { queryRows } from "../../src/api.js";
import { Pruner, DELIVERY_MARGIN_MS } from "../../src/sources/index.js";
import { ROOT, trailq } from "../bin.js";

const SAMPLE = join(ROOT, "fixtures", "sample-trail");


test("a folder of good and bad files: every good event, one warning per bad file, exit 0 (1 with --strict)", () => {
  const r = trailq(["query", "stats count(*) as n", "fixtures/inputs/good", "fixtures/inputs/bad", "-f", "json"]);
  assert.equal(r.status, 0, r.stderr);
  // 18 good events, and the good records of the partly bad files (see fixtures/inputs/README.md)
  assert.deepEqual(JSON.parse(r.stdout), [{ n: 18 + 3 + 2 + 2 + 11 + 3 }]);
  const warnings = r.stderr.split("\n").filter((l) => l.includes("warning:"));
  const badFiles = ["bad-event-time.json", "binary.dat", "broken-line.jsonl", "corrupt.json.gz", "non-object-record.json", "not-cloudtrail-array.json", "not-cloudtrail.json", "notes.txt", "records-not-array.json", "truncated.json", "truncated.json.gz"];
  for (const f of badFiles) assert.equal(warnings.filter((w) => w.includes(`bad/${f}:`)).length, 1, `one warning for ${f}:\n${warnings.join("\n")}`);
  assert.equal(warnings.length, badFiles.length);
  assert.match(r.stderr, / · 1 empty file · 6 files skipped, problems: .*corrupt gzip/);
  assert.doesNotMatch(r.stderr, /empty\.json/);
  assert.equal(trailq(["query", "stats count(*)", "fixtures/inputs/bad", "--strict", "-q"]).status, 1);
  assert.equal(trailq(["query", "stats count(*)", "fixtures/inputs/good", "--strict", "-q"]).status, 0);
});

test("unreadable files and symlink loops are warnings, not failures", () => {
  const dir = mkdtempSync(join(tmpdir(), "trailq-inputs-"));
  try {
    writeFileSync(join(dir, "good.json"), JSON.stringify({ Records: [{ eventTime: "2026-01-01T00:00:00Z", eventName: "A" }] }));
    mkdirSync(join(dir, "sub"));
    spawnSync("ln", ["-s", "..", join(dir, "sub", "loop")]);
    const r = trailq(["query", "stats count(*) as n", dir, "-f", "json"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [{ n: 1 }]);
    assert.match(r.stderr, /symlink loop/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--start/--end prune files by name and give the same rows as filtering on @timestamp", async () => {
  const range = { start: Date.parse("2026-11-02T06:00:00Z"), end: Date.parse("2026-11-02T12:00:00Z") };
  const pruned = await queryRows("stats count(*) as n by eventName | sort n desc, eventName asc", [SAMPLE], { range });
  const filtered = await queryRows('filter @timestamp >= "2026-11-02T06:00:00Z" and @timestamp <= "2026-11-02T12:00:00Z" | stats count(*) as n by eventName | sort n desc, eventName asc', [SAMPLE]);
  assert.deepEqual(pruned.rows, filtered.rows);
  assert.ok(pruned.rows.length > 10);
  const all = filtered.result.read.filesRead;
  assert.equal(all, 1243);
  assert.ok(pruned.result.read.filesRead < all / 5, `opened ${pruned.result.read.filesRead} files`);
  assert.equal(pruned.result.read.filesRead + pruned.result.read.filesPruned, all);
});

test("--account/--region and SOURCE prune the AWSLogs layout and agree with filtering", async () => {
  const viaFlags = await queryRows("stats count(*) as n", [SAMPLE], { accounts: ["444455556666"], regions: ["us-west-2"] });
  const viaSource = await queryRows("SOURCE accounts='444455556666' regions='us-west-2' | stats count(*) as n", [SAMPLE]);
  const viaFilter = await queryRows('filter recipientAccountId = "444455556666" and awsRegion = "us-west-2" | stats count(*) as n', [SAMPLE]);
  assert.deepEqual(viaFlags.rows, viaFilter.rows);
  assert.deepEqual(viaSource.rows, viaFilter.rows);
  assert.ok(viaFlags.result.read.filesPruned > 1000);
});

test("a file stamped after midnight keeps an event from before midnight (the delivery margin)", () => {
  const dir = "/x/AWSLogs/111122223333/CloudTrail/us-east-1";
  const day = (d: string): string => `${dir}/${d.replaceAll("-", "/")}`;
  const file = (d: string, stamp: string): string => `${day(d)}/111122223333_CloudTrail_us-east-1_${stamp}_AbCdEfGhIjKlMnOp.json.gz`;
  // the range is the last 10 minutes of 2026-11-01; the file of 00:05 on 11-02 may hold them
  const p = new Pruner({ start: Date.parse("2026-11-01T23:50:00Z"), end: Date.parse("2026-11-01T23:59:59Z") });
  assert.equal(p.dir(day("2026-11-02")), false);
  assert.equal(p.file(file("2026-11-02", "20261102T0005Z")), false);
  assert.equal(p.file(file("2026-11-02", "20261102T0005Z").replace("0005Z", "0130Z")), true, "stamped more than the margin after the end");
  assert.equal(p.file(file("2026-11-01", "20261101T2340Z")), true, "stamped before the start");
  assert.equal(p.dir(day("2026-11-03")), true);
  assert.equal(p.dir(day("2026-10-31")), true);
  assert.equal(p.dir(`${dir}/2026/10`), true);
  assert.equal(p.dir(`${dir}/2026`), false);
  assert.ok(DELIVERY_MARGIN_MS >= 15 * 60_000);
  const acct = new Pruner({ accounts: ["999999999999"] });
  assert.equal(acct.dir("/x/AWSLogs/111122223333"), true);
  assert.equal(acct.dir("/x/AWSLogs/o-abc123/999999999999/CloudTrail/us-east-1"), false);
  assert.equal(acct.file("/x/elsewhere/file.json"), false, "outside the layout: never pruned by name");
});
