// From the AST to the checked plan: walks the commands in order, keeping track of which names
// exist (the Scope), resolving every expression, applying the command-order rules, and working
// out the output columns. Every user error leaves here as a QueryError with a span.
import { QueryError } from "../errors.js";
import type { Expr, GenericCmd, Projection, Query } from "../lang/ast.js";
import { addTotals } from "./commands/addtotals.js";
import { cidrLookupOp, lookupOp } from "./commands/lookup.js";
import { appendcolsOp, joinOp } from "./commands/join.js";
import { searchOp } from "./commands/search.js";
import { sourceSelection } from "./commands/source.js";
import { accumOp, autoregressOp, countFrequentOp, expandOp, filldownOp, fillmissingOp, outlierOp, sessionizeOp } from "./commands/window.js";
import { resolveExpr, resolveField, hasAggregate, type AggregateContext } from "../check/resolve.js";
import { someNode, type RExpr } from "../check/rexpr.js";
import { globToRegex, translateRegex } from "../check/regex.js";
import { FIXED_UNIT_MS } from "../time/periods.js";
import { findFunction } from "../functions/registry.js";
import type { ScalarFn, ValueType } from "../functions/types.js";
import type { NamedExpr, OutputColumn, Plan, PlanOp } from "./plan.js";
import { fieldRef, PlanBuilder, type BuildOptions } from "./builder.js";

export type { BuildOptions };

const TIME_BUCKET_FUNCTIONS = new Set(["bin", "datefloor", "dateceil"]);

/** The column name of an item: its alias, or its text as written (backticks removed for a plain field). */
function columnName(p: Projection): string {
  if (p.alias !== undefined) return p.alias;
  return p.expr.kind === "field" ? p.expr.name : p.expr.text;
}

/**
 * A projection (fields, display): an item is computed into a column unless it is a plain field
 * reference without alias. Gives the output columns.
 */
