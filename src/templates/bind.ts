// Binding template parameters on the AST: each {{name}} node becomes a literal node of the
// parameter's type, so no value can change the query's structure (a value is never re-parsed as
// query text). {{@anchor}} is reserved: a time that `trailq run` fills (anchor.ts), not a parameter.
import type { Expr, Query } from "../lang/ast.js";
import { QueryError, UserError, ExitCode, codePointText } from "../errors.js";
import { periodUnit } from "../time/periods.js";
import { ANCHOR, type Template, type TemplateParam } from "./template.js";
import { setOwn } from "../exec/own.js";

type ParamNode = Extract<Expr, { kind: "param" }>;

/**
 * Characters that show nothing (zero-width space and joiners, word joiner, soft hyphen): a value
 * pasted with one matched nothing, without a word (an access key with U+200B after it).
 */
const HIDDEN = /[\u00ad\u200b-\u200d\u2060]/;

/**
 * A text value as given, without the white space around it (a no-break space pasted after an ARN
 * found nothing on the command line, where the prompt's .run trimmed it); one holding a character
 * that shows nothing is refused, named.
 */
function textValue(p: TemplateParam, value: string): string {
  const hidden = HIDDEN.exec(value);
  if (hidden) throw new UserError(`parameter ${p.name} holds ${codePointText(hidden[0])}, a character that shows nothing (pasted with the value?): retype the value without it`, ExitCode.usage);
  return value.trim();
}

