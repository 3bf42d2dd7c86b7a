// A folder's field index (src/sources/field-index.ts, `trailq index`): queries give the same rows
// with it as without it, leave out the files it rules out, and read every file it can't vouch for
// (changed, new, not indexed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync, gunzipSync } from "node:zlib";
import { queryRows, type ApiOptions } from "../../src/api.js";
import { buildIndex } from "../../src/exec/index-build.js";
import { indexDir } from "../../src/sources/field-index.js";
import { spawnSync } from "node:child_process";
import { BIN, trailq } from "../bin.js";
import { SAMPLE, filesUnder } from "../trails.js";
import { tempDir } from "../temp.js";

const tmp = tempDir("index");
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
// the indexes go here, for this process and the binaries it starts
process.env["XDG_CACHE_HOME"] = join(tmp, "cache");
const noIndex = join(tmp, "no-cache");

/** A copy of the sample trail, whole or (`every` > 1) one file in `every`. */
function copyOfSample(name: string, every = 1): string {
  const dir = join(tmp, name);
  if (every === 1) cpSync(SAMPLE, dir, { recursive: true });
  else filesUnder(SAMPLE).forEach((f, i) => i % every === 0 && cpSync(f, join(dir, relative(SAMPLE, f))));
  return dir;
}

/** The smaller copies' share of the sample trail's files: 63 of 1,246. */
const SOME = 20;

const quiet = { warn: () => {} };

/** The rows of a query over `inputs` without any index (another cache folder), and with the indexes in place. */
async function both(query: string, inputs: string[], opts: ApiOptions = {}) {
  const cache = process.env["XDG_CACHE_HOME"];
  process.env["XDG_CACHE_HOME"] = noIndex;
  const without = await queryRows(query, inputs, opts).finally(() => (process.env["XDG_CACHE_HOME"] = cache));
  const withIndex = await queryRows(query, inputs, opts);
  return { without, withIndex };
}

const trail = copyOfSample("trail");
const built = await buildIndex(trail, quiet);

test("an index lists every file of the folder and the events they hold", () => {
  assert.equal(built.files, filesUnder(SAMPLE).length);
  assert.equal(built.read, built.files);
  assert.equal(built.events, 20_000);
  assert.equal(built.left, 0);
  assert.ok(built.dir.startsWith(join(tmp, "cache", "trailq", "index")));
});

const PRUNED = [
  'filter eventName = "ConsoleLogin" | stats count(*) by sourceIPAddress, userIdentity.userName',
  'filter eventName in ["CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "DeleteTrail"] | fields @timestamp, eventName, @ptr | sort @timestamp desc',
  'filter eventSource = "iam.amazonaws.com" and errorCode = "NoSuchEntityException" | stats count(*) by eventName',
  'filter sourceIPAddress = "102.129.234.5" or userIdentity.userName = "root-ops" | fields @ptr, eventName',
  'filter userIdentity.userName in ["admin", "root-ops"] | stats count(*) by userIdentity.userName, awsRegion',
  'filter eventName = "NoSuchEventAnywhere" | stats count(*)',
  'filter eventName = "ConsoleLogin" | filter sourceIPAddress like "45." | fields @ptr',
  // conditions on one field, tried on each value the index holds
  "filter eventName like /^Delete/ | stats count(*) by eventName",
  'filter eventName like "Console" | stats count(*)',
  // a value that reads as a number: `=` compares it as a number with a number (1234 = "1234.0")
  'filter userIdentity.userName = "1234" | stats count(*)',
  "filter ispresent(errorCode) | stats count(*) by errorCode",
  'filter errorCode like /Denied/ and eventSource = "s3.amazonaws.com" | stats count(*) by eventName',
  "filter strlen(userIdentity.arn) > 60 | stats count(*) by userIdentity.arn",
  'filter tolower(userAgent) like "boto" | stats count(*) by userAgent',
];

