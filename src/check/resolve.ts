// The checker for expressions: binds names, looks functions up in the registry, checks arity and
// argument kinds, places aggregates, and gives every node its static type.
import { QueryError, didYouMean, likelyName, quoteText } from "../errors.js";
import { findFunction, functionNames } from "../functions/registry.js";
import type { AggregateFn, ValueType } from "../functions/types.js";
import type { Expr, FieldRef } from "../lang/ast.js";
import type { Plan } from "../plan/plan.js";
import { SYSTEM_FIELDS, someNode, type RExpr, type SystemField } from "./rexpr.js";
import { translateRegex } from "./regex.js";
import { parseDateText } from "../time/date-text.js";

/** What names mean at one point of the query. */
export class Scope {
  /** Columns made by earlier commands, with their types, in order of creation. */
  readonly columns = new Map<string, ValueType>();
  /** After stats, only its output columns exist: no event fields, no system fields. */
  afterStats = false;
  /** After `join ... left=a`: `a.x` names the field x of the left row. */
  leftAlias?: string;
  /** The types of known keys inside map columns (a join's right rows: `right.@timestamp` is a time). */
  readonly mapKeys = new Map<string, Map<string, ValueType>>();
  /** The most dot-separated parts a column's name has had: longer prefixes of a path can't name one. */
  private parts = 1;
  /** Some column's name has an index written in brackets (`resources[0].type`): a path may name it written otherwise. */
  bracketed = false;
  /** Plans a subquery (`in ( ... )`); given by the planner, which knows how to build plans. */
  planSubquery?: (q: Extract<Expr, { kind: "subquery" }>) => Plan;

  clone(): Scope {
    const s = new Scope();
    for (const [k, v] of this.columns) s.columns.set(k, v);
    for (const [k, v] of this.mapKeys) s.mapKeys.set(k, v);
    s.parts = this.parts;
    s.bracketed = this.bracketed;
    s.afterStats = this.afterStats;
    if (this.leftAlias !== undefined) s.leftAlias = this.leftAlias;
    if (this.planSubquery) s.planSubquery = this.planSubquery;
    return s;
  }

  define(name: string, type: ValueType): void {
    this.columns.delete(name); // re-definition moves it to the end
    this.mapKeys.delete(name);
    this.columns.set(name, type);
    if (name.includes("[")) this.bracketed = true;
    for (let i = name.indexOf("."), n = 2; i >= 0; i = name.indexOf(".", i + 1), n++) if (n > this.parts) this.parts = n;
  }

  /** The column a path's first segments name, longest first: its name and how many segments (none: undefined). */
  columnPrefix(segments: readonly string[]): { name: string; length: number } | undefined {
    for (let i = Math.min(segments.length - 1, this.parts); i >= 1; i--) {
      const name = segments.slice(0, i).join(".");
      if (this.columns.has(name)) return { name, length: i };
    }
    return undefined;
  }
}

/** Where aggregates may appear while resolving. */
export interface AggregateContext {
  /** Collects each aggregate call, giving it its slot. */
  slots: RExpr[];
  /** The scope aggregate arguments are resolved in (rows before the stats). */
  inputScope: Scope;
}

const SYSTEM = new Set<string>(SYSTEM_FIELDS);

function systemFieldType(name: SystemField): ValueType {
  return name === "@timestamp" || name === "@ingestionTime" ? "time" : "string";
}

/**
 * A field reference as written, backticks (which only quote a name) left out: the name of the
 * column it gives (`p.Statement[0].Effect`, `` `foo-bar` `` → foo-bar). Its path (f.name) is the
 * same field written with dots: p.Statement.0.Effect.
 */
