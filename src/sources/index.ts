// The sources layer: paths and standard input in, batches of parsed CloudTrail events out.
//
//   walk.ts        inputs → files (recursive, sorted; hidden entries, digests, loops skipped)
//   decompress.ts  file/stdin bytes → decoded bytes (gzip by node:zlib, zip by fflate)
//   sniff.ts       what the bytes are: compression magic, empty/binary/JSON, JSON lines or a document
//   split.ts       one decoded document → events (whole parse, JSON lines, or the streaming scanner)
//   scanner.ts     the record-by-record scanner for documents too big to parse whole
//   lines.ts       the JSON-lines splitter
//   raw.ts         each record's text as written (@message), compacted
//   cloudtrail.ts  file-name stamps, the AWSLogs layout, what a CloudTrail event looks like
//   reader.ts      the Reader that ties them together
//   field-index.ts a folder's field index (trailq index): files left out unopened by their values
export { exactSize, isFolder, plainFound, readOnceInputs, unreadableInput } from "./walk.js";
export type { EventBatch, ReadStats, ReaderOptions, SkippedInput, SourceFile } from "./types.js";
export { Reader, BATCH_SIZE, MAX_WARNINGS_PER_FILE } from "./reader.js";
export { WHOLE_PARSE_LIMIT } from "./split.js";
export { MAX_RECORD_BYTES } from "./scanner.js";
export { logGroupFromPath, stampFromName } from "./cloudtrail.js";
export { Pruner, DELIVERY_MARGIN_MS, stampSpan, type Selection } from "./prune.js";
