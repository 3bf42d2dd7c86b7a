// Charts: series, fill, the terminal chart at a fixed width, the SVG, and the HTML in Chromium.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildPlan } from "../../src/plan/build.js";
import { parseQuery } from "../../src/lang/index.js";
import { runPlan } from "../../src/exec/run.js";
import { Reader } from "../../src/sources/index.js";
import type { Value } from "../../src/exec/values.js";
import { chartInfo } from "../../src/output/charts/index.js";
import { toChartData, topSeries, type ChartInfo } from "../../src/output/charts/series.js";
import { renderTerminalChart } from "../../src/output/charts/terminal.js";
import { renderHtml, renderSvg } from "../../src/output/charts/svg.js";

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

test("fill: empty buckets become 0 across the range, in calendar steps", () => {
  const info: ChartInfo = { title: "", timeColumn: "t", keyColumns: ["t"], period: { amount: 1, unit: "mo" }, fill: { start: Date.parse("2024-01-15T00:00:00Z"), end: Date.parse("2024-06-01T00:00:00Z") } };
  const cols = [{ name: "t", type: "time" as const, expr: undefined as never }, { name: "n", type: "number" as const, expr: undefined as never }];
  const data = toChartData(cols, [[Date.parse("2024-03-01T00:00:00Z"), 4]], info);
  assert.deepEqual(data.labels.map((l) => l.slice(0, 10)), ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01"]);
  assert.deepEqual(data.series[0]!.values, [0, 0, 4, 0, 0, 0]);
});

test("more than six series: the top five and an other series", () => {
  const many = Array.from({ length: 9 }, (_, i) => ({ name: `s${i}`, values: [i, 1] }));
  const top = topSeries(many);
  assert.deepEqual(top.map((s) => s.name), ["s8", "s7", "s6", "s5", "s4", "other (4)"]);
  assert.deepEqual(top[5]!.values, [0 + 1 + 2 + 3, 4]);
});

test("the HTML chart renders in headless Chromium without errors", { skip: !existsSync("/usr/bin/chromium") && "chromium is not installed" }, async () => {
  const { data, info } = await run("filter ispresent(errorCode) | stats count(*) by bin(6h), errorCode");
  const dir = mkdtempSync(join(tmpdir(), "trailq-chart-"));
  const html = join(dir, "chart.html");
  writeFileSync(html, renderHtml(data, { type: "area", title: info.title }));
  const png = join(tmpdir(), "trailq-chart.png");
  const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", `--user-data-dir=${join(dir, "profile")}`];
  const dom = spawnSync("/usr/bin/chromium", [...flags, "--dump-dom", `file://${html}`], { encoding: "utf8", timeout: 60_000 });
  assert.equal(dom.status, 0, dom.stderr);
  // the page's script ran (it counts the points it made hoverable) and the SVG is there
  assert.match(dom.stdout, /data-points="(\d+)"/);
  assert.ok(Number(/data-points="(\d+)"/.exec(dom.stdout)![1]) > 20);
  assert.match(dom.stdout, /<polygon points=/);
  const shot = spawnSync("/usr/bin/chromium", [...flags, `--screenshot=${png}`, "--window-size=1000,600", `file://${html}`], { encoding: "utf8", timeout: 60_000 });
  assert.equal(shot.status, 0, shot.stderr);
  assert.ok(readFileSync(png).length > 10_000, `screenshot at ${png}`);
});
