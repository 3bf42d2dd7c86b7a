// The listing cache: what ListObjectsV2 answered, kept under $XDG_CACHE_HOME/trailq/s3/_listings/,
// so that a query over a range listed before asks S3 nothing (and loads no SDK). Two kinds of record:
//  - a folder listed with the delimiter "/" (the prefix given, AWSLogs/, organizations, accounts,
//    CloudTrail/, regions; and the year, month or day folder an input names): kept FOLDER_TTL_MS
//    (TRAILQ_S3_LIST_TTL), or for good when it is a year, month or day folder whose period had
//    ended CLOSED_AFTER_MS before it was listed; a period not yet closed is listed every time;
//  - a region's days, listed without the delimiter: a record per day (a file per month), kept for
//    good when the day had ended CLOSED_AFTER_MS before it was listed. A day still open is listed
//    again. A region listed from its first key keeps its first day too, for a query with no start.
// CloudTrail names folders and files by the delivery time: a day's folder gets no object once its
// day is over; the margin is for a delivery in flight at midnight and a clock that is off.
// Files are named by hashes of the endpoint, bucket and prefix (keys are never paths); one that
// can't be read or does not hold what it should is a miss, never an error.
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DAY_MS, REGION_PATH, dayFolder, keyDay, type ListedObject } from "./list.js";
import { LISTINGS_DIR, ensureDir, partialFile, sha256, touch } from "./cache.js";
import { ExitCode, UserError } from "../../errors.js";

/** A day (month, year) folder is complete when listed this long after the period ended (UTC). */
export const CLOSED_AFTER_MS = 2 * 3600_000;
/** How long the listing of a folder that is not a closed period is used, by default (TRAILQ_S3_LIST_TTL, seconds). */
export const FOLDER_TTL_MS = 15 * 60_000;

/** An object as stored: its key below the record's prefix, size, ETag, last modified. */
type Stored = [name: string, size: number, etag: string, lastModified: number];

export interface FolderListing {
  folders: string[];
  objects: ListedObject[];
}

/** `.../CloudTrail/<region>/YYYY/[MM/[DD/]]`: a period's folder. */
const PERIOD_FOLDER = new RegExp(`${REGION_PATH}(\\d{4})/(?:(\\d{2})/(?:(\\d{2})/)?)?$`);

/** When the period a folder stands for ends (epoch ms), or undefined for a folder that is not a period. */
export function periodEnd(prefix: string): number | undefined {
  const m = PERIOD_FOLDER.exec(prefix);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), m[2] === undefined ? undefined : Number(m[2]), m[3] === undefined ? undefined : Number(m[3])];
  if (d !== undefined) return Date.UTC(y, mo! - 1, d + 1);
  if (mo !== undefined) return Date.UTC(y, mo, 1);
  return Date.UTC(y + 1, 0, 1);
}

/** TRAILQ_S3_LIST_TTL: seconds the listing of a folder that is not a closed period is used. */
export function folderTtl(): number {
  const t = process.env["TRAILQ_S3_LIST_TTL"];
  if (t === undefined || t === "") return FOLDER_TTL_MS;
  const n = Number(t);
  if (!(n >= 0)) throw new UserError(`bad value for TRAILQ_S3_LIST_TTL ${JSON.stringify(t)}: not a number of seconds`, ExitCode.usage);
  return n * 1000;
}

function readJson(file: string): unknown {
  try {
    const v: unknown = JSON.parse(readFileSync(file, "utf8"));
    touch(file);
    return v;
  } catch {
    return undefined;
  }
}

function writeJson(file: string, value: unknown): boolean {
  const tmp = partialFile(file);
  try {
    ensureDir(dirname(file));
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, file);
    return true;
  } catch {
    rmSync(tmp, { force: true });
    return false; // an unwritable cache: the next run lists again
  }
}

const isStored = (x: unknown): x is Stored =>
  Array.isArray(x) && x.length === 4 && typeof x[0] === "string" && typeof x[1] === "number" && typeof x[2] === "string" && typeof x[3] === "number";

const store = (o: ListedObject, below: string): Stored => [o.key.slice(below.length), o.size, o.etag, o.lastModified];

function objectsOf(x: unknown, bucket: string, below: string): ListedObject[] | undefined {
  if (!Array.isArray(x) || !x.every(isStored)) return undefined;
  return x.map(([name, size, etag, lastModified]) => ({ bucket, key: below + name, size, etag, lastModified }));
}

interface MonthFile {
  prefix: string;
  days: Record<string, { at: number; objects: Stored[] }>;
}

export class Listings {
  /** Whether a record was written this run (the cache is then kept within its cap). */
  wrote = false;

  /**
   * @param root the cache folder (cache.ts cacheRoot)
   * @param endpoint the server asked (records of another server are not used)
   * @param ttlMs how long a folder that is not a closed period is used
   * @param use false (--refresh): list everything again, and keep what is listed
   */
  constructor(
    private readonly root: string,
    private readonly endpoint: string,
    private readonly ttlMs: number,
    private readonly use: boolean,
  ) {}

  private base(bucket: string, prefix: string): string {
    const h = sha256(`${this.endpoint}\0${bucket}\0${prefix}`);
    return join(this.root, LISTINGS_DIR, bucket, h.slice(0, 2), h);
  }

