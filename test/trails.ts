// Trails the tests make from the bundled sample trail: its files, and the sample trail with copies
// of some files in another region's folder (events met twice, as a second single-region trail that
// also receives global events would hold them).
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const SAMPLE = join(fileURLToPath(new URL("../../", import.meta.url)), "fixtures", "sample-trail");

/** The files under a folder, in code-unit order of their paths. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name))
    .sort();
}

/** A trail path (relative, `AWSLogs/.../CloudTrail/<region>/...`) under the other region's folder: us-east-1 or ap-south-1. */
export function inOtherRegion(rel: string): string {
  const parts = rel.split("/");
  const r = parts.indexOf("CloudTrail") + 1;
  parts[r] = parts[r] === "us-east-1" ? "ap-south-1" : "us-east-1";
  return join(...parts).replace(/\.json\.gz$/, "_copy.json.gz");
}

/**
 * Writes into `dir` the sample trail and a copy of every third of its files in the other region's
 * folder of the same account: the copies come after their originals in scan order for some files
 * and before them for others. Returns how many files were copied.
 */
export function writeTrailWithCopies(dir: string): number {
  let copied = 0;
  filesUnder(SAMPLE).forEach((f, i) => {
    const rel = relative(SAMPLE, f);
    const to = join(dir, rel);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(f, to);
    if (i % 3 !== 0) return;
    const copy = join(dir, inOtherRegion(rel));
    mkdirSync(dirname(copy), { recursive: true });
    copyFileSync(f, copy);
    copied++;
  });
  return copied;
}

/**
 * Writes into `dir` a day folder of three console logins, one file each: 00:00 (stamped 00:05),
 * 02:55 (stamped 03:00), and 00:02 in a file stamped 04:00, delivered more than the scan's hour of
 * margin late. Returns the folder's AWSLogs path.
 */
export function writeLateLogins(dir: string): string {
  const folder = join(dir, "AWSLogs", "111122223333", "CloudTrail", "us-east-1", "2026", "11", "01");
  mkdirSync(folder, { recursive: true });
  const file = (stamp: string, time: string): void => {
    const records = [{ eventTime: `2026-11-01T${time}Z`, eventSource: "signin.amazonaws.com", eventName: "ConsoleLogin", eventID: `${stamp}-0`, awsRegion: "us-east-1", recipientAccountId: "111122223333" }];
    writeFileSync(join(folder, `111122223333_CloudTrail_us-east-1_20261101T${stamp}Z_x.json.gz`), gzipSync(JSON.stringify({ Records: records })));
  };
  file("0005", "00:00:00");
  file("0300", "02:55:00");
  file("0400", "00:02:00");
  return join(dir, "AWSLogs");
}
