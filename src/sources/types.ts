import type { FieldPaths } from "./field-paths.js";
import type { Selection } from "./prune.js";
import type { FoundFile } from "./walk.js";
import type { IndexPruner } from "./field-index.js";


// The shapes the reader hands on: where an event came from, batches of events, read figures.

export interface SourceFile {
  /** Absolute path, or "-" for standard input. */
  path: string;
  /** The path relative to the input root it was found under (the file name itself when the input was a file), "-" for stdin. */
  display: string;
  /** Bytes on disk (0 for stdin); an estimate when `estimated`. */
  size: number;
  /** The walk did not stat the file (walk.ts: SIZE_SAMPLE_EVERY): `size` is an estimate until the reader opens it. */
  estimated?: boolean;
  /** Epoch ms: the delivery stamp in a CloudTrail file name (`_YYYYMMDDTHHMMZ_`), else the file's mtime, else now. */
  ingestionTime: number;
  /** ingestionTime is the delivery stamp in the file's name (time order and pruning go by it). */
  stamped?: boolean;
  /** `<account>:<region>` when the path has the `AWSLogs/<account>/CloudTrail/<region>/` layout. */
  logGroup?: string;
  /** A named pipe (FIFO) named as an input, or `<(cmd)`: read as a stream, waiting for its writer. */
  pipe?: boolean;
}

export interface EventBatch {
  file: SourceFile;
  /** Parsed records (plain JSON objects). */
  events: Record<string, unknown>[];
  /**
   * Each event's text as written in the file (compacted: see raw.ts), for @message; when the reader
   * keeps it (ReaderOptions.raw).
   */
  raws?: string[];
  /**
   * Index within the file of events[0] (0-based), for @ptr = `${display}#${index}`. The index of a
   * record is its position among the file's records, bad ones included, so a skipped record leaves
   * a gap and the events of one batch always have consecutive indexes.
   */
  firstIndex: number;
  /**
   * The fingerprint of each event's eventID, made from the file's bytes by the projector when copies
   * of events are skipped (event-ids.ts): hi, lo at 2k and 2k + 1; 0, 0 where it could not (the
   * event then holds the eventID's value) or there is none. Absent: the events hold their eventIDs.
   */
  fps?: Int32Array;
}

/** An event field's value an event passing the filter may have (field-index.ts: IndexPruner). */
export interface IndexAlternative {
  path: string[];
  /** The string it must equal: `=` holds for no value of another kind (values.ts equals). */
  value?: string;
  /**
   * Else: whether an event whose field is this string may pass. An event whose field holds a
   * number, a boolean, an object or an array may; one without the field, or with null, may not.
   */
  test?: (value: string) => boolean;
  /**
   * An account or region of the selection (--account, --region): the scan takes an event's from its
   * file's AWSLogs/<account>/CloudTrail/<region>/ folder when it has none (and a number as its
   * digits), so the files in that layout (which names prune) and those holding a number are kept.
   */
  layout?: boolean;
}

export interface SkippedInput {
  /** The file (or folder) as the user would name it: the input path joined with `display`. */
  file: string;
  /** A short category ("corrupt gzip", "not CloudTrail", "bad JSON line"...); the warning has the details. */
  reason: string;
  /** How many things one warning counts (the items of a file that are not events); 1 when absent. */
  count?: number;
}

