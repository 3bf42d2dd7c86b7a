import { test } from "node:test";
import assert from "node:assert/strict";
import { progressLine, createProgress } from "../../src/cli/progress.js";
import type { ReadStats } from "../../src/sources/index.js";
import { hasTmux, terminal, type Terminal } from "../tmux.js";
import { tempDir } from "../temp.js";

const stats = (files: number, events: number, bytes: number): ReadStats => ({ filesRead: files, filesSkipped: 0, filesEmpty: 0, filesPruned: 0, filesUnmatched: 0, filesUnneeded: 0, filesIgnored: 0, eventsRead: events, eventsDuplicate: 0, eventsBadTime: 0, bytesRead: bytes, bytesDecoded: bytes * 6, skipped: [] });

test("the progress line: bar, files of total, events, MB, rates, ETA", () => {
  const line = progressLine(stats(100, 250_000, 20e6), { files: 400, bytes: 80e6 }, 2000, 140);
  assert.equal(line, "[████████░░░░░░░░░░░░░░░░░░░░░░]  25% 100/400 files · 250k events · 20.0 MB · 125k ev/s, 10.0 MB/s · ETA 6s");
  assert.equal(progressLine(stats(3, 900, 1e6), undefined, 1000, 140), "3 files · 900 events · 1.0 MB · 900 ev/s, 1.0 MB/s");
  assert.ok(progressLine(stats(1, 1, 1), { files: 10, bytes: 10 }, 1, 40).length <= 39);
  // s3:// inputs add what was listed and fetched
  assert.equal(progressLine(stats(3, 900, 1e6), undefined, 1000, 200, "S3 5 listed (0.1 MB), 2 fetched (0.0 MB), 0 cached"), "3 files · 900 events · 1.0 MB · 900 ev/s, 1.0 MB/s · S3 5 listed (0.1 MB), 2 fetched (0.0 MB), 0 cached");
});

