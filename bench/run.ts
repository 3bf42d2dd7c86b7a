// npm run bench [-- --quick | --events N | --runs N | --memory-only | --detect-only | --index-only | --small-only | --no-small | --tiny]:
// generates seeded trails (cached in bench/.cache): the big one (files of about 300 events) and the
// small-file one (200,000 events in files of 8, as most accounts' trails look: issue 17); runs the
// fixed query set on each with the built trailq, DuckDB over the same files (equivalent SQL), and the
// minimal hand-written Node pipeline on one thread and with two workers; prints the median wall time
// and CPU time (user + system, every thread) of each (whole process, start-up included), events/s,
// MB/s (decoded JSON) and peak RSS, the processor, and the ratios the performance goals name. Then the
// queries whose results outgrow memory, once each with the default memory budget and with --memory
// 512M: time, peak RSS, bytes spilled or the budget's message (--memory-only: just those), and
// detection mode against a stats query (--detect-only: just that), and the filtered queries with a
// folder's field index against without (--index-only: just that, on both trails). --tiny:
// `limit 1` and `stats count(*)` over a folder of tiny files (220,000 events, 104,304 files: per-file cost).
// Timings are printed, never asserted.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
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
const SMALL_ONLY = argv.includes("--small-only");
const NO_SMALL = argv.includes("--no-small");
const TINY = argv.includes("--tiny");
/** The small-file trail: 200,000 events (40,000 with --quick), 8 a file, over 14 days. */
const SMALL_EVENTS = argv.includes("--quick") ? 40_000 : 200_000;
const SMALL_PER_FILE = 8;
const DETECT_ONLY = argv.includes("--detect-only");
const INDEX_ONLY = argv.includes("--index-only");
/** The public Sigma rules detection mode is measured with (read in place, never copied: DRL 1.1). */
const SIGMA = join(ROOT, "..", "shared", "data", "sigma");

/**
 * Detection mode (issue 18): `detect` with the bundled templates and every rule in ../shared/data/sigma
 * against `stats count(*) by eventName` over the same trail, alternating (goal: <= 1.5 x, RSS < 400 MB).
 */
function detectTable(trailq: string, dir: string): string[][] {
  const table: string[][] = [["command", "s", "CPU s", "peak RSS MB", "events/s", "load"]];
  if (!existsSync(SIGMA)) return [...table, [`(no ${SIGMA}: not measured)`, "", "", "", "", ""]];
  // the rules cache is filled by the warm-up run: the runs measured read the parsed rules from it
  const [stats, detect] = alternate([trailq, "query", "stats count(*) by eventName", dir, "-q", "-f", "jsonl"], [trailq, "detect", dir, "--rules", SIGMA, "-q", "-f", "jsonl"]);
  const mb = (r: Run): string => (r.rssMb === undefined ? "n/a" : r.rssMb.toFixed(0));
  table.push(["stats count(*) by eventName", stats.secs.toFixed(2), cpuText(stats), mb(stats), Math.round(events / stats.secs).toLocaleString("en-US"), load()]);
  table.push([`detect --rules ${SIGMA} (+ bundled templates)`, detect.secs.toFixed(2), cpuText(detect), mb(detect), Math.round(events / detect.secs).toLocaleString("en-US"), load()]);
  table.push(["detect / stats (goal <= 1.5)", (detect.secs / stats.secs).toFixed(2), stats.cpu && detect.cpu ? (detect.cpu / stats.cpu).toFixed(2) : "n/a", "", "", ""]);
  return table;
}
/** The tiny-file folder (--tiny): 220,000 events, one or two a file, over 130 days: the generator gives 104,304 files. */
const TINY_EVENTS = 220_000;
const TINY_DAYS = 130;

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

/** The queries the field index is measured with: the set's filtered ones, an investigation's pivot on a source IP, a hunt by user agent. */
const INDEXED_QUERIES = [
  'filter eventName = "ConsoleLogin" | stats count(*) by userIdentity.userName, sourceIPAddress',
  "run cis-security-group-changes",
  "filter ispresent(errorCode) | stats count(*) by bin(1h), errorCode",
  'filter sourceIPAddress = "104.165.209.226" | fields @timestamp, eventName, userIdentity.arn',
  "filter userAgent like /(?i)kali|nmap|sqlmap|curl/ | stats count(*) by userAgent",
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
  /** CPU seconds, user + system, of the process and its threads (undefined without /usr/bin/time). */
  cpu?: number | undefined;
}