  /** A folder's listing when it is in the cache and still good; `at`: when it was listed; `closed`: a period closed then (kept for good). */
  folder(bucket: string, prefix: string, now: number): (FolderListing & { at: number; closed: boolean }) | undefined {
    if (!this.use) return undefined;
    const rec = readJson(this.base(bucket, prefix) + ".json") as { prefix?: unknown; at?: unknown; folders?: unknown; objects?: unknown } | undefined;
    if (rec?.prefix !== prefix || typeof rec.at !== "number" || !Array.isArray(rec.folders) || !rec.folders.every((f) => typeof f === "string" && f.startsWith(prefix))) return undefined;
    const end = periodEnd(prefix);
    // a listing made after now (a clock that was fast) is not trusted: the period it calls closed may not be
    const good = rec.at <= now && (end !== undefined ? rec.at >= end + CLOSED_AFTER_MS : now - rec.at < this.ttlMs);
    const objects = good ? objectsOf(rec.objects, bucket, prefix) : undefined;
    return objects ? { folders: rec.folders as string[], objects, at: rec.at, closed: end !== undefined } : undefined;
  }

  /** Keeps a folder's listing (made at `at`), unless it is a period still open then (it would not be used). */
  saveFolder(bucket: string, prefix: string, at: number, listing: FolderListing): void {
    const end = periodEnd(prefix);
    if (end !== undefined && at < end + CLOSED_AFTER_MS) return;
    if (this.ttlMs <= 0 && end === undefined) return;
    const rec = { prefix, at, folders: listing.folders, objects: listing.objects.map((o) => store(o, prefix)) };
    if (writeJson(this.base(bucket, prefix) + ".json", rec)) this.wrote = true;
  }

  private monthFile(bucket: string, region: string, day: number): string {
    return join(this.base(bucket, region), `${dayFolder(day).slice(0, 7).replace("/", "-")}.json`);
  }

  private readMonth(bucket: string, region: string, day: number): MonthFile | undefined {
    const rec = readJson(this.monthFile(bucket, region, day)) as Partial<MonthFile> | undefined;
    return rec?.prefix === region && rec.days !== null && typeof rec.days === "object" ? (rec as MonthFile) : undefined;
  }

  /**
   * A region's days from `first` to `last` (midnights, UTC) as far as the cache has them closed:
   * their objects in key order, how many days, and the first day that must be listed (none when
   * every day through `last` came from the cache).
   */
  days(bucket: string, region: string, first: number, last: number): { objects: ListedObject[]; days: number; next?: number } {
    const objects: ListedObject[] = [];
    if (!this.use) return { objects, days: 0, next: first };
    let month: MonthFile | undefined;
    let monthKey = "";
    let days = 0;
    const now = Date.now();
    for (let day = first; day <= last; day += DAY_MS) {
      const folder = dayFolder(day);
      if (folder.slice(0, 7) !== monthKey) {
        monthKey = folder.slice(0, 7);
        month = this.readMonth(bucket, region, day);
      }
      const rec = month?.days[folder.slice(8, 10)];
      // closed when it was listed, by a clock that was not ahead of this one (a day listed "tomorrow" by a fast clock was still open)
      const got = rec && typeof rec.at === "number" && rec.at >= day + DAY_MS + CLOSED_AFTER_MS && rec.at <= now ? objectsOf(rec.objects, bucket, region + folder) : undefined;
      if (!got) return { objects, days, next: day };
      objects.push(...got);
      days++;
    }
    return { objects, days };
  }

  /**
   * Keeps a region's days `first` to `last` as listed at `at` (every key of those days is in
   * `objects`): the days closed then, each with its objects. A key not of the form YYYY/MM/DD/...
   * below the region keeps nothing (false): the next run lists it again.
   */
  saveDays(bucket: string, region: string, first: number, last: number, at: number, objects: readonly ListedObject[]): boolean {
    const byDay = new Map<number, ListedObject[]>();
    for (const o of objects) {
      const day = keyDay(o.key.slice(region.length));
      if (day === undefined) return false;
      const list = byDay.get(day) ?? [];
      list.push(o);
      byDay.set(day, list);
    }
    let month: MonthFile | undefined;
    let file = "";
    const flush = (): void => {
      if (month && writeJson(file, month)) this.wrote = true;
    };
    for (let day = first; day <= last && at >= day + DAY_MS + CLOSED_AFTER_MS; day += DAY_MS) {
      const f = this.monthFile(bucket, region, day);
      if (f !== file) {
        flush();
        file = f;
        month = this.readMonth(bucket, region, day) ?? { prefix: region, days: {} };
      }
      const folder = dayFolder(day);
      month!.days[folder.slice(8, 10)] = { at, objects: (byDay.get(day) ?? []).map((o) => store(o, region + folder)) };
    }
    flush();
    return true;
  }

  private firstDayFile(bucket: string, region: string): string {
    return join(this.base(bucket, region), "first-day.json");
  }

  /**
   * The first day of a region listed from its first key before, every key of it a day's: a query
   * with no start lists the region from that day on, as a range's start. Kept for good: CloudTrail
   * does not write into a day gone by (--refresh lists the region whole again).
   */
  firstDay(bucket: string, region: string): number | undefined {
    if (!this.use) return undefined;
    const rec = readJson(this.firstDayFile(bucket, region)) as { prefix?: unknown; day?: unknown } | undefined;
    return rec?.prefix === region && typeof rec.day === "number" && Number.isFinite(rec.day) && rec.day % DAY_MS === 0 ? rec.day : undefined;
  }

  saveFirstDay(bucket: string, region: string, day: number): void {
    if (writeJson(this.firstDayFile(bucket, region), { prefix: region, day })) this.wrote = true;
  }
}
