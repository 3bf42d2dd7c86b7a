// The reader: inputs in, batches of events out, one file after another. It ties the walk, the
// decoding and the splitting together, turns every data problem into one warning (and a `skipped`
// entry) and goes on with the next file: nothing here throws for bad data.
import { CLOUDTRAIL_CHECK, MAX_DEPTH, isObject, itemKind, looksLikeEvent, nestedDeeper } from "./cloudtrail.js";
import { DecodeError, SMALL_FILE, decode, decodeWhole, emptyFile, gzipTrailerSize, openFile, openPipe, readWhole, streamChunks, type Decoded, type SmallContent } from "./decompress.js";
import { DocumentSplitter, WHOLE_PARSE_LIMIT, type Container, type IndexCounter, type SplitSink } from "./split.js";
import type { EventBatch, ReadStats, ReaderOptions, SkippedInput, SourceFile } from "./types.js";
import { fsProblem, walk, type FoundFile, type WalkOptions, type WalkProblem } from "./walk.js";
import { Pruner } from "./prune.js";
import { fastFromDecoded, readFast, type FastRead, type FastWay } from "./fast.js";
import { Projector } from "./project.js";
import { Prefilter } from "./prefilter.js";
import type { IndexPruner } from "./field-index.js";
import { stat } from "node:fs/promises";
import { PATH_SAMPLE_EVENTS, addPaths } from "./field-paths.js";
import { NOT_UTF8, notUtf8 } from "./utf8.js";

/** A span of times (epoch ms) widened to hold another. */
function widen(span: { first: number; last: number } | undefined, add: { first: number; last: number }): { first: number; last: number } {
  return span ? { first: Math.min(span.first, add.first), last: Math.max(span.last, add.last) } : { first: add.first, last: add.last };
}

/** Events per batch at most. */
export const BATCH_SIZE = 2000;
/** What readQuick gives for a file with no events to hand on (never changed). */
const NO_BATCHES: EventBatch[] = [];
/** Warnings per file at most; the rest are counted in one last warning. */
export const MAX_WARNINGS_PER_FILE = 10;

/** How the warning that counts items that are not events names them: one, several. */
const CONTAINER_WORDS: Record<Container, [string, string]> = {
  Records: ["item in Records", "items in Records"],
  array: ["item of the array", "items of the array"],
  lines: ["line", "lines"],
  objects: ["object", "objects"],
};

export class Reader {
  readonly stats: ReadStats = { filesRead: 0, filesSkipped: 0, filesEmpty: 0, filesPruned: 0, filesUnmatched: 0, filesUnneeded: 0, filesIgnored: 0, eventsRead: 0, eventsDuplicate: 0, eventsBadTime: 0, bytesRead: 0, bytesDecoded: 0, skipped: [] };
  /** Walk problems already reported (files() and batches() may both walk). */
  private readonly reported = new Set<string>();
  private readonly inputs: readonly string[];
  private readonly pruner: Pruner | undefined;
  private counted = false;
  private remoteCounted = false;
  private readonly projector: Projector | undefined;
  private readonly prefilter: Prefilter | undefined;
  /** A folder's field index, when one can leave files out for the query's filter. */
  private readonly index: IndexPruner | undefined;
  private indexCounted = false;
  /** Keep each event's text as written (ReaderOptions.raw). */
  private readonly texts: boolean;
  /** How the fast path reads (fast.ts). */
  private readonly fastWay: FastWay;

  constructor(
    inputs: string[],
    private readonly opts: ReaderOptions,
  ) {
    this.inputs = [...inputs];
    const p = opts.select ? new Pruner(opts.select) : undefined;
    if (p?.active) this.pruner = p;
    if (opts.project) this.projector = new Projector(opts.project, opts.fingerprint);
    if (opts.prefilter?.length) this.prefilter = new Prefilter(opts.prefilter);
    this.texts = opts.raw ?? true;
    this.fastWay = { projector: this.projector, prefilter: this.prefilter, texts: this.texts, utf8Checked: opts.utf8Checked === true };
    const { index } = opts;
    if (index) {
      if (index.active) {
        this.index = index;
        this.stats.indexed = { files: 0, events: 0, changed: 0 };
      } else if (index.serves) this.stats.indexable = true;
    }
  }

