// Tab completion: command words, functions (with their signature as the hint), field paths found in
// the data, template ids after `.run`, file paths after `.source`.
import { readdirSync, statSync } from "node:fs";
import { fieldText } from "../lang/quote.js";
import { dirname, basename, join } from "node:path";
import { COMMAND_NAMES } from "../lang/index.js";
import { ALL_FUNCTIONS } from "../functions/registry.js";
import { isVisible } from "../output/safe.js";

export interface CompletionSources {
  fields: () => string[];
  templates: () => string[];
}

const DOT_COMMANDS = [".help", ".templates", ".run", ".source", ".since", ".range", ".tz", ".format", ".chart", ".fields", ".explain", ".detect", ".index", ".sigma", ".timer", ".vertical", ".output", ".save", ".saved", ".quit"];

function files(prefix: string): string[] {
  const dir = prefix.endsWith("/") ? prefix : dirname(prefix);
  const base = prefix.endsWith("/") ? "" : basename(prefix);
  try {
    return readdirSync(dir || ".")
      // a name holding control characters is not offered: readline would echo it raw (a file's
      // name is anyone's to choose)
      .filter((n) => n.startsWith(base) && !n.startsWith(".") && isVisible(n))
      .map((n) => {
        const p = prefix.endsWith("/") ? prefix + n : dir === "." && !prefix.startsWith("./") ? n : join(dir, n);
        return statSync(p).isDirectory() ? p + "/" : p;
      });
  } catch {
    return [];
  }
}

/** readline's completer: the candidates for the word under the cursor, and that word. */
export function complete(line: string, src: CompletionSources): [string[], string] {
  if (/^\.run\s+\S*$/.test(line)) {
    const w = line.split(/\s+/)[1] ?? "";
    return [src.templates().filter((t) => t.startsWith(w)), w];
  }
  if (/^\.source\s+/.test(line)) {
    const w = line.slice(line.lastIndexOf(" ") + 1);
    return [files(w), w];
  }
  if (/^\.\w*$/.test(line)) return [DOT_COMMANDS.filter((d) => d.startsWith(line)), line];
  const m = /[A-Za-z_@][\w@.]*$/.exec(line);
  const word = m ? m[0] : "";
  if (!word) return [[], ""];
  const before = line.slice(0, line.length - word.length);
  const atCommand = /(^|\|)\s*$/.test(before);
  const lower = word.toLowerCase();
  const out = new Set<string>();
  if (atCommand) for (const c of COMMAND_NAMES) if (c.toLowerCase().startsWith(lower)) out.add(c);
  if (!atCommand || out.size === 0) {
    for (const f of ALL_FUNCTIONS) if (f.name.toLowerCase().startsWith(lower)) out.add(f.name + "(");
    // a field name holding control characters is not offered (fieldText: readline would echo it
    // raw); one the parser would not read back as written (x-amz-server-side-encryption: a
    // subtraction) is offered as the language writes it, with backticks
    for (const f of src.fields()) {
      if (!f.startsWith(word)) continue;
      const written = fieldText(f.split("."));
      if (written !== undefined) out.add(written);
    }
  }
  return [[...out].sort(), word];
}
