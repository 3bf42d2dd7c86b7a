// Spill files: what sort, stats and dedup write past their memory budget (memory.ts), in a folder
// of the query's own under the system's temporary folder (os.tmpdir(): TMPDIR), removed when the
// query ends, when the process ends (temp-paths.ts), and file by file as they are read.
//
// A file is a sequence of blocks, each a 4-byte length and a v8.serialize'd array of records
// (plain values: no classes, no functions), written and read synchronously (operators push rows one
// at a time). Runs (sorted files) are merged k ways; partitions split records by a hash of their
// key, so that each partition's keys fit in memory on their own.
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import { ExitCode, UserError } from "../errors.js";
import { madeRemovedAtEnd, removeNow } from "./temp-paths.js";

/** Runs an I/O step of spilling: a failure (a full disk) is the user's to fix, not a bug. */
function io<T>(what: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`spilling to disk past the memory budget failed (${what}): ${err.code ?? ""} ${err.message}`.replace(/\s+/g, " ").trim(), ExitCode.memory);
  }
}

/** A query's folder of spill files, made when the first file is. */
export class SpillFolder {
  private path: string | undefined;
  private files = 0;
  /** Bytes written to its files so far. */
  written = 0;

  /** The path of a new file in the folder. */
  file(): string {
    if (this.path === undefined) {
      this.path = madeRemovedAtEnd(() => io(`making a folder in ${tmpdir()}`, () => mkdtempSync(join(tmpdir(), "trailq-"))));
    }
    return join(this.path, String(this.files++));
  }

  /** Whether any file was made. */
  get used(): boolean {
    return this.path !== undefined;
  }

  remove(): void {
    if (this.path === undefined) return;
    removeNow(this.path);
    this.path = undefined;
  }
}

/**
 * Serialized bytes a block aims at: large enough for few writes, small enough to hold many at once
 * (a partition writer's pending block each, a merge's block of each run).
 */
const BLOCK_BYTES = 32 << 10;

/** Writes records to a file, a block at a time. */
export class RecordWriter<T> {
  private readonly fd: number;
  private pending: T[] = [];
  /** Records per block: adjusted to what the last block's records weighed. */
  private blockRecords = 64;
  readonly path: string;

  constructor(private readonly folder: SpillFolder) {
    const path = (this.path = folder.file());
    this.fd = io(`opening ${path}`, () => openSync(path, "w"));
  }

  add(record: T): void {
    this.pending.push(record);
    if (this.pending.length >= this.blockRecords) this.flush();
  }

  /** Writes the records pending (nothing stays in memory). */
  flush(): void {
    const n = this.pending.length;
    if (n === 0) return;
    const body = serialize(this.pending);
    this.pending = [];
    const head = Buffer.allocUnsafe(4);
    head.writeUInt32LE(body.length, 0);
    io(`writing ${this.path}`, () => {
      writeSync(this.fd, head);
      writeSync(this.fd, body);
    });
    this.folder.written += 4 + body.length;
    this.blockRecords = Math.max(16, Math.min(8192, Math.round((BLOCK_BYTES * n) / body.length)));
  }

  /** Writes what is pending and closes the file. */
  close(): void {
    this.flush();
    io(`closing ${this.path}`, () => closeSync(this.fd));
  }
}

/** Reads a file's records in order, a block at a time; the file is deleted once read to its end. */
export class RecordReader<T> {
  private fd: number | undefined;
  private at = 0;
  private block: T[] = [];
  private i = 0;
  readonly bytes: number;

  constructor(readonly path: string) {
    this.fd = io(`opening ${path}`, () => openSync(path, "r"));
    this.bytes = fstatSync(this.fd).size;
  }

  next(): T | undefined {
    while (this.i >= this.block.length) if (!this.load()) return undefined;
    const r = this.block[this.i]!;
    this.block[this.i++] = undefined as T; // let it go as soon as it is handed on
    return r;
  }

  private load(): boolean {
    if (this.fd === undefined) return false;
    const fd = this.fd;
    if (this.at >= this.bytes) {
      this.close();
      return false;
    }
    const head = Buffer.allocUnsafe(4);
    io(`reading ${this.path}`, () => readSync(fd, head, 0, 4, this.at));
    const len = head.readUInt32LE(0);
    const body = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) got += io(`reading ${this.path}`, () => readSync(fd, body, got, len - got, this.at + 4 + got)) || fail(this.path);
    this.at += 4 + len;
    this.block = deserialize(body) as T[];
    this.i = 0;
    return true;
  }

  /** Closes and deletes the file (also before its end: a merge that stopped early). */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.path, { force: true });
  }
}