function project(b: PlanBuilder, items: Projection[], keyword: string): OutputColumn[] {
  const compute: NamedExpr[] = [];
  const cols: OutputColumn[] = [];
  const before = b.scope.clone();
  for (const p of items) {
    const expr = resolveExpr(p.expr, before, undefined, `in ${keyword}`);
    const name = columnName(p);
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
  for (const cmd of query.commands) {
    switch (cmd.kind) {
      case "fields":
        project(b, cmd.items, "fields").forEach((c) => b.select(c));
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
          const { regex, stars } = globToRegex(cmd.pattern ?? "");
          if (stars !== cmd.names.length) {
            throw new QueryError(
              `the pattern has ${stars} * but ${cmd.names.length} name${cmd.names.length === 1 ? " follows" : "s follow"} as`,
              patternSpan,
              "each * in a parse pattern needs one name after as",
            );
          }
          op = { op: "parse", source, mode: "glob", regex, names: cmd.names, groups: cmd.names.map((_, i) => i + 1), multi: cmd.multi };
        } else {
          const t = translateRegex(cmd.pattern ?? "", patternSpan, cmd.multi ? "g" : "");
          let names: string[];
          let groups: (number | string)[];
          if (cmd.names.length > 0) {
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
        const timeKey = keys.findIndex((k) => k.expr.k === "call" && TIME_BUCKET_FUNCTIONS.has(k.expr.fn.name.toLowerCase()));
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
        const op: Extract<PlanOp, { op: "stats" }> = {
          op: "stats",
          keys,
          items,
          slots: ctx.slots as Extract<RExpr, { k: "agg" }>[],
          timeKey,
          offsetMs,
        };
        b.ops.push(op);
        b.lastStats = op;
        b.timeSeries = timeKey >= 0;
        b.replaceRows(out);
        for (const [name, type] of out.columns) {
          b.select({ name, type, expr: { k: "column", name, path: [], type, ast: cmd.by[0]?.expr ?? cmd.aggs[0]!.expr } });
        }
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
        if (k === "head" || k === "tail") b.warnings.push(`\`${cmd.keyword}\` is deprecated in Logs Insights: use \`limit\``);
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
        b.scope.define(cmd.alias, "any");
        b.ops.push({ op: "unnest", list, alias: cmd.alias });
        break;
      }
      case "source":
        if (cmd !== query.commands[0]) throw new QueryError("SOURCE must be the first command", cmd.span);
        b.source = sourceSelection(cmd, b.now, (m) => b.warnings.push(m));
        break;
      case "generic": {
        const name = cmd.name.toLowerCase();
        if (name === "unmask") {
          b.warnings.push("unmask does nothing here: CloudTrail logs have no masked data");
          break;
        }
        if (name === "addtotals") {
          b.materialize();
          const op = addTotals(cmd, b.selected, b.displayed);
          if (op.rowTotal) {
            const total = op.rowTotal.name;
            b.addColumn(total, "number", !b.displayed?.some((c) => c.name === total));
          }
          b.ops.push(op);
          break;
        }
        if (name === "accum" || name === "autoregress" || name === "expand") {
          const op = name === "accum" ? accumOp(cmd, b.scope) : name === "autoregress" ? autoregressOp(cmd, b.scope) : expandOp(cmd, b.scope);
          const made = op.op === "autoregress" ? op.outputs.map((o) => o.name) : [op.name];
          for (const n of made) {
            // a new column shows in the output; one that replaces a field keeps its place
            const col = b.addColumn(n, "any");
            if (b.displayed) {
              const j = b.displayed.findIndex((c) => c.name === n);
              if (j >= 0) b.displayed[j] = col;
              else if (op.op !== "expand") b.displayed.push(col);
            }
          }
          b.ops.push(op);
          break;
        }
        if (name === "filldown") {
          b.materialize();
          b.ops.push(filldownOp(cmd, (b.displayed ?? b.selected).map((c) => c.name)));
          break;
        }
        if (name === "fillmissing") {
          b.ops.push(fillmissingOp(cmd, b.lastStats));
          break;
        }
        if (name === "estimate") {
          if (cmd !== query.commands[query.commands.length - 1]) throw new QueryError("estimate must be the last command", cmd.span);
          b.estimate = true;
          break;
        }
        if (name === "logcompare") {
          // logcompare timeshift D: the patterns of @message now against D before (as pattern | diff)
          const a = cmd.args.filter((x) => x.kind !== "comma");
          const d = a[1]?.kind === "expr" ? a[1].expr : undefined;
          if (a[0]?.kind !== "keyword" || a[0].word.toLowerCase() !== "timeshift" || d?.kind !== "period" || !FIXED_UNIT_MS[d.unit]) {
            throw new QueryError("write: logcompare timeshift 7d", cmd.span);
          }
          const op: Extract<PlanOp, { op: "pattern" }> = {
            op: "pattern",
            source: resolveField(fieldRef("@message", cmd.span), b.scope),
            diff: { shiftMs: d.amount * FIXED_UNIT_MS[d.unit]! },
          };
          b.ops.push(op);
          b.onlyColumns(patternColumns(op));
          break;
        }
        if (name === "join" || name === "appendcols") {
          if (b.opts.nested) throw new QueryError(`${cmd.keyword} can't be used inside a subquery`, cmd.span);
          if (name === "join") {
            if (b.ops.some((o) => o.op === "join")) throw new QueryError("a query can have only one join", cmd.span);
            b.ops.push(joinOp(cmd, b.scope, b.planSub));
          } else {
            const op = appendcolsOp(cmd, b.planSub);
            for (const c of op.sub.columns) b.addColumn(c.name, c.type);
            b.ops.push(op);
          }
          break;
        }
        if (name === "search") {
          b.ops.push(searchOp(cmd, b.scope));
          break;
        }
        if (name === "json") {
          // json field=F "key.sub" as alias: jsonParse(F).key.sub into a column
          const a = cmd.args.filter((x) => x.kind !== "comma");
          const f = a[0];
          const path = a[1];
          const alias = a[2]?.kind === "keyword" && a[2].word.toLowerCase() === "as" ? a[3] : undefined;
          if (f?.kind !== "option" || f.name.toLowerCase() !== "field" || f.value.kind !== "field" || path?.kind !== "expr" || path.expr.kind !== "string" || alias?.kind !== "expr" || alias.expr.kind !== "field") {
            throw new QueryError('write: json field=FIELD "key.path" as NAME', cmd.span);
          }
          const jsonParse = findFunction("jsonParse") as ScalarFn;
          let expr: RExpr = { k: "call", fn: jsonParse, args: [resolveField(f.value, b.scope)], type: "any", ast: f.value };
          for (const key of path.expr.value.split(".")) expr = { k: "member", target: expr, key, type: "any", ast: path.expr };
          const out = alias.expr.name;
          b.ops.push({ op: "compute", items: [{ name: out, expr }] });
          b.addColumn(out, "any");
          break;
        }
        if (name === "countfrequent" || name === "count_frequent") {
          const op = countFrequentOp(cmd, b.scope);
          b.onlyColumns([...op.keys.map((k) => [k.name, k.expr.type] as const), ["_approxcount", "number"]]);
          b.ops.push(op);
          break;
        }
        if (name === "sessionize") {
          const op = sessionizeOp(cmd, b.scope);
          b.addColumn(op.name, "number", true);
          b.ops.push(op);
          break;
        }
        if (name === "outlier") {
          b.materialize();
          const op = outlierOp(cmd, b.scope);
          if (op.mark) for (const f of op.fields) b.addColumn(`${f}_outlier`, "number", true);
          b.ops.push(op);
          break;
        }
        if (name === "relevantfields") {
          const a = cmd.args.filter((x) => x.kind !== "comma");
          const at = a.findIndex((x) => x.kind === "keyword" && x.word.toLowerCase() === "where");
          let cond = a[at + 1];
          // `where x = 1` reads as the option x=1 in a command's arguments: it is the condition
          if (cond?.kind === "option" && cond.value.kind !== "word") {
            const left: Expr = fieldRef(cond.name, cond.span);
            cond = { kind: "expr", span: cond.span, expr: { kind: "binary", op: "=", left, right: cond.value, span: cond.span, text: query.source.slice(cond.span.start, cond.span.end) } };
          }
          if (at < 0 || cond?.kind !== "expr" || at + 2 !== a.length) throw new QueryError("write: relevantfields [field, ...] where CONDITION", cmd.span);
          const fields = a.slice(0, at).map((x): NamedExpr => {
            if (x.kind !== "expr" || x.expr.kind !== "field") throw new QueryError("relevantfields takes field names before where", x.span);
            return { name: x.expr.name, expr: resolveField(x.expr, b.scope) };
          });
          b.ops.push({ op: "relevantfields", fields, cond: resolveExpr(cond.expr, b.scope, undefined, "in relevantfields") });
          b.onlyColumns([["@fieldName", "string"], ["@relevanceScore", "number"], ["@topRelevanceContributors", "string"], ["@conditionalMedian", "number"], ["@baselineMedian", "number"]]);
          break;
        }
        if (name === "anomaly") {
          if (cmd.args.length) throw new QueryError("anomaly takes no arguments: pattern FIELD | anomaly", cmd.span);
          const op = patternBefore(cmd, b);
          op.anomaly = true;
          b.onlyColumns(patternColumns(op));
          break;
        }
        if (name === "pattern" || name === "diff") {
          let op: Extract<PlanOp, { op: "pattern" }>;
          if (name === "pattern") {
            if (b.ops.some((o) => o.op === "sort")) throw new QueryError("pattern can't come after sort", cmd.span);
            const a = cmd.args.filter((x) => x.kind !== "comma");
            const src = a[0];
            if (a.length > 1 || (src && src.kind !== "expr")) throw new QueryError("pattern takes one field: pattern @message", cmd.span);
            const source = src ? resolveExpr((src as { expr: Expr }).expr, b.scope, undefined, "in pattern") : resolveField(fieldRef("@message", cmd.span), b.scope);
            op = { op: "pattern", source };
            b.ops.push(op);
          } else {
            // diff after pattern compares its patterns; on its own, the patterns of @message
            op = patternBefore(cmd, b);
            op.diff = diffShift(cmd);
          }
          b.onlyColumns(patternColumns(op));
          break;
        }
        if (name === "lookup" || name === "cidrlookup") {
          const op = name === "lookup" ? lookupOp(cmd, b.scope, b.opts.lookups) : cidrLookupOp(cmd, b.scope, b.opts.lookups);
          for (const o of op.outputs) b.addColumn(o.name, "string");
          b.ops.push(op);
          break;
        }
        // every command word the parser knows is planned above
        throw new Error(`internal error: no plan for the command ${cmd.keyword}`);
      }
    }
  }

  // The default order: rows come newest first; a time series comes oldest first. It is set before
  // the first command that depends on order (limit, dedup) unless the query sorted earlier.
  insertImplicitOrder(b.ops, b.lastStats);

  let columns: OutputColumn[];
  let eventRows: OutputColumn[] | undefined;
  if (b.displayed) columns = b.displayed;
  else if (b.selected.length > 0) columns = b.selected;
  else {
    if (!b.scope.afterStats) eventRows = [...b.scope.columns].map(([n, t]) => b.column(n, t));
    columns = [
      { name: "@timestamp", type: "time", expr: sys("@timestamp", query) },
      { name: "@message", type: "string", expr: sys("@message", query) },
      ...b.parsedNames.map((n) => b.column(n, "string")),
    ];
  }
  if (b.estimate) {
    columns = ["files", "bytesOnDisk", "estimatedBytesDecoded", "estimatedEvents", "sampledFiles"].map((n) => b.column(n, "number"));
  }
  fuseTopK(b.ops);
  const plan: Plan = { query, ops: b.ops, columns, timeSeries: b.timeSeries, warnings: b.warnings, now: b.now };
  if (b.source) plan.source = b.source;
  if (b.estimate) plan.estimate = true;
  else if (eventRows) plan.eventRows = eventRows;
  return plan;
}

/** The pattern operator diff/anomaly extend: the one just before, else a new one on @message. */
function patternBefore(cmd: GenericCmd, b: PlanBuilder): Extract<PlanOp, { op: "pattern" }> {
  const last = b.ops[b.ops.length - 1];
  if (last?.op === "pattern" && !last.diff) return last;
  const op: Extract<PlanOp, { op: "pattern" }> = { op: "pattern", source: resolveField(fieldRef("@message", cmd.span), b.scope) };
  b.ops.push(op);
  return op;
}

/** The columns pattern gives, with diff's and anomaly's additions. */
function patternColumns(op: Extract<PlanOp, { op: "pattern" }>): [string, ValueType][] {
  const names = [
    "@pattern", "@ratio", "@sampleCount", "@severityLabel", "@sample",
    ...(op.diff ? ["@previousSampleCount", "@change", "@changePercent"] : []),
    ...(op.anomaly ? ["@anomaly", "@anomalyType", "@anomalyTime", "@expected", "@observed", "@score"] : []),
  ];
  return names.map((n) => [n, n === "@anomalyTime" ? "time" : ["@pattern", "@severityLabel", "@sample", "@change", "@anomalyType"].includes(n) ? "string" : "number"]);
}

const DAY = 86_400_000;

/** `diff` (the previous range of equal length), `diff previousDay|previousWeek|previousMonth` (30 days). */
function diffShift(cmd: GenericCmd): { shiftMs?: number } {
  const a = cmd.args.filter((x) => x.kind !== "comma");
  if (a.length === 0) return {};
  const w = a[0]!.kind === "expr" && (a[0] as { expr: Expr }).expr.kind === "field" ? ((a[0] as { expr: Expr }).expr as { name: string }).name.toLowerCase() : a[0]!.kind === "keyword" ? (a[0] as { word: string }).word.toLowerCase() : "";
  const shift = { previousday: DAY, previousweek: 7 * DAY, previousmonth: 30 * DAY }[w];
  if (a.length > 1 || shift === undefined) throw new QueryError("diff takes nothing, previousDay, previousWeek or previousMonth", a[0]!.span);
  return { shiftMs: shift };
}

function sys(name: "@timestamp" | "@message", query: Query): RExpr {
  return { k: "system", name, type: name === "@timestamp" ? "time" : "string", ast: fieldRef(name, query.span) };
}

/**
 * Place the default order. Without stats: events newest first, placed before the first command that
 * depends on order (limit, dedup) or at the end, unless the query sorts first. After a time-series
 * stats that no later sort orders: oldest bucket first.
 */
function insertImplicitOrder(ops: PlanOp[], lastStats: Extract<PlanOp, { op: "stats" }> | undefined): void {
  if (lastStats) {
    const at = ops.indexOf(lastStats);
    if (lastStats.timeKey < 0 || ops.slice(at + 1).some((o) => o.op === "sort")) return;
    const key = lastStats.keys[lastStats.timeKey]!;
    const expr: RExpr = { k: "column", name: key.name, path: [], type: "time", ast: key.expr.ast };
    ops.splice(at + 1, 0, { op: "sort", keys: [{ expr, desc: false }], implicit: true });
    return;
  }
  const at = ops.findIndex((o) => o.op === "limit" || o.op === "dedup" || o.op === "sort");
  if (at >= 0 && ops[at]!.op === "sort") return;
  const ts: RExpr = {
    k: "system",
    name: "@timestamp",
    type: "time",
    ast: fieldRef("@timestamp", { start: 0, end: 0, line: 1, col: 1 }),
  };
  ops.splice(at < 0 ? ops.length : at, 0, { op: "sort", keys: [{ expr: ts, desc: true }], implicit: true });
}

/** A sort directly followed by a limit keeps only the first rows: a bounded top-k instead of a full sort. */
function fuseTopK(ops: PlanOp[]): void {
  for (let i = 0; i + 1 < ops.length; i++) {
    const s = ops[i]!;
    const l = ops[i + 1]!;
    if (s.op === "sort" && l.op === "limit" && !l.fromEnd) s.topK = l.count;
  }
}

