// Saved queries, shared by the prompt (.save, .saved) and the web console: one JSON object a line,
// {"name":...,"query":...}, in $XDG_CONFIG_HOME/trailq/saved-queries (a later line with the same
// name replaces an earlier one).
import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { ExitCode, UserError } from "../errors.js";
import { isVisible } from "../output/safe.js";

export interface SavedQuery {
  name: string;
  query: string;
}

export function savedQueriesFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env["XDG_CONFIG_HOME"] || join(homedir(), ".config"), "trailq", "saved-queries");
}

/** The saved queries by name (the last saved under a name wins), in the order first saved. */
export function readSaved(file = savedQueriesFile()): SavedQuery[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const byName = new Map<string, SavedQuery>();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const o = JSON.parse(line) as Partial<SavedQuery>;
      if (typeof o.name === "string" && typeof o.query === "string") byName.set(o.name, { name: o.name, query: o.query });
    } catch {
      // a damaged line is skipped, the others kept
    }
  }
  return [...byName.values()];
}

/**
 * Saves a query under its name, the spaces around the name left out (the prompt's `.saved NAME`
 * finds it as typed); a name of spaces only is refused.
 */
export function saveQuery(q: SavedQuery, file = savedQueriesFile()): void {
  const name = q.name.trim();
  if (!name) throw new UserError("a saved query's name can't be only spaces", ExitCode.usage);
  mkdirSync(dirname(file), { recursive: true });
  // a line cut short before (a full disk) would swallow this one: it starts a line of its own
  appendFileSync(file, (endsOpen(file) ? "\n" : "") + JSON.stringify({ name, query: q.query }) + "\n");
}

/** Whether a file ends in the middle of a line (it has bytes, and the last is not a line end). */
function endsOpen(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const size = fstatSync(fd).size;
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The history file's entries (the prompt's JSON lines: strings), newest first; a line it did not write is passed over. */
function* historyEntries(file: string): Generator<string> {
  let lines: string[];
  try {
    lines = readFileSync(file, "utf8").split("\n");
  } catch {
    return; // no history yet
  }
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!lines[i]) continue;
    try {
      const q = JSON.parse(lines[i]!) as unknown;
      if (typeof q === "string") yield q;
    } catch {
      // not a line the prompt wrote
    }
  }
}

/**
 * The history file's lines as the prompt recalls them (readline's history: newest first, dot
 * commands too). The file is shared with the web console, where a query may be pasted: an entry
 * holding characters readline would echo raw (controls, bidi marks: output/safe.ts) is not
 * recalled, nor a line that is not one the prompt wrote (the others are kept).
 */
export function promptHistory(file: string): string[] {
  return [...historyEntries(file)].filter((q) => isVisible(q.replace(/[\n\t]/g, " ")));
}

/** The history file's queries (the prompt's JSON lines), newest first, each once, at most `max`. */
export function readHistory(file: string, max = 200): string[] {
  const out = new Set<string>();
  for (const q of historyEntries(file)) {
    if (out.size >= max) break;
    if (!q.startsWith(".")) out.add(q);
  }
  return [...out];
}
