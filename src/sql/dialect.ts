// What differs between the two SQL engines trailq writes for: Athena (Trino) and DuckDB. Everything
// else (the shape of the query, the value rules) is shared; each method here is one spelling.
import { UserError } from "../errors.js";
import { RANK_SLACK } from "../functions/aggregate.js";

export type DialectName = "athena" | "duckdb";

/** A SQL string literal. */
export function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A number literal: integers as written, other numbers as doubles (`2.5E0`), never a DECIMAL. */
export function numLit(n: number): string {
  if (!Number.isFinite(n)) throw new UserError("a number in the query is not finite");
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 53) return Math.abs(n) < 2 ** 31 ? String(n) : `${n}E0`;
  const s = String(n);
  return /e/i.test(s) ? s.toUpperCase() : `${s}E0`;
}

/**
 * What replaces a regex's match: text and groups (0: the whole match) known when translating, or a
 * SQL text whose `$1` refer to groups.
 */
export type Replacement = { parts: (string | number)[] } | { sql: string };

export interface Dialect {
  name: DialectName;
  /** eventtime (ISO 8601 text) as a timestamp. */
  parseTime(text: string): string;
  /** An instant as a timestamp literal (UTC). */
  timeLit(ms: number): string;
  /** A timestamp as epoch milliseconds. */
  toMillis(t: string): string;
  /** Epoch milliseconds as a timestamp. */
  fromMillis(ms: string): string;
  /** A timestamp moved by n units (unit: millisecond, day, month...). */
  addTime(t: string, n: number, unit: string): string;
  /** A timestamp rounded down to a multiple of `sizeMs` since the epoch. */
  floorMs(t: string, sizeMs: number): string;
  /** A timestamp rounded up to a multiple of `sizeMs` since the epoch. */
  ceilMs(t: string, sizeMs: number): string;
  /** A timestamp formatted with strftime codes, or undefined when a code has no equivalent. */
  formatTime(t: string, strftime: string): string | undefined;
  /** The JSON value at `path` of a JSON text, as JSON text; NULL when missing or JSON null. */
  jsonText(base: string, path: string): string;
  /** The scalar at `path` of a JSON text, as text; NULL when missing, null, an object or an array. */
  jsonScalar(base: string, path: string): string;
  /** The length of the JSON array at `path`, else NULL. */
  jsonArrayLength(text: string): string;
  /** Whether text is JSON (a whole value: `[1,2,` and `{oops}` are not). */
  jsonValid(text: string): string;
  /** A struct or array value as JSON text. */
  toJsonText(v: string): string;
  /** Element i (0-based) of an array, NULL past the end. */
  arrayAt(arr: string, i: number): string;
  /** Whether a regex matches somewhere in s. */
  regexLike(s: string, re: string): string;
  /** Group g of the first match of the regex in s; NULL when it does not match. */
  regexExtract(s: string, re: string, g: number): string;
  /** Every match replaced. */
  regexReplace(s: string, re: string, replacement: Replacement): string;
  /** A key that orders text naturally: digit runs zero-padded so they compare as numbers. */
  naturalKey(s: string): string;
  /** The list of parts of s between delimiters. */
  split(s: string, d: string): string;
  /** The value of x at the row where `by` is smallest (largest). */
  minBy(x: string, by: string): string;
  maxBy(x: string, by: string): string;
  /** The nearest-rank percentile p (0-100) of the non-null numbers x. */
  percentile(x: string, p: number): string;
  /** The largest (smallest) of non-null numbers; NULL when all are null. */
  greatest(xs: string[]): string;
  least(xs: string[]): string;
  /** Base64 of the UTF-8 bytes, and back. */
  base64(s: string): string;
  unbase64(s: string): string;
  /** Hex digests of the UTF-8 bytes. */
  md5(s: string): string;
  sha256(s: string): string;
  /** Text percent-encoded, and back. */
  urlEncode(s: string): string | undefined;
  urlDecode(s: string): string | undefined;
  /** A final output column holding JSON text: what the user sees. */
  jsonOutput(text: string, src?: { base: string; path: string }): string;
  /**
   * A column of the table that gives the input order (file, then record), when the engine has one:
   * rows that tie in a sort then keep the order trailq gives them.
   */
  rowOrder?: string;
  /** The order in which copies of an event (one eventID) are met: the first is the one kept. */
  copyOrder: string;
  /** An order key of parts compared one after the other (with rowOrder: a key, then the row's place). */
  tuple?(parts: string[]): string;
}

const STRFTIME_TO_MYSQL: Record<string, string> = {
  Y: "%Y", y: "%y", m: "%m", d: "%d", H: "%H", M: "%i", S: "%s", L: "%f", j: "%j",
  a: "%a", A: "%W", b: "%b", B: "%M", F: "%Y-%m-%d", T: "%H:%i:%s", "%": "%%",
};

