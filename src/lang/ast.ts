// The typed syntax tree of a Logs Insights query. The parser (parser.ts) builds it; the checker
// (src/check) resolves it; nothing here knows about files, rows or execution.

/** A place in the query text: character offsets [start, end) and the 1-based line/column of start. */
export interface Span {
  start: number;
  end: number;
  line: number;
  col: number;
}

interface Node {
  span: Span;
}

export type PeriodUnit = "ms" | "s" | "m" | "h" | "d" | "w" | "mo" | "q" | "y";

// ---------------------------------------------------------------------------------------------
// Expressions. Every expression keeps `text`: its source text as written (trimmed), which names
// result columns that have no alias (`count(*)`, `bin(1h)`, `avg(x)`).

export interface NumberLit extends Node { kind: "number"; value: number; text: string }
export interface StringLit extends Node { kind: "string"; value: string; text: string }
/** `/.../`: `pattern` is the raw text between the slashes (with `\/` turned into `/`). */
export interface RegexLit extends Node { kind: "regex"; pattern: string; text: string }
export interface BoolLit extends Node { kind: "bool"; value: boolean; text: string }
/** A time period literal: `5m`, `1h`, `100ms`, `2 hours`, `1mo`. `unit` is normalised. */
export interface PeriodLit extends Node { kind: "period"; amount: number; unit: PeriodUnit; text: string }
export interface ListLit extends Node { kind: "list"; items: Expr[]; text: string }
/**
 * A field reference, as one dotted path: `eventName`, `@timestamp`, `userIdentity.type`,
 * `resources.0.ARN`. Backticked names are unquoted (`` `a-b` `` → `a-b`); `resources[0].ARN` is
 * normalised to `resources.0.ARN` when the index is a number literal. `segments` holds the path
 * split at dots that were written outside backticks (`` m.`odd.key` `` → ["m", "odd.key"]).
 */
export interface FieldRef extends Node { kind: "field"; name: string; segments: string[]; text: string }
/** Member access on something that is not a plain field: `jsonParse(x).a`. */
export interface MemberAccess extends Node { kind: "member"; target: Expr; key: string; text: string }
/** Index access on something that is not a plain field with a literal index: `l[i]`, `f(x)[0]`. */
export interface IndexAccess extends Node { kind: "index"; target: Expr; index: Expr; text: string }
/** A function call. `name` as written; `star` is true for `count(*)`. */
export interface Call extends Node {
  kind: "call";
  name: string;
  nameSpan: Span;
  args: Expr[];
  star: boolean;
  text: string;
  /** Names of named arguments (`logGroups(accountIdentifiers: [...])`), by position; absent when none. */
  argNames?: (string | undefined)[];
}
export interface Unary extends Node { kind: "unary"; op: "-" | "not"; operand: Expr; text: string }

export type BinaryOp =
  | "or" | "and"
  | "=" | "!=" | "<" | "<=" | ">" | ">="
  | "like" | "not like" | "=~" | "in" | "not in"
  | "+" | "-" | "*" | "/" | "%" | "^";

export interface Binary extends Node { kind: "binary"; op: BinaryOp; left: Expr; right: Expr; text: string }
/**
 * A template parameter `{{name}}` (the placeholder syntax of saved Logs Insights queries), or the reserved
 * `{{@anchor}}` (a time `trailq run` fills: src/templates/anchor.ts). The
 * template binder replaces it with a literal node before checking, so a value can never change the
 * query's structure; an unbound parameter is a check error.
 */
export interface ParamRef extends Node { kind: "param"; name: string; text: string }
/** `( query )` as the right side of `in` / `not in`: a subquery. */
export interface SubqueryExpr extends Node { kind: "subquery"; query: Query; text: string }

export type Expr =
  | NumberLit | StringLit | RegexLit | BoolLit | PeriodLit | ListLit
  | FieldRef | MemberAccess | IndexAccess | Call | Unary | Binary | SubqueryExpr | ParamRef;

