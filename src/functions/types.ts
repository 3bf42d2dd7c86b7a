// What a function is: the one definition the checker, the compiler, the REPL's completion, the docs
// and the SQL back ends all read. Each category file (string.ts, numeric.ts, ...) exports a list of
// these; registry.ts gathers them.
import type { Value } from "../exec/values.js";
import type { PeriodLit, Expr } from "../lang/ast.js";

/** Static types. Only `time` changes how a value prints; the rest guide checks and SQL. */
export type ValueType = "any" | "string" | "number" | "bool" | "time" | "list" | "map";

/**
 * What an argument position accepts:
 * - `value`: any expression (its type may be anything);
 * - `period`: a time-period literal (`5m`);
 * - `regex`: a regex literal or a string;
 * - `literal`: a literal constant (number, string, bool, list), checked at compile time.
 */
export type ArgKind = "value" | "period" | "regex" | "literal";

/** A row evaluator: compiled once per query, called per row. */
export type Evaluator = (row: RowView) => Value;

/** What an evaluator can read from a row; implemented by src/exec/row.ts. */
export interface RowView {
  /** @timestamp in epoch ms (NaN when the event has none). */
  readonly timestamp: number;
}

/** A compiled argument handed to a function's compile step. */
export interface CompiledArg {
  expr: Expr;
  eval: Evaluator;
  type: ValueType;
  /** Set when the argument is a literal: its value (for a period, its PeriodLit). */
  constant?: Value;
  period?: PeriodLit;
}

/** Per-query facts a function may need. */
export interface CompileContext {
  /** Query start time, epoch ms, fixed for the whole query (now()). */
  now: number;
  /** The query's time range (--start, --end, --since, SOURCE), when it has one. */
  range?: { start?: number; end?: number };
  /** Reads @timestamp of a row (bin uses it). */
  timestamp: Evaluator;
  /** Report a warning once at compile time (e.g. a period Logs Insights would cap). */
  warn(message: string, expr?: Expr): void;
  /** Raise a located error (e.g. a regex JS can't run). */
  fail(message: string, expr: Expr): never;
}

interface FnBase {
  /** Canonical spelling, as the AWS docs write it (`isValidIpV4`); lookup is case-insensitive. */
  name: string;
  /** Other names (e.g. `strftime` for formatDate, `count_distinct`...). */
  aliases?: string[];
  category: "general" | "string" | "numeric" | "datetime" | "ip" | "json" | "hash" | "conversion" | "aggregate";
  /** Signature for help and completion, e.g. `substr(str, start [, length])`. */
  signature: string;
  /** One line of description. */
  description: string;
  /** Minimum and maximum number of arguments (max may be Infinity). */
  minArgs: number;
  maxArgs: number;
  /** Kind per argument position; the last entry repeats for variadic functions. Default: all `value`. */
  args?: ArgKind[];
  /** Return type: fixed, or computed from the argument types (e.g. coalesce, max). */
  returns: ValueType | ((argTypes: ValueType[]) => ValueType);
}

export interface ScalarFn extends FnBase {
  kind: "scalar";
  /**
   * The plain form: given the argument values of one row, the result. Null handling is the
   * function's own (most return null when an argument is null).
   */
  impl?: (...args: Value[]) => Value;
  /** The specialising form, for functions that precompute from literal arguments (regexes, periods, subnets). */
  compile?: (args: CompiledArg[], ctx: CompileContext) => Evaluator;
}

/** One group's running state for one aggregate. */
export interface Accumulator {
  /**
   * Add one row's argument value (undefined for count(*)); `ts` is the row's @timestamp, `pos` its
   * place in the scan (Row.pos: ties between rows go to the first, whichever thread met it first).
   */
  add(value: Value, ts: number, pos: number): void;
  /** Fold another accumulator of the same function into this one (for parallel partial stats). */
  merge(other: Accumulator): void;
  result(): Value;
  /** How result() was estimated, when it is not the exact answer (count_distinct past its exact limit): the run says so. */
  estimate?(): string | undefined;
  /** The values it holds, for a function with AggregateFn.bytesPerValue (what a merge of it adds to the memory held, at most). */
  held?(): number;
}

export interface AggregateFn extends FnBase {
  kind: "aggregate";
  /** The accumulator reads the row's @timestamp (earliest, latest); others get NaN, saving the parse. */
  usesTimestamp?: boolean;
  /**
   * Bytes each added value may keep in the accumulator, for those whose size grows with their
   * rows (pct and histogram keep every value, count_distinct each distinct one up to its limit):
   * stats counts them against the memory budget.
   */
  bytesPerValue?: number;
  /**
   * Make a new accumulator. `params` are the constant arguments after the first (pct's percentile);
   * `star` is true for count(*) / count().
   */
  create(params: Value[], star: boolean): Accumulator;
  /** What is wrong with the constant arguments after the first (pct's percent out of 0-100), if anything. */
  checkParams?(params: Value[]): string | undefined;
}

export type FunctionDef = ScalarFn | AggregateFn;
