// Query templates: a Logs Insights query with a metadata header in `#` comment lines (so the whole
// file is still a valid query), validated with zod when loaded.
//
//   # id: cis-root-account-usage
//   # title: Root user activity
//   # category: cis
//   # tags: cis, core, CloudWatch.1
//   # description: ...
//   # does-not-cover: ...                                     (one sentence: what it misses)
//   # metric-filter: {$.userIdentity.type="Root" && ...}      (CIS templates: the original pattern)
//   # param: accessKeyId string required                      (name, type, default or `required`)
//   # param: window duration "10m"
//   # sources: ...
//   filter ...
//
// Besides its parameters, a query may use {{@anchor}}: the time its recent window is measured back
// from, which `trailq run` fills (anchor.ts).
import { z } from "../zod.js";

/** The reserved value: the end of the query's time range, or the newest event read. */
export const ANCHOR = "@anchor";

export const ParamType = z.enum(["string", "number", "duration", "regex", "list"]);
export type ParamType = z.infer<typeof ParamType>;

export const ParamSchema = z.object({
  name: z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a parameter name is letters, digits and _")),
  type: ParamType,
  /** The default, as text (a JSON value or a bare word); absent when the parameter is required. */
  default: z.optional(z.string()),
  description: z.optional(z.string()),
});
export type TemplateParam = z.infer<typeof ParamSchema>;

/** A template's category: what `trailq templates --category` takes. */
export const TEMPLATE_CATEGORIES = ["cis", "detection", "investigation", "operations", "cost", "aws-sample", "time-series", "custom"] as const;

export const TemplateSchema = z.object({
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, "an id is lower-case letters, digits and -")),
  title: z.string().check(z.minLength(3)),
  category: z.enum(TEMPLATE_CATEGORIES),
  tags: z._default(z.array(z.string()), []),
  description: z.string().check(z.minLength(10)),
  /** What the template does not find, so no empty result reads as "all clear" outside its scope (every bundled one says it). */
  doesNotCover: z.optional(z.string().check(z.minLength(10), z.regex(/^[^.]*(\.\S[^.]*)*\.$/, "one sentence ending with a full stop"))),
  metricFilter: z.optional(z.string()),
  params: z._default(z.array(ParamSchema).check(z.maxLength(20)), []),
  sources: z.optional(z.string()),
  query: z.string().check(z.minLength(1)),
});
export type Template = z.infer<typeof TemplateSchema> & { file: string; origin: "bundled" | "user" };

const KEYS: Record<string, string> = {
  id: "id", title: "title", category: "category", tags: "tags", description: "description",
  "does-not-cover": "doesNotCover", "metric-filter": "metricFilter", param: "params", sources: "sources",
};

/** Reads the header and the query of a template file; throws a message when it is not valid. */
export function parseTemplate(text: string, file: string, origin: Template["origin"]): Template {
  const raw: Record<string, unknown> = { params: [] as unknown[] };
  // a byte-order mark (Notepad writes one) is no part of the first header line
  const lines = text.replace(/^\ufeff/, "").split(/\r?\n/);
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^#\s*([a-z-]+):\s*(.*)$/.exec(lines[i]!);
    if (!m) break;
    const key = KEYS[m[1]!];
    if (!key) throw new Error(`line ${i + 1}: unknown header key "${m[1]}" (known: ${Object.keys(KEYS).join(", ")})`);
    const value = m[2]!.trim();
    if (key === "tags") raw["tags"] = value.split(",").map((t) => t.trim()).filter(Boolean);
    else if (key === "params") {
      const p = /^(\S+)\s+(\S+)(?:\s+(required|"(?:[^"\\]|\\.)*"|\S+))?(?:\s+[-\u2014]\s+(.*))?$/.exec(value);
      if (!p) throw new Error(`line ${i + 1}: write a parameter as: # param: NAME TYPE DEFAULT|required [— description]`);
      const param: Record<string, unknown> = { name: p[1], type: p[2] };
      if (p[3] && p[3] !== "required") param["default"] = p[3].startsWith('"') ? (JSON.parse(p[3]) as string) : p[3];
      if (p[4]) param["description"] = p[4];
      (raw["params"] as unknown[]).push(param);
    } else raw[key] = value;
  }
  raw["query"] = lines.slice(i).join("\n").trim();
  const r = TemplateSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`${issue.path.join(".") || "header"}: ${issue.message}`);
  }
  for (const u of usedNames(r.data.query)) {
    if (u.startsWith("@")) {
      if (u !== ANCHOR) throw new Error(`the query uses {{${u}}}: the only reserved value is {{${ANCHOR}}}`);
    } else if (!r.data.params.some((p) => p.name === u)) throw new Error(`the query uses {{${u}}} but no "# param: ${u} ..." declares it`);
  }
  return { ...r.data, file, origin };
}

function usedNames(query: string): Set<string> {
  return new Set([...query.matchAll(/\{\{\s*(@?\w+)\s*\}\}/g)].map((m) => m[1]!));
}

/** Whether the template measures a window back from {{@anchor}} (so `trailq run` must find it first). */
export function usesAnchor(t: Pick<Template, "query">): boolean {
  return usedNames(t.query).has(ANCHOR);
}
