// A checked plan → one SQL query. Operators fold into a SELECT while SQL's clause order allows
// (WHERE, then the select list, ORDER BY, LIMIT); an operator that must see the result of an earlier
// one (a filter after a limit, a dedup's window, the rows of stats) starts a SELECT around it.
// Columns made by commands are kept as expressions and inlined where they are used; they become
// columns of a subquery only when a SELECT is wrapped.
import type { Plan, PlanOp } from "../plan/plan.js";
import type { RExpr } from "../check/rexpr.js";
import type { ValueType } from "../functions/types.js";
import type { TimeRange } from "../time/range.js";
import { queryRange } from "../exec/run.js";
import { DIALECTS, lit, type Dialect, type DialectName } from "./dialect.js";
import { ExprTranslator, isNumberLiteral, refuse, sqlRegex, timestampOf, type SqlExpr, type SqlType } from "./expr.js";
import { DEFAULT_TABLE, PARTITIONS, TABLE_COLUMNS, quoteIdent, sqlName } from "./schema.js";

export interface TranslateOptions {
  dialect: DialectName;
  table?: string;
  /** --start/--end/--since, --account, --region. */
  range?: TimeRange;
  accounts?: string[];
  regions?: string[];
  /** DuckDB: a WITH clause that defines the table (the view over local files) before the query. */
  prelude?: string;
  /** Count every copy of an event (--keep-duplicates); by default an eventID met before is skipped, as trailq does. */
  keepDuplicates?: boolean;
}

export interface OutputSpec {
  name: string;
  /** The plan's type (how trailq prints the value). */
  type: ValueType;
  /** How the SQL gives it: json columns are JSON text. */
  sql: SqlType;
}

export interface Translation {
  sql: string;
  columns: OutputSpec[];
}

interface OrderItem {
  expr: string;
  desc: boolean;
}

/** One SELECT being built: its source, conditions, the columns made so far, order and limit. */
interface Stage {
  from: string;
  where: string[];
  env: Map<string, SqlExpr>;
  order: OrderItem[];
  limit?: number;
  /** tail: the limit keeps the last rows of the order. */
  fromEnd?: boolean;
  /** The table's columns can be read (before stats). */
  events: boolean;
  /** The input order of the rows, where the engine knows it: the last key of every order. */
  tiebreak?: string;
}

const COMMAND_OF: Partial<Record<PlanOp["op"], string>> = {
  parseFormat: "parse ... logfmt/csv",
  unnest: "unnest",
  accum: "accum",
  autoregress: "autoregress",
  filldown: "filldown",
  expand: "expand",
  fillmissing: "fillmissing",
  countFrequent: "countFrequent",
  sessionize: "sessionize",
  outlier: "outlier",
  relevantfields: "relevantfields",
  pattern: "pattern/diff/anomaly",
  lookup: "lookup",
  join: "join",
  appendcols: "appendcols",
  cidrlookup: "cidrlookup",
  addtotals: "addtotals",
};

const indent = (s: string): string => s.replace(/^/gm, "  ");

export function translatePlan(plan: Plan, opts: TranslateOptions): Translation {
  return new Translator(plan, opts).run();
}

class Translator {
  private readonly d: Dialect;
  private readonly used = new Set<string>(TABLE_COLUMNS.map((c) => sqlName(c.key)));

  constructor(private readonly plan: Plan, private readonly opts: TranslateOptions) {
    this.d = DIALECTS[opts.dialect];
    for (const p of Object.values(PARTITIONS)) this.used.add(p);
    // the view's own row-order column: a field named so must not be read as it
    if (this.d.rowOrder) this.used.add(this.d.rowOrder.toLowerCase());
  }

