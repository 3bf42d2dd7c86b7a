// s3:// inputs against the fake S3 server (fake-s3.ts) through --endpoint-url / AWS_ENDPOINT_URL,
// with the real AWS SDK and dummy credentials: the listing by the layout (request counts for a
// one-day query over a year), the same rows as a local copy, every fault class warned and survived,
// the cache (hits, --no-cache, clear, a changed ETag), the listing cache (closed days, open days,
// the folders' time to live, --refresh), the SDK not loaded for local inputs nor for a cached
// range, detect over S3, Ctrl-C while listing and while fetching, the progress while listing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { gzipSync } from "node:zlib";
import { FakeS3 } from "./fake-s3.js";
import { hasTmux, terminal } from "../tmux.js";
import { ACCOUNTS, BUCKET, DAYS, ORG, ORG_ACCOUNT, PREFIX, ROOT, putTrail, s3Env, start, trailObject, trailObjects, trailq, writeTrail, type Run } from "./trail.js";
import { tempDir } from "../temp.js";

const s3 = new FakeS3();
const objects = trailObjects();
let local = "";
const temps: string[] = [];
const temp = (name: string): string => {
  const d = tempDir(`s3-${name}`);
  temps.push(d);
  return d;
};
const URL_ = `s3://${BUCKET}/${PREFIX}`;
const DAY = ["--start", "2025-03-10T00:00:00Z", "--end", "2025-03-10T23:59:59Z"];

before(async () => {
  await s3.start();
  putTrail(s3, objects);
  local = temp("local");
  writeTrail(local, objects);
});

