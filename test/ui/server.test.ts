// The web console's server: who it answers (the token, the Host), its headers, and its routes (a
// query streams rows and its histogram, a cancel stops the scan, an export writes CSV with formulas
// made inert, the checker, templates, history and saved queries, charts, detection and the events
// its findings point at), and `trailq ui` as a command.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { request } from "node:http";
import { api, call, endlessPipe, lines, run, server, streaming, until, SAMPLE, ROOT, type Line } from "./helpers.js";
import { hasTmux, terminal } from "../tmux.js";
import { queryRows } from "../../src/api.js";
import { parseQuery } from "../../src/lang/index.js";
import { QueryError } from "../../src/errors.js";
import { loadLibrary } from "../../src/templates/library.js";
import { prepareDetection } from "../../src/detect/index.js";
import { JSON_COLUMNS, TABLE_COLUMNS, findingValues } from "../../src/detect/report.js";
import { renderText } from "../../src/output/render.js";
import type { UiServer } from "../../src/ui/server.js";
import { tempDir } from "../temp.js";

const servers: UiServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});
async function open(inputs: string[], rules: string[] = []): Promise<UiServer> {
  const s = await server(inputs, rules);
  servers.push(s);
  return s;
}

function event(i: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: "1.09",
    eventTime: `2026-11-01T00:00:${String(i % 60).padStart(2, "0")}Z`,
    eventSource: "s3.amazonaws.com",
    eventName: "GetObject",
    awsRegion: "us-east-1",
    sourceIPAddress: "10.0.0.1",
    eventID: `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`,
    recipientAccountId: "111122223333",
    ...fields,
  };
}

function trail(events: Record<string, unknown>[]): string {
  const dir = tempDir("ui");
  writeFileSync(join(dir, "events.json"), JSON.stringify({ Records: events }));
  return dir;
}

test("a request without the token, or with another token, is refused; with it the page is served", async () => {
  const s = await open([SAMPLE]);
  for (const path of ["/", "/app.js", "/api/meta", "/api/templates", "/api/history", `/?token=${s.token.slice(1)}`, `/?token=${s.token}x`]) {
    const r = await call(s, path);
    assert.equal(r.status, 403, path);
    assert.doesNotMatch(r.body, /trailq-token/);
  }
  const bad = await call(s, "/api/run", { body: { query: "stats count(*)" }, headers: { "X-Trailq-Token": "nope" } });
  assert.equal(bad.status, 403);
  const page = await call(s, `/?token=${s.token}`);
  assert.equal(page.status, 200);
  assert.match(page.body, /<div id="editor">/);
  const js = await call(s, `/app.js?token=${s.token}`);
  assert.equal(js.status, 200);
  assert.match(String(js.headers["content-type"]), /javascript/);
  // nothing the page loads comes from elsewhere
  assert.doesNotMatch(page.body, /(src|href)="(https?:)?\/\//);
});

test("a Host header other than the listening address is refused, token or not (DNS rebinding)", async () => {
  const s = await open([SAMPLE]);
  for (const host of ["evil.example", `evil.example:${s.port}`, `localhost:${s.port}`, `127.0.0.1:${s.port + 1}`, `127.0.0.1`]) {
    const r = await call(s, `/?token=${s.token}`, { host });
    assert.equal(r.status, 421, host);
  }
  // a page of another origin cannot post a query, even knowing the token
  const r = await api(s, "/api/run", { body: { query: "stats count(*)" }, headers: { Origin: "http://evil.example" } });
  assert.equal(r.status, 403);
});

test("every answer has a strict Content-Security-Policy; the page's allows its own script and a nonce for styles", async () => {
  const s = await open([SAMPLE]);
  const page = await call(s, `/?token=${s.token}`);
  const csp = String(page.headers["content-security-policy"]);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /connect-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe/);
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  assert.ok(nonce, csp);
  assert.ok(page.body.includes(`content="${nonce}"`));
  // a new nonce for each page
  const again = await call(s, `/?token=${s.token}`);
  assert.notEqual(/'nonce-([^']+)'/.exec(String(again.headers["content-security-policy"]))?.[1], nonce);
  for (const r of [await api(s, "/api/meta"), await call(s, "/"), await call(s, "/x", { host: "evil.example" })]) {
    assert.match(String(r.headers["content-security-policy"]), /default-src 'none'/);
    assert.equal(r.headers["x-content-type-options"], "nosniff");
  }
});

