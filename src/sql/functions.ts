// The SQL spelling of each trailq function, keyed by its registry name (lower case): one entry per
// function, so adding one is one place. A function missing here is refused with its name.
import type { RExpr } from "../check/rexpr.js";
import { numLit, type Replacement } from "./dialect.js";
import { refuse, sqlRegex, type ExprTranslator, type SqlExpr } from "./expr.js";
import { parseCidr } from "../functions/ip.js";
import { ROUND_LEEWAY } from "../functions/numeric.js";
import { zoneNamed } from "../time/zone.js";
import { translateRegex } from "../check/regex.js";
import { replacementParts } from "../check/replacement.js";

type Scalar = (args: RExpr[], x: ExprTranslator, name: string) => SqlExpr;
type Aggregate = (call: Extract<RExpr, { k: "agg" }>, x: ExprTranslator) => SqlExpr;

const str = (sql: string): SqlExpr => ({ sql, t: "str" });
const num = (sql: string): SqlExpr => ({ sql, t: "num" });
const bool = (sql: string): SqlExpr => ({ sql, t: "bool" });
/** 1 or 0 (functions documented as returning 1/0 numbers), NULL when the condition is NULL. */
const bit = (cond: string): SqlExpr => num(`CAST(${cond} AS integer)`);

/** The texts of the arguments. */
const texts = (args: RExpr[], x: ExprTranslator): string[] => args.map((a) => x.text(x.expr(a)));
const nums = (args: RExpr[], x: ExprTranslator): string[] => args.map((a) => x.num(x.expr(a)));
/** n toward zero, in SQL both dialects have (Trino, and so Athena, has no trunc(): it calls it truncate). */
const towardZero = (n: string): string => `(sign(${n}) * floor(abs(${n})))`;
/** n toward zero when it is in a two's-complement range of `limit` each side (-limit to limit - 1), else NULL. */
const truncInRange = (n: string, limit: string): string => `CASE WHEN ${towardZero(n)} >= -${limit} AND ${towardZero(n)} < ${limit} THEN ${towardZero(n)} END`;

/** The value of a constant number argument, else undefined. */
function constNumber(r: RExpr): number | undefined {
  return r.k === "const" && typeof r.value === "number" ? r.value : undefined;
}

/** A literal string argument (a pattern, a format). */
function literal(a: RExpr | undefined, fn: string): string {
  if (a?.k !== "const" || typeof a.value !== "string") return refuse(`${fn}()`, "this argument must be a literal string here");
  return a.value;
}

/** Whether a zone argument names UTC (`UTC`, `Z`, `+00:00`, `Etc/UTC`); not a zone at all is not. */
const utcZone = (text: string): boolean => zoneNamed(text)?.utc === true;

/** A period argument. */
function period(a: RExpr | undefined, fn: string): { amount: number; unit: string } {
  if (a?.k !== "period") return refuse(`${fn}()`, "it needs a period such as 5m");
  return a.period;
}

/** What JavaScript's trim() removes (and so trailq's trim and isblank): spaces, tabs, line ends, Unicode spaces, the byte-order mark. */
const WHITESPACE = "[\\s\\x{0B}\\p{Zs}\\x{FEFF}\\x{2028}\\x{2029}]";

/** trim with optional characters: whitespace, or any of the given characters, from one or both ends. */
function trimFn(left: boolean, right: boolean): Scalar {
  return (args, x, name) => {
    const s = x.text(x.expr(args[0]!));
    const set = args.length === 1 ? WHITESPACE : `[${[...literal(args[1], name)].map((c) => c.replace(/[\]\\^-]/g, "\\$&")).join("")}]`;
    const re = `${left ? `^${set}+` : ""}${left && right ? "|" : ""}${right ? `${set}+$` : ""}`;
    return str(x.d.regexReplace(s, re, { parts: [] }));
  };
}

function periodFn(ceil: boolean): Scalar {
  return (args, x, name) => {
    const p = period(args[1], name);
    return { sql: x.bucket(x.time(x.expr(args[0]!)), p.amount, p.unit as never, ceil, `${name}(…, ${p.amount}${p.unit})`), t: "time" };
  };
}

const IPV4_OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const IPV4 = `^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`;