  run(): Translation {
    const plan = this.plan;
    if (plan.estimate) refuse("estimate", "it describes the files trailq would read, not rows");
    const table = (this.opts.table ?? DEFAULT_TABLE).split(".").map(quoteIdent).join(".");
    const range = this.rangeConditions();
    const [from, where] = this.opts.keepDuplicates ? [table, range] : [this.eachEventOnce(table, range), []];
    let st: Stage = { from, where, env: new Map(), order: [], events: true };
    if (this.d.rowOrder) st.tiebreak = this.d.rowOrder;
    for (const op of plan.ops) st = this.op(st, op);
    const x = this.x(st);
    const columns: OutputSpec[] = [];
    const items = plan.columns.map((c) => {
      const v = x.expr(c.expr);
      let sql: string;
      let t: SqlType = v.t;
      if (v.t === "json" || v.t === "struct" || v.t === "list") {
        sql = this.d.jsonOutput(x.jsonText(v), v.json);
        t = "json";
      } else sql = x.value(v);
      columns.push({ name: c.name, type: c.type, sql: t });
      return sql === quoteIdent(c.name) ? sql : `${sql} AS ${quoteIdent(c.name)}`;
    });
    const body = this.select(st, items, true);
    return { sql: (this.opts.prelude ? this.opts.prelude + "\n" : "") + body + "\n", columns };
  }

  private x(st: Stage, extra: Partial<ConstructorParameters<typeof ExprTranslator>[0]> = {}): ExprTranslator {
    return new ExprTranslator({ d: this.d, env: st.env, now: this.plan.now, ...(st.tiebreak ? { tiebreak: st.tiebreak } : {}), ...extra });
  }

  /**
   * The table's events less the copies of an eventID met before (as trailq skips them): the first
   * in the dialect's order of copies is kept; an event without an eventID is never a copy. The
   * range's conditions go inside, where they prune partitions.
   */
  private eachEventOnce(table: string, range: string[]): string {
    // an empty eventID is none (event-ids.ts: eventIdOf): such events are each kept
    const id = `nullif(${quoteIdent(sqlName("eventID"))}, '')`;
    const copy = this.ident("copy_number");
    // with a column that tells rows apart, the events without an eventID are each a partition of
    // their own, and the filter is the plain `= 1` (DuckDB 1.x fails on the OR beside its window)
    const row = this.d.rowOrder;
    const partition = row ? `${id}, CASE WHEN ${id} IS NULL THEN ${row} END` : id;
    const first = row ? `${copy} = 1` : `${id} IS NULL OR ${copy} = 1`;
    const inner = `SELECT *, row_number() OVER (PARTITION BY ${partition} ORDER BY ${this.d.copyOrder}) AS ${copy}\nFROM ${table}${range.length ? `\nWHERE ${range.join("\n  AND ")}` : ""}`;
    return `(\n${indent(`SELECT *\nFROM (\n${indent(inner)}\n) AS ${this.ident("copies")}\nWHERE ${first}`)}\n) AS ${this.ident("events")}`;
  }

