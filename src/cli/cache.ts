// `trailq cache info|clear`: the local cache of objects fetched from s3:// inputs (src/sources/s3/cache.ts),
// of the Sigma rule files detect parsed (src/detect/rules-cache.ts) and the folders' field indexes
// (src/sources/field-index.ts).
import { cacheInfo, clearCache } from "../sources/s3/cache.js";
import { clearRulesCache, rulesCacheInfo } from "../detect/rules-cache.js";
import { clearIndexes, indexInfo } from "../sources/field-index.js";
import { formatBytes } from "../exec/memory.js";
import { visible } from "../output/safe.js";

export function cacheCommand(what: "info" | "clear"): void {
  if (what === "clear") {
    const gone = clearCache();
    const rules = clearRulesCache();
    const indexes = clearIndexes();
    process.stdout.write(`removed ${gone.files} cached object${gone.files === 1 ? "" : "s"} (${gone.files ? formatBytes(gone.bytes) : "0 KB"}), ${rules.sets} cached rule set${rules.sets === 1 ? "" : "s"} and ${indexes.indexes} folder index${indexes.indexes === 1 ? "" : "es"}\n`);
    return;
  }
  const i = cacheInfo();
  const rules = rulesCacheInfo();
  const indexes = indexInfo();
  process.stdout.write(
    [
      `cache:   ${visible(i.root)}`,
      `objects: ${i.files}`,
      `listings: ${i.listings} (folders and days listed: a range listed before is not listed again)`,
      `size:    ${i.bytes ? formatBytes(i.bytes) : "0 KB"} of ${formatBytes(i.cap)} (TRAILQ_S3_CACHE_SIZE; least recently used objects and listings go first past it)`,
      `buckets: ${i.buckets.length ? i.buckets.map(visible).join(", ") : "none"}`,
      `rules:   ${rules.sets} set${rules.sets === 1 ? "" : "s"} of parsed Sigma rule files (${rules.bytes ? formatBytes(rules.bytes) : "0 KB"}; detect --no-rules-cache uses none)`,
      `indexes: ${indexes.indexes} folder${indexes.indexes === 1 ? "" : "s"} indexed by trailq index (${indexes.bytes ? formatBytes(indexes.bytes) : "0 KB"})`,
    ].join("\n") + "\n",
  );
}
