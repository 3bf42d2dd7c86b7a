// Hostile values through every format, run as a user runs trailq: terminal escapes, spreadsheet
// formulas, markup, lone surrogates, bidi overrides. Each value's expected form in each format is
// written out below; the outputs are compared whole.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, ROOT } from "../bin.js";
import { checkWellFormedXml } from "../xml.js";
import { tempDir } from "../temp.js";
import { cutToWidth, displayWidth, padToWidth } from "../../src/output/width.js";

interface Case {
  /** the value, as the caller sent it */
  value: string;
  /** the table's cell (also the terminal chart's and the SVG's label text, before XML escaping) */
  table: string;
  markdown: string;
  /** the CSV field as written (in a pipe: control characters kept, formulas neutralised) */
  csv: string;
  /** the JSON string literal as written, quotes included */
  json: string;
}

const R = String.raw;
const CASES: Case[] = [
  { value: "\x1b]2;pwned\x07", table: R`\x1b]2;pwned\x07`, markdown: R`\\x1b\]2;pwned\\x07`, csv: "\x1b]2;pwned\x07", json: R`"\u001b]2;pwned\u0007"` },
  { value: "\x1b]0;t\x1b\\", table: "\\x1b]0;t\\x1b\\", markdown: R`\\x1b\]0;t\\x1b\\`, csv: "\x1b]0;t\x1b\\", json: R`"\u001b]0;t\u001b\\"` },
  { value: "\x1b[31mred\x1b[0m", table: R`\x1b[31mred\x1b[0m`, markdown: R`\\x1b\[31mred\\x1b\[0m`, csv: "\x1b[31mred\x1b[0m", json: R`"\u001b[31mred\u001b[0m"` },
  { value: "bell\x07", table: R`bell\x07`, markdown: R`bell\\x07`, csv: "bell\x07", json: R`"bell\u0007"` },
  { value: "back\bspace", table: R`back\x08space`, markdown: R`back\\x08space`, csv: "back\bspace", json: R`"back\bspace"` },
  { value: "cr\roverwrite", table: R`cr\roverwrite`, markdown: R`cr\\roverwrite`, csv: '"cr\roverwrite"', json: R`"cr\roverwrite"` },
  { value: '=HYPERLINK("http://x")', table: '=HYPERLINK("http://x")', markdown: '=HYPERLINK("http://x")', csv: `"'=HYPERLINK(""http://x"")"`, json: R`"=HYPERLINK(\"http://x\")"` },
  { value: "+1+2", table: "+1+2", markdown: "+1+2", csv: "'+1+2", json: '"+1+2"' },
  { value: "-2+3", table: "-2+3", markdown: "-2+3", csv: "'-2+3", json: '"-2+3"' },
  { value: "@SUM(A1)", table: "@SUM(A1)", markdown: "@SUM(A1)", csv: "'@SUM(A1)", json: '"@SUM(A1)"' },
  { value: "\tTAB", table: R`\tTAB`, markdown: R`\\tTAB`, csv: "'\tTAB", json: R`"\tTAB"` },
  { value: "-12.5", table: "-12.5", markdown: "-12.5", csv: "-12.5", json: '"-12.5"' },
  { value: "lone \ud800 high", table: "lone \ufffd high", markdown: "lone \ufffd high", csv: "lone \ufffd high", json: '"lone \ufffd high"' },
  { value: "lone \udc00 low", table: "lone \ufffd low", markdown: "lone \ufffd low", csv: "lone \ufffd low", json: '"lone \ufffd low"' },
  { value: "<script>alert(1)</script>", table: "<script>alert(1)</script>", markdown: R`\<script\>alert(1)\</script\>`, csv: "<script>alert(1)</script>", json: '"<script>alert(1)</script>"' },
  { value: "]]>", table: "]]>", markdown: R`\]\]\>`, csv: "]]>", json: '"]]>"' },
  { value: "a|b", table: "a|b", markdown: R`a\|b`, csv: "a|b", json: '"a|b"' },
  { value: "a\\|b", table: R`a\|b`, markdown: R`a\\\|b`, csv: "a\\|b", json: R`"a\\|b"` },
  { value: "line1\nline2", table: R`line1\nline2`, markdown: R`line1\\nline2`, csv: '"line1\nline2"', json: R`"line1\nline2"` },
  { value: "\u202eevil\u2066x\u2069", table: R`\u202eevil\u2066x\u2069`, markdown: R`\\u202eevil\\u2066x\\u2069`, csv: "\u202eevil\u2066x\u2069", json: R`"\u202eevil\u2066x\u2069"` },
  { value: "\u009b31m C1 \x7f DEL", table: R`\x9b31m C1 \x7f DEL`, markdown: R`\\x9b31m C1 \\x7f DEL`, csv: "\u009b31m C1 \x7f DEL", json: R`"\u009b31m C1 \u007f DEL"` },
  { value: "al\u200bice\ufeff\u00ad", table: R`al\u200bice\ufeff\xad`, markdown: R`al\\u200bice\\ufeff\\xad`, csv: "al\u200bice\ufeff\u00ad", json: R`"al\u200bice\ufeff\u00ad"` },
  { value: "＝cmd|' /C calc'!A0", table: "＝cmd|' /C calc'!A0", markdown: R`＝cmd\|' /C calc'!A0`, csv: "'＝cmd|' /C calc'!A0", json: `"＝cmd|' /C calc'!A0"` },
  { value: "&amp; *b* _i_ `c` ~s~", table: "&amp; *b* _i_ `c` ~s~", markdown: R`\&amp; \*b\* \_i\_ \`c\` \~s\~`, csv: "&amp; *b* _i_ `c` ~s~", json: '"&amp; *b* _i_ `c` ~s~"' },
];

