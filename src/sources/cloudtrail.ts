// What CloudTrail itself tells us: the delivery stamp in a log file's name, the account and region
// in the S3 layout `AWSLogs/<account>/CloudTrail/<region>/...`, and whether a record looks like an event.
import path from "node:path";

/** `<account>_CloudTrail_<region>_20240304T0005Z_<unique>.json.gz`: the delivery minute, UTC. */
const STAMP = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/;

/** The number the `n` digits at `at` spell, or -1 when one is not a digit. */
function digitsAt(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * The delivery time (epoch ms) stamped in a CloudTrail file name, or undefined. The first `_...Z_`
 * of STAMP's form, read from its character codes (a listing calls this once or twice a file: the
 * regex and its strings were a fifth of the time to list 47,684 files).
 */
export function stampFromName(fileName: string): number | undefined {
  // STAMP has a fixed length (16), so its leftmost match ends at the first "Z_" it fits before
  for (let z = fileName.indexOf("Z_", 14); z !== -1; z = fileName.indexOf("Z_", z + 1)) {
    const at = z - 14;
    if (fileName.charCodeAt(at) !== 95 /* _ */ || fileName.charCodeAt(at + 9) !== 84 /* T */) continue;
    const y = digitsAt(fileName, at + 1, 4);
    const mo = digitsAt(fileName, at + 5, 2);
    const d = digitsAt(fileName, at + 7, 2);
    const h = digitsAt(fileName, at + 10, 2);
    const mi = digitsAt(fileName, at + 12, 2);
    if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0) continue;
    return stampOf(y, mo, d, h, mi);
  }
  return undefined;
}

/**
 * A log file's name as CloudTrail writes it, `<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<id>.json.gz`
 * (or `.json`, once gunzipped): its stamp says when its events are, wherever the file was copied
 * (a flat folder of a case, the invictus dataset's). Another name with a stamp in it (an export,
 * `export_20261101T1200Z_final.json`) says nothing of its events.
 */
/** A region's name as AWS writes it (us-east-1, us-gov-west-1, ap-southeast-4). */
const REGION_NAME = String.raw`[a-z]{2}(?:-[a-z]+)+-\d{1,2}`;
const CLOUDTRAIL_NAME = new RegExp(String.raw`^\d{12}_CloudTrail_${REGION_NAME}_\d{8}T\d{4}Z_[A-Za-z0-9]+\.json(?:\.gz)?$`, "i");

/** The delivery stamp of a file named as CloudTrail names its files (CLOUDTRAIL_NAME), or undefined. */
export function trustedStamp(fileName: string): number | undefined {
  return CLOUDTRAIL_NAME.test(fileName) ? stampFromName(fileName) : undefined;
}

/**
 * Sets a file's ingestionTime: the delivery stamp in its name, else `otherwise` (its mtime, or an S3
 * object's last change). `stamped` (the stamp bounds its events' times: the scan in time order and
 * pruning go by it) only for a name CloudTrail gives (trustedStamp): one of 2026-11-05 in
 * `export_20261101T1200Z_final.json` was pruned by --start 2026-11-05.
 */
export function stampFile(file: { ingestionTime: number; stamped?: boolean }, name: string, otherwise: number): void {
  const stamp = stampFromName(name);
  file.ingestionTime = stamp ?? otherwise;
  if (stamp !== undefined && CLOUDTRAIL_NAME.test(name)) file.stamped = true;
}

/** Where a path stands in the layout: the parts after `AWSLogs` ([org,] account, CloudTrail, region, y, m, d). */
export interface LayoutParts {
  account?: string;
  /** Lower case. */
  region?: string;
  /** The date folders there are: year (4 digits), month and day (2 digits, in range). */
  ymd: number[];
}

/** A region folder's name (REGION_NAME), in any case. */
const REGION = new RegExp(`^${REGION_NAME}$`, "i");
const DATE_PART = [/^\d{4}$/, /^(?:0[1-9]|1[0-2])$/, /^(?:0[1-9]|[12]\d|3[01])$/];

/**
 * The layout's parts of a path (a folder's, a file's folder's, an S3 key prefix), or undefined when
 * it is not in the layout: no `AWSLogs` folder, an account folder that is not 12 digits (one someone
 * renamed, `111122223333-old`), another folder than `CloudTrail` below it, a region folder that is
 * no region's name (`us-east-1.bak`). Date folders count while they are YYYY, MM, DD (`us-east-1/1/`
 * and `us-east-1/26/11/05/` are not years 1901 and 1926).
 */
