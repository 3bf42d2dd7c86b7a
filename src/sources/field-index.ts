// The field index of a folder (`trailq index FOLDER`): for each file, the values a few fields take
// in its events (eventName, eventSource, the principal, the source IP...) and their first and last
// time. A query whose filter needs such a field to hold some values (`eventName = "ConsoleLogin"`,
// `eventName in [...]`, `eventName like /^Delete/`: exec/index-clauses.ts), or whose time range
// misses a file's times, then leaves out, unopened, every file whose events can't pass. A file is
// left out only when its size, modification time and change time are still those it was indexed
// with; any other file (changed, new, not indexed) is read as usual, so the index can make a query
// faster, never its answer different.
//
// Kept in $XDG_CACHE_HOME/trailq/index/<hash of the folder's path>/ (never in the folder itself:
// evidence may be read-only): `files.json` names the folders below it and how many files each
// holds, `files.bin` has a row of numbers a file (its name's hash, size, mtime, ctime, events), and
// two files per field give each value and the files holding it (their numbers, as gaps). What is
// numbers is kept as numbers, so that a query over tens of thousands of files reads them without
// parsing (the names as JSON took 80 ms to read and parse for the small-file trail's 23,363
// files). A query over the folder or any folder or file below it uses it.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { crc32 } from "./crc32.js";
import path from "node:path";
import { z } from "../zod.js";
import { cacheHome, cacheUsage } from "../cache-home.js";
import type { IndexAlternative, SourceFile } from "./types.js";
import { isS3Url } from "./s3/url.js";
import { logGroupFromPath } from "./cloudtrail.js";

/** The fields indexed: those investigations filter on by value. */
export const INDEXED_FIELDS: readonly (readonly string[])[] = [
  ["eventName"],
  ["eventSource"],
  ["awsRegion"],
  ["errorCode"],
  ["eventType"],
  ["recipientAccountId"],
  ["sourceIPAddress"],
  ["userAgent"],
  ["userIdentity", "type"],
  ["userIdentity", "arn"],
  ["userIdentity", "principalId"],
  ["userIdentity", "accessKeyId"],
  ["userIdentity", "userName"],
];

/**
 * Changes when what an index holds, or how, does (10: a file with an eventTime that is no time is a
 * problem file; 11: so is one with bytes that are not UTF-8 anywhere, or a second "Records" key).
 */
const FORMAT = 11;

const FilesSchema = z
  .object({
    format: z.literal(FORMAT),
    /** The folder indexed (absolute). */
    root: z.string(),
    /** When it was built (epoch ms), and a token its other files carry (a file of another build is not used). */
    built: z.number(),
    build: z.string(),
    /**
     * The CRC-32 of files.bin and then of this list's own values (listCrc): a file damaged without a
     * change of size is not used (one flipped bit hid every ConsoleLogin).
     */
    crc: z.number(),
    fields: z.array(z.array(z.string())),
    /** The folders (path in the root: "" or ending in "/"), and how many of the files, in files.bin's order, are in each. */
    folders: z.array(z.string()),
    counts: z.array(z.int().check(z.nonnegative())),
  })
  .check(z.refine((f) => f.counts.length === f.folders.length, "the folder lists differ in length"));
type FilesList = z.infer<typeof FilesSchema>;
/** What files.json's CRC covers beside files.bin: every value but the CRC. */
const filesLists = (l: FilesList): unknown[] => [l.format, l.root, l.built, l.build, l.fields, l.folders, l.counts];

/**
 * files.bin: ROW numbers a file (float64, the machine's byte order: the name's hash, size, mtime,
 * events, the first and last eventTime, NaN when an event has none, ctime and inode), folder by folder
 * and by the name's hash within a folder, after a first row that holds the build's token's hash and the rows.
 * A file that had a problem when it was indexed has TROUBLED for its events and no values: it is
 * known, and always read.
 */
