// Trails the tests make from the bundled sample trail: its files, and the sample trail with copies
// of some files in another region's folder (events met twice, as a second single-region trail that
// also receives global events would hold them).
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
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
