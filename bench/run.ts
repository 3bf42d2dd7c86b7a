// npm run bench [-- --quick | --events N]: generates a seeded trail (cached in bench/.cache), runs
// the fixed query set with the built trailq (median of 5 runs each), and the minimal Node pipeline
// beside it. Prints wall time, events/s, MB/s and peak RSS. Timings are printed, never asserted.
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cpus } from "node:os";
import { generateTrail } from "../src/generator/index.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const argv = process.argv.slice(2);
const events = argv.includes("--quick") ? 200_000 : Number(argv[argv.indexOf("--events") + 1] || 1_000_000);
const RUNS = 5;

const QUERIES: [string, string][] = [
  ["group-by count", "stats count(*) by eventSource, eventName, awsRegion"],
  ["ConsoleLogin filter", 'filter eventName = "ConsoleLogin" | stats count(*) by userIdentity.userName, sourceIPAddress'],
  ["errors per hour", "filter ispresent(errorCode) | stats count(*) by bin(1h), errorCode"],
  ["parse + stats", 'parse userAgent /^(?<tool>[A-Za-z0-9_.-]+)\\// | stats count(*) by tool'],
  ["sort | limit 100", "sort @timestamp desc | limit 100"],
  ["dedup", "fields userIdentity.arn, eventName | dedup userIdentity.arn"],
  ["fields to /dev/null", "fields @timestamp, eventName, sourceIPAddress"],
  ["template (CIS security groups)", 'filter eventName in ["AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup"] | stats count(*) by eventName'],
];

function sizeOf(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const st = statSync(p);
    n += st.isDirectory() ? sizeOf(p) : st.size;
  }
  return n;
}

const hasTime = existsSync("/usr/bin/time");

function measure(cmd: string[]): { secs: number; rssMb: number | undefined } {
  const args = hasTime ? ["-f", "%e %M", ...cmd] : cmd;
  const t = performance.now();
  const r = spawnSync(hasTime ? "/usr/bin/time" : cmd[0]!, hasTime ? args : cmd.slice(1), { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 30 });
  const secs = (performance.now() - t) / 1000;
  const last = r.stderr.trim().split("\n").pop() ?? "";
  const m = /^([\d.]+) (\d+)$/.exec(last);
  return { secs, rssMb: m ? Number(m[2]) / 1024 : undefined };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const dir = join(ROOT, "bench", ".cache", `trail-${events}`);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    process.stdout.write(`generating ${events.toLocaleString("en-US")} events into ${dir} ...\n`);
    // Files of about 300 events, as a busy account's CloudTrail delivers them every 5 minutes.
    await generateTrail({ outDir: dir, events, seed: 42, start: "2026-10-01T00:00:00Z", days: 4, eventsPerFile: 300 });
  }
  const mb = sizeOf(dir) / 1e6;
  process.stdout.write(`${events.toLocaleString("en-US")} events, ${mb.toFixed(1)} MB gzipped; ${cpus().length} cores, ${cpus()[0]?.model ?? "?"}, node ${process.version}\n\n`);
  const rows: string[][] = [["query", "median s", "events/s", "MB/s", "peak RSS MB"]];
  const bin = join(ROOT, "bin", "trailq");
  for (const [name, q] of QUERIES) {
    const runs = Array.from({ length: RUNS }, () => measure([process.execPath, bin, "query", q, dir, "-q", "-f", "jsonl"]));
    const s = median(runs.map((r) => r.secs));
    const rss = runs.map((r) => r.rssMb).filter((x): x is number => x !== undefined);
    rows.push([name, s.toFixed(2), Math.round(events / s).toLocaleString("en-US"), (mb / s).toFixed(1), rss.length ? Math.max(...rss).toFixed(0) : "n/a"]);
  }
  const base = Array.from({ length: RUNS }, () => measure([process.execPath, join(ROOT, "dist", "bench", "baseline-node.js"), dir]));
  const bs = median(base.map((r) => r.secs));
  rows.push(["baseline: minimal Node pipeline (group-by)", bs.toFixed(2), Math.round(events / bs).toLocaleString("en-US"), (mb / bs).toFixed(1), base[0]?.rssMb?.toFixed(0) ?? "n/a"]);
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) process.stdout.write(r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join("  ") + "\n");
  process.stdout.write(`\ntrailq group-by / baseline: ${(Number(rows[1]![1]) / bs).toFixed(2)}\n`);
}

await main();