  /** The time range, accounts and regions: exact conditions, and the partitions they fall in. */
  private rangeConditions(): string[] {
    const sel = queryRange(this.plan, { ...(this.opts.range ? { range: this.opts.range } : {}), ...(this.opts.accounts ? { accounts: this.opts.accounts } : {}), ...(this.opts.regions ? { regions: this.opts.regions } : {}) });
    const out: string[] = [];
    // a day folder's name (YYYY/MM/DD); none past the year 9999 (ISO writes +010000-01-01, which
    // sorts before every day: no folder would match), where the range is open
    const day = (ms: number): string | undefined => {
      const iso = new Date(ms).toISOString();
      return /^\d{4}-/.test(iso) ? lit(iso.slice(0, 10).replace(/-/g, "/")) : undefined;
    };
    const part = quoteIdent(PARTITIONS.day);
    // a day folder holds the files delivered that day: events up to an hour older than its end
    const HOUR = 3_600_000;
    const from = sel.start !== undefined ? day(sel.start) : undefined;
    const to = sel.end !== undefined ? day(sel.end + HOUR) : undefined;
    if (from !== undefined && to !== undefined) out.push(`${part} BETWEEN ${from} AND ${to}`);
    else if (from !== undefined) out.push(`${part} >= ${from}`);
    else if (to !== undefined) out.push(`${part} <= ${to}`);
    const ts = timestampOf(this.d).sql;
    if (sel.start !== undefined && sel.end !== undefined) out.push(`${ts} BETWEEN ${this.d.timeLit(sel.start)} AND ${this.d.timeLit(sel.end)}`);
    else if (sel.start !== undefined) out.push(`${ts} >= ${this.d.timeLit(sel.start)}`);
    else if (sel.end !== undefined) out.push(`${ts} <= ${this.d.timeLit(sel.end)}`);
    // an empty selection (SOURCE's accounts and --account that share none) selects nothing: `IN ()` is no SQL
    const inList = (col: string, xs: string[]): string => (xs.length ? `${col} IN (${xs.map(lit).join(", ")})` : "false");
    // an event without recipientAccountId (before version 1.02) or awsRegion is its folder's
    if (sel.accounts) out.push(inList(PARTITIONS.account, sel.accounts), inList(`coalesce(recipientaccountid, ${PARTITIONS.account})`, sel.accounts));
    if (sel.regions) out.push(inList(PARTITIONS.region, sel.regions), inList(`coalesce(awsregion, ${PARTITIONS.region})`, sel.regions));
    return out;
  }

  private op(st: Stage, op: PlanOp): Stage {
    switch (op.op) {
      case "filter": {
        if (st.limit !== undefined) st = this.wrap(st);
        const x = this.x(st);
        for (const c of conjuncts(op.pred)) st.where.push(unparen(x.truthy(x.expr(c)).sql));
        return st;
      }
      case "compute": {
        const x = this.x(st);
        const made = op.items.map((i) => [i.name, x.expr(i.expr)] as const);
        for (const [name, v] of made) st.env.set(name, v);
        return st;
      }
      case "parse": {
        if (op.multi) refuse("parse ... multi", "a row per match has no plain SQL equivalent");
        const x = this.x(st);
        const src = x.text(x.expr(op.source));
        const re = sqlRegex(op.regex);
        const numbers = groupNumbers(op.regex);
        op.names.forEach((name, i) => {
          const g = op.groups[i]!;
          const num = typeof g === "number" ? g : numbers.get(g);
          if (num === undefined) refuse(`parse ... as ${name}`, "its regex group was not found");
          st.env.set(name, { sql: this.d.regexExtract(src, re, num), t: "str" });
        });
        return st;
      }
      case "stats":
        return this.stats(st, op);
      case "sort": {
        if (st.limit !== undefined) st = this.wrap(st);
        const x = this.x(st);
        const items = op.keys.flatMap((k) => sortItems(x, x.expr(k.expr), k.desc));
        // sort is stable: rows that tie keep the order they had
        st.order = [...items, ...st.order];
        return st;
      }
      case "limit": {
        if (st.limit !== undefined) st = this.wrap(st);
        if (op.fromEnd && st.order.length === 0) refuse(op.keyword, "the last rows need an order: sort first");
        st.limit = op.count;
        if (!op.fromEnd) return st;
        // the last rows: the first of the reversed order, then back in the order
        st.fromEnd = true;
        return this.wrap(st);
      }
      case "dedup": {
        if (st.limit !== undefined) st = this.wrap(st);
        const x = this.x(st);
        const keys = op.keys.map((k) => {
          const v = x.expr(k);
          return v.t === "json" || v.t === "struct" || v.t === "list" ? x.jsonText(v) : x.value(v);
        });
        const o = fullOrder(st);
        const order = o.length ? ` ORDER BY ${o.map(orderText).join(", ")}` : "";
        const rn = this.ident("__rn");
        // rows with a null key are all kept
        const window = `CASE WHEN ${keys.map((k) => `${k} IS NULL`).join(" OR ")} THEN 1 ELSE row_number() OVER (PARTITION BY ${keys.join(", ")}${order}) END AS ${rn}`;
        const out = this.wrap(st, [window]);
        out.where.push(`${rn} = 1`);
        return out;
      }
      default:
        return refuse(COMMAND_OF[op.op] ?? op.op, "this command has no SQL translation");
    }
  }