const ROW = 8;
const [NAME, SIZE, MTIME, EVENTS, FIRST, LAST, CTIME, INODE] = [0, 1, 2, 3, 4, 5, 6, 7];
const TROUBLED = -1;

/** An index's lists, read. */
interface IndexFiles extends FilesList {
  rows: Float64Array;
  /** Files. */
  n: number;
}

/**
 * A 53-bit hash of a name (from `from` to its end): two 32-bit multiply-xor lanes. Two names of a
 * folder with the same hash would share a row (its size and time must also match to leave a file
 * out): at 2^-53 a pair, about one in 2 × 10^11 for a CloudTrail day folder's 288 files a region,
 * one in 2 × 10^8 for a folder of 10,000.
 */
function nameHash(s: string, from = 0): number {
  let h1 = 0x9e3779b9;
  let h2 = 0x85ebca6b;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b) ^ Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b) ^ Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  return (h2 & 0x1fffff) * 0x100000000 + (h1 >>> 0);
}

/**
 * field-K.json: a field's values and how many files hold each, and how many files hold it as a
 * number, a boolean, an object or an array (`others`); field-K.bin: for each value in turn, then
 * for the others, the numbers of the files (uint32, the machine's byte order), the first and then
 * the gaps to each next (read as numbers, not parsed: 140,000 of them took zod 25-50 ms).
 */
const FieldSchema = z
  .object({
    build: z.string(),
    /** The CRC-32 of field-K.bin and then of the values, counts and others (listCrc): a value with a bit changed, or two swapped, left out the files that hold it. */
    crc: z.number(),
    values: z.array(z.string()),
    counts: z.array(z.int().check(z.positive())),
    others: z.int().check(z.nonnegative()),
  })
  .check(z.refine((f) => f.counts.length === f.values.length, "the value lists differ in length"));

/** A field's values, and the files holding each. */
class FieldFiles {
  /** Where each value's numbers start in `gaps` (one more than the values: the last is the end). */
  private readonly starts: Uint32Array;

  /** `counts`: each value's files, then the others'. */
  constructor(
    readonly values: readonly string[],
    counts: readonly number[],
    private readonly gaps: Uint32Array,
  ) {
    this.starts = new Uint32Array(counts.length + 1);
    counts.forEach((c, i) => (this.starts[i + 1] = this.starts[i]! + c));
  }

  /** Whether the numbers add up to the counts. */
  get whole(): boolean {
    return this.starts[this.starts.length - 1] === this.gaps.length;
  }

  /** The numbers of the files whose events hold the field as a number, a boolean, an object or an array. */
  others(): number[] {
    return this.numbers(this.values.length);
  }

  /** The numbers of the files holding the i-th value. */
  numbers(i: number): number[] {
    const out: number[] = [];
    let n = 0;
    for (let j = this.starts[i]!; j < this.starts[i + 1]!; j++) out.push((n += this.gaps[j]!));
    return out;
  }

  /** The numbers of the files holding a value (none when no file does). */
  holding(value: string): number[] {
    const i = this.values.indexOf(value);
    return i < 0 ? [] : this.numbers(i);
  }
}

/** Where the indexes are. */
export function indexHome(): string {
  return path.join(cacheHome(), "index");
}

/** The folder of a folder's index (`root` absolute). */
export function indexDir(root: string, home = indexHome()): string {
  return path.join(home, createHash("sha256").update(root).digest("hex").slice(0, 32));
}

const fieldFile = (dir: string, k: number, ext: "json" | "bin"): string => path.join(dir, `field-${k}.${ext}`);
const fieldKey = (p: readonly unknown[]): string => JSON.stringify(p);

/**
 * The CRC-32 of an index's .bin file and then of the lists its .json file holds beside it, as
 * JSON: what JSON.parse reads back is written the same again, so a bit changed in either file, or
 * two values swapped, gives another CRC.
 */
