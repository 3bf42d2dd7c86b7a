// Detection in the parallel scan's worker threads gives what it gives on one thread: the same
// findings (rules, events, places, correlations' details), the same counts, the same copies skipped;
// correlations judged file by file as the scan goes (files in time order) fire as when judged at the
// end; and the cache of parsed rule files is used when a file is unchanged, and not when it changed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "../bin.js";
import { withWorkers } from "../workers.js";
import { SAMPLE, writeTrailWithCopies } from "../trails.js";
import { Detector, prepareDetection, type Prepared } from "../../src/detect/index.js";
import type { DetectResult, Finding } from "../../src/detect/engine.js";
import { tempDir } from "../temp.js";

const DIR = join(ROOT, "fixtures", "detect");
const RULES = join(DIR, "rules");
const EVENTS = join(DIR, "events.jsonl");
const SIGMA = join(ROOT, "..", "shared", "data", "sigma");
const NOW = Date.parse("2026-12-01T00:00:00Z");

const temp = (): string => tempDir("detect");

/** A finding as the tests compare them: everything it shows. */
const shown = ({ event: e, rule, detail }: Finding): string => JSON.stringify([e.time, rule.ruleId, rule.title, e.principal, e.sourceIP, e.eventName, e.region, e.account, e.eventID, e.ptr, detail ?? null]);

function figures(r: DetectResult): unknown {
  return { events: r.events, withFinding: r.eventsWithFinding, findings: r.tally.findings, duplicates: r.duplicates, read: r.read.eventsRead, files: r.read.filesRead, levels: [...r.tally.levels] };
}

async function both(p: Prepared, inputs: string[], opts: { keepDuplicates?: boolean } = {}): Promise<[DetectResult, DetectResult]> {
  const one = await withWorkers(0, () => p.detector.run(inputs, { warn: () => {}, ...opts }));
  const two = await withWorkers(2, () => p.detector.run(inputs, { warn: () => {}, ...opts }));
  assert.equal(one.workers, 0);
  assert.equal(two.workers, 2);
  return [one, two];
}

