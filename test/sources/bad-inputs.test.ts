// Bad input never sinks the run: one warning per problem naming the file, every good event kept,
// the next file read. Never a throw, never a hang.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { Reader } from "../../src/sources/index.js";
import { BAD, GOOD, ROOT, batchInvariants, id, readAll } from "./helpers.js";
import { tempDir } from "../temp.js";

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** What the bad fixtures give: [display, index, eventID] of the events kept. */
const BAD_EVENTS: [string, number, string][] = [
  // An eventTime that is not a time is the engine's to warn about: the reader keeps the event.
  ["bad-event-time.json", 0, id(30)],
  ["bad-event-time.json", 1, id(31)],
  ["bad-event-time.json", 2, id(32)],
  ["broken-line.jsonl", 0, id(19)],
  ["broken-line.jsonl", 1, id(20)],
  ["broken-line.jsonl", 3, id(22)], // line 3 is broken: its index is left unused
  ["non-object-record.json", 0, id(26)],
  ["non-object-record.json", 2, id(28)],
  ["truncated.json", 0, id(23)],
  ["truncated.json", 1, id(24)],
  // A gzip cut at 60%: the complete records decoded before the break.
  ...range(100, 110).map((n, i): [string, number, string] => ["truncated.json.gz", i, id(n)]),
];

/**
 * One warning per bad file found in the folder: [file, pattern]. binary.dat and notes.txt are not
 * among them: in a folder, a file whose name and first bytes are neither JSON nor compressed is
 * ignored, counted but not warned about (NAMED_WARNINGS: named as inputs, they are read and warned about).
 */
const BAD_WARNINGS: [string, RegExp][] = [
  ["broken-line.jsonl", /line 3: bad JSON .*line skipped/],
  ["corrupt.json.gz", /corrupt gzip/],
  ["non-object-record.json", /: 1 item in Records is not an event \(number\): skipped$/],
  ["not-cloudtrail-array.json", /not CloudTrail/],
  ["not-cloudtrail.json", /not CloudTrail/],
  ["records-not-array.json", /not CloudTrail: "Records" is a string, not an array/],
  ["truncated.json", /truncated JSON: the data ends inside record 3/],
  ["truncated.json.gz", /gzip data ends early .*kept the 11 complete records before the break/],
];

/** The bad files a folder walk ignores, named as inputs: one warning each. */
const NAMED_WARNINGS: [string, RegExp][] = [
  ["binary.dat", /binary content/],
  ["notes.txt", /not JSON \(starts with "These are not ev…"\)/],
];

const where = (got: Awaited<ReturnType<typeof readAll>>): [string, number, unknown][] => got.events.map((e) => [e.display, e.index, e.id]);

function checkBadWarnings(warnings: string[], prefix: string): void {
  assert.equal(warnings.length, BAD_WARNINGS.length, warnings.join("\n"));
  BAD_WARNINGS.forEach(([file, re], i) => {
    assert.ok(warnings[i]!.startsWith(`${join(prefix, file)}: `), `${warnings[i]} names ${file}`);
    assert.match(warnings[i]!, re);
  });
}

test("each bad file: one warning naming it, its good events kept, the run goes on", async () => {
  const got = await readAll([BAD]);
  assert.deepEqual(where(got), BAD_EVENTS);
  checkBadWarnings(got.warnings, BAD);
  assert.equal(batchInvariants(got.batches), undefined);
  assert.equal(got.stats.eventsRead, BAD_EVENTS.length);
  assert.equal(got.stats.filesRead, 5); // the partly bad ones, and bad-event-time.json
  assert.equal(got.stats.filesSkipped, 4);
  assert.equal(got.stats.filesIgnored, 2); // binary.dat, notes.txt
  assert.equal(got.stats.filesEmpty, 1); // empty.json: no warning, no skipped entry
  assert.deepEqual(
    got.stats.skipped.map((s) => [s.file.slice(BAD.length + 1), s.reason]),
    [
      ["broken-line.jsonl", "bad JSON line"],
      ["corrupt.json.gz", "corrupt gzip"],
      ["non-object-record.json", "not an event"],
      ["not-cloudtrail-array.json", "not CloudTrail"],
      ["not-cloudtrail.json", "not CloudTrail"],
      ["records-not-array.json", "not CloudTrail"],
      ["truncated.json", "truncated JSON"],
      ["truncated.json.gz", "truncated gzip"],
    ],
  );
});

