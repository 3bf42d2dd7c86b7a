// Resolved expressions → closures, once per query. The closures are what runs per row; nothing
// here looks at the AST or the registry again after compiling.
import { QueryError } from "../errors.js";
import type { CompileContext, CompiledArg } from "../functions/types.js";
import type { Expr } from "../lang/ast.js";
import type { RExpr } from "../check/rexpr.js";
import { compareValues, equals, isNull, isNumericString, isStructure, isTruthy, toNumber, toText, type Value } from "./values.js";
import type { Row } from "./row.js";
import { inherited, keyReader, ownValue } from "./own.js";
import { parseDateText } from "../time/date-text.js";

/** Per-query settings for compiling. */
export interface CompileOptions {
  now: number;
  /** Collects compile-time warnings (printed once). */
  warnings: string[];
  /** Where bin() and @timestamp read the time from (stats' offset shifts it). Default: the row's @timestamp. */
  timestamp?: (row: Row) => number;
  /** The query's time range (--start, --end, --since, SOURCE), for queryStartTime() and its kin. */
  range?: { start?: number; end?: number };
}

export type RowEval = (row: Row) => Value;

export function compile(e: RExpr, opts: CompileOptions): RowEval {
  return new Compiler(opts).expr(e);
}

/** A filter predicate: true keeps the row. */
export function compilePredicate(e: RExpr, opts: CompileOptions): (row: Row) => boolean {
  const f = compile(e, opts);
  return (row) => isTruthy(f(row));
}

class Compiler {
  private readonly ctx: CompileContext;
  /** The time is read shifted (CompileOptions.timestamp). */
  private readonly shifted: boolean;

  constructor(opts: CompileOptions) {
    this.shifted = opts.timestamp !== undefined;
    const ts = opts.timestamp ?? ((row: Row) => row.timestamp);
    this.ctx = {
      now: opts.now,
      ...(opts.range ? { range: opts.range } : {}),
      timestamp: (row) => {
        const t = ts(row as Row);
        return Number.isNaN(t) ? undefined : t;
      },
      warn: (message) => {
        if (!opts.warnings.includes(message)) opts.warnings.push(message);
      },
      fail: (message: string, expr: Expr): never => {
        throw new QueryError(message, expr.span);
      },
    };
  }

  expr(e: RExpr): RowEval {
    switch (e.k) {
      case "const": {
        const v = e.value;
        return () => v;
      }
      case "period":
        throw new QueryError("a time period can only be an argument of bin, datefloor or dateceil", e.ast.span);
      case "regex":
        throw new QueryError("a regex can only be used with like, =~, parse or a regex function", e.ast.span);
      case "event":
        return eventPath(e.path);
      case "system":
        // @timestamp as bin() reads it: stats' offset shifts both (datefloor(@timestamp, 1h) offset 20m)
        if (e.name === "@timestamp" && this.shifted) return (row) => this.ctx.timestamp(row);
        return systemField(e.name);
      case "column": {
        const column = keyReader(e.name) as (x: Row["x"]) => Value;
        if (e.path.length === 0) return (row) => column(row.x);
        const inner = valuePath(e.path);
        return (row) => inner(column(row.x));
      }
      case "member": {
        const t = this.expr(e.target);
        const key = e.key;
        const read = keyReader(key) as (v: Value) => Value;
        const index = /^\d+$/.test(key) ? Number(key) : undefined;
        return (row) => {
          const v = t(row);
          return isStructure(v) && !Array.isArray(v) ? read(v) : Array.isArray(v) && index !== undefined ? v[index] : undefined;
        };
      }
      case "index": {
        const t = this.expr(e.target);
        const i = this.expr(e.index);
        return (row) => {
          const v = t(row);
          const k = i(row);
          if (Array.isArray(v)) {
            const n = toNumber(k);
            return n === undefined ? undefined : v[n];
          }
          if (isStructure(v) && typeof k === "string") return ownValue(v, k) as Value;
          return undefined;
        };
      }
      case "list": {
        const items = e.items.map((i) => this.expr(i));
        return (row) => items.map((f) => f(row));
      }
      case "subquery":
        throw new QueryError("a subquery can only follow in or not in", e.ast.span);
      case "agg": {
        const slot = e.slot;
        return (row) => row.aggs![slot];
      }
      case "unary": {
        const f = this.expr(e.operand);
        if (e.op === "not") return (row) => !isTruthy(f(row));
        return (row) => {
          const n = toNumber(f(row));
          return n === undefined ? undefined : -n;
        };
      }
      case "call":
        return this.call(e);
      case "binary":
        return this.binary(e);
    }
  }