test("a query streams its rows, the rows the library API gives, then the summary", async () => {
  const s = await open([SAMPLE]);
  const q = 'filter eventName = "ConsoleLogin" | fields eventName, sourceIPAddress, userIdentity.arn | sort sourceIPAddress asc, eventTime asc';
  const got = await run(s, { query: q });
  assert.equal(got[0]!.t, "start");
  assert.deepEqual((got[0]!["columns"] as { name: string }[]).map((c) => c.name), ["eventName", "sourceIPAddress", "userIdentity.arn"]);
  const rows = got.filter((l) => l.t === "rows").flatMap((l) => l["rows"] as (string | null)[][]);
  const want = await queryRows(q, [SAMPLE]);
  assert.ok(want.rows.length > 10);
  assert.deepEqual(rows, want.rows.map((r) => [r["eventName"] ?? null, r["sourceIPAddress"] ?? null, r["userIdentity.arn"] ?? null]));
  const end = got[got.length - 1]!;
  assert.equal(end.t, "end");
  assert.equal(end["rows"], want.rows.length);
  assert.equal(end["interrupted"], false);
  assert.match(String(end["summary"]), new RegExp(`^[\\d,]+ events parsed in [\\d,]+ files.* · ${want.rows.length} rows · `));
});

test("a result of many rows comes in batches, as the scan goes", async () => {
  const s = await open([SAMPLE]);
  const got = await run(s, { query: "fields eventID" });
  const batches = got.filter((l) => l.t === "rows");
  assert.ok(batches.length >= 20000 / 500, `${batches.length} batches`);
  assert.equal(batches.reduce((n, l) => n + (l["rows"] as unknown[]).length, 0), 20000);
});

test("a query error comes back with its place, message and hint, as the parser reports it", async () => {
  const s = await open([SAMPLE]);
  const q = "filter eventName = 1 | stast count(*)";
  let want: QueryError | undefined;
  try {
    parseQuery(q);
  } catch (e) {
    want = e as QueryError;
  }
  assert.ok(want instanceof QueryError);
  const check = JSON.parse((await api(s, "/api/check", { body: { query: q } })).body) as { ok: boolean; error: Record<string, unknown> };
  assert.equal(check.ok, false);
  assert.deepEqual(check.error, { message: want.message, hint: want.hint, from: want.span.start, to: want.span.end });
  assert.equal(q.slice(check.error["from"] as number, check.error["to"] as number), "stast");
  // the checker's errors too (an unknown function), and a good query
  const fn = JSON.parse((await api(s, "/api/check", { body: { query: "stats cuont(*)" } })).body) as { ok: boolean; error: { message: string; from: number } };
  assert.equal(fn.ok, false);
  assert.match(fn.error.message, /cuont/);
  assert.equal(fn.error.from, 6);
  assert.deepEqual(JSON.parse((await api(s, "/api/check", { body: { query: "stats count(*) as n by eventSource" } })).body), { ok: true, columns: ["eventSource", "n"] });
  const ran = await run(s, { query: q });
  assert.deepEqual(ran, [{ t: "error", message: want.message, hint: want.hint, from: want.span.start, to: want.span.end }]);
  // a bad time range is an error too, never a stack trace
  const range = await run(s, { query: "stats count(*)", start: "yesterday-ish" });
  assert.equal(range[0]!.t, "error");
  assert.match(String(range[0]!["message"]), /not a time/);
});

test("the time range applies as --start/--end and --since do", async () => {
  const s = await open([SAMPLE]);
  const q = "stats count(*) as n";
  const count = (ls: Line[]): number => Number((ls.find((l) => l.t === "rows")!["rows"] as string[][])[0]![0]);
  const all = count(await run(s, { query: q }));
  const part = count(await run(s, { query: q, start: "2026-11-02T00:00:00Z", end: "2026-11-02T12:00:00Z" }));
  const want = await queryRows(q, [SAMPLE], { range: { start: Date.parse("2026-11-02T00:00:00Z"), end: Date.parse("2026-11-02T12:00:00Z") } });
  assert.equal(part, want.rows[0]!["n"]);
  assert.ok(part > 0 && part < all);
  // the sample trail is older than four weeks from now: nothing, and the end line says why
  const recent = await run(s, { query: q, since: "4w" });
  assert.equal(count(recent), 0);
});