test("before the scan (s3:// inputs being listed) the line says what the listing found; a timer redraws it until done()", async () => {
  assert.equal(progressLine(undefined, undefined, 2500, 140, "S3 listing: 9 list calls, 120 objects listed (0.1 MB)"), "S3 listing: 9 list calls, 120 objects listed (0.1 MB) · 3s");
  assert.equal(progressLine(undefined, undefined, 2500, 20, "S3 listing: 9 list calls, 120 objects listed (0.1 MB)"), "S3 listing: 9 list…");
  const out: string[] = [];
  const stream = { write: (s: string) => out.push(s), columns: 120 } as unknown as NodeJS.WriteStream;
  let extra = "S3 listing: 1 list call, 0 objects listed (0.0 MB)";
  const p = createProgress({ enabled: true, stream, delayMs: 0, tickMs: 10, extra: () => extra });
  const drawn = async (re: RegExp): Promise<void> => {
    for (let i = 0; i < 200 && !out.some((l) => re.test(l)); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(out.some((l) => re.test(l)), `never drawn: ${re}; drawn: ${JSON.stringify(out)}`);
  };
  // nothing tells it: the timer draws the listing's line, and again as it changes
  await drawn(/^\r\x1b\[2KS3 listing: 1 list call, 0 objects listed \(0\.0 MB\) · \d+s$/);
  extra = "S3 listing: 14 list calls, 1825 objects listed (2.1 MB)";
  await drawn(/S3 listing: 14 list calls/);
  // once the scan tells its figures, the timer redraws with them
  extra = "S3 1825 listed (2.1 MB), 1 fetched (0.0 MB), 0 cached";
  p.update(stats(1, 3, 800));
  await drawn(/^\r\x1b\[2K1 files · 3 events · 0\.0 MB · .* · S3 1825 listed/);
  p.done();
  const after = out.length;
  await new Promise((r) => setTimeout(r, 150));
  p.update(stats(2, 6, 1600));
  assert.equal(out.length, after, "nothing drawn after done()");
  assert.equal(out[after - 1], "\r\x1b[2K");
});

test("nothing is drawn before a second, at most ten times a second, and the line is cleared at the end", () => {
  let t = 0;
  const out: string[] = [];
  const stream = { write: (s: string) => out.push(s), columns: 120 } as unknown as NodeJS.WriteStream;
  const p = createProgress({ enabled: true, stream, now: () => t });
  p.update(stats(1, 10, 100));
  t = 500;
  p.update(stats(1, 10, 100));
  assert.equal(out.length, 0);
  t = 1200;
  p.update(stats(2, 20, 200));
  t = 1250;
  p.update(stats(2, 30, 300));
  t = 1400;
  p.update(stats(3, 40, 400));
  assert.equal(out.length, 2);
  assert.match(out[0]!, /^\r\x1b\[2K3?2 files · 20 events/);
  p.done();
  assert.equal(out[2], "\r\x1b[2K");
  const quiet: string[] = [];
  const off = createProgress({ enabled: false, stream: { write: (s: string) => quiet.push(s) } as unknown as NodeJS.WriteStream });
  off.update(stats(1, 1, 1));
  off.done();
  assert.deepEqual(quiet, []);
});

test("on a terminal, a long scan draws the bar and Ctrl-C stops it cleanly with a summary (tmux)", { skip: !hasTmux && "tmux is not installed" }, async () => {
  const { rmSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { fileURLToPath } = await import("node:url");
  const { generateTrail } = await import("../../src/generator/index.js");
  const { dripCommand, eventLines } = await import("../drip.js");
  const root = fileURLToPath(new URL("../../../", import.meta.url));
  const dir = tempDir("progress");
  let t: Terminal | undefined;
  try {
    const trail = join(dir, "trail");
    await generateTrail({ outDir: trail, events: 20_000, seed: 5, start: "2026-01-01T00:00:00Z", days: 2 });
    const feed = dripCommand(await eventLines(trail, dir));
    // the shell traps Ctrl-C so that it outlives the feeder's death by it (test/cli/terminal's pipe case says why)
    const cmd = `trap : INT; ${feed} | ${join(root, "bin", "trailq")} query 'stats count(*) by eventName, sourceIPAddress' - > /dev/null; echo EXIT=$?; sleep 60`;
    t = terminal(cmd, 160, 20, { history: 0, tries: 200 });
    await t.until(/files · .* events · .* MB/, "the progress line");
    t.keys("C-c");
    const end = await t.until(/EXIT=\d+/, "the end");
    assert.match(end, /events parsed in .* interrupted/);
    assert.match(end, /EXIT=130/);
  } finally {
    t?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("with worker threads the progress counts files, events and bytes as the workers' results arrive, not only as they are applied in scan order", async () => {
  const { rmSync, writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { parseQuery } = await import("../../src/lang/index.js");
  const { buildPlan } = await import("../../src/plan/build.js");
  const { runPlan, scanReaderOptions } = await import("../../src/exec/run.js");
  const { Reader } = await import("../../src/sources/index.js");
  const dir = tempDir("progress-workers");
  const before = process.env["TRAILQ_WORKERS"];
  try {
    // the first file in scan order is the smallest: a stats scan hands it out last (biggest first),
    // so no result can be applied before the last files are read
    const ev = (i: number): string => JSON.stringify({ eventTime: "2026-11-01T00:00:00Z", eventSource: "s3.amazonaws.com", eventName: `E${i % 7}`, eventID: `id-${i}` });
    const paths = [0, 1, 2, 3, 4, 5].map((f) => {
      const p = join(dir, `f${f}.jsonl`);
      const n = f === 0 ? 1 : 400;
      writeFileSync(p, Array.from({ length: n }, (_, i) => ev(f * 1000 + i)).join("\n") + "\n");
      return p;
    });
    process.env["TRAILQ_WORKERS"] = "2";
    const plan = buildPlan(parseQuery("stats count(*) by eventName"), {});
    // (without dedup: with it, files are handed out in scan order)
    const reader = new Reader(paths, { warn: () => {}, ...scanReaderOptions(plan, { keepDuplicates: true }, paths) });
    const seen: number[] = [];
    const r = await runPlan(plan, reader, { row() {}, end() {} }, { keepDuplicates: true, onProgress: (s) => seen.push(s.eventsRead) });
    assert.equal(r.workers, 2);
    assert.equal(r.read.eventsRead, 2001);
    assert.ok(seen.length > 0);
    assert.ok(seen[0]! >= 400, `the first progress said ${seen[0]} events (results arrive before they can be applied)`);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! > seen[i - 1]!, `progress stood still: ${seen}`);
    assert.equal(seen[seen.length - 1], 2001);
  } finally {
    if (before === undefined) delete process.env["TRAILQ_WORKERS"];
    else process.env["TRAILQ_WORKERS"] = before;
    rmSync(dir, { recursive: true, force: true });
  }
});
