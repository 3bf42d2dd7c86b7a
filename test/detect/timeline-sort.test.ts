// The timeline's order kept as the scan goes (src/detect/timeline-sort.ts): whatever order the
// findings come in, file by file, and wherever the bounds fall, they are handed on in timelineOrder,
// each once, none before its bound allows; past its limit, through the overflow, still in order.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Finding, timelineOrder, type FindingEvent } from "../../src/detect/engine.js";
import type { RuleInfo } from "../../src/detect/sigma.js";
import { TimelineSort, type TimelineOverflow } from "../../src/detect/timeline-sort.js";
import { Rng } from "../../src/generator/rng.js";

const RULES: RuleInfo[] = ["b rule", "a rule", "c rule", "a rule"].map((title, i) => ({ ruleId: `r${i}`, title, level: "low", author: "", tags: [], file: "", origin: "sigma" }));
const RANK = new Map(RULES.map((r) => [r, [...new Set(RULES.map((x) => x.title))].sort().indexOf(r.title)]));

/** Files of findings as a scan gives them: each file's events within an hour before its stamp, in any order; some without a time. */
function scan(seed: number, files: number): { findings: Finding[][]; bounds: number[] } {
  const rng = new Rng(seed);
  const rnd = (n: number): number => rng.int(0, n - 1);
  const findings: Finding[][] = [];
  const bounds: number[] = [];
  let stamp = 3_600_000;
  for (let f = 0; f < files; f++) {
    stamp += 60_000 * rnd(3);
    const here: Finding[] = [];
    for (let e = 0; e < rnd(12); e++) {
      const ev: FindingEvent = { time: rnd(20) === 0 ? NaN : stamp - rnd(60) * 60_000, principal: null, sourceIP: null, eventName: null, region: null, account: null, eventID: `${f}-${e}`, ptr: "", place: f * 1000 + e };
      for (let k = 0; k < 1 + rnd(3); k++) {
        const rule = RULES[rnd(RULES.length)]!;
        here.push(new Finding(ev, rule, RANK.get(rule)!));
      }
    }
    findings.push(here);
    bounds.push(stamp - 3_600_000);
  }
  // after file i: no file still to come holds an event older than the next one's earliest (the stamps grow)
  return { findings, bounds: bounds.map((_, i) => bounds[i + 1] ?? Infinity) };
}

function run(seed: number, limit: number): { out: Finding[]; overflowed: boolean } {
  const { findings, bounds } = scan(seed, 200);
  const out: Finding[] = [];
  let overflowed = false;
  let released = -Infinity;
  const overflow = (): TimelineOverflow => {
    overflowed = true;
    const held: Finding[] = [];
    return {
      push: (f) => {
        assert.equal(f.rank, RANK.get(f.rule));
        held.push(f);
      },
      release() {},
      end: () => out.push(...held.sort(timelineOrder)),
      late: 0,
    };
  };
  const t = new TimelineSort((f) => {
    // nothing is handed on before its bound allows
    if (!overflowed) assert.ok(!(f.event.time >= released), `${f.event.time} handed on before the bound ${released}`);
    out.push(f);
  }, limit, overflow);
  findings.forEach((file, i) => {
    for (const f of file) t.push(f);
    released = bounds[i]!;
    t.release(bounds[i]!);
  });
  t.end();
  // every finding once, in the timeline's order
  const all = findings.flat();
  assert.equal(out.length, all.length);
  assert.equal(new Set(out).size, all.length);
  assert.deepEqual(out, [...all].sort(timelineOrder));
  return { out, overflowed };
}

test("findings come out in the timeline's order, each once, none before its bound", () => {
  for (let seed = 1; seed <= 20; seed++) assert.equal(run(seed, Infinity).overflowed, false);
});

test("past its limit the timeline goes to the overflow with everything held, and stays in order", () => {
  for (let seed = 1; seed <= 20; seed++) assert.equal(run(seed, 40).overflowed, true);
});

test("late findings are counted as written out of order only when they are: by the sort's own bound, not after it hands over to one that orders them all", () => {
  const ev = (time: number, place: number): FindingEvent => ({ time, principal: null, sourceIP: null, eventName: null, region: null, account: null, eventID: String(place), ptr: "", place });
  const rule = RULES[0]!;
  const finding = (time: number, place: number): Finding => new Finding(ev(time, place), rule, RANK.get(rule)!);
  const orderAll = (): TimelineOverflow & { held: Finding[] } => {
    const held: Finding[] = [];
    return { held, push: (f) => void held.push(f), release() {}, end() {}, late: 0 };
  };
  // in memory: a finding older than what was written is late
  const kept = new TimelineSort(() => {}, Infinity, orderAll);
  kept.push(finding(2_000, 1));
  kept.release(3_000);
  kept.push(finding(1_000, 2));
  assert.equal(kept.late, 1);
  // handed over before anything was written: the overflow orders them all, none is late
  const over = new TimelineSort(() => {}, 1, orderAll);
  over.push(finding(2_000, 1));
  over.push(finding(2_500, 2));
  over.release(3_000);
  over.push(finding(1_000, 3));
  assert.equal(over.late, 0);
  // written up to a bound, then handed over: a finding older than that bound is still late
  const after = new TimelineSort(() => {}, 2, orderAll);
  after.push(finding(2_000, 1));
  after.release(3_000);
  after.push(finding(4_000, 2));
  after.push(finding(4_500, 3));
  after.push(finding(5_000, 4));
  after.release(6_000);
  after.push(finding(1_000, 5));
  after.push(finding(3_500, 6));
  assert.equal(after.late, 1);
});
