// What the page needs to know besides results: the words the editor completes (commands and
// functions from the project's registries, fields found in the inputs, template ids), the
// templates with their parameters, the history and the saved queries.
import type { IncomingMessage, ServerResponse } from "node:http";
import { COMMAND_NAMES } from "../lang/index.js";
import { ALL_FUNCTIONS } from "../functions/registry.js";
import { loadLibrary } from "../templates/library.js";
import { readHistory, readSaved, saveQuery } from "../repl/saved.js";
import { historyFile } from "../cli/repl.js";
import { z } from "../zod.js";
import { HttpError, readJson, sendJson } from "./http.js";
import { displayZone } from "../time/zone.js";
import { compareText } from "../exec/values.js";

export interface MetaSources {
  inputs: string[];
  /** The detect tab's Sigma rules (`--rules`). */
  rules: string[];
  fields: () => Map<string, number>;
}

export function meta(src: MetaSources): unknown {
  const lib = loadLibrary();
  return {
    inputs: src.inputs,
    rules: src.rules,
    commands: [...COMMAND_NAMES],
    functions: ALL_FUNCTIONS.map((f) => ({ name: f.name, aliases: f.aliases ?? [], signature: f.signature, description: f.description, category: f.category })),
    fields: [...src.fields()].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0])).map(([name, share]) => ({ name, share })),
    templates: [...lib.templates.keys()].sort(),
    zone: displayZone().name,
  };
}

export function templates(): unknown {
  const lib = loadLibrary();
  return [...lib.templates.values()].map((t) => ({
    id: t.id,
    title: t.title,
    category: t.category,
    description: t.description,
    ...(t.doesNotCover ? { doesNotCover: t.doesNotCover } : {}),
    params: t.params.map((p) => ({ name: p.name, type: p.type, ...(p.default !== undefined ? { default: p.default } : {}), ...(p.description ? { description: p.description } : {}) })),
    query: t.query,
    origin: t.origin,
  }));
}

export function history(): unknown {
  return { history: readHistory(historyFile()), saved: readSaved() };
}

const SaveSchema = z.object({ name: z.string().check(z.minLength(1), z.maxLength(200)), query: z.string().check(z.minLength(1), z.maxLength(100_000)) });

export async function saveRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const q = await readJson(req, SaveSchema);
  if (!q.name.trim()) throw new HttpError(400, "a saved query's name can't be only spaces");
  saveQuery(q);
  sendJson(res, 200, history());
}
