// Listing a bucket by CloudTrail's layout, one level at a time (delimiter "/"): the prefix given,
// AWSLogs/, organization ids, accounts, CloudTrail/, regions, years, months, days, and then the
// objects of the days kept. Each folder is judged by the same rules as a local folder (prune.ts:
// --account, --region, the time range with its delivery margin) before it is listed, so a one-day
// query over a year of objects lists that day (and the day after, for late deliveries), not the
// year. Digest folders and hidden names are skipped; objects whose names can't hold events (not
// .json, .jsonl, .ndjson, .gz, .zip) are counted as ignored, as in folders.
import type { S3Client, Sdk } from "./sdk.js";
import { sdkProblem } from "./sdk.js";
import type { Pruner } from "../prune.js";
import { stampFromName } from "../cloudtrail.js";
import { objectUrl, type S3Location } from "./url.js";

export interface ListedObject {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  lastModified: number;
}

export interface ListFigures {
  /** ListObjectsV2 requests made (each page one). */
  calls: number;
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
  signal?: AbortSignal;
  /** Keys per page (ListObjectsV2 MaxKeys; S3's own limit is 1000). For tests. */
  pageSize?: number;
  /** Told as each page comes (progress). */
  onPage?: (f: ListFigures) => void;
}

/**
 * The objects under a location to read, in key order (which is time order within a region's days),
 * pruned by `pruner`. Folders that can't be listed are problems (a warning each); the figures count
 * the requests made.
 */
export async function listLocation(sdk: Sdk, client: S3Client, loc: S3Location, o: ListOptions, figures: ListFigures, problems: ListProblem[]): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  const { bucket } = loc;
  /** One page after another of a prefix: its sub-folders and its objects. */
  async function listPrefix(prefix: string, root: boolean): Promise<{ folders: string[]; objects: ListedObject[] } | undefined> {
    const folders: string[] = [];
    const objects: ListedObject[] = [];
    let token: string | undefined;
    do {
      if (o.signal?.aborted) return { folders, objects };
      figures.calls++;
      let page: import("@aws-sdk/client-s3").ListObjectsV2CommandOutput;
      try {
        page = await client.send(
          new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: "/", ...(token ? { ContinuationToken: token } : {}), ...(o.pageSize ? { MaxKeys: o.pageSize } : {}) }),
          o.signal ? { abortSignal: o.signal } : {},
        );
      } catch (e) {
        if (o.signal?.aborted) return { folders, objects };
        const p = sdkProblem(e);
        problems.push({ shown: objectUrl(bucket, prefix), reason: p.reason, detail: `cannot list: ${p.detail}`, root, cause: e });
        return undefined;
      }
      for (const c of page.CommonPrefixes ?? []) if (c.Prefix) folders.push(c.Prefix);
      for (const c of page.Contents ?? []) {
        if (c.Key === undefined) continue;
        objects.push({ bucket, key: c.Key, size: c.Size ?? 0, etag: c.ETag ?? "", lastModified: c.LastModified?.getTime() ?? Date.now() });
      }
      o.onPage?.(figures);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return { folders, objects };
  }

  const keep = (obj: ListedObject): void => {
    figures.objects++;
    const name = lastPart(obj.key);
    if (obj.key.endsWith("/") || name.startsWith(".")) return; // a folder marker, a hidden name
    if (o.pruner?.file(obj.key)) {
      figures.pruned++;
      const t = stampFromName(name);
      if (t !== undefined) {
        figures.prunedFirst = Math.min(figures.prunedFirst, t);
        figures.prunedLast = Math.max(figures.prunedLast, t);
      }
      return;
    }
    if (!EVENT_FILE_NAME.test(name)) {
      figures.ignored++;
      return;
    }
    figures.bytes += obj.size;
    out.push(obj);
  };

  async function walk(prefix: string, root: boolean, exact?: string): Promise<void> {
    const got = await listPrefix(prefix, root);
    if (!got) return;
    const objects = exact === undefined ? got.objects : got.objects.filter((x) => x.key === exact);
    const folders = exact === undefined ? got.folders : got.folders.filter((f) => f === exact + "/");
    // folders and objects in key order, as a folder's entries are walked in name order
    const items: ({ folder: string } | { obj: ListedObject })[] = [...folders.map((folder) => ({ folder })), ...objects.map((obj) => ({ obj }))];
    items.sort((a, b) => {
      const ka = "folder" in a ? a.folder : a.obj.key;
      const kb = "folder" in b ? b.folder : b.obj.key;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    for (const it of items) {
      if (o.signal?.aborted) return;
      if ("obj" in it) {
        keep(it.obj);
        continue;
      }
      const name = lastPart(it.folder);
      if (SKIPPED_FOLDERS.has(name) || name.startsWith(".")) continue;
      if (o.pruner?.dir(it.folder.slice(0, -1))) {
        figures.prunedFolders++;
        continue;
      }
      await walk(it.folder, false);
    }
  }

  const p = loc.prefix;
  // s3://bucket, s3://bucket/prefix/: the folder; s3://bucket/name: the object of that key, or the folder name/
  if (p === "" || p.endsWith("/")) await walk(p, true);
  else await walk(p, true, p);
  return out;
}

export function emptyFigures(): ListFigures {
  return { calls: 0, objects: 0, bytes: 0, pruned: 0, prunedFolders: 0, prunedFirst: Infinity, prunedLast: -Infinity, ignored: 0 };
}
