// Resolved expressions (RExpr) → SQL. trailq's values are dynamic (numbers held in strings are
// numbers, `!=` is true on a missing field...), SQL's are typed: each translated expression carries
// its SQL type, and the rules of src/exec/values.ts are spelled out where the types need them.
import { UserError } from "../errors.js";
import type { RExpr } from "../check/rexpr.js";
import type { PeriodUnit } from "../lang/ast.js";
import { FIXED_UNIT_MS } from "../time/periods.js";
import { lit, numLit, type Dialect } from "./dialect.js";
import { findColumn, quoteIdent, sqlName, type ColumnType } from "./schema.js";
import { AGGREGATES, SCALARS } from "./functions.js";
import { parseDateText } from "../time/date-text.js";

/** SQL types of translated values. `json`: JSON text (NULL when missing or JSON null). */
export type SqlType = "str" | "num" | "bool" | "time" | "json" | "struct" | "list";

export interface SqlExpr {
  sql: string;
  t: SqlType;
  /** A condition whose NULL stands for false (a comparison with a null side): coalesce it for a value. */
  pred?: boolean;
  /** For json: the JSON text and path it was read from (scalars are read straight from there). */
  json?: { base: string; path: string };
  /** For struct/list read from the table: the schema type (member access walks it). */
  col?: ColumnType;
}

/** A translation that can't be made faithfully: the message names the command or function. */
export class Untranslatable extends UserError {}

export function refuse(what: string, why: string): never {
  throw new Untranslatable(`can't translate ${what} to SQL: ${why}`);
}

export interface ExprContext {
  d: Dialect;
  /** Columns made by earlier commands, as SQL over the current FROM. */
  env: Map<string, SqlExpr>;
  /** The query start (now()), epoch ms. */
  now: number;
  /** @timestamp as SQL; stats with offset shifts it for bin(). */
  timestamp?: () => SqlExpr;
  /** Inside stats: the aggregate of each slot, as SQL. */
  aggs?: (slot: number) => SqlExpr;
  /** The column of the rows' input order, when the dialect has one (Stage.tiebreak): ties keep the first row. */
  tiebreak?: string;
}

const NULL_STR: SqlExpr = { sql: "CAST(NULL AS varchar)", t: "str" };

/** A JSONPath for keys (numbers index arrays). */
export function jsonPath(base: string, keys: string[]): string {
  let p = base;
  for (const k of keys) p += /^\d+$/.test(k) ? `[${k}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : `["${k.replace(/["\\]/g, "\\$&")}"]`;
  return p;
}

export class ExprTranslator {
  constructor(readonly c: ExprContext) {}

  get d(): Dialect {
    return this.c.d;
  }

  // ----- conversions: the rules of src/exec/values.ts --------------------------------------------

  /** The value as SQL for a column or an argument (conditions made definite). */
  value(e: SqlExpr): string {
    return e.pred ? `coalesce(${e.sql}, false)` : e.sql;
  }

  /** toText: the text string functions see; NULL for structures. */
  text(e: SqlExpr): string {
    switch (e.t) {
      case "str":
        return e.sql;
      case "num":
        return `CASE WHEN ${e.sql} = floor(${e.sql}) AND abs(${e.sql}) <= 9007199254740992E0 THEN CAST(CAST(${e.sql} AS bigint) AS varchar) ELSE CAST(${e.sql} AS varchar) END`;
      case "bool":
        // a comparison is definite (false when a side is missing: 0, as it prints); a boolean
        // field the event lacks is NULL
        return e.pred ? `CASE WHEN ${e.sql} THEN '1' ELSE '0' END` : `CASE WHEN ${e.sql} THEN '1' WHEN NOT ${e.sql} THEN '0' END`;
      case "json":
        return e.json ? this.d.jsonScalar(e.json.base, e.json.path) : this.d.jsonScalar(e.sql, "$");
      case "time":
        return `CAST(${this.d.toMillis(e.sql)} AS varchar)`;
      default:
        return NULL_STR.sql;
    }
  }