after(async () => {
  await s3.close();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** trailq against the fake server, with a cache folder of its own unless given. */
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return trailq(args, { AWS_ENDPOINT_URL: s3.url, XDG_CACHE_HOME: env["XDG_CACHE_HOME"] ?? temp("cache"), ...env });
}

const lines = (s: string): string[] => s.split("\n").filter(Boolean);

test("a one-day query over a year of objects lists that day (and the next, for late deliveries), not the year", async () => {
  s3.reset();
  const r = await run(["query", "stats count(*) as n by recipientAccountId, awsRegion", URL_, ...DAY, "-f", "jsonl"]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(lines(r.stdout).map((l) => JSON.parse(l) as unknown), [
    { recipientAccountId: "111111111111", awsRegion: "eu-west-1", n: 3 },
    { recipientAccountId: "111111111111", awsRegion: "us-east-1", n: 3 },
    { recipientAccountId: "222222222222", awsRegion: "eu-west-1", n: 3 },
    { recipientAccountId: "222222222222", awsRegion: "us-east-1", n: 3 },
    { recipientAccountId: "333333333333", awsRegion: "us-east-1", n: 3 },
  ]);
  const lists = s3.calls.filter((c) => c.op === "list");
  // the way down to the regions one level at a time, then each region's keys from March 10th's
  // folder on, in one call (StartAfter), stopping after the 11th's (late deliveries)
  const regions = lists.filter((c) => /\/CloudTrail\/[a-z0-9-]+\/$/.test(c.prefix!));
  assert.equal(regions.length, 5);
  for (const c of regions) assert.equal(c.startAfter, `${c.prefix}2025/03/10`);
  for (const c of lists) assert.ok(!c.prefix!.includes("CloudTrail-Digest"), c.prefix);
  // 5 trails: root, AWSLogs, the 2 accounts and the organization and its account, CloudTrail/ of each, each region
  assert.equal(lists.length, 14);
  assert.equal(s3.count("get"), 5);
  assert.match(r.stderr, /S3: 14 list calls, 11 objects listed, 5 fetched/);
  // the README beside AWSLogs/ is counted, as a folder's files that can't hold events are
  assert.match(r.stderr, /, 1 ignored \(not \.json, \.jsonl, \.ndjson, \.gz or \.zip\)/);
  assert.match(r.stderr, /15 events parsed in 5 files/);
  assert.ok(objects.length > 1800, "a year of objects in the bucket");
});

test("--account and --region list only their folders; the organization trail's accounts are found under its id", async () => {
  s3.reset();
  const r = await run(["query", "stats count(*) as n by recipientAccountId, awsRegion", URL_, "--account", ORG_ACCOUNT, "--since", "3650d", "-f", "jsonl", "-q"]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(lines(r.stdout).map((l) => JSON.parse(l) as unknown), [{ recipientAccountId: ORG_ACCOUNT, awsRegion: "us-east-1", n: DAYS * 3 }]);
  for (const c of s3.calls) if (c.op === "list") assert.ok(!ACCOUNTS.some((a) => c.prefix!.includes(`/${a}/`)), c.prefix);
  assert.ok(s3.calls.some((c) => c.op === "list" && c.prefix === `${PREFIX}AWSLogs/${ORG}/${ORG_ACCOUNT}/CloudTrail/`));
  assert.equal(s3.count("get"), DAYS);

  s3.reset();
  const e = await run(["query", "stats count(*) as n by awsRegion", URL_, "--region", "eu-west-1", ...DAY, "-f", "jsonl", "-q"]);
  assert.equal(e.status, 0, e.stderr);
  assert.deepEqual(lines(e.stdout).map((l) => JSON.parse(l) as unknown), [{ awsRegion: "eu-west-1", n: 6 }]);
  for (const c of s3.calls) if (c.op === "list") assert.ok(!c.prefix!.includes("us-east-1/"), c.prefix);
  assert.equal(s3.count("get"), 2);
});

test("the same rows as the local copy, for a set of queries", async () => {
  const queries: [string, string[]][] = [
    ["stats count(*) as n by eventName, recipientAccountId | sort n desc, eventName, recipientAccountId", ["--start", "2025-06-01T00:00:00Z", "--end", "2025-06-15T00:00:00Z"]],
    ["fields @timestamp, eventName, recipientAccountId, @logStream, @ptr | sort @timestamp desc | limit 7", ["--start", "2025-02-01T00:00:00Z", "--end", "2025-02-03T00:00:00Z"]],
    ["filter awsRegion = 'eu-west-1' | stats count(*) by bin(1d)", ["--start", "2025-12-20T00:00:00Z", "--end", "2025-12-31T23:59:59Z"]],
    ["fields @message | limit 3", ["--start", "2025-04-04T00:00:00Z", "--end", "2025-04-04T23:00:00Z", "--account", "222222222222"]],
  ];
  const cache = temp("same");
  for (const [q, range] of queries) {
    const remote = await run(["query", q, URL_, ...range, "-f", "jsonl", "-q"], { XDG_CACHE_HOME: cache });
    const disk = await trailq(["query", q, join(local, PREFIX), ...range, "-f", "jsonl", "-q"], {});
    assert.equal(remote.status, 0, remote.stderr);
    assert.equal(disk.status, 0, disk.stderr);
    assert.ok(lines(disk.stdout).length > 0, q);
    assert.equal(remote.stdout, disk.stdout, q);
    assert.equal(remote.stderr, "", q);
  }
});

test("estimate over objects not yet fetched: its sample is fetched, and the figures are those of the local copy", async () => {
  const remote = await run(["query", "estimate", URL_, ...DAY, "-f", "jsonl", "-q"]);
  const disk = await trailq(["query", "estimate", join(local, PREFIX), ...DAY, "-f", "jsonl", "-q"], {});
  assert.equal(remote.status, 0, remote.stderr);
  const got = JSON.parse(remote.stdout) as Record<string, number>;
  assert.ok(got["estimatedEvents"]! > 0, remote.stdout);
  assert.deepEqual(got, JSON.parse(disk.stdout));
});

test("newest events first with a limit: the objects are fetched in time order and the scan stops early", async () => {
  s3.reset();
  const q = "fields @timestamp, eventID | sort @timestamp desc | limit 2";
  const cache = temp("newest");
  const r = await run(["query", q, URL_, "-f", "jsonl", "--s3-concurrency", "2"], { XDG_CACHE_HOME: cache });
  const disk = await trailq(["query", q, join(local, PREFIX), "-f", "jsonl", "-q"], {});
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, disk.stdout);
  // five objects a day for a year are listed; a handful of the newest are fetched (2 at once, 8 ahead)
  assert.ok(s3.count("get") <= 20, `${s3.count("get")} objects fetched`);
  assert.match(r.stderr, /files not opened \(by their names, older than the rows kept\)/);
  // no time range: 9 folders on the way down, then each region's keys from its first, one call
  // each (not one per year, month and day: 1,904 calls)
  const lists = s3.calls.filter((c) => c.op === "list");
  assert.equal(lists.length, 14);
  const regions = lists.filter((c) => /\/CloudTrail\/[a-z0-9-]+\/$/.test(c.prefix!));
  assert.deepEqual(regions.map((c) => c.startAfter), Array(5).fill(undefined));
  // run again: each region's first day and closed days come from the listing cache, today is listed
  s3.reset();
  const again = await run(["query", q, URL_, "-f", "jsonl", "-q"], { XDG_CACHE_HOME: cache });
  assert.equal(again.stdout, r.stdout);
  const today = new Date().toISOString().slice(0, 10).replace(/-/g, "/");
  const open = Date.now() % 86_400_000 >= 2 * 3600_000 ? today : new Date(Date.now() - 86_400_000).toISOString().slice(0, 10).replace(/-/g, "/");
  assert.deepEqual(s3.calls.map((c) => c.startAfter).sort(), regions.map((c) => c.prefix + open).sort());
});

test("every failed object is one warning naming its key, counted, and the run goes on; --strict exits 1", async () => {
  s3.reset();
  const day = (a: string, r: string): string => objects.find((o) => o.key.includes(`/${a}/CloudTrail/${r}/2025/03/10/`))!.key;
  const denied = day(ACCOUNTS[0]!, "us-east-1");
  const missing = day(ACCOUNTS[0]!, "eu-west-1");
  const flaky = day(ACCOUNTS[1]!, "us-east-1");
  const cut = day(ACCOUNTS[1]!, "eu-west-1");
  const slow = day(ORG_ACCOUNT, "us-east-1");
  s3.fault(denied, { status: 403 });
  s3.fault(missing, { status: 404 });
  s3.fault(flaky, { status: 503, times: 2 });
  s3.fault(cut, { truncateAt: 10 });
  s3.fault(slow, { delayMs: 3000 });
  const args = ["query", "stats count(*) as n by recipientAccountId, awsRegion", URL_, ...DAY, "-f", "jsonl"];
  const r = await run(args, { TRAILQ_S3_TIMEOUT: "0.4" });
  assert.equal(r.status, 0, r.stderr);
  // the flaky object came on its third try
  assert.deepEqual(lines(r.stdout).map((l) => JSON.parse(l) as unknown), [{ recipientAccountId: ACCOUNTS[1], awsRegion: "us-east-1", n: 3 }]);
  const warnings = lines(r.stderr).filter((l) => l.startsWith("trailq: warning:"));
  assert.equal(warnings.length, 4, r.stderr);
  assert.ok(warnings.some((w) => w.includes(`s3://${BUCKET}/${denied}: AccessDenied (HTTP 403)`)), r.stderr);
  assert.ok(warnings.some((w) => w.includes(`s3://${BUCKET}/${missing}: NoSuchKey (HTTP 404)`)), r.stderr);
  assert.ok(warnings.some((w) => w.includes(`s3://${BUCKET}/${cut}:`) && /truncated|broke off/.test(w)), r.stderr);
  assert.ok(warnings.some((w) => w.includes(`s3://${BUCKET}/${slow}:`) && /timed out/.test(w)), r.stderr);
  assert.match(r.stderr, /4 files skipped, problems: /);
  assert.match(r.stderr, /4 failed/);
  assert.ok(!/\n\s+at /.test(r.stderr), "no stack trace");
  // nothing partial is left in the cache: the next run fetches the failed ones again
  s3.reset();
  const strict = await run([...args, "--strict"], { TRAILQ_S3_TIMEOUT: "0.4" });
  s3.fault(denied, { status: 403 });
  assert.equal(strict.status, 0, "the faults were used up: every object came");
  s3.fault(denied, { status: 403 });
  const failing = await run([...args, "--strict", "-q"]);
  assert.equal(failing.status, 1, failing.stderr);
  assert.match(failing.stderr, /AccessDenied/);
});

test("a corrupt object is the reader's warning naming its key; a key with control characters is shown escaped", async () => {
  const bucket = "other-bucket";
  const good = objects.find((o) => o.key.includes("/2025/03/10/"))!;
  s3.put(bucket, "AWSLogs/111111111111/CloudTrail/us-east-1/2025/03/10/bad_20250310T1205Z_x.json.gz", Buffer.concat([gzipSync("{}").subarray(0, 12), Buffer.from("garbage garbage")]));
  s3.put(bucket, "AWSLogs/111111111111/CloudTrail/us-east-1/2025/03/10/evil\x1b[31m_20250310T1205Z_y.json.gz", good.body);
  const r = await run(["query", "stats count(*) as n", `s3://${bucket}`, "-f", "jsonl"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '{"n":3}\n');
  assert.match(r.stderr, /warning: s3:\/\/other-bucket\/AWSLogs\/.*bad_20250310T1205Z_x\.json\.gz: .*gzip/);
  assert.ok(!r.stderr.includes("\x1b"), "no raw escape reaches the terminal");
});

test("the cache: a second run asks S3 nothing, --no-cache fetches again and keeps nothing, a changed object in a closed day is seen with --refresh, cache clear empties it", async () => {
  const cache = temp("cache-runs");
  const env = { XDG_CACHE_HOME: cache };
  const args = ["query", "stats count(*) as n", URL_, "--start", "2025-05-01T00:00:00Z", "--end", "2025-05-31T23:59:59Z", "-f", "jsonl"];
  s3.reset();
  const first = await run(args, env);
  assert.equal(first.status, 0, first.stderr);
  const fetched = s3.count("get");
  // May's objects; June 1st's are listed (late deliveries may hold May's events) but pruned by their stamps
  assert.equal(fetched, 31 * 5);
  s3.reset();
  const second = await run(args, env);
  assert.equal(second.status, 0, second.stderr);
  assert.equal(second.stdout, first.stdout);
  assert.deepEqual(s3.asked, [], "nothing asked of S3: May's days are closed, the folders above were listed a moment ago");
  // 9 folders on the way down to the 5 regions, and the regions' days (the objects: May's and June
  // 1st's, and the README beside AWSLogs/)
  assert.match(second.stderr, /S3: 0 list calls \(14 listings from the cache\), 161 objects listed, 0 fetched \(0\.0 MB\), 155 from the cache/);
  // May's events: 31 days of 5 trails' objects of 3 events (the local copy's rows are compared in
  // the tests above)
  assert.equal(first.stdout, `{"n":${31 * 5 * 3}}\n`);
  // measured, not asserted: the second run reads the listing and the objects from the cache
  process.stderr.write(`# s3 cache: first run ${first.ms.toFixed(0)} ms, second ${second.ms.toFixed(0)} ms (${fetched} objects)\n`);

  const info = await run(["cache", "info"], env);
  assert.equal(info.status, 0, info.stderr);
  assert.match(info.stdout, new RegExp(`objects: ${fetched}\\n`));
  // 9 folders, and the 5 regions' May and June (June 1st: late deliveries)
  assert.match(info.stdout, /listings: 19 /);
  assert.match(info.stdout, /buckets: trail-bucket/);

  s3.reset();
  const none = temp("nocache");
  const nocache = await run([...args, "--no-cache"], { XDG_CACHE_HOME: none });
  assert.equal(nocache.stdout, first.stdout);
  assert.equal(s3.count("get"), fetched);
  assert.ok(!existsSync(join(none, "trailq")), "--no-cache writes nothing to the cache");

  // an object replaced in a closed day: the cached listing is trusted (CloudTrail writes an object
  // once); --refresh lists again, and the new ETag is fetched again; the old copy goes
  const key = objects.find((o) => o.key.includes("/2025/05/02/"))!.key;
  const old = s3.buckets.get(BUCKET)!.get(key)!;
  s3.put(BUCKET, key, gzipSync(JSON.stringify({ Records: [] })));
  s3.reset();
  const trusted = await run(args, env);
  assert.equal(trusted.stdout, first.stdout);
  assert.equal(s3.asked.length, 0);
  const changed = await run([...args, "--refresh"], env);
  assert.equal(s3.count("list"), 14);
  assert.equal(s3.count("get"), 1);
  assert.equal(JSON.parse(changed.stdout).n, JSON.parse(first.stdout).n - 3);
  s3.buckets.get(BUCKET)!.set(key, old);
  const info2 = await run(["cache", "info"], env);
  assert.match(info2.stdout, new RegExp(`objects: ${fetched}\\n`));

  const clear = await run(["cache", "clear"], env);
  assert.equal(clear.status, 0);
  assert.match(clear.stdout, new RegExp(`removed ${fetched} cached objects`));
  assert.match((await run(["cache", "info"], env)).stdout, /objects: 0\n/);
});

test("the cache's size cap evicts the least recently used objects", async () => {
  const cache = temp("cap");
  const env = { XDG_CACHE_HOME: cache, TRAILQ_S3_CACHE_SIZE: "4K" };
  const r = await run(["query", "stats count(*) as n", URL_, "--start", "2025-07-01T00:00:00Z", "--end", "2025-07-31T23:59:59Z", "-f", "jsonl"], env);
  assert.equal(r.status, 0, r.stderr);
  const info = await run(["cache", "info"], env);
  const kept = Number(/objects: (\d+)/.exec(info.stdout)![1]);
  assert.ok(kept > 0 && kept < 31 * 5, `${kept} objects kept under a 4K cap`);
  const bytes = readdirSync(join(cache, "trailq", "s3", BUCKET), { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).length;
  assert.equal(bytes, kept);
});

test("user errors: a bad s3 URL, a bucket that does not exist, no credentials: a message, exit 2, no stack", async () => {
  const bad = await run(["query", "stats count(*)", "s3://Not_A_Bucket/x"]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^trailq: s3:\/\/Not_A_Bucket\/x: not an S3 location/);
  const nobucket = await run(["query", "stats count(*)", "s3://no-such-bucket/"]);
  assert.equal(nobucket.status, 2);
  assert.match(nobucket.stderr, /^trailq: s3:\/\/no-such-bucket\/: cannot list: NoSuchBucket \(HTTP 404\)/);
  const nocreds = await run(["query", "stats count(*)", URL_], { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" });
  assert.equal(nocreds.status, 2, nocreds.stderr);
  assert.match(nocreds.stderr, /no AWS credentials found/);
  for (const r of [bad, nobucket, nocreds]) assert.ok(!/\n\s+at /.test(r.stderr), r.stderr);
});

/** trailq with a hook that prints `LOADED <module>` on standard error for each @aws-sdk module loaded. */
function withSdkHook(args: string[], cache = temp("hookcache")): Promise<Run> {
  const hook = join(temp("hook"), "hook.cjs");
  writeFileSync(hook, `const M = require("node:module"); const load = M._load; M._load = function (req, ...rest) { if (String(req).startsWith("@aws-sdk/")) process.stderr.write("LOADED " + req + "\\n"); return load.call(this, req, ...rest); };\n`);
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--require", hook, join(ROOT, "bin", "trailq.mjs"), ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: s3Env({ AWS_ENDPOINT_URL: s3.url, XDG_CACHE_HOME: cache }),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += String(d)));
    child.stderr.on("data", (d: Buffer) => (stderr += String(d)));
    child.on("close", (status) => resolve({ status, stdout, stderr, ms: performance.now() - started }));
  });
}

test("the SDK is loaded for s3:// inputs only, and not for a range whose listing and objects are cached; its notices never reach the terminal", async () => {
  const local = await withSdkHook(["query", "stats count(*)", "-q"]);
  assert.equal(local.status, 0, local.stderr);
  assert.equal(local.stderr, "", "a local query loads no @aws-sdk module");
  // the run that fills the cache (-q: nothing but what the hook prints on standard error)
  const cache = temp("hookcache");
  const first = await withSdkHook(["query", "stats count(*) as n", URL_, ...DAY, "-f", "jsonl", "-q"], cache);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /LOADED @aws-sdk\/client-s3/);
  const other = lines(first.stderr).filter((l) => !l.startsWith("LOADED "));
  assert.deepEqual(other, [], "no SDK notice (its Node-version warning) on standard error");
  s3.reset();
  const again = await withSdkHook(["query", "stats count(*) as n", URL_, ...DAY, "-f", "jsonl"], cache);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout, first.stdout);
  assert.doesNotMatch(again.stderr, /LOADED/, "nothing to list or fetch: no SDK");
  assert.match(again.stderr, /S3: 0 list calls \(14 listings from the cache\), 11 objects listed, 0 fetched \(0\.0 MB\), 5 from the cache/);
  assert.deepEqual(s3.asked, []);
});

test("repl (and its .detect) and run read s3:// inputs; sql --ddl takes the same URL as its location", async () => {
  const child = spawn(join(ROOT, "bin", "trailq"), ["repl", URL_], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y", AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: s3.url, XDG_CACHE_HOME: temp("repl"), XDG_STATE_HOME: temp("state") },
  });
  let stdout = "";
  child.stdout.on("data", (d: Buffer) => (stdout += String(d)));
  // a month of the year (what the session reads is the point, not how much: 155 objects)
  child.stdin.end(".range 2025-03-01T00:00:00Z 2025-03-31T23:59:59Z\nfilter recipientAccountId = '333333333333' | stats count(*) as n\n.detect\n.quit\n");
  const status = await new Promise((resolve) => child.on("close", resolve));
  assert.equal(status, 0, stdout);
  assert.match(stdout, new RegExp(`^ *${31 * 3}\\n\\(1 row, `, "m"));
  assert.match(stdout, /S3: \d+ list calls, \d+ objects listed, 155 fetched/);
  // .detect reads the same objects (from the cache the query filled)
  assert.match(stdout, /^465 events read in 155 files/m);

  const r = await run(["run", "cis-root-account-usage", URL_, ...DAY, "-q"]);
  assert.equal(r.status, 0, r.stderr);

  const ddl = await run(["sql", "--ddl", `s3://${BUCKET}/logs`, "--account", ACCOUNTS[0]!]);
  assert.equal(ddl.status, 0, ddl.stderr);
  assert.match(ddl.stdout, new RegExp(`LOCATION 's3://${BUCKET}/logs/AWSLogs/`));
});

test("listing pages: continuation tokens give the same objects as one page", async () => {
  const { S3Inputs } = await import("../../src/sources/s3/remote.js");
  const open = (pageSize?: number) =>
    S3Inputs.open([`s3://${BUCKET}/${PREFIX}AWSLogs/${ACCOUNTS[0]}/CloudTrail/us-east-1/2025/01/`], { endpoint: s3.url, cache: false, ...(pageSize ? { pageSize } : {}) });
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y", AWS_REGION: "us-east-1" });
  try {
    const one = await open();
    const paged = await open(7);
    assert.deepEqual(paged.found().map((f) => f.shown), one.found().map((f) => f.shown));
    assert.equal(one.found().length, 31);
    assert.ok(paged.figures.list.calls > one.figures.list.calls);
    one.close();
    paged.close();
  } finally {
    process.env = saved;
  }
});

test("the listing cache: a day still open (today) is listed again, closed days are not; TRAILQ_S3_LIST_TTL=0 lists the folders above again; --refresh lists everything", async () => {
  const bucket = "live-bucket";
  const account = ACCOUNTS[0]!;
  const region = "us-east-1";
  const regionPrefix = `AWSLogs/${account}/CloudTrail/${region}/`;
  const DAY_MS = 86_400_000;
  // the runs below read the clock again: not within a minute of midnight (a new day) or of 02:00
  // (when the day before closes), which would move the days they list under the test's expectations
  for (const edge of [0, 2 * 3600_000]) {
    const wait = (((edge - (Date.now() % DAY_MS)) % DAY_MS) + DAY_MS) % DAY_MS;
    if (wait < 60_000) await new Promise((r) => setTimeout(r, wait + 1000));
  }
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  // the days before today, and today: an object each, a quarter past midnight
  for (let d = 3; d >= 0; d--) {
    const o = trailObject(`AWSLogs/${account}`, account, region, today - d * DAY_MS + 15 * 60_000, d, `live${d}`);
    s3.put(bucket, o.key, o.body);
  }
  const cache = temp("live");
  const args = ["query", "stats count(*) as n", `s3://${bucket}`, "--since", "4d", "-f", "jsonl"];
  s3.reset();
  const first = await run(args, { XDG_CACHE_HOME: cache });
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stdout, '{"n":12}\n');
  // the root, AWSLogs/, the account, CloudTrail/, and the region's days from 4 days ago on
  assert.equal(s3.count("list"), 5);
  assert.equal(s3.count("get"), 4);

  // a day is closed 2 hours after it ends: today is open (and yesterday too, in the first 2 hours of today)
  const open = Date.now() >= today + 2 * 3600_000 ? today : today - DAY_MS;
  const folder = (t: number): string => new Date(t).toISOString().slice(0, 10).replace(/-/g, "/");
  s3.reset();
  const second = await run(args, { XDG_CACHE_HOME: cache });
  assert.equal(second.stdout, first.stdout);
  assert.deepEqual(s3.calls.map((c) => [c.op, c.prefix, c.startAfter]), [["list", regionPrefix, regionPrefix + folder(open)]]);
  assert.match(second.stderr, /S3: 1 list call \(5 listings from the cache\), 4 objects listed, 0 fetched \(0\.0 MB\), 4 from the cache/);

  // an object delivered today is found by the next run
  const late = trailObject(`AWSLogs/${account}`, account, region, today + 20 * 60_000, 9, "late");
  s3.put(bucket, late.key, late.body);
  s3.reset();
  const third = await run(args, { XDG_CACHE_HOME: cache });
  assert.equal(third.stdout, '{"n":15}\n');
  assert.equal(s3.count("list"), 1);
  assert.deepEqual(s3.calls.filter((c) => c.op === "get").map((c) => c.key), [late.key]);

  // the folders above the regions are kept a short time (TRAILQ_S3_LIST_TTL): 0 lists them again, not the closed days
  s3.reset();
  const ttl = await run(args, { XDG_CACHE_HOME: cache, TRAILQ_S3_LIST_TTL: "0" });
  assert.equal(ttl.stdout, third.stdout);
  assert.deepEqual(s3.calls.map((c) => c.prefix), ["", "AWSLogs/", `AWSLogs/${account}/`, `AWSLogs/${account}/CloudTrail/`, regionPrefix]);
  assert.equal(s3.calls[4]!.startAfter, regionPrefix + folder(open));

  // --refresh: every folder and day listed again (the objects are still cached)
  s3.reset();
  const refreshed = await run([...args, "--refresh", "--verbose"], { XDG_CACHE_HOME: cache });
  assert.equal(refreshed.stdout, third.stdout);
  assert.equal(s3.count("list"), 5);
  assert.equal(s3.calls[4]!.startAfter, regionPrefix + folder(today - 4 * DAY_MS));
  assert.equal(s3.count("get"), 0);
  assert.doesNotMatch(refreshed.stderr, /from the listing cache/);
  // --verbose says what came from the listing cache
  s3.reset();
  const verbose = await run([...args, "--verbose"], { XDG_CACHE_HOME: cache });
  assert.match(verbose.stderr, new RegExp(`^trailq: s3: from the listing cache: s3://${bucket}/AWSLogs/ \\(listed \\d+ s ago\\)$`, "m"));
  assert.match(verbose.stderr, new RegExp(`^trailq: s3: from the listing cache: s3://${bucket}/${regionPrefix}${folder(today - 4 * DAY_MS)}/ \\(\\d days?\\)$`, "m"));
});