/** An IPv4 address (text) as its 32-bit number; NULL for anything else. */
function ipv4Number(s: string, x: ExprTranslator): string {
  const octet = (i: number): string => `CAST(split_part(${s}, '.', ${i}) AS bigint)`;
  return `CASE WHEN ${x.d.regexLike(s, IPV4)} THEN ${octet(1)} * 16777216 + ${octet(2)} * 65536 + ${octet(3)} * 256 + ${octet(4)} END`;
}

/** An IPv4 CIDR constant as [first, last] numbers; undefined for anything else. */
function ipv4Range(cidr: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\/(\d+))?$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const n = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const first = Math.floor(n / size) * size;
  return [first, first + size - 1];
}

function subnetFn(mapped: boolean): Scalar {
  return (args, x, name) => {
    const cidr = literal(args[1], name);
    const range = ipv4Range(cidr);
    if (!range) return refuse(`${name}()`, parseCidr(cidr) ? "only IPv4 subnets given as a literal translate" : `${JSON.stringify(cidr)} is not a subnet`);
    let s = x.text(x.expr(args[0]!));
    // an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is in IPv4 subnets
    if (mapped) s = x.d.regexReplace(s, "^::[fF]{4}:([0-9.]+)$", { parts: [1] });
    const n = ipv4Number(s, x);
    return bool(`coalesce(${n} BETWEEN ${range[0]} AND ${range[1]}, false)`);
  };
}

