// The seeded CloudTrail generator: writes gzip files of {"Records":[...]} in the
// AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/ layout, file by file (nothing is held beyond
// one delivery window), with background traffic and the planted scenarios of scenarios.ts.
// Gzip is fflate's (pure JS, mtime 0): the same options give the same bytes on every machine.
import { makeDirs, writeOutputFile } from "../output/files.js";
import { join } from "node:path";
import { gzipSync } from "fflate";
import { CALLS, CALL_WEIGHTS, ERRORS } from "./catalog.js";
import { buildEvent, type EventSpec } from "./event.js";
import { principals, type Principal } from "./identities.js";
import { Rng } from "./rng.js";
import { SCENARIOS, type World } from "./scenarios.js";

export interface GenerateOptions {
  outDir: string;
  events: number;
  seed: number;
  /** ISO date-time of the start of the span. */
  start: string;
  days: number;
  accounts?: string[];
  regions?: string[];
  /** Target events per delivered file; sets the delivery interval (kept between 5 and 30 minutes). */
  eventsPerFile?: number;
  /** Plant the security scenarios (default true; skipped when they would be over half the events). */
  scenarios?: boolean;
}

export interface GenerateSummary {
  files: number;
  events: number;
  bytes: number;
  scenarios: Record<string, number>;
}

const DEFAULT_ACCOUNTS = ["111122223333", "444455556666", "777788889999"];
const DEFAULT_REGIONS = ["us-east-1", "us-west-2", "eu-west-1"];
const ACCOUNT_WEIGHTS = [0.55, 0.3, 0.15];
const REGION_WEIGHTS = [0.6, 0.25, 0.15];
const MINUTE = 60_000;

/** Activity by time of day and week (UTC): busy in working hours, quiet at night and weekends. */
function rhythm(t: number): number {
  const d = new Date(t);
  const h = d.getUTCHours() + d.getUTCMinutes() / 60;
  const day = 0.25 + Math.max(0, Math.sin(((h - 7) / 14) * Math.PI));
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 0.45 : 1;
  return day * weekend;
}

/** Split `total` over weights exactly (largest remainder). */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (w / sum) * total);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]![1]]!++;
  return out;
}

const pad = (n: number): string => String(n).padStart(2, "0");

function stampParts(t: number): { folder: string[]; stamp: string } {
  const d = new Date(t);
  const [y, m, day] = [String(d.getUTCFullYear()), pad(d.getUTCMonth() + 1), pad(d.getUTCDate())];
  return { folder: [y, m, day], stamp: `${y}${m}${day}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z` };
}

const SERVICE_CALLS = CALLS.filter((c) => ["AssumeRole", "Decrypt", "GenerateDataKey", "Encrypt"].includes(c.name));