const listCrc = (bin: Uint8Array, lists: readonly unknown[]): number => crc32(Buffer.from(JSON.stringify(lists)), crc32(bin));

/** A file's bytes as numbers: seen in place, or copied when they do not start where such numbers can. */
function numbers<T extends Float64Array | Uint32Array>(bytes: Buffer, Kind: { new (b: ArrayBufferLike, offset: number, length: number): T; BYTES_PER_ELEMENT: number }): T {
  const size = Kind.BYTES_PER_ELEMENT;
  const at = bytes.byteOffset % size === 0 ? bytes : Buffer.from(bytes);
  return new Kind(at.buffer, at.byteOffset, at.length / size);
}

/** The index of a folder (`root` absolute), when there is one that can be read. */
function readIndexFiles(root: string, home = indexHome()): IndexFiles | undefined {
  try {
    const dir = indexDir(root, home);
    const list = FilesSchema.parse(JSON.parse(readFileSync(path.join(dir, "files.json"), "utf8")));
    // another folder's (a hash's collision), or one of other fields
    if (list.root !== root || fieldKey(list.fields) !== fieldKey(INDEXED_FIELDS)) return undefined;
    const bytes = readFileSync(path.join(dir, "files.bin"));
    if (bytes.length % (ROW * 8) !== 0 || listCrc(bytes, filesLists(list)) !== list.crc) return undefined;
    const rows = numbers(bytes, Float64Array);
    const n = rows.length / ROW - 1;
    if (rows[0] !== nameHash(list.build) || rows[1] !== n || list.counts.reduce((a, b) => a + b, 0) !== n) return undefined;
    return { ...list, rows: rows.subarray(ROW), n };
  } catch {
    return undefined; // none, or one that can't be read: files are read as usual
  }
}

/** One field's values and the files holding each, or undefined when it can't be read. */
function readField(root: string, files: IndexFiles, k: number, home: string): FieldFiles | undefined {
  try {
    const dir = indexDir(root, home);
    const f = FieldSchema.parse(JSON.parse(readFileSync(fieldFile(dir, k, "json"), "utf8")));
    if (f.build !== files.build) return undefined;
    const bytes = readFileSync(fieldFile(dir, k, "bin"));
    if (bytes.length % 4 !== 0 || listCrc(bytes, [f.build, f.values, f.counts, f.others]) !== f.crc) return undefined;
    const gaps = numbers(bytes, Uint32Array);
    const field = new FieldFiles(f.values, [...f.counts, f.others], gaps);
    return field.whole ? field : undefined;
  } catch {
    return undefined;
  }
}

/** A path in the folder as its folder's path ("" or ending in "/") and the name's hash. */
function place(p: string): [string, number] {
  const cut = p.lastIndexOf("/") + 1;
  return [p.slice(0, cut), nameHash(p, cut)];
}

/** What the index holds of a file besides its values. */
export interface FileFigures {
  size: number;
  mtimeMs: number;
  /**
   * The inode's change time: a file rewritten to the same size with its modification time put back
   * (`touch -r`, `cp -p`, `rsync -t`, `tar x`) has a new one.
   */
  ctimeMs: number;
  /**
   * The inode: a name given to another file of the same size and times (a symlink retargeted, two
   * folders swapped by a rename, files written by one command in one tick) is another file.
   */
  ino: number;
  events: number;
  /** Its events' first and last eventTime (epoch ms); NaN when an event has none that is a time. */
  first: number;
  last: number;
}

/** What tells a file unchanged since it was indexed: its size, times and inode. */
export type FileStamp = Pick<FileFigures, "size" | "mtimeMs" | "ctimeMs" | "ino">;

/** The stamp of a file's stat (or of what holds one: an index's figures of it). */
export const stampOf = (s: FileStamp): FileStamp => ({ size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino });

/** Whether two stamps are of the same file, unchanged: every part equal. */
export const sameStamp = (a: FileStamp, b: FileStamp): boolean => a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;