/** One run of a command, its output thrown away: wall time, and CPU time and peak RSS when /usr/bin/time is there. */
function measure(cmd: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const [exe, args] = hasTime ? ["/usr/bin/time", ["-f", "%e %M %U %S", ...cmd]] : [cmd[0]!, cmd.slice(1)];
  const t = performance.now();
  const r = spawnSync(exe, args, { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"], env, maxBuffer: 1 << 30 });
  const secs = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${cmd.join(" ")} failed:\n${r.stderr}`);
  const m = /^([\d.]+) (\d+) ([\d.]+) ([\d.]+)$/.exec(r.stderr.trim().split("\n").pop() ?? "");
  return { secs, rssMb: m ? Number(m[2]) / 1024 : undefined, cpu: m ? Number(m[3]) + Number(m[4]) : undefined };
}

/** The median time and the largest RSS of `RUNS` runs, after one unmeasured run (page cache, disk). */
function repeat(cmd: string[], env?: NodeJS.ProcessEnv): Run {
  measure(cmd, env);
  return summarize(Array.from({ length: RUNS }, () => measure(cmd, env)));
}

/** The median time, the median CPU time and the largest RSS of some runs. */
function summarize(runs: Run[]): Run {
  const s = runs.map((r) => r.secs).sort((a, b) => a - b);
  const c = runs.map((r) => r.cpu).filter((x): x is number => x !== undefined).sort((a, b) => a - b);
  const rss = runs.map((r) => r.rssMb).filter((x): x is number => x !== undefined);
  return { secs: s[Math.floor(s.length / 2)]!, rssMb: rss.length ? Math.max(...rss) : undefined, cpu: c.length ? c[Math.floor(c.length / 2)] : undefined };
}

/** The processor's model name (/proc/cpuinfo; os.cpus() elsewhere): figures compare like with like. */
function processor(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m) return m[1]!.trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? "unknown processor";
}

/** The load average, printed beside the figures: on a shared machine wall times mean little without it. */
function load(): string {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "n/a";
  }
}

const cpuText = (r: Run): string => (r.cpu === undefined ? "n/a" : r.cpu.toFixed(2));

/** Two commands run `RUNS` times each in turns (after one warm-up each): their median times and largest RSS. */
function alternate(a: string[], b: string[], envA?: NodeJS.ProcessEnv, envB?: NodeJS.ProcessEnv): [Run, Run] {
  measure(a, envA);
  measure(b, envB);
  const ra: Run[] = [];
  const rb: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    ra.push(measure(a, envA));
    rb.push(measure(b, envB));
  }
  return [summarize(ra), summarize(rb)];
}

/**
 * The filtered queries with a folder's field index (`trailq index`) against without: the index is
 * built from nothing first (timed), in a cache folder of the bench's own; the runs alternate.
 */
function indexTable(trailq: string, dir: string, name: string, min1: number): { table: string[][]; withIndex: Map<string, Run> } {
  const home = join(ROOT, "bench", ".cache", "index-home", name);
  rmSync(home, { recursive: true, force: true });
  const env = { ...process.env, XDG_CACHE_HOME: home };
  const build = measure([trailq, "index", dir, "-q"], env);
  const withIndex = new Map<string, Run>();
  const table: string[][] = [
    ["command", "without index s", "with index s", "with / without", "with / one-thread minimal", "peak RSS MB with", "load"],
    [`trailq index (from nothing)`, "", build.secs.toFixed(2), "", "", build.rssMb?.toFixed(0) ?? "n/a", load()],
  ];
  for (const q of INDEXED_QUERIES) {
    const command = q.startsWith("run ") ? ["run", q.slice(4)] : ["query", q];
    const cmd = [trailq, ...command, dir, "-q", "-f", "jsonl"];
    const [without, indexed] = alternate(cmd, cmd, process.env, env);
    withIndex.set(q, indexed);
    table.push([q, without.secs.toFixed(2), indexed.secs.toFixed(2), (indexed.secs / without.secs).toFixed(2), (indexed.secs / min1).toFixed(2), indexed.rssMb?.toFixed(0) ?? "n/a", load()]);
  }
  return { table, withIndex };
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

/** A trail of the bench, generated once (cached). */
async function trail(name: string, n: number, eventsPerFile: number, days: number): Promise<{ dir: string; files: number; gz: number; json: number }> {
  const dir = join(ROOT, "bench", ".cache", name);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    process.stdout.write(`generating ${n.toLocaleString("en-US")} events, about ${eventsPerFile} a file, into ${dir} ...\n`);
    await generateTrail({ outDir: dir, events: n, seed: 42, start: "2026-10-01T00:00:00Z", days, eventsPerFile });
  }
  const files = gzFiles(dir);
  const gz = files.reduce((t, f) => t + statSync(f).size, 0);
  const json = files.reduce((t, f) => t + gunzipSync(readFileSync(f)).length, 0);
  return { dir, files: files.length, gz, json };
}

interface SetResult {
  table: string[][];
  results: Map<string, { trailq: Run; duckdb: Run }>;
  base: { group1: Run; group2: Run; login1: Run; login2: Run };
}

/** The query set over one trail: trailq and DuckDB for each query, then the minimal pipelines. */
function querySet(trailq: string, dir: string, events: number, json: number): SetResult {
  const node = process.execPath;
  const duck = join(ROOT, "dist", "bench", "baseline-duckdb.js");
  const minimal = join(ROOT, "dist", "bench", "baseline-node.js");
  const table: string[][] = [["query", "trailq s", "trailq CPU s", "events/s", "MB/s", "peak RSS MB", "DuckDB s", "DuckDB CPU s", "DuckDB RSS MB", "trailq / DuckDB", "load"]];
  const results = new Map<string, { trailq: Run; duckdb: Run }>();
  for (const q of QUERIES) {
    const command = q.trailq.startsWith("run ") ? ["run", q.trailq.slice(4)] : ["query", q.trailq];
    const t = repeat([trailq, ...command, dir, "-q", "-f", "jsonl"]);
    const d = repeat([node, duck, dir, q.duckdb]);
    results.set(q.name, { trailq: t, duckdb: d });
    const mb = (r: Run): string => (r.rssMb === undefined ? "n/a" : r.rssMb.toFixed(0));
    table.push([q.name, t.secs.toFixed(2), cpuText(t), Math.round(events / t.secs).toLocaleString("en-US"), (json / 1e6 / t.secs).toFixed(0), mb(t), d.secs.toFixed(2), cpuText(d), mb(d), (t.secs / d.secs).toFixed(2), load()]);
    process.stdout.write(`  ${q.name}: trailq ${t.secs.toFixed(2)} s (CPU ${cpuText(t)} s), DuckDB ${d.secs.toFixed(2)} s (CPU ${cpuText(d)} s), load ${load()}\n`);
  }
  const base = {
    group1: repeat([node, minimal, dir, "group", "0"]),
    group2: repeat([node, minimal, dir, "group", "2"]),
    login1: repeat([node, minimal, dir, "login", "0"]),
    login2: repeat([node, minimal, dir, "login", "2"]),
  };
  return { table, results, base };
}

function printMinimal(r: SetResult): void {
  const b = r.base;
  process.stdout.write(
    `\nminimal Node pipeline (read, gunzip, JSON.parse, Map): group-by ${b.group1.secs.toFixed(2)} s (CPU ${cpuText(b.group1)}) on one thread, ${b.group2.secs.toFixed(2)} s (CPU ${cpuText(b.group2)}) with two workers; ` +
      `ConsoleLogin ${b.login1.secs.toFixed(2)} s (CPU ${cpuText(b.login1)}) on one thread, ${b.login2.secs.toFixed(2)} s with two workers\n`,
  );
}

async function main(): Promise<void> {
  const trailq = join(ROOT, "bin", "trailq");
  // a cache folder of the bench's own: no index of the user's (trailq index) speeds up a query it measures
  process.env["XDG_CACHE_HOME"] = join(ROOT, "bench", ".cache", "home");
  process.stdout.write(`${cpus().length} cores, processor: ${processor()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; median of ${RUNS} runs after one warm-up, whole process; load average ${load()}\n`);
  if (!SMALL_ONLY) {
    // Files of about 300 events, as a busy account's CloudTrail delivers them every 5 minutes.
    const big = await trail(`trail-${events}`, events, 300, 4);
    process.stdout.write(`\n${events.toLocaleString("en-US")} events in ${big.files.toLocaleString("en-US")} files: ${(big.json / 1e6).toFixed(0)} MB of JSON, ${(big.gz / 1e6).toFixed(0)} MB gzipped\n`);
    if (INDEX_ONLY) {
      const small = await trail(`small-${SMALL_EVENTS}`, SMALL_EVENTS, SMALL_PER_FILE, 14);
      for (const [name, t] of [[`trail-${events}`, big], [`small-${SMALL_EVENTS}`, small]] as const) {
        const minimal = repeat([process.execPath, join(ROOT, "dist", "bench", "baseline-node.js"), t.dir, "group", "0"]);
        process.stdout.write(`\n${name}: the filtered queries with the folder's field index (trailq index) against without; against the one-thread minimal group-by (${minimal.secs.toFixed(2)} s; goal on small files: <= 0.3)\n`);
        printTable(indexTable(trailq, t.dir, name, minimal.secs).table);
      }
      return;
    }
    if (DETECT_ONLY) {
      process.stdout.write("detection mode\n");
      printTable(detectTable(trailq, big.dir));
      return;
    }
    if (MEMORY_ONLY) {
      const memory = memoryTable(trailq, big.dir);
      process.stdout.write(`\nresults that outgrow memory: the default budget and --memory ${SMALL_BUDGET} (one run each)\n`);
      printTable(memory);
      return;
    }
    await bigTrail(trailq, big.dir, big.json);
  }
  if (!NO_SMALL) await smallTrail(trailq);
  if (TINY) await tinyFiles(trailq);
}