const ids = CASES.map((_, i) => `E${String(i + 1).padStart(2, "0")}`);
/** Newest first, the default order of an event query: the cases in reverse. */
const newestFirst = CASES.map((c, i) => ({ ...c, id: ids[i]! })).reverse();

function events(from: number, to: number): string {
  // JSON.stringify writes C0 controls and lone surrogates as escapes, C1 and bidi characters raw
  const records = CASES.slice(from, to).map((c, k) => ({
    eventVersion: "1.08",
    eventTime: new Date(Date.UTC(2026, 10, 1, 0, from + k)).toISOString().replace(".000", ""),
    eventSource: "s3.amazonaws.com",
    eventName: ids[from + k],
    userAgent: c.value,
    requestParameters: { bucketName: c.value },
  }));
  return JSON.stringify({ Records: records });
}

const dir = tempDir("hostile");
const FILE = join(dir, "hostile.json");
writeFileSync(FILE, events(0, CASES.length));
// the same events in two files, for the scan in worker threads
const SPLIT = join(dir, "split");
mkdirSync(SPLIT);
writeFileSync(join(SPLIT, "a.json"), events(0, 11));
writeFileSync(join(SPLIT, "b.json"), events(11, CASES.length));

/** Runs the binary; stdout must be valid UTF-8 (a lone surrogate written raw would not be). */
function run(args: string[], env: Record<string, string> = {}): { status: number | null; out: string; err: string } {
  const r = spawnSync(BIN, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const out = new TextDecoder("utf-8", { fatal: true }).decode(r.stdout);
  return { status: r.status, out, err: r.stderr.toString() };
}

let jsonRun: ReturnType<typeof run> | undefined;
/** `query Q FILE -q -f json`, run once: three tests below read what it printed. */
const jsonOut = (): ReturnType<typeof run> => (jsonRun ??= run(["query", Q, FILE, "-q", "-f", "json"]));

/** A control character, DEL, a C1 control or a bidi control: none may reach a human output (newlines end lines). */
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

const Q = "fields eventName, userAgent";

test("table: every control character shown escaped, each value on its line", () => {
  const r = run(["query", Q, FILE, "-q"]);
  assert.equal(r.status, 0, r.err);
  const w = Math.max("userAgent".length, ...CASES.map((c) => [...c.table].length));
  const expected = ["eventName │ userAgent", "─".repeat(9) + "─┼─" + "─".repeat(w), ...newestFirst.map((c) => `${c.id.padEnd(9)} │ ${c.table}`.trimEnd()), ""].join("\n");
  assert.equal(r.out, expected);
  assert.doesNotMatch(r.out, RAW_CONTROL);
});

test("vertical: every value shown as in the table, one line each, no control character", () => {
  const r = run(["query", Q, FILE, "-q", "-f", "vertical"]);
  assert.equal(r.status, 0, r.err);
  const lines = r.out.trimEnd().split("\n");
  assert.equal(lines.length, 3 * newestFirst.length);
  newestFirst.forEach((c, i) => {
    assert.match(lines[3 * i]!, new RegExp(`^-\\[ RECORD ${i + 1} \\]-+$`));
    assert.equal(lines[3 * i + 1], `eventName | ${c.id}`);
    assert.equal(lines[3 * i + 2], `userAgent | ${c.table}`.trimEnd());
  });
  assert.doesNotMatch(r.out, RAW_CONTROL);
});

test("markdown: one line a row, | and markdown characters escaped, no control character", () => {
  const r = run(["query", Q, FILE, "-q", "-f", "markdown"]);
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out, ["| eventName | userAgent |", "| --- | --- |", ...newestFirst.map((c) => `| ${c.id} | ${c.markdown} |`), ""].join("\n"));
  assert.doesNotMatch(r.out, RAW_CONTROL);
  // every row has exactly its three unescaped pipes
  for (const line of r.out.trimEnd().split("\n")) assert.equal(line.replace(/\\./g, "").split("|").length, 4, line);
});