test("a file named as an input is read whatever its name, and warned about when bad; in a folder it is ignored", async () => {
  const named = await readAll(NAMED_WARNINGS.map(([f]) => join(BAD, f)));
  assert.equal(named.warnings.length, NAMED_WARNINGS.length, named.warnings.join("\n"));
  NAMED_WARNINGS.forEach(([file, re], i) => {
    assert.ok(named.warnings[i]!.startsWith(`${join(BAD, file)}: `), named.warnings[i]);
    assert.match(named.warnings[i]!, re);
  });
  assert.deepEqual(named.stats.skipped.map((s) => s.reason), ["binary file", "not JSON"]);
  assert.equal(named.stats.filesIgnored, 0);
  // the folder and the file in it: read as named, and counted there only (the folder's other one is ignored)
  const both = await readAll([BAD, join(BAD, "notes.txt")]);
  assert.equal(both.stats.filesIgnored, 1);
  assert.match(both.warnings.at(-1)!, /notes\.txt: not JSON/);
});

test("in a folder, JSON and compressed content is read whatever the name; other files are counted as ignored", async () => {
  const dir = tempDir("names");
  const event = readFileSync(join(GOOD, "single-line-event.json"));
  writeFileSync(join(dir, "no-extension"), event); // JSON content, no extension: read
  writeFileSync(join(dir, "events.log"), Buffer.concat([Buffer.from("\n  "), event])); // JSON after blank space: read
  writeFileSync(join(dir, "a.json.xz"), Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2, 3])); // compressed: read, and said unsupported
  writeFileSync(join(dir, "README.md"), "# Notes\n\n{ not an event }\n");
  writeFileSync(join(dir, "LICENSE"), "MIT License\n");
  writeFileSync(join(dir, "data.csv"), "eventName,eventTime\nA,2024-01-01\n");
  writeFileSync(join(dir, "logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
  writeFileSync(join(dir, "empty"), "");
  writeFileSync(join(dir, "bad.json"), "not JSON at all\n"); // named .json: read, and warned about
  const got = await readAll([dir]);
  assert.deepEqual(got.events.map((e) => e.display).sort(), ["events.log", "no-extension"]);
  assert.equal(got.stats.filesIgnored, 5); // README.md, LICENSE, data.csv, logo.png, empty
  assert.deepEqual(got.warnings.map((w) => w.slice(dir.length + 1).replace(/:.*/, "")), ["a.json.xz", "bad.json"]);
  assert.deepEqual(got.stats.skipped.map((s) => s.reason), ["unsupported compression", "not JSON"]);
  // a file the folder ignores that is also named as an input is read there, and counted there only
  for (const inputs of [[dir, join(dir, "README.md")], [join(dir, "README.md"), dir]]) {
    const named = await readAll(inputs);
    assert.equal(named.stats.filesIgnored, 4, inputs.join(" "));
    assert.deepEqual(named.stats.skipped.map((s) => s.reason).sort(), ["not JSON", "not JSON", "unsupported compression"], inputs.join(" "));
  }
});

test("the outcome of a bad file does not depend on whether it was parsed whole or streamed", async () => {
  const whole = await readAll([BAD]);
  const streamed = await readAll([BAD], { wholeParseLimit: 0 });
  assert.deepEqual(where(streamed), where(whole));
  assert.equal(streamed.warnings.length, whole.warnings.length);
  streamed.warnings.forEach((w, i) => assert.equal(w.split(":")[0], whole.warnings[i]!.split(":")[0]));
});