export function writtenName(f: FieldRef): string {
  return f.text.includes("`") ? f.text.replace(/`/g, "") : f.text;
}

/** A path written with indexes (`a[0]["k"].b`) as the dotted path it names (a.0.k.b). */
export function dottedPath(written: string): string {
  return written.replace(/\[\s*(?:(\d+)|"([^"]*)"|'([^']*)')\s*\]/g, (_m, n?: string, d?: string, q?: string) => `.${n ?? d ?? q}`);
}

export function resolveField(f: FieldRef, scope: Scope): RExpr {
  if (scope.leftAlias !== undefined && f.segments.length > 1 && f.segments[0] === scope.leftAlias && !scope.columns.has(f.segments[0])) {
    const rest = f.segments.slice(1);
    return resolveField({ ...f, name: rest.join("."), segments: rest }, scope);
  }
  const segs = f.segments;
  if (scope.columns.has(f.name)) return { k: "column", name: f.name, path: [], type: scope.columns.get(f.name)!, ast: f };
  // a column named by a path as written (`stats count(*) by resources[0].ARN`)
  const written = writtenName(f);
  if (written !== f.name && scope.columns.has(written)) return { k: "column", name: written, path: [], type: scope.columns.get(written)!, ast: f };
  // ... or the same path written otherwise (`by resources[0].ARN`, then `sort resources.0.ARN`)
  if (scope.bracketed) {
    for (const [name, type] of scope.columns) {
      if (name.includes("[") && dottedPath(name) === f.name) return { k: "column", name, path: [], type, ast: f };
    }
  }
  const prefix = scope.columnPrefix(segs);
  if (prefix) {
    const { name } = prefix;
    // a key of a map column named as written (a join's right row: `R.resources[0].ARN`)
    const rest = written.startsWith(name + ".") ? written.slice(name.length + 1) : undefined;
    const keyType = rest !== undefined ? scope.mapKeys.get(name)?.get(rest) : undefined;
    if (keyType !== undefined) return { k: "column", name, path: [rest!], type: keyType, ast: f };
    const path = segs.slice(prefix.length);
    return { k: "column", name, path, type: scope.mapKeys.get(name)?.get(path.join(".")) ?? "any", ast: f };
  }
  if (scope.afterStats) {
    const names = [...scope.columns.keys()];
    const available = names.slice(0, 20).map((c) => `\`${c}\``).join(", ") + (names.length > 20 ? `, ... (${names.length} in all)` : "");
    throw new QueryError(
      `\`${f.name}\` does not exist here: after stats only its output columns exist (${available})`,
      f.span,
      didYouMean(f.name, scope.columns.keys()),
    );
  }
  if (SYSTEM.has(f.name)) return { k: "system", name: f.name as SystemField, type: systemFieldType(f.name as SystemField), ast: f };
  if (f.name.startsWith("@") && segs.length === 1) {
    // A near miss of a system field is a typo; any other @ name (`@type`, `@duration` of other log
    // kinds) is read from the event like any field: absent, and named by a warning at the end.
    const near = likelyName(f.name, SYSTEM_FIELDS);
    if (near !== undefined) throw new QueryError(`unknown system field \`${f.name}\``, f.span, `did you mean \`${near}\`?`);
  }
  // Event fields are flattened JSON paths: a backticked dotted name (`` `tlsDetails.tlsVersion` ``)
  // is the same path as the plain one, as in Logs Insights.
  return { k: "event", path: f.name.split("."), type: "any", ast: f };
}

function constantOf(e: RExpr): boolean {
  return e.k === "const" || e.k === "period" || e.k === "regex" || (e.k === "list" && e.items.every(constantOf));
}

/**
 * Resolve an expression. `agg` is given only where aggregates are allowed (the items of stats);
 * `forbidAggReason` then explains why one isn't (e.g. "in a filter").
 */