/** A file of an index as a build may keep it: its number there, and its figures. */
export interface KeptFile extends FileFigures {
  number: number;
}

/** A folder's index as a new build reads it. */
export interface OldIndex {
  /** Its files by their folder and name's hash (keptKey). */
  files: Map<string, KeptFile>;
  /**
   * Calls `each` with every value of each field and the numbers of the files holding it (undefined:
   * the files holding the field as a number, a boolean, an object or an array); false when they
   * can't be read.
   */
  values(each: (field: number, value: string | undefined, numbers: readonly number[]) => void): boolean;
}

/** A folder's index (`root` absolute) as a new build reads it: what it keeps of the files that did not change. */
export function readIndex(root: string, home = indexHome()): OldIndex | undefined {
  const files = readIndexFiles(root, home);
  if (!files) return undefined;
  const kept = new Map<string, KeptFile>();
  let i = 0;
  files.folders.forEach((folder, k) => {
    for (const end = i + files.counts[k]!; i < end; i++) {
      const r = files.rows.subarray(i * ROW, (i + 1) * ROW);
      // a file that had a problem is read again
      if (r[EVENTS] !== TROUBLED) kept.set(keptKey(folder, r[NAME]!), { number: i, size: r[SIZE]!, mtimeMs: r[MTIME]!, ctimeMs: r[CTIME]!, ino: r[INODE]!, events: r[EVENTS]!, first: r[FIRST]!, last: r[LAST]! });
    }
  });
  return {
    files: kept,
    values(each) {
      for (let k = 0; k < INDEXED_FIELDS.length; k++) {
        const field = readField(root, files, k, home);
        if (!field) return false;
        field.values.forEach((value, i) => each(k, value, field.numbers(i)));
        each(k, undefined, field.others());
      }
      return true;
    },
  };
}

/** The key readIndex gives a kept file: its folder and its name's hash. */
function keptKey(folder: string, hash: number): string {
  return `${folder}\0${hash}`;
}

/** A kept file's key from its path in the folder ("/" between names). */
export function keptKeyOf(p: string): string {
  return keptKey(...place(p));
}

/**
 * A folder's index as it is built: its files, and for each field's values the files holding them
 * (by the order files were added in; numbered by folder and name's hash when written). Only these
 * lists are held, not each file's values.
 */
export class IndexWriter {
  private readonly files: (FileFigures & { path: string; dropped: boolean; troubled: boolean })[] = [];
  private readonly holders = INDEXED_FIELDS.map(() => new Map<string, number[]>());
  /** For each field, the files holding it as a number, a boolean, an object or an array. */
  private readonly others = INDEXED_FIELDS.map((): number[] => []);

  /** Adds a file; returns its id (for holds and drop). */
  add(relPath: string, figures: FileFigures): number {
    const { size, mtimeMs, ctimeMs, ino, events, first, last } = figures;
    return this.files.push({ path: relPath, size, mtimeMs, ctimeMs, ino, events, first, last, dropped: false, troubled: false }) - 1;
  }

  /** The file of this id holds this value of field k (undefined: a number, a boolean, an object or an array). */
  holds(id: number, k: number, value: string | undefined): void {
    if (value === undefined) {
      this.others[k]!.push(id);
      return;
    }
    const h = this.holders[k]!.get(value);
    if (h) h.push(id);
    else this.holders[k]!.set(value, [id]);
  }

  /** Leaves a file added out after all. */
  drop(id: number): void {
    this.files[id]!.dropped = true;
  }

  /** A file added had a problem: the index names it without its values, and queries read it. */
  trouble(id: number): void {
    this.files[id]!.troubled = true;
  }

  /** The files the index will vouch for. */
  get size(): number {
    return this.files.reduce((n, f) => n + (f.dropped || f.troubled ? 0 : 1), 0);
  }

