// node dist/bench/s3-cache.js [--runs N] (after npm run build): a query over an s3:// range run again,
// its listing and objects cached, against the same objects as local files; the run with the objects
// cached but listed again (--refresh: as every run was before the listing cache); and the first run,
// which lists and fetches. The trail is test/s3's (a year of 5 trails, 1,825 small objects) in the
// fake S3 server of test/s3 on 127.0.0.1. Median wall time and CPU time (user + system, /usr/bin/time)
// of the command, start-up included, worker threads as a user gets them, for a month and for the
// year. Timings are printed, never asserted.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { FakeS3 } from "../test/s3/fake-s3.js";
import { BUCKET, PREFIX, ROOT, putTrail, s3Env, trailObjects, writeTrail } from "../test/s3/trail.js";

const argv = process.argv.slice(2);
const RUNS = Number(argv.includes("--runs") ? argv[argv.indexOf("--runs") + 1] : 5);
const RANGES: [string, string[]][] = [
  ["May 2025 (155 objects)", ["--start", "2025-05-01T00:00:00Z", "--end", "2025-05-31T23:59:59Z"]],
  ["2025 (1,825 objects)", ["--start", "2025-01-01T00:00:00Z", "--end", "2025-12-31T23:59:59Z"]],
];
const TIME = existsSync("/usr/bin/time");

interface Timed {
  ms: number;
  cpuMs: number | undefined;
  stdout: string;
}

/** One run of the built command (asynchronous: the fake server answers in this process). */
function once(args: string[], env: Record<string, string>): Promise<Timed> {
  const bin = join(ROOT, "bin", "trailq");
  const [exe, all] = TIME ? ["/usr/bin/time", ["-f", "%U %S", bin, ...args]] : [bin, args];
  const started = performance.now();
  // TRAILQ_WORKERS unset: worker threads as a user gets them
  const child = spawn(exe, all, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: s3Env({ TRAILQ_WORKERS: "", ...env }) });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  return new Promise((resolve, reject) =>
    child.on("close", (status) => {
      if (status !== 0) return reject(new Error(`trailq ${args.join(" ")}: exit ${status}: ${stderr}`));
      const m = /^([\d.]+) ([\d.]+)$/.exec(stderr.trim().split("\n").pop() ?? "");
      resolve({ ms: performance.now() - started, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined, stdout });
    }),
  );
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** RUNS runs: the median wall and CPU times. `fresh`: more environment for each run. */
async function timed(args: string[], env: Record<string, string>, fresh?: () => Record<string, string>): Promise<Timed> {
  const runs: Timed[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once(args, { ...env, ...fresh?.() }));
  const cpu = runs.map((r) => r.cpuMs).filter((x): x is number => x !== undefined);
  return { ms: median(runs.map((r) => r.ms)), cpuMs: cpu.length ? median(cpu) : undefined, stdout: runs[0]!.stdout };
}

const shown = (t: Timed): string => `${t.ms.toFixed(0)} ms${t.cpuMs !== undefined ? ` (CPU ${t.cpuMs.toFixed(0)} ms)` : ""}`;

const s3 = new FakeS3();
await s3.start();
const objects = trailObjects();
putTrail(s3, objects);
const dir = mkdtempSync(join(tmpdir(), "trailq-bench-s3-"));
try {
  writeTrail(join(dir, "local"), objects);
  const url = `s3://${BUCKET}/${PREFIX}`;
  const query = "stats count(*) as n by recipientAccountId, awsRegion";
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}; ${RUNS} runs each, medians`);
  for (const [i, [name, range]] of RANGES.entries()) {
    const cache = join(dir, `cache-${i}`);
    const args = ["query", query, url, ...range, "-f", "jsonl", "-q"];
    let n = 0;
    const first = await timed(args, { AWS_ENDPOINT_URL: s3.url }, () => ({ XDG_CACHE_HOME: join(dir, `fresh-${i}-${n++}`) }));
    await once(args, { AWS_ENDPOINT_URL: s3.url, XDG_CACHE_HOME: cache });
    s3.reset();
    const again = await timed(args, { AWS_ENDPOINT_URL: s3.url, XDG_CACHE_HOME: cache });
    if (s3.asked.length > 0) throw new Error(`the cached run asked S3 ${s3.asked.length} times`);
    const relisted = await timed([...args, "--refresh"], { AWS_ENDPOINT_URL: s3.url, XDG_CACHE_HOME: cache });
    const local = await timed(["query", query, join(dir, "local", PREFIX), ...range, "-f", "jsonl", "-q"], {});
    if (![again, first, relisted].every((r) => r.stdout === local.stdout)) throw new Error(`${name}: the results differ`);
    console.log(`${name}: local ${shown(local)} · s3 cached ${shown(again)} · s3 objects cached, listed again ${shown(relisted)} · s3 first run ${shown(first)}`);
  }
} finally {
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
}