export async function generateTrail(opts: GenerateOptions): Promise<GenerateSummary> {
  const rng = new Rng(opts.seed);
  const accounts = opts.accounts ?? DEFAULT_ACCOUNTS;
  const regions = opts.regions ?? DEFAULT_REGIONS;
  const start = Date.parse(opts.start);
  const end = start + opts.days * 86_400_000;
  if (Number.isNaN(start) || !(end > start)) throw new Error("generateTrail: bad start or days");
  // the folder first: a path that cannot be written says so before any work (a message, exit 2)
  makeDirs(opts.outDir);
  const made = new Set<string>();

  const people = new Map<string, Principal[]>(accounts.map((a) => [a, principals(rng, a, accounts)]));
  const world: World = { rng, accounts, regions, start, end, principalsOf: (a) => people.get(a)! };

  // Planted scenarios first (their counts are part of the total).
  let planted: EventSpec[] = [];
  const scenarioCounts: Record<string, number> = {};
  if (opts.scenarios !== false) {
    for (const [name, make] of Object.entries(SCENARIOS)) {
      const specs = make(world).filter((s) => s.time >= start && s.time < end);
      scenarioCounts[name] = specs.length;
      planted.push(...specs);
    }
    if (planted.length > opts.events / 2) {
      planted = [];
      for (const k of Object.keys(scenarioCounts)) delete scenarioCounts[k];
    }
  }

  // Streams (account × region) and delivery windows.
  const streams = accounts.flatMap((a, i) => regions.map((r, j) => ({ account: a, region: r, weight: (ACCOUNT_WEIGHTS[i] ?? 0.1) * (REGION_WEIGHTS[j] ?? 0.1) })));
  const perFile = opts.eventsPerFile ?? 50;
  const span = end - start;
  const wanted = (span * streams.length * perFile) / Math.max(1, opts.events);
  const interval = Math.min(30, Math.max(5, Math.round(wanted / MINUTE))) * MINUTE;
  const windows = Math.ceil(span / interval);
  const windowCounts = apportion(opts.events - planted.length, Array.from({ length: windows }, (_, w) => rhythm(start + w * interval + interval / 2)));
  const streamWeights = streams.map((s) => s.weight);

  const plantedAt = new Map<string, EventSpec[]>();
  for (const p of planted) {
    const w = Math.floor((p.time - start) / interval);
    const si = streams.findIndex((s) => s.account === p.account && s.region === p.region);
    const key = `${w}:${si < 0 ? 0 : si}`;
    const list = plantedAt.get(key) ?? [];
    list.push(p);
    plantedAt.set(key, list);
  }

  let files = 0;
  let bytes = 0;
  let written = 0;
  for (let w = 0; w < windows; w++) {
    const w0 = start + w * interval;
    const w1 = Math.min(end, w0 + interval);
    const perStream = new Array<number>(streams.length).fill(0);
    for (let k = 0; k < windowCounts[w]!; k++) perStream[rng.weighted(streamWeights)]!++;
    for (let si = 0; si < streams.length; si++) {
      const st = streams[si]!;
      const specs: EventSpec[] = [...(plantedAt.get(`${w}:${si}`) ?? [])];
      const people = world.principalsOf(st.account);
      const pw = people.map((p) => p.weight);
      for (let k = 0; k < perStream[si]!; k++) {
        const principal = people[rng.weighted(pw)]!;
        const call = principal.service ? rng.pick(SERVICE_CALLS) : CALLS[rng.weighted(CALL_WEIGHTS)]!;
        const spec: EventSpec = { time: w0 + Math.floor(rng.next() * (w1 - w0)), account: st.account, region: st.region, principal, call };
        if (!principal.service && rng.chance(0.03)) {
          const e = ERRORS[rng.weighted(ERRORS.map((x) => x.weight))]!;
          spec.error = { code: e.code, message: e.message };
        }
        specs.push(spec);
      }
      if (specs.length === 0) continue;
      // Roughly in time order, as CloudTrail delivers: sorted, then a few neighbours swapped.
      specs.sort((a, b) => a.time - b.time);
      for (let k = 1; k < specs.length; k++) if (rng.chance(0.05)) [specs[k - 1], specs[k]] = [specs[k]!, specs[k - 1]!];
      const records = specs.map((s) => buildEvent(rng, s));
      const stampTime = w1 + rng.int(1, 5) * MINUTE;
      const { folder, stamp } = stampParts(stampTime);
      const dir = join(opts.outDir, "AWSLogs", st.account, "CloudTrail", st.region, ...folder);
      if (!made.has(dir)) {
        makeDirs(dir);
        made.add(dir);
      }
      const name = `${st.account}_CloudTrail_${st.region}_${stamp}_${rng.alnum(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")}.json.gz`;
      const gz = gzipSync(Buffer.from(JSON.stringify({ Records: records })), { level: 6, mtime: 0 });
      writeOutputFile(join(dir, name), gz, "the file");
      files++;
      bytes += gz.length;
      written += records.length;
    }
  }
  return { files, events: written, bytes, scenarios: scenarioCounts };
}