test("a folder mixing good and bad files: the exact good-event count, one warning per bad file", async () => {
  const dir = tempDir("mixed");
  cpSync(GOOD, dir, { recursive: true });
  cpSync(BAD, dir, { recursive: true });
  const got = await readAll([dir]);
  assert.equal(got.events.length, 18 + BAD_EVENTS.length);
  assert.equal(got.stats.eventsRead, 18 + BAD_EVENTS.length);
  checkBadWarnings(got.warnings, dir);
  assert.equal(got.stats.filesRead, 8 + 5);
  assert.equal(got.stats.filesSkipped, 4);
  assert.equal(got.stats.filesIgnored, 2);
  assert.equal(got.stats.filesEmpty, 1);
});

test("more bad lines than warnings allowed: the first ten, then a count; the summary's problems count all thirty", async () => {
  const dir = tempDir("many");
  const good = readFileSync(join(GOOD, "single-line-event.json"), "utf8").trim();
  const lines = [good, ...Array.from({ length: 30 }, (_, i) => `{"eventTime": "2024-01-01T00:00:${i}Z", oops}`), good];
  writeFileSync(join(dir, "many.jsonl"), lines.join("\n"));
  const got = await readAll([join(dir, "many.jsonl")]);
  assert.deepEqual(got.events.map((e) => e.index), [0, 31]);
  assert.equal(got.warnings.length, 11);
  assert.match(got.warnings[0]!, /many\.jsonl: line 2: bad JSON/);
  assert.match(got.warnings[10]!, /many\.jsonl: 20 more problems not shown/);
  // the ten warned one by one, then the twenty not shown, counted under their reason
  assert.equal(got.stats.skipped.length, 11);
  assert.deepEqual(got.stats.skipped[10], { file: join(dir, "many.jsonl"), reason: "bad JSON line", count: 20 });
  assert.equal(got.stats.skipped.reduce((n, s) => n + (s.count ?? 1), 0), 30);
});

test("a last line cut short (no newline, JSON.parse reached its end) is a truncated line; a whole bad last line is bad JSON", async () => {
  const dir = tempDir("cut-line");
  const good = readFileSync(join(GOOD, "single-line-event.json"), "utf8").trim();
  writeFileSync(join(dir, "cut.jsonl"), `${good}\n${good.slice(0, 40)}`);
  writeFileSync(join(dir, "bad.jsonl"), `${good}\n{ not json }`);
  const got = await readAll([join(dir, "bad.jsonl"), join(dir, "cut.jsonl")]);
  assert.equal(got.events.length, 2);
  assert.deepEqual(got.warnings.map((w) => w.slice(dir.length + 1)), [
    "bad.jsonl: line 2: bad JSON (Expected property name or '}' in JSON at position 2): line skipped",
    "cut.jsonl: line 2: truncated JSON: the data ends inside this line: line skipped",
  ]);
  assert.deepEqual(got.stats.skipped.map((s) => s.reason), ["bad JSON line", "truncated JSON line"]);
});

test("a missing path, an unsupported compression, a Records document cut inside its array", async () => {
  const dir = tempDir("misc");
  writeFileSync(join(dir, "a.json.xz"), Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2, 3]));
  writeFileSync(join(dir, "b.json"), '{"Records":[{"eventTime":"2024-01-01T00:00:00Z","eventName":"A"},{"eventTime":"2024-01-01T00:00:01Z"');
  writeFileSync(join(dir, "c.json"), '{"Records":[{"eventTime":"2024-01-01T00:00:00Z","eventName":"A"},,]}');
  const missing = join(dir, "nope.json");
  const got = await readAll([missing, dir]);
  assert.equal(got.warnings.length, 4, got.warnings.join("\n"));
  assert.match(got.warnings[0]!, /nope\.json: no such file or folder/);
  assert.match(got.warnings[1]!, /a\.json\.xz: xz-compressed: not supported/);
  assert.match(got.warnings[2]!, /b\.json: truncated JSON: the data ends inside record 2/);
  assert.match(got.warnings[3]!, /c\.json: bad JSON at byte \d+ \(record 2\): an empty element in an array/);
  assert.deepEqual(where(got), [
    ["b.json", 0, undefined],
    ["c.json", 0, undefined],
  ]);
  assert.deepEqual(
    got.stats.skipped.map((s) => s.reason),
    ["not found", "unsupported compression", "truncated JSON", "bad JSON"],
  );
});