test("cancel stops the scan: a run reading a pipe that never ends finishes, interrupted", async () => {
  const { path: fifo, writer } = endlessPipe([event(1), event(2)]);
  const s = await open([fifo]);
  const { seen, done } = streaming(s, "/api/run", { query: "stats count(*) as n by eventName" });
  await until(() => seen.some((l) => l.t === "start"), "the run starts");
  assert.equal(s.runs.active, 1);
  const id = String(seen[0]!["id"]);
  const c = JSON.parse((await api(s, "/api/cancel", { body: { id } })).body) as { cancelled: boolean };
  assert.equal(c.cancelled, true);
  await done;
  const end = seen[seen.length - 1]!;
  assert.equal(end.t, "end");
  assert.equal(end["interrupted"], true);
  assert.match(String(end["summary"]), /interrupted/);
  assert.equal(s.runs.active, 0);
  // cancelling it again finds nothing running
  assert.deepEqual(JSON.parse((await api(s, "/api/cancel", { body: { id } })).body), { cancelled: false });
  // its rows are partial: no export (it would run the whole query and write other rows)
  const exported = await call(s, `/api/export?run=${id}&format=csv&token=${s.token}`);
  assert.equal(exported.status, 409);
  assert.match(exported.body, /interrupted/);
  writer.destroy();
});

test("at most MAX_RUNNING runs go at once: one more is answered 429, and runs again once one ends", async () => {
  const { MAX_RUNNING } = await import("../../src/ui/lines.js");
  const { path: fifo, writer } = endlessPipe([event(1)]);
  const s = await open([fifo]);
  const going = Array.from({ length: MAX_RUNNING }, () => streaming(s, "/api/run", { query: "stats count(*) as n" }));
  await until(() => s.runs.active === MAX_RUNNING, "the runs start");
  const refused = await api(s, "/api/run", { body: { query: "stats count(*) as n" } });
  assert.equal(refused.status, 429);
  assert.match(refused.body, /runs are going: wait for one to end, or cancel one/);
  for (const g of going) await api(s, "/api/cancel", { body: { id: String(g.seen[0]!["id"]) } });
  await Promise.all(going.map((g) => g.done));
  assert.equal(s.runs.active, 0);
  writer.destroy();
});

test("the fast path of small files waits for a page that is behind: it leaves the files to the reader that waits", async () => {
  const { PacedReader, HIGH_WATER } = await import("../../src/ui/paced.js");
  const { Writable } = await import("node:stream");
  // a page that reads nothing: the write never completes
  const out = new Writable({ highWaterMark: 1, write: () => {} });
  const reader = new PacedReader([SAMPLE], { warn: () => {} }, out);
  const file = [...reader.files()][0]!;
  assert.ok(reader.readQuick({ kind: "file", file, shown: file.display }));
  out.write(Buffer.alloc(HIGH_WATER + 1));
  assert.equal(reader.readQuick({ kind: "file", file, shown: file.display }), undefined);
  out.destroy();
});

test("closing the response (the page's Cancel, a closed tab) stops the scan", async () => {
  const { path: fifo, writer } = endlessPipe([event(1)]);
  const s = await open([fifo]);
  await new Promise<void>((resolve) => {
    const r = request({ host: "127.0.0.1", port: s.port, path: "/api/run", method: "POST", headers: { Host: `127.0.0.1:${s.port}`, "X-Trailq-Token": s.token, "Content-Type": "application/json" } }, (res) => {
      res.once("data", () => {
        r.destroy();
        resolve();
      });
    });
    r.on("error", () => {});
    r.end(JSON.stringify({ query: "stats count(*)" }));
  });
  await until(() => s.runs.active === 0, "the run stops when its response closes");
  writer.destroy();
});

