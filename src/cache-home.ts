// trailq's cache folder: $XDG_CACHE_HOME/trailq (~/.cache/trailq when it is not set or not absolute).
// s3:// objects are kept in s3/ (sources/s3/cache.ts), parsed Sigma rules in rules/ (detect/rules-cache.ts),
// folders' field indexes in index/ (sources/field-index.ts).
import { homedir } from "node:os";
import { join } from "node:path";

export function cacheHome(): string {
  const xdg = process.env["XDG_CACHE_HOME"];
  return join(xdg && xdg.startsWith("/") ? xdg : join(homedir(), ".cache"), "trailq");
}
