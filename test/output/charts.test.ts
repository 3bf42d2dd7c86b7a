// Charts: series, fill, the terminal chart at a fixed width, the SVG, and the HTML in Chromium.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildPlan } from "../../src/plan/build.js";
import { parseQuery } from "../../src/lang/index.js";
import { runPlan } from "../../src/exec/run.js";
import { Reader } from "../../src/sources/index.js";
import type { Value } from "../../src/exec/values.js";
import { chartInfo } from "../../src/output/charts/index.js";
import { missingBuckets, toChartData, topSeries, type ChartInfo } from "../../src/output/charts/series.js";
import { chartNotes } from "../../src/output/charts/terminal.js";
import { renderTerminalChart } from "../../src/output/charts/terminal.js";
import { renderHtml, renderSvg } from "../../src/output/charts/svg.js";
import { tempDir } from "../temp.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SAMPLE = join(ROOT, "fixtures", "sample-trail");
const GOLDEN = join(ROOT, "test", "golden-charts");
const UPDATE = process.env["TRAILQ_UPDATE_GOLDEN"] === "1";

async function run(query: string, fill?: { start?: number; end?: number }) {
  const plan = buildPlan(parseQuery(query), { now: Date.parse("2026-11-05T00:00:00Z") });
  const rows: Value[][] = [];
  await runPlan(plan, new Reader([SAMPLE], { warn: () => {} }), { row: (v) => rows.push(v), end: () => {} });
  const info = chartInfo(plan, fill);
  return { plan, rows, info, data: toChartData(plan.columns, rows, info) };
}

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (UPDATE) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, "utf8"), `${name} differs (TRAILQ_UPDATE_GOLDEN=1 to regenerate on purpose)`);
}

const QUERIES: [string, string][] = [
  ["errors-by-code", "filter ispresent(errorCode) | stats count(*) by bin(6h), errorCode"],
  ["events-per-hour", "stats count(*) by bin(1h)"],
  ["top-sources", "stats count(*) as n by eventSource | sort n desc | limit 10"],
];

for (const [name, q] of QUERIES) {
  test(`terminal chart golden: ${name}`, async () => {
    const { data } = await run(q);
    golden(`${name}.txt`, renderTerminalChart(data, 80, false));
  });
  test(`svg golden: ${name}`, async () => {
    const { data, info } = await run(q);
    golden(`${name}.svg`, renderSvg(data, { type: name === "top-sources" ? "bar" : "line", title: info.title }));
  });
}

test("series: one per other key value, several aggregates make several", async () => {
  const { data } = await run("filter eventSource in ['sts.amazonaws.com', 'kms.amazonaws.com'] | stats count(*) as n, sum(readOnly) as ro by bin(1d), eventSource");
  assert.equal(data.kind, "time");
  assert.deepEqual(data.series.map((s) => s.name).sort(), ["eventSource=kms.amazonaws.com n", "eventSource=kms.amazonaws.com ro", "eventSource=sts.amazonaws.com n", "eventSource=sts.amazonaws.com ro"]);
  assert.equal(data.x.length, 3);
});

test("times in a result are not drawn as numbers: a count beside the first and last times draws the count", async () => {
  const { data } = await run("stats min(@timestamp) as first, count(*) as n, max(@timestamp) as last by eventSource | sort n desc | limit 5");
  assert.equal(data.kind, "category");
  assert.deepEqual(data.series.map((s) => s.name), ["n"]);
  const byTime = await run("stats count(*) as n, max(@timestamp) as last by bin(1d)");
  assert.deepEqual(byTime.data.series.map((s) => s.name), ["n"]);
});

