// Walking the inputs: files as given, folders recursively in a stable sorted order (hidden entries
// and CloudTrail-Digest folders skipped), "-" for standard input. In a folder, only files that can
// hold CloudTrail are read (by name: .json, .jsonl, .ndjson, .gz, .zip; else by their first bytes:
// JSON or compressed); the rest (README.md, LICENSE, .yml, images) are counted as ignored. A file
// named as an input is always read. Each file is found once even when it is reachable twice; a
// folder symlink that leads back to one of its own ancestors is a loop.
// The file-system calls are synchronous: a stat is a few microseconds, a trip through the thread
// pool several times that, and a walk makes one per file. So is the walk itself: an async generator
// would cost a few promises per file per folder level (CloudTrail's layout is seven deep).
import { existsSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from "node:fs";
import path from "node:path";
import { logGroupFromPath, stampFile, stampFromName, trustedStamp } from "./cloudtrail.js";
import type { SourceFile } from "./types.js";
import type { Pruner } from "./prune.js";
import { compressionOf, contentStart, fileHead } from "./sniff.js";
import { ExitCode, UserError } from "../errors.js";

export interface FoundFile {
  kind: "file";
  file: SourceFile;
  /** How messages name the file: the input as given joined with `display`. */
  shown: string;
  /** An input names it (an s3:// object named whole): read whatever its name says, never pruned by it. */
  named?: boolean;
}

export interface WalkProblem {
  kind: "problem";
  shown: string;
  reason: string;
  detail: string;
}

export type WalkItem = FoundFile | WalkProblem;

/**
 * The error that stops a run when the system refuses to open more files (EMFILE: the process's
 * limit, `ulimit -n`; ENFILE: the system's): exit 2, as for a path that can't be read.
 */
export function tooManyFiles(e: unknown): UserError {
  const code = (e as NodeJS.ErrnoException).code ?? "EMFILE";
  const whose = code === "ENFILE" ? "the system's limit on open files" : "the limit on open files of this process (ulimit -n; trailq needs about 64)";
  return new UserError(`${e instanceof Error ? e.message : String(e)}: ${whose} is reached; raise it and run again (nothing after this point was read)`, ExitCode.path);
}

/** Folders never read: CloudTrail's signed digests are not events. */
const SKIPPED_FOLDERS = new Set(["CloudTrail-Digest"]);

/** Why a file-system call failed, as a short reason and a detail. */
export function fsProblem(e: unknown): { reason: string; detail: string } {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  // the process's limit, not the file's problem: every file after would be "unreadable" too (a
  // count of 0, exit 0, with 2,363 warnings, under ulimit -n 19)
  if (code === "EMFILE" || code === "ENFILE") throw tooManyFiles(e);
  switch (code) {
    case "ENOENT":
      return { reason: "not found", detail: "no such file or folder" };
    case "EACCES":
    case "EPERM":
      return { reason: "unreadable", detail: "permission denied" };
    case "ELOOP":
      return { reason: "symlink loop", detail: "symlink loop (too many levels of symbolic links)" };
    case "EISDIR":
      return { reason: "unreadable", detail: "is a folder" };
    default:
      return { reason: "unreadable", detail: e instanceof Error ? e.message : String(e) };
  }
}

const idOf = (st: Stats): string => `${st.dev}:${st.ino}`;

/** Files met (device and inode, kept as numbers: a walk meets tens of thousands). */
class FileIds {
  private readonly byDev = new Map<number, Set<number>>();
  has(st: Stats): boolean {
    return this.byDev.get(st.dev)?.has(st.ino) ?? false;
  }
  add(st: Stats): void {
    let s = this.byDev.get(st.dev);
    if (!s) this.byDev.set(st.dev, (s = new Set()));
    s.add(st.ino);
  }
}

/** A file named as an input: its name is its path in the trail. */
function sourceFile(absPath: string, st: Stats): SourceFile {
  const name = path.basename(absPath);
  const f: SourceFile = { path: absPath, display: name, size: st.size, ingestionTime: 0 };
  const group = logGroupFromPath(absPath);
  if (group !== undefined) f.logGroup = group;
  if (st.isFIFO()) f.pipe = true;
  stampFile(f, name, Math.floor(st.mtimeMs));
  return f;
}

/** How the paths of a folder's files begin (absolute, in the trail, as shown), and their log group. */
interface Folder {
  readonly abs: string;
  readonly rel: string;
  readonly shown: string;
  readonly group: string | undefined;
}

/**
 * A file found in a folder: its name and its folder, not its three paths. A walk finds up to
 * hundreds of thousands of files, and each path, once flattened (a message to a worker flattens
 * what it carries), costs about 140 bytes for the whole scan; the paths are made when asked for.
 * Never a pipe (the walk reads only regular files in folders).
 */
class FolderFile implements SourceFile {
  ingestionTime = 0;
  stamped = false;
  estimated?: boolean;
  constructor(
    readonly folder: Folder,
    readonly name: string,
    public size: number,
    mtimeMs: number,
  ) {
    stampFile(this, name, Math.floor(mtimeMs));
  }
  get path(): string {
    return this.folder.abs + this.name;
  }
  get display(): string {
    return this.folder.rel + this.name;
  }
  get logGroup(): string | undefined {
    return this.folder.group;
  }
}

class FoundInFolder implements FoundFile {
  constructor(readonly file: FolderFile) {}
  get kind(): "file" {
    return "file";
  }
  get shown(): string {
    return this.file.folder.shown + this.file.name;
  }
}

/** A found file as plain data, as it crosses to a worker thread (a class's getters do not cross). */
export function plainFound(found: FoundFile): FoundFile {
  const f = found.file;
  const file: SourceFile = { path: f.path, display: f.display, size: f.size, ingestionTime: f.ingestionTime };
  if (f.stamped) file.stamped = true;
  if (f.estimated) file.estimated = true;
  if (f.logGroup !== undefined) file.logGroup = f.logGroup;
  if (f.pipe) file.pipe = true;
  return { kind: "file", file, shown: found.shown };
}

/**
 * Inputs that can't be read as files: a device or a socket named directly (a character device such
 * as /dev/tty would wait for input no Ctrl-C can cancel). Named pipes are read (as streams). Returns
 * the message for the first one (the caller exits 2: a path that is wrong), checked before anything is opened.
 */
export function unreadableInput(inputs: readonly string[]): string | undefined {
  for (const input of inputs) {
    if (input === "-") continue;
    let st: Stats;
    try {
      st = statSync(input);
    } catch {
      continue; // missing or unreadable: a warning when the walk meets it
    }
    const kind = st.isCharacterDevice() ? "a character device" : st.isBlockDevice() ? "a block device" : st.isSocket() ? "a socket" : undefined;
    if (kind) return `${input} is ${kind}, not a file, a folder or a named pipe: pipe what it gives to trailq's standard input instead (cat ${input} | trailq query '...' -)`;
  }
  return undefined;
}

/**
 * The inputs that can be read only once: standard input ("-") and named pipes (a FIFO, `<(zcat ...)`).
 * What reads the inputs again (a subquery, a template's window, the end-of-run hints) must not open
 * them a second time: it would wait for a writer that never comes.
 */
export function readOnceInputs(inputs: readonly string[]): string[] {
  return inputs.filter((input) => {
    if (input === "-") return true;
    try {
      return statSync(input).isFIFO();
    } catch {
      return false;
    }
  });
}

/** The stdin pseudo-file. */
export function stdinFile(): SourceFile {
  return { path: "-", display: "-", size: 0, ingestionTime: Date.now() };
}

/** Code-unit order: the same on every machine and locale. */
const byName = (a: Dirent, b: Dirent): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Files left out by name: how many, and the earliest and latest delivery stamps their names hold (±Infinity: none). */
export interface Pruned {
  files: number;
  first: number;
  last: number;
}

/** A pruned file's figures. */
function prunedFile(name: string): Pruned {
  const t = trustedStamp(name);
  return { files: 1, first: t ?? Infinity, last: t ?? -Infinity };
}

/** Files below a folder, counted without opening them (for the summary of what was pruned). */
function countFiles(dir: string, skip: (folder: string) => boolean, into: Pruned = { files: 0, first: Infinity, last: -Infinity }): Pruned {
  try {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      if (d.name.startsWith(".")) continue;
      if (d.isDirectory()) {
        const sub = path.join(dir, d.name);
        if (!skip(sub)) countFiles(sub, skip, into);
      }
      else if (d.isFile()) {
        const f = prunedFile(d.name);
        into.files++;
        into.first = Math.min(into.first, f.first);
        into.last = Math.max(into.last, f.last);
      }
    }
  } catch {
    // an unreadable folder that was pruned anyway: nothing to count
  }
  return into;
}