  /** The events those files hold. */
  get events(): number {
    return this.files.reduce((n, f) => n + (f.dropped || f.troubled ? 0 : f.events), 0);
  }

  /** Writes the index of `root` (absolute; replacing any before): the field files and the rows first, then the list that names their build. */
  write(root: string, home = indexHome()): string {
    const dir = indexDir(root, home);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const placed = this.files.map((f, id) => ({ f, id, at: place(f.path) })).filter((x) => !x.f.dropped);
    placed.sort((x, y) => (x.at[0] < y.at[0] ? -1 : x.at[0] > y.at[0] ? 1 : x.at[1] - y.at[1]));
    /** Each id's number in the index (-1: dropped, or troubled: no value of it is kept). */
    const number = new Int32Array(this.files.length).fill(-1);
    placed.forEach((x, i) => (number[x.id] = x.f.troubled ? -1 : i));
    const build = `${Date.now().toString(36)}-${process.pid}`;
    const put = (file: string, data: string | Uint8Array): void => {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, data, { mode: 0o600 });
      renameSync(tmp, file);
    };
    this.holders.forEach((holders, k) => {
      const values: string[] = [];
      const counts: number[] = [];
      const gaps: number[] = [];
      /** The files of these ids, as numbers, after those before: how many. */
      const add = (ids: readonly number[]): number => {
        const numbers = ids.map((id) => number[id]!).filter((n) => n >= 0);
        numbers.sort((a, b) => a - b);
        numbers.forEach((n, i) => gaps.push(i === 0 ? n : n - numbers[i - 1]!));
        return numbers.length;
      };
      for (const [v, ids] of holders) {
        const count = add(ids);
        if (count === 0) continue;
        values.push(v);
        counts.push(count);
      }
      const others = add(this.others[k]!);
      const bin = new Uint8Array(Uint32Array.from(gaps).buffer);
      put(fieldFile(dir, k, "bin"), bin);
      put(fieldFile(dir, k, "json"), JSON.stringify({ build, crc: listCrc(bin, [build, values, counts, others]), values, counts, others }));
    });
    const rows = new Float64Array((placed.length + 1) * ROW);
    rows[0] = nameHash(build);
    rows[1] = placed.length;
    placed.forEach(({ f, at }, i) => rows.set(f.troubled ? [at[1], f.size, f.mtimeMs, TROUBLED, NaN, NaN, f.ctimeMs, f.ino] : [at[1], f.size, f.mtimeMs, f.events, f.first, f.last, f.ctimeMs, f.ino], (i + 1) * ROW));
    const bin = new Uint8Array(rows.buffer);
    put(path.join(dir, "files.bin"), bin);
    const folders: string[] = [];
    const counts: number[] = [];
    for (const { at } of placed) {
      if (folders[folders.length - 1] === at[0]) counts[counts.length - 1]!++;
      else {
        folders.push(at[0]);
        counts.push(1);
      }
    }
    const list: FilesList = { format: FORMAT, root, built: Date.now(), build, crc: 0, fields: INDEXED_FIELDS.map((p) => [...p]), folders, counts };
    list.crc = listCrc(bin, filesLists(list));
    put(path.join(dir, "files.json"), JSON.stringify(list));
    return dir;
  }
}

/** The indexes kept and their bytes: `trailq cache info`. */
export function indexInfo(home = indexHome()): { indexes: number; bytes: number } {
  const { entries, bytes } = cacheUsage(home);
  return { indexes: entries, bytes };
}

/** Removes every index: `trailq cache clear`. Says what went. */
export function clearIndexes(home = indexHome()): { indexes: number; bytes: number } {
  const gone = indexInfo(home);
  rmSync(home, { recursive: true, force: true });
  return gone;
}

