// Value classes that JavaScript would get wrong by default, on one thread and in workers: keys
// named like the properties every object inherits are ordinary fields.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { queryRows } from "../../src/api.js";
import { naturalCompare, naturalCompareText, sortCompare } from "../../src/exec/values.js";
import { aggregateFunctions, doubleOfUnits, unitsOf } from "../../src/functions/aggregate.js";
import type { Value } from "../../src/exec/values.js";
import fc from "fast-check";
import { withWorkers } from "../workers.js";
import { tempDir } from "../temp.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const HOSTILE = `${ROOT}fixtures/golden/hostile.jsonl`;
const RECORDS = `${ROOT}fixtures/golden/prototype-names.json`;


test("prototype names read after the workers' barrier cross to the main thread as the event's own fields", async () => {
  // the sort is the barrier: constructor and toString are read from the events the workers send
  // (the two files hold h-1 and h-6 each: JSON lines parsed whole, a Records document projected)
  const q = "sort eventID asc | fields eventID, constructor, ispresent(toString) as t, ispresent(constructor) as c";
  const one = await withWorkers(0, () => queryRows(q, [HOSTILE, RECORDS], { keepDuplicates: true }));
  const two = await withWorkers(2, () => queryRows(q, [HOSTILE, RECORDS], { keepDuplicates: true }));
  assert.equal(two.result.workers, 2);
  assert.deepEqual(two.rows, one.rows);
  assert.deepEqual(one.rows.filter((r) => r["eventID"] === "h-6"), [1, 2].map(() => ({ eventID: "h-6", constructor: "c-top", t: 0, c: 1 })));
  assert.deepEqual(one.rows.filter((r) => r["eventID"] === "h-1"), [1, 2].map(() => ({ eventID: "h-1", t: 0, c: 0 })));
  assert.equal(one.rows.length, 8);
});

test("a dynamic key and a column named __proto__ stay data", async () => {
  const r = await queryRows('filter eventID = "h-6" | fields requestParameters["toString"] as a, requestParameters["valueOf"] as b, requestParameters["__proto__"] as c, eventName as __proto__', [HOSTILE]);
  assert.deepEqual(r.rows, [{ a: "ts", c: "p", ["__proto__"]: "GetObject" }]);
  assert.ok(Object.hasOwn(r.rows[0]!, "__proto__"));
  assert.equal(Object.getPrototypeOf(r.rows[0]), Object.prototype);
});