test("the listing cache without a time range: a month's and its days' folders, closed, are kept for good (TRAILQ_S3_LIST_TTL does not apply)", async () => {
  const cache = temp("month");
  const args = ["query", "stats count(*) as n", `s3://${BUCKET}/${PREFIX}AWSLogs/${ACCOUNTS[0]}/CloudTrail/us-east-1/2025/03/`, "-f", "jsonl"];
  s3.reset();
  const first = await run(args, { XDG_CACHE_HOME: cache });
  assert.equal(first.stdout, '{"n":93}\n');
  // the month's folder, then each day's
  assert.equal(s3.count("list"), 1 + 31);
  s3.reset();
  const again = await run(args, { XDG_CACHE_HOME: cache, TRAILQ_S3_LIST_TTL: "0" });
  assert.equal(again.stdout, first.stdout);
  assert.deepEqual(s3.asked, []);
  assert.match(again.stderr, /S3: 0 list calls \(32 listings from the cache\), 31 objects listed/);
  // a region's folder as the input: its keys from the first, in one call (a year: 365 objects)
  s3.reset();
  const region = await run(["query", "fields eventID | limit 1", `s3://${BUCKET}/${PREFIX}AWSLogs/${ACCOUNTS[0]}/CloudTrail/us-east-1/`, "-f", "jsonl"]);
  assert.equal(region.status, 0, region.stderr);
  assert.match(region.stderr, /365 objects listed/);
  assert.deepEqual(s3.calls.filter((c) => c.op === "list").map((c) => c.startAfter), [undefined]);
});

