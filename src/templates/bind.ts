// Binding template parameters on the AST: each {{name}} node becomes a literal node of the
// parameter's type, so no value can change the query's structure (a value is never re-parsed as
// query text).
import type { Expr, Query } from "../lang/ast.js";
import { QueryError, UserError, ExitCode } from "../errors.js";
import { periodUnit } from "../time/periods.js";
import type { Template, TemplateParam } from "./template.js";

function literal(p: TemplateParam, value: string, at: Extract<Expr, { kind: "param" }>): Expr {
  const base = { span: at.span, text: at.text };
  switch (p.type) {
    case "string":
      return { ...base, kind: "string", value };
    case "number": {
      const n = Number(value);
      if (value.trim() === "" || !Number.isFinite(n)) throw new UserError(`parameter ${p.name} must be a number, not "${value}"`, ExitCode.usage);
      return { ...base, kind: "number", value: n };
    }
    case "duration": {
      const m = /^(\d+(?:\.\d+)?)\s*([A-Za-z]+)$/.exec(value.trim());
      const unit = m ? periodUnit(m[2]!) : undefined;
      if (!m || !unit) throw new UserError(`parameter ${p.name} must be a period such as 10m, 1h or 1d, not "${value}"`, ExitCode.usage);
      return { ...base, kind: "period", amount: Number(m[1]), unit };
    }
    case "regex":
      return { ...base, kind: "regex", pattern: value };
    case "list": {
      let items: unknown;
      try {
        items = JSON.parse(value);
      } catch {
        items = value.split(",").map((s) => s.trim());
      }
      if (!Array.isArray(items) || !items.every((x) => typeof x === "string" || typeof x === "number")) {
        throw new UserError(`parameter ${p.name} must be a list such as ["us-east-1","eu-west-1"] or us-east-1,eu-west-1`, ExitCode.usage);
      }
      return {
        ...base,
        kind: "list",
        items: items.map((x): Expr => (typeof x === "number" ? { ...base, kind: "number", value: x } : { ...base, kind: "string", value: x })),
      };
    }
  }
}

/** Replace every parameter node of a parsed template with its value (given, else the default). */
export function bindTemplate(t: Template, query: Query, values: Record<string, string>): Query {
  for (const k of Object.keys(values)) {
    if (!t.params.some((p) => p.name === k)) {
      throw new UserError(`template ${t.id} has no parameter ${k}${t.params.length ? ` (it has: ${t.params.map((p) => p.name).join(", ")})` : ""}`, ExitCode.usage);
    }
  }
  const missing = t.params.filter((p) => values[p.name] === undefined && p.default === undefined);
  if (missing.length) {
    throw new UserError(`template ${t.id} needs ${missing.map((p) => `${p.name}=<${p.type}>`).join(" ")}`, ExitCode.usage);
  }
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== "object") return node;
    const o = node as Record<string, unknown>;
    if (o["kind"] === "param") {
      const at = o as unknown as Extract<Expr, { kind: "param" }>;
      const p = t.params.find((x) => x.name === at.name);
      if (!p) throw new QueryError(`unknown parameter {{${at.name}}}`, at.span);
      return literal(p, values[p.name] ?? p.default!, at);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      // column names come from the text as written: show the values there, not the placeholders
      if (k === "text" && typeof v === "string") out[k] = v.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, name: string) => shown(name) ?? m);
      else out[k] = k === "span" || k === "source" ? v : walk(v);
    }
    return out;
  };
  const shown = (name: string): string | undefined => {
    const p = t.params.find((x) => x.name === name);
    const v = p ? (values[name] ?? p.default) : undefined;
    if (!p || v === undefined) return undefined;
    return p.type === "string" ? JSON.stringify(v) : p.type === "regex" ? `/${v}/` : v;
  };
  return walk(query) as Query;
}