  /** toNumber: numbers, booleans as 1/0, numbers held in text; else NULL. */
  num(e: SqlExpr): string {
    switch (e.t) {
      case "num":
        return e.sql;
      case "bool":
        return `CAST(${this.value(e)} AS integer)`;
      case "str":
        return this.numberIn(e.sql);
      case "json":
        // a JSON boolean is 1 or 0 (its JSON text is bare true or false; a string's is quoted)
        return `(CASE ${this.jsonText(e)} WHEN 'true' THEN 1E0 WHEN 'false' THEN 0E0 ELSE ${this.numberIn(this.text(e))} END)`;
      case "time":
        return this.d.toMillis(e.sql);
      default:
        return "CAST(NULL AS double)";
    }
  }

  /**
   * The number text holds, as a double, when it is a number written out as isNumericString reads
   * one (digits, a point, an exponent, spaces around); else NULL. A cast alone would also read
   * `inf`, `NaN` and `1_000`.
   */
  numberIn(s: string): string {
    return `(CASE WHEN ${this.d.regexLike(s, NUMBER_TEXT)} THEN try_cast(trim(${s}) AS double) END)`;
  }

  /** isTruthy as a condition (NULL stands for false). */
  truthy(e: SqlExpr): SqlExpr {
    switch (e.t) {
      case "bool":
        // a field the event lacks is NULL, and null is false: `not readOnly` keeps events without it
        return e.pred ? e : { ...e, pred: true };
      case "num":
        return { sql: `(${e.sql} <> 0)`, t: "bool", pred: true };
      case "str":
      case "json": {
        const s = this.text(e);
        return { sql: `(${s} = 'true' OR ${this.numberIn(s)} <> 0)`, t: "bool", pred: true };
      }
      case "time":
        // a time is its epoch milliseconds: true but at the epoch itself
        return { sql: `(${this.d.toMillis(e.sql)} <> 0)`, t: "bool", pred: true };
      default:
        return { sql: "false", t: "bool" };
    }
  }

  /** JSON text of any value (for output of structures, and JSON values). */
  jsonText(e: SqlExpr): string {
    if (e.t === "json") return e.json ? this.d.jsonText(e.json.base, e.json.path) : e.sql;
    if (e.t === "struct" || e.t === "list") return this.d.toJsonText(e.sql);
    return this.text(e);
  }

  /** A time value from a time or a date string (toTime). */
  time(e: SqlExpr): string {
    if (e.t === "time") return e.sql;
    if (e.t === "num") return this.d.fromMillis(e.sql);
    if (e.t === "str" || e.t === "json") return this.d.parseTime(this.text(e));
    return refuse("this time argument", "it is not a time");
  }

  // ----- expressions ------------------------------------------------------------------------------

  expr(e: RExpr): SqlExpr {
    switch (e.k) {
      case "const":
        return constant(e.value);
      case "period":
        return refuse(`the period ${e.period.text}`, "a period is only an argument of bin, datefloor or dateceil");
      case "regex":
        return refuse(`the regex ${e.ast.kind === "regex" ? e.ast.text : ""}`, "a regex is only used with like, =~, parse or a regex function");
      case "event":
        return eventPath(e.path, this.d);
      case "system":
        if (e.name === "@timestamp") return this.c.timestamp ? this.c.timestamp() : timestampOf(this.d);
        return refuse(e.name, `${e.name} has no column in the CloudTrail table (${e.name === "@message" ? "the raw event JSON is not kept" : "there is no file or log group"})`);
      case "column": {
        const col = this.c.env.get(e.name);
        if (!col) return refuse(`\`${e.name}\``, "it is not a column here");
        return e.path.length ? this.member(col, e.path) : col;
      }
      case "member":
        return this.member(this.expr(e.target), [e.key]);
      case "index": {
        if (e.index.k !== "const" || (typeof e.index.value !== "number" && typeof e.index.value !== "string")) {
          return refuse(`\`${e.ast.text}\``, "an index must be a constant");
        }
        return this.member(this.expr(e.target), [String(e.index.value)]);
      }
      case "list":
        return refuse("a list", "a list is only used after in");
      case "subquery":
        return refuse("a subquery", "subqueries are not translated");
      case "agg": {
        if (!this.c.aggs) return refuse(`${e.fn.name}()`, "an aggregate outside stats");
        return this.c.aggs(e.slot);
      }
      case "unary": {
        const o = this.expr(e.operand);
        if (e.op === "not") return { sql: `(NOT ${this.value(this.truthy(o))})`, t: "bool" };
        // a space: - before a negative number's own - made "--", a comment to the end of the line
        return { sql: `(- ${this.num(o)})`, t: "num" };
      }
      case "call": {
        const fn = SCALARS[e.fn.name.toLowerCase()];
        if (!fn) return refuse(`the function ${e.fn.name}()`, "it has no SQL equivalent here");
        return fn(e.args, this, e.fn.name);
      }
      case "binary":
        return this.binary(e);
    }
  }