  private stats(st: Stage, op: Extract<PlanOp, { op: "stats" }>): Stage {
    if (st.limit !== undefined) st = this.wrap(st);
    const shift = op.offsetMs;
    const base = this.x(st);
    const keyX = shift
      ? this.x(st, { timestamp: () => ({ sql: this.d.addTime(timestampOf(this.d).sql, -shift, "millisecond"), t: "time" }) })
      : base;
    const keys = op.keys.map((k, i) => {
      const time = op.timeKeys.includes(i);
      let v = (time ? keyX : base).expr(k.expr);
      if (time && shift) v = { sql: this.d.addTime(v.sql, shift, "millisecond"), t: "time" };
      if (v.t === "json" || v.t === "struct" || v.t === "list") return { name: k.name, v: { sql: base.jsonText(v), t: "json" as const } };
      return { name: k.name, v: { sql: base.value(v), t: v.t } };
    });
    const aggs = op.slots.map((s) => base.aggregate(s));
    // only the columns of stats exist after it: names are free again
    this.used.clear();
    // the items see the group keys, the aggregates and the earlier items
    const itemX = new ExprTranslator({ d: this.d, now: this.plan.now, env: new Map(keys.map((k) => [k.name, withJson(k.v)])), aggs: (slot) => aggs[slot]! });
    const select: string[] = [];
    const outEnv = new Map<string, SqlExpr>();
    const named = (name: string, v: SqlExpr): void => {
      const id = this.ident(name);
      select.push(`${v.t === "bool" ? itemX.value(v) : v.sql} AS ${id}`);
      outEnv.set(name, withJson({ sql: id, t: v.t }));
    };
    for (const k of keys) named(k.name, k.v);
    // groups come in the order of their first row
    const first = st.tiebreak ? this.ident("__first") : undefined;
    if (first) select.push(`min(${st.tiebreak}) AS ${first}`);
    for (const item of op.items) {
      const v = itemX.expr(item.expr);
      const val: SqlExpr = v.t === "struct" || v.t === "list" ? { sql: itemX.jsonText(v), t: "json" } : v;
      itemX.c.env.set(item.name, val);
      named(item.name, val);
    }
    // a key that is a number written as it is groups nothing, and GROUP BY 1 would be the first column
    const grouped = keys.filter((k) => !isNumberLiteral(k.v.sql));
    const group = grouped.length ? `\nGROUP BY ${grouped.map((k) => k.v.sql).join(", ")}` : "";
    const inner = `SELECT ${select.join(",\n  ")}\nFROM ${st.from}${st.where.length ? `\nWHERE ${st.where.join("\n  AND ")}` : ""}${group}`;
    const out: Stage = { from: `(\n${indent(inner)}\n) AS ${this.ident("s")}`, where: [], env: outEnv, order: [], events: false };
    if (first) out.tiebreak = first;
    return out;
  }