  private call(e: Extract<RExpr, { k: "call" }>): RowEval {
    const fn = e.fn;
    if (fn.compile) {
      const args: CompiledArg[] = e.args.map((a) => {
        const arg: CompiledArg = { expr: a.ast, eval: this.argEval(a) as CompiledArg["eval"], type: a.type };
        if (a.k === "const") arg.constant = a.value;
        if (a.k === "period") arg.period = a.period;
        if (a.k === "regex") arg.constant = a.regex as unknown as Value;
        return arg;
      });
      return fn.compile(args, this.ctx) as RowEval;
    }
    const impl = fn.impl!;
    const a = e.args.map((x) => this.expr(x));
    switch (a.length) {
      case 0:
        return () => impl();
      case 1: {
        const [a0] = a as [RowEval];
        return (row) => impl(a0(row));
      }
      case 2: {
        const [a0, a1] = a as [RowEval, RowEval];
        return (row) => impl(a0(row), a1(row));
      }
      case 3: {
        const [a0, a1, a2] = a as [RowEval, RowEval, RowEval];
        return (row) => impl(a0(row), a1(row), a2(row));
      }
      default:
        return (row) => impl(...a.map((f) => f(row)));
    }
  }

  /** An argument evaluator; periods and regexes evaluate to their constant forms. */
  private argEval(a: RExpr): RowEval {
    if (a.k === "period") return () => undefined;
    if (a.k === "regex") {
      const re = a.regex as unknown as Value;
      return () => re;
    }
    return this.expr(a);
  }

  private binary(e: Extract<RExpr, { k: "binary" }>): RowEval {
    const op = e.op;
    if (op === "like" || op === "not like" || op === "=~") return this.match(e);
    if (op === "in" || op === "not in") return this.membership(e);
    const l = this.expr(e.left);
    const r = this.timeOperand(e.right, e.left) ?? this.expr(e.right);
    const lt = this.timeOperand(e.left, e.right);
    const left = lt ?? l;
    switch (op) {
      case "and":
        return (row) => isTruthy(left(row)) && isTruthy(r(row));
      case "or":
        return (row) => isTruthy(left(row)) || isTruthy(r(row));
      case "=":
        return (row) => equals(left(row), r(row));
      case "!=":
        return (row) => !equals(left(row), r(row));
      case "<":
        return (row) => { const c = compareValues(left(row), r(row)); return c !== undefined && c < 0; };
      case "<=":
        return (row) => { const c = compareValues(left(row), r(row)); return c !== undefined && c <= 0; };
      case ">":
        return (row) => { const c = compareValues(left(row), r(row)); return c !== undefined && c > 0; };
      case ">=":
        return (row) => { const c = compareValues(left(row), r(row)); return c !== undefined && c >= 0; };
      default:
        return arithmetic(op, left, r);
    }
  }

  /**
   * A date string compared with a time (`@timestamp > "2026-11-02"`) compares as the instant it
   * names (UTC when no zone is given). Only constant strings are converted, once.
   */
  private timeOperand(side: RExpr, other: RExpr): RowEval | undefined {
    if (other.type !== "time" || side.k !== "const" || typeof side.value !== "string") return undefined;
    const s = side.value;
    const ms = parseDateText(s);
    if (Number.isNaN(ms)) return undefined;
    return () => ms;
  }

  /** A constant date string as the instant it names (a number of ms), else the item as it is. */
  private asInstant(item: RExpr): RExpr {
    if (item.k !== "const" || typeof item.value !== "string") return item;
    const ms = parseDateText(item.value);
    return Number.isNaN(ms) ? item : { ...item, value: ms, type: "number" };
  }

  private match(e: Extract<RExpr, { k: "binary" }>): RowEval {
    const l = this.expr(e.left);
    const negate = e.op === "not like";
    let test: (s: string) => boolean;
    if (e.right.k === "regex") {
      const re = e.right.regex;
      test = (s) => re.test(s);
    } else if (e.right.k === "const" && typeof e.right.value === "string") {
      const needle = e.right.value;
      test = (s) => s.includes(needle);
    } else {
      const r = this.expr(e.right);
      return (row) => {
        const s = toText(l(row));
        const n = toText(r(row));
        const hit = s !== undefined && n !== undefined && s.includes(n);
        return negate ? !hit : hit;
      };
    }
    return (row) => {
      const s = toText(l(row));
      const hit = s !== undefined && test(s);
      return negate ? !hit : hit;
    };
  }

  private membership(e: Extract<RExpr, { k: "binary" }>): RowEval {
    const l = this.expr(e.left);
    const negate = e.op === "not in";
    if (e.right.k === "subquery") {
      // The subquery ran before the scan; its values are compared as text.
      const values = e.right.values;
      return (row) => {
        const t = toText(l(row));
        const hit = t !== undefined && values.texts!.has(t);
        return negate ? !hit : hit;
      };
    }
    if (e.right.k !== "list") throw new QueryError("in needs a list such as [\"a\", \"b\"]", e.right.ast.span);
    // a date string in a list matched against a time is the instant it names, as with `=`
    const items = e.left.type === "time" ? e.right.items.map((i) => this.asInstant(i)) : e.right.items;
    // Fast path: a constant list of plain strings (no numbers, no "true"/"false"): `=` is then
    // exact string equality, so a Set answers it.
    if (items.every((i) => i.k === "const" && typeof i.value === "string" && !isNumericString(i.value) && i.value !== "true" && i.value !== "false")) {
      const set = new Set(items.map((i) => (i as Extract<RExpr, { k: "const" }>).value as string));
      return (row) => {
        const v = l(row);
        if (isNull(v)) return negate;
        const hit = typeof v === "string" && set.has(v);
        return negate ? !hit : hit;
      };
    }
    const fs = items.map((i) => this.expr(i));
    return (row) => {
      const v = l(row);
      const hit = fs.some((f) => equals(v, f(row)));
      return negate ? !hit : hit;
    };
  }
}