for (const q of PRUNED) {
  test(`the same rows with the index, files left out: ${q}`, async () => {
    const { without, withIndex } = await both(q, [trail]);
    assert.deepEqual(withIndex.rows, without.rows);
    assert.equal(without.result.read.indexed, undefined);
    assert.equal(without.result.read.indexable, true, "an index would serve the filter");
    const indexed = withIndex.result.read.indexed!;
    assert.ok(indexed.files > 0, "files left out");
    assert.equal(indexed.changed, 0);
    // every file is read, left out by the index, or ruled out by the filter's text
    assert.equal(withIndex.result.read.filesRead + indexed.files, without.result.read.filesRead);
  });
}

const UNPRUNED = [
  // a field the index does not hold
  'filter requestParameters.bucketName = "prod-data" | stats count(*)',
  'filter eventName != "ConsoleLogin" | stats count(*)',
  'stats count(*) by eventName | filter eventName = "ConsoleLogin"',
  'filter eventName = "ConsoleLogin" or requestParameters.bucketName = "prod-data" | stats count(*)',
  // conditions an event without the field passes, or that read the event's time
  "filter not ispresent(errorCode) | stats count(*)",
  'filter errorCode != "AccessDenied" | stats count(*)',
  'filter coalesce(errorCode, "none") = "none" | stats count(*)',
  'filter strlen(concat(eventName, bin(1h))) > 0 | stats count(*)',
];

const some = copyOfSample("some", SOME);
await buildIndex(some, quiet);

for (const q of UNPRUNED) {
  test(`the index leaves nothing out when the filter does not ask for indexed values: ${q}`, async () => {
    const { without, withIndex } = await both(q, [some]);
    assert.deepEqual(withIndex.rows, without.rows);
    assert.equal(withIndex.result.read.indexed, undefined);
    assert.equal(without.result.read.indexable, undefined);
  });
}

test("a query over a folder below the indexed one uses its index", async () => {
  const below = join(trail, "AWSLogs");
  const { without, withIndex } = await both('filter eventName = "ConsoleLogin" | stats count(*)', [below]);
  assert.deepEqual(withIndex.rows, without.rows);
  assert.ok(withIndex.result.read.indexed!.files > 0);
});

/** The first file of a trail whose events hold none of this event name, and its events. */
function fileWithout(dir: string, eventName: string): { file: string; records: Record<string, unknown>[] } {
  for (const file of filesUnder(dir)) {
    const records = (JSON.parse(gunzipSync(readFileSync(file)).toString()) as { Records: Record<string, unknown>[] }).Records;
    if (records.length > 0 && records.every((r) => r["eventName"] !== eventName)) return { file, records };
  }
  throw new Error("no such file");
}

test("a file changed since the index is read, and the run says so; trailq index then reads only it", async () => {
  const dir = copyOfSample("changed", SOME);
  const first = await buildIndex(dir, quiet);
  const { file, records } = fileWithout(dir, "ConsoleLogin");
  const planted = { ...records[0]!, eventName: "ConsoleLogin", eventID: "00000000-0000-4000-8000-00000000c0de", eventSource: "signin.amazonaws.com" };
  writeFileSync(file, gzipSync(JSON.stringify({ Records: [...records, planted] })));
  const q = 'filter eventName = "ConsoleLogin" and eventID = "00000000-0000-4000-8000-00000000c0de" | stats count(*) as n';
  const r = await queryRows(q, [dir]);
  assert.deepEqual(r.rows, [{ n: 1 }]);
  assert.equal(r.result.read.indexed!.changed, 1);
  const again = await buildIndex(dir, quiet);
  assert.equal(again.read, 1);
  assert.equal(again.files, first.files);
  const after = await queryRows(q, [dir]);
  assert.deepEqual(after.rows, [{ n: 1 }]);
  assert.equal(after.result.read.indexed!.changed, 0);
  // nothing changed: the index is up to date, no file read
  assert.equal((await buildIndex(dir, quiet)).read, 0);
});

