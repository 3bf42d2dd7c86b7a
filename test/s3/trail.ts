// A generated trail for the S3 tests: a year of days (2025), two accounts and two regions in a
// standard trail, one account in an organization trail, one object a day each, with digests and
// a README beside them; the same objects written to a folder for comparisons with local reads; and
// the built command run against the fake server (started, to be signalled, or run to its end).
import { gzipSync } from "node:zlib";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FakeS3 } from "./fake-s3.js";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const BUCKET = "trail-bucket";
export const PREFIX = "logs/";
export const ACCOUNTS = ["111111111111", "222222222222"];
export const REGIONS = ["us-east-1", "eu-west-1"];
export const ORG = "o-abc123def4";
export const ORG_ACCOUNT = "333333333333";
export const DAYS = 365;
const YEAR_START = Date.UTC(2025, 0, 1);

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

function event(account: string, region: string, t: number, n: number): Record<string, unknown> {
  return {
    eventVersion: "1.08",
    userIdentity: { type: "IAMUser", arn: `arn:aws:iam::${account}:user/u${n % 3}`, accountId: account },
    eventTime: new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: n % 2 ? "s3.amazonaws.com" : "ec2.amazonaws.com",
    eventName: n % 2 ? "GetObject" : "DescribeInstances",
    awsRegion: region,
    sourceIPAddress: `10.0.${n % 200}.${n % 250}`,
    eventID: `${account}-${region}-${t}-${n}`,
    recipientAccountId: account,
  };
}

export interface TrailObject {
  key: string;
  body: Buffer;
}

/** The objects: keys relative to the bucket (under PREFIX). */
export function trailObjects(days = DAYS): TrailObject[] {
  const out: TrailObject[] = [];
  const trails: [string, string, string][] = [];
  for (const a of ACCOUNTS) for (const r of REGIONS) trails.push([`AWSLogs/${a}`, a, r]);
  trails.push([`AWSLogs/${ORG}/${ORG_ACCOUNT}`, ORG_ACCOUNT, "us-east-1"]);
  for (let d = 0; d < days; d++) {
    const day = YEAR_START + d * 86400_000;
    const date = new Date(day);
    const [y, m, dd] = [date.getUTCFullYear(), pad(date.getUTCMonth() + 1), pad(date.getUTCDate())];
    for (const [base, a, r] of trails) out.push(trailObject(`${PREFIX}${base}`, a, r, day + 12 * 3600_000 + 5 * 60_000, d, `${pad(d, 4)}abcd`));
    if (d % 30 === 0) {
      const a = ACCOUNTS[0]!;
      out.push({ key: `${PREFIX}AWSLogs/${a}/CloudTrail-Digest/us-east-1/${y}/${m}/${dd}/${a}_CloudTrail-Digest_us-east-1_x_${y}${m}${dd}T1205Z.json.gz`, body: gzipSync("{}") });
    }
  }
  out.push({ key: `${PREFIX}README.txt`, body: Buffer.from("not a trail\n") });
  return out;
}

/**
 * One object of a trail under `base` (the folder holding CloudTrail/): 3 events in the 10 minutes
 * before its delivery stamp, in that day's folder; `n` numbers its events, `tag` ends its name.
 */
export function trailObject(base: string, account: string, region: string, stamp: number, n: number, tag: string): TrailObject {
  const date = new Date(stamp);
  const [y, m, dd, hh, mm] = [date.getUTCFullYear(), pad(date.getUTCMonth() + 1), pad(date.getUTCDate()), pad(date.getUTCHours()), pad(date.getUTCMinutes())];
  const events = [0, 1, 2].map((i) => event(account, region, stamp - (10 - i) * 60_000, n * 3 + i));
  const name = `${account}_CloudTrail_${region}_${y}${m}${dd}T${hh}${mm}Z_${tag}.json.gz`;
  return { key: `${base}/CloudTrail/${region}/${y}/${m}/${dd}/${name}`, body: gzipSync(JSON.stringify({ Records: events })) };
}

export function putTrail(s3: FakeS3, objects: TrailObject[]): void {
  for (const o of objects) s3.put(BUCKET, o.key, o.body);
}

export function writeTrail(dir: string, objects: TrailObject[]): void {
  for (const o of objects) {
    const p = join(dir, o.key);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, o.body);
  }
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The built command, run asynchronously (the fake server answers in this process), with dummy credentials. */
export function trailq(args: string[], env: Record<string, string>): Promise<Run> {
  return start(args, env).done;
}

/** The built command started: the child (a test may signal it) and its end. */
export function start(args: string[], env: Record<string, string>): { child: ChildProcess; done: Promise<Run> } {
  const started = performance.now();
  const child = spawn(join(ROOT, "bin", "trailq"), args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: s3Env(env) });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr!.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  const done = new Promise<Run>((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr, ms: performance.now() - started })));
  return { child, done };
}

/** The environment of a run: this one's without its AWS settings, dummy credentials, no AWS config files, no workers; then `env`. */
export function s3Env(env: Record<string, string>): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("AWS_")) clean[k] = v;
  return {
    ...clean,
    AWS_ACCESS_KEY_ID: "AKIDTESTTESTTEST",
    AWS_SECRET_ACCESS_KEY: "test-secret",
    AWS_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
    AWS_EC2_METADATA_DISABLED: "true",
    TRAILQ_WORKERS: "0",
    ...env,
  };
}
