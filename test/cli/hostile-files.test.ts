// Hostile files never stop the run or lose a good event (docs/inputs.md, "Bad input"). Each case
// makes its files at test time beside a good file, and checks the exact rows, warnings and summary
// line through the API, on one thread and with two workers, and through the built binary (the
// events' text, the warnings and the summary line it prints; the first case's every query).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { zipSync } from "fflate";
import { queryRows } from "../../src/api.js";
import { grouped, summaryLine } from "../../src/cli/summary.js";
import { SMALL_FILE } from "../../src/sources/decompress.js";
import { BIN, ROOT } from "../bin.js";
import { tempDir } from "../temp.js";

/** A CloudTrail event numbered n: its eventID is `ev-00n`, its time n seconds past midnight. */
function ev(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const id = `ev-${String(n).padStart(3, "0")}`;
  return {
    eventVersion: "1.08",
    eventTime: new Date(Date.UTC(2026, 10, 1) + n * 1000).toISOString().replace(".000Z", "Z"),
    eventSource: "s3.amazonaws.com",
    eventName: "GetObject",
    awsRegion: "us-east-1",
    eventID: id,
    ...extra,
  };
}

const records = (...items: unknown[]): string => JSON.stringify({ Records: items });
/** Arrays nested `levels` deep around 1: `[[1]]` is 2 levels. */
const nested = (levels: number): string => "[".repeat(levels) + "1" + "]".repeat(levels);

interface Case {
  name: string;
  /** Writes the files into the folder (good.json, events 90 and 91, is written beside them). */
  make(dir: string): void;
  /** The eventIDs kept, in order. */
  ids: string[];
  /** The warnings, each as `file: message` with the file relative to the folder. */
  warnings: string[];
  /** Files the summary counts as read. */
  files: number;
  /** What the summary line says after its time. */
  tail: string;
}

/** A gzip member after zero padding: gzip(1) and zlib stop at the zeros. */
const AFTER_PADDING = gzipSync(records(ev(3)));

const ids = (...ns: number[]): string[] => [...ns, 90, 91].map((n) => `ev-${String(n).padStart(3, "0")}`);

