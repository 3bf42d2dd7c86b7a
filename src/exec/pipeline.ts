// Turns a checked plan into a chain of operators with compiled expressions, ending in a sink that
// evaluates the output columns. Compiling happens here, once per query.
import { QueryError } from "../errors.js";
import type { Plan, PlanOp } from "../plan/plan.js";
import type { Value } from "./values.js";
import { compile, compilePredicate, type CompileOptions } from "./compile.js";
import type { Row } from "./row.js";
import type { Operator } from "./operators/operator.js";
import { FilterOp } from "./operators/filter.js";
import { ComputeOp } from "./operators/compute.js";
import { ParseFormatOp, ParseOp } from "./operators/parse.js";
import { StatsOp, type AggregateSlot } from "./operators/stats.js";
import { SortOp } from "./operators/sort.js";
import { LimitOp } from "./operators/limit.js";
import { DedupOp, FirstPerKeyOp } from "./operators/dedup.js";
import { ROW_LOCAL } from "../plan/reads.js";
import { Holding, type MemoryBudget } from "./memory.js";
import { UnnestOp } from "./operators/unnest.js";
import { AddTotalsOp } from "./operators/addtotals.js";
import { LookupOp, cidrMatcher, keyMatcher } from "./operators/lookup.js";
import { PatternOp, type DiffSpec } from "./operators/pattern.js";
import { CountFrequentOp, OutlierOp, SessionizeOp } from "./operators/rowsets.js";
import { AppendColsOp, JoinOp } from "./operators/join.js";
import { RelevantFieldsOp } from "./operators/relevantfields.js";
import { AccumOp, AutoregressOp, ExpandOp, FilldownOp, FillmissingOp } from "./operators/window.js";

/** Receives the result rows, as values in the plan's column order. */
export interface ResultSink {
  row(values: Value[]): void;
  end(): void;
}

export interface Pipeline {
  /** The first operator: push every event row here, then call end(). */
  head: Operator;
  /** The first operator of plan command i (undefined before the one the pipeline starts at). */
  operatorOf(i: number): Operator | undefined;
  /** Warnings found while compiling (e.g. periods Logs Insights would cap). */
  warnings: string[];
  /** Number of result rows emitted so far. */
  readonly rowsOut: number;
  /** Hands a result row (the output columns' values, evaluated elsewhere) straight to the sink. */
  emit(values: Value[]): void;
}

/**
 * A pipeline of one operator that takes the plan's commands' place (a scan task: detect's rules,
 * trailq index's values; tasks.ts): it emits no result row. `head` defaults to one that drops the
 * rows (a parallel scan's own: the workers run the task).
 */
export function taskPipeline(head: Operator = { push() {}, end() {} }): Pipeline {
  return { head, operatorOf: () => undefined, warnings: [], rowsOut: 0, emit() {} };
}

/**
 * What the pipeline needs to know of the run: the query's time range (diff compares against it),
 * and the memory budget of the commands that hold rows (none: they hold what they are given).
 */
export interface RunContext {
  range?: { start?: number; end?: number };
  memory?: MemoryBudget;
}

/**
 * The operators of the plan's commands from `from` on, ending in the sink. A parallel scan runs the
 * commands before `from` in its workers and pushes what they give into this head.
 */
export function buildPipeline(plan: Plan, sink: ResultSink, run: RunContext = {}, from = 0): Pipeline {
  const warnings: string[] = [];
  const opts: CompileOptions = { now: plan.now, warnings, ...(run.range ? { range: run.range } : {}) };
  const columns = plan.columns.map((c) => compile(c.expr, opts));
  let rowsOut = 0;
  const out: Operator = {
    push(row: Row) {
      rowsOut++;
      sink.row(columns.map((f) => f(row)));
    },
    end() {
      sink.end();
    },
  };
  const operators = chainOperators(plan.ops.slice(from), opts, out, run);
  return {
    head: operators[0] ?? out,
    operatorOf: (i) => operators[i - from],
    warnings,
    get rowsOut() {
      return rowsOut;
    },
    emit(values) {
      rowsOut++;
      sink.row(values);
    },
  };
}

/**
 * Compiles every expression of the plan as running it does, for the errors only compiling finds
 * (a period or a regex where a value is needed, `in` without a list, a bad pattern given as a
 * string): buildPlan calls it, so that every error of a query comes before any file is opened.
 */
export function checkCompiles(plan: Plan): void {
  buildPipeline(plan, { row() {}, end() {} });
}

/**
 * The operators of the commands, each pushing into the next, the last into `last`. A sort that a
 * dedup follows gets a FirstPerKeyOp in front (only one row per dedup key can come out of the two).
 */
export function chainOperators(ops: PlanOp[], opts: CompileOptions, last: Operator, run: RunContext): Operator[] {
  // `ops` start at the plan's start or at a parallel scan's barrier: a command with only row-by-row
  // commands before it in `ops` gets the scan's events
  const eventsUpTo = ops.findIndex((o) => !ROW_LOCAL.has(o.op));
  const operators: Operator[] = [];
  let next = last;
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i]!;
    const events = eventsUpTo < 0 || i <= eventsUpTo;
    next = makeOperator(op, opts, next, run, events);
    const after = ops[i + 1];
    if (op.op === "sort" && op.topK === undefined && after?.op === "dedup") next = firstPerKey(after, op, opts, next, events, run.memory);
    operators.unshift(next);
  }
  return operators;
}

