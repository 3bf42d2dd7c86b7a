// The parsed rule files, kept between runs: parsing hundreds of YAML files costs seconds (795 files,
// about 2 s), reading one JSON file of their documents a few tens of milliseconds. One cache file
// per set of --rules paths, in $XDG_CACHE_HOME/trailq/rules/ (else ~/.cache/trailq/rules/); an
// entry is used when its file's path, size, modification and change times and inode are still those
// it was read with, else the file is parsed again (the change time and inode because a copy that
// keeps the modification time, `cp -p`, `rsync -a`, `tar x`, may bring another text of the same
// size). The cache keeps the YAML documents as values, not the rules:
// their structure is validated (zod) on every run, so what the cache holds can't make a rule the
// validation would refuse; each entry carries the CRC-32 of its documents' JSON, so that a cache
// damaged or written by another program (one flipped bit turned `GetSecretValue` into a value no
// event has, and 306 findings into none) is not used. A document JSON can't hold as it is (a YAML
// date, .inf) is not kept: its file is parsed each run. A cache that can't be read or written is
// left alone (the rules are read from their files).
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, type Stats } from "node:fs";
import { join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { cacheHome, cacheUsage } from "../cache-home.js";
import { crc32 } from "../sources/crc32.js";
import type { YamlFile } from "./load.js";

/** What a cache file holds; FORMAT changes when readYaml's output (or the entry) does. */
const FORMAT = 6;

/** What says a file is unchanged since it was read. */
type Stamp = Pick<Stats, "size" | "mtimeMs" | "ctimeMs" | "ino">;

interface Entry extends Stamp {
  yaml: YamlFile;
  /** The CRC-32 of the documents as JSON (yamlCrc). */
  crc: number;
}

const yamlCrc = (yaml: unknown): number => crc32(Buffer.from(JSON.stringify(yaml)));

const stampOf = (st: Stats): Stamp => ({ size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino });
const sameStamp = (e: Stamp, st: Stats): boolean => e.size === st.size && e.mtimeMs === st.mtimeMs && e.ctimeMs === st.ctimeMs && e.ino === st.ino;

interface CacheFile {
  format: number;
  files: Record<string, Entry>;
}

/** Where the cache files are. */
export function rulesCacheDir(): string {
  return join(cacheHome(), "rules");
}

/** The cache files (one per set of --rules paths) and their bytes: `trailq cache info`. */
export function rulesCacheInfo(dir = rulesCacheDir()): { sets: number; bytes: number } {
  const { entries, bytes } = cacheUsage(dir, (name) => name.endsWith(".json"));
  return { sets: entries, bytes };
}

/** Empties the cache: `trailq cache clear`. Says what went. */
export function clearRulesCache(dir = rulesCacheDir()): { sets: number; bytes: number } {
  const gone = rulesCacheInfo(dir);
  rmSync(dir, { recursive: true, force: true });
  return gone;
}

export class RulesCache {
  private readonly path: string;
  private readonly old: Record<string, Entry>;
  private readonly now: Record<string, Entry> = Object.create(null) as Record<string, Entry>;
  private changed = false;

  /** The cache of the rule files the --rules paths name. */
  constructor(paths: readonly string[], dir = rulesCacheDir()) {
    const key = createHash("sha256").update(JSON.stringify(paths.map((p) => resolve(p)))).digest("hex").slice(0, 32);
    this.path = join(dir, `${key}.json`);
    let old: Record<string, Entry> = Object.create(null) as Record<string, Entry>;
    try {
      const c = JSON.parse(readFileSync(this.path, "utf8")) as CacheFile;
      if (c.format === FORMAT && c.files !== null && typeof c.files === "object") old = Object.assign(old, c.files);
    } catch {
      // no cache yet, or one that can't be read: the files are parsed
    }
    this.old = old;
  }

  /** The file's documents as last read, when the file is unchanged since. */
  get(file: string, st: Stats): YamlFile | undefined {
    const abs = resolve(file);
    const e = this.old[abs];
    if (!e || !sameStamp(e, st) || yamlCrc(e.yaml) !== e.crc) return undefined;
    this.now[abs] = e;
    return e.yaml;
  }

  /** The file's documents as just read, kept when JSON holds them as they are. */
  set(file: string, st: Stats, yaml: YamlFile): void {
    this.changed = true;
    const text = JSON.stringify(yaml);
    if (!isDeepStrictEqual(JSON.parse(text), yaml)) return;
    this.now[resolve(file)] = { ...stampOf(st), yaml, crc: crc32(Buffer.from(text)) };
  }

  /** Writes the cache when a file was parsed or one is gone (the entries of this run only). */
  save(): void {
    if (!this.changed && Object.keys(this.old).length === Object.keys(this.now).length) return;
    try {
      mkdirSync(join(this.path, ".."), { recursive: true, mode: 0o700 });
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ format: FORMAT, files: this.now } satisfies CacheFile), { mode: 0o600 });
      renameSync(tmp, this.path);
    } catch {
      // a cache that can't be written: the next run parses the files again
    }
  }
}
