// The memory budget (--memory): past it, sort, stats and dedup spill to temporary files and give
// the rows, in the order, that they give in memory; pattern stops with a MemoryError naming itself
// and the budget. On one thread and with workers; spill files are gone once the query ends.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { queryRows, type QueryRows } from "../../src/api.js";
import { generateTrail } from "../../src/generator/index.js";
import { MemoryBudget, MemoryError, formatBytes, heapKeeper, parseMemorySize, valueBytes } from "../../src/exec/memory.js";
import { StatsOp, type AggregateSlot } from "../../src/exec/operators/stats.js";
import { Row } from "../../src/exec/row.js";
import type { Value } from "../../src/exec/values.js";
import { aggregateFunctions } from "../../src/functions/aggregate.js";
import type { AggregateFn } from "../../src/functions/types.js";
import { ExitCode } from "../../src/errors.js";
import { BIN, ROOT, trailq } from "../bin.js";
import { withWorkers } from "../workers.js";
import { sharedRuns } from "../shared-runs.js";
import { tempDir } from "../temp.js";

const SMALL = 1 << 20;
let dir: string;
let trail: string;
/** Spill files go here (TMPDIR) during the tests, so that what is left behind can be seen. */
let spillRoot: string;
const savedTmp = process.env["TMPDIR"];

before(async () => {
  dir = tempDir("memory-test");
  trail = join(dir, "trail");
  spillRoot = join(dir, "tmp");
  await generateTrail({ outDir: trail, events: 6000, seed: 11, start: "2026-03-01T00:00:00Z", days: 1 });
  mkdirSync(spillRoot);
  process.env["TMPDIR"] = spillRoot;
});

after(() => {
  if (savedTmp === undefined) delete process.env["TMPDIR"];
  else process.env["TMPDIR"] = savedTmp;
  rmSync(dir, { recursive: true, force: true });
});


const SPILLING = [
  // external merge sort: whole events, and a key with many ties (ties keep the scan's order)
  "fields @message | sort requestID",
  "fields eventName, eventID | sort eventName",
  "fields eventName, eventID | sort eventName desc | limit 4000",
  // stats by a unique field, and by a few keys with aggregates that keep values
  "stats count(*) by eventID",
  "stats count(*) as n, earliest(eventID) as e, pct(@timestamp, 50) as p, count_distinct(sourceIPAddress) as ips by userIdentity.arn, eventName, bin(1h)",
  "stats count(*) by eventID | sort eventID desc",
  // dedup: after the default order (sort then dedup), after a sort, and on its own after stats
  "dedup requestID",
  "fields eventName, requestID | sort eventName | dedup requestID",
  "stats count(*) as n by eventID, eventName | dedup eventID",
];

/**
 * A query's run past the 1 MB budget, on one thread or with two workers, made once: the test of the
 * query below and the comparison of one thread with workers read the same run.
 */
const spilledRuns = sharedRuns<QueryRows>();
const spilledRun = (q: string, workers: number): Promise<QueryRows> => spilledRuns(`${workers} ${q}`, () => withWorkers(workers, () => queryRows(q, [trail], { memory: SMALL })));

/**
 * A query's rows in memory (no budget given), on one thread, made once: what the spilled runs on one
 * thread and with workers must give (two workers give what one thread gives, exec/parallel.test).
 */
const inMemoryRuns = sharedRuns<QueryRows>();
const inMemory = (q: string): Promise<QueryRows> => inMemoryRuns(q, () => withWorkers(0, () => queryRows(q, [trail])));

for (const q of SPILLING) {
  for (const workers of [0, 2]) {
    test(`past a ${formatBytes(SMALL)} budget, ${workers ? "with workers" : "on one thread"}: the rows of memory, spilled: ${q}`, async () => {
      const free = await inMemory(q);
      const small = await spilledRun(q, workers);
      assert.equal(free.result.spilled, 0);
      assert.ok(small.result.spilled > 0, "it spilled");
      assert.equal(small.result.workers, workers);
      assert.ok(free.rows.length > 1000, `${free.rows.length} rows`);
      assert.deepEqual(small.rows, free.rows);
      assert.deepEqual(readdirSync(spillRoot), [], "no spill files left");
    });
  }
}