export interface ReadStats {
  /** Files read (wholly or in part: a file with a bad line still counts here). */
  filesRead: number;
  /** Files (and folders) skipped wholly: nothing of them was yielded. */
  filesSkipped: number;
  /** Files with nothing in them: no bytes, only whitespace, or compressed nothing (not read, not skipped, no warning). */
  filesEmpty: number;
  /** Files left out by name (time range, account, region) without being opened. */
  filesPruned: number;
  /** Files read but not parsed: their text holds no literal the query's filter needs (prefilter.ts). */
  filesUnmatched: number;
  /** Files not read: the rows already kept sort before anything they can hold (newest n events). */
  filesUnneeded: number;
  /**
   * When a folder's field index was used (field-index.ts): the files it left out unopened (their
   * events hold none of the values the filter needs), the events they hold, and the files found
   * new or changed since it was built (read as usual).
   */
  indexed?: {
    files: number;
    events: number;
    changed: number;
    /** Files below an indexed folder that its walk does not take (hidden, or reached through a link): read as usual. */
    unindexed?: number;
    /** Files with events it left out by their values alone (their events may be in the time range). */
    byValue?: number;
    /** The first and last eventTime of the files it left out by the time range (epoch ms). */
    times?: { first: number; last: number };
  };
  /** The filter asks for values a folder's field index holds, and no input has one (the summary says what `trailq index` would save). */
  indexable?: boolean;
  /** Files in the folders walked that are not read: neither their names nor their first bytes are JSON or compressed. */
  filesIgnored: number;
  /** Files pruned by name for their account or region (among filesPruned). */
  filesElsewhere?: number;
  /** The earliest and latest delivery stamps in the names of the files pruned for their time (epoch ms), when any had one. */
  prunedStamps?: { first: number; last: number };
  eventsRead: number;
  /** The field paths of the first events of the streams read (standard input, named pipes), which the end-of-run hints cannot read again. */
  streamedPaths?: FieldPaths;
  /** Events the query did not see: copies of an event met before in the scan (the same eventID; see exec/event-ids.ts). */
  eventsDuplicate: number;
  /** Events whose eventTime is there but not a time (they have no @timestamp); counted as the scan admits them. */
  eventsBadTime: number;
  /** Bytes read from disk or standard input, before decompression. */
  bytesRead: number;
  /** Bytes after decompression (equal to bytesRead for plain files). */
  bytesDecoded: number;
  /** One entry per skipped file, and one per problem in a file read in part (a bad line or record). */
  skipped: SkippedInput[];
}

export interface ReaderOptions {
  /**
   * Called once per problem warned; the message names the file (and line or record) and the reason,
   * `problem` is the problem as recorded (absent for the warning that counts those not shown).
   */
  warn(message: string, problem?: SkippedInput): void;
  /** Used for "-" (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Stop reading cleanly when aborted: batches() ends without an error. */
  signal?: AbortSignal;
  /** Skip files that can't hold a selected event, by their names (see prune.ts). */
  select?: Selection;
  /**
   * Decoded size up to which a JSON document is parsed whole (default WHOLE_PARSE_LIMIT, 16 MiB);
   * larger ones are split record by record. For tests.
   */
  wholeParseLimit?: number;
  /** Read small Records documents the fast way (fast.ts); default true. false: always the careful reader (tests compare the two). */
  fast?: boolean;
  /** Extract only these paths of each event (the fields the query reads, `["userIdentity", "arn"]`); default: all. */
  project?: string[][];
  /**
   * A key of each record whose fingerprint the scan needs (the eventID, to skip copies), when
   * projecting: see Projector. Records read whole keep the key's value.
   */
  fingerprint?: string;
  /**
   * Keep each event's text as written (EventBatch.raws), for @message; default true. A query that
   * does not read @message turns it off (scanReaderOptions): it costs a pass over the text.
   */
  raw?: boolean;
  /** Text a file must hold for any of its events to pass the query's filter (see prefilter.ts). */
  prefilter?: string[][];
  /**
   * Check every byte of a file as UTF-8, not only the texts the query reads: a file that is not is
   * read by the careful reader, which says so. For the field index's build, which vouches for a
   * file only when no query would find a problem in it.
   */
  utf8Checked?: boolean;
  /**
   * The folders' field indexes for what an event must hold to pass the query's filter, and its time
   * range (field-index.ts, made by the caller from exec/index-clauses.ts): files they say hold no
   * event with these values, or none in `select`'s time range, are not opened. Made by the caller,
   * so that the scan's workers, which read the files they are given, never load the indexes' module
   * and its schemas (zod: 56 ms a thread).
   */
  index?: IndexPruner;
  /**
   * Inputs that are not on the file system (s3:// URLs, src/sources/s3/): the reader leaves them out
   * of its walk and reads the files these list, each once its bytes are on disk.
   */
  remote?: RemoteFiles;
}

/**
 * Files listed elsewhere (s3://) whose bytes come to a local file (`file.path`) when asked for: the
 * reader, the workers and every decoding path then read them as any file.
 */
export interface RemoteFiles {
  /** Whether an input is one of these (not walked as a path). */
  owns(input: string): boolean;
  /** The files listed, in input order. */
  found(): FoundFile[];
  /** What the listing could not list (a warning each), and left out by name. */
  problems(): { shown: string; reason: string; detail: string }[];
  pruned(): { files: number; first: number; last: number };
  /** The order the scan will read them in (files not in it are fetched when asked for). */
  willRead(files: readonly FoundFile[]): void;
  /** Whether every file listed is already on disk (then the scan may hand them to workers). */
  allReady(): boolean;
  /** Resolves when the file's bytes are at file.path; or the reason it can't be read (a warning names the file). */
  ready(found: FoundFile): Promise<{ reason: string; detail: string } | undefined>;
}
