// The planner's state while it walks a query's commands, and the steps commands share: the
// operators so far, which names exist (the Scope), the output columns (selected by fields and
// stats, or chosen by display) and the helpers that keep them in step. build.ts drives it; the
// planners in commands/ take it.
import type { FieldRef, GenericCmd, Query, Span } from "../lang/ast.js";
import { Scope } from "../check/resolve.js";
import type { RExpr } from "../check/rexpr.js";
import type { ValueType } from "../functions/types.js";
import type { LookupTables } from "../lookup/tables.js";
import type { SourceSelection } from "./commands/source.js";
import type { OutputColumn, Plan, PlanOp } from "./plan.js";

export interface BuildOptions {
  /** now(), epoch ms; defaults to the current time. */
  now?: number;
  /** Planning a subquery: no subqueries, join or appendcols inside (Logs Insights allows no nesting). */
  nested?: boolean;
  /** Tables for `lookup`. */
  lookups?: LookupTables;
}

/** How a command the parser reads as generic is planned; commands/index.ts names one for each. */
export type GenericPlanner = (cmd: GenericCmd, b: PlanBuilder) => void;

/** A field reference the planner writes itself (a default source, a made column), at `span`. */
export function fieldRef(name: string, span: Span): FieldRef {
  return { kind: "field", name, segments: [name], text: name, span };
}

export class PlanBuilder {
  readonly query: Query;
  readonly opts: BuildOptions;
  /** now(), epoch ms: one instant for the query and its subqueries. */
  readonly now: number;
  readonly ops: PlanOp[] = [];
  readonly warnings: string[] = [];
  /** The names the next command sees. */
  scope: Scope;
  /**
   * The columns shown without a display: those named by `fields` (union, in order of first
   * appearance) and made by commands; after a command that replaced the rows (stats, pattern...),
   * every column there is until a `fields` names its own (see `rowsShown`).
   */
  selected: OutputColumn[] = [];
  /**
   * `selected` holds every column of rows a command made (stats' keys and items, then what parse,
   * unnest... add), not columns a `fields` chose: the next `fields` starts the selection afresh.
   */
  rowsShown = false;
  /** Columns of the last `display`, if any. */
  displayed: OutputColumn[] | undefined;
  /**
   * Columns commands made (parse, lookup, accum, sessionize...) while no fields, display or
   * replacing command chose any: shown by default, after @timestamp and @message.
   */
  madeColumns: { name: string; type: ValueType }[] = [];
  timeSeries = false;
  lastStats: Extract<PlanOp, { op: "stats" }> | undefined;
  source: SourceSelection | undefined;
  /** `estimate`: the plan gives the size of what the query would read instead of rows. */
  estimate = false;
  private readonly build: (q: Query, opts: BuildOptions) => Plan;

  /** `build` plans subqueries (it is buildPlan, passed in so that this file need not import it). */
  constructor(query: Query, opts: BuildOptions, build: (q: Query, opts: BuildOptions) => Plan) {
    this.query = query;
    this.opts = opts;
    this.now = opts.now ?? Date.now();
    this.build = build;
    this.scope = this.freshScope();
  }

  /** Plans a subquery (join, appendcols, a subquery expression) at the same instant. */
  readonly planSub = (q: Query): Plan => this.build(q, { ...this.opts, now: this.now, nested: true });

  /** A scope with nothing defined, that can still plan subqueries. */
  freshScope(): Scope {
    const s = new Scope();
    if (!this.opts.nested) s.planSubquery = (e) => this.planSub(e.query);
    return s;
  }

  /** The scope after a command that makes new rows (stats, pattern...): only what it defines exists. */
  afterStatsScope(): Scope {
    const s = this.freshScope();
    s.afterStats = true;
    return s;
  }

  /** A command replaced the rows: `scope` holds the names there are now, and no column is chosen yet. */
  replaceRows(scope: Scope): void {
    this.scope = scope;
    this.selected = [];
    this.rowsShown = true;
    this.displayed = undefined;
    this.madeColumns = [];
  }

