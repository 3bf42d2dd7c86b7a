// From the AST to the checked plan: walks the commands in order with a PlanBuilder (builder.ts),
// which keeps track of which names exist (the Scope) and of the output columns, resolving every
// expression and applying the command-order rules; then places the default order. The core
// commands are planned here; the generic ones (lookup, join, pattern...) by their planners in
// commands/, found in the registry commands/index.ts. Every user error leaves as a QueryError
// with a span.
import { QueryError } from "../errors.js";
import type { Projection, Query } from "../lang/ast.js";
import { GENERIC_PLANNERS } from "./commands/index.js";
import { ESTIMATE_COLUMNS } from "./commands/estimate.js";
import { sourceSelection } from "./commands/source.js";
import { resolveExpr, resolveField, hasAggregate, writtenName, type AggregateContext } from "../check/resolve.js";
import { someNode, type RExpr } from "../check/rexpr.js";
import { GlobMatcher, translateRegex } from "../check/regex.js";
import { FIXED_UNIT_MS } from "../time/periods.js";
import { findFunction } from "../functions/registry.js";
import type { ScalarFn } from "../functions/types.js";
import type { NamedExpr, OutputColumn, Plan, PlanOp } from "./plan.js";
import { fieldRef, PlanBuilder, type BuildOptions } from "./builder.js";
import { checkCompiles } from "../exec/pipeline.js";

export type { BuildOptions };

const TIME_BUCKET_FUNCTIONS = new Set(["bin", "datefloor", "dateceil"]);

const isTimeBucket = (e: RExpr): boolean => e.k === "call" && TIME_BUCKET_FUNCTIONS.has(e.fn.name.toLowerCase());

/** A datefloor or dateceil key whose time does not read @timestamp, reading it `ms` earlier (stats' offset). */
function shiftedArgument(e: RExpr, ms: number): RExpr {
  if (e.k !== "call" || e.fn.name.toLowerCase() === "bin") return e;
  const t = e.args[0];
  // @timestamp, wherever in the argument, is read shifted by the engines already
  if (!t || someNode(t, (n) => n.k === "system" && n.name === "@timestamp")) return e;
  const toMillis = findFunction("toMillis") as ScalarFn;
  const millis: RExpr = { k: "call", fn: toMillis, args: [t], type: "number", ast: t.ast };
  const shifted: RExpr = { k: "binary", op: "-", left: millis, right: { k: "const", value: ms, type: "number", ast: t.ast }, type: "number", ast: t.ast };
  return { ...e, args: [shifted, ...e.args.slice(1)] };
}

/**
 * The column name of an item: its alias, or its text as written, as Logs Insights names it
 * (`count(*)`, `strlen( eventName )`, `p.Statement[0].Effect`; backticks, which only quote a
 * field's name, left out: `` `foo-bar` `` gives foo-bar).
 */
function columnName(p: Projection): string {
  if (p.alias !== undefined) return p.alias;
  return p.expr.kind === "field" ? writtenName(p.expr) : p.expr.text;
}

/**
 * A projection (fields, display): an item is computed into a column unless it is a plain field
 * reference without alias. Gives the output columns.
 */
function project(b: PlanBuilder, items: Projection[], keyword: string): OutputColumn[] {
  const compute: NamedExpr[] = [];
  const cols: OutputColumn[] = [];
  const before = b.scope.clone();
  /** The names this command's earlier items made, in their order: its items read its input, not one another. */
  const made = new Map<string, { text: string; at: number }>();
  for (const p of items) {
    const expr = resolveExpr(p.expr, before, undefined, `in ${keyword}`);
    const name = columnName(p);
    // one walk of the item for the aliases it names (not a walk an alias: a long fields stays linear)
    const named = new Set<string>();
    if (made.size > 0) {
      someNode(expr, (n) => {
        if (n.k === "event" && n.path.length === 1 && made.has(n.path[0]!)) named.add(n.path[0]!);
        return false;
      });
    }
    for (const alias of [...named].sort((x, y) => made.get(x)!.at - made.get(y)!.at)) {
      b.warnings.push(`\`${alias}\` in \`${p.expr.text}\` reads the events' field ${alias}, not \`${made.get(alias)!.text}\`: the items of one ${keyword} read its input; use ${alias} in a later command: | ${keyword} ${p.expr.text}${p.alias ? ` as ${p.alias}` : ""}`);
    }
    if (p.alias !== undefined) made.set(p.alias, { text: `${p.expr.text} as ${p.alias}`, at: made.get(p.alias)?.at ?? made.size });
    if (p.expr.kind === "field" && p.alias === undefined) {
      cols.push({ name, type: expr.type, expr });
    } else {
      compute.push({ name, expr });
      b.scope.define(name, expr.type);
      cols.push({ name, type: expr.type, expr: { k: "column", name, path: [], type: expr.type, ast: p.expr } });
    }
  }
  if (compute.length) b.ops.push({ op: "compute", items: compute });
  return cols;
}