/** The FirstPerKeyOp for a dedup after a sort, pushing into `next` (`events`: the sort gets the scan's events). */
export function firstPerKey(
  dedup: Extract<PlanOp, { op: "dedup" }>,
  sort: Extract<PlanOp, { op: "sort" }>,
  opts: CompileOptions,
  next: Operator,
  events: boolean,
  memory: MemoryBudget | undefined,
): FirstPerKeyOp {
  return new FirstPerKeyOp(dedup.keys.map((k) => compile(k, opts)), sort.keys.map((k) => ({ eval: compile(k.expr, opts), desc: k.desc })), next, events, memory);
}

/** `events`: the operator gets the scan's events (only row-by-row commands before it). */
function makeOperator(op: PlanOp, opts: CompileOptions, next: Operator, run: RunContext, events: boolean): Operator {
  switch (op.op) {
    case "filter":
      return new FilterOp(compilePredicate(op.pred, opts), next);
    case "compute":
      return new ComputeOp(op.items.map((i) => ({ name: i.name, eval: compile(i.expr, opts) })), next);
    case "parseFormat":
      return new ParseFormatOp(compile(op.source, opts), op.mode, op.names, next);
    case "parse":
      return new ParseOp(compile(op.source, opts), op.regex, op.names, op.groups, op.multi, next);
    case "stats": {
      const keyEvals = op.keys.map((k, i) => {
        if (!op.timeKeys.includes(i) || op.offsetMs === 0) return compile(k.expr, opts);
        // `offset`: buckets start `offsetMs` later: bucket the shifted time, then shift back.
        const shift = op.offsetMs;
        const f = compile(k.expr, { ...opts, timestamp: (row) => row.timestamp - shift });
        return (row: Row) => {
          const v = f(row);
          return typeof v === "number" ? v + shift : v;
        };
      });
      const slots: AggregateSlot[] = op.slots.map((s) => {
        const [first, ...rest] = s.args;
        const slot: AggregateSlot = {
          fn: s.fn,
          text: s.ast.text,
          params: rest.map((p) => (p.k === "const" ? p.value : p.k === "period" ? (p.period as unknown as Value) : undefined)),
          star: s.star,
        };
        if (first && !s.star) slot.arg = compile(first, opts);
        const problem = s.fn.checkParams?.(slot.params);
        if (problem) throw new QueryError(problem, rest[0]!.ast.span);
        return slot;
      });
      const items = op.items.map((i) => ({ name: i.name, eval: compile(i.expr, opts) }));
      return new StatsOp(op.keys.map((k) => k.name), keyEvals, slots, items, next, opts.warnings, run.memory);
    }
    case "sort":
      return new SortOp(op.keys.map((k) => ({ eval: compile(k.expr, opts), desc: k.desc })), op.topK, next, events, run.memory);
    case "limit":
      return new LimitOp(op.count, op.fromEnd, next);
    case "dedup":
      return new DedupOp(op.keys.map((k) => compile(k, opts)), next, run.memory);
    case "unnest":
      return new UnnestOp(compile(op.list, opts), op.alias, next);
    case "join":
      return new JoinOp(op.inner, op.right, compile(op.leftKey, opts), op.rightPath, op.wholeEvents, op.rows, next);
    case "appendcols":
      return new AppendColsOp(op.rows, op.columns.map((c) => ({ name: c.name, existing: compile(c.existing, opts) })), op.override, op.max, next);
    case "relevantfields":
      return new RelevantFieldsOp(op.fields.map((f) => ({ name: f.name, read: compile(f.expr, opts) })), compilePredicate(op.cond, opts), next, new Holding(run.memory, "relevantfields"), opts.warnings);
    case "countFrequent":
      return new CountFrequentOp(op.keys.map((k) => k.name), op.keys.map((k) => compile(k.expr, opts)), next, new Holding(run.memory, "countFrequent"));
    case "sessionize":
      return new SessionizeOp(op.keys.map((k) => compile(k, opts)), op.maxspanMs, op.name, next, new Holding(run.memory, "sessionize"));
    case "outlier":
      return new OutlierOp(op.fields, op.values.map((v) => compile(v, opts)), op, next, new Holding(run.memory, "outlier"));
    case "pattern": {
      // a range with a start only ends now, as the scan reads it (scanSelection)
      const range = run.range?.start !== undefined && run.range.end === undefined ? { ...run.range, end: opts.now } : run.range;
      const diff: DiffSpec | undefined = op.diff ? { ...op.diff, ...range } : undefined;
      return new PatternOp(compile(op.source, opts), diff, next, op.anomaly ?? false, new Holding(run.memory, "pattern"), opts.warnings);
    }
    case "accum":
      return new AccumOp(compile(op.source, opts), op.name, next);
    case "autoregress":
      return new AutoregressOp(compile(op.source, opts), op.outputs, next);
    case "filldown":
      return new FilldownOp(op.names, next);
    case "expand":
      return new ExpandOp(compile(op.source, opts), op.name, next);
    case "fillmissing":
      return new FillmissingOp(op.timeKey, op.amount, op.unit, op.offsetMs, op.seriesKeys, op.constants, next, new Holding(run.memory, "fillmissing"));
    case "lookup":
    case "cidrlookup":
      return new LookupOp(
        op.op === "lookup" ? keyMatcher(op.index, op.keys.map((k) => compile(k, opts))) : cidrMatcher(op.nets, compile(op.ip, opts)),
        op.outputs,
        op.onlyNew,
        op.outputs.map((o) => compile(o.current, opts)),
        next,
      );
    case "addtotals":
      return new AddTotalsOp(op.rowTotal, op.columnTotals, op.listed, next);
  }
}
