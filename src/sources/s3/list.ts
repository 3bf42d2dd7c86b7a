// Listing a bucket by CloudTrail's layout, one level at a time (delimiter "/"): the prefix given,
// AWSLogs/, organization ids, accounts, CloudTrail/, regions. A region's keys are then listed
// without the delimiter: from its first day's folder on (StartAfter) when the range has a start,
// else from its first key, and the listing stops past the range's last day when it has an end.
// Each folder is judged by the same rules as a local folder (prune.ts: --account, --region, the
// time range with its delivery margin) before it is listed, so a one-day query over a year of
// objects lists that day (and the day after, for late deliveries), not the year. Digest folders and
// hidden names are skipped; objects whose names can't hold events (not .json, .jsonl, .ndjson, .gz,
// .zip) are counted as ignored, as in folders. What the listing cache (listings.ts) holds is not
// asked for again: the SDK gives a client only when a request is needed.
import type { S3Client, Sdk } from "./sdk.js";
import { sdkProblem } from "./sdk.js";
import { DELIVERY_MARGIN_MS, type Pruner, type Selection } from "../prune.js";
import { trustedStamp } from "../cloudtrail.js";
import { objectUrl, type S3Location } from "./url.js";
import type { Listings } from "./listings.js";

/** The SDK and a client, made when the first request is needed. */
export type Connect = () => { sdk: Sdk; client: S3Client };

export interface ListedObject {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  lastModified: number;
  /** The input names it (s3://bucket/key): read whatever its name says. */
  named?: boolean;
}

export interface ListFigures {
  /** ListObjectsV2 requests made (each page one). */
  calls: number;
  /** Listings taken from the listing cache instead (a folder, or a region's closed days). */
  cachedLists: number;
  /** Objects listed (event files, and those pruned or ignored). */
  objects: number;
  /** Bytes of the event files kept. */
  bytes: number;
  pruned: number;
  /** Folders left out by the layout (accounts, regions, days outside the selection), never listed. */
  prunedFolders: number;
  /** The delivery stamps of the objects pruned, when any had one. */
  prunedFirst: number;
  prunedLast: number;
  ignored: number;
}

export interface ListProblem {
  /** s3://bucket/prefix of the folder that could not be listed. */
  shown: string;
  reason: string;
  detail: string;
  /** The listing of the input itself failed (not a folder below it). */
  root: boolean;
  cause: unknown;
}

const SKIPPED_FOLDERS = new Set(["CloudTrail-Digest"]);
const EVENT_FILE_NAME = /\.(json|jsonl|ndjson|gz|zip)$/i;

const lastPart = (p: string): string => {
  const s = p.endsWith("/") ? p.slice(0, -1) : p;
  return s.slice(s.lastIndexOf("/") + 1);
};

export interface ListOptions {
  pruner?: Pruner;
  /** The time range the pruner keeps: a region's days are then listed from its first day on (StartAfter). */
  select?: Selection;
  signal?: AbortSignal;
  /** Keys per page (ListObjectsV2 MaxKeys; S3's own limit is 1000). For tests. */
  pageSize?: number;
  /** List requests in flight at once (default LIST_CONCURRENCY). */
  concurrency?: number;
  /** Told as each page comes (progress). */
  onPage?: (f: ListFigures) => void;
  /** The listing cache (absent with --no-cache). */
  listings?: Listings;
  /** --verbose: what came from the listing cache. */
  log?: (message: string) => void;
  /** Objects listed by an earlier location of the same run (bucket and key): inputs that overlap count each object once. */
  seen?: Set<string>;
}

/**
 * The objects under a location to read, in key order (which is time order within a region's days),
 * pruned by `pruner`. Folders that can't be listed are problems (a warning each); the figures count
 * the requests made.
 */
