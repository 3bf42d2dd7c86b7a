// trailq's cache folder: $XDG_CACHE_HOME/trailq (~/.cache/trailq when it is not set or not absolute).
// s3:// objects are kept in s3/ (sources/s3/cache.ts), parsed Sigma rules in rules/ (detect/rules-cache.ts),
// folders' field indexes in index/ (sources/field-index.ts).
import { readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export function cacheHome(): string {
  const xdg = process.env["XDG_CACHE_HOME"];
  return join(xdg && xdg.startsWith("/") ? xdg : join(homedir(), ".cache"), "trailq");
}

/**
 * What a cache folder holds: its entries (those `counted` names) and their bytes (a folder entry's
 * files added up); nothing when it does not exist yet.
 */
export function cacheUsage(dir: string, counted: (name: string) => boolean = () => true): { entries: number; bytes: number } {
  let entries = 0;
  let bytes = 0;
  try {
    for (const name of readdirSync(dir)) {
      if (!counted(name)) continue;
      entries++;
      const at = join(dir, name);
      const st = statSync(at);
      if (!st.isDirectory()) bytes += st.size;
      else for (const f of readdirSync(at)) bytes += statSync(join(at, f)).size;
    }
  } catch {
    // no cache yet
  }
  return { entries, bytes };
}