  /** Whether standard input ("-") is among the inputs. */
  get readsStdin(): boolean {
    return this.inputs.includes("-");
  }

  /** What this reader extracts and looks for: a parallel scan's workers read with the same. */
  get extraction(): Pick<ReaderOptions, "project" | "fingerprint" | "prefilter" | "raw" | "utf8Checked"> {
    const { project, fingerprint, prefilter, utf8Checked } = this.opts;
    return { ...(project ? { project } : {}), ...(fingerprint ? { fingerprint } : {}), ...(prefilter ? { prefilter } : {}), raw: this.texts, ...(utf8Checked ? { utf8Checked } : {}) };
  }

  private walkOptions(): WalkOptions {
    const w: WalkOptions = {};
    if (this.opts.signal) w.signal = this.opts.signal;
    // Both files() and batches() walk: count pruned and ignored files once.
    if (this.counted) return { ...w, ...(this.pruner ? { pruner: this.pruner } : {}) };
    this.counted = true;
    const stats = this.stats;
    w.ignored = () => void stats.filesIgnored++;
    if (this.pruner) {
      w.pruner = this.pruner;
      w.pruned = (p, elsewhere) => {
        stats.filesPruned += p.files;
        // the stamps of files of other accounts or regions say nothing of where the range's events are
        if (p.first <= p.last && !elsewhere) stats.prunedStamps = widen(stats.prunedStamps, p);
        if (elsewhere) stats.filesElsewhere = (stats.filesElsewhere ?? 0) + p.files;
      };
    }
    return w;
  }

  /** The files that would be read, without reading them. Problems met on the way are reported. */
  *files(): Iterable<SourceFile> {
    for (const found of this.found()) yield found.file;
  }

  /** The files to read, as found (with the name warnings give them). Problems met on the way are reported. */
  *found(): Iterable<FoundFile> {
    const remote = this.opts.remote;
    const local = remote ? this.inputs.filter((i) => !remote.owns(i)) : this.inputs;
    // files() and batches() may both walk: the index's figures are counted once
    const indexed = this.indexCounted ? undefined : this.stats.indexed;
    this.indexCounted = true;
    for (const item of walk(local, this.walkOptions())) {
      if (item.kind === "problem") this.walkProblem(item);
      else {
        const leftOut = this.index?.leavesOut(item.file);
        if (leftOut === undefined) yield item;
        else if (indexed) {
          indexed.files++;
          indexed.events += leftOut.events;
          if (leftOut.times) indexed.times = widen(indexed.times, leftOut.times);
          else if (leftOut.events > 0) indexed.byValue = (indexed.byValue ?? 0) + 1;
        }
      }
    }
    if (indexed) {
      indexed.changed = this.index!.changed;
      const unindexed = this.index!.unindexed;
      if (unindexed > 0) indexed.unindexed = unindexed;
    }
    if (!remote) return;
    for (const p of remote.problems()) this.walkProblem({ kind: "problem", ...p });
    if (!this.remoteCounted) {
      this.remoteCounted = true;
      const p = remote.pruned();
      this.stats.filesPruned += p.files;
      if (p.first <= p.last) this.stats.prunedStamps = widen(this.stats.prunedStamps, p);
    }
    // listed already (pruned by the listing's selection); a plan of its own (a subquery) prunes
    // further, but not an object the input names
    for (const f of remote.found()) if (f.named || !this.pruner?.file(f.shown)) yield f;
  }

  /** The order the scan reads the files in: remote files are fetched ahead in it. */
  willRead(files: readonly FoundFile[]): void {
    this.opts.remote?.willRead(files);
  }

