// The chart files as a person sees them: each chart type rendered by headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core), a screenshot of each, and what the rendered page
// says: every text inside the SVG's viewBox, legends clear of bars, slices and labels, the line
// broken at a missing bucket, the time axis with its year and "UTC", twelve slices in twelve colours.
// Screenshots go to a temporary folder; TRAILQ_UPDATE_GOLDEN=1 also writes them to
// test/golden-charts/screenshots/ (committed, to look at).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Value } from "../../src/exec/values.js";
import type { OutputColumn } from "../../src/plan/plan.js";
import { toChartData, type ChartData, type ChartInfo } from "../../src/output/charts/series.js";
import { renderHtml, renderSvg, type ChartType } from "../../src/output/charts/svg.js";
import { checkWellFormedXml } from "../xml.js";
import { tempDir } from "../temp.js";

const CHROMIUM = "/usr/bin/chromium";
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const KEPT = join(ROOT, "test", "golden-charts", "screenshots");
const UPDATE = process.env["TRAILQ_UPDATE_GOLDEN"] === "1";
const SHOTS = tempDir("shots");

type Playwright = typeof import("playwright-core");
let playwright: Playwright | undefined;
try {
  playwright = await import("playwright-core");
} catch {
  playwright = undefined;
}
const skip = !existsSync(CHROMIUM) ? `${CHROMIUM} is not installed: charts are not looked at in a browser` : !playwright ? "playwright-core is not installed" : false;
if (skip) console.log(`charts-browser: skipped: ${skip}`);