test("a file whose time alone changed is not vouched for", async () => {
  const dir = copyOfSample("touched", SOME);
  await buildIndex(dir, quiet);
  const { file } = fileWithout(dir, "ConsoleLogin");
  utimesSync(file, new Date(), new Date("2030-01-01T00:00:00Z"));
  const r = await queryRows('filter eventName = "ConsoleLogin" | stats count(*)', [dir]);
  assert.equal(r.result.read.indexed!.changed, 1);
});

test("a file rewritten to the same size with its modification time put back is read: its change time is new", async () => {
  const dir = copyOfSample("same-size", SOME);
  const { file } = fileWithout(dir, "ConsoleLogin");
  // a time in whole seconds, which utimes can put back exactly
  const mtime = new Date("2026-11-02T06:00:00Z");
  utimesSync(file, mtime, mtime);
  await buildIndex(dir, quiet);
  const { size, mtimeMs } = statSync(file);
  // written again (here with its own bytes: size and content say nothing), its time put back as
  // touch -r, cp -p or rsync -t put it
  writeFileSync(file, readFileSync(file));
  utimesSync(file, mtime, mtime);
  assert.equal(statSync(file).size, size);
  assert.equal(statSync(file).mtimeMs, mtimeMs);
  const r = await queryRows('filter eventName = "ConsoleLogin" | stats count(*)', [dir]);
  assert.equal(r.result.read.indexed!.changed, 1);
  // trailq index reads it again, and vouches for it after
  assert.equal((await buildIndex(dir, quiet)).read, 1);
  assert.equal((await queryRows('filter eventName = "ConsoleLogin" | stats count(*)', [dir])).result.read.indexed!.changed, 0);
});

test("a file added after the index is read, and the run says so", async () => {
  const dir = copyOfSample("added", SOME);
  await buildIndex(dir, quiet);
  const { file, records } = fileWithout(dir, "ConsoleLogin");
  const planted = { ...records[0]!, eventName: "ConsoleLogin", eventID: "00000000-0000-4000-8000-0000000add00" };
  writeFileSync(file.replace(/\.json\.gz$/, "_added.json"), JSON.stringify({ Records: [planted] }));
  // and one in a folder new since
  mkdirSync(join(dir, "later"));
  writeFileSync(join(dir, "later", "added.json"), JSON.stringify({ Records: [{ ...planted, eventID: "00000000-0000-4000-8000-0000000add01" }] }));
  const r = await queryRows('filter eventName = "ConsoleLogin" and eventID like "00000000-0000-4000-8000-0000000add0" | stats count(*) as n', [dir]);
  assert.deepEqual(r.rows, [{ n: 2 }]);
  assert.equal(r.result.read.indexed!.changed, 2);
});

test("a file with a problem is named in the index without its values: every query reads it and warns, trailq index reads it again", async () => {
  const dir = copyOfSample("problem", SOME);
  const { file } = fileWithout(dir, "ConsoleLogin");
  appendFileSync(file, "not gzip");
  const b = await buildIndex(dir, quiet);
  assert.equal(b.left, 1);
  const r = await queryRows('filter eventName = "ConsoleLogin" | stats count(*)', [dir]);
  assert.ok(r.warnings.some((w) => w.includes(file.split("/").pop()!)), r.warnings.join("\n"));
  // known to the index: not a file new since it was built
  assert.equal(r.result.read.indexed!.changed, 0);
  assert.equal((await buildIndex(dir, quiet)).read, 1);
});

test("an index that can't be read is not used", async () => {
  const dir = copyOfSample("broken", SOME);
  await buildIndex(dir, quiet);
  const idx = indexDir(dir);
  for (const f of readdirSync(idx)) if (f.startsWith("field-0")) writeFileSync(join(idx, f), "{");
  const { without, withIndex } = await both('filter eventName = "ConsoleLogin" | stats count(*)', [dir]);
  assert.deepEqual(withIndex.rows, without.rows);
  assert.equal(withIndex.result.read.indexed, undefined);
  writeFileSync(join(idx, "files.bin"), Buffer.alloc(7));
  assert.deepEqual((await queryRows('filter eventName = "ConsoleLogin" | stats count(*)', [dir])).rows, without.rows);
});