test("symlink loops: reported once each, never followed forever", async () => {
  const dir = tempDir("loop");
  mkdirSync(join(dir, "logs", "deep"), { recursive: true });
  writeFileSync(join(dir, "logs", "deep", "e.json"), readFileSync(join(GOOD, "single-event.json")));
  symlinkSync("..", join(dir, "logs", "deep", "up")); // back to an ancestor
  symlinkSync("self", join(dir, "logs", "self")); // points at itself: ELOOP
  symlinkSync(join(dir, "logs", "deep"), join(dir, "logs", "zz-again")); // the same folder again: not a loop
  const got = await readAll([join(dir, "logs")]);
  assert.deepEqual(where(got), [["deep/e.json", 0, id(12)]]);
  assert.equal(got.warnings.length, 2, got.warnings.join("\n"));
  assert.match(got.warnings[0]!, /deep\/up: symlink loop/);
  assert.match(got.warnings[1]!, /logs\/self: symlink loop/);
  assert.deepEqual(got.stats.skipped.map((s) => s.reason), ["symlink loop", "symlink loop"]);
});

test("an unreadable file and an unreadable folder are skipped with a warning", async (t) => {
  const dir = tempDir("perm");
  writeFileSync(join(dir, "a-good.json"), readFileSync(join(GOOD, "records.json")));
  writeFileSync(join(dir, "b-locked.json"), readFileSync(join(GOOD, "records.json")));
  mkdirSync(join(dir, "c-locked-folder"));
  writeFileSync(join(dir, "c-locked-folder", "x.json"), readFileSync(join(GOOD, "records.json")));
  chmodSync(join(dir, "b-locked.json"), 0o000);
  chmodSync(join(dir, "c-locked-folder"), 0o000);
  chmodSync(dir, 0o755);
  t.after(() => {
    chmodSync(join(dir, "b-locked.json"), 0o644);
    chmodSync(join(dir, "c-locked-folder"), 0o755);
  });
  let result: { warnings: string[]; events: number; skipped: string[] };
  if (process.getuid?.() !== 0) {
    const got = await readAll([dir]);
    result = { warnings: got.warnings, events: got.events.length, skipped: got.stats.skipped.map((s) => s.reason) };
  } else {
    // root reads everything: run the reader as nobody.
    const script = `
      import { Reader } from ${JSON.stringify(join(ROOT, "dist", "src", "sources", "index.js"))};
      const warnings = [];
      const r = new Reader([${JSON.stringify(dir)}], { warn: (m) => warnings.push(m) });
      let events = 0;
      for await (const b of r.batches()) events += b.events.length;
      console.log(JSON.stringify({ warnings, events, skipped: r.stats.skipped.map((s) => s.reason) }));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { uid: 65534, gid: 65534, encoding: "utf8" });
    if (r.error || r.status !== 0) {
      t.skip(`can't run as an unprivileged user here: ${r.error?.message ?? r.stderr}`);
      return;
    }
    result = JSON.parse(r.stdout);
  }
  assert.equal(result.events, 2);
  assert.equal(result.warnings.length, 2, result.warnings.join("\n"));
  assert.match(result.warnings[0]!, /b-locked\.json: permission denied/);
  assert.match(result.warnings[1]!, /c-locked-folder: permission denied: folder skipped/);
  assert.deepEqual(result.skipped, ["unreadable", "unreadable"]);
});