function literal(p: TemplateParam, value: string): (at: ParamNode) => Expr {
  const base = (at: ParamNode) => ({ span: at.span, text: at.text });
  switch (p.type) {
    case "string": {
      const text = textValue(p, value);
      return (at) => ({ ...base(at), kind: "string", value: text });
    }
    case "number": {
      // decimal, as the language writes numbers (Number() would also read 0x10, 0b1 and Infinity)
      const n = Number(value);
      if (!/^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(value) || !Number.isFinite(n)) throw new UserError(`parameter ${p.name} must be a number, not "${value}"`, ExitCode.usage);
      // a template's numbers are counts, thresholds and hours: below 0 they would find nothing without a word
      if (n < 0) throw new UserError(`parameter ${p.name} must be 0 or more, not ${value.trim()}`, ExitCode.usage);
      return (at) => ({ ...base(at), kind: "number", value: n });
    }
    case "duration": {
      const m = /^(\d+(?:\.\d+)?)\s*([A-Za-z]+)$/.exec(value.trim());
      const unit = m ? periodUnit(m[2]!) : undefined;
      if (!m || !unit) throw new UserError(`parameter ${p.name} must be a period such as 10m, 1h or 1d, not "${value}"`, ExitCode.usage);
      return (at) => ({ ...base(at), kind: "period", amount: Number(m[1]), unit });
    }
    case "regex": {
      // /admin/i is how a query writes it, but a parameter's value is the pattern itself: read as
      // text, the slashes would be looked for in the data (and nothing found)
      const slashed = /^\/(.*)\/([a-z]*)$/s.exec(value);
      if (slashed) throw new UserError(`parameter ${p.name} is the pattern itself, without slashes: give ${slashed[2]!.includes("i") ? "(?i)" : ""}${slashed[1]} (flags as (?i) in front)`, ExitCode.usage);
      return (at) => ({ ...base(at), kind: "regex", pattern: value });
    }
    case "list": {
      const shape = `a list such as ["us-east-1","eu-west-1"] or us-east-1,eu-west-1`;
      let items: unknown;
      const text = textValue(p, value);
      if (text.startsWith("[")) {
        try {
          items = JSON.parse(text);
        } catch {
          throw new UserError(`parameter ${p.name} is not a JSON list (items in double quotes): give ${shape}`, ExitCode.usage);
        }
      } else {
        items = text.split(",").map((s) => s.trim());
        // a quote, a bracket, a space, a ; or a | in an item is a list written another way, not an item
        const odd = (items as string[]).find((x) => /["'\[\]\s;|]/.test(x));
        if (odd !== undefined) throw new UserError(`parameter ${p.name}: item ${JSON.stringify(odd)} holds a quote, a bracket, a space, a ; or a |: give ${shape} (a JSON list's items may hold them)`, ExitCode.usage);
      }
      if (!Array.isArray(items) || !items.every((x) => typeof x === "string" || typeof x === "number")) {
        throw new UserError(`parameter ${p.name} must be ${shape}`, ExitCode.usage);
      }
      const list = items as (string | number)[];
      return (at) => ({
        ...base(at),
        kind: "list",
        items: list.map((x): Expr => (typeof x === "number" ? { ...base(at), kind: "number", value: x } : { ...base(at), kind: "string", value: x })),
      });
    }
  }
}

/** The anchor as a time: `fromMillis(<epoch ms>)`, a call node with a number literal (never text to parse). */
function anchorLiteral(ms: number, at: ParamNode): Expr {
  const text = new Date(ms).toISOString();
  return { kind: "call", name: "fromMillis", nameSpan: at.span, args: [{ kind: "number", value: ms, span: at.span, text: String(ms) }], star: false, span: at.span, text };
}

/**
 * `name=value` pairs as given (`--param`, `.run ID ...` at the prompt and in the console) as the
 * values of a template's parameters. A name given twice is a usage error: the last value in place
 * of the first would change what the template finds without a word.
 */
export function paramPairs(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UserError(`bad parameter ${JSON.stringify(pair)}: write name=value`, ExitCode.usage);
    const name = pair.slice(0, eq);
    if (Object.hasOwn(out, name)) throw new UserError(`parameter ${name} is given twice: give it once (a list parameter takes all its values in one: ${name}=a,b)`, ExitCode.usage);
    setOwn(out, name, pair.slice(eq + 1));
  }
  return out;
}

/** The `name=value` pairs written after `.run ID`: a value runs to the next `name=` (it may hold spaces: uaRegex=S3 Browser). */
export function runPairs(text: string): string[] {
  return text.trim().split(/\s+(?=[A-Za-z_][\w.-]*=)/).filter(Boolean);
}

/**
 * Checks the values given for a template's parameters (unknown names, missing required ones, values
 * that don't fit their type) and returns each parameter's literal maker.
 */
export function checkValues(t: Template, values: Record<string, string>): Map<string, (at: ParamNode) => Expr> {
  for (const k of Object.keys(values)) {
    if (k === ANCHOR) throw new UserError(`${ANCHOR} is not a parameter: trailq run sets it (the end of --end, else the newest event read)`, ExitCode.usage);
    if (!t.params.some((p) => p.name === k)) {
      throw new UserError(`template ${t.id} has no parameter ${k}${t.params.length ? ` (it has: ${t.params.map((p) => p.name).join(", ")})` : ""}`, ExitCode.usage);
    }
    // `-p arn="$ARN"` with the variable unset: nothing in place of a value
    if (values[k]!.trim() === "") throw new UserError(`parameter ${k} has an empty value (an unset variable?): give one, or leave it out for its default`, ExitCode.usage);
  }
  const missing = t.params.filter((p) => values[p.name] === undefined && p.default === undefined);
  if (missing.length) {
    throw new UserError(`template ${t.id} needs ${missing.map((p) => `${p.name}=<${p.type}>`).join(" ")}`, ExitCode.usage);
  }
  return new Map(t.params.map((p) => [p.name, literal(p, values[p.name] ?? p.default!)]));
}

/** What a template is bound with besides its parameters. */
export interface Reserved {
  /** {{@anchor}}: epoch ms; required when the template uses it (see anchor.ts). */
  anchor?: number;
}

/** Replace every parameter node of a parsed template with its value (given, else the default). */
export function bindTemplate(t: Template, query: Query, values: Record<string, string>, reserved: Reserved = {}): Query {
  const literals = checkValues(t, values);
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== "object") return node;
    const o = node as Record<string, unknown>;
    if (o["kind"] === "param") {
      const at = o as unknown as ParamNode;
      if (at.name === ANCHOR) {
        if (reserved.anchor === undefined) throw new Error(`template ${t.id} uses {{${ANCHOR}}}: bind it with its anchor (anchor.ts)`);
        return anchorLiteral(reserved.anchor, at);
      }
      const make = literals.get(at.name);
      if (!make) throw new QueryError(`unknown parameter {{${at.name}}}`, at.span);
      return make(at);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      // column names come from the text as written: show the values there, not the placeholders
      if (k === "text" && typeof v === "string") out[k] = v.replace(/\{\{\s*(@?\w+)\s*\}\}/g, (m, name: string) => shown(name) ?? m);
      else out[k] = k === "span" || k === "source" ? v : walk(v);
    }
    return out;
  };
  const shown = (name: string): string | undefined => {
    if (name === ANCHOR) return reserved.anchor === undefined ? undefined : new Date(reserved.anchor).toISOString();
    const p = t.params.find((x) => x.name === name);
    const v = p ? (values[name] ?? p.default) : undefined;
    if (!p || v === undefined) return undefined;
    return p.type === "string" ? JSON.stringify(textValue(p, v)) : p.type === "regex" ? `/${v}/` : p.type === "list" ? textValue(p, v) : v;
  };
  return walk(query) as Query;
}