/** The 1M-event trail: the query set, skipping copies against keeping them, the memory table. */
async function bigTrail(trailq: string, dir: string, json: number): Promise<void> {
  const { table, results, base } = querySet(trailq, dir, events, json);
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
  const limit1 = repeat([trailq, "query", "limit 1", "-q", "-f", "jsonl"]);
  const indexed = indexTable(trailq, dir, `trail-${events}`, base.group1.secs);
  const memory = memoryTable(trailq, dir);
  const detection = detectTable(trailq, dir);

  process.stdout.write("\n");
  printTable(table);
  process.stdout.write("\nskipping copies of events (eventID seen before; the default) against --keep-duplicates (goal: time <= +5 %, RSS <= +40 MB per million events)\n");
  printTable(dedupTable);
  const g = results.get("group-by count")!.trailq.secs;
  const l = results.get("ConsoleLogin filter")!.trailq.secs;
  printMinimal({ table, results, base });
  process.stdout.write(
    `group-by: trailq / two-worker minimal = ${(g / base.group2.secs).toFixed(2)} (goal <= 1.1)\n` +
      `ConsoleLogin: one-thread minimal / trailq = ${(base.login1.secs / l).toFixed(2)} (goal >= 2)\n` +
      `every query: trailq / DuckDB <= ${Math.max(...[...results.values()].map((r) => r.trailq.secs / r.duckdb.secs)).toFixed(2)} (goal <= 0.8, processor: ${processor()})\n` +
      `trailq query 'limit 1' on the sample trail: ${(limit1.secs * 1000).toFixed(0)} ms (goal <= 150 ms)\n`,
  );
  process.stdout.write("\nthe filtered queries with the folder's field index (trailq index) against without; against the one-thread minimal group-by\n");
  printTable(indexed.table);
  process.stdout.write(`\nresults that outgrow memory: the default budget and --memory ${SMALL_BUDGET} (one run each)\n`);
  printTable(memory);
  process.stdout.write("\ndetection mode\n");
  printTable(detection);
}