const CASES: Case[] = [
  {
    name: "a record nested 100,000 deep is skipped with a warning, one nested 1,000 deep is read (gzip and plain)",
    make(dir) {
      // record 2's requestParameters: 100,000 levels; record 3's: the record (1) + 999 = 1,000 levels
      const doc = (n: number): string =>
        `{"Records":[${JSON.stringify(ev(n))},${JSON.stringify(ev(n + 1)).slice(0, -1)},"requestParameters":${nested(100_000)}},${JSON.stringify(ev(n + 2)).slice(0, -1)},"requestParameters":${nested(999)}}]}`;
      writeFileSync(join(dir, "deep.json"), doc(1));
      writeFileSync(join(dir, "deep.json.gz"), gzipSync(doc(101)));
      // JSON lines: the careful path's line splitter
      writeFileSync(join(dir, "deep.jsonl"), `${JSON.stringify(ev(201))}\n${JSON.stringify(ev(202)).slice(0, -1)},"x":{"y":${nested(5000)}}}\n${JSON.stringify(ev(203))}\n`);
    },
    ids: ids(1, 3, 101, 103, 201, 203),
    warnings: [
      "deep.json: record 2 is nested more than 1000 levels deep: skipped",
      "deep.json.gz: record 2 is nested more than 1000 levels deep: skipped",
      "deep.jsonl: record 2 is nested more than 1000 levels deep: skipped",
    ],
    files: 4,
    tail: " · 0 files skipped, problems: 3 too deeply nested",
  },
  {
    name: "empty files (no bytes, whitespace, a byte-order mark, a gzip of nothing) are counted in the summary, not warned about",
    make(dir) {
      mkdirSync(join(dir, "many"));
      for (let i = 0; i < 2000; i++) writeFileSync(join(dir, "many", `e${String(i).padStart(4, "0")}.json`), "");
      writeFileSync(join(dir, "spaces.json"), " \n\t\r\n ");
      writeFileSync(join(dir, "bom.json"), "\ufeff\n");
      writeFileSync(join(dir, "nothing.json.gz"), gzipSync(""));
      writeFileSync(join(dir, "spaces.json.gz"), gzipSync("\n\n"));
    },
    ids: ids(),
    warnings: [],
    files: 1,
    tail: " · 2,004 empty files",
  },
  {
    name: "a 10 MB string: the record is read whole",
    make(dir) {
      writeFileSync(join(dir, "big.json"), records(ev(1, { userAgent: "u".repeat(10_000_000) }), ev(2)));
      writeFileSync(join(dir, "big.jsonl"), `${JSON.stringify(ev(3, { userAgent: "ü".repeat(5_000_000) }))}\n${JSON.stringify(ev(4))}\n`);
    },
    ids: ids(1, 2, 3, 4),
    warnings: [],
    files: 3,
    tail: "",
  },
  {
    name: "trailing garbage after gzip data: the records kept, one warning; a cut member after a whole one keeps the whole one",
    make(dir) {
      const garbage = Buffer.from("garbage\u0000\u0001 at the end");
      writeFileSync(join(dir, "a.json.gz"), Buffer.concat([gzipSync(records(ev(1), ev(2))), garbage]));
      writeFileSync(join(dir, "b-members.json.gz"), Buffer.concat([gzipSync(records(ev(3))), gzipSync(records(ev(4))), garbage]));
      const second = gzipSync(records(ev(6)));
      writeFileSync(join(dir, "c-cut.json.gz"), Buffer.concat([gzipSync(records(ev(5))), second.subarray(0, second.length - 12)]));
      // bigger than the files read whole (8 MiB): streamed, then read again from the disk (36
      // records of 250 KB: the size is what matters here, not the number of records)
      const big = records(...Array.from({ length: 36 }, (_, i) => ev(1000 + i, { pad: "p".repeat(250_000) })));
      writeFileSync(join(dir, "d-big.json.gz"), Buffer.concat([gzipSync(big, { level: 0 }), garbage]));
      assert.ok(statSync(join(dir, "d-big.json.gz")).size > SMALL_FILE, "d-big.json.gz is streamed");
    },
    ids: ids(1, 2, 3, 4, 5, ...Array.from({ length: 36 }, (_, i) => 1000 + i)),
    warnings: [
      "a.json.gz: trailing garbage after the gzip data ignored",
      "b-members.json.gz: trailing garbage after the gzip data ignored",
      "c-cut.json.gz: gzip data ends early (truncated file): kept the 1 complete record before the break",
      "d-big.json.gz: trailing garbage after the gzip data ignored",
    ],
    files: 5,
    tail: " · 0 files skipped, problems: 3 trailing garbage, 1 truncated gzip",
  },
  {
    name: "zero bytes after gzip data: padding is quiet; what follows the zeros (a member, junk) is not read, and one warning says so, small file or streamed",
    make(dir) {
      const zeros = Buffer.alloc(16);
      writeFileSync(join(dir, "a-padded.json.gz"), Buffer.concat([gzipSync(records(ev(1))), zeros]));
      writeFileSync(join(dir, "b-member.json.gz"), Buffer.concat([gzipSync(records(ev(2))), zeros, AFTER_PADDING]));
      writeFileSync(join(dir, "c-junk.json.gz"), Buffer.concat([gzipSync(records(ev(4))), zeros, Buffer.from("junk")]));
      const big = records(...Array.from({ length: 36 }, (_, i) => ev(1000 + i, { pad: "p".repeat(250_000) })));
      writeFileSync(join(dir, "d-big.json.gz"), Buffer.concat([gzipSync(big, { level: 0 }), zeros, AFTER_PADDING]));
      assert.ok(statSync(join(dir, "d-big.json.gz")).size > SMALL_FILE, "d-big.json.gz is streamed");
    },
    ids: ids(1, 2, 4, ...Array.from({ length: 36 }, (_, i) => 1000 + i)),
    warnings: [
      `b-member.json.gz: ${16 + AFTER_PADDING.length} bytes after the gzip data (zero bytes, then more) ignored`,
      "c-junk.json.gz: 20 bytes after the gzip data (zero bytes, then more) ignored",
      `d-big.json.gz: ${16 + AFTER_PADDING.length} bytes after the gzip data (zero bytes, then more) ignored`,
    ],
    files: 5,
    tail: " · 0 files skipped, problems: 3 data after zero padding",
  },
  {
    name: "zip entries named ../x, /abs/x, dir/../x are read; an entry in an unsupported compression is warned about, the next ones read",
    make(dir) {
      const entry = (n: number): Uint8Array => Buffer.from(records(ev(n)));
      const zip = zipSync({
        "../escape.json": entry(1),
        "/abs/path.json": entry(2),
        "dir/../x.json": entry(3),
        "odd.json": [entry(9), { level: 0 }],
        "ok.json": entry(4),
        ".hidden.json": entry(7),
        "__MACOSX/._ok.json": entry(8),
      });
      // odd.json's compression method (stored, 0) made 12 (bzip2) in its local and central headers
      const buf = Buffer.from(zip);
      const name = Buffer.from("odd.json");
      for (let at = buf.indexOf(name); at >= 0; at = buf.indexOf(name, at + 1)) {
        const local = buf.readUInt32LE(at - 30) === 0x04034b50;
        const central = buf.readUInt32LE(at - 46) === 0x02014b50;
        if (local) buf.writeUInt16LE(12, at - 30 + 8);
        if (central) buf.writeUInt16LE(12, at - 46 + 10);
      }
      writeFileSync(join(dir, "z.zip"), buf);
    },
    ids: ids(1, 2, 3, 4),
    warnings: ["z.zip: zip entry odd.json: compression method 12 not supported: entry skipped"],
    files: 2,
    tail: " · 0 files skipped, problems: 1 unsupported compression",
  },
  {
    name: "a zipped trail: gzip entries are gunzipped (every member); one that does not decode is warned about, the next entries read",
    make(dir) {
      const two = Buffer.concat([gzipSync(records(ev(3))), gzipSync(records(ev(4)))]);
      const zip = zipSync({
        "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/111122223333_CloudTrail_us-east-1_20261101T0005Z_a.json.gz": gzipSync(records(ev(1), ev(2))),
        "b.json.gz": two,
        "c-bad.json.gz": Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff]),
        "d.json": Buffer.from(records(ev(5))),
      });
      writeFileSync(join(dir, "trail.zip"), zip);
    },
    ids: ids(1, 2, 3, 4, 5),
    warnings: ["trail.zip: zip entry c-bad.json.gz: corrupt gzip (invalid block type): the rest of the entry skipped"],
    files: 2,
    tail: " · 0 files skipped, problems: 1 corrupt gzip",
  },
  {
    name: "a gzip member that fails its check (CRC-32): the complete members before it are kept, not its own records",
    make(dir) {
      const bad = gzipSync(records(ev(2)));
      // the trailer's CRC-32, changed: the member inflates, and is not what was written
      bad[bad.length - 8] ^= 0xff;
      writeFileSync(join(dir, "crc.json.gz"), Buffer.concat([gzipSync(records(ev(1))), bad]));
    },
    ids: ids(1),
    warnings: ["crc.json.gz: corrupt gzip (incorrect data check): kept the 1 complete record before the break"],
    files: 2,
    tail: " · 0 files skipped, problems: 1 corrupt gzip",
  },
  {
    name: "UTF-16 LE and BE with a byte-order mark are decoded (and UTF-8 with one still read)",
    make(dir) {
      const text = (...ns: number[]): string => records(...ns.map((n) => ev(n, { userAgent: "Ünïcødé ☃ 😀" })));
      const be = (s: string): Buffer => Buffer.from(s, "utf16le").swap16();
      writeFileSync(join(dir, "le.json"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text(1, 2), "utf16le")]));
      writeFileSync(join(dir, "be.json"), Buffer.concat([Buffer.from([0xfe, 0xff]), be(text(3))]));
      writeFileSync(join(dir, "le.json.gz"), gzipSync(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text(4), "utf16le")])));
      const lines = `${JSON.stringify(ev(5))}\r\n${JSON.stringify(ev(6))}\r\n`;
      writeFileSync(join(dir, "lines.jsonl"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines, "utf16le")]));
      writeFileSync(join(dir, "utf8-bom.json"), `\ufeff${text(7)}`);
    },
    ids: ids(3, 1, 2, 4, 5, 6, 7),
    warnings: [],
    files: 6,
    tail: "",
  },
  {
    name: "items in Records that are not events: one warning per file counting them, never counted as events",
    make(dir) {
      writeFileSync(join(dir, "items.json"), records(ev(1), null, {}, [1], 3, "x", true, { foo: 1 }, ev(2), { eventName: "E", eventID: "ev-003", eventTime: "2026-11-01T00:00:03Z" }));
      writeFileSync(join(dir, "one.json"), records(null, ev(4)));
      writeFileSync(join(dir, "lines.jsonl"), `${JSON.stringify(ev(5))}\n{}\n7\n${JSON.stringify(ev(6))}\n`);
      writeFileSync(join(dir, "only.json"), records(null, {}, { foo: 1 }));
    },
    ids: ids(1, 2, 3, 5, 6, 4),
    warnings: [
      "items.json: 7 items in Records are not events (null, {}, array, number, string, boolean, object): skipped",
      "lines.jsonl: 2 lines are not events ({}, number): skipped",
      "one.json: 1 item in Records is not an event (null): skipped",
      "only.json: not CloudTrail: no record has eventTime, eventName or eventSource",
    ],
    files: 4,
    tail: " · 1 file skipped, problems: 10 not events, 1 not CloudTrail",
  },
];

