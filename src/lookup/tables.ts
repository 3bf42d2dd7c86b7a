// Lookup tables for the `lookup` command: local CSV files with a header row, by name. Tables come
// from --lookup NAME=FILE and from every *.csv in $XDG_CONFIG_HOME/trailq/lookups (name = file
// name without .csv). They are small (Logs Insights allows 10 MB) and loaded once per query.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, join } from "node:path";
import { z } from "../zod.js";
import { ExitCode, UserError } from "../errors.js";
import { CsvError, parseCsvRecords, type CsvRecord } from "../csv.js";

export interface LookupTable {
  name: string;
  file: string;
  columns: string[];
  rows: string[][];
}

const MAX_BYTES = 10 * 1024 * 1024;

const TableName = z.string().check(z.regex(/^[A-Za-z0-9_-]+$/, "a table name has letters, digits, _ and - only"));
const Header = z
  .array(z.string().check(z.trim(), z.minLength(1, "a column has an empty name")))
  .check(
    z.minLength(1, "the header row is empty"),
    z.refine((cols) => new Set(cols).size === cols.length, "two columns have the same name"),
  );

export function loadTable(name: string, file: string): LookupTable {
  const n = TableName.safeParse(name);
  if (!n.success) throw new UserError(`lookup table "${name}": ${n.error.issues[0]!.message}`, ExitCode.usage);
  let text: string;
  try {
    if (statSync(file).size > MAX_BYTES) throw new UserError(`lookup table ${name} (${file}) is over 10 MB`, ExitCode.usage);
    text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`lookup table ${name}: can't read ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, ExitCode.usage);
  }
  // A malformed table is an error, never a silent guess: a quote left open would swallow the rest
  // of the file into one cell, a row with a field too many would shift the columns.
  let records: CsvRecord[];
  try {
    records = parseCsvRecords(text, true);
  } catch (e) {
    if (e instanceof CsvError) throw new UserError(`lookup table ${name} (${file}): line ${e.line}: ${e.message}`, ExitCode.usage);
    throw e;
  }
  const [head, ...rows] = records;
  const h = Header.safeParse(head?.cells ?? []);
  if (!h.success) throw new UserError(`lookup table ${name} (${file}): ${h.error.issues[0]!.message}`, ExitCode.usage);
  for (const r of rows) {
    if (r.cells.length !== h.data.length) {
      throw new UserError(`lookup table ${name} (${file}): line ${r.line} has ${r.cells.length} field${r.cells.length === 1 ? "" : "s"}, the header ${h.data.length}`, ExitCode.usage);
    }
  }
  return { name, file, columns: h.data, rows: rows.map((r) => r.cells) };
}

/** The folder of user lookup tables. */
export function lookupsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env["XDG_CONFIG_HOME"] || join(homedir(), ".config"), "trailq", "lookups");
}

/** Tables by name: from the lookups folder, then --lookup NAME=FILE (which wins). Loaded lazily. */
export class LookupTables {
  private readonly files = new Map<string, string>();
  private readonly loaded = new Map<string, LookupTable>();
  /** Names two files of the lookups folder hold (t.csv and t.CSV): which one is meant is not known. */
  private readonly twice = new Map<string, string[]>();

  constructor(specs: string[] = [], dir: string | undefined = lookupsDir()) {
    if (dir) {
      try {
        for (const f of readdirSync(dir).sort()) {
          if (!f.toLowerCase().endsWith(".csv")) continue;
          const name = basename(f, f.slice(-4));
          const other = this.files.get(name);
          if (other !== undefined) this.twice.set(name, [...(this.twice.get(name) ?? [basename(other)]), f]);
          this.files.set(name, join(dir, f));
        }
      } catch {
        // no lookups folder: no tables from it
      }
    }
    const named = new Set<string>();
    for (const spec of specs) {
      const eq = spec.indexOf("=");
      if (eq <= 0) throw new UserError(`bad value for --lookup: "${spec}" (use NAME=path.csv)`, ExitCode.usage);
      const name = spec.slice(0, eq);
      // a name given twice: one table would be read in place of the other, without a word
      if (named.has(name)) throw new UserError(`--lookup ${name} is given twice: give each table a name of its own`, ExitCode.usage);
      named.add(name);
      this.files.set(name, spec.slice(eq + 1));
      this.twice.delete(name);
    }
  }

  names(): string[] {
    return [...this.files.keys()].sort();
  }

  get(name: string): LookupTable | undefined {
    const cached = this.loaded.get(name);
    if (cached) return cached;
    const file = this.files.get(name);
    if (!file) return undefined;
    const both = this.twice.get(name);
    if (both) throw new UserError(`lookup table ${name}: the lookups folder holds it twice (${both.join(", ")}): rename one, or give --lookup ${name}=FILE`, ExitCode.usage);
    const t = loadTable(name, file);
    this.loaded.set(name, t);
    return t;
  }
}
