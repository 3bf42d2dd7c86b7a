// Big inputs stream: the first batch comes long before the end of the file, batches stay small, and
// a reader process with a heap far smaller than the file still reads every event. Structure only:
// nothing here measures time.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, openSync, writeSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { Reader, WHOLE_PARSE_LIMIT } from "../../src/sources/index.js";
import { ROOT } from "./helpers.js";
import { tempDir } from "../temp.js";

const N = 200_000;
/** A heap this small can't hold any of the big files, let alone their events. */
const HEAP_MB = 32;

/** A small event, about 360 bytes of JSON, with escapes and non-ASCII text in it. */
const event = (i: number): string =>
  JSON.stringify({
    eventVersion: "1.09",
    eventTime: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
    eventSource: "ec2.amazonaws.com",
    eventName: "DescribeInstances",
    awsRegion: "us-east-1",
    sourceIPAddress: "198.51.100.7",
    userAgent: 'agent "quoted" \\ ünï',
    requestParameters: { filterSet: { items: [{ name: "tag:Name", valueSet: { items: [{ value: `web-${i % 97}` }] } }] } },
    eventID: `id-${i}`,
    padding: "x".repeat(40),
  });

let dir = "";
/** name → decoded size */
const files = new Map<string, number>();

/** Writes N events as a Records document or JSON lines, optionally gzipped, without holding them all. */
function write(name: string, kind: "records" | "lines", gzip: boolean): void {
  const parts: string[] = [];
  const flush = (fd: number): void => {
    writeSync(fd, parts.join(""));
    parts.length = 0;
  };
  const plain = join(dir, gzip ? `${name}.plain` : name);
  const fd = openSync(plain, "w");
  let size = 0;
  const add = (s: string): void => {
    parts.push(s);
    size += Buffer.byteLength(s);
    if (parts.length >= 5000) flush(fd);
  };
  if (kind === "records") add('{"Records":[');
  for (let i = 0; i < N; i++) add(kind === "records" ? (i ? "," : "") + event(i) : event(i) + "\n");
  if (kind === "records") add("]}");
  flush(fd);
  closeSync(fd);
  if (gzip) writeFileSync(join(dir, name), gzipSync(readFileSync(plain), { level: 1 }));
  files.set(name, size);
}

before(() => {
  dir = tempDir("big");
  write("records.json", "records", false); // bigger than the limit on disk: scanned from the start
  write("records.json.gz", "records", true); // small on disk, bigger than the limit decoded
  write("lines.jsonl.gz", "lines", true);
});