/** `expr [as alias]`, used by fields, display, stats and stats' `by`. */
export interface Projection extends Node {
  expr: Expr;
  alias?: string;
  aliasSpan?: Span;
}

// ---------------------------------------------------------------------------------------------
// Commands. `keyword` keeps the command word as written (for messages, e.g. `where`, `head`).

interface CommandBase extends Node { keyword: string }

export interface FieldsCmd extends CommandBase { kind: "fields"; items: Projection[] }
export interface DisplayCmd extends CommandBase { kind: "display"; items: Projection[] }
/** `filter`, its alias `where`, and `filterIndex`. */
export interface FilterCmd extends CommandBase { kind: "filter"; expr: Expr }
export interface StatsCmd extends CommandBase {
  kind: "stats";
  aggs: Projection[];
  by: Projection[];
  /** `... by bin(5m) offset 1h` */
  offset?: PeriodLit;
}
export interface SortKey extends Node { expr: Expr; dir?: "asc" | "desc" }
/** `sort` and its legacy alias `order`. */
export interface SortCmd extends CommandBase { kind: "sort"; keys: SortKey[] }
/** `limit n`, `limit any n`, and the deprecated `head n` / `tail n` (keyword tells which). */
export interface LimitCmd extends CommandBase {
  kind: "limit";
  count: number;
  any: boolean;
  /** `limit {{top}}` in a template: the count comes from the parameter (bound to a number literal). */
  countParam?: ParamRef | NumberLit;
}
export interface ParseCmd extends CommandBase {
  kind: "parse";
  /** The field parsed; absent means `@message`. */
  source?: Expr;
  mode: "glob" | "regex" | "logfmt" | "csv";
  /** glob: the pattern string; regex: the regex source; logfmt/csv: absent. */
  pattern?: string;
  patternSpan?: Span;
  /** Names after `as`, in order (may be empty for a regex with named groups). */
  names: string[];
  multi: boolean;
}
export interface DedupCmd extends CommandBase { kind: "dedup"; fields: Expr[] }
export interface UnnestCmd extends CommandBase { kind: "unnest"; expr: Expr; alias: string }
/** `SOURCE ...`: the arguments are kept as options/values for the sources layer to interpret. */
export interface SourceCmd extends CommandBase { kind: "source"; args: GenericArg[] }

/**
 * Every other command (lookup, cidrlookup, join, appendcols, pattern, anomaly, diff, logcompare,
 * relevantfields, unmask, addtotals, accum, autoregress, filldown, fillmissing, outlier, sessionize,
 * countFrequent, estimate, expand, json, search): its name and its arguments in order. The checker
 * and operators of each command give the arguments their meaning.
 */
export interface GenericCmd extends CommandBase { kind: "generic"; name: string; args: GenericArg[] }

export type GenericArg =
  /** `name=value` (e.g. `type=left`, `row=true`, `p=1-4`, `field=requestContext`, `START=-1w`). */
  | { kind: "option"; name: string; value: Expr | { kind: "word"; text: string; span: Span }; span: Span }
  /** a keyword-like bare word that is not a field in this position (OUTPUT, into, with, for, where, by, as, ...) */
  | { kind: "keyword"; word: string; span: Span }
  | { kind: "expr"; expr: Expr; span: Span }
  /** `( query )` */
  | { kind: "query"; query: Query; span: Span }
  | { kind: "comma"; span: Span };

export type Command =
  | FieldsCmd | DisplayCmd | FilterCmd | StatsCmd | SortCmd | LimitCmd | ParseCmd | DedupCmd
  | UnnestCmd | SourceCmd | GenericCmd;

export interface Query extends Node {
  commands: Command[];
  /** The full query text the spans point into. */
  source: string;
  /** What the text likely holds by accident (curly quotes pasted inside a string): the plan's warnings. */
  notes?: string[];
}