test("detect reads s3:// inputs as query does: the same findings as the local copy, the same pruning, the cache", async () => {
  const rules = temp("rules");
  writeFileSync(
    join(rules, "get-object.yml"),
    ["title: S3 object read", "id: 5d0c6a4e-1b7e-4c1a-9d3e-000000000019", "status: test", "level: low", "logsource:", "  product: aws", "  service: cloudtrail", "detection:", "  selection:", "    eventName: GetObject", "  condition: selection", ""].join("\n"),
  );
  const args = (input: string): string[] => ["detect", input, "--no-bundled", "--rules", join(rules, "get-object.yml"), ...DAY, "-f", "jsonl"];
  const cache = temp("detect");
  s3.reset();
  const remote = await run(args(URL_), { XDG_CACHE_HOME: cache });
  const disk = await trailq(args(join(local, PREFIX)), {});
  assert.equal(remote.status, 0, remote.stderr);
  assert.equal(disk.status, 0, disk.stderr);
  assert.ok(lines(disk.stdout).length > 0, "the rule finds GetObject events that day");
  assert.equal(remote.stdout, disk.stdout);
  // the same listing as the one-day query: the way down, each region's days; that day's objects
  assert.equal(s3.count("list"), 14);
  assert.equal(s3.count("get"), 5);
  assert.match(remote.stderr, /^S3: 14 list calls, 11 objects listed, 5 fetched/m);
  s3.reset();
  const again = await run(args(URL_), { XDG_CACHE_HOME: cache });
  assert.equal(again.stdout, disk.stdout);
  assert.deepEqual(s3.asked, []);
  assert.match(again.stderr, /^S3: 0 list calls \(14 listings from the cache\), 11 objects listed, 0 fetched \(0\.0 MB\), 5 from the cache/m);
});