function arithmetic(op: string, l: RowEval, r: RowEval): RowEval {
  const num = (f: (a: number, b: number) => number): RowEval => (row) => {
    const a = toNumber(l(row));
    if (a === undefined) return undefined;
    const b = toNumber(r(row));
    if (b === undefined) return undefined;
    const v = f(a, b);
    // past the double's range the value is Infinity, printed so (1e200 * 1e200 had vanished);
    // no number at all (Infinity - Infinity) is null
    return Number.isNaN(v) ? undefined : v;
  };
  switch (op) {
    case "+":
      return num((a, b) => a + b);
    case "-":
      return num((a, b) => a - b);
    case "*":
      return num((a, b) => a * b);
    // division by zero gives null (language.md)
    case "/":
      return num((a, b) => (b === 0 ? NaN : a / b));
    case "%":
      return num((a, b) => a % b);
    case "^":
      return num((a, b) => a ** b);
    default:
      throw new Error(`unknown operator ${op}`);
  }
}

/**
 * A path into a value: objects by key, arrays by index (keys "0", "1"... index arrays as well). A
 * key holding the rest of the path with its dots (a column `userIdentity.userName` of a join's
 * right rows) is taken first. Where the nested path finds nothing, keys holding some segments with
 * their dots, with more nesting after them, are looked for too (`x.y` in `{"x.y":{"z":1}}` for
 * `x.y.z`, as Logs Insights flattens both to one name), the longest first.
 */
export function valuePath(path: string[]): (v: Value | unknown) => Value {
  if (path.length === 1) return keyReader(path[0]!) as (v: unknown) => Value;
  // the segments from i to j joined with dots, made when a value that deep is met (a long path's
  // would cost its length squared, made all at once)
  // (looked for with `in`, quicker than Object.hasOwn: no name an object inherits holds a dot)
  const joined: string[][] = [];
  const keyOf = (i: number, j: number): string => ((joined[i] ??= [])[j] ??= path.slice(i, j + 1).join("."));
  const last = path.length - 1;
  const step = path.map((k) => keyReader(k));
  /** The value at segment i on of o, with keys of several segments tried, the longest first. */
  const dotted = (o: unknown, i: number): unknown => {
    if (i === path.length) return o;
    if (o === null || typeof o !== "object") return undefined;
    if (Array.isArray(o)) return dotted(step[i]!(o), i + 1);
    for (let j = last; j > i; j--) {
      if (!(keyOf(i, j) in o)) continue;
      const found = dotted((o as Record<string, unknown>)[keyOf(i, j)], j + 1);
      if (found !== undefined) return found;
    }
    return dotted(step[i]!(o), i + 1);
  };
  return (v) => {
    let cur = v;
    for (let i = 0; i < path.length; i++) {
      if (cur === null || typeof cur !== "object") return path.length > 2 ? (dotted(v, 0) as Value) : undefined;
      const o = cur as Record<string, unknown>;
      if (i < last && !Array.isArray(o) && keyOf(i, last) in o) return o[keyOf(i, last)] as Value;
      cur = step[i]!(o);
    }
    return (cur === undefined && path.length > 2 ? dotted(v, 0) : cur) as Value;
  };
}

/** Reading a field of the event, specialised for short paths (most CloudTrail fields). */
export function eventPath(path: string[]): RowEval {
  if (path.some(inherited)) {
    const inner = valuePath(path);
    return (row) => inner(row.ev);
  }
  if (path.length === 1) {
    const a = path[0]!;
    return (row) => row.ev?.[a] as Value;
  }
  if (path.length === 2) {
    const [a, b] = path as [string, string];
    return (row) => {
      const v = row.ev?.[a];
      return v !== null && typeof v === "object" ? ((v as Record<string, unknown>)[b] as Value) : undefined;
    };
  }
  const inner = valuePath(path);
  return (row) => inner(row.ev);
}

function systemField(name: string): RowEval {
  switch (name) {
    case "@timestamp":
      return (row) => {
        const t = row.timestamp;
        return Number.isNaN(t) ? undefined : t;
      };
    case "@message":
      // the event's text as written (a reader not asked for it: the event written out again)
      return (row) => row.raw ?? (row.ev ? JSON.stringify(row.ev) : undefined);
    case "@logStream":
      return (row) => row.file?.display;
    case "@log":
      return (row) => {
        if (row.file?.logGroup) return row.file.logGroup;
        const acct = row.ev?.["recipientAccountId"];
        const region = row.ev?.["awsRegion"];
        return typeof acct === "string" && typeof region === "string" ? `${acct}:${region}` : undefined;
      };
    case "@ingestionTime":
      return (row) => row.file?.ingestionTime;
    case "@ptr":
      return (row) => (row.file ? `${row.file.display}#${row.index}` : undefined);
    default:
      throw new Error(`unknown system field ${name}`);
  }
}