export function resolveExpr(e: Expr, scope: Scope, agg?: AggregateContext, where = "here"): RExpr {
  const r = (x: Expr, s: Scope = scope, a: AggregateContext | undefined = agg): RExpr => resolveExpr(x, s, a, where);
  switch (e.kind) {
    case "number":
      return { k: "const", value: e.value, type: "number", ast: e };
    case "string":
      return { k: "const", value: e.value, type: "string", ast: e };
    case "bool":
      return { k: "const", value: e.value, type: "bool", ast: e };
    case "regex":
      return { k: "regex", regex: translateRegex(e.pattern, e.span).regex, type: "any", ast: e };
    case "period":
      return { k: "period", period: e, type: "any", ast: e };
    case "list":
      return { k: "list", items: e.items.map((i) => r(i)), type: "list", ast: e };
    case "field":
      return resolveField(e, scope);
    case "member":
      return { k: "member", target: r(e.target), key: e.key, type: "any", ast: e };
    case "index":
      return { k: "index", target: r(e.target), index: r(e.index), type: "any", ast: e };
    case "unary": {
      const operand = r(e.operand);
      return { k: "unary", op: e.op, operand, type: e.op === "not" ? "bool" : "number", ast: e };
    }
    case "binary": {
      const left = r(e.left);
      const right = r(e.right);
      if (right.k === "subquery" && e.op !== "in" && e.op !== "not in") throw new QueryError("a subquery can only follow in or not in", e.right.span);
      if ((e.op === "=~") && right.k !== "regex") {
        throw new QueryError("=~ needs a regex on its right, like /Exception/", e.right.span);
      }
      if (COMPARISONS.has(e.op)) {
        dateTextsOnly(right, left);
        dateTextsOnly(left, right);
      }
      return { k: "binary", op: e.op, left, right, type: binaryType(e.op, left.type, right.type), ast: e };
    }
    case "subquery": {
      if (!scope.planSubquery) throw new QueryError("subqueries can't be nested: Logs Insights allows one level", e.span);
      const plan = scope.planSubquery(e);
      return { k: "subquery", plan, values: {}, type: "list", ast: e };
    }
    case "param":
      throw new QueryError(`the template parameter {{${e.name}}} has no value`, e.span, e.name.startsWith("@") ? "trailq run sets it: run the query as a template" : `write a value in its place, or run the template with one (trailq run ID -p ${e.name}=VALUE; .run ID ${e.name}=VALUE at the prompt and in the console)`);
    case "call":
      return resolveCall(e, scope, agg, where);
  }
}

/** The operators that compare a time with a date's text (`@timestamp > "2026-11-02"`: the instant it names). */
const COMPARISONS = new Set(["=", "!=", "<", "<=", ">", ">=", "in", "not in"]);

/**
 * A text compared with a time must name an instant: one that does not (`"2026-02"`, `"2027"`, a
 * number in quotes) would compare with no time at all, and the filter keep nothing (or everything)
 * without a word. An error at its place instead, as --start gives for such a text.
 */
function dateTextsOnly(side: RExpr, other: RExpr): void {
  if (other.type !== "time") return;
  for (const item of side.k === "list" ? side.items : [side]) {
    if (item.k !== "const" || typeof item.value !== "string" || !Number.isNaN(parseDateText(item.value))) continue;
    throw new QueryError(`${quoteText(item.value)} is not a date and time, so no time compares with it`, item.ast.span, 'write a whole date, such as "2026-02-01" or "2026-02-01T10:00:00Z" (UTC when no zone is given), or milliseconds since 1970 as a number, without quotes');
  }
}

function binaryType(op: string, l: ValueType, r: ValueType): ValueType {
  switch (op) {
    case "+":
      return (l === "time" && r !== "time") || (r === "time" && l !== "time") ? "time" : "number";
    case "-":
      return l === "time" && r !== "time" ? "time" : "number";
    case "*":
    case "/":
    case "%":
    case "^":
      return "number";
    default:
      return "bool";
  }
}

/**
 * The output column a call written after stats names (`stats count(*) by bin(1h) | sort count(*)
 * desc`): the column named by the same text, compared as Logs Insights compares such names, without
 * case or spaces.
 */
function columnNamedBy(text: string, scope: Scope): string | undefined {
  if (scope.columns.has(text)) return text;
  const key = (s: string): string => s.replace(/\s+/g, "").toLowerCase();
  const want = key(text);
  for (const name of scope.columns.keys()) if (key(name) === want) return name;
  return undefined;
}