  /** A unique column name for a subquery (SQL names are case-insensitive). */
  private ident(name: string): string {
    let base = name.toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/(.)_+$/, "$1") || "c";
    if (/^\d/.test(base)) base = "c_" + base;
    let id = base;
    for (let i = 2; this.used.has(id.toLowerCase()); i++) id = `${base}_${i}`;
    this.used.add(id.toLowerCase());
    return quoteIdent(id);
  }

  /** The stage as a subquery of a new stage: its columns and order keys become columns. */
  private wrap(st: Stage, extra: string[] = []): Stage {
    const x = this.x(st);
    const items = ["*"];
    const env = new Map<string, SqlExpr>();
    for (const [name, v] of st.env) {
      if (isColumnRef(v)) {
        env.set(name, v);
        continue;
      }
      const id = this.ident(name);
      const val: SqlExpr = v.t === "struct" || v.t === "list" ? { sql: x.jsonText(v), t: "json" } : { sql: x.value(v), t: v.t };
      items.push(`${val.sql} AS ${id}`);
      env.set(name, withJson({ sql: id, t: val.t }));
    }
    const order: OrderItem[] = st.order.map((o) => {
      const id = this.ident("__o");
      items.push(`${o.expr} AS ${id}`);
      return { expr: id, desc: o.desc };
    });
    items.push(...extra);
    const inner = this.select(st, items);
    const out: Stage = { from: `(\n${indent(inner)}\n) AS ${this.ident("t")}`, where: [], env, order, events: st.events };
    if (st.tiebreak) out.tiebreak = st.tiebreak;
    return out;
  }

  private select(st: Stage, items: string[], final = false): string {
    let s = `SELECT ${items.join(",\n  ")}\nFROM ${st.from}`;
    if (st.where.length) s += `\nWHERE ${st.where.join("\n  AND ")}`;
    // a subquery's order matters only to its limit
    const full = st.limit !== undefined || final ? fullOrder(st) : [];
    const order = st.fromEnd ? full.map((o) => ({ expr: o.expr, desc: !o.desc, first: true })) : full;
    if (order.length) s += `\nORDER BY ${order.map(orderText).join(",\n  ")}`;
    if (st.limit !== undefined) s += `\nLIMIT ${st.limit}`;
    return s;
  }
}

/** The parts of a condition joined by and (each a WHERE item of its own). */
function conjuncts(e: RExpr): RExpr[] {
  return e.k === "binary" && e.op === "and" ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/** A condition without the parentheses around the whole of it, unless it is an OR (WHERE items are ANDed). */
function unparen(s: string): string {
  if (!s.startsWith("(") || !s.endsWith(")")) return s;
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "'") quoted = !quoted;
    if (quoted) continue;
    if (c === "(") depth++;
    else if (c === ")" && --depth === 0 && i < s.length - 1) return s;
    else if (depth === 1 && s.startsWith(" OR ", i)) return s;
  }
  return s.slice(1, -1);
}

function fullOrder(st: Stage): OrderItem[] {
  return st.tiebreak ? [...st.order, { expr: st.tiebreak, desc: false }] : st.order;
}

function orderText(o: OrderItem & { first?: boolean }): string {
  return `${o.expr} ${o.desc ? "DESC" : "ASC"} ${o.first ? "NULLS FIRST" : "NULLS LAST"}`;
}

function sortItems(x: ExprTranslator, v: SqlExpr, desc: boolean): OrderItem[] {
  return x.sortItems(v, desc).map((s) => {
    const m = /^(.*) (ASC|DESC) NULLS LAST$/s.exec(s);
    return m ? { expr: m[1]!, desc: m[2] === "DESC" } : { expr: s, desc: false };
  });
}

function isColumnRef(v: SqlExpr): boolean {
  return /^"?[A-Za-z_][A-Za-z0-9_]*"?$/.test(v.sql) && !v.pred;
}

/** A column holding JSON text reads its members with JSON paths. */
function withJson(v: SqlExpr): SqlExpr {
  return v.t === "json" ? { ...v, json: { base: v.sql, path: "$" } } : v;
}

/** The number of each named group (JS names such as g0) among all capturing groups of a regex. */
function groupNumbers(re: { source: string }): Map<string, number> {
  const out = new Map<string, number>();
  const s = re.source;
  let n = 0;
  let inClass = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(") {
      if (s[i + 1] !== "?") n++;
      else {
        const m = /^\(\?<([A-Za-z0-9_]+)>/.exec(s.slice(i));
        if (m) out.set(m[1]!, ++n);
      }
    }
  }
  return out;
}