/** File names that can hold CloudTrail: read whatever their content (and warned about when bad). */
const EVENT_FILE_NAME = /\.(json|jsonl|ndjson|gz|zip)$/i;
/** Bytes looked at to tell JSON or compressed content from anything else. */
const HEAD_BYTES = 512;

/**
 * Whether a file found in a folder can hold CloudTrail: by its name, else by its first bytes (JSON, or
 * a compression, which the reader names when it can't read it). A file that can't be opened is read,
 * so that the reader says why it fails.
 */
function mayHoldEvents(abs: string, name: string): boolean {
  if (EVENT_FILE_NAME.test(name)) return true;
  const head = fileHead(abs, HEAD_BYTES);
  return head === undefined || compressionOf(head) !== undefined || contentStart(head) === "json";
}

export interface WalkOptions {
  signal?: AbortSignal;
  /** Skips folders and files that can't hold a selected event, before listing or opening them. */
  pruner?: Pruner;
  /** Told how many files each prune left out (and the stamps in their names). */
  /** Files pruned by name; `elsewhere`: for their account or region (their stamps say nothing of the time range). */
  pruned?: (p: Pruned, elsewhere: boolean) => void;
  /** Told of each file in a folder that is not read: neither its name nor its content is JSON or compressed. */
  ignored?: (shown: string) => void;
}