export function layoutParts(p: string): LayoutParts | undefined {
  const parts = p.split(path.sep).join("/").split("/").filter((s) => s !== "");
  const at = parts.lastIndexOf("AWSLogs");
  if (at < 0) return undefined;
  let rest = parts.slice(at + 1);
  if (rest[0]?.startsWith("o-")) rest = rest.slice(1);
  const out: LayoutParts = { ymd: [] };
  if (rest[0] !== undefined && !/^\d{12}$/.test(rest[0])) return undefined;
  if (rest[0] !== undefined) out.account = rest[0];
  if (rest[1] !== undefined && rest[1] !== "CloudTrail") return undefined;
  if (rest[2] !== undefined) {
    if (!REGION.test(rest[2])) return undefined;
    out.region = rest[2].toLowerCase();
  }
  for (let k = 0; k < 3 && rest[3 + k] !== undefined && DATE_PART[k]!.test(rest[3 + k]!); k++) out.ymd.push(Number(rest[3 + k]));
  return out;
}

/** STAMP's regex form of stampFromName (the tests hold the two to the same answers). */
export function stampFromNameByRegex(fileName: string): number | undefined {
  const m = STAMP.exec(fileName);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  return stampOf(y, mo, d, h, mi);
}

function stampOf(y: number, mo: number, d: number, h: number, mi: number): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi);
  // Reject dates that roll over (Feb 30th).
  return new Date(t).getUTCDate() === d ? t : undefined;
}

/**
 * `AWSLogs/<account>/CloudTrail/<region>/`, and for organization trails
 * `AWSLogs/<o-org>/<account>/CloudTrail/<region>/`. Digest folders are `CloudTrail-Digest` and don't match.
 */
const LAYOUT = /(?:^|\/)AWSLogs\/(?:o-[^/]+\/)?([^/]+)\/CloudTrail\/([^/]+)\//;

/** `<account>:<region>` from a path with the CloudTrail S3 layout, or undefined. */
export function logGroupFromPath(p: string): string | undefined {
  const m = LAYOUT.exec(p.replaceAll("\\", "/"));
  return m ? `${m[1]}:${m[2]}` : undefined;
}

/**
 * A file is CloudTrail when one of its first CLOUDTRAIL_CHECK records looks like an event; reading
 * stops there when none does (a big file of other JSON is not read to its end).
 */
export const CLOUDTRAIL_CHECK = 2000;

/** Fields every CloudTrail event has: a record with any of them looks like an event. */
export const EVENT_KEYS = ["eventTime", "eventName", "eventSource"] as const;

/** Whether a record has any of the fields every CloudTrail event has. */
export function looksLikeEvent(ev: Record<string, unknown>): boolean {
  return EVENT_KEYS.some((k) => ev[k] !== undefined);
}

/**
 * How deep a record may nest (the record itself is level 1; CloudTrail's own records are about 10
 * deep). A deeper one is skipped with a warning: JSON.stringify, structured cloning (workers) and
 * every recursive walk over values overflow the stack at a few thousand levels.
 */
export const MAX_DEPTH = 1000;

/** Whether a record (level 1) holds objects or arrays nested more than `levels` deep (MAX_DEPTH). Recurses at most `levels` calls deep. */
export function nestedDeeper(v: object, levels: number = MAX_DEPTH): boolean {
  if (levels <= 1) return hasContainer(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === "object" && x !== null && nestedDeeper(x, levels - 1)) return true;
    }
  } else {
    for (const k in v) {
      const x: unknown = (v as Record<string, unknown>)[k];
      if (typeof x === "object" && x !== null && nestedDeeper(x, levels - 1)) return true;
    }
  }
  return false;
}

function hasContainer(v: object): boolean {
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (typeof x === "object" && x !== null) return true;
  return false;
}

/** What an item of a records array that is not an event is, for the warning that counts them: null, array, number, string, boolean, {} or object. */
export function itemKind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "object") return Object.keys(v).length === 0 ? "{}" : "object";
  return typeof v;
}

/** A plain JSON object (not an array, not null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