  /**
   * The columns of a `fields` command, selected: after a command that replaced the rows, they are
   * the only ones (`stats ... | fields a, x / n as r` shows a and r), as Logs Insights shows the
   * fields named by fields commands.
   */
  selectFields(cols: OutputColumn[]): void {
    if (this.rowsShown) {
      this.selected = [];
      this.rowsShown = false;
    }
    this.selectAll(cols);
  }

  /**
   * A name a command defines on the rows without choosing it for the output (parse, unnest): shown
   * only while every column of made rows is (after stats, before a fields).
   */
  defineMade(name: string, type: ValueType): void {
    this.scope.define(name, type);
    if (this.rowsShown) this.select(this.column(name, type));
  }

  /** After a command that replaces the rows (pattern, countFrequent, relevantfields): only its columns exist. */
  onlyColumns(cols: readonly (readonly [string, ValueType])[]): void {
    this.replaceRows(this.afterStatsScope());
    for (const [n, t] of cols) this.addColumn(n, t);
  }

  /** The output column that reads the row's column `name`. */
  column(name: string, type: ValueType): OutputColumn {
    return { name, type, expr: columnRef(name, type, this.query) };
  }

  /** Selects a column for the output, in place of a selected one of the same name. */
  select(col: OutputColumn): void {
    const i = this.selected.findIndex((c) => c.name === col.name);
    if (i >= 0) this.selected[i] = col;
    else this.selected.push(col);
  }

  /** Selects columns as `select` does each, in one pass (a `fields` of 100,000 names stays linear). */
  selectAll(cols: readonly OutputColumn[]): void {
    const at = new Map<string, number>();
    this.selected.forEach((c, i) => at.set(c.name, i));
    for (const col of cols) {
      const i = at.get(col.name);
      if (i !== undefined) this.selected[i] = col;
      else at.set(col.name, this.selected.push(col) - 1);
    }
  }

  /**
   * A column a command adds to the rows: defined for the commands after it and selected for the
   * output. When a display chose the columns, one of the same name now shows this column, in its
   * place; a new name is added after them when `shown`.
   */
  addColumn(name: string, type: ValueType, shown = false): OutputColumn {
    this.scope.define(name, type);
    const col = this.column(name, type);
    // nothing chosen yet: the default columns (@timestamp, @message) stay, this one after them (a
    // join's right side then still gives whole events; an in-subquery compares the first made one)
    if (!this.displayed && !this.rowsShown && this.selected.length === 0) {
      this.made([{ name, type }]);
      return col;
    }
    this.select(col);
    if (this.displayed) {
      const i = this.displayed.findIndex((c) => c.name === name);
      if (i >= 0) this.displayed[i] = this.column(name, type);
      else if (shown) this.displayed.push(this.column(name, type));
    }
    return col;
  }

  /**
   * Names made by parse: defined, and shown by default (no fields or display) after the earlier
   * ones: after @timestamp and @message, or after a stats' columns.
   */
  addParsed(names: string[], type: ValueType): void {
    for (const n of names) this.defineMade(n, type);
    this.made(names.map((name) => ({ name, type })));
  }

  /** Columns shown by default after the earlier ones (one made again moves to the end). */
  private made(cols: { name: string; type: ValueType }[]): void {
    this.madeColumns = [...this.madeColumns.filter((c) => !cols.some((n) => n.name === c.name)), ...cols];
  }

  /** The output columns so far: a display's, the selected ones, or those made beside the default ones. */
  shownSoFar(): readonly Pick<OutputColumn, "name" | "type">[] {
    return this.displayed ?? (this.selected.length > 0 ? this.selected : this.madeColumns);
  }

  /** Commands that read output columns by name (addtotals, filldown) need them as columns of the row. */
  materialize(): void {
    const plain = (this.displayed ?? this.selected).filter((c) => c.expr.k !== "column");
    if (plain.length === 0) return;
    this.ops.push({ op: "compute", items: plain.map((c) => ({ name: c.name, expr: c.expr })) });
    for (const c of plain) {
      this.scope.define(c.name, c.type);
      c.expr = columnRef(c.name, c.type, this.query);
    }
  }
}

function columnRef(name: string, type: ValueType, query: Query): RExpr {
  return { k: "column", name, path: [], type, ast: fieldRef(name, query.span) };
}
