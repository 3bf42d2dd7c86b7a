// npm run bench [-- --quick | --events N | --runs N | --memory-only | --detect-only]: generates a seeded trail (cached in
// bench/.cache), runs the fixed query set with the built trailq, DuckDB over the same files (equivalent
// SQL), and the minimal hand-written Node pipeline; prints the median wall time of each (whole process,
// start-up included), events/s, MB/s (decoded JSON) and peak RSS, and the ratios the performance goals
// name. Then the queries whose results outgrow memory, once each with the default memory budget and
// with --memory 512M: time, peak RSS, bytes spilled or the budget's message (--memory-only: just those).
// Timings are printed, never asserted.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { cpus, totalmem } from "node:os";
import { generateTrail } from "../src/generator/index.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const events = argv.includes("--quick") ? 200_000 : Number(flag("--events") ?? 1_000_000);
const RUNS = Number(flag("--runs") ?? 5);
const MEMORY_ONLY = argv.includes("--memory-only");
const DETECT_ONLY = argv.includes("--detect-only");
/** The public Sigma rules detection mode is measured with (read in place, never copied: DRL 1.1). */
const SIGMA = join(ROOT, "..", "shared", "data", "sigma");

/**
 * Detection mode (issue 18): `detect` with the bundled templates and every rule in ../shared/data/sigma
 * against `stats count(*) by eventName` over the same trail, alternating (goal: <= 1.5 x, RSS < 400 MB).
 */
function detectTable(trailq: string, dir: string): string[][] {
  const table: string[][] = [["command", "s", "peak RSS MB", "events/s"]];
  if (!existsSync(SIGMA)) return [...table, [`(no ${SIGMA}: not measured)`, "", "", ""]];
  const [stats, detect] = alternate([trailq, "query", "stats count(*) by eventName", dir, "-q", "-f", "jsonl"], [trailq, "detect", dir, "--rules", SIGMA, "-q", "-f", "jsonl"]);
  const mb = (r: Run): string => (r.rssMb === undefined ? "n/a" : r.rssMb.toFixed(0));
  table.push(["stats count(*) by eventName", stats.secs.toFixed(2), mb(stats), Math.round(events / stats.secs).toLocaleString("en-US")]);
  table.push([`detect --rules ${SIGMA} (+ bundled templates)`, detect.secs.toFixed(2), mb(detect), Math.round(events / detect.secs).toLocaleString("en-US")]);
  table.push(["detect / stats (goal <= 1.5)", (detect.secs / stats.secs).toFixed(2), "", ""]);
  return table;
}

interface BenchQuery {
  name: string;
  /** A query, or `run TEMPLATE-ID` for a bundled template. */
  trailq: string;
  /** The same question in DuckDB SQL over the view `ct` (one row `r` of type JSON per record). */
  duckdb: string;
  /** The minimal Node pipeline that answers it, if one does. */
  node?: "group" | "login";
}

const TEMPLATE_EVENTS = ["AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup"];