test("with workers and without, the spilled rows are the same; workers without a budget spill nothing where they hold groups of their own", async () => {
  for (const q of ["stats count(*) by eventID", "dedup requestID", "fields @message | sort requestID"]) {
    assert.ok(SPILLING.includes(q));
    const one = await spilledRun(q, 0);
    const two = await spilledRun(q, 2);
    assert.ok(one.result.spilled > 0 && two.result.spilled > 0, "both spilled");
    assert.equal(two.result.workers, 2);
    assert.deepEqual(two.rows, one.rows);
  }
  // the workers' share of the default budget (stats, and a sort before dedup: firstPerKey) holds
  // the whole: no spill, the rows of one thread
  for (const q of ["stats count(*) by eventID", "fields eventName, requestID | sort eventName | dedup requestID"]) {
    assert.ok(SPILLING.includes(q));
    const free = await withWorkers(2, () => queryRows(q, [trail]));
    assert.equal(free.result.workers, 2, q);
    assert.equal(free.result.spilled, 0, q);
    assert.deepEqual(free.rows, (await inMemory(q)).rows, q);
  }
  assert.deepEqual(readdirSync(spillRoot), [], "no spill files left");
});

test("pattern past its budget stops with a MemoryError naming it and the budget", async () => {
  for (const workers of [0, 2]) {
    await assert.rejects(
      withWorkers(workers, () => queryRows("pattern @message", [trail], { memory: SMALL })),
      (e: unknown) => {
        assert.ok(e instanceof MemoryError);
        assert.equal(e.exitCode, ExitCode.memory);
        assert.equal(e.message, "pattern needs more than the 1 MB memory budget (--memory); narrow the input (filter, --since) or raise --memory");
        return true;
      },
    );
  }
  // within the budget it gives its patterns
  const r: QueryRows = await queryRows("pattern eventName", [trail], { memory: SMALL });
  assert.ok(r.rows.length > 5);
  assert.deepEqual(readdirSync(spillRoot), []);
});

test("a group's distinct values past the budget stop the query on one thread and with workers alike (the workers' parts merged are counted too)", async () => {
  for (const workers of [0, 2]) {
    await assert.rejects(
      withWorkers(workers, () => queryRows("stats count_distinct(eventID) as n", [trail], { memory: 256 * 1024 })),
      (e: unknown) => {
        assert.ok(e instanceof MemoryError, `workers ${workers}: ${String(e)}`);
        assert.equal(e.message, "stats needs more than the 256 KB memory budget (--memory); narrow the input (filter, --since) or raise --memory");
        return true;
      },
    );
  }
  assert.deepEqual(readdirSync(spillRoot), []);
});

test("the command line: --memory spills and says so; pattern's message and exit code; bad values", () => {
  const env = { TMPDIR: spillRoot };
  const spilled = trailqEnv(["query", "stats count(*) by eventID | limit 3", trail, "-f", "csv", "--memory", "1M"], env);
  assert.equal(spilled.status, 0, spilled.stderr);
  assert.equal(spilled.stdout.split("\r\n").length, 5);
  assert.match(spilled.stderr, /· \d+ (KB|MB) spilled to temporary files \(past the --memory budget\)/);
  const p = trailqEnv(["query", "pattern @message", trail, "--memory", "1m"], env);
  assert.deepEqual(p, {
    status: ExitCode.memory,
    stdout: "",
    stderr: "trailq: pattern needs more than the 1 MB memory budget (--memory); narrow the input (filter, --since) or raise --memory\n",
  });
  for (const [value, message] of [
    ["lots", 'bad value for --memory "lots": not a size such as 512M or 2G'],
    ["100K", "bad value for --memory: 100K is less than the smallest budget, 1 MB"],
    ["900T", "bad value for --memory: 900T is more than node's heap allows here"],
  ] as const) {
    const r = trailq(["query", "limit 1", trail, "--memory", value]);
    assert.equal(r.status, ExitCode.usage);
    assert.ok(r.stderr.startsWith(`trailq: ${message}`), r.stderr);
  }
  assert.deepEqual(readdirSync(spillRoot), []);
});