/**
 * trailq run against the fake server, one of whose answers takes a minute: `slow` is an object's key
 * (GetObject) or "list:" and a prefix (ListObjectsV2). SIGINT is sent once that request is under way
 * (and `settleMs` more); the run's end.
 */
async function interruptedAt(args: string[], slow: string, settleMs = 0): Promise<Run> {
  s3.reset();
  s3.fault(slow, { delayMs: 60_000 });
  const { child, done } = start(args, { AWS_ENDPOINT_URL: s3.url, XDG_CACHE_HOME: temp("interrupted") });
  const under = (c: { op: string; prefix?: string; key?: string }): boolean => (slow.startsWith("list:") ? c.op === "list" && `list:${c.prefix}` === slow : c.op === "get" && c.key === slow);
  for (let i = 0; i < 400 && !s3.asked.some(under); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(s3.asked.some(under), `the server was never asked for ${slow}`);
  await new Promise((r) => setTimeout(r, settleMs));
  child.kill("SIGINT");
  const r = await done;
  s3.reset();
  return r;
}

const STACK = /\n\s+at |Error:/;

test("Ctrl-C while listing: the summary says interrupted, exit 130, no warning, no stack trace, no hang", { timeout: 30_000 }, async () => {
  const r = await interruptedAt(["query", "stats count(*) as n", URL_, ...DAY, "-f", "jsonl"], `list:${PREFIX}AWSLogs/`);
  assert.equal(r.status, 130, r.stderr);
  assert.equal(r.stdout, '{"n":0}\n');
  // the root listed (AWSLogs/ and the README beside it), AWSLogs/ under way
  assert.match(r.stderr, /^trailq: 0 events parsed in 0 files · 1 row · [\d.]+ s · S3: 2 list calls, 1 object listed, 0 fetched \(0\.0 MB\), 0 from the cache \(0\.0 MB\), 1 ignored \(not \.json, \.jsonl, \.ndjson, \.gz or \.zip\) · interrupted$/m);
  assert.doesNotMatch(r.stderr, /warning/);
  assert.doesNotMatch(r.stderr, STACK);
});

test("Ctrl-C while fetching: the rows of the objects read so far and the summary, exit 130, the object under way neither warned nor counted as failed", { timeout: 30_000 }, async () => {
  const day = objects.filter((o) => o.key.includes("/2025/03/10/")).map((o) => o.key).sort();
  // one at a time, in the listing's order: the first two come (and are read in a moment), the third hangs
  const r = await interruptedAt(["query", "stats count(*) as n by recipientAccountId, awsRegion", URL_, ...DAY, "-f", "jsonl", "--s3-concurrency", "1"], day[2]!, 500);
  assert.equal(r.status, 130, r.stderr);
  assert.deepEqual(lines(r.stdout).map((l) => JSON.parse(l) as unknown), [
    { recipientAccountId: "111111111111", awsRegion: "eu-west-1", n: 3 },
    { recipientAccountId: "111111111111", awsRegion: "us-east-1", n: 3 },
  ]);
  assert.match(r.stderr, /^trailq: 6 events parsed in 2 files · 2 rows · [\d.]+ s · S3: 14 list calls, 11 objects listed, 2 fetched \(0\.0 MB\), 0 from the cache \(0\.0 MB\), 1 ignored \(not \.json, \.jsonl, \.ndjson, \.gz or \.zip\) · .*interrupted$/m);
  assert.doesNotMatch(r.stderr, /warning|failed|skipped/);
  assert.doesNotMatch(r.stderr, STACK);
});

test("Ctrl-C while detect lists: its summary says interrupted, with what S3 was asked; exit 130, no stack trace", { timeout: 30_000 }, async () => {
  const r = await interruptedAt(["detect", URL_, ...DAY, "-f", "jsonl"], `list:${PREFIX}AWSLogs/`);
  assert.equal(r.status, 130, r.stderr);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^0 events read in 0 files · interrupted$/m);
  assert.match(r.stderr, /^S3: 2 list calls, 1 object listed, 0 fetched/m);
  assert.doesNotMatch(r.stderr, STACK);
});