test("aborting stops the reading cleanly, even while stdin is waiting for data", async () => {
  const ctl = new AbortController();
  const stdin = new PassThrough();
  const good = readFileSync(join(GOOD, "single-line-event.json"), "utf8");
  stdin.write(good.repeat(3000)); // then nothing more, and never an end
  const warnings: string[] = [];
  const reader = new Reader(["-", GOOD], { warn: (m) => warnings.push(m), stdin, signal: ctl.signal });
  let events = 0;
  const files = new Set<string>();
  for await (const b of reader.batches()) {
    events += b.events.length;
    files.add(b.file.display);
    setTimeout(() => ctl.abort(), 20); // abort while the reader waits on stdin
  }
  assert.ok(events >= 2000 && events <= 3000, `${events}`);
  assert.deepEqual([...files], ["-"]);
  assert.deepEqual(warnings, []);
});

test("a reader over a stream that errors reports it and goes on", async () => {
  const failing = new Readable({
    read() {
      this.destroy(Object.assign(new Error("device gone"), { code: "EIO" }));
    },
  });
  const got = await readAll(["-", join(GOOD, "records.json")], { stdin: failing });
  assert.equal(got.warnings.length, 1);
  assert.match(got.warnings[0]!, /^-: /);
  assert.deepEqual(got.events.map((e) => e.id), [id(4), id(5)]);
});

test("gzip with something after its data: garbage warned about, zero padding quiet, standard input (not read twice) a corrupt gzip", async () => {
  const dir = tempDir("gzip-tail");
  const doc = readFileSync(join(GOOD, "records.json"));
  writeFileSync(join(dir, "garbage.json.gz"), Buffer.concat([gzipSync(doc), Buffer.from("\u0001garbage")]));
  writeFileSync(join(dir, "padded.json.gz"), Buffer.concat([gzipSync(doc), Buffer.alloc(512)]));
  const got = await readAll([dir]);
  assert.deepEqual(where(got), [
    ["garbage.json.gz", 0, id(4)],
    ["garbage.json.gz", 1, id(5)],
    ["padded.json.gz", 0, id(4)],
    ["padded.json.gz", 1, id(5)],
  ]);
  assert.deepEqual(got.warnings, [`${join(dir, "garbage.json.gz")}: trailing garbage after the gzip data ignored`]);
  assert.deepEqual(got.stats.skipped.map((s) => s.reason), ["trailing garbage"]);
  const stdin = Readable.from([Buffer.concat([gzipSync(doc), Buffer.from("\u0001garbage")])]);
  const piped = await readAll(["-"], { stdin });
  assert.deepEqual(piped.warnings, ["-: corrupt gzip (incorrect header check)"]);
});

/** A CloudTrail-looking event numbered n. */
const hostileEvent = (n: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  eventTime: `2024-01-01T00:00:${String(n).padStart(2, "0")}Z`,
  eventName: "GetObject",
  eventSource: "s3.amazonaws.com",
  eventID: `h-${n}`,
  ...extra,
});