function trailqEnv(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(BIN, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("Ctrl-C while spilled: the spill files are removed (once, and twice: at once); SIGTERM and SIGHUP remove them too, and end the process by the signal", async () => {
  const events = (await queryRows("fields @message | limit 3000", [trail])).rows.map((r) => String(r["@message"]));
  for (const presses of [1, 2, "SIGTERM", "SIGHUP"] as const) {
    const child = spawn(BIN, ["query", "fields @message | sort requestID", "-", "-q", "-f", "jsonl", "--memory", "1M"], {
      cwd: ROOT, env: { ...process.env, TMPDIR: spillRoot }, stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    child.stdin.on("error", () => {}); // the child may be gone before standard input is closed
    // enough events to spill, and standard input left open: the run waits for more
    child.stdin.write(events.join("\n") + "\n");
    for (let i = 0; i < 1000 && readdirSync(spillRoot).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(readdirSync(spillRoot).length, 1, "a spill folder while it runs");
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("exit", (code, signal) => resolve([code, signal])));
    if (typeof presses === "number") for (let i = 0; i < presses; i++) child.kill("SIGINT");
    else child.kill(presses);
    const [code, signal] = await exited;
    child.stdin.destroy();
    if (typeof presses === "number") assert.equal(code, ExitCode.interrupted, stderr);
    else assert.equal(signal, presses, stderr);
    assert.deepEqual(readdirSync(spillRoot), [], `no spill files left after ${presses} (Ctrl-C when a number)`);
  }
});

test("stats spilled many times: each group's parts merge to what one pass gives", () => {
  const fn = (name: string): AggregateFn => aggregateFunctions.find((f) => f.name === name)!;
  const arg = (r: Row): Value => r.ev!["v"] as Value;
  const slots: AggregateSlot[] = [
    { fn: fn("count"), text: "count(*)", params: [], star: true },
    { fn: fn("sum"), text: "sum(v)", arg, params: [], star: false },
    { fn: fn("min"), text: "min(v)", arg, params: [], star: false },
    { fn: fn("earliest"), text: "earliest(v)", arg, params: [], star: false },
    { fn: fn("pct"), text: "pct(v, 90)", arg, params: [90], star: false },
    { fn: fn("count_distinct"), text: "count_distinct(v)", arg, params: [], star: false },
  ];
  const run = (memory?: MemoryBudget): Record<string, Value>[] => {
    const out: Record<string, Value>[] = [];
    const sink = { push: (r: Row) => void out.push(r.x!), end() {} };
    const items = slots.map((_, i) => ({ name: `a${i}`, eval: (r: Row) => r.aggs![i] }));
    const op = new StatsOp(["k"], [(r) => r.ev!["k"] as Value], slots, items, sink, [], memory);
    // 3,000 keys, each met 4 times spread over the input (every 3,000 rows; 36,000 rows, 12 times
    // each, spilled 15 MB in 3.1 s: these 2.6 MB in 0.6 s); times repeat (earliest's ties)
    for (let i = 0; i < 12_000; i++) {
      const row = new Row({ k: `key-${(i * 7919) % 3000}`, v: (i * 31) % 1000 }, null, i, 1_000_000 + (i % 500) * 1000);
      row.pos = i;
      op.push(row);
    }
    op.end();
    return out;
  };
  const budget = new MemoryBudget(256 << 10);
  const spilled = run(budget);
  assert.ok(budget.spill.written > 1_000_000, `${budget.spill.written} bytes spilled`);
  budget.close();
  const free = run();
  assert.equal(free.length, 3000);
  assert.deepEqual(spilled, free);
});

test("sizes: --memory's units, and how they print", () => {
  assert.equal(parseMemorySize("512M"), 512 * 2 ** 20);
  assert.equal(parseMemorySize("2G"), 2 * 2 ** 30);
  assert.equal(parseMemorySize("1.5g"), 1.5 * 2 ** 30);
  assert.equal(parseMemorySize("800MB"), 800 * 2 ** 20);
  assert.equal(parseMemorySize("64KiB"), 64 * 2 ** 10);
  assert.equal(parseMemorySize("1048576"), 2 ** 20);
  assert.equal(parseMemorySize("2 GB"), 2 * 2 ** 30);
  for (const bad of ["", "M", "-1G", "1X", "1..5G", "1GG"]) assert.equal(parseMemorySize(bad), undefined, bad);
  assert.deepEqual([2 ** 30, 1.5 * 2 ** 30, 512 * 2 ** 20, 64 * 2 ** 10, 10].map(formatBytes), ["1.0 GB", "1.5 GB", "512 MB", "64 KB", "1 KB"]);
});

test("a row's estimated size grows with what it holds", () => {
  const small = valueBytes({ a: "x" });
  assert.ok(valueBytes({ a: "x".repeat(1000) }) >= small + 999);
  assert.ok(valueBytes({ a: "x", b: { c: [1, 2, 3] } }) > small);
  assert.equal(valueBytes(undefined), 0);
});

test("freeBuffers: a young collection when 12 MB of buffers came since the last; buffers held start no more collections", () => {
  const memory = new URL("../../src/exec/memory.js", import.meta.url).href;
  // 18 MB of buffers the size of a small file's gunzipped text, garbage at once; then 18 MB held,
  // which no collection frees (a collection's sweep is accounted by the next one): calls go on
  // collecting only as 12 MB more come, not at every call past 12 MB
  const script = `import v8 from "node:v8";
const { freeBuffers } = await import(${JSON.stringify(memory)});
const external = () => v8.getHeapStatistics().external_memory;
const counts = [];
let collections = 0;
const gc = globalThis.gc;
globalThis.gc = (o) => { collections++; gc(o); };
let dead = []; for (let i = 0; i < 2000; i++) dead.push(Buffer.alloc(9000));
dead = null;
const before = external();
freeBuffers();
counts.push(collections);
const held = []; for (let i = 0; i < 2000; i++) held.push(Buffer.alloc(9000));
for (let i = 0; i < 100; i++) freeBuffers();
counts.push(collections);
for (let i = 0; i < 1400; i++) Buffer.alloc(9000);
for (let i = 0; i < 100; i++) freeBuffers();
counts.push(collections);
console.log(JSON.stringify({ before, after: external(), counts, held: held.length }));`;
  const r = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const exposed = JSON.parse(r.stdout) as { before: number; after: number; counts: number[] };
  assert.ok(exposed.before > 16 * SMALL, `${exposed.before}`);
  // 18 MB dead: one; 18 MB held: none, or one more if the first's sweep is not yet accounted (V8
  // accounts it by the next), but not one a call; 12 MB more: one more
  const [dead, held, more] = exposed.counts as [number, number, number];
  assert.equal(dead, 1);
  assert.ok(held <= 2, `${held} collections`);
  assert.equal(more, held + 1);
  assert.ok(exposed.after < 40 * SMALL, `the dead buffers freed: ${exposed.after}`);
});

test("heapKeeper: garbage is collected past the floor; a heap that holds more and more is collected a few times, not every few MB", () => {
  const MB = 1 << 20;
  /** 2,000 steps of 1 MB each, `held` of it live: the collections made and the largest heap seen. */
  const simulate = (held: (step: number) => number): { collections: number; largest: number } => {
    let used = 0;
    let collections = 0;
    let largest = 0;
    let step = 0;
    const keep = heapKeeper(40 * MB, () => used, () => {
      collections++;
      used = held(step);
    });
    for (; step < 2000; step++) {
      used += MB;
      largest = Math.max(largest, used);
      keep();
    }
    return { collections, largest };
  };
  // 20 MB live, the rest garbage: collected each time the heap reaches 40 MB
  assert.deepEqual(simulate(() => 20 * MB), { collections: 99, largest: 40 * MB });
  // everything held (a sort of 2 GB): at 40 MB, then half as much again each time, until more than
  // 4 times the floor is live (40, 60, 90, 135, 202 MB)
  assert.equal(simulate((step) => (step + 1) * MB).collections, 5);
});
