// Building a folder's field index (`trailq index FOLDER`, sources/field-index.ts): every file is
// read once, on both cores when that pays as for a query, by the fieldValues task (field-values.ts)
// in place of a plan's commands; each file's size and modification time are taken before it is
// read, so that a file changed while it was read is not vouched for. A file whose size and time
// are those of the index before is not read again. Files with a problem (corrupt, a bad record) are
// named in the index without their values: a query reads them, and warns, as usual.
import { statSync } from "node:fs";
import path from "node:path";
import { Reader, type ReadStats } from "../sources/index.js";
import type { FoundFile } from "../sources/walk.js";
import { INDEXED_FIELDS, IndexWriter, indexDir, keptKeyOf, readIndex, sameStamp, stampOf, type FileStamp, type KeptFile } from "../sources/field-index.js";
import { parseQuery } from "../lang/index.js";
import { buildPlan } from "../plan/build.js";
import { admitter, scanInline, scanOrder } from "./scan.js";
import { WorkerPool, parallelSplit, scanParallel } from "./parallel.js";
import { scanReaderOptions } from "./run.js";
import { fieldValuesTask, type FileValues } from "./field-values.js";
import { taskPipeline } from "./pipeline.js";

/** The query whose reads the scan projects: the indexed fields. */
const INDEX_QUERY = `fields ${INDEXED_FIELDS.map((p) => p.join(".")).join(", ")}`;

export interface IndexOptions {
  warn: (m: string) => void;
  signal?: AbortSignal;
  onProgress?: (read: ReadStats) => void;
}

export interface IndexBuilt {
  /** The folder indexed (absolute), and where its index is. */
  root: string;
  dir: string;
  /** Files in the index, those read for it now, and the events they hold. */
  files: number;
  read: number;
  events: number;
  /** Files with a problem, left out of the index. */
  left: number;
  stats: ReadStats;
  interrupted: boolean;
  elapsedMs: number;
}

/** Builds (or brings up to date) the field index of a folder. */
export async function buildIndex(folder: string, opts: IndexOptions): Promise<IndexBuilt> {
  const started = performance.now();
  const root = path.resolve(folder);
  const before = readIndex(root);
  const plan = buildPlan(parseQuery(INDEX_QUERY), { now: Date.now() });
  const reader = new Reader([folder], { warn: opts.warn, ...(opts.signal ? { signal: opts.signal } : {}), ...scanReaderOptions(plan, { keepDuplicates: true }, [folder]), raw: false, utf8Checked: true });
  /** Files unchanged since the index before, with what it holds of them. */
  const unchanged: { found: FoundFile; old: KeptFile }[] = [];
  let toRead: { found: FoundFile; stamp: FileStamp | undefined }[] = [];
  for (const found of reader.found()) {
    let st;
    try {
      st = statSync(found.file.path);
    } catch {
      toRead.push({ found, stamp: undefined }); // the reader says what is wrong with it
      continue;
    }
    // taken before the file is read
    const stamp = stampOf(st);
    const old = before?.files.get(keptKeyOf(found.file.display));
    if (old && sameStamp(old, stamp)) unchanged.push({ found, old });
    else toRead.push({ found, stamp });
  }
  const result = (dir: string, files: number, events: number, interrupted: boolean): IndexBuilt => ({
    root,
    dir,
    files,
    read: toRead.length,
    events,
    left: toRead.length - (files - unchanged.length),
    stats: reader.stats,
    interrupted,
    elapsedMs: performance.now() - started,
  });
  if (before && toRead.length === 0 && unchanged.length === before.files.size) {
    // nothing new, changed or gone: the index is up to date
    return result(indexDir(root), unchanged.length, unchanged.reduce((n, u) => n + u.old.events, 0), false);
  }
  const writer = new IndexWriter();
  if (unchanged.length > 0) {
    const idOf = new Map(unchanged.map((u) => [u.old.number, writer.add(u.found.file.display, u.old)]));
    const read = before!.values((k, value, numbers) => {
      for (const n of numbers) {
        const id = idOf.get(n);
        if (id !== undefined) writer.holds(id, k, value);
      }
    });
    if (!read) {
      // the values before can't be read: every file is read again
      for (const id of idOf.values()) writer.drop(id);
      toRead = [...toRead, ...unchanged.splice(0).map((u) => ({ found: u.found, stamp: stampOf(u.old) }))];
    }
  }
  const order = scanOrder(plan, toRead.map((t) => t.found));
  const readStamps = new Map(toRead.map((t) => [t.found, t.stamp]));
  /** The writer's id of each file read (by its place in the scan), when it has a stamp. */
  const ids: (number | undefined)[] = [];
  const take = (v: FileValues, ordinal: number): void => {
    const found = order.files[ordinal]!;
    const stamp = readStamps.get(found);
    if (!stamp) return;
    const id = writer.add(found.file.display, { ...stamp, events: v.events, first: v.first, last: v.last });
    ids[ordinal] = id;
    v.values.forEach((values, k) => {
      for (const value of values) writer.holds(id, k, value);
    });
    for (const k of v.others) writer.holds(id, k, undefined);
    // an eventTime that is no time is a warning of the file's: read it always, and it is said
    if (v.badTime) badTimes.add(ordinal);
  };
  const badTimes = new Set<number>();
  let interrupted = false;
  const split = parallelSplit(plan, order.files);
  if (split) {
    const pool = new WorkerPool(plan);
    try {
      const outcome = await scanParallel({
        plan,
        pool,
        split: { ...split, mode: "rows" },
        order,
        pipeline: taskPipeline(),
        reader,
        select: {},
        warn: opts.warn,
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.onProgress ? { onProgress: () => opts.onProgress!(reader.stats) } : {}),
        task: { init: { name: "fieldValues", data: null }, apply: (r, ordinal) => take(r as FileValues, ordinal) },
      });
      interrupted = outcome.interrupted;
    } finally {
      pool.close();
    }
  } else {
    const task = fieldValuesTask();
    const outcome = await scanInline({
      order,
      pipeline: taskPipeline(task.head),
      reader,
      admit: admitter({}, opts.warn, reader.stats),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: () => opts.onProgress!(reader.stats) } : {}),
      endFile: (ordinal) => take(task.endFile() as FileValues, ordinal),
    });
    interrupted = outcome.interrupted;
  }
  // a file with a problem (a bad record, corrupt, an eventTime that is no time) is not vouched for
  const troubled = new Set(reader.stats.skipped.map((s) => s.file));
  order.files.forEach((found, i) => {
    if (ids[i] !== undefined && (troubled.has(found.shown) || badTimes.has(i))) writer.trouble(ids[i]);
  });
  // an interrupted build leaves the index as it was
  return result(interrupted ? "" : writer.write(root), writer.size, writer.events, interrupted);
}