test("csv: formulas get a leading ', numbers don't; --csv-raw writes cells as they are", () => {
  const r = run(["query", Q, FILE, "-q", "-f", "csv"]);
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out, ["eventName,userAgent", ...newestFirst.map((c) => `${c.id},${c.csv}`), ""].join("\r\n"));
  const raw = run(["query", Q, FILE, "-q", "-f", "csv", "--csv-raw"]);
  assert.equal(raw.status, 0, raw.err);
  const field = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const value = (c: Case): string => c.value.replace(/[\ud800-\udfff]/g, "\ufffd");
  assert.equal(raw.out, ["eventName,userAgent", ...newestFirst.map((c) => `${c.id},${field(value(c))}`), ""].join("\r\n"));
  assert.match(raw.out, /^E07,"=HYPERLINK\(""http:\/\/x""\)"\r$/m);
});

test("json and jsonl: valid for strict readers (no lone surrogate escapes), the exact values otherwise", () => {
  const json = jsonOut();
  assert.equal(json.status, 0, json.err);
  const rows = newestFirst.map((c) => `{"eventName":"${c.id}","userAgent":${c.json}}`);
  assert.equal(json.out, "[\n" + rows.join(",\n") + "\n]\n");
  const jsonl = run(["query", Q, FILE, "-q", "-f", "jsonl"]);
  assert.equal(jsonl.out, rows.join("\n") + "\n");
  // no \ud800-style escape (jq: "Invalid \uXXXX\uXXXX surrogate pair escape"), nothing raw that acts on a terminal
  assert.doesNotMatch(json.out, /\\ud[89a-f]/i);
  assert.doesNotMatch(json.out, RAW_CONTROL);
  const parsed = JSON.parse(json.out) as { userAgent: string }[];
  assert.deepEqual(parsed.map((o) => o.userAgent), newestFirst.map((c) => c.value.replace(/[\ud800-\udfff]/g, "\ufffd")));
});

test("json: jq reads it", { skip: spawnSync("jq", ["--version"]).status !== 0 && "jq is not installed" }, () => {
  const json = jsonOut();
  const jq = spawnSync("jq", ["-c", ".[].eventName"], { input: json.out, encoding: "utf8" });
  assert.equal(jq.status, 0, jq.stderr);
  assert.equal(jq.stdout, newestFirst.map((c) => `"${c.id}"\n`).join(""));
});

