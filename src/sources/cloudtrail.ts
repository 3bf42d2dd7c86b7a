// What CloudTrail itself tells us: the delivery stamp in a log file's name, the account and region
// in the S3 layout `AWSLogs/<account>/CloudTrail/<region>/...`, and whether a record looks like an event.

/** `<account>_CloudTrail_<region>_20240304T0005Z_<unique>.json.gz`: the delivery minute, UTC. */
const STAMP = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/;

/** The delivery time (epoch ms) stamped in a CloudTrail file name, or undefined. */
export function stampFromName(fileName: string): number | undefined {
  const m = STAMP.exec(fileName);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
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
 * A file is CloudTrail when one of its first CLOUDTRAIL_CHECK records looks like an event (both
 * readers, fast and careful, ask the same).
 */
export const CLOUDTRAIL_CHECK = 2000;

/** Fields every CloudTrail event has: a record with any of them looks like an event. */
export const EVENT_KEYS = ["eventTime", "eventName", "eventSource"] as const;

/** Whether a record has any of the fields every CloudTrail event has. */
export function looksLikeEvent(ev: Record<string, unknown>): boolean {
  return EVENT_KEYS.some((k) => ev[k] !== undefined);
}

/** A plain JSON object (not an array, not null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