test("an index file damaged without a change of size (one flipped bit) is not used: each file of it carries its CRC-32", async () => {
  const { crc32, crc32ByTable } = await import("../../src/sources/crc32.js");
  const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff));
  assert.equal(crc32(bytes), crc32ByTable(bytes));
  assert.equal(crc32(bytes.subarray(2000), crc32(bytes.subarray(0, 2000))), crc32(bytes));
  for (const file of ["field-0.bin", "files.bin"]) {
    const dir = copyOfSample(`flipped-${file}`, SOME);
    await buildIndex(dir, quiet);
    const at = join(indexDir(dir), file);
    const bin = readFileSync(at);
    bin[bin.length >> 1]! ^= 0x10;
    writeFileSync(at, bin);
    const { without, withIndex } = await both('filter eventName = "ConsoleLogin" | stats count(*)', [dir], { range: { start: Date.parse("2026-11-01T00:00:00Z") } });
    assert.deepEqual(withIndex.rows, without.rows, file);
    assert.equal(withIndex.result.read.indexed, undefined, file);
  }
  // the .json files' lists too: a bit changed in a value ("ConsoleLogin" read as "ConsoleLogio":
  // every file left out), two values swapped (another value's files read), a folder's count
  const jsonDamage: [string, (text: string) => string][] = [
    ["field-0.json", (t) => t.replace('"ConsoleLogin"', '"ConsoleLogio"')],
    ["field-0.json", (t) => t.replace('"ConsoleLogin"', "\0").replace('"AssumeRole"', '"ConsoleLogin"').replace("\0", '"AssumeRole"')],
    ["files.json", (t) => t.replace(/"counts":\[(\d+)/, (_, n: string) => `"counts":[${Number(n) + 1}`)],
  ];
  for (const [file, damage] of jsonDamage) {
    const dir = copyOfSample(`damaged-${file}`, SOME);
    await buildIndex(dir, quiet);
    const at = join(indexDir(dir), file);
    const text = readFileSync(at, "utf8");
    assert.notEqual(damage(text), text, file);
    writeFileSync(at, damage(text));
    for (const name of ["ConsoleLogin", "AssumeRole"]) {
      const { without, withIndex } = await both(`filter eventName = "${name}" | stats count(*)`, [dir], { range: { start: Date.parse("2026-11-01T00:00:00Z") } });
      assert.deepEqual(withIndex.rows, without.rows, `${file}: ${name}`);
    }
  }
});