export const SCALARS: Record<string, Scalar> = {
  // general
  ispresent: ([a], x) => bool(`(${x.jsonText(x.expr(a!))} IS NOT NULL)`),
  coalesce: (args, x) => {
    const vs = args.map((a) => x.expr(a));
    const t = resultKind(vs);
    return { sql: `coalesce(${vs.map((v) => (t === "json" ? asJson(v, x) : x.value(v))).join(", ")})`, t };
  },
  isempty: ([a], x) => {
    const v = x.expr(a!);
    // an object or a list has no text, and is not empty
    return bool(`(${x.jsonText(v)} IS NULL${v.t === "str" || v.t === "json" ? ` OR coalesce(${x.text(v)} = '', false)` : ""})`);
  },
  isblank: ([a], x) => {
    const v = x.expr(a!);
    if (v.t !== "str" && v.t !== "json") return bool(`(${x.jsonText(v)} IS NULL)`);
    return bool(`(${x.jsonText(v)} IS NULL OR coalesce(${x.d.regexLike(x.text(v), `^${WHITESPACE}*$`)}, false))`);
  },
  if: ([c, a, b], x) => caseOf([c!, a!, b!], x),
  case: (args, x) => caseOf(args, x),
  unmask: ([a], x) => x.expr(a!),
  // string
  // a NULL argument counts as '' (as in trailq's concat), not a NULL result
  concat: (args, x) => str(`(${texts(args, x).map((t, i) => (args[i]!.k === "const" && typeof (args[i] as { value: unknown }).value === "string" ? t : `COALESCE(${t}, '')`)).join(" || ")})`),
  ltrim: trimFn(true, false),
  rtrim: trimFn(false, true),
  trim: trimFn(true, true),
  strlen: ([a], x) => num(`length(${x.text(x.expr(a!))})`),
  toupper: ([a], x) => str(`upper(${x.text(x.expr(a!))})`),
  tolower: ([a], x) => str(`lower(${x.text(x.expr(a!))})`),
  substr: ([s, start, len], x) => {
    // substr counts from 0 in trailq, from 1 in SQL; a negative start or length counts as 0
    const count = (r: RExpr, plus: number): string => {
      const c = constNumber(r);
      return c !== undefined ? String(Math.max(0, Math.trunc(c)) + plus) : `greatest(CAST(${towardZero(x.num(x.expr(r)))} AS bigint), 0)${plus ? ` + ${plus}` : ""}`;
    };
    const t = x.text(x.expr(s!));
    // as natively: a start that is no number makes no substring; a length that is not there goes to
    // the end, one that is there and no number ("abc", "") makes none (DuckDB's greatest() would read
    // a NULL as 0)
    const missing = (r: RExpr): string | undefined => (constNumber(r) === undefined ? `${x.num(x.expr(r))} IS NULL` : undefined);
    const rest = `substr(${t}, ${count(start!, 1)})`;
    const sub = len ? `substr(${t}, ${count(start!, 1)}, ${count(len, 0)})` : rest;
    const noLength = len && missing(len);
    const sql = noLength ? `CASE WHEN ${x.text(x.expr(len!))} IS NULL THEN ${rest} WHEN ${noLength} THEN NULL ELSE ${sub} END` : sub;
    const noStart = missing(start!);
    return str(noStart ? `CASE WHEN ${noStart} THEN NULL ELSE ${sql} END` : sql);
  },
  replace: (args, x) => {
    const [s, a, b] = texts(args, x);
    if (args[1]!.k === "const" && args[1]!.value !== "") return str(`replace(${s}, ${a}, ${b})`);
    return str(`CASE WHEN ${a} = '' THEN ${s} ELSE replace(${s}, ${a}, ${b}) END`);
  },
  strcontains: (args, x) => {
    const [s, n] = texts(args, x);
    if (args[2]) {
      const ci = x.value(x.truthy(x.expr(args[2])));
      return bit(`CASE WHEN ${ci} THEN strpos(lower(${s}), lower(${n})) > 0 ELSE strpos(${s}, ${n}) > 0 END`);
    }
    return bit(`(strpos(${s}, ${n}) > 0)`);
  },
  startswith: (args, x) => {
    const [s, p] = texts(args, x);
    return bit(`starts_with(${s}, ${p})`);
  },
  endswith: (args, x) => {
    const [s, p] = texts(args, x);
    return bit(`starts_with(reverse(${s}), reverse(${p}))`);
  },
  regexreplace: ([s, re, rep], x, name) => {
    const [pattern, regex] =
      re!.k === "regex" ? [sqlRegex(re!.regex), re!.regex]
      : re!.k === "const" && typeof re!.value === "string" ? [literalRegex(re!.value), translateRegex(re!.value, re!.ast.span).regex]
      : refuse(`${name}()`, "the regex must be a literal");
    const r: Replacement = rep!.k === "const" && typeof rep!.value === "string" ? { parts: sqlReplacement(rep!.value, regex.groups, name) } : { sql: x.text(x.expr(rep!)) };
    return str(x.d.regexReplace(x.text(x.expr(s!)), pattern, r));
  },
  split: ([s, d], x) => ({ sql: x.d.split(x.text(x.expr(s!)), x.text(x.expr(d!))), t: "list" }),
  urlencode: ([a], x, name) => str(x.d.urlEncode(x.text(x.expr(a!))) ?? refuse(`${name}()`, `${x.d.name} has no equivalent`)),
  urldecode: ([a], x, name) => str(x.d.urlDecode(x.text(x.expr(a!))) ?? refuse(`${name}()`, `${x.d.name} has no equivalent`)),
  base64encode: ([a], x) => str(x.d.base64(x.text(x.expr(a!)))),
  base64decode: ([a], x) => str(x.d.unbase64(x.text(x.expr(a!)))),
  md5: ([a], x) => str(x.d.md5(x.text(x.expr(a!)))),
  sha256: ([a], x) => str(x.d.sha256(x.text(x.expr(a!)))),
  // numeric
  abs: (args, x) => num(`abs(${nums(args, x)[0]})`),
  ceil: (args, x) => num(`ceiling(${nums(args, x)[0]})`),
  floor: (args, x) => num(`floor(${nums(args, x)[0]})`),
  greatest: (args, x) => num(x.d.greatest(nums(args, x).map((n) => `CAST(${n} AS double)`))),
  least: (args, x) => num(x.d.least(nums(args, x).map((n) => `CAST(${n} AS double)`))),
  log: (args, x) => {
    const n = nums(args, x)[0];
    return num(`CASE WHEN ${n} > 0 THEN ln(${n}) END`);
  },
  sqrt: (args, x) => {
    const n = nums(args, x)[0];
    return num(`CASE WHEN ${n} >= 0 THEN sqrt(${n}) END`);
  },
  round: (args, x) => {
    const [n, d] = nums(args, x);
    // half away from zero, as trailq rounds
    const digits = args[1] ? constNumber(args[1]) : 0;
    // as numeric.ts: to tens and more, divided by a power of ten and multiplied back; a whole value
    // stays; a part within the leeway below a half counts as one
    // past the double's range at that many decimals (round(1.5, 400)): the value itself
    if (digits !== undefined && !Number.isFinite(10 ** Math.abs(Math.trunc(digits)))) return num(`(${n} * 1E0)`);
    const negative = digits !== undefined && Math.trunc(digits) < 0;
    const f = digits !== undefined ? numLit(10 ** Math.abs(Math.trunc(digits))) : `power(10, ${towardZero(d!)})`;
    const m = negative ? `(abs(${n}) / ${f})` : `(abs(${n}) * ${f})`;
    const rounded = `(sign(${n}) * (floor(${m}) + CASE WHEN ${m} > floor(${m}) AND ${m} - floor(${m}) >= 0.5E0 - ${m} * ${numLit(ROUND_LEEWAY)} THEN 1 ELSE 0 END))`;
    return num(negative ? `(${rounded} * ${f})` : `(${rounded} / ${f})`);
  },
  haversine: (args, x) => {
    const ns = nums(args, x);
    const [a1, o1, a2, o2] = ns.map((n) => `radians(${n})`);
    // DuckDB's least() skips a NULL: every argument is checked first (a missing one is no distance)
    return num(`CASE WHEN ${ns.map((n) => `${n} IS NOT NULL`).join(" AND ")} THEN (2 * 6371 * asin(least(1E0, sqrt(power(sin((${a2} - ${a1}) / 2), 2) + cos(${a1}) * cos(${a2}) * power(sin((${o2} - ${o1}) / 2), 2))))) END`);
  },
  tonumber: (args, x) => num(nums(args, x)[0]!),
  todouble: (args, x) => num(nums(args, x)[0]!),
  // the truncated value in the two's-complement range, as the native engine's inRange
  toint: (args, x) => num(truncInRange(nums(args, x)[0]!, "2147483648E0")),
  tolong: (args, x) => num(truncInRange(nums(args, x)[0]!, "9223372036854775808E0")),
  // datetime
  bin: ([p], x, name) => {
    const { amount, unit } = period(p, name);
    const ts = x.c.timestamp ? x.c.timestamp() : x.expr({ k: "system", name: "@timestamp", type: "time", ast: p!.ast });
    return { sql: x.bucket(ts.sql, amount, unit as never, false, `bin(${amount}${unit})`), t: "time" };
  },
  datefloor: periodFn(false),
  dateceil: periodFn(true),
  frommillis: (args, x) => ({ sql: x.d.fromMillis(nums(args, x)[0]!), t: "time" }),
  tomillis: ([a], x) => {
    const v = x.expr(a!);
    return num(v.t === "num" ? v.sql : x.d.toMillis(x.time(v)));
  },
  now: (_args, x) => num(String(Math.floor(x.c.now / 1000))),
  formatdate: ([t, f, zone], x, name) => {
    if (zone && !utcZone(literal(zone, name))) refuse(`${name}()`, "a zone other than UTC does not translate (the SQL formats times in UTC)");
    const sql = x.d.formatTime(x.time(x.expr(t!)), literal(f, name));
    return str(sql ?? refuse(`${name}()`, `a format code in ${JSON.stringify(literal(f, name))} has no ${x.d.name} equivalent`));
  },
  // ip (IPv4 only: the IPv6 rules have no portable SQL)
  isvalidipv4: ([a], x) => bool(`coalesce(${x.d.regexLike(x.text(x.expr(a!)), IPV4)}, false)`),
  ipv4tonumber: ([a], x) => num(ipv4Number(x.text(x.expr(a!)), x)),
  isipinsubnet: subnetFn(true),
  isipv4insubnet: subnetFn(false),
  // json
  jsonparse: ([a], x) => {
    const v = x.expr(a!);
    if (v.t === "struct" || v.t === "list") return v;
    // text (a JSON value's: a string's text) that holds a JSON object or array, whole (`[1,2,` is none)
    const objectIn = (s: string): string => `CASE WHEN ${x.d.regexLike(s, "^\\s*[\\[{]")} AND ${x.d.jsonValid(s)} THEN ${s} END`;
    const s = x.text(v);
    if (v.t !== "json") return { sql: objectIn(s), t: "json" };
    // a JSON object or array stays as it is; a JSON string is read for the JSON it holds (a policy document)
    return { sql: `coalesce(${objectIn(s)}, ${objectIn(x.jsonText(v))})`, t: "json" };
  },
  jsonstringify: ([a], x) => {
    const v = x.expr(a!);
    if (v.t === "struct" || v.t === "list") return str(x.jsonText(v));
    if (v.t === "json") return str(`CASE WHEN ${x.d.regexLike(x.jsonText(v), "^[\\[{]")} THEN ${x.jsonText(v)} END`);
    return str("CAST(NULL AS varchar)");
  },
  jsonarraysize: ([a], x) => {
    const v = x.expr(a!);
    // a list, or text that holds one (a JSON string's text too)
    if (v.t === "json") return num(`coalesce(${x.d.jsonArrayLength(x.jsonText(v))}, ${x.d.jsonArrayLength(x.text(v))})`);
    return num(x.d.jsonArrayLength(v.t === "str" ? v.sql : x.jsonText(v)));
  },
};