/** One folder's index as a query uses it: which of its files may hold an event the filter keeps. */
interface IndexView {
  /** The folder, with a separator at its end. */
  base: string;
  files: IndexFiles;
  /** Each folder's files: from its first number to past its last. */
  folders: Map<string, [number, number]>;
  /** 1 for a file that may hold an event the filter keeps. */
  mayMatch: Uint8Array;
  /** Files found new or changed since the index was built. */
  changed: number;
  /** Files below its folder that its walk does not take (hidden, or reached through a link). */
  unindexed: number;
  /** The folder's real path, once asked for (outsideWalk). */
  realBase?: string;
}

/** A file the index left out: the events it holds, and their first and last time when the time range left it out. */
export interface LeftOut {
  events: number;
  /** Set when its events' times are all outside the range (epoch ms). */
  times?: { first: number; last: number };
}

/**
 * Leaves out the files a folder's index says hold no event the query keeps: none with a value its
 * filter needs (exec/index-clauses.ts), or none in its time range. Inactive when neither applies or
 * no input is (in) an indexed folder.
 */
export class IndexPruner {
  private readonly views: IndexView[] = [];
  /** Whether the filter asks for values of indexed fields and an input is on this machine (an index would leave files out by them). */
  readonly serves: boolean = false;
  /** The last file's folder (absolute, with its separator), its view and its files there. */
  private lastDir = "";
  private last: { view: IndexView; from: number; to: number } | undefined;

  /** The time range's ends (epoch ms, inclusive; ±Infinity when open). */
  private readonly start: number;
  private readonly end: number;

  constructor(clauses: readonly IndexAlternative[][], inputs: readonly string[], range: { start?: number; end?: number } = {}, home = indexHome()) {
    this.start = range.start ?? -Infinity;
    this.end = range.end ?? Infinity;
    const indexed = new Map(INDEXED_FIELDS.map((p, k) => [fieldKey(p), k]));
    const usable = clauses.filter((alts) => alts.every((a) => indexed.has(fieldKey(a.path))));
    const local = inputs.filter((input) => input !== "-" && !isS3Url(input));
    if (local.length === 0) return;
    this.serves = usable.length > 0;
    if (!this.serves && this.start === -Infinity && this.end === Infinity) return;
    const roots = new Set<string>();
    for (const input of local) {
      // the input's own index, or that of a folder above it
      for (let dir = path.resolve(input); ; dir = path.dirname(dir)) {
        if (roots.has(dir)) break;
        const files = readIndexFiles(dir, home);
        if (files) {
          roots.add(dir);
          const view = this.view(dir, files, usable, indexed, home);
          if (view) this.views.push(view);
          break;
        }
        if (path.dirname(dir) === dir) break;
      }
    }
  }

  private view(root: string, files: IndexFiles, clauses: readonly IndexAlternative[][], indexed: Map<string, number>, home: string): IndexView | undefined {
    const n = files.n;
    // each folder's files: those from `from` to before `to`, in files.bin's order
    const ranges: { folder: string; from: number; to: number }[] = [];
    let at = 0;
    files.folders.forEach((folder, k) => {
      const to = at + files.counts[k]!;
      ranges.push({ folder, from: at, to });
      at = to;
    });
    const mayMatch = new Uint8Array(n).fill(1);
    const fields = new Map<number, FieldFiles | undefined>();
    for (const alts of clauses) {
      const some = new Uint8Array(n);
      // an account or region: the files in the layout, where an event without one takes its folder's
      if (alts.some((a) => a.layout)) {
        for (const r of ranges) if (logGroupFromPath(`${path.join(root, r.folder)}/`) !== undefined) some.fill(1, r.from, r.to);
      }
      for (const a of alts) {
        const k = indexed.get(fieldKey(a.path))!;
        if (!fields.has(k)) fields.set(k, readField(root, files, k, home));
        const field = fields.get(k);
        if (!field) return undefined;
        const mark = (numbers: readonly number[]): void => numbers.forEach((i) => (some[i] = 1));
        // (and those holding it as a number, which the scan reads as its digits)
        if (a.layout) mark(field.others());
        if (a.value !== undefined) mark(field.holding(a.value));
        else {
          field.values.forEach((v, j) => a.test!(v) && mark(field.numbers(j)));
          mark(field.others());
        }
      }
      for (let i = 0; i < n; i++) mayMatch[i]! &= some[i]!;
    }
    const folders = new Map<string, [number, number]>(ranges.map((r) => [path.sep === "/" ? r.folder : r.folder.split("/").join(path.sep), [r.from, r.to]]));
    return { base: root.endsWith(path.sep) ? root : root + path.sep, files, folders, mayMatch, changed: 0, unindexed: 0 };
  }