export function buildPlan(query: Query, opts: BuildOptions = {}): Plan {
  const b = new PlanBuilder(query, opts, buildPlan);
  if (query.notes) b.warnings.push(...query.notes);
  for (const cmd of query.commands) {
    switch (cmd.kind) {
      case "fields":
        b.selectFields(project(b, cmd.items, "fields"));
        break;
      case "display":
        b.displayed = project(b, cmd.items, "display");
        break;
      case "filter": {
        const pred = resolveExpr(cmd.expr, b.scope, undefined, `in ${cmd.keyword}`);
        b.ops.push({ op: "filter", pred, keyword: cmd.keyword });
        break;
      }
      case "parse": {
        const source: RExpr = cmd.source
          ? resolveExpr(cmd.source, b.scope, undefined, "in parse")
          : resolveField(fieldRef("@message", cmd.span), b.scope);
        if (cmd.mode === "logfmt" || cmd.mode === "csv") {
          if (cmd.names.length === 0 || (cmd.mode === "logfmt" && cmd.names.length > 1)) {
            throw new QueryError(cmd.mode === "logfmt" ? "parse ... logfmt needs one name: parse f logfmt as m" : "parse ... csv needs the column names: parse f csv as a, b", cmd.span);
          }
          b.addParsed(cmd.names, cmd.mode === "logfmt" ? "map" : "string");
          b.ops.push({ op: "parseFormat", mode: cmd.mode, source, names: cmd.names });
          break;
        }
        const patternSpan = cmd.patternSpan ?? cmd.span;
        let op: Extract<PlanOp, { op: "parse" }>;
        if (cmd.mode === "glob") {
          const glob = new GlobMatcher(cmd.pattern ?? "");
          const stars = glob.stars;
          if (stars !== cmd.names.length) {
            throw new QueryError(
              `the pattern has ${stars} * but ${cmd.names.length} name${cmd.names.length === 1 ? " follows" : "s follow"} as`,
              patternSpan,
              "each * in a parse pattern needs one name after as",
            );
          }
          op = { op: "parse", source, mode: "glob", regex: glob, names: cmd.names, groups: cmd.names.map((_, i) => i + 1), multi: cmd.multi };
        } else {
          const t = translateRegex(cmd.pattern ?? "", patternSpan);
          let names: string[];
          let groups: (number | string)[];
          if (cmd.names.length > 0) {
            // as the glob form: one name for each group (a group left without a name was dropped)
            if (t.regex.groups !== cmd.names.length) {
              throw new QueryError(
                `the regex has ${t.regex.groups} group${t.regex.groups === 1 ? "" : "s"} but ${cmd.names.length} name${cmd.names.length === 1 ? " follows" : "s follow"} as`,
                patternSpan,
                "each (group) of the regex needs one name after as; (?:...) groups without capturing",
              );
            }
            names = cmd.names;
            groups = cmd.names.map((_, i) => i + 1);
          } else {
            if (t.groupNames.length === 0) {
              throw new QueryError("this regex has no named groups (?<name>...) and no names follow as", patternSpan);
            }
            names = t.groupNames;
            groups = t.jsGroupNames;
          }
          op = { op: "parse", source, mode: "regex", regex: t.regex, names, groups, multi: cmd.multi };
        }
        b.addParsed(op.names, "string");
        b.ops.push(op);
        break;
      }
      case "stats": {
        const input = b.scope;
        const keys: NamedExpr[] = cmd.by.map((p) => ({ name: columnName(p), expr: resolveExpr(p.expr, input, undefined, "in stats ... by") }));
        // one name, one column: `count(*) as n, sum(b) as n` would fill the column n with a count in
        // some rows and a sum in others (the last of them that has a value)
        const named = new Map<string, string>();
        for (const p of [...cmd.by, ...cmd.aggs]) {
          const name = columnName(p);
          const before = named.get(name);
          if (before !== undefined) {
            throw new QueryError(`\`${name}\` names two columns of this stats: ${before} and ${p.expr.text}`, p.aliasSpan ?? p.expr.span, "give each its own name with as");
          }
          named.set(name, p.expr.text);
        }
        const timeKeys = keys.flatMap((k, i) => (isTimeBucket(k.expr) ? [i] : []));
        const timeKey = timeKeys[0] ?? -1;
        // The items see the group keys and the earlier items of the same stats.
        const out = b.afterStatsScope();
        for (const k of keys) out.define(k.name, k.expr.type);
        const ctx: AggregateContext = { slots: [], inputScope: input };
        const items: NamedExpr[] = [];
        for (const p of cmd.aggs) {
          if (p.expr.kind === "field" && !out.columns.has(p.expr.name)) {
            throw new QueryError(
              `\`${p.expr.name}\` is not an aggregate: each stats item needs one, such as count(*), sum(x) or avg(x)`,
              p.expr.span,
              `to group by it, write: stats count(*) by ${p.expr.text}`,
            );
          }
          const expr = resolveExpr(p.expr, out, ctx, "in stats");
          if (!hasAggregate(expr) && !someNode(expr, (n) => n.k === "column")) {
            throw new QueryError("each stats item needs an aggregate function such as count(*), sum(x) or avg(x)", p.expr.span);
          }
          const name = columnName(p);
          items.push({ name, expr });
          out.define(name, expr.type);
        }
        let offsetMs = 0;
        if (cmd.offset) {
          const unitMs = FIXED_UNIT_MS[cmd.offset.unit];
          if (unitMs === undefined) throw new QueryError("offset must be a fixed period (ms, s, m, h, d or w)", cmd.offset.span);
          if (timeKey < 0) throw new QueryError("offset shifts time buckets: it needs a by bin(...) key", cmd.offset.span);
          offsetMs = cmd.offset.amount * unitMs;
        }
        // every time key is shifted (not only the first), and a datefloor or dateceil of another
        // time than @timestamp (which the engines shift) reads it shifted: toMillis(t) - offset
        if (offsetMs) for (const i of timeKeys) keys[i] = { ...keys[i]!, expr: shiftedArgument(keys[i]!.expr, offsetMs) };
        const op: Extract<PlanOp, { op: "stats" }> = {
          op: "stats",
          keys,
          items,
          slots: ctx.slots as Extract<RExpr, { k: "agg" }>[],
          timeKey,
          timeKeys,
          offsetMs,
        };
        b.ops.push(op);
        b.lastStats = op;
        b.timeSeries = timeKey >= 0;
        b.replaceRows(out);
        b.selectAll([...out.columns].map(([name, type]) => ({ name, type, expr: { k: "column", name, path: [], type, ast: cmd.by[0]?.expr ?? cmd.aggs[0]!.expr } })));
        break;
      }
      case "sort": {
        const keys = cmd.keys.map((k) => ({ expr: resolveExpr(k.expr, b.scope, undefined, "in sort"), desc: k.dir === "desc" }));
        b.ops.push({ op: "sort", keys, implicit: false });
        break;
      }
      case "limit": {
        if (cmd.countParam?.kind === "param") throw new QueryError(`the template parameter {{${cmd.countParam.name}}} has no value`, cmd.countParam.span);
        const count = cmd.countParam?.kind === "number" ? cmd.countParam.value : cmd.count;
        if (!Number.isInteger(count) || count < 0) throw new QueryError(`${cmd.keyword} needs a whole number of rows`, cmd.countParam?.span ?? cmd.span);
        const k = cmd.keyword.toLowerCase();
        // tail keeps the last rows: limit keeps the first, so the same rows are limit's after the other order
        if (k === "head") b.warnings.push(`\`${cmd.keyword}\` is deprecated in Logs Insights: use \`limit\``);
        if (k === "tail") b.warnings.push(`\`${cmd.keyword}\` is deprecated in Logs Insights: for the same rows, sort the other way and use \`limit\` (\`tail\` keeps the last rows, \`limit\` the first)`);
        b.ops.push({ op: "limit", count, fromEnd: k === "tail", keyword: cmd.keyword });
        break;
      }
      case "dedup": {
        const keys = cmd.fields.map((f) => resolveExpr(f, b.scope, undefined, "in dedup"));
        b.ops.push({ op: "dedup", keys });
        break;
      }
      case "unnest": {
        const list = resolveExpr(cmd.expr, b.scope, undefined, "in unnest");
        // shown by default as parse's names are: without it the rows would look like copies of one another
        b.addParsed([cmd.alias], "any");
        b.ops.push({ op: "unnest", list, alias: cmd.alias });
        break;
      }
      case "source":
        if (cmd !== query.commands[0]) throw new QueryError("SOURCE must be the first command", cmd.span);
        b.source = sourceSelection(cmd, b.now, (m) => b.warnings.push(m));
        break;
      case "generic": {
        const planner = GENERIC_PLANNERS.get(cmd.name.toLowerCase());
        // every command word the parser knows has a planner
        if (!planner) throw new Error(`internal error: no plan for the command ${cmd.keyword}`);
        planner(cmd, b);
        break;
      }
    }
  }

  // The default order: rows come newest first; a time series comes oldest first. It is set before
  // the first command that depends on order (limit, dedup) unless the query sorted earlier.
  insertImplicitOrder(b.ops);

  let columns: OutputColumn[];
  let eventRows: OutputColumn[] | undefined;
  if (b.displayed) columns = b.displayed;
  else if (b.selected.length > 0) columns = b.selected;
  else {
    if (!b.scope.afterStats) eventRows = [...b.scope.columns].map(([n, t]) => b.column(n, t));
    // a made column of a default one's name (appendcols of a subquery's @timestamp) shows in its place
    const made = new Map(b.madeColumns.map((c) => [c.name, c]));
    const shown = (name: "@timestamp" | "@message", type: OutputColumn["type"]): OutputColumn => (made.has(name) ? b.column(name, made.get(name)!.type) : { name, type, expr: sys(name, query) });
    columns = [shown("@timestamp", "time"), shown("@message", "string"), ...b.madeColumns.filter((c) => c.name !== "@timestamp" && c.name !== "@message").map((c) => b.column(c.name, c.type))];
  }
  if (b.estimate) {
    columns = ESTIMATE_COLUMNS.map((n) => b.column(n, "number"));
  }
  fuseTopK(b.ops);
  const plan: Plan = { query, ops: b.ops, columns, timeSeries: b.timeSeries, warnings: b.warnings, now: b.now };
  if (b.source) plan.source = b.source;
  if (b.estimate) plan.estimate = true;
  else if (eventRows) plan.eventRows = eventRows;
  checkCompiles(plan);
  return plan;
}