test("export: CSV through the CLI's writer, formulas made inert; JSON as --format json", async () => {
  const dir = trail([
    event(1, { eventName: "=HYPERLINK(\"http://evil.example\",\"x\")", userAgent: "+cmd|' /C calc'!A0" }),
    event(2, { eventName: "-2+3", userAgent: "@SUM(1)" }),
    event(3, { eventName: "Plain, \"quoted\"", userAgent: "a\nb" }),
  ]);
  const s = await open([dir]);
  const q = "fields eventName, userAgent | sort eventTime asc";
  const started = (await run(s, { query: q }))[0]!;
  const csv = await call(s, `/api/export?run=${started["id"]}&format=csv&token=${s.token}`);
  assert.equal(csv.status, 200);
  assert.match(String(csv.headers["content-disposition"]), /attachment; filename="trailq-results\.csv"/);
  assert.equal(csv.body, [
    "eventName,userAgent",
    `"'=HYPERLINK(""http://evil.example"",""x"")",'+cmd|' /C calc'!A0`,
    "'-2+3,'@SUM(1)",
    `"Plain, ""quoted""","a\nb"`,
    "",
  ].join("\r\n"));
  const json = await call(s, `/api/export?run=${started["id"]}&format=json&token=${s.token}`);
  assert.deepEqual(JSON.parse(json.body), (await queryRows(q, [dir])).rows);
  // an export needs the token, and a run that exists
  assert.equal((await call(s, `/api/export?run=${started["id"]}&format=csv`)).status, 403);
  assert.equal((await call(s, `/api/export?run=nope&format=csv&token=${s.token}`)).status, 404);
});

test("the Visualization tab's chart: a grouped result as an SVG image from the --chart code", async () => {
  const s = await open([SAMPLE]);
  const started = (await run(s, { query: "stats count(*) as calls by bin(6h)" }))[0]!;
  const r = await call(s, `/api/chart?run=${started["id"]}&type=bar&token=${s.token}`);
  assert.equal(r.status, 200);
  assert.equal(r.headers["content-type"], "image/svg+xml; charset=utf-8");
  assert.match(r.body, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(String(r.headers["content-security-policy"]), /default-src 'none'/);
  // an event query has no chart
  const events = (await run(s, { query: "fields eventName | limit 3" }))[0]!;
  assert.equal((await call(s, `/api/chart?run=${events["id"]}&type=bar&token=${s.token}`)).status, 404);
});

test("templates: listed with their parameters; one runs with a parameter, a bad value is an error", async () => {
  const s = await open([SAMPLE]);
  const list = JSON.parse((await api(s, "/api/templates")).body) as { id: string; params: { name: string; type: string }[] }[];
  assert.deepEqual(list.map((t) => t.id).sort(), [...loadLibrary().templates.keys()].sort());
  const t = list.find((x) => x.params.some((p) => p.type === "number") && !loadLibrary().templates.get(x.id)!.query.includes("@anchor"));
  assert.ok(t, "a template with a number parameter");
  const got = await run(s, { template: t.id, params: Object.fromEntries(t.params.map((p) => [p.name, p.type === "number" ? "5" : p.type === "duration" ? "1h" : "x"])) });
  assert.equal(got[0]!.t, "start");
  assert.equal(got[got.length - 1]!.t, "end");
  const bad = await run(s, { template: t.id, params: { [t.params.find((p) => p.type === "number")!.name]: "many" } });
  assert.equal(bad[0]!.t, "error");
  assert.match(String(bad[0]!["message"]), /must be a number/);
  // `.run ID name=value`, as at the prompt
  const dot = await run(s, { query: ".run no-such-template" });
  assert.deepEqual(dot, [{ t: "error", message: "no template no-such-template" }]);
});

test("history and saved queries: the prompt's files, shared", async () => {
  const s = await open([SAMPLE]);
  await run(s, { query: "stats count(*) by eventSource" });
  await run(s, { query: "fields eventName | limit 1" });
  const file = join(process.env["XDG_STATE_HOME"]!, "trailq", "history");
  assert.deepEqual(readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as string), ["stats count(*) by eventSource", "fields eventName | limit 1"]);
  const h = JSON.parse((await api(s, "/api/history")).body) as { history: string[]; saved: unknown[] };
  assert.deepEqual(h.history, ["fields eventName | limit 1", "stats count(*) by eventSource"]);
  const saved = JSON.parse((await api(s, "/api/saved", { body: { name: "by source", query: "stats count(*) by eventSource" } })).body) as { saved: unknown[] };
  assert.deepEqual(saved.saved, [{ name: "by source", query: "stats count(*) by eventSource" }]);
  assert.match(readFileSync(join(process.env["XDG_CONFIG_HOME"]!, "trailq", "saved-queries"), "utf8"), /"name":"by source"/);
});