const QUERIES = ["stats count(*) as n", "fields eventID | sort eventID asc", "fields @message"];

/** The query's rows reduced to what the case expects: the count, or the eventIDs in order. */
function outcome(query: string, rows: Record<string, unknown>[]): unknown {
  if (query.startsWith("stats")) return rows;
  if (query.startsWith("fields @message")) return rows.map((r) => (JSON.parse(r["@message"] as string) as { eventID: string }).eventID);
  return rows.map((r) => r["eventID"]);
}

function expected(c: Case, query: string): unknown {
  if (query.startsWith("stats")) return [{ n: c.ids.length }];
  // newest first, the default order (ev(n) is n seconds past midnight)
  if (query.startsWith("fields @message")) return [...c.ids].sort((a, b) => Number(b.slice(3)) - Number(a.slice(3)));
  return [...c.ids].sort();
}

function summary(c: Case, rows: number): string {
  return `${grouped(c.ids.length)} events parsed in ${c.files} file${c.files === 1 ? "" : "s"} · ${grouped(rows)} row${rows === 1 ? "" : "s"} · T s${c.tail}`;
}

const timeless = (line: string): string => line.replace(/ · \d+\.\d\d s/, " · T s");

async function viaApi(query: string, dir: string, workers: number): Promise<{ rows: unknown; warnings: string[]; summary: string }> {
  const before = process.env["TRAILQ_WORKERS"];
  process.env["TRAILQ_WORKERS"] = String(workers);
  try {
    const r = await queryRows(query, [dir]);
    return { rows: outcome(query, r.rows), warnings: r.warnings, summary: timeless(summaryLine(r.result, r.rows.length, r.rows.length)) };
  } finally {
    if (before === undefined) delete process.env["TRAILQ_WORKERS"];
    else process.env["TRAILQ_WORKERS"] = before;
  }
}