/**
 * A file the walk does not stat has its size (for the cost of the scan, the size of workers'
 * messages, the table of eventIDs and the progress bar's end) estimated as the size of the last file
 * stat'ed in its folder; the first of a folder and every SIZE_SAMPLE_EVERY-th after it are stat'ed.
 * A folder's files are in time order and their sizes follow the day's activity, so the first file
 * alone (delivered past midnight, when few events come) gave 60 % of the 1M trail's 141 MB; one file
 * in 32 gives 97 % (the small-file trail and the tiny files 99 %, the sample trail 86 %; one in 16:
 * 99-101 %, but its stats cost `limit 1` over 104,304 tiny files 60 ms, a sixth of its time). The
 * reader learns the real size when it opens the file (`estimated`).
 */
const SIZE_SAMPLE_EVERY = 32;

/** A file's size on disk, stat'ed if the walk estimated it (0 if it can't be). */
export function exactSize(file: SourceFile): number {
  if (!file.estimated) return file.size;
  try {
    return statSync(file.path).size;
  } catch {
    return 0;
  }
}

/** A folder holding events, not a file: when every input is one, the walk meets each file once without stat'ing it. */
export function isFolder(input: string): boolean {
  try {
    return statSync(input).isDirectory();
  } catch {
    return false;
  }
}