test("hostile files: the fast path (whole or projected) and the careful reader give the same events and warnings", async () => {
  const dir = tempDir("hostile-paths");
  const doc = (...items: unknown[]): string => JSON.stringify({ Records: items });
  const deep = "[".repeat(3000) + "]".repeat(3000);
  writeFileSync(join(dir, "a-deep.json"), `{"Records":[${JSON.stringify(hostileEvent(1))},${JSON.stringify(hostileEvent(2)).slice(0, -1)},"x":{"y":${deep}}}]}`);
  writeFileSync(join(dir, "b-items.json"), doc(hostileEvent(3), null, {}, 5, { nope: 1 }, hostileEvent(4)));
  writeFileSync(join(dir, "c-utf16.json"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc(hostileEvent(5), hostileEvent(6, { userAgent: "ü😀" })), "utf16le")]));
  writeFileSync(join(dir, "d-garbage.json.gz"), Buffer.concat([gzipSync(doc(hostileEvent(7))), Buffer.from("PK garbage")]));
  writeFileSync(join(dir, "e-empty.json"), "");
  writeFileSync(join(dir, "f-empty.json.gz"), gzipSync(" \n"));
  const want = ["h-1", "h-3", "h-4", "h-5", "h-6", "h-7"];
  const wantWarnings = [
    `${join(dir, "a-deep.json")}: record 2 is nested more than 1000 levels deep: skipped`,
    `${join(dir, "b-items.json")}: 4 items in Records are not events (null, {}, number, object): skipped`,
    `${join(dir, "d-garbage.json.gz")}: trailing garbage after the gzip data ignored`,
  ];
  for (const opts of [{}, { project: [["eventID"], ["eventTime"]] }, { fast: false }, { fast: false, wholeParseLimit: 0 }]) {
    const got = await readAll([dir], opts);
    assert.deepEqual(got.events.map((e) => e.id), want, JSON.stringify(opts));
    assert.deepEqual(got.warnings, wantWarnings, JSON.stringify(opts));
    assert.equal(got.stats.filesEmpty, 2);
    assert.equal(got.stats.filesRead, 4);
    assert.equal(got.stats.filesSkipped, 0);
    assert.equal(got.stats.eventsRead, 6);
    assert.deepEqual(got.stats.skipped.map((s) => [s.reason, s.count ?? 1]), [["too deeply nested", 1], ["not an event", 4], ["trailing garbage", 1]]);
  }
});

test("UTF-16 arriving a byte at a time (byte-order mark, surrogate pairs and lines split anywhere) decodes the same", async () => {
  const text = JSON.stringify({ Records: [hostileEvent(1, { userAgent: "😀 ☃ ü" }), hostileEvent(2)] });
  const lines = `${JSON.stringify(hostileEvent(3, { userAgent: "😀" }))}\n${JSON.stringify(hostileEvent(4))}\n`;
  for (const [content, ids, agent] of [
    [text, ["h-1", "h-2"], "😀 ☃ ü"],
    [lines, ["h-3", "h-4"], "😀"],
  ] as const) {
    for (const be of [false, true]) {
      const body = Buffer.from(content, "utf16le");
      if (be) body.swap16();
      const bytes = Buffer.concat([Buffer.from(be ? [0xfe, 0xff] : [0xff, 0xfe]), body]);
      const stdin = Readable.from((function* () {
        for (const b of bytes) yield Buffer.from([b]);
      })());
      const got = await readAll(["-"], { stdin });
      assert.deepEqual(got.warnings, []);
      assert.deepEqual(got.events.map((e) => e.id), ids);
      assert.equal(got.events[0]!.ev["userAgent"], agent);
    }
  }
});

test("a symlink to a file the walk reads anyway is not read again, when every input is a folder (its files found by name, without a stat)", async () => {
  const dir = tempDir("linked");
  const day = join(dir, "trail", "AWSLogs", "111122223333", "CloudTrail", "us-east-1", "2026", "11", "01");
  mkdirSync(day, { recursive: true });
  const names = [0, 1, 2].map((k) => `111122223333_CloudTrail_us-east-1_20261101T0${k}10Z_x${k}.json.gz`);
  names.forEach((name, k) => {
    const records = Array.from({ length: 5 }, (_, i) => ({ eventVersion: "1.08", eventTime: `2026-11-01T0${k}:0${i}:00Z`, eventName: "E", eventSource: "s", eventID: `x${k}-${i}` }));
    writeFileSync(join(day, name), gzipSync(JSON.stringify({ Records: records })));
  });
  // beside the files it links to (after them by name), and in a folder of picked files given beside the trail
  symlinkSync(names[1]!, join(day, "zz-link.json.gz"));
  mkdirSync(join(dir, "picks"));
  symlinkSync(join(day, names[2]!), join(dir, "picks", "pick.json.gz"));
  // a link to a file outside every input is read, once
  writeFileSync(join(dir, "outside.json"), JSON.stringify({ Records: [{ eventTime: "2026-11-01T05:00:00Z", eventName: "E", eventSource: "s", eventID: "out" }] }));
  symlinkSync(join(dir, "outside.json"), join(dir, "picks", "out.json"));
  const trail = await readAll([join(dir, "trail")]);
  assert.equal(trail.events.length, 15);
  const both = await readAll([join(dir, "trail"), join(dir, "picks")]);
  assert.deepEqual(both.events.map((e) => e.ev["eventID"]).sort(), [...Array.from({ length: 15 }, (_, i) => `x${Math.floor(i / 5)}-${i % 5}`), "out"].sort());
  assert.deepEqual(both.warnings, []);
});