export const athena: Dialect = {
  name: "athena",
  parseTime: (s) => `from_iso8601_timestamp(${s})`,
  timeLit: (ms) => `from_iso8601_timestamp(${lit(new Date(ms).toISOString())})`,
  toMillis: (t) => `round(to_unixtime(${t}) * 1000)`,
  fromMillis: (ms) => `from_unixtime(floor(${ms}) / 1000E0)`,
  addTime: (t, n, unit) => `date_add('${unit}', ${n}, ${t})`,
  floorMs: (t, size) =>
    size % 1000 === 0 ? `from_unixtime(floor(to_unixtime(${t}) / ${size / 1000}) * ${size / 1000})` : `from_unixtime(floor(to_unixtime(${t}) * 1000 / ${size}) * ${size} / 1000E0)`,
  ceilMs: (t, size) =>
    size % 1000 === 0 ? `from_unixtime(ceiling(to_unixtime(${t}) / ${size / 1000}) * ${size / 1000})` : `from_unixtime(ceiling(to_unixtime(${t}) * 1000 / ${size}) * ${size} / 1000E0)`,
  formatTime: (t, f) => {
    let out = "";
    for (let i = 0; i < f.length; i++) {
      const c = f[i]!;
      if (c !== "%") {
        out += c;
        continue;
      }
      const code = STRFTIME_TO_MYSQL[f[++i] ?? ""];
      if (code === undefined) return undefined;
      out += code;
    }
    // MySQL's %f is microseconds: keep the milliseconds
    return out.includes("%f") ? undefined : `date_format(${t}, ${lit(out)})`;
  },
  jsonText: (base, path) => (path === "$" ? base : `nullif(json_format(json_extract(${base}, ${lit(path)})), 'null')`),
  jsonScalar: (base, path) => `json_extract_scalar(${base}, ${lit(path)})`,
  jsonArrayLength: (text) => `json_array_length(${text})`,
  jsonValid: (text) => `(try(json_parse(${text})) IS NOT NULL)`,
  toJsonText: (v) => `json_format(CAST(${v} AS JSON))`,
  arrayAt: (arr, i) => `element_at(${arr}, ${i + 1})`,
  regexLike: (s, re) => `regexp_like(${s}, ${lit(re)})`,
  regexExtract: (s, re, g) => `regexp_extract(${s}, ${lit(re)}, ${g})`,
  // Trino's replacement: $g for a group, \$ for a dollar sign
  regexReplace: (s, re, r) =>
    `regexp_replace(${s}, ${lit(re)}, ${"sql" in r ? r.sql : lit(r.parts.map((p) => (typeof p === "number" ? `$${p}` : p.replace(/[\\$]/g, "\\$&"))).join(""))})`,
  naturalKey: (s) => `array_join(transform(regexp_extract_all(${s}, '\\d+|\\D+'), p -> if(regexp_like(p, '^\\d'), lpad(p, 30, '0'), p)), '')`,
  split: (s, d) => `split(${s}, ${d})`,
  minBy: (x, by) => `min_by(${x}, ${by})`,
  maxBy: (x, by) => `max_by(${x}, ${by})`,
  percentile: (x, p) =>
    `element_at(array_sort(array_agg(${x}) FILTER (WHERE ${x} IS NOT NULL)), greatest(1, CAST(ceiling(${numLit(p)} * count(${x}) / 100E0 - ${String(RANK_SLACK).toUpperCase()}) AS integer)))`,
  greatest: (xs) => `array_max(filter(ARRAY[${xs.join(", ")}], v -> v IS NOT NULL))`,
  least: (xs) => `array_min(filter(ARRAY[${xs.join(", ")}], v -> v IS NOT NULL))`,
  base64: (s) => `to_base64(to_utf8(${s}))`,
  unbase64: (s) => `from_utf8(from_base64(${s}))`,
  md5: (s) => `lower(to_hex(md5(to_utf8(${s}))))`,
  sha256: (s) => `lower(to_hex(sha256(to_utf8(${s}))))`,
  urlEncode: (s) => `url_encode(${s})`,
  urlDecode: (s) => `url_decode(${s})`,
  // a string shows as itself, other values as JSON
  jsonOutput: (t, src) =>
    src ? `coalesce(json_extract_scalar(${src.base}, ${lit(src.path)}), ${src.path === "$" ? src.base : `json_format(json_extract(${src.base}, ${lit(src.path)}))`})` : `coalesce(json_extract_scalar(${t}, '$'), ${t})`,
  // the object each row was read from (a hidden column of Athena's tables over S3), as trailq lists files by name
  copyOrder: '"$path"',
};

const STRFTIME_TO_DUCKDB: Record<string, string> = { L: "%g", F: "%Y-%m-%d", T: "%H:%M:%S", "%": "%%" };

/** A JSON path as DuckDB writes it: a key that is not a plain name is `."x-amz-acl"`, not `["x-amz-acl"]` (Trino's form, which DuckDB rejects). */
const duckPath = (path: string): string => (path.includes('["*"]') ? jsonPointer(path) : path.replace(/\["((?:[^"\\]|\\.)*)"\]/g, '."$1"'));

/**
 * The path as a JSON pointer (/a/*), which DuckDB reads key by key: in its $ paths a key `*`, even
 * quoted, is a wildcard (every key's value).
 */