/**
 * A constant replacement (src/check/replacement.ts, as the native engine reads it) in text and
 * group numbers; what has no SQL equivalent is refused.
 */
function sqlReplacement(template: string, groups: number, fn: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const p of replacementParts(template, groups)) {
    if ("text" in p) out.push(p.text);
    else if ("side" in p) refuse(`${fn}()`, `${p.side === "before" ? "$`" : "$'"} in the replacement has no SQL equivalent`);
    else if (p.group > 9) refuse(`${fn}()`, `$${p.group} in the replacement: two-digit groups do not translate`);
    // \n of a group the regex does not have is empty, as natively
    else if (p.group <= groups) out.push(p.group);
  }
  return out;
}

/** A pattern given as a string (regexReplace("...")), in the syntax both engines read. */
function literalRegex(s: string): string {
  return sqlRegex({ source: s.replace(/^\(\?i\)/, ""), flags: s.startsWith("(?i)") ? "i" : "" });
}

/** if/case: the value of the first true condition, else the default (or NULL). */
function caseOf(args: RExpr[], x: ExprTranslator): SqlExpr {
  const parts: string[] = [];
  const values: SqlExpr[] = [];
  let i = 0;
  const conds: string[] = [];
  for (; i + 1 < args.length; i += 2) {
    conds.push(x.truthy(x.expr(args[i]!)).sql);
    values.push(x.expr(args[i + 1]!));
  }
  const dflt = i < args.length ? x.expr(args[i]!) : undefined;
  const all = dflt ? [...values, dflt] : values;
  const t = resultKind(all);
  const as = (v: SqlExpr): string => (t === "json" ? asJson(v, x) : x.value(v));
  conds.forEach((c, k) => parts.push(`WHEN ${c} THEN ${as(values[k]!)}`));
  return { sql: `CASE ${parts.join(" ")}${dflt ? ` ELSE ${as(dflt)}` : ""} END`, t };
}

