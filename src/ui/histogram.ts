// The histogram above an event query's results: the events the query matched, over time, counted
// by the server whatever `limit`, `sort` or `dedup` keep of them, as in the Logs Insights console.
//
// The rule: a query's matching events are those its commands other than sort, limit and dedup let
// through (one row per event, or more after unnest or expand). A query with any other command that
// looks across rows (stats, pattern, join, sessionize...) has no histogram, as a stats query has
// none in the console. They are counted per minute, then drawn as at most BARS bars of a round
// width (1m, 5m, 1h, 1d...), so every bar's count is exact.
//   - When the query keeps every matching event and shows its @timestamp (no limit, dedup or
//     top-k), its own rows are counted as they stream: no other read.
//   - Else the query without its sort, limit and dedup commands, followed by
//     `stats count(*) by bin(1m)`, runs after the rows are sent: a second scan, which reads only
//     what the filters and eventTime need.
import type { Plan } from "../plan/plan.js";
import type { Command, Query } from "../lang/ast.js";
import { parseQuery } from "../lang/index.js";
import { buildPlan } from "../plan/build.js";
import { ROW_LOCAL } from "../plan/reads.js";
import { LookupTables } from "../lookup/tables.js";
import { userErrorBody } from "./http.js";

/** What the histogram's counts are per bucket before they are drawn. */
const BUCKET_MS = 60_000;
/** The most bars drawn. */
const BARS = 60;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The bars' widths, smallest first (past the last: doubled until the bars fit). */
const WIDTHS = [1, 2, 5, 10, 15, 30].map((m) => m * MINUTE).concat([1, 2, 3, 6, 12].map((h) => h * HOUR), [1, 2, 7, 14, 28].map((d) => d * DAY));

/** The commands that choose among matching events, left out of the histogram's count. */
const CHOOSING = new Set<Command["kind"]>(["sort", "limit", "dedup"]);
const CHOOSING_OPS = new Set(["sort", "limit", "dedup"]);

/** How a plan's histogram is counted: from its rows (`column`: their @timestamp), by a plan of its own, or not at all. */
type HistogramWay = { from: "rows"; column: number } | { from: "scan"; plan: Plan } | undefined;

export function histogramWay(plan: Plan): HistogramWay {
  if (plan.estimate || !plan.ops.every((o) => ROW_LOCAL.has(o.op) || CHOOSING_OPS.has(o.op))) return undefined;
  const column = plan.columns.findIndex((c) => c.expr.k === "system" && c.expr.name === "@timestamp");
  const keepsAll = plan.ops.every((o) => ROW_LOCAL.has(o.op) || (o.op === "sort" && o.topK === undefined));
  if (keepsAll && column >= 0) return { from: "rows", column };
  const counting = countingPlan(plan);
  return counting ? { from: "scan", plan: counting } : undefined;
}

const COUNT = "stats count(*) as n by bin(1m)";

/** The query without its sort, limit and dedup commands, counting per minute; undefined if that does not plan. */
function countingPlan(plan: Plan): Plan | undefined {
  const q = plan.query;
  // the stats command parsed where it stands in the text the spans point into
  const source = `${q.source}\n| ${COUNT}`;
  const stats = parseQuery(" ".repeat(q.source.length + 3) + COUNT).commands[0]!;
  const query: Query = { ...q, source, commands: [...q.commands.filter((c) => !CHOOSING.has(c.kind)), stats] };
  try {
    return buildPlan(query, { now: plan.now, lookups: new LookupTables() });
  } catch (e) {
    if (userErrorBody(e)) return undefined;
    throw e;
  }
}

/** The histogram as the page draws it: `counts[i]` events from `from + i * width`. */
interface Bars {
  from: number;
  width: number;
  counts: number[];
  /** Events matched: those on the bars, and those without a time (`untimed`), which no bar holds. */
  total: number;
  untimed: number;
}

/** Events counted per minute, drawn as bars. */
export class TimeCounts {
  private readonly perBucket = new Map<number, number>();
  total = 0;
  /** Events counted without a time: matched, on no bar. */
  untimed = 0;

  /** `n` events at time t (epoch ms; anything else has no place on the histogram, and is counted apart). */
  add(t: unknown, n = 1): void {
    if (typeof t !== "number" || !Number.isFinite(t)) {
      this.untimed += n;
      return;
    }
    const b = Math.floor(t / BUCKET_MS) * BUCKET_MS;
    this.perBucket.set(b, (this.perBucket.get(b) ?? 0) + n);
    this.total += n;
  }

  bars(): Bars | undefined {
    if (this.perBucket.size === 0) return undefined;
    let lo = Infinity;
    let hi = -Infinity;
    for (const b of this.perBucket.keys()) {
      if (b < lo) lo = b;
      if (b > hi) hi = b;
    }
    const end = hi + BUCKET_MS;
    const fits = (w: number): boolean => Math.ceil((end - Math.floor(lo / w) * w) / w) <= BARS;
    let width = WIDTHS.find(fits);
    if (width === undefined) for (width = WIDTHS[WIDTHS.length - 1]! * 2; !fits(width); width *= 2);
    const from = Math.floor(lo / width) * width;
    const counts = new Array<number>(Math.ceil((end - from) / width)).fill(0);
    for (const [b, n] of this.perBucket) counts[Math.floor((b - from) / width)]! += n;
    return { from, width, counts, total: this.total + this.untimed, untimed: this.untimed };
  }
}
