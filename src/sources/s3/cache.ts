// The local cache of fetched objects: $XDG_CACHE_HOME/trailq/s3/ (else ~/.cache/trailq/s3/), a file
// per bucket, key and ETag. A key is never used as a path (it may hold `..`, controls, names past
// the file system's limits): its file is <bucket>/<hh>/<sha256(key)>.<etag>[_<stamp>_][.gz|.json...]. An
// object whose ETag changed gets a new file, and the old one goes. Each use touches the file, and
// past the size cap (TRAILQ_S3_CACHE_SIZE, default 5G) the least recently used files go first. The
// listings (listings.ts) are kept in the same folder, under _listings/, and count against the cap.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, statSync, utimesSync, type Stats } from "node:fs";
import { cacheHome } from "../../cache-home.js";
import { join } from "node:path";
import { parseMemorySize } from "../../exec/memory.js";
import { ExitCode, UserError } from "../../errors.js";

export const DEFAULT_CACHE_CAP = 5 * 1024 ** 3;

/** The cache folder: $XDG_CACHE_HOME/trailq/s3 (~/.cache/trailq/s3 when it is not set). */
export function cacheRoot(): string {
  return join(cacheHome(), "s3");
}

/** The size cap in bytes (TRAILQ_S3_CACHE_SIZE: 512M, 20G...). */
export function cacheCap(): number {
  const text = process.env["TRAILQ_S3_CACHE_SIZE"];
  if (text === undefined || text === "") return DEFAULT_CACHE_CAP;
  const n = parseMemorySize(text);
  if (n === undefined) throw new UserError(`bad value for TRAILQ_S3_CACHE_SIZE ${JSON.stringify(text)}: not a size such as 512M or 20G`, ExitCode.usage);
  return n;
}

/** The folder of the listings (listings.ts) in the cache: not a bucket name (buckets have no underscore). */
export const LISTINGS_DIR = "_listings";

/** The hex SHA-256 of a text: cached files are named by it (keys and prefixes are never paths). */
export const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

const PARTIAL = ".tmp-";
let partials = 0;

/** Where a file of the cache is written before it is renamed into place (not a cached file until then). */
export function partialFile(target: string): string {
  return `${target}${PARTIAL}${process.pid}-${++partials}`;
}

/** A use of a cached file: it goes last past the cap (least recently used first). */
export function touch(file: string): void {
  const now = new Date();
  try {
    utimesSync(file, now, now);
  } catch {
    // a read-only cache is still read
  }
}
/** Extensions kept on the cached file (a name that says what it holds, as a folder's files do). */
const EXTENSION = /(\.(?:json|jsonl|ndjson)(?:\.gz)?|\.gz|\.zip)$/i;

const STAMP_TEXT = /_\d{8}T\d{4}Z_/;

/** Where an object's bytes are kept under `root`. */
export function cachePath(root: string, bucket: string, key: string, etag: string): string {
  const h = sha256(key);
  const tag = /^[0-9A-Za-z-]{1,80}$/.test(etag) ? etag : sha256(etag).slice(0, 32);
  const ext = EXTENSION.exec(key)?.[1]?.toLowerCase() ?? "";
  // the delivery stamp of a CloudTrail name is kept: the scan orders files by it (exec/scan.ts)
  const stamp = STAMP_TEXT.exec(key.slice(key.lastIndexOf("/") + 1))?.[0] ?? "";
  return join(root, bucket, h.slice(0, 2), `${h}.${tag}${stamp}${ext}`);
}

/** The ETag as listed ("..." quotes taken off). */
export function plainEtag(etag: string | undefined): string {
  return (etag ?? "").replace(/^W\//, "").replace(/"/g, "");
}

/** The object's file when it is cached whole (its size as listed); the use touches it (LRU). */
export function cachedFile(file: string, size: number): boolean {
  let st: Stats;
  try {
    st = statSync(file);
  } catch {
    return false;
  }
  if (!st.isFile() || st.size !== size) return false;
  touch(file);
  return true;
}

/** Removes the files of other ETags of the same key (a changed object): they will not be asked for again. */
export function dropOtherVersions(file: string): void {
  const dir = join(file, "..");
  const name = file.slice(dir.length + 1);
  const stem = name.slice(0, 64);
  try {
    for (const n of readdirSync(dir)) if (n !== name && n.startsWith(stem + ".") && !n.includes(PARTIAL)) rmSync(join(dir, n), { force: true });
  } catch {
    // nothing to drop
  }
}

export interface CacheEntry {
  path: string;
  size: number;
  used: number;
  /** A listing (listings.ts), not an object. */
  listing: boolean;
}

/**
 * A partial file this old is one a run ended without removing (SIGKILL, a crash: the others are
 * removed at the end, temp-paths.ts): gone when the cache is next walked, never counted.
 */
const PARTIAL_LEFT_MS = 24 * 3600_000;

/** Every cached file (not the partial ones of a fetch or write under way; those left over are removed). */
export function cacheEntries(root = cacheRoot()): CacheEntry[] {
  const out: CacheEntry[] = [];
  const listings = join(root, LISTINGS_DIR);
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      let st: Stats;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p);
      else if (!st.isFile()) continue;
      else if (!n.includes(PARTIAL)) out.push({ path: p, size: st.size, used: st.mtimeMs, listing: p.startsWith(listings + "/") });
      else if (Date.now() - st.mtimeMs > PARTIAL_LEFT_MS) rmSync(p, { force: true });
    }
  };
  walk(root);
  return out;
}

/** Removes the least recently used files until the cache is within `cap`. Returns what went. */
export function evict(cap: number, root = cacheRoot()): { files: number; bytes: number } {
  const entries = cacheEntries(root);
  let total = entries.reduce((n, e) => n + e.size, 0);
  const gone = { files: 0, bytes: 0 };
  if (total <= cap) return gone;
  entries.sort((a, b) => a.used - b.used || (a.path < b.path ? -1 : 1));
  for (const e of entries) {
    if (total <= cap) break;
    rmSync(e.path, { force: true });
    total -= e.size;
    gone.files++;
    gone.bytes += e.size;
  }
  return gone;
}

/** The cache's figures: `trailq cache info` (bytes: objects and listings, what the cap bounds). */
export function cacheInfo(root = cacheRoot()): { root: string; files: number; listings: number; bytes: number; buckets: string[]; cap: number } {
  const entries = cacheEntries(root);
  let buckets: string[] = [];
  try {
    buckets = readdirSync(root).filter((n) => n !== LISTINGS_DIR).sort();
  } catch {
    // no cache yet
  }
  const listings = entries.filter((e) => e.listing).length;
  return { root, files: entries.length - listings, listings, bytes: entries.reduce((n, e) => n + e.size, 0), buckets, cap: cacheCap() };
}

/** Empties the cache, objects and listings: `trailq cache clear`. Says how many objects and bytes went. */
export function clearCache(root = cacheRoot()): { files: number; bytes: number } {
  const entries = cacheEntries(root);
  rmSync(root, { recursive: true, force: true });
  return { files: entries.filter((e) => !e.listing).length, bytes: entries.reduce((n, e) => n + e.size, 0) };
}

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}