const QUERIES: BenchQuery[] = [
  {
    name: "group-by count",
    trailq: "stats count(*) by eventSource, eventName, awsRegion",
    duckdb: "SELECT r->>'eventSource', r->>'eventName', r->>'awsRegion', count(*) FROM ct GROUP BY ALL",
    node: "group",
  },
  {
    name: "ConsoleLogin filter",
    trailq: 'filter eventName = "ConsoleLogin" | stats count(*) by userIdentity.userName, sourceIPAddress',
    duckdb: "SELECT r->'userIdentity'->>'userName', r->>'sourceIPAddress', count(*) FROM ct WHERE r->>'eventName' = 'ConsoleLogin' GROUP BY ALL",
    node: "login",
  },
  {
    name: "errors per hour",
    trailq: "filter ispresent(errorCode) | stats count(*) by bin(1h), errorCode",
    duckdb: "SELECT time_bucket(INTERVAL 1 hour, (r->>'eventTime')::TIMESTAMP), r->>'errorCode', count(*) FROM ct WHERE r->>'errorCode' IS NOT NULL GROUP BY ALL",
  },
  {
    name: "parse + stats",
    trailq: "parse userAgent /^(?<tool>[A-Za-z0-9_.-]+)\\// | stats count(*) by tool",
    duckdb: "SELECT regexp_extract(r->>'userAgent', '^([A-Za-z0-9_.-]+)/', 1), count(*) FROM ct GROUP BY ALL",
  },
  {
    name: "sort | limit 100",
    trailq: "sort @timestamp desc | limit 100",
    duckdb: "SELECT r->>'eventTime' AS t, r::VARCHAR FROM ct ORDER BY t DESC LIMIT 100",
  },
  {
    name: "dedup",
    trailq: "fields userIdentity.arn, eventName | dedup userIdentity.arn",
    duckdb:
      "SELECT arn, name FROM (SELECT r->'userIdentity'->>'arn' AS arn, r->>'eventName' AS name, r->>'eventTime' AS t, row_number() OVER (PARTITION BY r->'userIdentity'->>'arn' ORDER BY r->>'eventTime' DESC) AS k FROM ct) WHERE k = 1 ORDER BY t DESC",
  },
  {
    name: "fields, every event",
    trailq: "fields @timestamp, eventName, sourceIPAddress",
    duckdb: "SELECT r->>'eventTime' AS t, r->>'eventName', r->>'sourceIPAddress' FROM ct ORDER BY t DESC",
  },
  {
    // the bundled template: the changes' fields, whether the event opens to 0.0.0.0/0, newest first
    name: "template cis-security-group-changes",
    trailq: "run cis-security-group-changes",
    duckdb:
      "SELECT r->>'eventTime' AS t, r->>'eventName', r->'requestParameters'->>'groupId', r->'requestParameters'->>'groupName', r->'userIdentity'->>'arn', " +
      `r->>'sourceIPAddress', r->>'errorCode', contains(r::VARCHAR, '0.0.0.0/0') FROM ct WHERE r->>'eventName' IN (${TEMPLATE_EVENTS.map((e) => `'${e}'`).join(", ")}) ORDER BY t DESC`,
  },
];

/** Queries whose results outgrow memory on a big trail: they spill past the budget, or stop with its message. */
const MEMORY_QUERIES = ["fields @message | sort requestID", "stats count(*) by requestID", "pattern @message", "dedup requestID"];
/** The budget the memory table sets besides the default. */
const SMALL_BUDGET = "512M";

function gzFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) gzFiles(p, out);
    else out.push(p);
  }
  return out;
}

const hasTime = existsSync("/usr/bin/time");

interface Run {
  secs: number;
  rssMb: number | undefined;
}