export function* walk(inputs: readonly string[], wopts: WalkOptions = {}): Generator<WalkItem> {
  const { signal, pruner } = wopts;
  // A stat is most of a listing's cost (8 µs a file here, the whole of `limit 1` over 100,000 tiny
  // files). A file found in a folder whose entry says it is a regular file with a CloudTrail name
  // and delivery stamp is not stat'ed, when no input is a file: a file named as an input might be
  // met again in a folder, and that is told by its inode. (Hard links to one file in the folders
  // are then read twice: their events are copies, skipped by eventID unless --keep-duplicates.)
  const statless = inputs.every((input) => input === "-" || isFolder(input));
  /** Files and folders already found (device:inode), so nothing is read twice. */
  const seenFiles = new FileIds();
  const seenDirs = new Set<string>();
  let stdinDone = false;
  /**
   * Folders pruned (as their paths), and the input folders walked: an input inside a pruned folder,
   * or a pruned folder holding an input walked before, is not counted twice among the files pruned.
   */
  const prunedDirs = new Set<string>();
  const walkedInputs = new Set<string>();
  const insidePruned = (abs: string): boolean => {
    for (let p = abs, up = path.dirname(p); ; p = up, up = path.dirname(p)) {
      if (prunedDirs.has(p)) return true;
      if (up === p) return false;
    }
  };
  /** The files named as inputs (made when first asked): one the walk ignores in a folder is counted where it is read. */
  let namedFiles: FileIds | undefined;
  const named = (): FileIds => {
    if (!namedFiles) {
      namedFiles = new FileIds();
      for (const input of inputs) {
        try {
          const st = input === "-" ? undefined : statSync(input);
          if (st?.isFile()) namedFiles.add(st);
        } catch {
          // said where the input is met
        }
      }
    }
    return namedFiles;
  };
  /** The input folders, as real paths: where a walk without stats finds files by name alone. */
  let roots: string[] | undefined;
  /**
   * Whether a symlink's target (a file) is one the walk reaches itself, inside an input folder and
   * not in a folder it passes over: then the link is not read. A walk without stats knows a file it
   * found by name alone by no inode, so the link would have read it again (a folder of links to
   * picked files beside the trail counted their events twice with --keep-duplicates).
   */
  const walkedAnyway = (link: string): boolean => {
    let real: string;
    try {
      real = realpathSync(link);
    } catch {
      return false;
    }
    roots ??= inputs.filter((i) => i !== "-").map((i) => realpathSync(i));
    return roots.some((root) => {
      const rel = path.relative(root, real);
      if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) return false;
      const parts = rel.split(path.sep);
      return parts.every((part, k) => !part.startsWith(".") && (k === parts.length - 1 || !SKIPPED_FOLDERS.has(part)));
    });
  };

  function* walkDir(dir: string, rel: string, shown: string, ancestors: Set<string>): Generator<WalkItem> {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      const p = fsProblem(e);
      yield { kind: "problem", shown, reason: p.reason, detail: `${p.detail}: folder skipped` };
      return;
    }
    entries.sort(byName);
    // Joined by hand: `dir` is absolute and normalized, an entry's name a single segment (never
    // "." or ".."), so path.join would add only a separator; `shown` is normalized once.
    const absBase = dir.endsWith(path.sep) ? dir : dir + path.sep;
    const shownJoined = path.join(shown, "_");
    const shownBase = shownJoined.slice(0, -1);
    const relBase = rel === "" ? "" : rel + "/";
    /** Made for the folder's first file found, which is stat'ed. */
    let folder: Folder | undefined;
    /** The size of the folder's last file stat'ed, and the files estimated from it since. */
    let sample = 0;
    let sinceSample = 0;
    for (let k = 0; k < entries.length; k++) {
      const d = entries[k]!;
      if (signal?.aborted) return;
      if (d.name.startsWith(".")) continue;
      const abs = absBase + d.name;
      const childShown = shownBase + d.name;
      if (d.name.includes("\ufffd") && !existsSync(abs)) {
        // node reads names as UTF-8, a byte that is none as U+FFFD: the name it gives opens nothing
        // (one entry each: several such names can read alike)
        yield { kind: "problem", shown: `${childShown} (entry ${k + 1} of the folder)`, reason: "name not UTF-8", detail: "its name is not UTF-8, which trailq can't open (node reads names as UTF-8): rename it: skipped" };
        continue;
      }
      if (!d.isFile() && !d.isDirectory() && !d.isSymbolicLink()) continue; // sockets, FIFOs, devices
      if (folder && statless && sinceSample < SIZE_SAMPLE_EVERY - 1 && d.isFile() && EVENT_FILE_NAME.test(d.name) && stampFromName(d.name) !== undefined) {
        if (pruner?.file(abs)) {
          wopts.pruned?.(prunedFile(d.name), pruner.elsewhere(absBase));
          continue;
        }
        const file = new FolderFile(folder, d.name, sample, 0);
        file.estimated = true;
        sinceSample++;
        yield new FoundInFolder(file);
        continue;
      }
      let st: Stats;
      try {
        st = statSync(abs);
      } catch (e) {
        const p = fsProblem(e);
        yield { kind: "problem", shown: childShown, reason: p.reason, detail: `${p.detail}: skipped` };
        continue;
      }
      if (st.isDirectory()) {
        if (SKIPPED_FOLDERS.has(d.name)) continue;
        const id = idOf(st);
        if (ancestors.has(id)) {
          yield { kind: "problem", shown: childShown, reason: "symlink loop", detail: "symlink loop (leads back to a folder above it): not followed" };
          continue;
        }
        if (seenDirs.has(id)) continue;
        seenDirs.add(id);
        if (pruner?.dir(abs)) {
          prunedDirs.add(abs);
          wopts.pruned?.(countFiles(abs, (sub) => walkedInputs.has(sub)), pruner.elsewhere(abs));
          continue;
        }
        ancestors.add(id);
        yield* walkDir(abs, relBase + d.name, childShown, ancestors);
        ancestors.delete(id);
      } else if (st.isFile()) {
        if (statless && d.isSymbolicLink() && walkedAnyway(abs)) continue;
        if (pruner?.file(abs)) {
          wopts.pruned?.(prunedFile(d.name), pruner.elsewhere(absBase));
          continue;
        }
        if (seenFiles.has(st)) continue;
        if (!mayHoldEvents(abs, d.name)) {
          // not marked as seen: the same file named as an input is read (and counted there, not here)
          if (!named().has(st)) wopts.ignored?.(childShown);
          continue;
        }
        seenFiles.add(st);
        sample = st.size;
        sinceSample = 0;
        folder ??= { abs: absBase, rel: relBase, shown: shownBase, group: logGroupFromPath(absBase) };
        yield new FoundInFolder(new FolderFile(folder, d.name, st.size, st.mtimeMs));
      }
    }
  }

  for (const input of inputs) {
    if (signal?.aborted) return;
    if (input === "-") {
      if (!stdinDone) yield { kind: "file", file: stdinFile(), shown: "-" };
      stdinDone = true;
      continue;
    }
    const abs = path.resolve(input);
    let st: Stats;
    try {
      st = statSync(abs);
    } catch (e) {
      const p = fsProblem(e);
      yield { kind: "problem", shown: input, reason: p.reason, detail: `${p.detail}: skipped` };
      continue;
    }
    const id = idOf(st);
    if (st.isDirectory()) {
      if (seenDirs.has(id) || insidePruned(abs)) continue;
      seenDirs.add(id);
      walkedInputs.add(abs);
      yield* walkDir(abs, "", input, new Set([id]));
    } else {
      // A file, or a pipe named on purpose (`<(zcat ...)`, a FIFO): read it as it comes.
      if (st.isFile()) {
        if (seenFiles.has(st)) continue;
        seenFiles.add(st);
      }
      yield { kind: "file", file: sourceFile(abs, st), shown: input };
    }
  }
}