test("every bad eventTime is counted, warned about three times a file, the same on one thread and in workers", async () => {
  const dir = tempDir("times");
  try {
    // two files, each with 2 good times and 5 bad ones spread over several batches' worth of events
    for (const f of ["a", "b"]) {
      const events = [];
      for (let i = 0; i < 4500; i++) {
        const bad = i % 1000 === 999;
        events.push({ eventSource: "s3.amazonaws.com", eventName: "GetObject", eventID: `${f}-${i}`, eventTime: bad ? `not a time ${i}` : 1793599200 + i });
      }
      writeFileSync(join(dir, `${f}.json`), JSON.stringify({ Records: events }));
    }
    const q = "stats count(*) as n, count(@timestamp) as timed";
    const one = await withWorkers(0, () => queryRows(q, [dir]));
    const two = await withWorkers(2, () => queryRows(q, [dir]));
    assert.equal(two.result.workers, 2);
    assert.deepEqual(one.rows, [{ n: 9000, timed: 8992 }]);
    assert.deepEqual(two.rows, one.rows);
    assert.equal(one.result.read.eventsBadTime, 8);
    assert.equal(two.result.read.eventsBadTime, 8);
    const expected = ["a", "b"].flatMap((f) => [
      ...[999, 1999, 2999].map((i) => `${join(dir, f)}.json: record ${i + 1}: eventTime "not a time ${i}" is not a time: the event has no @timestamp`),
      `${join(dir, f)}.json: more events with an eventTime that is not a time, not shown (the summary counts them)`,
    ]);
    const relative = (w: string): string => w.replace(/^[^:]*:/, (p) => resolve(process.cwd(), p.slice(0, -1)) + ":");
    assert.deepEqual(one.warnings.map(relative), expected);
    assert.deepEqual(two.warnings.map(relative), expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("natural order: digit runs compare as the numbers they write, leading zeros and all; numbers after text; the order is total", () => {
  const sorted = (xs: string[]): string[] => [...xs].sort(naturalCompare);
  // 007 is 7: before 8 (by the length of the digits it was after 9); a1 and a01 are one place, more zeros first
  assert.deepEqual(sorted(["file-8", "file-007", "file-10", "file-9"]), ["file-007", "file-8", "file-9", "file-10"]);
  assert.deepEqual(sorted(["a01", "a1", "a001b", "a1a", "a2"]), ["a01", "a1", "a1a", "a001b", "a2"]);
  // the AWS -Sort page's own example, whose tail is `0 01 1 2 3`
  assert.deepEqual(sorted(["3", "1", "01", "2", "0"]), ["0", "01", "1", "2", "3"]);
  // eventIDs (hex UUIDs): a run of zeros is the number 0, before 3
  assert.deepEqual(sorted(["3cfc7a2b-1e74", "00e9b1b8-2b23", "0a4a4ee3-b1a7", "0d86f878-d8c0"]), ["0a4a4ee3-b1a7", "0d86f878-d8c0", "00e9b1b8-2b23", "3cfc7a2b-1e74"]);
  // numbers (and numeric text) after every other value, compared as numbers
  assert.deepEqual(sorted(["10", "x", "9", "007"]), ["x", "007", "9", "10"]);
  // total: only equal text compares equal, and the order is the same read either way
  const all = ["a1", "a01", "a001", "a1b", "a01b", "b", "0", "00", "1", "x10y", "x010y"];
  for (const a of all) for (const b of all) {
    assert.equal(Math.sign(naturalCompare(a, b)) + Math.sign(naturalCompare(b, a)), 0, `${a} ${b}`);
    assert.equal(naturalCompare(a, b) === 0, a === b, `${a} ${b}`);
  }
  assert.equal(sortCompare("file-007", "file-8", true), 1);
  // numbers written with spaces of any kind around them, signs, points, exponents: numbers still
  assert.deepEqual(sorted(["7x", " 12 ", "\u00a03\u00a0", "+4", "-5", ".5", "1e1", "x"]), ["7x", "x", "-5", ".5", "\u00a03\u00a0", "+4", "1e1", " 12 "]);
});

test("natural order in one pass gives the order of its definition: texts cut into digit runs and other runs, compared run by run", () => {
  // the definition, written plainly (what the one-pass comparison replaced for speed)
  const runs = (t: string): string[] => t.match(/\d+|\D+/g) ?? [];
  const significant = (r: string): string => r.replace(/^0+(?=\d)/, "");
  const byDefinition = (a: string, b: string): number => {
    const [ca, cb] = [runs(a), runs(b)];
    let zeros = 0;
    for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
      const [x, y] = [ca[i]!, cb[i]!];
      if (x === y) continue;
      if (/^\d/.test(x) && /^\d/.test(y)) {
        const [xs, ys] = [significant(x), significant(y)];
        if (xs.length !== ys.length) return xs.length - ys.length;
        if (xs !== ys) return xs < ys ? -1 : 1;
        if (zeros === 0) zeros = y.length - x.length;
        continue;
      }
      return x < y ? -1 : 1;
    }
    return ca.length !== cb.length ? ca.length - cb.length : zeros;
  };
  const text = fc.string({ unit: fc.constantFrom("0", "0", "1", "9", "a", "b", "-", ".", "Z", "\u0000", "é"), maxLength: 12 });
  fc.assert(
    fc.property(text, text, (a, b) => {
      assert.equal(Math.sign(naturalCompareText(a, b)), Math.sign(byDefinition(a, b)), JSON.stringify([a, b]));
    }),
    { numRuns: 20_000 },
  );
});

test("keys of several values never run together: a \\u0001 in a value does not make two groups one", async () => {
  const dir = tempDir("key-parts");
  try {
    const ev = (n: number, a: string, b: string): string => JSON.stringify({ eventTime: `2024-01-01T00:00:0${n}Z`, eventID: `k${n}`, eventName: "X", a, b });
    writeFileSync(join(dir, "k.jsonl"), [ev(1, "p", "q\u0001sr"), ev(2, "p\u0001sq", "r"), ev(3, "p\u0002", "\u0001x"), ev(4, "p", "\u0002\u0001x")].join("\n") + "\n");
    assert.equal((await queryRows("stats count(*) as n by a, b", [dir])).rows.length, 4);
    assert.equal((await queryRows("dedup a, b", [dir])).rows.length, 4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("pct is the nearest rank, ceil(p·n/100), whatever the float's error in p/100", async () => {
  const dir = tempDir("pct");
  try {
    writeFileSync(join(dir, "v.jsonl"), Array.from({ length: 1000 }, (_, i) => JSON.stringify({ eventTime: "2024-01-01T00:00:00Z", eventID: `p${i}`, eventName: "X", v: i + 1, w: i < 100 ? i + 1 : null })).join("\n") + "\n");
    const [row] = (await queryRows("stats pct(w, 7) as a, pct(w, 14) as b, pct(w, 28) as c, pct(w, 56) as d, pct(v, 99.9) as e, pct(v, 0.1) as f, pct(v, 0) as g, pct(v, 100) as h", [dir])).rows;
    assert.deepEqual(row, { a: 7, b: 14, c: 28, d: 56, e: 999, f: 1, g: 1, h: 1000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("histogram: every value counted once, its keys apart however narrow the buckets, a value past any number in an end bucket", async () => {
  const dir = tempDir("histogram");
  try {
    const values: [string, string][] = [["0", "5"], ["0.0000001", "1e400"], ["0.00000005", "1e400"], ["0.00000005", "-1e400"]];
    writeFileSync(join(dir, "v.jsonl"), values.map(([v, big], i) => `{"eventTime":"2024-01-01T00:00:00Z","eventID":"h${i}","eventName":"X","v":${v},"big":${big}}`).join("\n") + "\n");
    const [row] = (await queryRows("stats histogram(v, 4) as narrow, histogram(big, 2) as unbounded, histogram(v * 1e7, 2) as plain", [dir])).rows;
    // the edges at 6 significant digits had made the four keys of `narrow` one (0-0)
    assert.deepEqual(row, {
      narrow: { "0-2.5e-8": 1, "2.5e-8-5e-8": 0, "5e-8-7.5e-8": 2, "7.5e-8-1e-7": 1 },
      unbounded: { "-Infinity-6": 2, "6-Infinity": 2 },
      plain: { "0-0.5": 1, "0.5-1": 3 },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("rate: of rows of one time, the first met, as earliest and latest take it; the same on one thread and in workers", async () => {
  const dir = tempDir("rate-ties");
  try {
    // 40 files of one event: events 0-19 at 00:00, 20-39 at 00:10, v = the event's number
    for (let i = 0; i < 40; i++) {
      const time = i < 20 ? "2024-01-01T00:00:00Z" : "2024-01-01T00:10:00Z";
      writeFileSync(join(dir, `f${String(i).padStart(2, "0")}.jsonl`), JSON.stringify({ eventTime: time, eventID: `r${i}`, eventName: "X", v: i }) + "\n");
    }
    const q = "stats rate(v, 1m) as r, earliest(v) as first, latest(v) as last";
    // (20 - 0) over 10 minutes: 2 a minute
    const expected = [{ r: 2, first: 0, last: 20 }];
    assert.deepEqual((await withWorkers(0, () => queryRows(q, [dir]))).rows, expected);
    for (let run = 0; run < 3; run++) {
      const two = await withWorkers(2, () => queryRows(q, [dir]));
      assert.equal(two.result.workers, 2);
      assert.deepEqual(two.rows, expected);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("count_distinct past its exact limit says its answer is an estimate; under it, no word", async () => {
  const dir = tempDir("count-distinct");
  try {
    // 100,001 distinct values in one group (estimated), 3 in the others
    const lines = Array.from({ length: 100_001 }, (_, i) => `{"eventTime":"2024-01-01T00:00:00Z","eventID":"d${i}","eventName":"Many","v":"v${i}"}`);
    for (const name of ["A", "B"]) for (let i = 0; i < 3; i++) lines.push(`{"eventTime":"2024-01-01T00:00:00Z","eventID":"${name}${i}","eventName":"${name}","v":"v${i}"}`);
    writeFileSync(join(dir, "v.jsonl"), lines.join("\n") + "\n");
    const r = await queryRows("stats count_distinct(v) as n by eventName", [dir]);
    assert.deepEqual(r.rows.filter((row) => row["eventName"] !== "Many"), [{ eventName: "A", n: 3 }, { eventName: "B", n: 3 }]);
    // the estimate is held between what is known: more than 100,000 distinct, no more than the 100,001 values
    const many = r.rows.find((row) => row["eventName"] === "Many")!["n"] as number;
    assert.equal(many, 100_001);
    assert.deepEqual(r.warnings, ["count_distinct(v) is an estimate in 1 of 3 groups: past 100,000 distinct values it counts with a HyperLogLog sketch (a standard error of about 0.8 %)"]);
    const exact = await queryRows('filter eventName != "Many" | stats count_distinct(v) as n', [dir]);
    assert.deepEqual(exact.rows, [{ n: 3 }]);
    assert.deepEqual(exact.warnings, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("sum and avg are the exact sum rounded once, whatever the order and the threads", async () => {
  const dir = tempDir("fsum");
  try {
    // 1e16 + 1 - 1e16 is 0 summed left to right, 1 exactly; split over files, two workers see another order
    const values = [1e16, 1, -1e16, 0.1, 0.2, 0.3, 1e-3, 123456.789, -2.5];
    for (let f = 0; f < values.length; f++) writeFileSync(join(dir, `f${f}.jsonl`), JSON.stringify({ eventTime: "2024-01-01T00:00:00Z", eventID: `f${f}`, eventName: "X", v: values[f] }) + "\n");
    // math.fsum of the values, and it divided by 9
    const expected = { s: 123455.89, a: 13717.32111111111 };
    assert.deepEqual((await queryRows("stats sum(v) as s, avg(v) as a", [dir])).rows, [expected]);
    await withWorkers(2, async () => assert.deepEqual((await queryRows("stats sum(v) as s, avg(v) as a", [dir])).rows, [expected]));
    // an infinite value decides the sum; one of each sign is no number
    writeFileSync(join(dir, "inf.jsonl"), JSON.stringify({ eventTime: "2024-01-01T00:00:00Z", eventID: "i", eventName: "X", v: "1e400" }) + "\n");
    assert.equal((await queryRows("stats sum(v) as s", [dir])).rows[0]!["s"], "Infinity", "Infinity is written, as a string in JSON (render.ts)");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("sum: partial sums past the double's range go on exactly: 1e308 + 1e308 - 1e308 - 1e308 is 0 in any order, split in any way (workers, spilling)", () => {
  const fn = aggregateFunctions.find((f) => f.name === "sum")!;
  const sumOf = (xs: number[]): Value => {
    const a = fn.create([], false);
    for (const x of xs) a.add(x, NaN, 0);
    return a.result();
  };
  const orders = (xs: number[]): number[][] => (xs.length <= 1 ? [xs] : xs.flatMap((x, i) => orders([...xs.slice(0, i), ...xs.slice(i + 1)]).map((o) => [x, ...o])));
  for (const [xs, want] of [
    [[1e308, 1e308, -1e308, -1e308], 0],
    [[1e308, 1e308, -1e308], 1e308],
    [[1.7976931348623157e308, 1.7976931348623157e308, -1.7976931348623157e308, 0.5], 1.7976931348623157e308],
    [[1e308, 1e308, 1e308, -1e308], Infinity],
  ] as [number[], number][]) {
    for (const o of orders(xs)) {
      assert.equal(sumOf(o), want, String(o));
      // every split into two parts, merged (a worker's or a spilled part)
      for (let k = 1; k < o.length; k++) {
        const a = fn.create([], false);
        const b = fn.create([], false);
        o.forEach((x, i) => (i < k ? a : b).add(x, NaN, i));
        a.merge(b);
        assert.equal(a.result(), want, `${o} split at ${k}`);
      }
    }
  }
});

test("sum: the partials and the units (unitsOf, doubleOfUnits) round the same exact sums to the same double; a half unit past the largest double is Infinity", () => {
  const max = Number.MAX_VALUE;
  assert.equal(doubleOfUnits(unitsOf(max) + (unitsOf(2 ** 971) >> 1n)), Infinity, "a tie rounds to even: 2^1024");
  assert.equal(doubleOfUnits(unitsOf(max) + (unitsOf(2 ** 971) >> 2n)), max);
  assert.equal(doubleOfUnits(-unitsOf(max) - (unitsOf(2 ** 971) >> 1n)), -Infinity);
  const fn = aggregateFunctions.find((f) => f.name === "sum")!;
  const double = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 });
  fc.assert(
    fc.property(fc.array(double, { minLength: 1, maxLength: 12 }), (xs) => {
      for (const x of xs) assert.equal(doubleOfUnits(unitsOf(x)), x === 0 ? 0 : x);
      const a = fn.create([], false);
      for (const x of xs) a.add(x, NaN, 0);
      assert.equal(a.result(), doubleOfUnits(xs.reduce((t, x) => t + unitsOf(x), 0n)) || 0);
    }),
    { numRuns: 2000, seed: 45 },
  );
});

test("rate multiplies the change by the interval before dividing by the time between: 10 to 1000 in 30 minutes is 1980 an hour", () => {
  const fn = aggregateFunctions.find((f) => f.name === "rate")!;
  const hour = { amount: 1, unit: "h" } as unknown as Value;
  const r = fn.create([hour], false);
  r.add(10, Date.parse("2026-11-01T00:00:00Z"), 0);
  r.add(1000, Date.parse("2026-11-01T00:30:00Z"), 1);
  assert.equal(r.result(), 1980);
  const big = fn.create([hour], false);
  big.add(-1e307, 0, 0);
  big.add(1e307, 3_600_000_000, 1);
  const got = big.result() as number;
  assert.ok(Math.abs(got - 2e304) < 1e290, `a change times the interval past the range is divided first: ${got}`);
});

test("stddev of values past 1e154 (whose squares pass the double's range), added or merged", () => {
  const fn = aggregateFunctions.find((f) => f.name === "stddev")!;
  const near = (got: Value, want: number): void => assert.ok(typeof got === "number" && Math.abs(got - want) <= 4e-16 * want, `${got} against ${want}`);
  for (const [xs, want] of [
    [[1e200, -1e200], 1e200],
    [[1e308, 1e308, -1e308, -1e308], 1e308],
    [[1e200, 1e200, 1e200], 0],
    [[3, 5, 1e160, -1e160], Math.sqrt(0.5) * 1e160],
  ] as [number[], number][]) {
    const a = fn.create([], false);
    for (const x of xs) a.add(x, NaN, 0);
    if (want === 0) assert.equal(a.result(), 0);
    else near(a.result(), want);
    for (let k = 1; k < xs.length; k++) {
      const p = fn.create([], false);
      const q = fn.create([], false);
      xs.forEach((x, i) => (i < k ? p : q).add(x, NaN, i));
      p.merge(q);
      if (want === 0) assert.equal(p.result(), 0);
      else near(p.result(), want);
    }
  }
});

test("stddev merges a part without numbers as nothing: a group of null and 1e300 is 0, not absent (spilled or from workers)", () => {
  const fn = aggregateFunctions.find((f) => f.name === "stddev")!;
  const empty = fn.create([], false);
  empty.add(null, NaN, 0);
  const big = fn.create([], false);
  big.add(1e300, NaN, 1);
  empty.merge(big);
  assert.equal(empty.result(), 0);
  const two = fn.create([], false);
  two.add(3, NaN, 0);
  const more = fn.create([], false);
  more.add(5, NaN, 1);
  two.merge(more);
  assert.equal(two.result(), 1);
});

test("groupKey: structures that differ only in a number past what a double holds (Infinity, -Infinity) or null are three keys; the same structures, one", async () => {
  const { groupKey } = await import("../../src/exec/values.js");
  const parsed = (text: string) => JSON.parse(text) as never;
  const keys = ['{"n":1e400}', '{"n":-1e400}', '{"n":null}', '[1e400,null]', '[null,null]', '{"a":{"b":[-1e400]}}', '{"a":{"b":[null]}}'].map((t) => groupKey(parsed(t)));
  assert.equal(new Set(keys).size, keys.length, keys.join(" | "));
  // the same structure, however written, is one key; a string "Infinity" is not the number
  assert.equal(groupKey(parsed('{"n":1e400,"m":[null]}')), groupKey(parsed('{"n":2e308,"m":[null]}')));
  assert.notEqual(groupKey(parsed('{"n":"Infinity"}')), groupKey(parsed('{"n":1e400}')));
  assert.notEqual(groupKey(parsed('{"n":"1e999"}')), groupKey(parsed('{"n":1e400}')));
  assert.equal(groupKey(parsed('{"n":1,"m":"x"}')), "j" + '{"n":1,"m":"x"}');
});