export async function listLocation(connect: Connect, loc: S3Location, o: ListOptions, figures: ListFigures, problems: ListProblem[]): Promise<ListedObject[]> {
  const { bucket } = loc;
  const slots = new Slots(o.concurrency ?? LIST_CONCURRENCY);
  /** The days a region's listing covers (none at an end the range leaves open). */
  const days = daySpan(o.select);
  const cached = (what: string, at?: number): void => {
    figures.cachedLists++;
    o.log?.(`s3: from the listing cache: ${objectUrl(bucket, what)}${at === undefined ? "" : ` (listed ${Math.round((Date.now() - at) / 1000)} s ago)`}`);
    o.onPage?.(figures);
  };
  /**
   * One page after another of a prefix: its sub-folders and its objects (complete: not cut short by
   * an interruption). A folder listed with the delimiter comes from the listing cache when it holds it.
   */
  async function listPrefix(prefix: string, root: boolean, within?: { startAfter?: string; until?: string }): Promise<{ folders: string[]; objects: ListedObject[]; complete: boolean } | undefined> {
    if (!within) {
      const hit = o.listings?.folder(bucket, prefix, Date.now());
      // a folder kept for a while (not a closed period) that holds objects to read itself (an
      // export's, an object named as the input: a prefix not ending in "/") is listed again: one may
      // be replaced or added there at any time (the while is for the folders above a trail's days,
      // where only a new account or region appears)
      if (hit && (hit.closed || !hit.objects.some((x) => readable(x, !prefix.endsWith("/"))))) {
        cached(prefix, hit.at);
        return { folders: hit.folders, objects: hit.objects, complete: true };
      }
    }
    const at = Date.now();
    const folders: string[] = [];
    const objects: ListedObject[] = [];
    let token: string | undefined;
    do {
      if (o.signal?.aborted) return { folders, objects, complete: false };
      // (outside the try: an SDK that is not installed is the user's error, not this folder's problem)
      const { sdk, client } = connect();
      figures.calls++;
      await slots.take();
      let page: import("@aws-sdk/client-s3").ListObjectsV2CommandOutput;
      try {
        page = await client.send(
          new sdk.ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            // keys come back URL-encoded: a key may hold characters XML 1.0 cannot (a carriage return came back a line feed)
            EncodingType: "url",
            ...(within ? (within.startAfter && !token ? { StartAfter: within.startAfter } : {}) : { Delimiter: "/" }),
            ...(token ? { ContinuationToken: token } : {}), ...(o.pageSize ? { MaxKeys: o.pageSize } : {}) }),
          o.signal ? { abortSignal: o.signal } : {},
        );
      } catch (e) {
        if (o.signal?.aborted) return { folders, objects, complete: false };
        const p = sdkProblem(e);
        problems.push({ shown: objectUrl(bucket, prefix), reason: p.reason, detail: `cannot list: ${p.detail}`, root, cause: e });
        return undefined;
      } finally {
        slots.give();
      }
      for (const c of page.CommonPrefixes ?? []) if (c.Prefix) folders.push(urlDecoded(c.Prefix));
      for (const c of page.Contents ?? []) {
        if (c.Key === undefined) continue;
        objects.push({ bucket, key: urlDecoded(c.Key), size: c.Size ?? 0, etag: c.ETag ?? "", lastModified: c.LastModified?.getTime() ?? Date.now() });
      }
      o.onPage?.(figures);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      // a region's keys past the last day wanted: the rest of the region is not listed
      const last = objects[objects.length - 1]?.key;
      if (within?.until !== undefined && last !== undefined && last > within.until) {
        while (objects.length && objects[objects.length - 1]!.key > within.until) objects.pop();
        token = undefined;
      }
    } while (token);
    if (!within) o.listings?.saveFolder(bucket, prefix, at, { folders, objects });
    return { folders, objects, complete: true };
  }

  /**
   * Whether nothing at all is stored under a prefix (one call for one key): a region's listing may
   * find nothing in the range of days where the region's folder exists. A listing that fails says
   * so itself: not "nothing".
   */
  async function holdsNothing(prefix: string): Promise<boolean> {
    const { sdk, client } = connect();
    figures.calls++;
    await slots.take();
    try {
      const page = await client.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }), o.signal ? { abortSignal: o.signal } : {});
      return (page.KeyCount ?? page.Contents?.length ?? 0) === 0;
    } catch {
      return false;
    } finally {
      slots.give();
    }
  }

  /** Whether a listed object is one a walk reads (by its name; `named`: whatever its name, as keep() takes it). */
  const readable = (obj: ListedObject, named: boolean): boolean => {
    const name = lastPart(obj.key);
    return !obj.key.endsWith("/") && (named || (!name.startsWith(".") && EVENT_FILE_NAME.test(name)));
  };

  /** An object listed: counted, and kept unless pruned or ignored; `named`: the input names it (read whatever its name). */
  const keep = (obj: ListedObject, out: ListedObject[], named = false): void => {
    if (o.seen) {
      const id = `${obj.bucket}/${obj.key}`;
      if (o.seen.has(id)) return;
      o.seen.add(id);
    }
    figures.objects++;
    const name = lastPart(obj.key);
    if (obj.key.endsWith("/") || (!named && name.startsWith("."))) return; // a folder marker, a hidden name
    // an object the input names is read whatever its name says, as a file named on the command line
    if (!named && o.pruner?.file(obj.key)) {
      figures.pruned++;
      const t = trustedStamp(name);
      if (t !== undefined) {
        figures.prunedFirst = Math.min(figures.prunedFirst, t);
        figures.prunedLast = Math.max(figures.prunedLast, t);
      }
      return;
    }
    if (!named && !EVENT_FILE_NAME.test(name)) {
      figures.ignored++;
      return;
    }
    figures.bytes += obj.size;
    out.push(named ? { ...obj, named } : obj);
  };

  /** The objects below a prefix, in key order; its folders are listed side by side (the requests bounded by `slots`). */
  async function walk(prefix: string, root: boolean, exact: string | undefined, out: ListedObject[]): Promise<void> {
    const got = await listPrefix(prefix, root);
    if (!got) return;
    // s3://bucket/name: the object of that key when there is one (read whatever its name, as a
    // file named on the command line), else the folder name/
    const objects = exact === undefined ? got.objects : got.objects.filter((x) => x.key === exact);
    const folders = exact === undefined ? got.folders : objects.length > 0 ? [] : got.folders.filter((f) => f === exact + "/");
    if (root && prefix !== "" && got.complete && objects.length === 0 && folders.length === 0) {
      // as a local path that does not exist: an error, not an empty trail (a typo, AWSlogs/)
      problems.push({ shown: objectUrl(bucket, prefix), reason: "not found", detail: exact === undefined ? "nothing is stored under this prefix" : "no such object, and nothing is stored under it as a folder", root: true, cause: undefined });
      return;
    }
    // folders and objects in the order of their names, as a folder's entries are walked (a folder's
    // key ends in "/", which sorts after "-": trail-old/ came before trail/)
    const items: ({ folder: string } | { obj: ListedObject })[] = [...folders.map((folder) => ({ folder })), ...objects.map((obj) => ({ obj }))];
    const sortKey = (it: { folder: string } | { obj: ListedObject }): string => ("folder" in it ? it.folder.slice(0, -1) : it.obj.key);
    items.sort((a, b) => {
      const ka = sortKey(a);
      const kb = sortKey(b);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    // the objects here, and a list of its own for each sub-folder (listed side by side), in key order
    const parts: ListedObject[][] = [];
    const pending: Promise<void>[] = [];
    for (const it of items) {
      if (o.signal?.aborted) break;
      if ("obj" in it) {
        const here: ListedObject[] = [];
        keep(it.obj, here, exact !== undefined);
        parts.push(here);
        continue;
      }
      const name = lastPart(it.folder);
      if (SKIPPED_FOLDERS.has(name) || name.startsWith(".")) continue;
      if (o.pruner?.dir(it.folder.slice(0, -1))) {
        figures.prunedFolders++;
        continue;
      }
      const below: ListedObject[] = [];
      parts.push(below);
      pending.push(REGION_FOLDER.test(it.folder) ? region(it.folder, below) : walk(it.folder, false, undefined, below));
    }
    await Promise.all(pending);
    for (const part of parts) out.push(...part);
  }

  /**
   * A region's folder: its keys from the first day that can hold the range (StartAfter), or from its
   * first key when the range has no start, to the last day (the listing stops there), without the
   * delimiter: one call per 1,000 objects instead of one per year, month and day. The days the
   * listing cache holds closed are taken from it, and the listing starts at the first day it does
   * not hold. With no start, the region's first day is the listing cache's when the region was
   * listed whole before (and every key of it was a day's: listings.ts firstDay).
   */
  async function region(prefix: string, out: ListedObject[], root = false): Promise<void> {
    const objects: ListedObject[] = [];
    // with no end, through today: the last day whose folder can be complete already
    const last = days.last ?? dayOf(Date.now());
    let from = days.first ?? o.listings?.firstDay(bucket, prefix);
    let toList = true;
    if (o.listings && from !== undefined && from <= last) {
      const got = o.listings.days(bucket, prefix, from, last);
      if (got.days > 0) {
        objects.push(...got.objects);
        cached(`${prefix}${dayFolder(from)} (${got.days} day${got.days === 1 ? "" : "s"})`);
      }
      from = got.next;
      toList = from !== undefined;
    }
    if (toList) {
      const at = Date.now();
      const within = {
        // ".../2025/03/10": every key of that day's folder sorts after it, the day before's before it
        ...(from !== undefined ? { startAfter: prefix + dayFolder(from).slice(0, -1) } : {}),
        // ".../2025/03/110": after every key of the 11th's folder ("/" sorts before "0"), before the 12th's
        ...(days.last !== undefined ? { until: prefix + dayFolder(days.last).slice(0, -1) + "0" } : {}),
      };
      const got = await listPrefix(prefix, root, within);
      if (got?.complete && o.listings) {
        // listed from its first key (no start, none kept): the first day is that key's (none when it is not a day's)
        const first = from ?? (got.objects.length > 0 ? keyDay(got.objects[0]!.key.slice(prefix.length)) : undefined);
        if (first !== undefined) {
          const saved = o.listings.saveDays(bucket, prefix, first, days.last ?? dayOf(at), at, got.objects);
          if (saved && from === undefined) o.listings.saveFirstDay(bucket, prefix, first);
        }
      }
      objects.push(...(got?.objects ?? []));
    }
    if (root && objects.length === 0 && !o.signal?.aborted && (await holdsNothing(prefix))) {
      // as a local path that does not exist: an error, not an empty trail (another account's number)
      problems.push({ shown: objectUrl(bucket, prefix), reason: "not found", detail: "nothing is stored under this prefix", root: true, cause: undefined });
      return;
    }
    for (const obj of objects) {
      if (o.signal?.aborted) return;
      const rest = obj.key.slice(prefix.length);
      // only YYYY/MM/DD/name below a region: anything else is judged as a folder's entry would be
      if (lastPart(rest).startsWith(".") || rest.split("/").some((s, i, all) => i < all.length - 1 && (s.startsWith(".") || SKIPPED_FOLDERS.has(s)))) continue;
      keep(obj, out);
    }
  }

  const p = loc.prefix;
  // s3://bucket, s3://bucket/prefix/: the folder; s3://bucket/name: the object of that key, or the folder name/
  const out: ListedObject[] = [];
  if (REGION_FOLDER.test(p)) await region(p, out, true);
  else if (p === "" || p.endsWith("/")) await walk(p, true, undefined, out);
  else await walk(p, true, p, out);
  return out;
}

/**
 * A key or prefix of a listing asked with EncodingType url: percent-encoded UTF-8, and a space as
 * `+` (as S3 writes it; a `+` of the key is `%2B`).
 */
function urlDecoded(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

/** `.../AWSLogs/[o-org/]<account>/CloudTrail/<region>/`, as a regular expression's text (listings.ts goes on below it). */
export const REGION_PATH = String.raw`(?:^|/)AWSLogs/(?:o-[^/]+/)?[^/]+/CloudTrail/[^/]+/`;
const REGION_FOLDER = new RegExp(`${REGION_PATH}$`);

/** A day as its folder is named: `YYYY/MM/DD/` (t: any time of the day, UTC). */
export function dayFolder(t: number): string {
  const d = new Date(t);
  return `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${String(d.getUTCDate()).padStart(2, "0")}/`;
}

export const DAY_MS = 86_400_000;

/** The midnight (UTC) of the day holding t. */
export const dayOf = (t: number): number => Math.floor(t / DAY_MS) * DAY_MS;

/** The day (midnight, UTC) of a key below a region, `YYYY/MM/DD/...`, or undefined for a key of another form. */
export function keyDay(rest: string): number | undefined {
  const m = /^(\d{4})\/(\d{2})\/(\d{2})\//.exec(rest);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

/** The days (midnights, UTC) whose folders can hold a time range (none: open at that end). */
interface DaySpan {
  first?: number;
  last?: number;
}

/**
 * The days of a region that can hold a time range: from the start's day to the day of the end with
 * the delivery margin (a day's folder holds events from the hour before it: prune.ts).
 */
function daySpan(sel: Selection | undefined): DaySpan {
  const out: DaySpan = {};
  if (!sel) return out;
  if (sel.start !== undefined && Number.isFinite(sel.start)) out.first = dayOf(sel.start);
  if (sel.end !== undefined && Number.isFinite(sel.end)) out.last = dayOf(sel.end + DELIVERY_MARGIN_MS);
  return out;
}

/** List requests in flight at once by default (folders of a level are listed side by side). */
export const LIST_CONCURRENCY = 8;

/** A counting semaphore: at most n holders at once, the others wait in order. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(n: number) {
    this.free = Math.max(1, n);
  }
  take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

export function emptyFigures(): ListFigures {
  return { calls: 0, cachedLists: 0, objects: 0, bytes: 0, pruned: 0, prunedFolders: 0, prunedFirst: Infinity, prunedLast: -Infinity, ignored: 0 };
}