/** The small-file trail (issue 17): the query set, and its goals against the minimal pipeline and DuckDB. */
async function smallTrail(trailq: string): Promise<void> {
  const small = await trail(`small-${SMALL_EVENTS}`, SMALL_EVENTS, SMALL_PER_FILE, 14);
  process.stdout.write(`\nsmall files: ${SMALL_EVENTS.toLocaleString("en-US")} events in ${small.files.toLocaleString("en-US")} files (about ${SMALL_PER_FILE} a file): ${(small.json / 1e6).toFixed(0)} MB of JSON, ${(small.gz / 1e6).toFixed(0)} MB gzipped\n`);
  const r = querySet(trailq, small.dir, SMALL_EVENTS, small.json);
  // one thread against two workers: the scan's choice must never make two slower than one
  const group = QUERIES[0]!.trailq;
  const one = repeat([trailq, "query", group, small.dir, "-q", "-f", "jsonl"], { ...process.env, TRAILQ_WORKERS: "0" });
  const indexed = indexTable(trailq, small.dir, `small-${SMALL_EVENTS}`, r.base.group1.secs);
  process.stdout.write("\n");
  printTable(r.table);
  printMinimal(r);
  const min1 = r.base.group1.secs;
  const worst = (names: string[], by: (x: { trailq: Run; duckdb: Run }) => number): string => Math.max(...names.map((n) => by(r.results.get(n)!))).toFixed(2);
  const all = QUERIES.map((q) => q.name);
  const filtered = ["ConsoleLogin filter", "template cis-security-group-changes"];
  const rss = Math.max(...[...r.results.values()].map((x) => x.trailq.rssMb ?? 0));
  process.stdout.write(
    `every query: trailq / one-thread minimal group-by <= ${worst(all, (x) => x.trailq.secs / min1)} (goal <= 0.6)\n` +
      `every query: trailq / DuckDB <= ${worst(all, (x) => x.trailq.secs / x.duckdb.secs)} (goal <= 0.5)\n` +
      `filtered (ConsoleLogin, the CIS template): trailq / one-thread minimal <= ${worst(filtered, (x) => x.trailq.secs / min1)} (goal <= 0.3; ConsoleLogin against its own minimal: ${(r.results.get("ConsoleLogin filter")!.trailq.secs / r.base.login1.secs).toFixed(2)})\n` +
      `peak RSS <= ${rss.toFixed(0)} MB (goal <= 200)\n` +
      `group-by with TRAILQ_WORKERS=0 (one thread): ${one.secs.toFixed(2)} s, CPU ${cpuText(one)} s; as chosen: ${r.results.get("group-by count")!.trailq.secs.toFixed(2)} s, CPU ${cpuText(r.results.get("group-by count")!.trailq)} s\n`,
  );
  process.stdout.write("\nthe filtered queries with the folder's field index (trailq index) against without; against the one-thread minimal group-by (goal for the filtered queries: <= 0.3)\n");
  printTable(indexed.table);
  const filteredIndexed = INDEXED_QUERIES.filter((q) => q.startsWith('filter eventName = "ConsoleLogin"') || q === "run cis-security-group-changes");
  process.stdout.write(`filtered (ConsoleLogin, the CIS template) with the folder's index: trailq / one-thread minimal <= ${Math.max(...filteredIndexed.map((q) => indexed.withIndex.get(q)!.secs / min1)).toFixed(2)} (goal <= 0.3)\n`);
}

/** Tiny files (220,000 events in 104,304 files): `limit 1` and `stats count(*)`, and what each costs a file. */
async function tinyFiles(trailq: string): Promise<void> {
  const tiny = await trail(`tiny-${TINY_EVENTS}`, TINY_EVENTS, 1, TINY_DAYS);
  process.stdout.write(`\ntiny files: ${tiny.files.toLocaleString("en-US")} files of one or two events, ${(tiny.gz / 1e6).toFixed(0)} MB gzipped\n`);
  for (const q of ["limit 1", "stats count(*)"]) {
    const r = repeat([trailq, "query", q, tiny.dir, "-q", "-f", "jsonl"]);
    process.stdout.write(`  ${q}: ${r.secs.toFixed(2)} s, CPU ${cpuText(r)} s (${r.cpu === undefined ? "n/a" : ((r.cpu * 1e6) / tiny.files).toFixed(0)} µs of CPU a file), peak RSS ${r.rssMb?.toFixed(0) ?? "n/a"} MB, load ${load()}\n`);
  }
}

await main();