  /** A path inside a value: JSON paths extend, struct fields and array elements are read. */
  member(v: SqlExpr, keys: string[]): SqlExpr {
    if (keys.length === 0) return v;
    if (v.t === "json") {
      const base = v.json ?? { base: v.sql, path: "$" };
      const path = jsonPath(base.path, keys);
      return { sql: this.d.jsonText(base.base, path), t: "json", json: { base: base.base, path } };
    }
    if ((v.t === "struct" || v.t === "list") && v.col) return walk(v.sql, v.col, keys, this.d, keys.join("."));
    return refuse(`the path .${keys.join(".")}`, "only CloudTrail structures and JSON values have members");
  }

  private binary(e: Extract<RExpr, { k: "binary" }>): SqlExpr {
    const op = e.op;
    if (op === "and" || op === "or") {
      const l = this.truthy(this.expr(e.left));
      const r = this.truthy(this.expr(e.right));
      return { sql: `(${l.sql} ${op.toUpperCase()} ${r.sql})`, t: "bool", pred: l.pred || r.pred };
    }
    if (op === "like" || op === "not like" || op === "=~") {
      const s = this.text(this.expr(e.left));
      let hit: string;
      if (e.right.k === "regex") hit = this.d.regexLike(s, sqlRegex(e.right.regex));
      else hit = `(strpos(${s}, ${this.text(this.expr(e.right))}) > 0)`;
      return op === "not like" ? { sql: `(NOT coalesce(${hit}, false))`, t: "bool" } : { sql: hit, t: "bool", pred: true };
    }
    if (op === "in" || op === "not in") {
      if (e.right.k !== "list") return refuse(`${op} (subquery)`, "subqueries are not translated");
      const left = this.expr(e.left);
      // a date string in the list matched against a time is the instant it names, as with `=`
      const items = e.right.items.map((i) => (left.t === "time" ? this.instantOf(i) : undefined) ?? this.expr(i));
      let hit: string;
      if (left.t === "str" && items.every((i, k) => i.t === "str" && e.right.k === "list" && isPlainString(e.right.items[k]!))) {
        hit = `(${left.sql} IN (${items.map((i) => i.sql).join(", ")}))`;
      } else if (left.t === "json" && items.every((i, k) => i.t === "str" && e.right.k === "list" && isPlainString(e.right.items[k]!))) {
        hit = `(${this.text(left)} IN (${items.map((i) => i.sql).join(", ")}))`;
      } else {
        hit = `(${items.map((i) => this.equals(left, i)).join(" OR ")})`;
      }
      return op === "not in" ? { sql: `(NOT coalesce(${hit}, false))`, t: "bool" } : { sql: hit, t: "bool", pred: true };
    }
    let l = this.expr(e.left);
    let r = this.expr(e.right);
    // a date string against a time compares as the instant it names
    const lt = r.t === "time" ? this.instantOf(e.left) : undefined;
    const rt = l.t === "time" ? this.instantOf(e.right) : undefined;
    if (lt) l = lt;
    if (rt) r = rt;
    switch (op) {
      case "=":
        return { sql: this.equals(l, r), t: "bool", pred: true };
      case "!=":
        return { sql: `(NOT coalesce(${this.equals(l, r)}, false))`, t: "bool" };
      case "<":
      case "<=":
      case ">":
      case ">=":
        return { sql: this.compare(l, r, op), t: "bool", pred: true };
      case "+":
      case "-":
      case "*":
        return { sql: `(${asDouble(this.num(l))} ${op} ${this.num(r)})`, t: "num" };
      case "/":
      case "%": {
        // dividing by 0 gives no value
        const nonZero = e.right.k === "const" && typeof e.right.value === "number" && e.right.value !== 0;
        return { sql: `(${asDouble(this.num(l))} ${op} ${nonZero ? this.num(r) : `nullif(${this.num(r)}, 0)`})`, t: "num" };
      }
      case "^":
        return { sql: `power(${this.num(l)}, ${this.num(r)})`, t: "num" };
    }
    return refuse(`the operator ${op}`, "it has no SQL equivalent");
  }