test("meta: commands and functions from the registries, fields found in the inputs, template ids", async () => {
  const s = await open([SAMPLE]);
  let m: { commands: string[]; functions: { name: string; signature: string }[]; fields: { name: string }[]; templates: string[] } = { commands: [], functions: [], fields: [], templates: [] };
  await (async () => {
    for (let i = 0; i < 500 && m.fields.length === 0; i++) {
      m = JSON.parse((await api(s, "/api/meta")).body) as typeof m;
      if (m.fields.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
  })();
  assert.ok(m.commands.includes("stats") && m.commands.includes("filter"));
  assert.ok(m.functions.some((f) => f.name === "strlen" && /strlen\(/.test(f.signature)));
  assert.ok(m.fields.some((f) => f.name === "userIdentity.arn"));
  assert.ok(m.templates.includes("cis-root-account-usage"));
});

test("request bodies are checked: not JSON, too large, the wrong type", async () => {
  const s = await open([SAMPLE]);
  assert.equal((await api(s, "/api/check", { body: { query: 3 } })).status, 400);
  assert.equal((await api(s, "/api/check", { method: "POST", headers: { "Content-Type": "text/plain" } })).status, 415);
  assert.equal((await api(s, "/api/check", { body: { query: "x".repeat(1_100_000) } })).status, 413);
  assert.equal((await api(s, "/api/nothing")).status, 404);
});

test("trailq ui: prints its address with a token, serves, and Ctrl-C stops it cleanly (its options taken, --keep-duplicates among them)", async () => {
  const state = tempDir("ui-cli");
  const p = spawn(join(ROOT, "bin", "trailq"), ["ui", "--no-open", "--keep-duplicates", SAMPLE], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, XDG_STATE_HOME: state, XDG_CONFIG_HOME: state } });
  let out = "";
  let err = "";
  p.stdout.on("data", (c: Buffer) => (out += c.toString()));
  p.stderr.on("data", (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => p.on("exit", (code) => resolve(code)));
  await until(() => /\n/.test(out), "the address is printed");
  const m = /^trailq ui: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{32}))\n$/.exec(out);
  assert.ok(m, out);
  const r = await fetch(m[1]!);
  assert.equal(r.status, 200);
  assert.equal((await fetch(`http://127.0.0.1:${m[2]}/`)).status, 403);
  p.kill("SIGINT");
  assert.equal(await exited, 0);
  assert.match(err, /the console is stopped/);
  assert.doesNotMatch(err, /at .*\.(m?js|ts):\d+/);
});

test("trailq ui: a port in use is a message, not a stack trace", async () => {
  const s = await open([SAMPLE]);
  const r = spawnSync(join(ROOT, "bin", "trailq"), ["ui", "--no-open", "--port", String(s.port), SAMPLE], { cwd: ROOT, encoding: "utf8" });
  assert.equal(r.status, 3);
  assert.match(r.stderr, new RegExp(`port ${s.port} is in use`));
  assert.doesNotMatch(r.stderr, /at .*:\d+:\d+/);
});

test("a query saved in the console is listed and run at the prompt (.saved)", async () => {
  const s = await open([SAMPLE]);
  const env = { ...process.env, XDG_STATE_HOME: process.env["XDG_STATE_HOME"]!, XDG_CONFIG_HOME: process.env["XDG_CONFIG_HOME"]! };
  await api(s, "/api/saved", { body: { name: "kms", query: 'filter eventSource = "kms.amazonaws.com" | stats count(*) as calls' } });
  const listed = spawnSync(join(ROOT, "bin", "trailq"), ["repl", SAMPLE], { cwd: ROOT, input: ".saved\n.saved kms\n", encoding: "utf8", env });
  assert.equal(listed.status, 0, listed.stderr);
  assert.match(listed.stdout, /kms +filter eventSource = "kms\.amazonaws\.com" \| stats count\(\*\) as calls\r?\n/);
  const want = await queryRows('filter eventSource = "kms.amazonaws.com" | stats count(*) as calls', [SAMPLE]);
  assert.match(listed.stdout, new RegExp(`\\b${want.rows[0]!["calls"]}\\b`));
});

