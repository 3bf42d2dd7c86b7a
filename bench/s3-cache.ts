// node dist/bench/s3-cache.js [--runs N] (after npm run build): a query over an s3:// range run again,
// its listing and objects cached, against the same objects as local files; and the first run, which
// lists and fetches. The trail is test/s3's (a year of 5 trails, 1,825 small objects) in the fake S3
// server of test/s3 on 127.0.0.1; and the run with the objects cached but listed again (--refresh:
// as every run was before the listing cache). Median wall time of the command, start-up included,
// for a month and for the year. Timings are printed, never asserted.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import { join } from "node:path";
import { FakeS3 } from "../test/s3/fake-s3.js";
import { BUCKET, PREFIX, putTrail, trailObjects, trailq, writeTrail } from "../test/s3/trail.js";

const argv = process.argv.slice(2);
const RUNS = Number(argv.includes("--runs") ? argv[argv.indexOf("--runs") + 1] : 5);
const RANGES: [string, string[]][] = [
  ["May 2025 (155 objects)", ["--start", "2025-05-01T00:00:00Z", "--end", "2025-05-31T23:59:59Z"]],
  ["2025 (1,825 objects)", ["--start", "2025-01-01T00:00:00Z", "--end", "2025-12-31T23:59:59Z"]],
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(args: string[], env: Record<string, string>, fresh?: () => Record<string, string>): Promise<{ ms: number; stdout: string }> {
  const times: number[] = [];
  let stdout = "";
  for (let i = 0; i < RUNS; i++) {
    // (TRAILQ_WORKERS unset: worker threads as a user gets them)
    const r = await trailq(args, { TRAILQ_WORKERS: "", ...env, ...fresh?.() });
    if (r.status !== 0) throw new Error(`trailq ${args.join(" ")}: exit ${r.status}: ${r.stderr}`);
    times.push(r.ms);
    stdout = r.stdout;
  }
  return { ms: median(times), stdout };
}

const s3 = new FakeS3();
await s3.start();
const objects = trailObjects();
putTrail(s3, objects);
const dir = mkdtempSync(join(tmpdir(), "trailq-bench-s3-"));
try {
  writeTrail(join(dir, "local"), objects);
  const url = `s3://${BUCKET}/${PREFIX}`;
  const query = "stats count(*) as n by recipientAccountId, awsRegion";
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}; ${RUNS} runs each, median wall time`);
  for (const [name, range] of RANGES) {
    const cache = join(dir, `cache-${RANGES.findIndex((r) => r[0] === name)}`);
    const args = ["query", query, url, ...range, "-f", "jsonl", "-q"];
    let n = 0;
    const first = await timed(args, { AWS_ENDPOINT_URL: s3.url }, () => ({ XDG_CACHE_HOME: join(dir, `fresh-${n++}`) }));
    await trailq(args, { TRAILQ_WORKERS: "", AWS_ENDPOINT_URL: s3.url, XDG_CACHE_HOME: cache });
    s3.reset();
    const again = await timed(args, { AWS_ENDPOINT_URL: s3.url, XDG_CACHE_HOME: cache });
    if (s3.asked.length > 0) throw new Error(`the cached run asked S3 ${s3.asked.length} times`);
    const relisted = await timed([...args, "--refresh"], { AWS_ENDPOINT_URL: s3.url, XDG_CACHE_HOME: cache });
    const local = await timed(["query", query, join(dir, "local", PREFIX), ...range, "-f", "jsonl", "-q"], {});
    if (![again, first, relisted].every((r) => r.stdout === local.stdout)) throw new Error(`${name}: the results differ`);
    console.log(`${name}: local ${local.ms.toFixed(0)} ms · s3 cached ${again.ms.toFixed(0)} ms · s3 objects cached, listed again ${relisted.ms.toFixed(0)} ms · s3 first run ${first.ms.toFixed(0)} ms`);
  }
} finally {
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
}