  get active(): boolean {
    return this.views.length > 0;
  }

  /**
   * What the index leaves out of a file (it holds no event the query keeps, and is unchanged since
   * it was indexed), or undefined when it is to be read.
   */
  leavesOut(file: SourceFile): LeftOut | undefined {
    const abs = file.path;
    const cut = abs.lastIndexOf(path.sep) + 1;
    if (cut !== this.lastDir.length || !abs.startsWith(this.lastDir)) {
      const dir = abs.slice(0, cut);
      this.lastDir = dir;
      this.last = undefined;
      for (const view of this.views) {
        if (!dir.startsWith(view.base)) continue;
        // a folder new since the index was built has no files in it
        const [from, to] = view.folders.get(dir.slice(view.base.length)) ?? [0, 0];
        this.last = { view, from, to };
        break;
      }
    }
    const last = this.last;
    if (!last) return undefined;
    const { view } = last;
    const i = find(view.files.rows, nameHash(abs, cut), last.from, last.to);
    if (i < 0) {
      // a file new since the index was built, or one its walk does not take
      if (outsideWalk(view, abs)) view.unindexed++;
      else view.changed++;
      return undefined;
    }
    const row = i * ROW;
    const { rows } = view.files;
    if (rows[row + EVENTS] === TROUBLED) return undefined;
    // NaN (an event without a time) is never outside
    const outside = rows[row + LAST]! < this.start || rows[row + FIRST]! > this.end;
    if (view.mayMatch[i] && !outside) return undefined;
    let st;
    try {
      st = statSync(abs);
    } catch {
      return undefined; // the reader says what is wrong with it
    }
    if (!sameStamp(st, { size: rows[row + SIZE]!, mtimeMs: rows[row + MTIME]!, ctimeMs: rows[row + CTIME]!, ino: rows[row + INODE]! })) {
      view.changed++;
      return undefined;
    }
    const events = rows[row + EVENTS]!;
    return outside && events > 0 ? { events, times: { first: rows[row + FIRST]!, last: rows[row + LAST]! } } : { events };
  }

  /** Files found new or changed since their folder was indexed (read as usual). */
  get changed(): number {
    return this.views.reduce((n, v) => n + v.changed, 0);
  }

  /** Files below an indexed folder that its walk does not take, named or reached otherwise (read as usual). */
  get unindexed(): number {
    return this.views.reduce((n, v) => n + v.unindexed, 0);
  }
}

/**
 * Whether a file below the view's folder is one the folder's walk (and so `trailq index`) does not
 * take: hidden (a name starting with a dot on its way), or reached through a link (its real path
 * is not the folder's real path and the same names).
 */
function outsideWalk(view: IndexView, abs: string): boolean {
  const rel = abs.slice(view.base.length);
  if (rel.split(path.sep).some((part) => part.startsWith("."))) return true;
  try {
    view.realBase ??= realpathSync(view.base);
    return realpathSync(abs) !== path.join(view.realBase, rel);
  } catch {
    return false; // the reader says what is wrong with it
  }
}

/** The number of the file whose name has this hash among rows [from, to) (in the hashes' order), or -1. */
function find(rows: Float64Array, hash: number, from: number, to: number): number {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const m = rows[mid * ROW + NAME]!;
    if (m === hash) return mid;
    if (m < hash) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