  /** A constant date string as the time it names, else undefined. */
  private instantOf(side: RExpr): SqlExpr | undefined {
    if (side.k !== "const" || typeof side.value !== "string") return undefined;
    const ms = parseDateText(side.value);
    return Number.isNaN(ms) ? undefined : { sql: this.d.timeLit(ms), t: "time" };
  }

  /** `=` (values.equals): NULL when a side is null, else whether the values are equal. */
  equals(a: SqlExpr, b: SqlExpr): string {
    if (a.t === "struct" || a.t === "list" || b.t === "struct" || b.t === "list") return "false";
    if (a.t === b.t && a.t !== "json") return `(${a.sql} = ${b.sql})`;
    // a boolean equals the strings "true" and "false", and the numbers 1 and 0
    const boolText = (x: SqlExpr, y: SqlExpr): string | undefined => {
      if (x.t !== "bool" || (y.t !== "str" && y.t !== "json")) return undefined;
      if (/^'(true|false)'$/.test(y.sql)) return `(${x.sql} = ${y.sql === "'true'" ? "true" : "false"})`;
      const t = this.text(y);
      return `(CASE WHEN ${t} = 'true' THEN ${x.sql} WHEN ${t} = 'false' THEN NOT ${x.sql} ELSE ${this.num(x)} = ${this.numberIn(t)} END)`;
    };
    const bt = boolText(a, b) ?? boolText(b, a);
    if (bt) return bt;
    if (a.t === "time" || b.t === "time" || a.t === "num" || b.t === "num" || a.t === "bool" || b.t === "bool") return `(${this.num(a)} = ${this.num(b)})`;
    return this.textOrNumbers(a, b, "=");
  }

  /** `<` and friends (values.compareValues): numbers numerically, two strings as text; a number against text that holds none, no order. */
  compare(a: SqlExpr, b: SqlExpr, op: string): string {
    if (a.t === "struct" || a.t === "list" || b.t === "struct" || b.t === "list") return "false";
    if (a.t === "time" && b.t === "time") return `(${a.sql} ${op} ${b.sql})`;
    if (a.t === "str" && b.t === "str") return `(${a.sql} ${op} ${b.sql})`;
    if (a.t === "num" || b.t === "num" || a.t === "bool" || b.t === "bool" || a.t === "time" || b.t === "time") return `(${this.num(a)} ${op} ${this.num(b)})`;
    return this.textOrNumbers(a, b, op);
  }

  /**
   * Two values of which one at least is a JSON value (a string or a number, known only per row):
   * two strings compare as text; else numbers (and strings holding them) as numbers, and what is left
   * (a number against text) as text for `=` (never equal) and not at all for an order.
   */
  private textOrNumbers(a: SqlExpr, b: SqlExpr, op: string): string {
    const ta = this.text(a);
    const tb = this.text(b);
    // against text written in the query that holds no number (`MFAUsed != "Yes"`): a JSON number is never equal, nor ordered
    if (isTextLiteral(b) || isTextLiteral(a)) {
      if (op === "=") return `(${ta} = ${tb})`;
      const json = isTextLiteral(b) ? a : b;
      return json.t === "json" ? `(CASE WHEN ${this.jsonText(json)} LIKE '"%' THEN ${ta} ${op} ${tb} END)` : `(${ta} ${op} ${tb})`;
    }
    const strings = [a, b].filter((e) => e.t === "json").map((e) => `${this.jsonText(e)} LIKE '"%'`).join(" AND ");
    const na = this.numberIn(ta);
    const nb = this.numberIn(tb);
    return `(CASE WHEN ${strings} THEN ${ta} ${op} ${tb} WHEN ${na} IS NOT NULL AND ${nb} IS NOT NULL THEN ${na} ${op} ${nb}${op === "=" ? ` ELSE ${ta} = ${tb}` : ""} END)`;
  }