function fail(path: string): never {
  throw new UserError(`spill file ${path} ended early (was it removed while the query ran?)`, ExitCode.memory);
}

/** Something records come from in order: a file, or an array held in memory. */
export interface RecordSource<T> {
  next(): T | undefined;
}

/** An array as a source, its items let go as they are handed on. */
export function arraySource<T>(items: T[]): RecordSource<T> {
  let i = 0;
  return {
    next() {
      if (i >= items.length) return undefined;
      const x = items[i]!;
      items[i++] = undefined as T;
      return x;
    },
  };
}

/**
 * Merges sources each in `compare` order into one stream in that order (a binary heap on each
 * source's next record). `emit` returning false stops the merge.
 */
export function mergeSources<T>(sources: RecordSource<T>[], compare: (a: T, b: T) => number, emit: (item: T) => boolean | void): void {
  const heap: { item: T; src: RecordSource<T> }[] = [];
  const less = (a: { item: T }, b: { item: T }): boolean => compare(a.item, b.item) < 0;
  const siftDown = (i: number): void => {
    const n = heap.length;
    const e = heap[i]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && less(heap[c + 1]!, heap[c]!)) c++;
      if (!less(heap[c]!, e)) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = e;
  };
  for (const src of sources) {
    const item = src.next();
    if (item !== undefined) heap.push({ item, src });
  }
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(i);
  while (heap.length > 0) {
    const top = heap[0]!;
    if (emit(top.item) === false) return;
    const item = top.src.next();
    if (item !== undefined) top.item = item;
    else {
      const last = heap.pop()!;
      if (heap.length === 0) return;
      heap[0] = last;
    }
    siftDown(0);
  }
}

/** What a partition's records take in memory, about, for each byte of their file (v8.serialize is compact). */
export const EXPANSION = 4;

/** Partitions a spill splits records into. */
export const PARTITIONS = 64;
/** Times a partition too big for memory is split again (with another hash) before giving up. */
const MAX_SPLITS = 2;

/** FNV-1a of a key (numbers by their text), 32 bits, salted by `seed` (each split uses another). */
export function hashKey(key: string | number, seed: number): number {
  const s = typeof key === "number" ? "n" + key : key;
  let h = 0x811c9dc5 ^ Math.imul(seed + 1, 0x9e3779b1);
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** Records written to PARTITIONS files by the hash of their key; every record of a key in one file, in the order added. */
export class Partitions<T> {
  private readonly writers: RecordWriter<T>[];

  constructor(
    folder: SpillFolder,
    private readonly keyOf: (record: T) => string | number,
    private readonly seed = 0,
  ) {
    this.writers = Array.from({ length: PARTITIONS }, () => new RecordWriter<T>(folder));
  }

  add(record: T): void {
    this.writers[hashKey(this.keyOf(record), this.seed) % PARTITIONS]!.add(record);
  }

  /** Writes every partition's pending records (a spill is over: nothing of it stays in memory). */
  flush(): void {
    for (const w of this.writers) w.flush();
  }

  /** Closes the files: their paths, in partition order. */
  close(): string[] {
    for (const w of this.writers) w.close();
    return this.writers.map((w) => w.path);
  }
}

/**
 * Visits each partition's records (in the order they were added), one partition at a time. A
 * partition whose file is too big to hold (`fits(bytes)` false) is split again by another hash of
 * the key first; one that still does not fit (a few keys hold it all) calls `tooBig`, which throws.
 */
export function eachPartition<T>(
  paths: string[],
  opts: { folder: SpillFolder; keyOf: (record: T) => string | number; fits: (fileBytes: number) => boolean; tooBig: () => never },
  visit: (records: RecordSource<T>, fileBytes: number) => void,
  splits = 0,
): void {
  for (const path of paths) {
    const reader = new RecordReader<T>(path);
    if (opts.fits(reader.bytes) || reader.bytes === 0) {
      visit(reader, reader.bytes);
      reader.close();
      continue;
    }
    if (splits >= MAX_SPLITS) {
      reader.close();
      opts.tooBig();
    }
    const parts = new Partitions<T>(opts.folder, opts.keyOf, splits + 1);
    for (let r = reader.next(); r !== undefined; r = reader.next()) parts.add(r);
    eachPartition(parts.close(), opts, visit, splits + 1);
  }
}

/** A growable set of bits (dedup: the spilled rows that are kept). */
export class Bitmap {
  private bits = new Uint8Array(1024);

  set(i: number): void {
    const byte = i >>> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, 2 * this.bits.length));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[byte]! |= 1 << (i & 7);
  }

  has(i: number): boolean {
    const byte = i >>> 3;
    return byte < this.bits.length && (this.bits[byte]! & (1 << (i & 7))) !== 0;
  }
}