function jsonPointer(path: string): string {
  let out = "";
  const re = /\.([A-Za-z_][A-Za-z0-9_]*)|\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]/g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    const key = m[1] ?? (m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3]!);
    out += "/" + key.replace(/~/g, "~0").replace(/\//g, "~1");
  }
  return out;
}

export const duckdb: Dialect = {
  name: "duckdb",
  // an offset in the text moves the instant (a TIMESTAMP cast drops it); the session's zone is UTC
  // to the millisecond, as trailq reads eventTime (DuckDB's timestamps keep microseconds)
  parseTime: (s) => `date_trunc('millisecond', timezone('UTC', try_cast(${s} AS TIMESTAMPTZ)))`,
  timeLit: (ms) => `TIMESTAMP ${lit(new Date(ms).toISOString().replace("T", " ").replace("Z", ""))}`,
  toMillis: (t) => `epoch_ms(${t})`,
  fromMillis: (ms) => `epoch_ms(CAST(floor(${ms}) AS BIGINT))`,
  addTime: (t, n, unit) => `(${t} + INTERVAL (${n}) ${unit.toUpperCase()})`,
  floorMs: (t, size) => `epoch_ms(CAST(floor(epoch_ms(${t}) / ${size}) * ${size} AS BIGINT))`,
  ceilMs: (t, size) => `epoch_ms(CAST(ceiling(epoch_ms(${t}) / ${size}) * ${size} AS BIGINT))`,
  // DuckDB has neither %F nor %T: the date and the time written out
  formatTime: (t, f) => (/%[^YymdHMSLjaAbBFT%]/.test(f) ? undefined : `strftime(${t}, ${lit(f.replace(/%([LFT%])/g, (_, c: string) => STRFTIME_TO_DUCKDB[c]!))})`),
  jsonText: (base, path) => (path === "$" ? base : `nullif(CAST(json_extract(${base}, ${lit(duckPath(path))}) AS VARCHAR), 'null')`),
  jsonScalar: (base, path) => `CASE WHEN json_type(${base}, ${lit(duckPath(path))}) NOT IN ('OBJECT', 'ARRAY') THEN json_extract_string(${base}, ${lit(duckPath(path))}) END`,
  // json_type fails on text that is not JSON (an eventName given to jsonArraySize)
  jsonArrayLength: (text) => `(CASE WHEN json_valid(${text}) THEN CASE WHEN json_type(${text}) = 'ARRAY' THEN json_array_length(${text}) END END)`,
  jsonValid: (text) => `json_valid(${text})`,
  toJsonText: (v) => `CAST(to_json(${v}) AS VARCHAR)`,
  arrayAt: (arr, i) => `${arr}[${i + 1}]`,
  regexLike: (s, re) => `regexp_matches(${s}, ${lit(re)})`,
  regexExtract: (s, re, g) => `CASE WHEN regexp_matches(${s}, ${lit(re)}) THEN regexp_extract(${s}, ${lit(re)}, ${g}) END`,
  // RE2 writes a group as \\1 (\\0: the whole match) in the replacement, a backslash as \\\\
  regexReplace: (s, re, r) =>
    `regexp_replace(${s}, ${lit(re)}, ${"sql" in r ? `regexp_replace(${r.sql}, '\\$(\\d)', '\\\\\\1', 'g')` : lit(r.parts.map((p) => (typeof p === "number" ? `\\${p}` : p.replace(/\\/g, "\\\\"))).join(""))}, 'g')`,
  naturalKey: (s) =>
    `array_to_string(list_transform(regexp_extract_all(${s}, '\\d+|\\D+'), p -> CASE WHEN regexp_matches(p, '^\\d') THEN lpad(p, 30, '0') ELSE p END), '')`,
  split: (s, d) => `string_split(${s}, ${d})`,
  minBy: (x, by) => `arg_min(${x}, ${by})`,
  maxBy: (x, by) => `arg_max(${x}, ${by})`,
  percentile: (x, p) =>
    `list_sort(list(${x}) FILTER (WHERE ${x} IS NOT NULL))[greatest(1, CAST(ceiling(${numLit(p)} * count(${x}) / 100E0 - ${String(RANK_SLACK).toUpperCase()}) AS INTEGER))]`,
  greatest: (xs) => `list_max(list_filter([${xs.join(", ")}], v -> v IS NOT NULL))`,
  least: (xs) => `list_min(list_filter([${xs.join(", ")}], v -> v IS NOT NULL))`,
  base64: (s) => `to_base64(encode(${s}))`,
  unbase64: (s) => `decode(from_base64(${s}))`,
  md5: (s) => `md5(${s})`,
  sha256: (s) => `sha256(${s})`,
  urlEncode: () => undefined,
  urlDecode: () => undefined,
  jsonOutput: (t) => t,
  rowOrder: "__ord",
  copyOrder: "__ord",
  tuple: (parts) => `row(${parts.join(", ")})`,
};

export const DIALECTS: Record<DialectName, Dialect> = { athena, duckdb };