function viaBinary(query: string, dir: string, workers: number): { rows: unknown; warnings: string[]; summary: string; status: number | null } {
  const r = spawnSync(BIN, ["query", query, dir, "-f", "json"], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 30,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, TRAILQ_WORKERS: String(workers) },
  });
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  const warnings = lines.filter((l) => l.startsWith("trailq: warning: ")).map((l) => l.slice("trailq: warning: ".length));
  const rest = lines.filter((l) => !l.startsWith("trailq: warning: "));
  assert.equal(rest.length, 1, r.stderr);
  return { rows: outcome(query, JSON.parse(r.stdout) as Record<string, unknown>[]), warnings, summary: timeless(rest[0]!.replace(/^trailq: /, "")), status: r.status };
}

for (const c of CASES) {
  test(c.name, async () => {
    const dir = tempDir("hostile");
    c.make(dir);
    writeFileSync(join(dir, "good.json"), records(ev(90), ev(91)));
    const warnings = c.warnings.map((w) => join(dir, w));
    for (const query of QUERIES) {
      const rows = expected(c, query);
      const n = (rows as unknown[]).length;
      for (const workers of [1, 2]) {
        const what = `${query}, ${workers} thread${workers === 1 ? "" : "s"}`;
        const api = await viaApi(query, dir, workers);
        assert.deepEqual(api.rows, rows, `API rows: ${what}`);
        assert.deepEqual(api.warnings, warnings, `API warnings: ${what}`);
        assert.equal(api.summary, summary(c, n), `API summary: ${what}`);
        // the binary prints what the API gives: once, with the workers (the API covers one thread),
        // for the query that prints each event's text as read; the other queries (the bundle's
        // workers counting and sorting) for the first case only (the API covers them for each)
        if (workers === 1 || (!query.startsWith("fields @message") && c !== CASES[0])) continue;
        const bin = viaBinary(query, dir, workers);
        assert.equal(bin.status, 0, `exit status: ${what}`);
        assert.deepEqual(bin.rows, rows, `binary rows: ${what}`);
        assert.deepEqual(bin.warnings, warnings, `binary warnings: ${what}`);
        assert.equal(bin.summary, summary(c, n), `binary summary: ${what}`);
      }
    }
  });
}

