// s3:// inputs as the reader's remote files (types.ts RemoteFiles): listed by the layout when
// opened (list.ts), each object a FoundFile whose path is its cache file (cache.ts); the bytes are
// fetched ahead of the scan in its order, a few at a time (fetch.ts), and an object already cached
// under its ETag is not fetched. The reader awaits an object's file before reading it, so every
// decoding path (gzip, JSON, JSON lines, the fast path) reads it as it reads a local file; once all
// are on disk (a cached range), the scan may hand them to worker threads as any files. The SDK is
// loaded, and a client made, only when something must be listed or fetched: over a range whose
// listing and objects are cached, none is.
import { mkdtempSync } from "node:fs";
import { madeRemovedAtEnd, removeNow } from "../../exec/temp-paths.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FoundFile } from "../walk.js";
import type { RemoteFiles } from "../types.js";
import { Pruner, type Selection } from "../prune.js";
import { logGroupFromPath, stampFile } from "../cloudtrail.js";
import { ExitCode, UserError } from "../../errors.js";
import { endpointOf, loadSdk, makeClient, type ClientOptions, type S3Client, type Sdk } from "./sdk.js";
import { cacheCap, cachePath, cacheRoot, cachedFile, dropOtherVersions, evict, plainEtag } from "./cache.js";
import { emptyFigures, listLocation, type ListFigures, type ListProblem, type ListedObject } from "./list.js";
import { Listings, folderTtl } from "./listings.js";
import { INTERRUPTED, fetchObject } from "./fetch.js";
import { isS3Url, objectUrl, parseS3Url } from "./url.js";

/** Objects fetched at once by default: enough to keep a slow link busy, little for 2 cores to decode. */
export const DEFAULT_CONCURRENCY = 4;
/** How far ahead of the file being read the fetching may go, in files per fetch slot. */
const AHEAD_PER_SLOT = 4;

export interface S3Options extends ClientOptions {
  /** What the query can select: folders and objects outside it are not listed or fetched. */
  select?: Selection;
  signal?: AbortSignal;
  /** Keep fetched objects and listings in the cache (default); false: a temporary folder removed by close(). */
  cache?: boolean;
  /** List again what the listing cache holds (--refresh), and keep the new listing. */
  refresh?: boolean;
  /** Objects fetched at once (--s3-concurrency). */
  concurrency?: number;
  /** ListObjectsV2 page size (tests). */
  pageSize?: number;
  /** --verbose: a line per list call, per listing from the cache and per object fetched. */
  log?: (message: string) => void;
  /** Told as the listing and the fetching go (a page listed, a listing from the cache, an object fetched): the progress bar. */
  onProgress?: (s: S3Inputs) => void;
}

export interface S3Figures {
  list: ListFigures;
  /** Objects fetched from S3, and their bytes. */
  fetched: number;
  fetchedBytes: number;
  /** Objects read from the cache. */
  cached: number;
  cachedBytes: number;
  /** Objects that could not be fetched (each one warning). */
  failed: number;
}

type Problem = { reason: string; detail: string };

interface Entry {
  obj: ListedObject;
  found: FoundFile;
  state: "unknown" | "fetching" | "ready" | "failed";
  done?: Promise<Problem | undefined>;
}

export class S3Inputs implements RemoteFiles {
  readonly figures: S3Figures = { list: emptyFigures(), fetched: 0, fetchedBytes: 0, cached: 0, cachedBytes: 0, failed: 0 };
  /** Listing, until every location is listed (the progress line says so). */
  private listing = true;
  private readonly entries = new Map<string, Entry>();
  private readonly listed: FoundFile[] = [];
  private readonly listProblems: ListProblem[] = [];
  private order: Entry[] = [];
  private readonly position = new Map<Entry, number>();
  /** The next file of the order to start fetching, the furthest file asked for, fetches under way. */
  private next = 0;
  private reading = 0;
  private inflight = 0;
  private readonly concurrency: number;
  private readonly temporary: boolean;
  /** The SDK and its client, once a request was needed. */
  private connection: { sdk: Sdk; client: S3Client } | undefined;
  /** Stops the requests under way: the caller's signal, or close(). */
  private readonly stop = new AbortController();
  private readonly signal: AbortSignal;
  private readonly listings: Listings | undefined;

  private constructor(
    private readonly root: string,
    private readonly o: S3Options,
  ) {
    this.concurrency = Math.max(1, o.concurrency ?? DEFAULT_CONCURRENCY);
    this.temporary = o.cache === false;
    this.signal = o.signal ? AbortSignal.any([o.signal, this.stop.signal]) : this.stop.signal;
    if (!this.temporary) this.listings = new Listings(root, endpointOf(o) ?? "", folderTtl(), o.refresh !== true);
  }