test("workers and one thread: the same findings, counts and copies skipped", async () => {
  const dir = temp();
  try {
    const copied = writeTrailWithCopies(dir);
    assert.ok(copied > 100);
    const p = prepareDetection({ rules: [RULES, ...(existsSync(SIGMA) ? [SIGMA] : [])], bundled: true, now: NOW });
    for (const keepDuplicates of [false, true]) {
      const [one, two] = await both(p, [dir], { keepDuplicates });
      assert.ok(one.findings.length > 100, `${one.findings.length} findings`);
      assert.equal(one.duplicates > 0, !keepDuplicates);
      assert.deepEqual(figures(two), figures(one));
      assert.deepEqual(two.findings.map(shown), one.findings.map(shown));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The fixture's events, one CloudTrail file each (named with a delivery stamp a few minutes after the event), in the AWSLogs layout. */
function stampedTrail(dir: string): void {
  const lines = readFileSync(EVENTS, "utf8").split("\n").filter((l) => l.trim());
  lines.forEach((line, i) => {
    const ev = JSON.parse(line) as { eventTime: string; recipientAccountId: string; awsRegion: string };
    const t = new Date(Date.parse(ev.eventTime) + 5 * 60_000);
    const stamp = t.toISOString().slice(0, 16).replace(/[-:]/g, "");
    const folder = join(dir, "AWSLogs", ev.recipientAccountId, "CloudTrail", ev.awsRegion, "2024", "05", "01");
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${ev.recipientAccountId}_CloudTrail_${ev.awsRegion}_${stamp}Z_f${String(i).padStart(3, "0")}.json.gz`), gzipSync(JSON.stringify({ Records: [JSON.parse(line)] })));
  });
}

test("correlations judged file by file as the files come in time order fire as when judged at the end", async () => {
  const dir = temp();
  try {
    stampedTrail(dir);
    const p = prepareDetection({ rules: [RULES], bundled: false, now: NOW });
    const key = (f: Finding): string => `${f.rule.ruleId} ${f.event.eventID} ${f.detail ?? ""}`;
    // one file: every correlation judged at its end
    const whole = await p.detector.run([EVENTS], { warn: () => {} });
    const fired = whole.findings.filter((f) => f.rule.origin === "correlation").map(key);
    assert.equal(fired.length, 4, fired.join("; "));
    for (const r of await both(p, [dir])) {
      assert.deepEqual(r.findings.map(key).sort(), whole.findings.map(key).sort());
      assert.equal(r.eventsWithFinding, whole.eventsWithFinding);
      assert.equal(r.read.filesRead, 19);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the rules cache: a file unchanged is not parsed again, a changed one is; the rules are the same", () => {
  const home = temp();
  const rules = temp();
  const before = process.env["XDG_CACHE_HOME"];
  process.env["XDG_CACHE_HOME"] = home;
  try {
    for (const f of readdirSync(RULES)) writeFileSync(join(rules, f), readFileSync(join(RULES, f)));
    const load = (): Prepared => prepareDetection({ rules: [rules], bundled: false, now: NOW, cache: true });
    const ids = (p: Prepared): string[] => p.sigma.map((r) => `${r.ruleId} ${r.level} ${r.title}`);
    const first = load();
    assert.equal(first.files, 18);
    assert.equal(first.cached, 0);
    assert.equal(readdirSync(join(home, "trailq", "rules")).length, 1);
    const second = load();
    assert.equal(second.cached, 18);
    assert.deepEqual(ids(second), ids(first));
    assert.deepEqual(second.notRun, first.notRun);
    assert.deepEqual(second.sigma.map((r) => r.rule), first.sigma.map((r) => r.rule));
    // the same size, a new modification time: read again, and the change is seen
    const file = join(rules, "kali_user_agent.yml");
    const text = readFileSync(file, "utf8");
    assert.match(text, /^level: medium$/m);
    writeFileSync(file, text.replace(/^level: medium$/m, "level: low   "));
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    const third = load();
    assert.equal(third.cached, 17);
    assert.equal(third.sigma.find((r) => r.ruleId === "fx-kali")!.level, "low");
    // without the cache (prepareDetection's default): every file parsed
    assert.equal(prepareDetection({ rules: [rules], bundled: false, now: NOW }).cached, 0);
  } finally {
    if (before === undefined) delete process.env["XDG_CACHE_HOME"];
    else process.env["XDG_CACHE_HOME"] = before;
    rmSync(home, { recursive: true, force: true });
    rmSync(rules, { recursive: true, force: true });
  }
});

test("templates are shown only the events of the names their first filter needs, with the findings of every event shown to all", async () => {
  const p = prepareDetection({ rules: [], bundled: true, now: NOW });
  const sg = p.templates.find((t) => t.ruleId === "cis-security-group-changes")!;
  assert.deepEqual([...sg.eventNames!].sort(), ["AuthorizeSecurityGroupEgress", "AuthorizeSecurityGroupIngress", "CreateSecurityGroup", "DeleteSecurityGroup", "RevokeSecurityGroupEgress", "RevokeSecurityGroupIngress"]);
  assert.equal(p.templates.find((t) => t.ruleId === "cis-root-account-usage")!.eventNames, undefined);
  const everyEvent = new Detector([], [], p.templates.map((t) => ({ ...t, eventNames: undefined })));
  const [dispatched, all] = await withWorkers(0, async () => [await p.detector.run([SAMPLE], { warn: () => {} }), await everyEvent.run([SAMPLE], { warn: () => {} })]);
  assert.ok(dispatched!.findings.length > 50, `${dispatched!.findings.length} findings`);
  assert.deepEqual(dispatched!.findings.map(shown), all!.findings.map(shown));
});