type Browser = Awaited<ReturnType<Playwright["chromium"]["launch"]>>;
let browser: Browser | undefined;
before(async () => {
  if (skip) return;
  browser = await playwright!.chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => {
  await browser?.close();
});

const col = (name: string, type: OutputColumn["type"]): OutputColumn => ({ name, type, expr: undefined as never });
const hour = (h: number): number => Date.UTC(2026, 10, 1, h);
const LONG = "arn:aws:iam::111122223333:role/service-role/a-very-long-role-name-for-lambda";

/** What the page says of the rendered SVG: boxes in the SVG's own units (its width is its viewBox's). */
interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
interface Seen {
  viewBox: Box;
  texts: { cls: string; text: string; box: Box }[];
  legends: Box[];
  marks: { cls: string; fill: string; box: Box }[];
  lines: string[];
}

async function look(name: string, page: string): Promise<Seen> {
  const tab = await browser!.newPage({ viewport: { width: 1000, height: 800 } });
  try {
    await tab.setContent(page);
    const seen = await tab.evaluate(() => {
      // the page's DOM (the test's compilation has no DOM types)
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      type El = any;
      const document: El = (globalThis as El).document;
      const svg: El = document.querySelector("svg");
      const origin = svg.getBoundingClientRect();
      const vb = svg.viewBox.baseVal;
      const box = (el: El): Box => {
        const r = el.getBoundingClientRect();
        return { x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height };
      };
      return {
        viewBox: { x: vb.x, y: vb.y, w: vb.width, h: vb.height, cw: origin.width },
        texts: [...svg.querySelectorAll("text")].map((t: El) => ({ cls: t.getAttribute("class") ?? "", text: t.textContent ?? "", box: box(t) })),
        legends: ([...svg.querySelectorAll("g.legend")] as El[]).map(box),
        marks: [...svg.querySelectorAll("rect.pt, path.slice, circle.slice, circle.pt, polygon.area")].map((m: El) => ({ cls: m.getAttribute("class") ?? "", fill: m.getAttribute("fill") ?? "", box: box(m) })),
        lines: [...svg.querySelectorAll("path.line")].map((p: El) => p.getAttribute("d") ?? ""),
      };
    });
    // the SVG is drawn at its viewBox's size: client pixels are its units
    assert.equal(seen.viewBox.cw, seen.viewBox.w);
    const file = join(SHOTS, `${name}.png`);
    await tab.locator("svg").screenshot({ path: file });
    assert.ok(statSync(file).size > 5_000, `a screenshot with something in it: ${file}`);
    if (UPDATE) {
      mkdirSync(KEPT, { recursive: true });
      copyFileSync(file, join(KEPT, `${name}.png`));
    }
    return seen;
  } finally {
    await tab.close();
  }
}

function render(name: string, data: ChartData, type: ChartType, title: string): Promise<Seen> {
  const svg = renderSvg(data, { type, title });
  checkWellFormedXml(svg);
  return look(name, `<!doctype html><html><body style="margin:0">${svg}</body></html>`);
}

const inside = (b: Box, vb: Box): boolean => b.x >= vb.x - 0.5 && b.y >= vb.y - 0.5 && b.x + b.w <= vb.x + vb.w + 0.5 && b.y + b.h <= vb.y + vb.h + 0.5;
const meets = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Every text inside the viewBox; no legend entry touching a bar, slice, area, label or another entry. */
function laidOut(seen: Seen): void {
  assert.ok(seen.texts.length > 3);
  for (const t of seen.texts) assert.ok(inside(t.box, seen.viewBox), `"${t.text}" at ${JSON.stringify(t.box)} is outside the viewBox ${JSON.stringify(seen.viewBox)}`);
  assert.ok(seen.legends.length > 0, "a legend");
  seen.legends.forEach((l, i) => {
    for (const m of seen.marks) assert.ok(!meets(l, m.box), `legend ${i} ${JSON.stringify(l)} meets a ${m.cls} ${JSON.stringify(m.box)}`);
    for (const t of seen.texts.filter((t) => t.cls === "xl" || t.cls === "xt")) assert.ok(!meets(l, t.box), `legend ${i} meets the label "${t.text}"`);
    seen.legends.forEach((o, j) => j !== i && assert.ok(!meets(l, o), `legend ${i} meets legend ${j}`));
  });
}

test("line chart with a missing bucket: the line breaks there, the axis has the year and UTC", { skip }, async () => {
  const info: ChartInfo = { title: "stats count(*) as n by bin(1h), eventSource", timeColumn: "t", keyColumns: ["t", "eventSource"], period: { amount: 1, unit: "h" } };
  // no event at all at 04:00 and 05:00: a missing bucket for both series
  const rows: Value[][] = [];
  for (const h of [0, 1, 2, 3, 6, 7, 8, 9, 10, 11]) {
    rows.push([hour(h), "s3.amazonaws.com", 10 + ((h * 7) % 13)]);
    rows.push([hour(h), LONG, 5 + ((h * 5) % 11)]);
  }
  const data = toChartData([col("t", "time"), col("eventSource", "string"), col("n", "number")], rows, info);
  assert.deepEqual(data.gaps, [4]);
  const seen = await render("line-gap", data, "line", `${info.title} | ${"filter userIdentity.arn like /very-long-role/ and ".repeat(4)}sort n desc`);
  laidOut(seen);
  assert.equal(seen.lines.length, 2);
  for (const d of seen.lines) {
    // two runs: 00:00 to 03:00, then 06:00 to 11:00
    const runs = d.split(/(?=M)/);
    assert.equal(runs.length, 2, d);
    assert.equal(runs[0]!.split(/[ML]/).filter(Boolean).length, 4, d);
    assert.equal(runs[1]!.split(/[ML]/).filter(Boolean).length, 6, d);
  }
  const axis = seen.texts.filter((t) => t.cls === "xl" || t.cls === "xt").map((t) => t.text).join(" | ");
  assert.match(axis, /2026-11-01 00:00/);
  assert.match(axis, /UTC/);
  // the time labels side by side, none over another
  const xl = seen.texts.filter((t) => t.cls === "xl");
  assert.ok(xl.length >= 3, axis);
  xl.forEach((a, i) => xl.forEach((b, j) => i < j && assert.ok(!meets(a.box, b.box), `${a.text} meets ${b.text}`)));
  // with --fill the same buckets are 0: one unbroken line
  const filled = toChartData([col("t", "time"), col("eventSource", "string"), col("n", "number")], rows, { ...info, fill: {} });
  assert.equal(filled.gaps, undefined);
  assert.ok(renderSvg(filled, { type: "line", title: "" }).match(/<path class="line" d="[^"]*"/g)!.every((d) => d.split("M").length === 2));
});

test("stacked area: in the viewBox, the legend clear of the areas, a band per run of buckets", { skip }, async () => {
  const info: ChartInfo = { title: "filter ispresent(errorCode) | stats count(*) by bin(30m), errorCode", timeColumn: "t", keyColumns: ["t", "errorCode"], period: { amount: 30, unit: "m" } };
  const codes = ["AccessDenied", "ThrottlingException", "Client.UnauthorizedOperation", "NoSuchEntityException", "ValidationException", "ResourceNotFoundException", "InvalidParameterValue", "<b>&\"odd\u202e"];
  const rows: Value[][] = [];
  for (let i = 0; i < 48; i++) {
    if (i >= 20 && i < 23) continue;
    codes.forEach((c, k) => rows.push([hour(0) + i * 1_800_000, c, 1 + ((i * (k + 3)) % 9)]));
  }
  const data = toChartData([col("t", "time"), col("errorCode", "string"), col("n", "number")], rows, info);
  assert.equal(data.series.length, 6, "five and other");
  const seen = await render("stacked-area", data, "area", info.title);
  laidOut(seen);
  assert.equal(seen.marks.filter((m) => m.cls === "area").length, 12, "two bands a series");
  const axis = seen.texts.filter((t) => t.cls === "xl" || t.cls === "xt").map((t) => t.text).join(" | ");
  assert.match(axis, /2026-11-01 \d\d:\d\d/);
  assert.match(axis, /UTC/);
});

test("bar chart with long labels: the first and the last label whole in the file, the legend under them", { skip }, async () => {
  // markup and an escape, wide characters (CJK, emoji), and ARNs longer than the 28 characters shown
  const odd: Record<number, string> = { 0: "東京リージョンの非常に長いロール名前です本当に長い", 3: "<script>alert(1)</script> & \x1b[31m", 6: "🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥" };
  const labels = Array.from({ length: 14 }, (_, i) => odd[i] ?? `${LONG.slice(0, 20 + i * 3)}-${i}`);
  const data = toChartData([col("k", "string"), col("n", "number")], labels.map((l, i) => [l, 1000 - i * 60]), { title: "stats count(*) as n by userIdentity.arn | sort n desc", keyColumns: ["k"] });
  const seen = await render("bar-long-labels", data, "bar", "stats count(*) as n by userIdentity.arn | sort n desc");
  laidOut(seen);
  const xl = seen.texts.filter((t) => t.cls === "xl");
  assert.ok(xl.length >= 7, `${xl.length} labels`);
  // labels are cut to 28 characters; the last bar's is there, inside the viewBox (laidOut)
  const cut = (l: string): string => ([...l].length > 28 ? `${[...l].slice(0, 27).join("")}…` : l);
  assert.equal(xl[xl.length - 1]!.text, cut(labels[13]!), "the last label");
  // the first, in wide characters, cut shorter still: the margin grows to 200 pixels, no more
  assert.ok(xl[0]!.text.endsWith("…") && labels[0]!.startsWith(xl[0]!.text.slice(0, -1)) && xl[0]!.text.length > 8, xl[0]!.text);
  assert.equal(xl[1]!.text, cut(labels[1]!), "the second label");
  assert.ok(xl.some((t) => t.text.startsWith("<script>")), "markup shown as text");
  // the legend is below the lowest label
  const lowest = Math.max(...xl.map((t) => t.box.y + t.box.h));
  for (const l of seen.legends) assert.ok(l.y >= lowest, `legend at ${l.y}, labels down to ${lowest}`);
});

test("pie chart of twelve slices: twelve distinct colours, the legend beside it; more rows make an other slice", { skip }, async () => {
  const names = ["sts", "kms", "s3", "ec2", "iam", "logs", "lambda", "dynamodb", "ssm", "secretsmanager", "cloudtrail", "organizations"].map((s) => `${s}.amazonaws.com`);
  // a name longer than the room beside the pie, and one in wide characters: cut to fit
  names[10] = `${LONG}/${LONG}`;
  names[11] = "組織".repeat(40);
  const data = toChartData([col("k", "string"), col("n", "number")], names.map((n, i) => [n, 4000 - i * 300]), { title: "t", keyColumns: ["k"] });
  const seen = await render("pie-12", data, "pie", "stats count(*) as n by eventSource | sort n desc | limit 12");
  laidOut(seen);
  const fills = seen.marks.filter((m) => m.cls.includes("slice")).map((m) => m.fill);
  assert.equal(fills.length, 12);
  assert.equal(new Set(fills).size, 12, fills.join(" "));
  // distinguishable: every two colours apart by more than a small step in RGB
  const rgb = (c: string): number[] => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
  fills.forEach((a, i) => fills.forEach((b, j) => {
    if (i < j) assert.ok(Math.hypot(...rgb(a).map((v, k) => v - rgb(b)[k]!)) > 60, `${a} and ${b} are too close`);
  }));
  // fifteen rows: the eleven largest and "other (4)", still twelve colours
  const many = toChartData([col("k", "string"), col("n", "number")], Array.from({ length: 15 }, (_, i) => [`source-${i}`, 100 + i] as Value[]), { title: "t", keyColumns: ["k"] });
  const html = renderHtml(many, { type: "pie", title: "fifteen rows" });
  const seen15 = await look("pie-15-html", html);
  laidOut(seen15);
  assert.equal(new Set(seen15.marks.map((m) => m.fill)).size, 12);
  const legend = seen15.texts.map((t) => t.text).join(" | ");
  assert.match(legend, /other \(4\) /);
  assert.doesNotMatch(legend, /source-[0-3] /, "the four smallest are in other");
});