test("fill: empty buckets become 0 across the range, in calendar steps", () => {
  const info: ChartInfo = { title: "", timeColumn: "t", keyColumns: ["t"], period: { amount: 1, unit: "mo" }, fill: { start: Date.parse("2024-01-15T00:00:00Z"), end: Date.parse("2024-06-01T00:00:00Z") } };
  const cols = [{ name: "t", type: "time" as const, expr: undefined as never }, { name: "n", type: "number" as const, expr: undefined as never }];
  const data = toChartData(cols, [[Date.parse("2024-03-01T00:00:00Z"), 4]], info);
  assert.deepEqual(data.labels.map((l) => l.slice(0, 10)), ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01"]);
  assert.deepEqual(data.series[0]!.values, [0, 0, 4, 0, 0, 0]);
});

test("a time series: 1 and \"1\", null and \"∅\" are series of their own; rows a hidden key told apart are added up, and said", () => {
  const t0 = Date.parse("2024-03-01T00:00:00Z");
  const t1 = t0 + 3_600_000;
  const cols = [{ name: "t", type: "time" as const, expr: undefined as never }, { name: "x", type: "any" as const, expr: undefined as never }, { name: "n", type: "number" as const, expr: undefined as never }];
  const info: ChartInfo = { title: "", timeColumn: "t", keyColumns: ["t", "x"], period: { amount: 1, unit: "h" } };
  const data = toChartData(cols, [[t0, 1, 7], [t0, "1", 5], [t0, null, 1], [t1, 1, 2], [t1, "1", 7], [t1, "∅", 6]], info);
  assert.deepEqual(data.series.map((s) => [s.name, s.values]), [["x=1", [7, 2]], ['x="1"', [5, 7]], ["x=∅", [1, null]], ['x="∅"', [null, 6]]]);
  assert.equal(data.added, undefined);
  // the key column not shown (display t, n): three rows a bucket, one series
  const shown = [cols[0]!, cols[2]!];
  const hidden = toChartData(shown, [[t0, 10], [t0, 18], [t0, 1], [t1, 4]], { ...info, keyColumns: ["t"] });
  assert.deepEqual(hidden.series.map((s) => s.values), [[29, 4]]);
  assert.equal(hidden.added, 2);
  assert.match(chartNotes(hidden, false).join("\n"), /^2 rows added into a bucket another row of the same series had/);
  // two value columns: still a row counted once
  const twoValues = toChartData([cols[0]!, cols[2]!, { name: "m", type: "number" as const, expr: undefined as never }], [[t0, 10, 1], [t0, 18, 2]], { ...info, keyColumns: ["t"] });
  assert.equal(twoValues.added, 1);
});

test("bars: an empty key is \"\", not the row of the whole (all); null is ∅ and the text ∅ is quoted", () => {
  const cols = [{ name: "k", type: "any" as const, expr: undefined as never }, { name: "n", type: "number" as const, expr: undefined as never }];
  const info: ChartInfo = { title: "", keyColumns: ["k"] };
  const data = toChartData(cols, [["", 1], ["∅", 2], [null, 3], ["a", 4]], info);
  assert.deepEqual(data.labels, ['""', '"∅"', "∅", "a"]);
  // no key at all: the one row is the whole
  assert.deepEqual(toChartData([cols[1]!], [[9]], { title: "", keyColumns: [] }).labels, ["(all)"]);
});

test("fill with stats' offset: the grid is the offset buckets', so every row is on it", () => {
  const at = (h: number): number => Date.parse("2024-03-01T00:30:00Z") + h * 3_600_000;
  const cols = [{ name: "t", type: "time" as const, expr: undefined as never }, { name: "n", type: "number" as const, expr: undefined as never }];
  const info: ChartInfo = { title: "", timeColumn: "t", keyColumns: ["t"], period: { amount: 1, unit: "h", offsetMs: 1_800_000 }, fill: {} };
  const data = toChartData(cols, [[at(0), 2], [at(3), 5]], info);
  assert.deepEqual(data.series.map((s) => s.values), [[2, 0, 0, 5]]);
  assert.equal(data.labels[0], "2024-03-01T00:30:00.000Z");
});

test("fill with a range that ends before the last bucket (dateceil): that bucket is drawn; with stats' offset, consecutive buckets are no gap", () => {
  const day = (d: number): number => Date.parse("2026-11-01T00:00:00Z") + d * 86_400_000;
  const cols = [{ name: "t", type: "time" as const, expr: undefined as never }, { name: "n", type: "number" as const, expr: undefined as never }];
  const ceiled: ChartInfo = { title: "", timeColumn: "t", keyColumns: ["t"], period: { amount: 1, unit: "d" }, fill: { start: day(0), end: day(1) + 43_200_000 } };
  const data = toChartData(cols, [[day(1), 3], [day(2), 2]], ceiled);
  assert.deepEqual(data.series.map((s) => s.values), [[0, 3, 2]]);
  const at = (h: number): number => Date.parse("2024-03-01T00:30:00Z") + h * 3_600_000;
  assert.deepEqual(missingBuckets([at(0), at(1), at(2), at(4)], { amount: 1, unit: "h", offsetMs: 1_800_000 }), [3]);
  assert.deepEqual(missingBuckets([at(0), at(1)], { amount: 1, unit: "h" }), [1], "without the offset, 00:30 then 01:30 skip 01:00");
});

test("a category's label shows a time column as the table does, not as milliseconds", () => {
  const cols = [{ name: "eventName", type: "string" as const, expr: undefined as never }, { name: "last", type: "time" as const, expr: undefined as never }, { name: "n", type: "number" as const, expr: undefined as never }];
  const data = toChartData(cols, [["A", Date.parse("2026-11-01T09:09:00Z"), 38]], { title: "", keyColumns: ["eventName"] });
  assert.deepEqual(data.labels, ["A · 2026-11-01 09:09:00.000"]);
});

test("the terminal chart says what its cells could not show: buckets sharing a column, points under another series'", () => {
  const cols = [{ name: "t", type: "time" as const, expr: undefined as never }, { name: "n", type: "number" as const, expr: undefined as never }];
  const info: ChartInfo = { title: "", timeColumn: "t", keyColumns: ["t"], period: { amount: 1, unit: "m" } };
  const many = toChartData(cols, Array.from({ length: 200 }, (_, i) => [Date.parse("2024-03-01T00:00:00Z") + i * 60_000, 1]), info);
  assert.match(renderTerminalChart(many, 80, false), /\d+ buckets drawn in a column another bucket has/);
  const two = toChartData([cols[0]!, { name: "x", type: "string" as const, expr: undefined as never }, cols[1]!], [[Date.parse("2024-03-01T00:00:00Z"), "a", 5], [Date.parse("2024-03-01T00:00:00Z"), "b", 5], [Date.parse("2024-03-01T00:01:00Z"), "a", 1]], { ...info, keyColumns: ["t", "x"] });
  assert.match(renderTerminalChart(two, 80, false), /1 point hidden under another series' in the same cell/);
  const few = toChartData(cols, [[Date.parse("2024-03-01T00:00:00Z"), 1], [Date.parse("2024-03-01T00:01:00Z"), 2]], info);
  assert.doesNotMatch(renderTerminalChart(few, 80, false), /drawn in a column|hidden under/);
});

test("more than six series: the top five and an other series", () => {
  const many = Array.from({ length: 9 }, (_, i) => ({ name: `s${i}`, values: [i, 1] }));
  const top = topSeries(many);
  assert.deepEqual(top.map((s) => s.name), ["s8", "s7", "s6", "s5", "s4", "other (4)"]);
  assert.deepEqual(top[5]!.values, [0 + 1 + 2 + 3, 4]);
});

test("the HTML chart renders in headless Chromium without errors", { skip: !existsSync("/usr/bin/chromium") && "chromium is not installed" }, async () => {
  const { data, info } = await run("filter ispresent(errorCode) | stats count(*) by bin(6h), errorCode");
  const dir = tempDir("chart");
  const html = join(dir, "chart.html");
  writeFileSync(html, renderHtml(data, { type: "area", title: info.title }));
  const png = join(dir, "chart.png");
  const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", `--user-data-dir=${join(dir, "profile")}`];
  const dom = spawnSync("/usr/bin/chromium", [...flags, "--dump-dom", `file://${html}`], { encoding: "utf8", timeout: 60_000 });
  assert.equal(dom.status, 0, dom.stderr);
  // the page's script ran (it counts the points it made hoverable) and the SVG is there
  assert.match(dom.stdout, /data-points="(\d+)"/);
  assert.ok(Number(/data-points="(\d+)"/.exec(dom.stdout)![1]) > 20);
  assert.match(dom.stdout, /<polygon class="area" points=/);
  const shot = spawnSync("/usr/bin/chromium", [...flags, `--screenshot=${png}`, "--window-size=1000,600", `file://${html}`], { encoding: "utf8", timeout: 60_000 });
  assert.equal(shot.status, 0, shot.stderr);
  assert.ok(readFileSync(png).length > 10_000, `screenshot at ${png}`);
});

test("niceTicks: round, finite and few whatever the range: negatives, 1e308, Infinity, NaN", async () => {
  const { niceTicks } = await import("../../src/output/charts/series.js");
  assert.deepEqual(niceTicks(0, 2400), [0, 1000, 2000, 3000]);
  assert.deepEqual(niceTicks(0, 2000), [0, 500, 1000, 1500, 2000]);
  assert.deepEqual(niceTicks(0, 0.3), [0, 0.1, 0.2, 0.3]);
  assert.deepEqual(niceTicks(-3, 7), [-5, -2.5, 0, 2.5, 5, 7.5]);
  assert.deepEqual(niceTicks(-8, -2), [-8, -6, -4, -2, 0]);
  assert.deepEqual(niceTicks(0, 0), [0, 1]);
  // once: a loop adding an infinite step to an infinite axis filled the heap (V8 fatal, exit 133)
  assert.deepEqual(niceTicks(0, Infinity), [0, 1]);
  assert.deepEqual(niceTicks(NaN, NaN), [0, 1]);
  // the next round tick past the largest number is the largest value itself
  assert.deepEqual(niceTicks(0, 1.7e308), [0, 5e307, 1e308, 1.5e308, 1.7e308]);
  const wide = niceTicks(-1.7e308, 1.7e308);
  assert.ok(wide.length <= 8 && wide.every(Number.isFinite) && wide[0]! <= -1.7e308 && wide[wide.length - 1]! >= 1.7e308, String(wide));
});

const numberCols = [{ name: "k", type: "string" as const, expr: undefined as never }, { name: "n", type: "number" as const, expr: undefined as never }];
const timeCols = [{ name: "t", type: "time" as const, expr: undefined as never }, { name: "n", type: "number" as const, expr: undefined as never }];
const hour = (h: number): number => Date.UTC(2026, 10, 1, h);

test("charts of ±Infinity, NaN, 1e308 and negative values: drawn where finite, the rest counted, nothing broken", async () => {
  const { checkWellFormedXml } = await import("../xml.js");
  const info: ChartInfo = { title: "t", timeColumn: "t", keyColumns: ["t"], period: { amount: 1, unit: "h" } };
  const series = toChartData(timeCols, [[hour(0), 1e308], [hour(1), Infinity], [hour(2), -5e307], [hour(3), NaN], [hour(4), 1.7e308]], info);
  assert.deepEqual(series.series[0]!.values, [1e308, null, -5e307, null, 1.7e308]);
  assert.equal(series.notDrawn, 2);
  const cats = toChartData(numberCols, [["a", 3], ["b", -2], ["c", Infinity], ["d", null]], { title: "t", keyColumns: ["k"] });
  assert.deepEqual(cats.series[0]!.values, [3, -2, null, null]);
  assert.equal(renderTerminalChart(cats, 40, false), [
    "n",
    "a │" + "█".repeat(33) + " 3",
    "b │" + "░".repeat(22) + " -2",
    "c │",
    "d │",
    // the note wraps at the width
    "1 value not drawn (not a finite number:",
    "a sum past 1.8e308 is Infinity)",
    "",
  ].join("\n"));
  const terminal = renderTerminalChart(series, 60, false);
  assert.match(terminal, /^ *1\.7e\+308 ┤/m);
  assert.match(terminal, /^ *-1e\+308 ┤/m);
  assert.match(terminal, /^ *1e\+308 ┤/m);
  assert.match(terminal, /2 values not drawn/);
  for (const type of ["line", "area", "bar", "pie"] as const) {
    for (const data of [series, cats]) {
      const svg = renderSvg(data, { type, title: "t" });
      checkWellFormedXml(svg);
      assert.doesNotMatch(svg, /NaN|Infinity"|="-?Infinity|height="-/, `${type} ${data.kind}`);
    }
  }
  // two values of 1e308 stacked overflow: the area reaches the top, the axis ends at the largest number
  const two = toChartData([...timeCols, { name: "k", type: "string" as const, expr: undefined as never }], [[hour(0), 1e308, "a"], [hour(0), 1e308, "b"]], { ...info, keyColumns: ["t", "k"] });
  const area = renderSvg(two, { type: "area", title: "t" });
  checkWellFormedXml(area);
  assert.doesNotMatch(area, /NaN|Infinity/);
  assert.match(area, />1\.7976931348623157e\+308<\/text>/);
});

test("a chart holds at most MAX_BUCKETS time buckets, filled or not: more is an error that says so", async () => {
  const { MAX_BUCKETS } = await import("../../src/output/charts/series.js");
  const { UserError } = await import("../../src/errors.js");
  const info: ChartInfo = { title: "", timeColumn: "t", keyColumns: ["t"], period: { amount: 1, unit: "m" } };
  const rows = (n: number): Value[][] => Array.from({ length: n }, (_, i) => [i * 60_000, 1]);
  assert.equal(toChartData(timeCols, rows(MAX_BUCKETS), info).x.length, MAX_BUCKETS);
  assert.throws(() => toChartData(timeCols, rows(MAX_BUCKETS + 1), info), (e: unknown) => e instanceof UserError && e.exitCode === 2 && /^chart: more than 100,000 time buckets of 1m from 1970-01-01T00:00:00\.000Z to 1970-03-11T10:40:00\.000Z/.test(e.message));
  // --fill between an event of 1970 and one of 2026, by the minute: refused before it allocates
  const fill = { ...info, fill: {} };
  const started = performance.now();
  assert.throws(() => toChartData(timeCols, [[0, 1], [Date.UTC(2026, 0, 1), 1]], fill), (e: unknown) => e instanceof UserError && /^--fill: more than 100,000 time buckets of 1m from 1970-01-01/.test(e.message));
  assert.ok(performance.now() - started < 2000);
  assert.equal(toChartData(timeCols, [[0, 1], [(MAX_BUCKETS - 1) * 60_000, 1]], fill).x.length, MAX_BUCKETS);
});

test("terminal charts stay within the width, at 80 and 200 columns: axis labels with the year and UTC, legends wrapped", async () => {
  const long = "errorCode=" + "VeryLongErrorCodeName".repeat(12);
  const info: ChartInfo = { title: "t", timeColumn: "t", keyColumns: ["t", "k"], period: { amount: 1, unit: "h" } };
  const rows: Value[][] = [];
  for (let h = 0; h < 30; h++) for (const k of ["AccessDenied", "Throttling", long, "NoSuchEntity", "Validation"]) rows.push([hour(h), k, (h * 7 + k.length) % 11]);
  const series = toChartData([...timeCols.slice(0, 1), { name: "k", type: "string" as const, expr: undefined as never }, timeCols[1]!], rows, info);
  const { data: cats } = await run("stats count(*) as n by eventSource, eventName | sort n desc | limit 12");
  const { data: one } = await run("stats count(*) by bin(1h)");
  for (const width of [80, 200]) {
    for (const [name, data] of [["series", series], ["categories", cats], ["one series", one]] as const) {
      const text = renderTerminalChart(data, width, false);
      for (const line of text.split("\n")) assert.ok([...line].length <= width, `${name} at ${width}: ${[...line].length} columns: ${line}`);
      if (data.kind === "time") assert.match(text, /^ +2026-11-01 00:00 UTC +.*2026-11-0\d \d\d:\d\d$/m, `${name} at ${width}`);
    }
    const text = renderTerminalChart(series, width, false);
    // the long name cut with "…", every series in the legend
    assert.match(text, /^[●○■□▲△] k=errorCode=VeryLong.*…$/m);
    for (const k of ["AccessDenied", "Throttling", "NoSuchEntity", "Validation"]) assert.match(text, new RegExp(`k=${k}`));
  }
  // at 200 columns more time labels fit between the first and the last
  const labels = (w: number): number => renderTerminalChart(one, w, false).split("\n").find((l) => l.includes("UTC"))!.match(/2026-/g)!.length;
  assert.ok(labels(200) > labels(80), `${labels(200)} labels at 200, ${labels(80)} at 80`);
});

test("time labels: the date with its year, the time as the buckets need it; missing buckets found by the period", async () => {
  const { timeFormat, timeLabel } = await import("../../src/output/charts/series.js");
  assert.equal(timeLabel(hour(6), timeFormat([hour(0), hour(6)])), "2026-11-01 06:00");
  assert.equal(timeLabel(Date.UTC(2026, 10, 2), timeFormat([Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 2)])), "2026-11-02");
  assert.equal(timeLabel(hour(6) + 5000, timeFormat([hour(6) + 5000])), "2026-11-01 06:00:05");
  assert.equal(timeLabel(hour(6) + 5250, timeFormat([hour(6) + 5250])), "2026-11-01 06:00:05.250");
  assert.equal(timeLabel(Date.UTC(12000, 0, 1), "date"), "+012000-01-01");
  // calendar months: February to March is one step, March to May misses April
  const months = [Date.UTC(2026, 1, 1), Date.UTC(2026, 2, 1), Date.UTC(2026, 4, 1)];
  assert.deepEqual(missingBuckets(months, { amount: 1, unit: "mo" }), [2]);
  assert.deepEqual(missingBuckets([hour(0), hour(1), hour(5), hour(6)], { amount: 1, unit: "h" }), [2]);
  // no period: the smallest step
  assert.deepEqual(missingBuckets([hour(0), hour(2), hour(4), hour(8)], undefined), [3]);
  // a line breaks at a missing bucket (a new M), and where its series has no value; --fill joins it
  const info: ChartInfo = { title: "t", timeColumn: "t", keyColumns: ["t"], period: { amount: 1, unit: "h" } };
  const gap = toChartData(timeCols, [[hour(0), 1], [hour(1), 2], [hour(3), 4]], info);
  assert.deepEqual(gap.gaps, [2]);
  assert.match(renderSvg(gap, { type: "line", title: "t" }), /<path class="line" d="M[\d.]+,[\d.]+ L[\d.]+,[\d.]+ M[\d.]+,[\d.]+"/);
  const filled = toChartData(timeCols, [[hour(0), 1], [hour(1), 2], [hour(3), 4]], { ...info, fill: {} });
  assert.match(renderSvg(filled, { type: "line", title: "t" }), /<path class="line" d="M[\d.]+,[\d.]+ L[\d.]+,[\d.]+ L[\d.]+,[\d.]+ L[\d.]+,[\d.]+"/);
  assert.match(renderSvg(gap, { type: "area", title: "t" }), /(<polygon class="area"[^\n]*\n)(?:<circle[^\n]*\n)*/);
  assert.equal(renderSvg(gap, { type: "area", title: "t" }).match(/<polygon class="area"/g)!.length, 2);
  assert.match(renderSvg(gap, { type: "line", title: "t" }), /<text class="xl" [^>]*>2026-11-01 00:00<\/text>[\s\S]*>time \(UTC\)<\/text>/);
});

test("bars stand where their buckets are: a missing bucket leaves its place empty, calendar months included, in the terminal and in SVG", () => {
  const info: ChartInfo = { title: "t", timeColumn: "t", keyColumns: ["t"], period: { amount: 1, unit: "h" } };
  const gap = toChartData(timeCols, [[hour(0), 1], [hour(2), 1], [hour(4), 1]], info);
  assert.deepEqual(gap.slots, { at: [0, 2, 4], count: 5 });
  // one column a bucket at 5 buckets over the plot: bars at 0, 2 and 4 fifths, blank between them
  const bars = renderTerminalChart(gap, 80, false).split("\n").find((l) => l.includes("█"))!;
  assert.match(bars, /█+ +█+ +█+/, bars);
  // twelve months, none missing: twelve places, no empty one (July to August is as long as any month)
  const months = Array.from({ length: 12 }, (_, m) => [Date.UTC(2026, m, 1), 1] as Value[]);
  const year = toChartData(timeCols, months, { ...info, period: { amount: 1, unit: "mo" } });
  assert.deepEqual(year.slots, { at: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], count: 12 });
  // in SVG the bars' bands are the buckets' places: the second bar two bands after the first
  const xs = [...renderSvg(gap, { type: "bar", title: "t" }).matchAll(/<rect class="pt" x="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.equal(xs.length, 3);
  assert.ok(Math.abs(xs[1]! - xs[0]! - (xs[2]! - xs[1]!)) < 0.01 && xs[1]! - xs[0]! > 0, `${xs}`);
  const even = toChartData(timeCols, [[hour(0), 1], [hour(1), 1], [hour(2), 1]], info);
  const evenXs = [...renderSvg(even, { type: "bar", title: "t" }).matchAll(/<rect class="pt" x="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.ok(xs[1]! - xs[0]! > (evenXs[1]! - evenXs[0]!) * 1.1, "a missing bucket's band stays empty");
});

test("a pie leaves negative values out of its shares, grouped in other (N) or not, and says so", () => {
  const cols = [{ name: "name", type: "string" as const, expr: undefined as never }, { name: "s", type: "number" as const, expr: undefined as never }];
  const values = [50, -30, 20, 0, 10, 5, 5, 4, 3, 2, 1, 1, 1, -7, 0.5, 2.5];
  const rows: Value[][] = values.map((v, i) => [`p${String(i).padStart(2, "0")}`, v]);
  const svg = renderSvg(toChartData(cols, rows, { title: "t", keyColumns: ["name"] }), { type: "pie", title: "t" });
  // of the 105 of positive value: 50 is 47.6 %; other (5) holds -30, 0, 1, -7 and 0.5: 1.5 of it
  assert.match(svg, /<title>p00 · 50 \(47\.6%\)<\/title>/);
  assert.match(svg, /<title>other \(5\) · -35\.5 \(1\.4%\)<\/title>/);
  assert.match(svg, /2 negative values left out of the pie's shares/);
});

test("a pie counts every row, past the 30 a bar chart draws: the shares are of the whole and other sums the rest", () => {
  const cols = [{ name: "name", type: "string" as const, expr: undefined as never }, { name: "n", type: "number" as const, expr: undefined as never }];
  const rows: Value[][] = Array.from({ length: 50 }, (_, i) => [`Op${String(i).padStart(2, "0")}`, 50 - i]);
  const data = toChartData(cols, rows, { title: "t", keyColumns: ["name"] });
  const svg = renderSvg(data, { type: "pie", title: "t" });
  // 1,275 in all: Op00 is 50 of them, and the 39 rows after the eleven largest make 780
  assert.match(svg, /<title>Op00 · 50 \(3\.9%\)<\/title>/);
  assert.match(svg, /<title>other \(39\) · 780 \(61\.2%\)<\/title>/);
  // a bar chart draws 30 and says so
  assert.match(renderTerminalChart(data, 100, false), /20 more rows not drawn: a bar chart shows the first 30/);
  assert.match(renderSvg(data, { type: "bar", title: "t" }), /20 more rows not drawn/);
});

test("rows of a time series without a time are not drawn, and the chart says how many", () => {
  const info: ChartInfo = { title: "t", timeColumn: "t", keyColumns: ["t"], period: { amount: 1, unit: "h" } };
  const data = toChartData(timeCols, [[hour(0), 7], [null, 2]], info);
  assert.equal(data.untimed, 1);
  assert.match(renderTerminalChart(data, 100, false), /1 row without a time not drawn/);
  assert.match(renderSvg(data, { type: "pie", title: "t" }), /1 row without a time not drawn/);
});