test("on a terminal, the progress line counts the listing as it goes, and Ctrl-C during it ends cleanly (tmux)", { skip: !hasTmux && "tmux is not installed", timeout: 60_000 }, async () => {
  s3.reset();
  const slow = `${PREFIX}AWSLogs/${ORG}/`;
  s3.fault(`list:${slow}`, { delayMs: 60_000 });
  const env = Object.entries(s3Env({ AWS_ENDPOINT_URL: s3.url, XDG_CACHE_HOME: temp("tmux") }))
    .filter(([k]) => k.startsWith("AWS_") || k.startsWith("TRAILQ_") || k === "XDG_CACHE_HOME")
    .map(([k, v]) => `${k}='${v}'`)
    .join(" ");
  const t = terminal(`env ${env} ${join(ROOT, "bin", "trailq")} query 'stats count(*) as n' ${URL_} ${DAY.join(" ")} > /dev/null; echo EXIT=$?; sleep 60`, 160, 20, { history: 0, join: true });
  try {
    const listing = await t.until(/S3 listing: \d+ list calls, \d+ objects listed \(\d+\.\d MB\) · \d+s/, "the listing's progress");
    assert.doesNotMatch(listing, /EXIT=/);
    t.keys("C-c");
    const end = await t.until(/EXIT=\d+/, "the end");
    assert.match(end, /0 events parsed in 0 files .* interrupted/);
    assert.match(end, /EXIT=130/);
    assert.doesNotMatch(end, /S3 listing:/, "the progress line is erased before the summary");
  } finally {
    t.close();
    s3.reset();
  }
});

