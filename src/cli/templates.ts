// `trailq templates [show ID]` and `trailq run ID [PATH...] [--param name=value]`.
import { existsSync, statSync } from "node:fs";
import { ExitCode, QueryError, UserError, didYouMean } from "../errors.js";
import { parseQuery } from "../lang/index.js";
import { bindTemplate, paramPairs } from "../templates/bind.js";
import { loadLibrary, problemText, userTemplatesDir, type Library } from "../templates/library.js";
import { usesAnchor, type Template } from "../templates/template.js";
import { anchorNote, findAnchor } from "../templates/anchor.js";
import { warn, writeText } from "./io.js";
import { safeJson } from "../output/safe.js";
import { queryCommand } from "./query.js";
import { parseOptions, TemplatesOptionsSchema } from "./options.js";
import { compareText } from "../exec/values.js";

function library(dir: unknown): Library {
  // a folder named on the command line is there (a typo would run the bundled template in place of the team's)
  if (typeof dir === "string" && !isFolder(dir)) throw new UserError(`--templates ${dir}: ${existsSync(dir) ? "not a folder" : "no such folder"}`, ExitCode.path);
  const lib = loadLibrary(typeof dir === "string" ? dir : userTemplatesDir());
  for (const p of lib.problems) warn(problemText(p));
  return lib;
}

const isFolder = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

function find(lib: Library, id: string): Template {
  const t = lib.templates.get(id);
  if (t) return t;
  const hint = didYouMean(id, lib.templates.keys());
  throw new UserError(`no template ${id}${hint ? `: ${hint}` : ""} (trailq templates lists them)`, ExitCode.usage);
}

export function listTemplates(rawOpts: Record<string, unknown>): void {
  const opts = parseOptions(TemplatesOptionsSchema, rawOpts);
  if (opts.json && rawOpts["format"] !== undefined && opts.format !== "json") throw new UserError(`--json and -f ${opts.format} ask for two formats: give one`, ExitCode.usage);
  const lib = library(opts.templates);
  const { category } = opts;
  const all = [...lib.templates.values()]
    .filter((t) => !category || t.category === category)
    .sort((a, b) => compareText(a.category, b.category) || compareText(a.id, b.id));
  if (opts.json || opts.format === "json") {
    const rows = all.map((t) => ({ id: t.id, title: t.title, category: t.category, description: t.description, ...(t.doesNotCover ? { doesNotCover: t.doesNotCover } : {}), tags: t.tags, parameters: t.params, origin: t.origin, overrides: lib.overridden.has(t.id) }));
    process.stdout.write(safeJson(JSON.stringify(rows, null, 2)) + "\n");
    return;
  }
  const w = Math.max(...all.map((t) => t.id.length));
  let heading = "";
  for (const t of all) {
    if (t.category !== heading) writeText(`${heading ? "\n" : ""}${(heading = t.category)}\n`);
    const params = t.params.length ? `  [${t.params.map((p) => (p.default === undefined ? `${p.name}=` : `${p.name}=${p.default}`)).join(" ")}]` : "";
    const origin = t.origin === "user" ? (lib.overridden.has(t.id) ? "  (yours, overrides the bundled one)" : "  (yours)") : "";
    writeText(`  ${t.id.padEnd(w)}  ${t.title}${params}${origin}\n`);
  }
}

export function showTemplate(id: string, opts: Record<string, unknown>): void {
  const t = find(library(opts["templates"]), id);
  const lines = [`${t.id}: ${t.title}`, `category: ${t.category}${t.tags.length ? `  tags: ${t.tags.join(", ")}` : ""}`, "", t.description];
  if (t.doesNotCover) lines.push("", `Does not cover: ${t.doesNotCover}`);
  if (t.metricFilter) lines.push("", `metric filter: ${t.metricFilter}`);
  if (t.params.length) lines.push("", "parameters:", ...t.params.map((p) => `  ${p.name} (${p.type})${p.default === undefined ? ", required" : `, default ${p.default}`}${p.description ? ` — ${p.description}` : ""}`));
  if (t.sources) lines.push("", `sources: ${t.sources}`);
  lines.push("", t.query, "", `file: ${t.file}`);
  writeText(lines.join("\n") + "\n");
}

export async function runTemplate(id: string, paths: string[], opts: Record<string, unknown>): Promise<void> {
  const t = find(library(opts["templates"]), id);
  try {
    await runFound(t, paths, opts);
  } catch (e) {
    // a parameter's value the query can't use (a bad regex): shown at its place in the template
    if (e instanceof QueryError) e.source ??= t.query;
    throw e;
  }
}

async function runFound(t: Template, paths: string[], opts: Record<string, unknown>): Promise<void> {
  const values = paramPairs((opts["param"] as string[] | undefined) ?? []);
  const query = parseQuery(t.query);
  const { templates: _t, param: _p, ...queryOpts } = opts;
  if (!usesAnchor(t)) return queryCommand(t.query, paths, queryOpts, bindTemplate(t, query, values));
  // the values are checked before anything is read; the window's anchor needs the inputs
  const provisional = bindTemplate(t, query, values, { anchor: 0 });
  await queryCommand(t.query, paths, queryOpts, async (ctx) => {
    const anchor = await findAnchor(provisional, ctx.inputs, ctx);
    return { query: bindTemplate(t, query, values, { anchor: anchor.at }), note: anchorNote(anchor) };
  });
}