test("a query saved at the prompt (.save) is listed by the console", { skip: !hasTmux && "tmux is not installed" }, async () => {
  const s = await open([SAMPLE]);
  const t = terminal(`cd ${ROOT} && XDG_STATE_HOME=${process.env["XDG_STATE_HOME"]} XDG_CONFIG_HOME=${process.env["XDG_CONFIG_HOME"]} NO_COLOR=1 ./bin/trailq repl ${SAMPLE}`, 150, 40, { history: 0, tries: 400 });
  try {
    await t.until(/^trailq>\s*$/m, "the prompt");
    t.keys("stats count(*) as n", "Enter");
    await t.until(/\(1 row/, "the result");
    t.keys(".save everything", "Enter");
    await t.until(/saved as everything/, "the query saved");
    const h = JSON.parse((await api(s, "/api/history")).body) as { saved: unknown[]; history: string[] };
    assert.deepEqual(h.saved, [{ name: "everything", query: "stats count(*) as n" }]);
    // and the prompt's history is the console's
    assert.equal(h.history[0], "stats count(*) as n");
  } finally {
    t.close();
  }
});

/** A run's last histogram line (a run counting its own rows sends one with its progress). */
function histogramOf(ls: Line[]): { from: number; width: number; counts: number[]; total: number; complete: boolean } | undefined {
  return ls.filter((l) => l.t === "histogram").at(-1) as never;
}

/** The count of a query's events per bar of this width, as `stats ... by bin(width)` gives them. */

async function countsByBar(filter: string, width: number): Promise<Map<number, number>> {
  const per = await queryRows(`${filter} | stats count(*) as n by bin(${width / 60_000}m)`, [SAMPLE]);
  return new Map(per.rows.map((r) => [Date.parse(String(r[`bin(${width / 60_000}m)`]).replace(" ", "T") + "Z"), Number(r["n"])]));
}

test("the histogram counts every event the query matched, not the rows a limit keeps: bar by bar as stats by bin gives them", async () => {
  const s = await open([SAMPLE]);
  const filter = 'filter eventName = "AssumeRole"';
  const all = Number((await queryRows(`${filter} | stats count(*) as n`, [SAMPLE])).rows[0]!["n"]);
  assert.ok(all > 100, `${all} AssumeRole events`);
  const got = await run(s, { query: `${filter} | limit 5` });
  assert.equal(got.filter((l) => l.t === "rows").flatMap((l) => l["rows"] as unknown[]).length, 5);
  // the rows came first, then the count: a scan of its own
  assert.ok(got.findIndex((l) => l.t === "counting") > got.findLastIndex((l) => l.t === "rows"));
  const h = histogramOf(got)!;
  assert.equal(h.total, all);
  assert.equal(h.complete, true);
  assert.equal(h.counts.reduce((a, b) => a + b, 0), all);
  assert.ok(h.counts.length <= 60 && h.counts.length > 10, `${h.counts.length} bars`);
  const want = await countsByBar(filter, h.width);
  h.counts.forEach((n, i) => assert.equal(n, want.get(h.from + i * h.width) ?? 0, `bar ${i}`));
  // sort and dedup choose among the matching events too
  for (const q of [`${filter} | sort sourceIPAddress asc | limit 3`, `${filter} | dedup sourceIPAddress`]) assert.equal(histogramOf(await run(s, { query: q }))!.total, all, q);
});

test("the histogram of a query that keeps every event is counted from its rows as they stream; a stats query has none", async () => {
  const s = await open([SAMPLE]);
  const got = await run(s, { query: 'filter eventName = "AssumeRole"' });
  const rows = got.filter((l) => l.t === "rows").flatMap((l) => l["rows"] as unknown[]).length;
  assert.equal(got.some((l) => l.t === "counting"), false);
  assert.equal(histogramOf(got)!.total, rows);
  // without @timestamp among the columns, the count is a scan of its own
  const fields = await run(s, { query: 'filter eventName = "AssumeRole" | fields eventID' });
  assert.ok(fields.some((l) => l.t === "counting"));
  assert.equal(histogramOf(fields)!.total, rows);
  for (const q of ["stats count(*) by eventSource", 'filter eventName = "AssumeRole" | stats count(*) by bin(1h)', "pattern eventName"]) {
    assert.equal(histogramOf(await run(s, { query: q })), undefined, q);
  }
});

const DETECT_EVENTS = join(ROOT, "fixtures", "detect", "events.jsonl");
const DETECT_RULES = join(ROOT, "fixtures", "detect", "rules");

/** The findings `trailq detect` makes of these inputs (bundled templates and these rules), as the console's cells. */
async function findingCells(inputs: string[], rules: string[], range = {}): Promise<(string | null)[][]> {
  const d = prepareDetection({ rules, bundled: true, now: Date.now() });
  const r = await d.detector.run(inputs, { range, warn: () => {} });
  return r.findings.map((f) => findingValues(f, true).map((v, i) => renderText(v, JSON_COLUMNS[i]!.type) ?? null));
}

const byText = (a: unknown, b: unknown): number => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);