function sys(name: "@timestamp" | "@message", query: Query): RExpr {
  return { k: "system", name, type: name === "@timestamp" ? "time" : "string", ast: fieldRef(name, query.span) };
}

/** Commands whose result depends on the order the rows come in (besides sort, which sets it). */
const ORDERED = new Set<PlanOp["op"]>(["limit", "dedup", "accum", "autoregress", "filldown", "appendcols"]);

/**
 * Place the default order. Events come newest first: before the first command that depends on
 * their order (ORDERED) unless the query sorts first, also when a stats comes after (`limit 3 |
 * stats ...` counts the 3 newest events); with no stats, at the end. After a time-series stats:
 * oldest bucket first, unless a sort orders its rows first.
 */
function insertImplicitOrder(ops: PlanOp[]): void {
  const firstStats = ops.findIndex((o) => o.op === "stats");
  const events = firstStats < 0 ? ops.length : firstStats;
  const at = ops.findIndex((o, i) => i < events && (o.op === "sort" || ORDERED.has(o.op)));
  if (at >= 0 ? ops[at]!.op !== "sort" : firstStats < 0) {
    const ts: RExpr = {
      k: "system",
      name: "@timestamp",
      type: "time",
      ast: fieldRef("@timestamp", { start: 0, end: 0, line: 1, col: 1 }),
    };
    ops.splice(at < 0 ? ops.length : at, 0, { op: "sort", keys: [{ expr: ts, desc: true }], implicit: true });
  }
  // after each time-series stats: oldest bucket first, unless a sort orders its rows before any
  // command whose result depends on their order (a sort further on left `accum`, `limit` or
  // another stats between the two reading the buckets in the files' order)
  for (let i = 0; i < ops.length; i++) {
    const stats = ops[i]!;
    if (stats.op !== "stats" || stats.timeKey < 0) continue;
    const next = ops.slice(i + 1).find((o) => o.op === "sort" || o.op === "stats" || ORDERED.has(o.op));
    if (next?.op === "sort") continue;
    const key = stats.keys[stats.timeKey]!;
    const expr: RExpr = { k: "column", name: key.name, path: [], type: "time", ast: key.expr.ast };
    ops.splice(i + 1, 0, { op: "sort", keys: [{ expr, desc: false }], implicit: true });
  }
}

/** A sort directly followed by a limit keeps only the first rows: a bounded top-k instead of a full sort. */
function fuseTopK(ops: PlanOp[]): void {
  for (let i = 0; i + 1 < ops.length; i++) {
    const s = ops[i]!;
    const l = ops[i + 1]!;
    if (s.op === "sort" && l.op === "limit" && !l.fromEnd) s.topK = l.count;
  }
}