/** One run of a command, its output thrown away: wall time, and peak RSS when /usr/bin/time is there. */
function measure(cmd: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const [exe, args] = hasTime ? ["/usr/bin/time", ["-f", "%e %M", ...cmd]] : [cmd[0]!, cmd.slice(1)];
  const t = performance.now();
  const r = spawnSync(exe, args, { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"], env, maxBuffer: 1 << 30 });
  const secs = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${cmd.join(" ")} failed:\n${r.stderr}`);
  const m = /^([\d.]+) (\d+)$/.exec(r.stderr.trim().split("\n").pop() ?? "");
  return { secs, rssMb: m ? Number(m[2]) / 1024 : undefined };
}

/** The median time and the largest RSS of `RUNS` runs, after one unmeasured run (page cache, disk). */
function repeat(cmd: string[], env?: NodeJS.ProcessEnv): Run {
  measure(cmd, env);
  return summarize(Array.from({ length: RUNS }, () => measure(cmd, env)));
}

/** The median time and the largest RSS of some runs. */
function summarize(runs: Run[]): Run {
  const s = runs.map((r) => r.secs).sort((a, b) => a - b);
  const rss = runs.map((r) => r.rssMb).filter((x): x is number => x !== undefined);
  return { secs: s[Math.floor(s.length / 2)]!, rssMb: rss.length ? Math.max(...rss) : undefined };
}

/** Two commands run `RUNS` times each in turns (after one warm-up each): their median times and largest RSS. */
function alternate(a: string[], b: string[]): [Run, Run] {
  measure(a);
  measure(b);
  const ra: Run[] = [];
  const rb: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    ra.push(measure(a));
    rb.push(measure(b));
  }
  return [summarize(ra), summarize(rb)];
}

/**
 * One run of a query for the memory table: wall time, peak RSS, and what its summary line says of
 * spilling (or the budget's message, exit 4).
 */
function measureMemory(cmd: string[]): { secs: number; rssMb: number | undefined; outcome: string } {
  const [exe, args] = hasTime ? ["/usr/bin/time", ["-f", "%e %M", ...cmd]] : [cmd[0]!, cmd.slice(1)];
  const t = performance.now();
  const r = spawnSync(exe, args, { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 30 });
  const secs = (performance.now() - t) / 1000;
  const lines = r.stderr.trim().split("\n");
  const m = /^([\d.]+) (\d+)$/.exec(lines[lines.length - 1] ?? "");
  const spilled = /· ([\d.]+ [KMG]B) spilled/.exec(r.stderr);
  const stopped = /trailq: (\S+) needs more than the ([\d.]+ [KMG]B) memory budget/.exec(r.stderr);
  const exit = hasTime ? Number(/exited with non-zero status (\d+)/.exec(r.stderr)?.[1] ?? 0) : r.status;
  const outcome = stopped ? `stopped (exit ${exit}): ${stopped[1]} needs more than ${stopped[2]}` : exit !== 0 ? `failed (exit ${exit ?? r.signal})` : spilled ? `${spilled[1]} spilled` : "in memory";
  return { secs, rssMb: m ? Number(m[2]) / 1024 : undefined, outcome };
}

function memoryTable(trailq: string, dir: string): string[][] {
  const table: string[][] = [["query", "budget", "s", "peak RSS MB", "outcome"]];
  for (const q of MEMORY_QUERIES) {
    for (const budget of [undefined, SMALL_BUDGET]) {
      const r = measureMemory([trailq, "query", q, dir, "-f", "jsonl", ...(budget ? ["--memory", budget] : [])]);
      table.push([q, budget ?? "default", r.secs.toFixed(1), r.rssMb?.toFixed(0) ?? "n/a", r.outcome]);
      process.stdout.write(`  ${q} (${budget ?? "default budget"}): ${r.secs.toFixed(1)} s, ${r.outcome}\n`);
    }
  }
  return table;
}

function printTable(table: string[][]): void {
  const w = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  for (const r of table) process.stdout.write(r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join("  ") + "\n");
}

async function main(): Promise<void> {
  const dir = join(ROOT, "bench", ".cache", `trail-${events}`);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    process.stdout.write(`generating ${events.toLocaleString("en-US")} events into ${dir} ...\n`);
    // Files of about 300 events, as a busy account's CloudTrail delivers them every 5 minutes.
    await generateTrail({ outDir: dir, events, seed: 42, start: "2026-10-01T00:00:00Z", days: 4, eventsPerFile: 300 });
  }
  const files = gzFiles(dir);
  const gz = files.reduce((n, f) => n + statSync(f).size, 0);
  const json = files.reduce((n, f) => n + gunzipSync(readFileSync(f)).length, 0);
  const cpu = cpus();
  process.stdout.write(
    `${events.toLocaleString("en-US")} events in ${files.length.toLocaleString("en-US")} files: ${(json / 1e6).toFixed(0)} MB of JSON, ${(gz / 1e6).toFixed(0)} MB gzipped\n` +
      `${cpu.length} cores (${cpu[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; median of ${RUNS} runs after one warm-up, whole process\n\n`,
  );

  const node = process.execPath;
  const trailq = join(ROOT, "bin", "trailq");
  if (DETECT_ONLY) {
    process.stdout.write("detection mode\n");
    printTable(detectTable(trailq, dir));
    return;
  }
  if (MEMORY_ONLY) {
    const memory = memoryTable(trailq, dir);
    process.stdout.write(`\nresults that outgrow memory: the default budget and --memory ${SMALL_BUDGET} (one run each)\n`);
    printTable(memory);
    return;
  }
  const duck = join(ROOT, "dist", "bench", "baseline-duckdb.js");
  const minimal = join(ROOT, "dist", "bench", "baseline-node.js");
  const table: string[][] = [["query", "trailq s", "events/s", "MB/s", "peak RSS MB", "DuckDB s", "DuckDB RSS MB", "trailq / DuckDB"]];
  const results = new Map<string, { trailq: Run; duckdb: Run }>();
  for (const q of QUERIES) {
    const command = q.trailq.startsWith("run ") ? ["run", q.trailq.slice(4)] : ["query", q.trailq];
    const t = repeat([trailq, ...command, dir, "-q", "-f", "jsonl"]);
    const d = repeat([node, duck, dir, q.duckdb]);
    results.set(q.name, { trailq: t, duckdb: d });
    const mb = (r: Run): string => (r.rssMb === undefined ? "n/a" : r.rssMb.toFixed(0));
    table.push([q.name, t.secs.toFixed(2), Math.round(events / t.secs).toLocaleString("en-US"), (json / 1e6 / t.secs).toFixed(0), mb(t), d.secs.toFixed(2), mb(d), (t.secs / d.secs).toFixed(2)]);
    process.stdout.write(`  ${q.name}: trailq ${t.secs.toFixed(2)} s, DuckDB ${d.secs.toFixed(2)} s\n`);
  }
  // The cost of skipping copies of events (the default): the same queries with --keep-duplicates,
  // the runs of the two alternating so that the machine's drift falls on both alike.
  const dedupTable: string[][] = [["query", "skip copies s", "keep copies s", "time", "skip copies RSS MB", "keep copies RSS MB", "RSS MB per M events"]];
  for (const q of QUERIES) {
    const command = q.trailq.startsWith("run ") ? ["run", q.trailq.slice(4)] : ["query", q.trailq];
    const cmd = [trailq, ...command, dir, "-q", "-f", "jsonl"];
    const [skip, keep] = alternate(cmd, [...cmd, "--keep-duplicates"]);
    const perM = skip.rssMb !== undefined && keep.rssMb !== undefined ? ((skip.rssMb - keep.rssMb) / (events / 1e6)).toFixed(0) : "n/a";
    dedupTable.push([q.name, skip.secs.toFixed(2), keep.secs.toFixed(2), `${((skip.secs / keep.secs - 1) * 100).toFixed(1)} %`, skip.rssMb?.toFixed(0) ?? "n/a", keep.rssMb?.toFixed(0) ?? "n/a", perM]);
  }
  const base = {
    group1: repeat([node, minimal, dir, "group", "0"]),
    group2: repeat([node, minimal, dir, "group", "2"]),
    login1: repeat([node, minimal, dir, "login", "0"]),
  };
  const limit1 = repeat([trailq, "query", "limit 1", "-q", "-f", "jsonl"]);
  const memory = memoryTable(trailq, dir);
  const detection = detectTable(trailq, dir);

  process.stdout.write("\n");
  printTable(table);
  process.stdout.write("\nskipping copies of events (eventID seen before; the default) against --keep-duplicates (goal: time <= +5 %, RSS <= +40 MB per million events)\n");
  printTable(dedupTable);
  const g = results.get("group-by count")!.trailq.secs;
  const l = results.get("ConsoleLogin filter")!.trailq.secs;
  process.stdout.write(
    `\nminimal Node pipeline (gunzip + JSON.parse + Map): group-by ${base.group1.secs.toFixed(2)} s on one thread, ${base.group2.secs.toFixed(2)} s with two workers; ConsoleLogin ${base.login1.secs.toFixed(2)} s on one thread\n` +
      `group-by: trailq / two-worker minimal = ${(g / base.group2.secs).toFixed(2)} (goal <= 1.1)\n` +
      `ConsoleLogin: one-thread minimal / trailq = ${(base.login1.secs / l).toFixed(2)} (goal >= 2)\n` +
      `every query: trailq / DuckDB <= ${Math.max(...[...results.values()].map((r) => r.trailq.secs / r.duckdb.secs)).toFixed(2)} (goal <= 0.8)\n` +
      `trailq query 'limit 1' on the sample trail: ${(limit1.secs * 1000).toFixed(0)} ms (goal <= 150 ms)\n`,
  );
  process.stdout.write(`\nresults that outgrow memory: the default budget and --memory ${SMALL_BUDGET} (one run each)\n`);
  printTable(memory);
  process.stdout.write("\ndetection mode\n");
  printTable(detection);
}

await main();