test("detect: the findings of trailq detect over the console's inputs and --rules, streamed, then its summary", async () => {
  const s = await open([DETECT_EVENTS], [DETECT_RULES]);
  const lines = await run(s, {}, "/api/detect");
  const start = lines[0]!;
  assert.equal(start.t, "start");
  assert.deepEqual((start["columns"] as { name: string }[]).map((c) => c.name), JSON_COLUMNS.map((c) => c.name));
  assert.deepEqual((start["shown"] as number[]).map((i) => JSON_COLUMNS[i]!.name), TABLE_COLUMNS.map((c) => c.name));
  assert.deepEqual(start["levels"], ["informational", "low", "medium", "high", "critical"]);
  const rows = lines.filter((l) => l.t === "rows").flatMap((l) => l["rows"] as (string | null)[][]);
  const want = await findingCells([DETECT_EVENTS], [DETECT_RULES]);
  assert.ok(want.length >= 18, `${want.length} findings`);
  assert.deepEqual([...rows].sort(byText), [...want].sort(byText));
  const end = lines[lines.length - 1]!;
  assert.equal(end.t, "end");
  assert.equal(end["rows"], want.length);
  assert.equal(end["interrupted"], false);
  const report = end["report"] as { findings: number; levels: Record<string, number>; authors: string[]; eventsWithFinding: number; events: number };
  assert.equal(report.findings, want.length);
  assert.ok(report.authors.includes("trailq team (fixture)"));
  const text = end["lines"] as string[];
  assert.match(text[0]!, new RegExp(`^${report.eventsWithFinding} of ${report.events} events with a finding .* · ${want.length} findings · `));
  assert.equal(end["summary"], text[0]);
  assert.ok(text.includes("rule authors: " + report.authors.join("; ")));
  assert.ok(text.some((l) => /^rules that fired most:$/.test(l)));
  assert.ok(text.some((l) => /not_run_windows\.yml: A Windows process rule: logsource windows\/process_creation is not aws\/cloudtrail/.test(l)));
  // the time range, as --start/--end
  const range = { start: "2024-05-01T10:45:00Z", end: "2024-05-01T10:55:00Z" };
  const part = (await run(s, range, "/api/detect")).filter((l) => l.t === "rows").flatMap((l) => l["rows"] as unknown[]);
  const wantPart = await findingCells([DETECT_EVENTS], [DETECT_RULES], { start: Date.parse(range.start), end: Date.parse(range.end) });
  assert.ok(wantPart.length > 0 && wantPart.length < want.length);
  assert.deepEqual([...part].sort(byText), [...wantPart].sort(byText));
});

test("detect: a rule that cannot run is a warning naming its file and rule; the others run", async () => {
  const s = await open([DETECT_EVENTS], [join(ROOT, "fixtures", "detect", "bad-rules")]);
  const end = (await run(s, {}, "/api/detect")).at(-1)!;
  assert.equal(end.t, "end");
  assert.ok((end["warnings"] as string[]).some((w) => /bad-rules\/no_condition\.yml: A rule without a condition: detection\.condition: .* \(not run\)$/.test(w)), String(end["warnings"]));
  assert.ok((end["report"] as { findings: number }).findings > 0);
});

test("a finding's event: read from the file its @ptr names, among the inputs' files only", async () => {
  const s = await open([DETECT_EVENTS], [DETECT_RULES]);
  const get = (q: string): Promise<{ status: number; body: string }> => api(s, `/api/event?${q}`);
  const found = await get(`ptr=${encodeURIComponent("events.jsonl#3")}&eventID=d-4`);
  assert.equal(found.status, 200);
  const want = readFileSync(DETECT_EVENTS, "utf8").split("\n")[3]!;
  assert.deepEqual(JSON.parse(found.body), { event: JSON.parse(want) });
  // another record's id, a file the inputs do not hold, a ptr that is not one
  assert.equal((await get(`ptr=${encodeURIComponent("events.jsonl#3")}&eventID=d-5`)).status, 404);
  assert.equal((await get(`ptr=${encodeURIComponent("../../../etc/passwd#0")}`)).status, 404);
  assert.equal((await get(`ptr=${encodeURIComponent("events.jsonl#99")}`)).status, 404);
  assert.equal((await get("ptr=events.jsonl")).status, 400);
  assert.equal((await call(s, `/api/event?ptr=${encodeURIComponent("events.jsonl#3")}`)).status, 403);
});