test("paths as local ones: a prefix with nothing under it is an error (exit 2); an object named is read whatever its name; folders whose names start alike come in name order; overlapping inputs count each object once", async () => {
  const bucket = "paths-bucket";
  const doc = (id: string, t: string): string => JSON.stringify({ Records: [{ eventVersion: "1.08", eventTime: t, eventName: id, eventSource: "s3.amazonaws.com", eventID: id }] });
  s3.put(bucket, "exports/trail/a.json", doc("FromTrail", "2026-01-01T00:00:00Z"));
  s3.put(bucket, "exports/trail-old/a.json", doc("FromTrailOld", "2026-01-01T00:00:00Z"));
  s3.put(bucket, "exports/raw-export", doc("NoExtension", "2026-01-02T00:00:00Z"));
  for (const prefix of ["exports/nothing-here/", "Exports/"]) {
    const r = await run(["query", "stats count(*)", `s3://${bucket}/${prefix}`]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`^trailq: s3://${bucket}/${prefix}: nothing is stored under this prefix`));
  }
  const missing = await run(["query", "stats count(*)", `s3://${bucket}/exports/no-such-object`]);
  assert.equal(missing.status, 2, missing.stderr);
  assert.match(missing.stderr, /no such object, and nothing is stored under it as a folder/);
  // an object named: read as a file named on the command line is
  const named = await run(["query", "fields eventName", `s3://${bucket}/exports/raw-export`, "-f", "json", "-q"]);
  assert.equal(named.status, 0, named.stderr);
  assert.deepEqual(JSON.parse(named.stdout), [{ eventName: "NoExtension" }]);
  // trail/ before trail-old/, as a local folder's entries (the first of a tie in time is trail's)
  const order = await run(["query", "sort @timestamp asc | limit 1 | fields eventName", `s3://${bucket}/exports/`, "-f", "json", "-q"]);
  assert.equal(order.status, 0, order.stderr);
  assert.deepEqual(JSON.parse(order.stdout), [{ eventName: "FromTrail" }]);
  // the same objects under two inputs: listed once
  const both = await run(["query", "stats count(*) as n", `s3://${bucket}/exports/`, `s3://${bucket}/exports/trail/`, "-f", "json"]);
  assert.equal(both.status, 0, both.stderr);
  assert.deepEqual(JSON.parse(both.stdout), [{ n: 2 }]);
  assert.match(both.stderr, /3 objects listed/);
});