test("the scan in worker threads (ordered mode) writes the same bytes as one thread", () => {
  for (const format of ["json", "jsonl", "table", "csv", "markdown", "vertical"]) {
    const one = run(["query", Q, SPLIT, "-q", "-f", format], { TRAILQ_WORKERS: "0" });
    const two = run(["query", Q, SPLIT, "-q", "-f", format], { TRAILQ_WORKERS: "2" });
    assert.equal(one.status, 0, one.err);
    assert.equal(two.out, one.out, format);
    // and what the events give from one file (once: the format does not change where they come from)
    if (format === "json") assert.equal(two.out, jsonOut().out, format);
  }
});

const CQ = "stats count(*) as n by eventName, requestParameters.bucketName | sort eventName asc";
const label = (c: Case, i: number): string => `${ids[i]} · ${c.table}`;
/** The SVG's axis labels are cut by characters. */
const cut = (s: string, n: number): string => ([...s].length <= n ? s : [...s].slice(0, n - 1).join("") + "…");
const xml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

test("terminal chart: labels shown escaped, no control character", () => {
  const r = run(["query", CQ, FILE, "-q", "-f", "chart"]);
  assert.equal(r.status, 0, r.err);
  const labels = CASES.map(label);
  // in terminal columns: ＝ takes two
  const labelW = Math.min(32, Math.max(...labels.map((l) => displayWidth(l))));
  const barW = Math.max(5, 80 - labelW - 1 - 4);
  assert.equal(r.out, ["n", ...labels.map((l) => `${padToWidth(cutToWidth(l, labelW), labelW)} │${"█".repeat(barW)} 1`), ""].join("\n"));
  assert.doesNotMatch(r.out, RAW_CONTROL);
});

test("--chart FILE.svg: well-formed XML whatever the values, labels and tooltips escaped", () => {
  const svg = join(dir, "hostile.svg");
  const r = run(["query", CQ, FILE, "-q", "--chart", svg, "--chart-type", "bar"]);
  assert.equal(r.status, 0, r.err);
  const text = new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(svg));
  checkWellFormedXml(text);
  assert.doesNotMatch(text, RAW_CONTROL);
  assert.doesNotMatch(text, /<script/i);
  CASES.forEach((c, i) => {
    // the axis labels every other bar (more than 12 of them), and the last
    if (i % 2 === 0 || i === CASES.length - 1) assert.ok(text.includes(`)">${xml(cut(label(c, i), 28))}</text>`), `the axis label of ${ids[i]}`);
    assert.ok(text.includes(`<title>${xml(`n · ${label(c, i)} · 1`)}</title>`), `the tooltip of ${ids[i]}`);
  });
});

const CHROMIUM = "/usr/bin/chromium";
const chromium = (url: string): string => {
  const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", `--user-data-dir=${join(dir, "chromium")}`];
  const r = spawnSync(CHROMIUM, [...flags, "--dump-dom", url], { encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

test("--chart FILE.svg and FILE.html load in Chromium: no XML error, no script from the data", { skip: !existsSync(CHROMIUM) && "chromium is not installed" }, () => {
  const svg = join(dir, "chromium.svg");
  const html = join(dir, "chromium.html");
  assert.equal(run(["query", CQ, FILE, "-q", "--chart", svg, "--chart-type", "bar"]).status, 0);
  assert.equal(run(["query", CQ, FILE, "-q", "--chart", html, "--chart-type", "bar"]).status, 0);
  const svgDom = chromium(`file://${svg}`);
  assert.doesNotMatch(svgDom, /parsererror|This page contains the following errors/);
  assert.match(svgDom, /<svg/);
  const htmlDom = chromium(`file://${html}`);
  // the page's own script ran (it counts the points) and is the only one
  assert.match(htmlDom, new RegExp(`data-points="${CASES.length}"`));
  assert.equal(htmlDom.match(/<script/g)?.length, 1);
  assert.ok(htmlDom.includes(xml(R`E01 · \x1b]2;pwned\x07`)));
});
