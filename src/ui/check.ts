// POST /api/check {query}: the editor's underline. The query goes through the real parser, checker
// and planner (nothing is read); an error comes back with its place, message and hint.
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseQuery } from "../lang/index.js";
import { buildPlan } from "../plan/build.js";
import { LookupTables } from "../lookup/tables.js";
import { loadLibrary } from "../templates/library.js";
import { z } from "../zod.js";
import { readJson, sendJson, userErrorBody, type ErrorBody } from "./http.js";
import { templateCall } from "./prepare.js";

const CheckSchema = z.object({ query: z.string().check(z.maxLength(100_000)) });

export function checkQuery(text: string): { ok: true; columns: string[] } | { ok: false; error: ErrorBody } {
  try {
    const call = templateCall(text);
    if (call) {
      if (!loadLibrary().templates.has(call.template)) {
        const at = text.indexOf(call.template);
        return { ok: false, error: { message: `no template ${call.template}`, from: at, to: at + call.template.length } };
      }
      return { ok: true, columns: [] };
    }
    if (text.trim() === "") return { ok: true, columns: [] };
    const plan = buildPlan(parseQuery(text), { lookups: new LookupTables() });
    return { ok: true, columns: plan.columns.map((c) => c.name) };
  } catch (e) {
    const error = userErrorBody(e);
    if (!error) throw e;
    return { ok: false, error };
  }
}

export async function checkRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { query } = await readJson(req, CheckSchema);
  sendJson(res, 200, checkQuery(query));
}
