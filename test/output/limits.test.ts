// Numbers and time past what fits, through the built binary: sums past 1.8e308 (Infinity) in
// the table and the charts, and bucket counts past the documented limits (fillmissing, charts):
// results or a message (exit 2), never a V8 abort or a heap exhausted.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, ROOT, trailq } from "../bin.js";
import { checkWellFormedXml } from "../xml.js";
import { tempDir } from "../temp.js";

const dir = tempDir("limits");

/** Runs the binary with a time limit: a spin fails the test instead of hanging it. */
function run(args: string[]): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const r = spawnSync(BIN, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? "", stderr: r.stderr };
}

function fails(r: ReturnType<typeof run>, message: string): void {
  assert.equal(r.signal, null, `killed by ${r.signal}: it did not end by itself`);
  assert.equal(r.stderr, message);
  assert.equal(r.status, 2);
}

// two values of 1e308: their sum is Infinity
const BIG = join(dir, "big.jsonl");
writeFileSync(BIG, [0, 1].map((i) => JSON.stringify({ eventTime: `2026-11-01T00:00:0${i}Z`, eventName: "E", eventSource: "s3.amazonaws.com", requestParameters: { n: 1e308 } })).join("\n") + "\n");

test("a sum past 1.8e308: the table says Infinity, the charts draw what is finite and say what is not (once a V8 abort)", () => {
  const table = trailq(["query", "stats sum(requestParameters.n) as s, max(requestParameters.n) as m by bin(1h)", BIG, "-q"]);
  assert.equal(table.status, 0, table.stderr);
  assert.equal(table.stdout, "bin(1h)                 │ s        │      m\n────────────────────────┼──────────┼───────\n2026-11-01 00:00:00.000 │ Infinity │ 1e+308\n");
  const chart = trailq(["query", "stats sum(requestParameters.n) as s by eventName", BIG, "-q", "-f", "chart"]);
  assert.equal(chart.status, 0, chart.stderr);
  assert.equal(chart.stdout, "s\nE │\n1 value not drawn (not a finite number: a sum past 1.8e308 is Infinity)\n");
  const series = trailq(["query", "stats sum(requestParameters.n) as s, max(requestParameters.n) as m by bin(1h)", BIG, "-q", "-f", "chart"]);
  assert.equal(series.status, 0, series.stderr);
  assert.match(series.stdout, /^  1e\+308 ┤○\n/);
  assert.match(series.stdout, /1 value not drawn/);
  for (const [file, type] of [["big.svg", "line"], ["big-area.svg", "area"], ["big-pie.svg", "pie"], ["big.html", "bar"]] as const) {
    const out = join(dir, file);
    const r = trailq(["query", "stats sum(requestParameters.n) as s, max(requestParameters.n) as m by bin(1h)", BIG, "-q", "--chart", out, "--chart-type", type]);
    assert.equal(r.status, 0, r.stderr);
    const text = readFileSync(out, "utf8");
    if (file.endsWith(".svg")) checkWellFormedXml(text);
    assert.doesNotMatch(text, /NaN|="-?Infinity/, file);
    assert.match(text, /1 value not drawn/);
  }
});

// an event of 1970 beside one of 2026
const SPAN = join(dir, "span.jsonl");
writeFileSync(SPAN, [JSON.stringify({ eventTime: "1970-01-01T00:00:00Z", eventName: "A" }), JSON.stringify({ eventTime: "2026-01-01T00:00:00Z", eventName: "B" })].join("\n") + "\n");

test("fillmissing past a million rows is refused with a message (once it ran out of heap)", () => {
  fails(
    run(["query", "stats count(*) as n by bin(1m) | fillmissing", SPAN, "-q"]),
    "trailq: fillmissing: more than 1,000,000 rows: buckets of 1m from 1970-01-01T00:00:00.000Z to 2026-01-01T00:00:00.000Z: use a larger bin() period, or a time range (--start/--end, or a filter on @timestamp)\n",
  );
  const days = trailq(["query", "stats count(*) as n by bin(1d) | fillmissing | limit 2", SPAN, "-q", "-f", "csv"]);
  assert.equal(days.status, 0, days.stderr);
  assert.equal(days.stdout, "bin(1d),n\r\n1970-01-01 00:00:00.000,1\r\n1970-01-02 00:00:00.000,\r\n");
});

test("a chart past 100,000 time buckets, filled or not, is refused with a message", () => {
  fails(
    run(["query", "stats count(*) as n by bin(1h)", SPAN, "-q", "-f", "chart", "--fill"]),
    "trailq: --fill: more than 100,000 time buckets of 1h from 1970-01-01T00:00:00.000Z to 2026-01-01T00:00:00.000Z (the most a chart holds): use a larger bin() period or a shorter time range (--start/--end)\n",
  );
  const svg = join(dir, "span.svg");
  const r = run(["query", "stats count(*) as n by bin(1h)", SPAN, "-q", "--chart", svg, "--fill"]);
  assert.match(r.stdout, /^bin\(1h\)/, "the table came first");
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^trailq: --fill: more than 100,000 time buckets/);
  // by the day the same span fills
  assert.equal(trailq(["query", "stats count(*) as n by bin(1d)", SPAN, "-q", "-f", "chart", "--fill"]).status, 0);
});

test("--chart-type without --chart, and --fill without a chart, are usage errors, not options silently dropped", () => {
  const a = trailq(["query", "stats count(*) as n by eventSource", "-q", "--chart-type", "pie"]);
  assert.equal(a.status, 3);
  assert.match(a.stderr, /--chart-type is the type of the --chart FILE/);
  const b = trailq(["query", "stats count(*) as n by bin(1h)", "-q", "--fill"]);
  assert.equal(b.status, 3);
  assert.match(b.stderr, /--fill fills a chart's empty buckets: give --chart FILE or -f chart/);
});