/** Reads one file in a child process with a small heap; reports the batch structure. */
function readInSmallHeap(path: string): Record<string, unknown> {
  const script = `
    import { Reader } from ${JSON.stringify(join(ROOT, "dist", "src", "sources", "index.js"))};
    const warnings = [];
    const r = new Reader([${JSON.stringify(path)}], { warn: (m) => warnings.push(m) });
    let events = 0, batches = 0, maxBatch = 0, firstAt = -1, consecutive = true, idsInOrder = true;
    for await (const b of r.batches()) {
      if (firstAt < 0) firstAt = r.stats.bytesDecoded;
      if (b.firstIndex !== events) consecutive = false;
      b.events.forEach((e, i) => { if (e.eventID !== "id-" + (b.firstIndex + i)) idsInOrder = false; });
      events += b.events.length;
      batches++;
      maxBatch = Math.max(maxBatch, b.events.length);
    }
    console.log(JSON.stringify({ events, batches, maxBatch, firstAt, consecutive, idsInOrder, warnings, decoded: r.stats.bytesDecoded }));`;
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, "--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(r.status, 0, `the reader ran out of its ${HEAP_MB} MB heap or failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

for (const name of ["records.json", "records.json.gz", "lines.jsonl.gz"]) {
  test(`a big ${name} streams: small batches, first one early, bounded heap`, () => {
    const size = files.get(name)!;
    assert.ok(size > WHOLE_PARSE_LIMIT, "the test file must be bigger than the whole-parse limit");
    assert.ok(size > 2 * HEAP_MB * (1 << 20), "the test file must be bigger than twice the heap");
    const got = readInSmallHeap(join(dir, name));
    assert.deepEqual(got["warnings"], []);
    assert.equal(got["events"], N);
    assert.equal(got["decoded"], size);
    assert.equal(got["consecutive"], true);
    assert.equal(got["idsInOrder"], true);
    assert.ok((got["maxBatch"] as number) <= 2000);
    assert.ok((got["batches"] as number) >= N / 2000);
    // The first batch came while most of the file was still unread.
    assert.ok((got["firstAt"] as number) < size / 2, `first batch after ${String(got["firstAt"])} of ${size} bytes`);
  });
}

test("big JSON lines on standard input stream line by line", async () => {
  let produced = 0;
  async function* source(): AsyncGenerator<Buffer> {
    for (let i = 0; i < N; i += 500) {
      const lines: string[] = [];
      for (let j = i; j < i + 500; j++) lines.push(event(j));
      produced = i + 500;
      yield Buffer.from(lines.join("\n") + "\n");
    }
  }
  const reader = new Reader(["-"], { warn: (m) => assert.fail(m), stdin: Readable.from(source()) });
  let events = 0;
  let producedAtFirst = -1;
  for await (const b of reader.batches()) {
    if (producedAtFirst < 0) producedAtFirst = produced;
    assert.equal(b.firstIndex, events);
    assert.ok(b.events.length <= 2000);
    events += b.events.length;
  }
  assert.equal(events, N);
  assert.ok(producedAtFirst < N / 10, `first batch after ${producedAtFirst} lines were produced`);
  assert.equal(reader.stats.eventsRead, N);
});

test("a multi-member gzip whose trailer understates its size falls back to streaming, same events", async () => {
  // The last member's trailer says a few hundred bytes; the first member decodes to about 12 MB, more
  // than a whole-file gunzip may produce here, so the reader must switch to the streaming decoder.
  const n = 30_000;
  const first = `{"Records":[${Array.from({ length: n }, (_, i) => event(i)).join(",")}]}`;
  const last = `{"Records":[${event(n)}]}`;
  const path = join(dir, "multi.json.gz");
  writeFileSync(path, Buffer.concat([gzipSync(first, { level: 1 }), gzipSync(last)]));
  const reader = new Reader([path], { warn: (m) => assert.fail(m), wholeParseLimit: 1 << 20 });
  let events = 0;
  for await (const b of reader.batches()) {
    assert.equal(b.firstIndex, events);
    assert.ok(b.events.length <= 2000);
    b.events.forEach((e, i) => assert.equal(e["eventID"], `id-${b.firstIndex + i}`));
    events += b.events.length;
  }
  assert.equal(events, n + 1);
  assert.equal(reader.stats.bytesDecoded, Buffer.byteLength(first) + Buffer.byteLength(last));
});

test("a 30 MB string costs memory in proportion to it: a plain document at most 3.5 times its size, JSON lines 4.5 (the line's pieces joined, then its text), and its bytes are not kept while its events are out", () => {
  const big = tempDir("big-string");
  const size = 30_000_000;
  const ev = (n: number, extra = {}): string => JSON.stringify({ eventTime: `2024-01-01T00:00:0${n}Z`, eventName: "A", eventID: `id-${n}`, ...extra });
  writeFileSync(join(big, "doc.json"), `{"Records":[${ev(1, { userAgent: "u".repeat(size) })},${ev(2)}]}`);
  writeFileSync(join(big, "lines.jsonl"), `${ev(1, { userAgent: "u".repeat(size) })}\n${ev(2)}\n`);
  for (const name of ["doc.json", "lines.jsonl"]) {
    // the file's bytes, their text and the parsed value: three copies, and no more
    const script = `
      import { Reader } from ${JSON.stringify(join(ROOT, "dist", "src", "sources", "index.js"))};
      const start = process.resourceUsage().maxRSS;
      const r = new Reader([${JSON.stringify(join(big, name))}], { warn: (m) => console.error(m) });
      const lengths = [];
      let kept = 0;
      for await (const b of r.batches()) {
        for (const e of b.events) lengths.push(e.userAgent?.length ?? 0);
        // V8 frees the memory of dead buffers on a background thread after a collection: on a busy
        // machine that takes a moment, so the least of a few looks is what is really held
        let held = Infinity;
        for (let look = 0; look < 10 && held >= ${size / 10}; look++) {
          if (look > 0) await new Promise((r) => setTimeout(r, 20));
          gc();
          held = Math.min(held, process.memoryUsage().arrayBuffers);
        }
        kept = Math.max(kept, held);
      }
      console.log(JSON.stringify({ lengths, grew: (process.resourceUsage().maxRSS - start) * 1024, kept }));`;
    const r = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "");
    const got = JSON.parse(r.stdout) as { lengths: number[]; grew: number; kept: number };
    assert.deepEqual(got.lengths, [size, 0]);
    // a line is read whole (its pieces, joined, its text, its value); a document's records are scanned where they lie
    assert.ok(got.grew < (name === "lines.jsonl" ? 4.5 : 3.5) * size, `${name}: the reader grew by ${(got.grew / 1e6).toFixed(0)} MB for a ${size / 1e6} MB string`);
    // while the pipeline has the file's events, the reader holds none of the file's bytes
    assert.ok(got.kept < size / 10, `${name}: ${(got.kept / 1e6).toFixed(0)} MB of buffers held while the events were out`);
  }
});

test("standard input is not held as it is read: 40 MB of JSON lines through a stream with an abort signal (as the CLI reads it), the bytes still held stay under 8 MB", () => {
  // each chunk raced against one promise kept for the whole stream stayed alive on it: every byte read was held
  const script = `
    import { Readable } from "node:stream";
    import { Reader } from ${JSON.stringify(join(ROOT, "dist", "src", "sources", "index.js"))};
    const line = JSON.stringify({ eventTime: "2024-01-01T00:00:00Z", eventName: "A", eventSource: "s3.amazonaws.com", requestParameters: { pad: "p".repeat(900) } }) + "\\n";
    const chunk = line.repeat(64);
    let sent = 0;
    const stdin = new Readable({ read() { this.push(sent < 40e6 ? Buffer.from(chunk) : null); sent += chunk.length; } });
    const r = new Reader(["-"], { warn: (m) => console.error(m), stdin, signal: new AbortController().signal });
    let events = 0;
    let held = 0;
    for await (const b of r.batches()) {
      events += b.events.length;
      if (events % 20000 < b.events.length) {
        gc();
        await new Promise((r) => setTimeout(r, 5));
        gc();
        held = Math.max(held, process.memoryUsage().arrayBuffers);
      }
    }
    console.log(JSON.stringify({ events, held }));`;
  const r = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "");
  const got = JSON.parse(r.stdout) as { events: number; held: number };
  assert.ok(got.events > 35_000, `${got.events} events`);
  assert.ok(got.held < 8e6, `${(got.held / 1e6).toFixed(0)} MB of buffers held while reading standard input`);
});