  /** Whether the files can be read by path now (every remote one on disk): workers read them so. */
  get local(): boolean {
    return this.opts.remote?.allReady() ?? true;
  }

  /** Every file's events, file after file, each file streamed in batches of at most BATCH_SIZE. */
  async *batches(): AsyncIterable<EventBatch> {
    for (const found of this.found()) {
      if (this.opts.signal?.aborted) return;
      yield* this.read(found);
    }
  }

  /** One file's events in batches: the fast path when it applies (fast.ts), else the careful reader. */
  async *read(found: FoundFile): AsyncGenerator<EventBatch> {
    const remote = this.opts.remote?.owns(found.shown) ? this.opts.remote : undefined;
    if (remote) {
      // an s3:// object: read once its bytes are on disk (in the cache)
      const p = await remote.ready(found);
      if (p) {
        // an object not fetched because the run was interrupted is no problem of its own
        if (!this.opts.signal?.aborted) this.walkProblem({ kind: "problem", shown: found.shown, reason: p.reason, detail: p.detail });
        return;
      }
    }
    const quick = this.quickLocal(found);
    if (quick === undefined) {
      yield* this.readFile(found);
      return;
    }
    for (const batch of quick) {
      if (this.opts.signal?.aborted) return;
      yield batch;
    }
  }

  /**
   * One file's events in batches, read on this thread in one synchronous step, when the file is
   * empty or the fast path takes it (fast.ts: the common small Records document); undefined when
   * the careful reader must read it (read() then does). Scans of many small files call this first:
   * no promise or generator per file. An s3:// object may not be on disk yet: undefined (read() waits for it).
   */
  readQuick(found: FoundFile): EventBatch[] | undefined {
    return this.opts.remote?.owns(found.shown) ? undefined : this.quickLocal(found);
  }

  /** readQuick for a file whose bytes are on disk. */
  private quickLocal(found: FoundFile): EventBatch[] | undefined {
    if (found.file.size === 0 && found.file.path !== "-" && !found.file.pipe && emptyFile(found.file.path)) {
      this.stats.filesEmpty++;
      return NO_BATCHES;
    }
    return this.opts.fast === false ? undefined : this.quickBatches(found, readFast(found.file, this.fastWay));
  }

  /** Whether some inputs are s3:// objects (fetched as the scan goes: not read ahead). */
  get remote(): boolean {
    return this.opts.remote !== undefined;
  }

  /** readQuick for a file whose content was read and decoded on the read-ahead thread (read-ahead.ts). */
  readDecoded(found: FoundFile, decoded: SmallContent | "empty"): EventBatch[] | undefined {
    return this.quickBatches(found, fastFromDecoded(decoded, this.fastWay));
  }

  /** The fast path's events in batches, counted in the stats; undefined when it did not take the file. */
  private quickBatches(found: FoundFile, fast: FastRead | undefined): EventBatch[] | undefined {
    if (!fast) return undefined;
    const stats = this.stats;
    if (fast.kind === "empty") {
      stats.filesEmpty++;
      return NO_BATCHES;
    }
    stats.filesRead++;
    stats.bytesRead += fast.bytesRead;
    stats.bytesDecoded += fast.bytesDecoded;
    if (fast.kind === "unmatched") {
      stats.filesUnmatched++;
      return NO_BATCHES;
    }
    const { events, raws, fps } = fast;
    stats.eventsRead += events.length;
    const out: EventBatch[] = [];
    for (let i = 0; i < events.length; i += BATCH_SIZE) {
      const whole = events.length <= BATCH_SIZE;
      const batch: EventBatch = { file: found.file, events: whole ? events : events.slice(i, i + BATCH_SIZE), firstIndex: i };
      if (raws) batch.raws = whole ? raws : raws.slice(i, i + BATCH_SIZE);
      if (fps) batch.fps = whole ? fps : fps.subarray(2 * i, 2 * (i + BATCH_SIZE));
      out.push(batch);
    }
    return out;
  }

