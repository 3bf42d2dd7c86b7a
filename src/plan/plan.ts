// The execution plan: the query as an ordered list of checked operators, with the output columns.
// It is made once from the AST (build.ts), printed by `trailq explain` (explain.ts), run by the
// native engine (src/exec), and is what other back ends translate.
import type { ValueType } from "../functions/types.js";
import type { PeriodUnit, Query } from "../lang/ast.js";
import type { RExpr } from "../check/rexpr.js";
import type { TextMatcher } from "../check/regex.js";
import type { SourceSelection } from "./commands/source.js";
import type { Subnet } from "../functions/ip.js";
import type { Value } from "../exec/values.js";

/** A named value computed by an operator (`fields x as y`, a stats key or aggregate). */
export interface NamedExpr {
  name: string;
  expr: RExpr;
}

export interface OutputColumn {
  name: string;
  type: ValueType;
  expr: RExpr;
}

export type PlanOp =
  | { op: "filter"; pred: RExpr; keyword: string }
  /** Evaluate expressions into columns of the row (fields/display items with an alias or computation). */
  | { op: "compute"; items: NamedExpr[] }
  | {
      op: "parse";
      source: RExpr;
      mode: "glob" | "regex";
      /** The pattern: a glob, matched without backtracking, or a regex (src/check/regex.ts). */
      regex: TextMatcher;
      /** Output column names, and for each the regex group (number, or JS group name) it comes from. */
      names: string[];
      groups: (number | string)[];
      multi: boolean;
    }
  /** parse f logfmt as m (a map of key=value pairs) / parse f csv as a, b (fields by position). */
  | { op: "parseFormat"; mode: "logfmt" | "csv"; source: RExpr; names: string[] }
  | {
      op: "stats";
      keys: NamedExpr[];
      /** Output items in order; they read aggregate slots and earlier items. */
      items: NamedExpr[];
      /** The aggregate calls, by slot. */
      slots: Extract<RExpr, { k: "agg" }>[];
      /** A by-key that is a time bucket (bin/datefloor/dateceil): its index in keys, else -1. */
      timeKey: number;
      /** Every such key's index (offset shifts them all). */
      timeKeys: number[];
      /** `offset` in ms: shifts time buckets. */
      offsetMs: number;
    }
  | {
      op: "sort";
      keys: { expr: RExpr; desc: boolean }[];
      /** `implicit`: the default order (newest first, or a time series oldest first) — not written by the user. */
      implicit: boolean;
      /** Keep only the first N rows (sort fused with the limit that follows). */
      topK?: number;
    }
  | { op: "limit"; count: number; fromEnd: boolean; keyword: string }
  | { op: "dedup"; keys: RExpr[] }
  /** unnest: one row per element of a list, the element in column `alias`. */
  | { op: "unnest"; list: RExpr; alias: string }
  /** addtotals: a row-total column, and/or a last row of column totals. */
  | { op: "accum"; source: RExpr; name: string }
  | { op: "autoregress"; source: RExpr; outputs: { name: string; lag: number }[] }
  | { op: "filldown"; names: string[] }
  | { op: "expand"; source: RExpr; name: string }
  | {
      op: "fillmissing";
      timeKey: string;
      amount: number;
      unit: PeriodUnit;
      /** The stats' `offset`: its buckets start this much after the period's boundaries. */
      offsetMs: number;
      seriesKeys: string[];
      constants: { name: string; value: string | number | boolean }[];
    }
  | { op: "countFrequent"; keys: NamedExpr[] }
  | { op: "sessionize"; keys: RExpr[]; maxspanMs: number; name: string }
  | { op: "outlier"; fields: string[]; values: RExpr[]; remove: boolean; param: number; useLower: boolean; mark: boolean }
  /** relevantfields [f, ...] where COND: fields ranked by how they tell the matching rows apart. */
  | { op: "relevantfields"; fields: NamedExpr[]; cond: RExpr }
  /** pattern: clusters of the field's values; with diff, counts against the previous range. */
  | { op: "pattern"; source: RExpr; diff?: { shiftMs?: number }; anomaly?: boolean }
  /** lookup: enrich rows from a CSV table matched on key columns. */
  | {
      op: "lookup";
      table: string;
      /** Rows of the table by the joined values of its key columns. */
      index: Map<string, string[]>;
      keys: RExpr[];
      /** Each output: the table column, the field name, and how to read the field's value now (OUTPUTNEW). */
      outputs: { column: number; name: string; current: RExpr }[];
      /** OUTPUTNEW: only fill fields that have no value. */
      onlyNew: boolean;
    }
  /**
   * join: each row meets the rows of a subquery (run before the scan) with the same key; the right
   * row is the map column `right` (`right.x`), the row's own fields are also `left.x`.
   */
  | {
      op: "join";
      inner: boolean;
      right: string;
      leftKey: RExpr;
      /** The key in the right rows, as written after `right.` (a column, or a path into an event). */
      rightKey: string;
      rightPath: string[];
      /** The subquery keeps events: each right row is the whole event with its system fields and made columns. */
      wholeEvents: boolean;
      sub: Plan;
      rows: { list?: Record<string, Value>[] };
    }
  /** appendcols: row i gets the columns of the subquery's row i. */
  | { op: "appendcols"; sub: Plan; override: boolean; max: number; rows: { list?: Record<string, Value>[] }; columns: { name: string; existing: RExpr }[] }
  /** cidrlookup: enrich rows from the table row whose CIDR holds the address (longest prefix first). */
  | {
      op: "cidrlookup";
      table: string;
      ip: RExpr;
      nets: { net: Subnet; row: string[] }[];
      outputs: { column: number; name: string; current: RExpr }[];
      onlyNew: boolean;
    }
  | {
      op: "addtotals";
      rowTotal?: { name: string; fields: string[] };
      columnTotals?: string[];
      /** Fields named by the user: numbers held in strings count. Else only numbers do (not account ids). */
      listed: boolean;
    };

export interface Plan {
  query: Query;
  ops: PlanOp[];
  columns: OutputColumn[];
  /** The result is a time series (stats by bin()): charts draw it, --fill fills it. */
  timeSeries: boolean;
  /** Compile-time warnings (deprecated commands, periods Logs Insights would cap). */
  warnings: string[];
  /** The query start time (now()) used when compiling, epoch ms. */
  now: number;
  /** What SOURCE selected: accounts, regions, time range. */
  source?: SourceSelection;
  /** `estimate`: say what the query would read, without running it. */
  estimate?: boolean;
  /**
   * Set when the query keeps events (no fields, display, stats... chose its columns): the columns
   * commands made on the way (parse, unnest...). A join's right side then gives whole events.
   */
  eventRows?: OutputColumn[];
}