test("detect: cancel stops it (a pipe that never ends); a detection has no export", async () => {
  const { path: fifo, writer } = endlessPipe([event(1), event(2)]);
  const s = await open([fifo]);
  const { seen, done } = streaming(s, "/api/detect", {});
  await until(() => seen.some((l) => l.t === "start"), "the detection starts");
  const id = String(seen[0]!["id"]);
  assert.equal(JSON.parse((await api(s, "/api/cancel", { body: { id } })).body).cancelled, true);
  await done;
  const end = seen[seen.length - 1]!;
  assert.equal(end.t, "end");
  assert.equal(end["interrupted"], true);
  assert.match(String(end["summary"]), / · interrupted$/);
  assert.equal(s.runs.active, 0);
  assert.equal((await call(s, `/api/export?run=${id}&format=csv&token=${s.token}`)).status, 404);
  writer.destroy();
});

test("trailq ui --rules: a path that does not exist is an error before the server starts", () => {
  const r = spawnSync(join(ROOT, "bin", "trailq"), ["ui", "--no-open", "--rules", "no/such/rules", SAMPLE], { cwd: ROOT, encoding: "utf8" });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^trailq: --rules no\/such\/rules: no such file or folder\n$/);
  assert.equal(r.stdout, "");
});

test("trailq ui --keep-duplicates keeps every copy of an event, as its summary says it would", async () => {
  const { startServer } = await import("../../src/ui/server.js");
  const dir = tempDir("ui-copies");
  const event = (i: number): string => `{"eventTime":"2026-11-01T00:00:0${i}Z","eventName":"A","eventSource":"s","eventID":"id-${i}"}`;
  writeFileSync(join(dir, "a.jsonl"), [0, 1, 2].map(event).join("\n") + "\n");
  writeFileSync(join(dir, "b.jsonl"), [1, 2].map(event).join("\n") + "\n");
  const count = async (keepDuplicates: boolean): Promise<[number, string]> => {
    const s = await startServer({ inputs: [dir], port: 0, keepDuplicates });
    try {
      const ls = await run(s, { query: "stats count(*) as n" });
      const n = Number((ls.find((l) => l.t === "rows")!["rows"] as string[][])[0]![0]);
      return [n, String(ls.find((l) => l.t === "end")!["summary"])];
    } finally {
      await s.close();
    }
  };
  const [skipped, said] = await count(false);
  assert.equal(skipped, 3);
  assert.match(said, /2 duplicate events skipped \(same eventID; --keep-duplicates keeps them\)/);
  assert.equal((await count(true))[0], 5);
});

test("the console's answers write a lone surrogate of the data as U+FFFD and C1 and bidi controls as \\u escapes, as the CLI's JSON does", async () => {
  const dir = tempDir("ui-surrogate");
  writeFileSync(join(dir, "t.jsonl"), '{"eventTime":"2026-11-01T00:00:00Z","eventName":"A","eventSource":"s","eventID":"x","errorMessage":"a\\ud800b","requestParameters":{"k\\ud800\\u009b":"\\u202ev"}}\n');
  const s = await server([dir]);
  try {
    const r = await api(s, "/api/run", { body: { query: "fields errorMessage" } });
    assert.ok(!r.body.includes("\\ud800"), r.body);
    const rows = lines(r.body).filter((l) => l.t === "rows").flatMap((l) => l["rows"] as string[][]);
    assert.deepEqual(rows.map((row) => row[0]), ["a\ufffdb"]);
    // the whole event (a finding's), read again from its file, and the fields found in the inputs
    const event = await api(s, `/api/event?ptr=${encodeURIComponent("t.jsonl#0")}`);
    assert.equal(event.status, 200);
    assert.equal(event.body, '{"event":{"eventTime":"2026-11-01T00:00:00Z","eventName":"A","eventSource":"s","eventID":"x","errorMessage":"a\ufffdb","requestParameters":{"k\ufffd\\u009b":"\\u202ev"}}}');
    let meta = "";
    for (let i = 0; i < 500 && !meta.includes("requestParameters.k"); i++) {
      meta = (await api(s, "/api/meta")).body;
      if (!meta.includes("requestParameters.k")) await new Promise((done) => setTimeout(done, 20));
    }
    assert.ok(meta.includes('"requestParameters.k\ufffd\\u009b"'), meta);
    assert.ok(!/\\ud800|[\u0080-\u009f\u202e]/.test(meta), meta);
  } finally {
    await s.close();
  }
});