  /**
   * ORDER BY items for the natural order of `sort` (numbers after text, nulls last either way). A
   * number written as it is gives none: SQL reads `ORDER BY 2` as the second column, and a constant
   * key orders nothing (`fields 1 as k | sort k, eventTime` sorts by eventTime).
   */
  sortItems(e: SqlExpr, desc: boolean): string[] {
    if (isNumberLiteral(e.sql)) return [];
    const dir = desc ? "DESC" : "ASC";
    if (e.t === "num" || e.t === "time") return [`${e.sql} ${dir} NULLS LAST`];
    if (e.t === "bool") return [`${this.num(e)} ${dir} NULLS LAST`];
    // a JSON string as its text (so "100" sorts as the number it holds, as trailq sorts it), a structure as its JSON
    const s = e.t === "str" ? e.sql : e.t === "json" ? `coalesce(${this.text(e)}, ${this.jsonText(e)})` : this.jsonText(e);
    const n = this.numberIn(s);
    return [
      `CASE WHEN ${s} IS NULL THEN 2 WHEN ${n} IS NULL THEN ${desc ? 1 : 0} ELSE ${desc ? 0 : 1} END`,
      `${n} ${dir} NULLS LAST`,
      `${this.d.naturalKey(s)} ${dir} NULLS LAST`,
    ];
  }

  /** The aggregate of a stats slot. */
  aggregate(a: Extract<RExpr, { k: "agg" }>): SqlExpr {
    const fn = AGGREGATES[a.fn.name.toLowerCase()];
    if (!fn) return refuse(`the aggregate ${a.fn.name}()`, "it has no SQL equivalent here");
    return fn(a, this);
  }

  /** A time rounded down (or up) to a period, as floorTime/ceilTime do. */
  bucket(t: string, amount: number, unit: PeriodUnit, ceil: boolean, what: string): string {
    const calendar: Partial<Record<PeriodUnit, string>> = { w: "week", mo: "month", q: "quarter", y: "year" };
    const cal = calendar[unit];
    if (cal) {
      if (amount !== 1) return refuse(what, `only 1${unit} periods of weeks, months, quarters and years translate`);
      const floor = `date_trunc('${cal}', ${t})`;
      return ceil ? `CASE WHEN ${floor} = ${t} THEN ${t} ELSE ${this.d.addTime(floor, 1, cal)} END` : floor;
    }
    const size = amount * FIXED_UNIT_MS[unit]!;
    const whole: Record<number, string> = { 1000: "second", 60_000: "minute", 3_600_000: "hour", 86_400_000: "day" };
    if (!ceil && whole[size]) return `date_trunc('${whole[size]}', ${t})`;
    return ceil ? this.d.ceilMs(t, size) : this.d.floorMs(t, size);
  }
}

/** A number written out with spaces around (isNumericString's NUMERIC, with plain spaces: RE2's \s is ASCII). */
const NUMBER_TEXT = "^ *[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)? *$";

/** A number as a double (integer arithmetic in SQL truncates and overflows; trailq's does not). */
export function asDouble(n: string): string {
  return /^try_cast\(.* AS double\)$/s.test(n) || /^\(CASE WHEN .* THEN try_cast\(trim\(.*\) AS double\) END\)$/s.test(n) || /^-?[\d.]+E-?\d+$/.test(n) ? n : `CAST(${n} AS double)`;
}

