// The template library: the bundled templates/ folder, then the user's folder
// ($XDG_CONFIG_HOME/trailq/templates, or --templates DIR), where the same id overrides a bundled one.
// A bad template is reported with its file and reason and never stops the others.
import { readdirSync } from "node:fs";
import { readTextFile } from "../text-file.js";
import { homedir } from "node:os";
import { join } from "node:path";
import { parseTemplate, type Template } from "./template.js";
import { PACKAGE_ROOT } from "../root.js";

export const BUNDLED_TEMPLATES = join(PACKAGE_ROOT, "templates");

export function userTemplatesDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env["XDG_CONFIG_HOME"] || join(homedir(), ".config"), "trailq", "templates");
}

/** A template file that could not be read, as `trailq templates` and the prompt say it. */
export const problemText = (p: Library["problems"][number]): string => `template ${p.file}: ${p.reason} (skipped)`;

export interface Library {
  templates: Map<string, Template>;
  /** Ids of bundled templates that a user template replaced. */
  overridden: Set<string>;
  problems: { file: string; reason: string }[];
}

/** A template is a query and its header: a few KB. */
const MAX_TEMPLATE_FILE = 1024 * 1024;

function readDir(dir: string, origin: Template["origin"], lib: Library): void {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".logsinsights")).sort();
  } catch {
    return; // no such folder: no templates from it
  }
  for (const name of names) {
    const file = join(dir, name);
    try {
      const t = parseTemplate(readTextFile(file, MAX_TEMPLATE_FILE), file, origin);
      if (origin === "user" && lib.templates.get(t.id)?.origin === "bundled") lib.overridden.add(t.id);
      lib.templates.set(t.id, t);
    } catch (e) {
      lib.problems.push({ file, reason: e instanceof Error ? e.message : String(e) });
    }
  }
}

export function loadLibrary(userDir: string | undefined = userTemplatesDir(), bundledDir = BUNDLED_TEMPLATES): Library {
  const lib: Library = { templates: new Map(), overridden: new Set(), problems: [] };
  readDir(bundledDir, "bundled", lib);
  if (userDir) readDir(userDir, "user", lib);
  return lib;
}