function resolveCall(e: Extract<Expr, { kind: "call" }>, scope: Scope, agg: AggregateContext | undefined, where: string): RExpr {
  const fn = findFunction(e.name);
  // after stats, a call that names one of its columns is that column; not an aggregate where one
  // may be (the items of a second stats aggregate afresh)
  if (scope.afterStats && !(fn?.kind === "aggregate" && agg)) {
    const name = columnNamedBy(e.text, scope);
    if (name !== undefined) return { k: "column", name, path: [], type: scope.columns.get(name)!, ast: e };
  }
  if (!fn) {
    throw new QueryError(`unknown function \`${e.name}\``, e.nameSpan, didYouMean(e.name, functionNames()));
  }
  const n = e.args.length;
  if (e.star && !(fn.kind === "aggregate" && fn.name === "count")) {
    throw new QueryError(`\`${e.name}(*)\`: only count takes *`, e.span);
  }
  if (n < fn.minArgs || n > fn.maxArgs) {
    const want = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : fn.maxArgs === Infinity ? `at least ${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
    throw new QueryError(
      `${fn.name} takes ${want} argument${want === "1" ? "" : "s"}, got ${n}`,
      e.span,
      `usage: ${fn.signature}`,
    );
  }
  if (fn.name.toLowerCase() === "bin" && scope.afterStats && !scope.columns.has("@timestamp")) {
    throw new QueryError(
      "bin() buckets @timestamp, which the stats before did not keep",
      e.span,
      "keep it in the first stats, e.g. `max(@timestamp) as @timestamp`, or use datefloor(column, period)",
    );
  }
  if (fn.kind === "aggregate") {
    if (!agg) {
      const hint = scope.afterStats
        ? `after stats, use its columns: ${[...scope.columns.keys()].slice(0, 8).map((c) => `\`${c}\``).join(", ")}`
        : `e.g. stats ${e.text}`;
      throw new QueryError(`${fn.name}() is an aggregate function: use it inside stats, not ${where}`, e.span, hint);
    }
    // Aggregate arguments are per-row expressions over the rows going into stats; no nesting.
    const args = e.args.map((a, i) => checkKind(resolveExpr(a, agg.inputScope, undefined, `inside ${fn.name}()`), a, fn.args, i, fn.name));
    const type = typeof fn.returns === "function" ? fn.returns(args.map((a) => a.type)) : fn.returns;
    const node: RExpr = { k: "agg", fn: fn as AggregateFn, args, star: e.star || n === 0, slot: agg.slots.length, type, ast: e };
    agg.slots.push(node);
    return node;
  }
  const args = e.args.map((a, i) => checkKind(resolveExpr(a, scope, agg, where), a, fn.args, i, fn.name));
  const type = typeof fn.returns === "function" ? fn.returns(args.map((a) => a.type)) : fn.returns;
  return { k: "call", fn, args, type, ast: e };
}

/** Units of no fixed length, counted in whole months. */
const CALENDAR_UNITS = new Set(["mo", "q", "y"]);

function checkKind(arg: RExpr, ast: Expr, kinds: readonly string[] | undefined, i: number, fname: string): RExpr {
  if (!kinds || kinds.length === 0) return arg;
  const kind = kinds[Math.min(i, kinds.length - 1)];
  switch (kind) {
    case "period":
      if (arg.k !== "period") throw new QueryError(`argument ${i + 1} of ${fname} must be a time period such as 5m, 1h or 1d`, ast.span);
      // a period of nothing rounds nothing: bin(0s) gave every row a null bucket, one group
      if (arg.period.amount <= 0) throw new QueryError(`argument ${i + 1} of ${fname} must be a period longer than 0, such as 5m, 1h or 1d`, ast.span);
      // months have no fixed length: 1.5mo was rounded to 2 months, 0.2y to 2 months, silently
      if (CALENDAR_UNITS.has(arg.period.unit) && !Number.isInteger(arg.period.amount)) {
        throw new QueryError(`argument ${i + 1} of ${fname}: a period of months, quarters or years is a whole number of them (${arg.period.text} is not)`, ast.span, "write 1mo, 2mo, 1q or 1y; or a fixed period such as 45d");
      }
      break;
    case "regex":
      if (arg.k !== "regex" && !(arg.k === "const" && typeof arg.value === "string")) {
        throw new QueryError(`argument ${i + 1} of ${fname} must be a regex /.../ or a string`, ast.span);
      }
      break;
    case "literal":
      if (!constantOf(arg)) throw new QueryError(`argument ${i + 1} of ${fname} must be a constant`, ast.span);
      break;
  }
  return arg;
}

/** Whether an expression contains an aggregate call. */
export function hasAggregate(e: RExpr): boolean {
  return someNode(e, (n) => n.k === "agg");
}