test("trailq index and a query that uses it, from the binary", () => {
  const dir = copyOfSample("cli", SOME);
  const r = trailq(["index", dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^trailq: indexed 63 files of .* \([\d,]+ events\) · 63 read · [\d.]+ s · index in /);
  const up = trailq(["index", dir]);
  assert.match(up.stderr, /indexed 63 files .* · up to date/);
  const q = trailq(["query", 'filter eventName = "ConsoleLogin" | stats count(*) as n', dir, "-f", "jsonl"]);
  assert.equal(q.status, 0, q.stderr);
  assert.match(q.stderr, /events parsed in \d+ files?, [1-6]\d files \([\d,]+ events\) ruled out by the folder's index, not opened/);
});

test("trailq index refuses what is not a folder on this machine", () => {
  const missing = trailq(["index", join(tmp, "nowhere")]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no such file or folder/);
  const file = filesUnder(SAMPLE)[0]!;
  const one = trailq(["index", file]);
  assert.equal(one.status, 3);
  assert.match(one.stderr, /is a file: trailq index takes folders/);
  assert.equal(trailq(["index", "s3://bucket/AWSLogs/"]).status, 3);
  assert.equal(trailq(["index", "-"]).status, 3);
});

test("trailq cache info counts the indexes, trailq cache clear removes them", () => {
  const dir = copyOfSample("cache", SOME);
  assert.equal(trailq(["index", dir, "-q"]).status, 0);
  const info = trailq(["cache", "info"]);
  assert.match(info.stdout, /^indexes: [1-9]\d* folders? indexed by trailq index \(\d+(\.\d)? (KB|MB)\)$/m);
  assert.match(trailq(["cache", "clear"]).stdout, / and [1-9]\d* folder index(es)?\n$/);
  assert.match(trailq(["cache", "info"]).stdout, /^indexes: 0 folders indexed by trailq index \(0 KB\)$/m);
});

test("trailq index where the cache folder can't be written: a message naming it, exit 2", () => {
  const dir = copyOfSample("unwritable", SOME);
  const cache = join(tmp, "not-a-folder");
  writeFileSync(cache, "a file where the cache folder would be");
  const r = spawnSync(BIN, ["index", dir], { encoding: "utf8", env: { ...process.env, XDG_CACHE_HOME: cache } });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^trailq: can't write the index of .* in .*not-a-folder\/trailq\/index: a part of the path is not a folder \(ENOTDIR\)\n$/);
});

test("a file whose events hold an indexed field as a number is read for a condition its text may pass", async () => {
  const dir = copyOfSample("number", SOME);
  const { file, records } = fileWithout(dir, "ConsoleLogin");
  writeFileSync(file, gzipSync(JSON.stringify({ Records: [...records, { ...records[0]!, eventID: "00000000-0000-4000-8000-00000000beef", userAgent: 12345 }] })));
  await buildIndex(dir, quiet);
  const { without, withIndex } = await both('filter userAgent like "234" | fields eventID', [dir]);
  assert.deepEqual(without.rows, [{ eventID: "00000000-0000-4000-8000-00000000beef" }]);
  assert.deepEqual(withIndex.rows, without.rows);
  assert.ok(withIndex.result.read.indexed!.files > 0);
});

test("--account and --region leave out, by the index, files whose names do not say where they are from", async () => {
  const dir = join(tmp, "flat");
  filesUnder(SAMPLE).forEach((f, i) => i % SOME === 0 && cpSync(f, join(dir, `export-${i}.json.gz`)));
  await buildIndex(dir, quiet);
  const { without, withIndex } = await both("stats count(*) by recipientAccountId, awsRegion", [dir], { accounts: ["111122223333"], regions: ["eu-west-1"] });
  assert.ok(without.rows.length > 0);
  assert.deepEqual(withIndex.rows, without.rows);
  assert.equal(without.result.read.filesPruned, 0);
  assert.ok(withIndex.result.read.indexed!.files > 0);
});

test(".index at the prompt indexes the session's folders; the queries after it use the index", () => {
  const dir = copyOfSample("prompt", SOME);
  const r = spawnSync(BIN, ["repl", dir], { encoding: "utf8", input: '.index\nfilter eventName like "Delete" | stats count(*) as n\n', env: { ...process.env, XDG_STATE_HOME: join(tmp, "state") } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^indexed 63 files of .* \([\d,]+ events\) · 63 read · [\d.]+ s$/m);
  assert.match(r.stdout, /\(1 row, [\d,]+ events parsed, [\d,]+ files ruled out by the folder's index\)/);
});

test("a file with an eventTime that is no time is a problem file of the index: every query reads it, and its warning is said as without an index", async () => {
  const dir = join(tmp, "bad-time");
  mkdirSync(dir, { recursive: true });
  const event = (name: string, time: string): string => JSON.stringify({ eventTime: time, eventName: name, eventSource: "s3.amazonaws.com", eventID: `${name}-${time}` });
  writeFileSync(join(dir, "good.json"), JSON.stringify({ Records: [JSON.parse(event("GetObject", "2026-11-01T00:00:00Z"))] }));
  writeFileSync(join(dir, "bad.json"), JSON.stringify({ Records: [JSON.parse(event("PutObject", "yesterday")), JSON.parse(event("GetObject", "2026-11-01T00:00:01Z"))] }));
  await buildIndex(dir, quiet);
  for (const query of ["filter eventName like /^Delete/ | stats count(*) as n", "filter ispresent(errorCode) | stats count(*) as n"]) {
    const { without, withIndex } = await both(query, [dir]);
    assert.deepEqual(withIndex.rows, without.rows, query);
    for (const r of [without, withIndex]) {
      assert.ok(r.warnings.some((w) => /bad\.json: record 1: eventTime "yesterday" is not a time/.test(w)), `${query}: ${r.warnings.join("\n")}`);
      assert.equal(r.result.read.eventsBadTime, 1, query);
    }
  }
});

test("a file with bytes that are not UTF-8 where no indexed field is, or a second \"Records\" key, is a problem file of the index: every query reads it and says so, as without an index", async () => {
  const dir = join(tmp, "odd-documents");
  mkdirSync(dir, { recursive: true });
  const event = (n: number, name: string, extra = ""): string => `{"eventTime":"2026-11-01T00:00:0${n}Z","eventName":"${name}","eventSource":"cloudtrail.amazonaws.com","eventID":"e${n}"${extra}}`;
  // Latin-1 in a field the index does not hold
  writeFileSync(join(dir, "latin1.json"), Buffer.concat([Buffer.from(`{"Records":[${event(1, "Other", ',"requestParameters":{"x":"caf')}`), Buffer.from([0xe9]), Buffer.from('"}}]}')]));
  // the first array is the document's (a StopLogging), JSON.parse would read the second
  writeFileSync(join(dir, "two.json"), `{"Records":[${event(2, "StopLogging")}],"Records":[${event(3, "DescribeTrails")}]}`);
  writeFileSync(join(dir, "good.json"), `{"Records":[${event(4, "ConsoleLogin")}]}`);
  await buildIndex(dir, quiet);
  for (const query of ['filter eventName like /Stop|Console/ | fields eventID, @message', 'filter eventName like /Stop|Console/ | fields eventID', "stats count(*) by eventName"]) {
    const { without, withIndex } = await both(query, [dir]);
    assert.deepEqual(withIndex.rows, without.rows, query);
    assert.deepEqual(withIndex.warnings, without.warnings, query);
    assert.ok(without.warnings.some((w) => /two\.json: a second "Records" key/.test(w)), `${query}: ${without.warnings.join("\n")}`);
  }
  const rows = (await both("filter eventName like /Stop/ | fields eventID", [dir])).withIndex.rows;
  assert.deepEqual(rows, [{ eventID: "e2" }]);
  const message = await both("filter eventName like /Stop|Console/ | fields eventID, @message", [dir]);
  assert.ok(message.withIndex.warnings.some((w) => /latin1\.json: bytes that are not UTF-8/.test(w)), message.withIndex.warnings.join("\n"));
});

test("a file below the indexed folder that its walk does not take (hidden, reached through a link) is read and said apart from a new one: trailq index does not change that", async () => {
  const dir = join(tmp, "outside-walk");
  const day = join(dir, "AWSLogs", "111122223333", "CloudTrail", "us-east-1", "2026", "11", "01");
  mkdirSync(day, { recursive: true });
  mkdirSync(join(dir, ".hidden"));
  const doc = (n: number, name: string): string => JSON.stringify({ Records: [{ eventTime: `2026-11-01T00:0${n}:00Z`, eventName: name, eventSource: "s3.amazonaws.com", eventID: `e${n}` }] });
  writeFileSync(join(day, "111122223333_CloudTrail_us-east-1_20261101T0010Z_a.json"), doc(1, "ConsoleLogin"));
  writeFileSync(join(day, "111122223333_CloudTrail_us-east-1_20261101T0020Z_b.json"), doc(2, "Other"));
  writeFileSync(join(dir, ".hidden", "c.json"), doc(3, "Other"));
  symlinkSync(join("AWSLogs", "111122223333", "CloudTrail", "us-east-1", "2026", "11", "01"), join(dir, "today"));
  await buildIndex(dir, quiet);
  assert.equal((await buildIndex(dir, quiet)).read, 0, "up to date");
  const query = 'filter eventName = "ConsoleLogin" | stats count(*) as n';
  for (const [input, n] of [[join(dir, "today"), 1], [join(dir, ".hidden", "c.json"), 0]] as const) {
    const { without, withIndex } = await both(query, [input]);
    assert.deepEqual(withIndex.rows, [{ n }], input);
    assert.deepEqual(withIndex.rows, without.rows, input);
    assert.equal(withIndex.result.read.indexed?.changed ?? 0, 0, input);
    assert.ok((withIndex.result.read.indexed?.unindexed ?? 0) >= 1, input);
  }
  // a file added since is new, not outside the walk
  writeFileSync(join(day, "111122223333_CloudTrail_us-east-1_20261101T0030Z_d.json"), doc(4, "Other"));
  const added = await queryRows(query, [dir]);
  assert.equal(added.result.read.indexed?.changed, 1);
  assert.equal(added.result.read.indexed?.unindexed, undefined);
});

test("a time range leaves out, by the index, the files whose events are all outside it; the run says where the data are, exactly", async () => {
  const dir = join(tmp, "flat-times");
  filesUnder(SAMPLE).forEach((f, i) => i % 5 === 0 && cpSync(f, join(dir, `export-${i}.json.gz`)));
  await buildIndex(dir, quiet);
  const query = "stats count(*) as n by eventName | sort n desc, eventName";
  // an hour inside the data: names say nothing of these files' times, the index does
  const hour = { start: Date.parse("2026-11-02T10:00:00Z"), end: Date.parse("2026-11-02T10:59:59.999Z") };
  const { without, withIndex } = await both(query, [dir], { range: hour });
  assert.ok(without.rows.length > 0);
  assert.deepEqual(withIndex.rows, without.rows);
  assert.equal(without.result.read.filesPruned, 0);
  assert.ok(withIndex.result.read.indexed!.files > 100, `${withIndex.result.read.indexed!.files} files left out`);
  // after the data: every file left out, and the warning gives the same, exact, times
  const after = { start: Date.parse("2026-12-01T00:00:00Z"), end: Date.parse("2026-12-02T00:00:00Z") };
  const { without: w, withIndex: i } = await both(query, [dir], { range: after });
  assert.equal(i.result.read.filesRead, 0);
  const hint = (r: typeof w) => r.warnings.filter((x) => x.startsWith("no events between"));
  assert.match(hint(w)[0]!, /^no events between 2026-12-01 00:00 and 2026-12-02 00:00; the files hold 2026-11-0\d \d\d:\d\d(:\d\d)? to 2026-11-0\d \d\d:\d\d(:\d\d)?$/);
  assert.deepEqual(hint(i), hint(w));
});

test("detect leaves out, by the index, the files outside its time range, and says so", () => {
  const dir = join(tmp, "flat-detect");
  filesUnder(SAMPLE).forEach((f, i) => i % 5 === 0 && cpSync(f, join(dir, `export-${i}.json.gz`)));
  assert.equal(trailq(["index", dir, "-q"]).status, 0);
  const args = ["detect", dir, "--start", "2026-11-02T00:00:00Z", "--end", "2026-11-02T23:59:59Z", "-f", "jsonl"];
  const withIndex = trailq(args);
  const without = spawnSync(BIN, args, { encoding: "utf8", env: { ...process.env, XDG_CACHE_HOME: noIndex } });
  assert.equal(withIndex.status, 0, withIndex.stderr);
  assert.ok(without.stdout.split("\n").length > 2, without.stderr);
  assert.equal(withIndex.stdout, without.stdout);
  assert.match(withIndex.stderr, / · [1-9]\d* files \([\d,]+ events\) ruled out by the folder's index, not opened/);
  assert.doesNotMatch(without.stderr, /ruled out by the folder's index/);
});

test("--account and --region with the index: an event without recipientAccountId or awsRegion takes its folder's (and a number is its digits), so such files are kept", async () => {
  const dir = join(tmp, "layout-fallback");
  const day = join(dir, "AWSLogs", "111122223333", "CloudTrail", "us-east-1", "2026", "11", "01");
  mkdirSync(day, { recursive: true });
  const ev = (id: string, extra: Record<string, unknown>): Record<string, unknown> => ({ eventVersion: "1.01", eventTime: "2026-11-01T00:00:00Z", eventName: "StopLogging", eventSource: "cloudtrail.amazonaws.com", eventID: id, ...extra });
  const files: [string, Record<string, unknown>[]][] = [
    ["111122223333_CloudTrail_us-east-1_20261101T0010Z_a.json.gz", [ev("no-account", { awsRegion: "us-east-1" })]],
    ["111122223333_CloudTrail_us-east-1_20261101T0020Z_b.json.gz", [ev("no-region", { recipientAccountId: "111122223333" })]],
    ["111122223333_CloudTrail_us-east-1_20261101T0030Z_c.json.gz", [ev("number", { recipientAccountId: 111122223333, awsRegion: "us-east-1" })]],
    ["111122223333_CloudTrail_us-east-1_20261101T0040Z_d.json.gz", [ev("plain", { recipientAccountId: "111122223333", awsRegion: "us-east-1" })]],
  ];
  for (const [name, records] of files) writeFileSync(join(day, name), gzipSync(JSON.stringify({ Records: records })));
  await buildIndex(dir, quiet);
  for (const opts of [{ accounts: ["111122223333"] }, { regions: ["us-east-1"] }, { accounts: ["111122223333"], regions: ["us-east-1"] }]) {
    const { without, withIndex } = await both("fields eventID | sort eventID asc", [dir], opts);
    assert.deepEqual(without.rows.map((r) => r["eventID"]), ["no-account", "no-region", "number", "plain"], JSON.stringify(opts));
    assert.deepEqual(withIndex.rows, without.rows, JSON.stringify(opts));
  }
});

test("a name that now leads to another file of the same size and times (a symlink retargeted) is read: the index knows each file's inode", async () => {
  const { readIndex, keptKeyOf } = await import("../../src/sources/field-index.js");
  const { symlinkSync, unlinkSync } = await import("node:fs");
  const dir = join(tmp, "retarget");
  // the files linked to are outside the folder indexed
  mkdirSync(join(dir, "data"), { recursive: true });
  mkdirSync(join(dir, "trail"), { recursive: true });
  const doc = (name: string): string => JSON.stringify({ Records: [{ eventTime: "2026-11-01T00:00:00Z", eventName: name, eventSource: "s", eventID: name }] });
  writeFileSync(join(dir, "data", "a.json"), doc("AAAA"));
  writeFileSync(join(dir, "data", "b.json"), doc("BBBB"));
  const when = new Date("2026-11-02T00:00:00Z");
  for (const f of ["a.json", "b.json"]) utimesSync(join(dir, "data", f), when, when);
  const trail = join(dir, "trail");
  symlinkSync(join(dir, "data", "a.json"), join(trail, "current.json"));
  await buildIndex(trail, quiet);
  const kept = readIndex(trail)!.files.get(keptKeyOf("current.json"))!;
  assert.equal(kept.ino, statSync(join(dir, "data", "a.json")).ino);
  // the link now leads to b.json: its size and times may be a.json's, its inode is not
  unlinkSync(join(trail, "current.json"));
  symlinkSync(join(dir, "data", "b.json"), join(trail, "current.json"));
  const { without, withIndex } = await both('filter eventName = "BBBB" | fields eventID', [trail]);
  assert.deepEqual(without.rows, [{ eventID: "BBBB" }]);
  assert.deepEqual(withIndex.rows, without.rows);
});