test("inputs that overlap a pruned folder: each file pruned is counted once, whichever comes first", async () => {
  const { queryRows } = await import("../../src/api.js");
  const dir = tempDir("overlap");
  const put = (account: string, region: string, k: number): void => {
    const day = join(dir, "AWSLogs", account, "CloudTrail", region, "2026", "11", "01");
    mkdirSync(day, { recursive: true });
    const records = [{ eventVersion: "1.08", eventTime: `2026-11-01T0${k}:00:00Z`, eventName: "E", eventSource: "s", eventID: `${account}-${k}`, recipientAccountId: account, awsRegion: region }];
    writeFileSync(join(day, `${account}_CloudTrail_${region}_20261101T0${k}10Z_f${k}.json.gz`), gzipSync(JSON.stringify({ Records: records })));
  };
  for (const k of [0, 1, 2]) put("111122223333", "us-east-1", k);
  for (const k of [3, 4]) put("444455556666", "eu-west-1", k);
  const inside = join(dir, "AWSLogs", "111122223333");
  const deeper = join(inside, "CloudTrail", "us-east-1", "2026");
  for (const inputs of [[dir, inside], [inside, dir], [dir, inside, join(inside, "CloudTrail"), deeper], [deeper, dir]]) {
    const r = await queryRows("stats count(*) as n", inputs, { accounts: ["444455556666"] });
    assert.deepEqual(r.rows, [{ n: 2 }], inputs.join(" "));
    assert.equal(r.result.read.filesPruned, 3, inputs.join(" "));
  }
  const late = await queryRows("stats count(*) as n", [dir, join(inside, "CloudTrail", "us-east-1", "2026", "11", "01")], { range: { start: Date.parse("2026-11-03T00:00:00Z") } });
  assert.equal(late.result.read.filesPruned, 5);
});

test("files whose names are not UTF-8 are each skipped with a warning that says why (node can't open them), not as one file not found", async () => {
  const dir = tempDir("latin1-names");
  const doc = (id: string): string => JSON.stringify({ Records: [{ eventTime: "2026-11-01T00:00:00Z", eventName: "E", eventSource: "s", eventID: id }] });
  // é and è in Latin-1: each one byte that is no UTF-8, read by node as U+FFFD alike
  writeFileSync(Buffer.concat([Buffer.from(dir + "/ev"), Buffer.from([0xe9]), Buffer.from(".json")]), doc("a"));
  writeFileSync(Buffer.concat([Buffer.from(dir + "/ev"), Buffer.from([0xe8]), Buffer.from(".json")]), doc("b"));
  writeFileSync(join(dir, "ok-\ufffd.json"), doc("c")); // a name that holds U+FFFD itself is read
  const got = await readAll([dir]);
  assert.deepEqual(got.events.map((e) => e.ev["eventID"]), ["c"]);
  assert.equal(got.warnings.length, 2, got.warnings.join("\n"));
  for (const w of got.warnings) assert.match(w, /\(entry \d of the folder\): its name is not UTF-8, which trailq can't open/);
  assert.deepEqual(got.stats.skipped.map((s) => s.reason), ["name not UTF-8", "name not UTF-8"]);
});