/**
 * The kind of a value chosen among `vs`: theirs when they share a scalar kind; else JSON text (asJson),
 * so that structures and values of several kinds each keep their own.
 */
function resultKind(vs: SqlExpr[]): SqlExpr["t"] {
  const t = vs[0]!.t;
  return vs.every((v) => v.t === t) && t !== "json" && t !== "struct" && t !== "list" ? t : "json";
}

/** A value as JSON text: text quoted, numbers and booleans as JSON writes them, a time as its epoch milliseconds, structures as JSON. */
function asJson(v: SqlExpr, x: ExprTranslator): string {
  if (v.t === "json") return x.jsonText(v);
  if (v.t === "time") return x.d.toJsonText(x.d.toMillis(v.sql));
  return x.d.toJsonText(v.t === "struct" || v.t === "list" ? v.sql : x.value(v));
}

/** The argument of an aggregate, as the value SQL aggregates (NULL skipped). */
const arg = (call: Extract<RExpr, { k: "agg" }>, x: ExprTranslator): SqlExpr => x.expr(call.args[0]!);

function minMax(fn: "min" | "max"): Aggregate {
  return (call, x) => {
    const v = arg(call, x);
    if (v.t === "num" || v.t === "time") return { sql: `${fn}(${v.sql})`, t: v.t };
    if (v.t === "bool") return num(`${fn}(${x.num(v)})`);
    // values.ts's total order: numbers (and text that holds one) numerically, after any text that
    // holds none, which goes by text; so the max is the largest number if there is one, the min
    // the least text if there is any
    const n = x.num(v);
    const value = v.t === "str" ? v.sql : x.jsonText(v);
    const text = v.t === "str" ? v.sql : `coalesce(${x.text(v)}, ${x.jsonText(v)})`;
    const textOnly = (e: string): string => `CASE WHEN ${n} IS NULL THEN ${e} END`;
    // (a text column's own order is its text's; a JSON value's, the text a string holds)
    const byText = (e: string): string => (v.t === "str" ? `${fn}(${e})` : fn === "max" ? x.d.maxBy(e, text) : x.d.minBy(e, textOnly(text)));
    const sql =
      fn === "max"
        ? `CASE WHEN count(${n}) > 0 THEN ${x.d.maxBy(value, n)} ELSE ${byText(value)} END`
        : `CASE WHEN count(${textOnly(value)}) > 0 THEN ${byText(textOnly(value))} ELSE ${x.d.minBy(value, n)} END`;
    return { sql, t: v.t === "str" ? "str" : "json" };
  };
}

