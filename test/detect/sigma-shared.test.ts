// The public Sigma rules in ../shared/data/sigma (SigmaHQ's and suzaku's CloudTrail rules, read
// in place, never copied: Detection Rule License 1.1) and the public trails beside them: every rule
// either runs or is reported with its reason, and each rule's `trailq sigma` query finds exactly
// the events detect finds. Skipped when the folders are absent (a user's clone has none).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { ROOT } from "../bin.js";
import { prepareDetection, Detector } from "../../src/detect/index.js";
import { listRuleFiles } from "../../src/detect/load.js";
import { ruleQuery } from "../../src/detect/query.js";
import { queryFinds, readEventsAt } from "./equivalence.js";

const DATA = join(ROOT, "..", "shared", "data");
const SIGMA = join(DATA, "sigma");
const have = existsSync(SIGMA) && readdirSync(SIGMA).some((f) => !f.startsWith("."));
const skip = have ? false : `no ${SIGMA}`;

test("every Sigma rule in ../shared/data/sigma runs or is reported with its reason", { skip }, (t) => {
  const p = prepareDetection({ rules: [SIGMA], bundled: false, now: 0 });
  // documents in the files, counted apart from the loader
  let documents = 0;
  for (const f of listRuleFiles([SIGMA]).files) {
    for (const d of parseAllDocuments(readFileSync(f, "utf8"))) if (d.contents !== null) documents++;
  }
  const byReason = new Map<string, number>();
  for (const n of p.notRun) byReason.set(`${n.kind}${n.modifier ? ` (${n.modifier})` : ""}`, (byReason.get(`${n.kind}${n.modifier ? ` (${n.modifier})` : ""}`) ?? 0) + 1);
  t.diagnostic(`${p.files} files, ${documents} rules: ${p.sigma.length} detection rules and ${p.correlations.length} correlations run, ${p.notRun.length} not run${byReason.size ? ` (${[...byReason].map(([k, v]) => `${v} ${k}`).join(", ")})` : ""}`);
  assert.equal(p.sigma.length + p.correlations.length + p.notRun.length, documents);
  for (const n of p.notRun) {
    assert.ok(n.file && n.rule && n.reason, JSON.stringify(n));
  }
});

const TRAILS = [
  join(ROOT, "fixtures", "sample-trail"),
  join(DATA, "invictus-aws-dataset"),
  join(DATA, "stratus-detonation-logs"),
  join(DATA, "panther-rule-tests", "cloudtrail_test_events.ndjson"),
  join(DATA, "otrf-ec2-proxy-s3-exfiltration", "ec2_proxy_s3_exfiltration_2020-09-14011940.json"),
];

for (const trail of TRAILS) {
  const name = trail.slice(join(ROOT, "..").length + 1);
  test(`each rule's query finds the events detect finds: ${name}`, { skip: skip || (existsSync(trail) ? false : `no ${trail}`) }, async (t) => {
    const p = prepareDetection({ rules: [SIGMA], bundled: false, now: 0 });
    // every copy of an event kept on both sides, each finding placed by its @ptr
    const r = await new Detector(p.sigma, [], []).run([trail], { warn: () => {}, keepDuplicates: true });
    const { events, ptrs } = await readEventsAt([trail]);
    const at = new Map(ptrs.map((x, i) => [x, i]));
    const found = new Map<unknown, number[]>();
    for (const f of r.findings) {
      let l = found.get(f.rule);
      if (!l) found.set(f.rule, (l = []));
      l.push(at.get(f.event.ptr)!);
    }
    let fired = 0;
    for (const rule of p.sigma) {
      const mine = (found.get(rule) ?? []).sort((a, b) => a - b);
      if (mine.length) fired++;
      assert.deepEqual(queryFinds(ruleQuery(rule.rule), events), mine, rule.title);
    }
    t.diagnostic(`${events.length} events, ${r.findings.length} findings, ${fired} of ${p.sigma.length} rules fired; every query agrees`);
  });
}