test("an object named is read whatever its name says of its time; a region's folder that holds nothing is an error; an object replaced or added beside others is seen at once; a key with a carriage return is read; a replaced object's warning says what to do", async () => {
  const bucket = "named-bucket";
  const doc = (id: string, t: string): string => JSON.stringify({ Records: [{ eventVersion: "1.08", eventTime: t, eventName: id, eventSource: "s3.amazonaws.com", eventID: id, recipientAccountId: "111111111111", awsRegion: "us-east-1" }] });
  const region = "AWSLogs/111111111111/CloudTrail/us-east-1/";
  // delivered two hours after its name's time: a range on the event's time still holds it
  const late = `${region}2025/03/11/111111111111_CloudTrail_us-east-1_20250311T0010Z_late0001.json`;
  s3.put(bucket, late, doc("LateOne", "2025-03-10T22:00:00Z"));
  const named = await run(["query", "fields eventName", `s3://${bucket}/${late}`, "--start", "2025-03-10T21:00:00Z", "--end", "2025-03-10T22:30:00Z", "-f", "jsonl"]);
  assert.equal(named.status, 0, named.stderr);
  assert.equal(named.stdout, '{"eventName":"LateOne"}\n');
  assert.doesNotMatch(named.stderr, /pruned/);
  // another account's region folder, or a region that is not there: not an empty answer
  for (const wrong of ["AWSLogs/999999999999/CloudTrail/us-east-1/", "AWSLogs/111111111111/CloudTrail/us-east-9/"]) {
    const r = await run(["query", "stats count(*) as n", `s3://${bucket}/${wrong}`]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`^trailq: s3://${bucket}/${wrong}: nothing is stored under this prefix`));
  }
  const none = await run(["query", "stats count(*) as n", `s3://${bucket}/${region}`, "--start", "2024-01-01T00:00:00Z", "--end", "2024-01-02T00:00:00Z", "-f", "jsonl", "-q"]);
  assert.equal(none.status, 0, none.stderr);
  assert.equal(none.stdout, '{"n":0}\n');
  // an export folder: an object replaced (same size) or added is seen by the next run, within the folders' time to live
  const cache = temp("exports");
  s3.put(bucket, "exports/a.json", doc("OLD", "2026-01-01T00:00:00Z"));
  const q = ["query", "fields eventName | sort eventName", "-f", "jsonl", "-q"];
  assert.equal((await run([...q, `s3://${bucket}/exports/`], { XDG_CACHE_HOME: cache })).stdout, '{"eventName":"OLD"}\n');
  assert.equal((await run([...q, `s3://${bucket}/exports/a.json`], { XDG_CACHE_HOME: cache })).stdout, '{"eventName":"OLD"}\n');
  s3.put(bucket, "exports/a.json", doc("NEW", "2026-01-01T00:00:00Z"));
  s3.put(bucket, "exports/b.json", doc("ADDED", "2026-01-01T00:00:00Z"));
  assert.equal((await run([...q, `s3://${bucket}/exports/`], { XDG_CACHE_HOME: cache })).stdout, '{"eventName":"ADDED"}\n{"eventName":"NEW"}\n');
  assert.equal((await run([...q, `s3://${bucket}/exports/a.json`], { XDG_CACHE_HOME: cache })).stdout, '{"eventName":"NEW"}\n');
  // a key XML 1.0 cannot carry as it is (listed URL-encoded)
  s3.put(bucket, "odd/cr\rhere.json", doc("CarriageReturn", "2026-01-01T00:00:00Z"));
  s3.put(bucket, "odd/plus+and space%.json", doc("PlusSpace", "2026-01-01T00:00:00Z"));
  // decoded once: %41 is the key's own text, not an A
  s3.put(bucket, "odd/e%41f.json", doc("Percent", "2026-01-01T00:00:00Z"));
  const odd = await run([...q, `s3://${bucket}/odd/`]);
  assert.equal(odd.status, 0, odd.stderr);
  assert.equal(odd.stdout, '{"eventName":"CarriageReturn"}\n{"eventName":"Percent"}\n{"eventName":"PlusSpace"}\n');
  // replaced between the listing and the fetch: the warning says how to read it
  s3.fault("exports/b.json", { status: 412 });
  const changed = await run(["query", "stats count(*)", `s3://${bucket}/exports/`]);
  assert.match(changed.stderr, /exports\/b\.json: PreconditionFailed \(HTTP 412\): the object changed since it was listed: skipped \(--refresh lists and reads it again\)/);
});

test("SIGTERM while fetching: the temporary folder of --no-cache is removed; a partial download a run left a day ago is removed from the cache, never counted", { timeout: 30_000 }, async () => {
  const tmp = temp("tmpdir");
  const day = objects.filter((o) => o.key.includes("/2025/03/10/")).map((o) => o.key).sort();
  s3.reset();
  s3.fault(day[1]!, { delayMs: 60_000 });
  const { child, done } = start(["query", "stats count(*)", URL_, ...DAY, "--no-cache", "--s3-concurrency", "1"], { AWS_ENDPOINT_URL: s3.url, XDG_CACHE_HOME: temp("term"), TMPDIR: tmp });
  for (let i = 0; i < 400 && !s3.asked.some((c) => c.op === "get" && c.key === day[1]); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(readdirSync(tmp).some((n) => n.startsWith("trailq-s3-")), "the temporary folder is there while the run goes on");
  child.kill("SIGTERM");
  const r = await done;
  s3.reset();
  assert.equal(r.status, null, r.stderr); // ended by the signal, as it would have been
  assert.deepEqual(readdirSync(tmp), []);
  // a download a killed run left in the cache
  const cache = temp("partials");
  const { cacheEntries } = await import("../../src/sources/s3/cache.js");
  const dir = join(cache, "trailq", "s3", "bucket", "ab");
  mkdirSync(dir, { recursive: true });
  const old = join(dir, "x.json.gz.tmp-1-1");
  const fresh = join(dir, "y.json.gz.tmp-1-2");
  writeFileSync(old, "partial");
  writeFileSync(fresh, "partial");
  utimesSync(old, new Date(Date.now() - 2 * 86_400_000), new Date(Date.now() - 2 * 86_400_000));
  assert.deepEqual(cacheEntries(join(cache, "trailq", "s3")), []);
  assert.equal(existsSync(old), false);
  assert.equal(existsSync(fresh), true, "one under way is left alone");
});