/**
 * The value at the row where `order` is smallest (or largest), NULL values skipped. Where the
 * dialect knows the rows' input order, as the native engine picks: of rows that tie, the first; a
 * row without an order (an event without a time) only when no row has one, the first of them.
 */
function pick(x: ExprTranslator, v: SqlExpr, order: string, last: boolean): SqlExpr {
  const value = v.t === "struct" || v.t === "list" ? x.jsonText(v) : x.value(v);
  const t = v.t === "struct" || v.t === "list" ? "json" : v.t;
  const tie = x.c.tiebreak;
  const by = tie && x.d.tuple ? x.d.tuple([`CASE WHEN ${order} IS NULL THEN ${last ? 0 : 1} ELSE ${last ? 1 : 0} END`, order, last ? `-${tie}` : tie]) : order;
  return { sql: `${last ? x.d.maxBy(value, by) : x.d.minBy(value, by)} FILTER (WHERE ${value} IS NOT NULL)`, t };
}

/** The natural order of values as one comparable key (sortsFirst/sortsLast). */
function naturalOrder(x: ExprTranslator, v: SqlExpr): string {
  if (v.t === "num" || v.t === "time") return v.sql;
  if (v.t === "bool") return x.num(v);
  // a JSON string as its text (as sortItems reads it), a structure as its JSON
  const s = v.t === "str" ? v.sql : v.t === "json" ? `coalesce(${x.text(v)}, ${x.jsonText(v)})` : x.jsonText(v);
  const n = v.t === "json" ? x.num(v) : x.numberIn(s);
  return `ROW(CASE WHEN ${n} IS NULL THEN 0 ELSE 1 END, coalesce(${n}, 0), ${x.d.naturalKey(s)})`;
}

export const AGGREGATES: Record<string, Aggregate> = {
  count: (call, x) => num(call.star || call.args.length === 0 ? "count(*)" : `count(${x.jsonText(arg(call, x))})`),
  count_distinct: (call, x) => num(`count(DISTINCT ${x.jsonText(arg(call, x))})`),
  sum: (call, x) => num(`sum(${x.num(arg(call, x))})`),
  avg: (call, x) => num(`avg(${x.num(arg(call, x))})`),
  stddev: (call, x) => num(`stddev_pop(${x.num(arg(call, x))})`),
  min: minMax("min"),
  max: minMax("max"),
  pct: (call, x) => {
    const p = call.args[1];
    if (p?.k !== "const" || typeof p.value !== "number") return refuse("pct()", "the percentile must be a number");
    return num(x.d.percentile(`CAST(${x.num(arg(call, x))} AS double)`, Math.min(100, Math.max(0, p.value))));
  },
  earliest: (call, x) => pick(x, arg(call, x), x.expr({ k: "system", name: "@timestamp", type: "time", ast: call.ast }).sql, false),
  latest: (call, x) => pick(x, arg(call, x), x.expr({ k: "system", name: "@timestamp", type: "time", ast: call.ast }).sql, true),
  sortsfirst: (call, x) => pick(x, arg(call, x), naturalOrder(x, arg(call, x)), false),
  sortslast: (call, x) => pick(x, arg(call, x), naturalOrder(x, arg(call, x)), true),
  count_over_time: (call, x) => num(`count(${x.jsonText(arg(call, x))})`),
  sum_over_time: (call, x) => num(`sum(${x.num(arg(call, x))})`),
};