test("a record nested 1,000 deep goes through every consumer: output, @message, group keys, workers", async () => {
  const dir = tempDir("deep-ok");
  const value = JSON.parse(nested(999)) as unknown;
  writeFileSync(join(dir, "a.json"), records(ev(1, { requestParameters: value }), ev(2)));
  writeFileSync(join(dir, "b.json"), records(ev(3, { requestParameters: value })));
  for (const workers of [1, 2]) {
    const query = "stats count(*) as n, count_distinct(requestParameters) as kinds by requestParameters | sort n desc";
    const api = await viaApi(query, dir, workers);
    // (compared as text: assert's diff of a failure would overflow the stack on the value)
    assert.equal(JSON.stringify(api.rows), JSON.stringify([{ requestParameters: value, n: 2, kinds: 1 }, { n: 1, kinds: 0 }]));
    assert.deepEqual(api.warnings, []);
    const r = spawnSync(BIN, ["query", "fields eventID, requestParameters, @message | sort eventID asc", dir, "-f", "json"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, TRAILQ_WORKERS: String(workers) },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /warning/);
    const rows = JSON.parse(r.stdout) as { eventID: string; requestParameters?: unknown; "@message": string }[];
    assert.deepEqual(rows.map((row) => row.eventID), ["ev-001", "ev-002", "ev-003"]);
    for (const row of rows) {
      const message = JSON.stringify(JSON.parse(row["@message"]));
      assert.equal(message, JSON.stringify(ev(Number(row.eventID.slice(3)), row.eventID === "ev-002" ? {} : { requestParameters: value })));
      assert.equal(JSON.stringify(row.requestParameters), row.eventID === "ev-002" ? undefined : nested(999));
    }
  }
});