  private walkProblem(p: WalkProblem): void {
    const key = `${p.shown}\0${p.reason}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const problem: SkippedInput = { file: p.shown, reason: p.reason };
    this.opts.warn(`${p.shown}: ${p.detail}`, problem);
    this.stats.skipped.push(problem);
    this.stats.filesSkipped++;
  }

  private async *readFile(found: FoundFile): AsyncGenerator<EventBatch> {
    const { file, shown } = found;
    const stats = this.stats;
    const signal = this.opts.signal;

    // Problems: warned at once; recorded in stats.skipped when the file is done (one entry when the
    // whole file was skipped, one per problem when it was read in part).
    const problems = new FileProblems(shown, this.opts.warn);
    /** Texts of this thread decoded from bytes that are not UTF-8 before this file (utf8.ts). */
    const utf8Before = notUtf8.texts;
    let entryPrefix = "";
    const problem = (reason: string, detail: string, count?: number): void => problems.add(reason, `${entryPrefix}${detail}`, count);

    // Batches: consecutive indexes, at most BATCH_SIZE events. Only events go in: an item that is
    // not an object, or an object with none of CloudTrail's event keys, is counted (one warning for
    // the file at its end); if none of the first CLOUDTRAIL_CHECK items is an event, the file is not
    // CloudTrail, and reading it stops.
    let cur: EventBatch | undefined;
    const ready: EventBatch[] = [];
    let items = 0;
    let cloudTrail: boolean | undefined;
    let yielded = 0;
    /** Items that are not events: how many, their kinds (null, array, {}...) and what held them. */
    let notEvents = 0;
    const kinds = new Set<string>();
    const containers = new Set<Container>();
    const texts = this.texts;
    const projector = this.projector;
    // a stream cannot be read again for the hints' field names: its first events' are counted now
    const paths = file.path === "-" || file.pipe ? (stats.streamedPaths ??= { have: new Map(), events: 0 }) : undefined;
    const sink: SplitSink = {
      item(v, index, from, text) {
        items++;
        if (!isObject(v) || !looksLikeEvent(v)) {
          notEvents++;
          kinds.add(itemKind(v));
          containers.add(from);
          return;
        }
        cloudTrail = true;
        if (nestedDeeper(v, MAX_DEPTH)) {
          problem("too deeply nested", `record ${index + 1} is nested more than ${MAX_DEPTH} levels deep: skipped`);
          return;
        }
        if (cur && (index !== cur.firstIndex + cur.events.length || cur.events.length >= BATCH_SIZE)) {
          ready.push(cur);
          cur = undefined;
        }
        cur ??= texts ? { file, events: [], raws: [], firstIndex: index } : { file, events: [], firstIndex: index };
        if (paths && paths.events < PATH_SAMPLE_EVENTS) {
          addPaths(v, paths.have);
          paths.events++;
        }
        cur.events.push(projector ? projector.prune(v) : v);
        // every event the splitter hands on has its text when it keeps texts
        cur.raws?.push(text!);
      },
      problem(reason, detail) {
        problem(reason, detail);
      },
    };
    /** Whether the file turned out not to be CloudTrail (then it is over). */
    const notCloudTrail = (final: boolean): boolean => {
      if (cloudTrail !== undefined || items === 0 || (!final && items < CLOUDTRAIL_CHECK)) return false;
      cloudTrail = false;
      problem("not CloudTrail", "not CloudTrail: no record has eventTime, eventName or eventSource");
      // its items are that warning's, not the count of items that were not events
      notEvents = 0;
      kinds.clear();
      containers.clear();
      return true;
    };
    /** The one warning that counts the items that were not events, once the file is read. */
    const countNotEvents = (): void => {
      if (notEvents === 0 || !cloudTrail) return;
      const what = containers.size === 1 ? CONTAINER_WORDS[[...containers][0]!] : ["record", "records"];
      const are = notEvents === 1 ? `${what[0]} is not an event` : `${what[1]} are not events`;
      problem("not an event", `${notEvents} ${are} (${[...kinds].join(", ")}): skipped`, notEvents);
    };

    const limit = this.opts.wholeParseLimit ?? WHOLE_PARSE_LIMIT;
    let close: (() => Promise<void>) | undefined;
    let decoded: AsyncIterable<Decoded>;
    /** What the decoded size is known to be at least. */
    let sizeHint = 0;
    if (file.path === "-") decoded = decode(streamChunks(this.opts.stdin ?? process.stdin, signal), stats);
    else if (file.pipe) {
      try {
        // Opened without waiting for a writer, and read as a stream that Ctrl-C ends (a blocking open
        // or read would hold a thread until a writer comes, and the process with it).
        decoded = decode(streamChunks(openPipe(file.path), signal), stats);
      } catch (e) {
        const p = fsProblem(e);
        problem(p.reason, `${p.detail}: skipped`);
        this.finishFile(problems, 0);
        return;
      }
    }
    else {
      try {
        if (file.estimated) {
          // the fast path could not open it: its size, or why it can't be read
          file.size = (await stat(file.path)).size;
          file.estimated = false;
        }
        if (file.size > 0 && file.size <= SMALL_FILE) {
          // Read whole; gunzipped whole unless it decodes to more than the whole-parse limit.
          const buf = await readWhole(file.path, file.size);
          sizeHint = Math.max(buf.length, gzipTrailerSize(buf));
          decoded = decodeWhole(buf, stats, Math.max(limit, SMALL_FILE));
        } else {
          const h = await openFile(file.path, file.size, limit);
          decoded = decode(h.chunks, stats, h.again);
          close = h.close;
          sizeHint = Math.max(file.size, h.gzipSizeHint);
        }
      } catch (e) {
        const p = fsProblem(e);
        problem(p.reason, `${p.detail}: skipped`);
        this.finishFile(problems, 0);
        return;
      }
    }

    const counter: IndexCounter = { next: 0 };
    // A file known to decode to more than the limit (its size on disk, its gzip trailer) is scanned
    // from its first byte; otherwise up to the limit is held in case it can be parsed whole.
    let splitter = new DocumentSplitter(sink, counter, limit, sizeHint, texts);

    /**
     * Hands on the batches ready, scanning waiting pieces one at a time so that only one piece's
     * events wait at once. Returns false when the file is over: not CloudTrail (judged only when
     * `judged`: a read cut by Ctrl-C is not).
     */
    async function* drain(final: boolean, judged = true): AsyncGenerator<EventBatch, boolean> {
      for (;;) {
        const more = splitter.pump();
        if (final && !more && cur) {
          ready.push(cur);
          cur = undefined;
        }
        if (notCloudTrail(judged && final && !more)) return false;
        for (const b of ready.splice(0)) {
          yielded += b.events.length;
          stats.eventsRead += b.events.length;
          yield b;
        }
        if (!more) return true;
      }
    }

    let zip = false;
    /** A zip entry found not CloudTrail: the rest of it is passed over, the next entries read. */
    let skipping = false;
    let empty = false;
    try {
      let cutBy: unknown;
      let d: Decoded | undefined;
      try {
        for await (d of decoded) {
          if (signal?.aborted) break;
          if ("problem" in d) {
            // a problem that does not end the file (trailing garbage ignored, a zip entry skipped)
            const e = entryPrefix;
            entryPrefix = "";
            problem(d.problem.reason, d.problem.detail);
            entryPrefix = e;
            continue;
          }
          if (!Buffer.isBuffer(d)) {
            // The next entry of a zip archive: a document of its own, indexes going on, judged
            // CloudTrail or not on its own (a manifest entry first does not take the archive with it)
            if (zip && !skipping) {
              splitter.end();
              yield* drain(true);
            }
            zip = true;
            skipping = false;
            items = 0;
            if (cloudTrail === false) cloudTrail = undefined;
            entryPrefix = `entry ${d.entry}: `;
            splitter = new DocumentSplitter(sink, counter, limit, 0, texts);
            continue;
          }
          if (skipping) continue;
          splitter.push(d);
          if (!(yield* drain(false))) {
            if (!zip) return;
            skipping = true;
            splitter = new DocumentSplitter(sink, counter, limit, 0, texts);
            continue;
          }
          if (splitter.done && !zip) break;
        }
      } catch (e) {
        cutBy = e;
      }
      // Ctrl-C (a pipe without a writer ends here too): what was read is not judged as a whole file
      // (as if cut short: a last line or document cut off is not reported), but its complete
      // events are handed on, the batch still filling too: the rows of what was read so far
      if (signal?.aborted) {
        d = undefined;
        splitter.end(true);
        yield* drain(true, false);
        return;
      }
      // d held the last chunk (a plain file read whole is one): this generator would keep it while
      // the file's events are out, however long the pipeline takes with them
      d = undefined;
      splitter.end(cutBy !== undefined);
      const finished = yield* drain(true);
      entryPrefix = "";
      countNotEvents();
      if (notUtf8.texts > utf8Before) problem("not UTF-8", NOT_UTF8);
      empty = !zip && splitter.empty && problems.none;
      if (cutBy !== undefined && !signal?.aborted) {
        const kept = finished && yielded > 0 ? `: kept the ${yielded} complete record${yielded === 1 ? "" : "s"} before the break` : "";
        if (cutBy instanceof DecodeError) problem(cutBy.reason, `${cutBy.message}${kept}`);
        else {
          const p = fsProblem(cutBy);
          problem(p.reason, `read error: ${p.detail}`);
        }
      }
    } finally {
      await close?.().catch(() => {});
      this.finishFile(problems, yielded, empty);
    }
  }

  /** The file is done (or abandoned): count it, and record its problems. */
  private finishFile(problems: FileProblems, yielded: number, empty = false): void {
    const stats = this.stats;
    if (empty) {
      stats.filesEmpty++;
      return;
    }
    problems.warnUnshown();
    if (yielded === 0 && problems.last) {
      // Skipped whole: counted as such, with every problem it had (13 bad lines are 13, not the last one)
      stats.filesSkipped++;
      stats.skipped.push(...problems.entries());
    } else {
      stats.filesRead++;
      stats.skipped.push(...problems.entries());
    }
  }
}

/**
 * One file's problems: the first MAX_WARNINGS_PER_FILE are warned one by one, the rest counted by
 * reason, so that the summary counts them all and the terminal is not flooded.
 */
class FileProblems {
  private readonly shownOnes: SkippedInput[] = [];
  private readonly unshownBy = new Map<string, SkippedInput>();
  private unshown = 0;
  /** The latest problem: the one that ended the file, when it was skipped whole. */
  last: SkippedInput | undefined;

  constructor(
    private readonly file: string,
    private readonly warn: ReaderOptions["warn"],
  ) {}

  get none(): boolean {
    return this.last === undefined;
  }

  add(reason: string, detail: string, count?: number): void {
    if (this.shownOnes.length < MAX_WARNINGS_PER_FILE) {
      this.last = count === undefined ? { file: this.file, reason } : { file: this.file, reason, count };
      this.shownOnes.push(this.last);
      this.warn(`${this.file}: ${detail}`, this.last);
      return;
    }
    this.unshown++;
    const counted = this.unshownBy.get(reason);
    if (counted) counted.count = (counted.count ?? 1) + (count ?? 1);
    else this.unshownBy.set(reason, { file: this.file, reason, count: count ?? 1 });
    this.last = { file: this.file, reason, ...(count === undefined ? {} : { count }) };
  }

  /** One warning that counts the problems not warned one by one. */
  warnUnshown(): void {
    if (this.unshown > 0) this.warn(`${this.file}: ${this.unshown} more problem${this.unshown === 1 ? "" : "s"} not shown`);
  }

  entries(): SkippedInput[] {
    return [...this.shownOnes, ...this.unshownBy.values()];
  }
}