  /**
   * Lists the s3:// inputs (an error for a location that can't be listed at all: no bucket, no
   * credentials). Interrupted (the signal), the listing so far.
   */
  static async open(inputs: readonly string[], o: S3Options): Promise<S3Inputs> {
    const locations = inputs.filter(isS3Url).map(parseS3Url);
    endpointOf(o); // a bad --endpoint-url is an error even when nothing is asked of it
    // the temporary folder goes however the run ends (SIGTERM, a second Ctrl-C): temp-paths.ts
    const root = o.cache === false ? madeRemovedAtEnd(() => mkdtempSync(join(tmpdir(), "trailq-s3-"))) : cacheRoot();
    const s = new S3Inputs(root, o);
    try {
      await s.list(locations);
    } catch (e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** The SDK and a client: loaded and made when the first request is needed. */
  private readonly connect = (): { sdk: Sdk; client: S3Client } => {
    this.connection ??= { sdk: loadSdk(), client: makeClient(this.o) };
    return this.connection;
  };

  private async list(locations: ReturnType<typeof parseS3Url>[]): Promise<void> {
    const pruner = this.o.select ? new Pruner(this.o.select) : undefined;
    const log = this.o.log;
    const told = this.o.onProgress;
    told?.(this);
    // an object listed under two overlapping inputs is counted (listed, pruned, ignored) once
    const seen = new Set<string>();
    for (const loc of locations) {
      const problems: ListProblem[] = [];
      const objects = await listLocation(this.connect, loc, {
        ...(pruner?.active ? { pruner } : {}),
        ...(this.o.select ? { select: this.o.select } : {}),
        signal: this.signal,
        ...(this.o.pageSize ? { pageSize: this.o.pageSize } : {}),
        ...(this.listings ? { listings: this.listings } : {}),
        ...(log ? { log } : {}),
        seen,
        onPage: (f: ListFigures) => {
          if (log && f.calls > 0) log(`s3: list call ${f.calls}, ${f.objects} objects listed so far`);
          told?.(this);
        },
      }, this.figures.list, problems);
      const fatal = problems.find((p) => p.root);
      if (fatal) {
        const why = fatal.reason === "no credentials" ? `${fatal.detail}` : fatal.detail;
        const hint = /NoSuchBucket/.test(fatal.detail) ? " (no such bucket)" : "";
        throw new UserError(`${loc.input}: ${why}${hint}`, ExitCode.path);
      }
      this.listProblems.push(...problems);
      for (const obj of objects) {
        const shown = objectUrl(obj.bucket, obj.key);
        if (this.entries.has(shown)) continue;
        const etag = plainEtag(obj.etag);
        const file = cachePath(this.root, obj.bucket, obj.key, etag);
        const found: FoundFile = { kind: "file", shown, file: { path: file, display: displayOf(loc.prefix, obj.key), size: obj.size, ingestionTime: 0 }, ...(obj.named ? { named: true } : {}) };
        stampFile(found.file, obj.key.slice(obj.key.lastIndexOf("/") + 1), obj.lastModified);
        const group = logGroupFromPath(obj.key);
        if (group !== undefined) found.file.logGroup = group;
        this.entries.set(shown, { obj, found, state: "unknown" });
        this.listed.push(found);
      }
    }
    this.listing = false;
    // fetched ahead in the listing's order, unless the scan tells its own (willRead)
    this.setOrder(this.listed);
  }

  owns(input: string): boolean {
    return isS3Url(input);
  }

  found(): FoundFile[] {
    return this.listed;
  }

  /** The folders that could not be listed: a warning each. */
  problems(): (Problem & { shown: string })[] {
    return this.listProblems.map((p) => ({ shown: p.shown, reason: p.reason, detail: p.detail }));
  }

  /** What the listing left out by name: objects, and the delivery stamps in their names. */
  pruned(): { files: number; first: number; last: number } {
    const l = this.figures.list;
    return { files: l.pruned, first: l.prunedFirst, last: l.prunedLast };
  }

  willRead(files: readonly FoundFile[]): void {
    this.setOrder(files);
    this.pump();
  }

  /** The order objects are fetched ahead in. */
  private setOrder(files: readonly FoundFile[]): void {
    this.order = [];
    this.position.clear();
    for (const f of files) {
      const e = this.entries.get(f.shown);
      if (!e) continue;
      this.position.set(e, this.order.length);
      this.order.push(e);
    }
    this.next = 0;
    this.reading = 0;
  }

  allReady(): boolean {
    for (const e of this.entries.values()) if (!this.onDisk(e)) return false;
    return true;
  }

  /** Whether an entry's bytes are on disk (a cached one is counted as read from the cache). */
  private onDisk(e: Entry): boolean {
    if (e.state === "ready") return true;
    if (e.state !== "unknown") return false;
    if (!cachedFile(e.found.file.path, e.obj.size)) return false;
    e.state = "ready";
    e.done = Promise.resolve(undefined);
    this.figures.cached++;
    this.figures.cachedBytes += e.obj.size;
    return true;
  }

  ready(found: FoundFile): Promise<Problem | undefined> {
    const e = this.entries.get(found.shown);
    if (!e) return Promise.resolve({ reason: "not found", detail: "not listed: skipped" });
    const at = this.position.get(e);
    if (at !== undefined && at > this.reading) this.reading = at;
    const done = this.start(e);
    this.pump();
    return done;
  }

  /** Starts fetching the files ahead of the one being read, in the scan's order. */
  private pump(): void {
    const ahead = this.concurrency * AHEAD_PER_SLOT;
    while (this.next < this.order.length && this.inflight < this.concurrency && this.next <= this.reading + ahead) {
      if (this.signal.aborted) return;
      this.start(this.order[this.next++]!);
    }
  }

  private start(e: Entry): Promise<Problem | undefined> {
    if (e.done) return e.done;
    if (this.onDisk(e)) return e.done!;
    if (this.signal.aborted) return Promise.resolve({ reason: INTERRUPTED, detail: "interrupted: not read" });
    const { sdk, client } = this.connect();
    e.state = "fetching";
    this.inflight++;
    const log = this.o.log;
    e.done = fetchObject(sdk, client, e.obj, e.found.file.path, this.signal).then((r) => {
      this.inflight--;
      if (r.ok) {
        e.state = "ready";
        this.figures.fetched++;
        this.figures.fetchedBytes += r.bytes;
        if (!this.temporary) dropOtherVersions(e.found.file.path);
        log?.(`s3: fetched ${e.found.shown} (${r.bytes} bytes)`);
      } else {
        e.state = "failed";
        // an interrupted run did not fail to fetch it
        if (r.reason !== INTERRUPTED) this.figures.failed++;
      }
      this.o.onProgress?.(this);
      this.pump();
      return r.ok ? undefined : { reason: r.reason, detail: r.detail };
    });
    return e.done;
  }

  /**
   * The progress bar's S3 part: while listing, the list calls and the objects and bytes listed so
   * far; then objects and bytes listed, fetched and from the cache.
   */
  progress(): string {
    const f = this.figures;
    const l = f.list;
    if (this.listing) return `S3 listing: ${l.calls} list call${l.calls === 1 ? "" : "s"}${l.cachedLists ? ` (${l.cachedLists} from the cache)` : ""}, ${l.objects} objects listed (${mb(l.bytes)})`;
    return `S3 ${l.objects} listed (${mb(l.bytes)}), ${f.fetched} fetched (${mb(f.fetchedBytes)}), ${f.cached} cached${f.failed ? `, ${f.failed} failed` : ""}`;
  }

  /** The summary's S3 part. */
  note(): string {
    return s3Note(this.figures);
  }

  /** The end of the run: requests under way stopped, a temporary folder removed, the cache kept within its cap (when it grew). */
  close(): void {
    this.stop.abort();
    this.connection?.client.destroy();
    if (this.temporary) removeNow(this.root);
    else if (this.figures.fetched > 0 || this.listings?.wrote) {
      try {
        evict(cacheCap(), this.root);
      } catch {
        // a cache that can't be trimmed now is trimmed next time
      }
    }
  }
}

/** An object's name relative to the location given, as a file's is to the folder given (@ptr, @logStream). */
function displayOf(prefix: string, key: string): string {
  if (prefix.endsWith("/") && key.startsWith(prefix)) return key.slice(prefix.length);
  if (key === prefix || prefix === "") return key === prefix ? key.slice(key.lastIndexOf("/") + 1) : key;
  return key.startsWith(prefix + "/") ? key.slice(prefix.length + 1) : key;
}

/** The summary's S3 part: requests, objects, bytes, the cache. */
export function s3Note(f: S3Figures): string {
  const l = f.list;
  const fromCache = l.cachedLists > 0 ? ` (${l.cachedLists} listing${l.cachedLists === 1 ? "" : "s"} from the cache)` : "";
  const parts = [`S3: ${l.calls} list call${l.calls === 1 ? "" : "s"}${fromCache}, ${l.objects} object${l.objects === 1 ? "" : "s"} listed`];
  if (l.prunedFolders > 0) parts.push(`${l.prunedFolders} folder${l.prunedFolders === 1 ? "" : "s"} pruned unlisted`);
  parts.push(`${f.fetched} fetched (${mb(f.fetchedBytes)})`);
  parts.push(`${f.cached} from the cache (${mb(f.cachedBytes)})`);
  if (f.failed > 0) parts.push(`${f.failed} failed`);
  // as a folder's files that can't hold CloudTrail are counted in the summary
  if (l.ignored > 0) parts.push(`${l.ignored} ignored (not .json, .jsonl, .ndjson, .gz or .zip)`);
  return parts.join(", ");
}

const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