/** A string literal of the query's that holds no number (nor true or false). */
function isTextLiteral(e: SqlExpr): boolean {
  const m = e.t === "str" ? /^'((?:[^']|'')*)'$/s.exec(e.sql) : null;
  return m !== null && holdsNoNumber(m[1]!.replace(/''/g, "'"));
}

function isPlainString(r: RExpr): boolean {
  return r.k === "const" && typeof r.value === "string" && holdsNoNumber(r.value);
}

/** Text that is neither a number written out nor true or false: it compares as text with anything. */
function holdsNoNumber(s: string): boolean {
  return !/^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/.test(s) && s !== "true" && s !== "false";
}

function constant(v: unknown): SqlExpr {
  if (typeof v === "string") return { sql: lit(v), t: "str" };
  if (typeof v === "number") return { sql: numLit(v), t: "num" };
  if (typeof v === "boolean") return { sql: v ? "true" : "false", t: "bool" };
  if (v === null || v === undefined) return NULL_STR;
  return refuse("a structured constant", "only text, numbers and booleans translate");
}

export function timestampOf(d: Dialect): SqlExpr {
  return { sql: d.parseTime("eventtime"), t: "time" };
}

/** An event field path → the table column, struct field, array element or JSON path it lives in. */
export function eventPath(path: string[], d: Dialect): SqlExpr {
  const name = path.join(".");
  const col = findColumn(path[0]!);
  if (!col) return refuse(`the field ${name}`, `${path[0]} is not a column of the CloudTrail table`);
  return walk(quoteIdent(sqlName(col.key)), col.type, path.slice(1), d, name);
}

function walk(sql: string, type: ColumnType, rest: string[], d: Dialect, name: string): SqlExpr {
  if (rest.length === 0) {
    switch (type.k) {
      case "string":
        return { sql, t: "str" };
      case "bool":
        return { sql: `(${sql} = 'true')`, t: "bool" };
      case "json":
        return { sql, t: "json", json: { base: sql, path: "$" } };
      case "struct":
        return { sql, t: "struct", col: type };
      case "array":
        return { sql, t: "list", col: type };
    }
  }
  const [key, ...more] = rest as [string, ...string[]];
  switch (type.k) {
    case "json": {
      const path = jsonPath("$", rest);
      return { sql: d.jsonText(sql, path), t: "json", json: { base: sql, path } };
    }
    case "struct": {
      const f = type.fields.find((x) => x.key === key);
      if (!f) return refuse(`the field ${name}`, `${key} is not in the table's ${sql} struct`);
      return walk(`${sql}.${quoteIdent(sqlName(f.key))}`, f.type, more, d, name);
    }
    case "array":
      if (!/^\d+$/.test(key)) return NULL_STR;
      return walk(d.arrayAt(sql, Number(key)), type.of, more, d, name);
    default:
      return NULL_STR;
  }
}

/** Whether SQL text is a number written as it is, which ORDER BY and GROUP BY read as a column's place. */
export function isNumberLiteral(sql: string): boolean {
  return /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:E[-+]?\d+)?$/i.test(sql.trim());
}

/** A JavaScript regex (as the plan holds it) in the syntax Trino and RE2 read. */
export function sqlRegex(re: { source: string; flags: string }): string {
  let flags = "";
  for (const f of ["i", "s", "m"]) if (re.flags.includes(f)) flags += f;
  let source = "";
  // read as the regex reads it: an escaped character, or one in a class ([...]), opens no group
  let inClass = false;
  for (let i = 0; i < re.source.length; i++) {
    const c = re.source[i]!;
    if (c === "\\") {
      source += re.source.slice(i, i + 2);
      i++;
      continue;
    }
    if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(" && re.source.startsWith("(?<", i)) {
      const named = /^\(\?<[A-Za-z0-9_]+>/.exec(re.source.slice(i));
      if (named) {
        // the groups are read by number in SQL: the name goes
        source += "(";
        i += named[0].length - 1;
        continue;
      }
      if (re.source[i + 3] === "=" || re.source[i + 3] === "!") return refuse(`the regex /${re.source}/`, "lookbehind has no equivalent in every SQL engine");
    }
    source += c;
  }
  return (flags ? `(?${flags})` : "") + source;
}
