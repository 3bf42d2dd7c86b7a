// `trailq explain`: the plan as text, one operator a line, with what each reads.
import type { RExpr } from "../check/rexpr.js";
import { ALWAYS_READ, eventReads } from "./reads.js";
import type { Plan, PlanOp } from "./plan.js";
import { LINE_BREAK } from "../errors.js";

/** A query's text on one line: each line break (errors.ts: LINE_BREAK, a lone CR among them) a space. */
function oneLine(source: string): string {
  return source.trim().replace(ONE_LINE, " ");
}
const ONE_LINE = new RegExp(`\\s*(?:${LINE_BREAK.source})[\\s\u0085]*`, "g");

/** A subquery's own text (its query shares the whole query's source). */
function subText(sub: Plan): string {
  return oneLine(sub.query.source.slice(sub.query.span.start, sub.query.span.end));
}

function text(e: RExpr): string {
  return e.ast.text;
}

function describe(op: PlanOp): [string, string] {
  const named = (items: { name: string; expr: RExpr }[]): string =>
    items.map((i) => (i.name === text(i.expr) ? i.name : `${text(i.expr)} as ${i.name}`)).join(", ");
  switch (op.op) {
    case "filter":
      return [op.keyword.toLowerCase() === "filter" ? "filter" : `filter (${op.keyword})`, text(op.pred)];
    case "compute":
      return ["compute", named(op.items)];
    case "parseFormat":
      return [`parse ${op.mode}`, `${text(op.source)} → ${op.names.join(", ")}`];
    case "parse":
      return [`parse ${op.mode}${op.multi ? " multi" : ""}`, `${text(op.source)} ${op.regex} → ${op.names.join(", ")}`];
    case "stats": {
      let d = named(op.items);
      if (op.keys.length) d += ` by ${named(op.keys)}`;
      if (op.offsetMs) d += ` offset ${op.offsetMs} ms`;
      return ["stats", d + `  [${op.slots.length} aggregate${op.slots.length === 1 ? "" : "s"} per group]`];
    }
    case "sort": {
      const keys = op.keys.map((k) => `${text(k.expr)} ${k.desc ? "desc" : "asc"}`).join(", ");
      const how = op.topK !== undefined ? `top ${op.topK}` : "all rows";
      return [op.implicit ? "sort (default order)" : "sort", `${keys}  [${how}]`];
    }
    case "limit":
      return [op.fromEnd ? "limit (last rows)" : "limit", String(op.count)];
    case "dedup":
      return ["dedup", op.keys.map(text).join(", ")];
    case "unnest":
      return ["unnest", `${text(op.list)} into ${op.alias}`];
    case "countFrequent":
      return ["countFrequent", op.keys.map((k) => k.name).join(", ") + " → _approxcount"];
    case "sessionize":
      return ["sessionize", `${op.keys.map(text).join(", ")}: a new ${op.name} after ${op.maxspanMs / 60_000} min without events`];
    case "outlier":
      return ["outlier", `${op.fields.join(", ")}: ${op.remove ? "remove" : "clamp"} beyond ${op.param}×IQR${op.useLower ? " both sides" : " above"}${op.mark ? ", marked" : ""}`];
    case "pattern":
      return [op.anomaly ? "pattern + anomaly" : op.diff ? "pattern + diff" : "pattern", `${text(op.source)}${op.diff ? (op.diff.shiftMs ? `, against the same range ${op.diff.shiftMs / 86_400_000} days before` : ", against the range before") : ""}`];
    case "accum":
      return ["accum", `${text(op.source)} into ${op.name}`];
    case "autoregress":
      return ["autoregress", op.outputs.map((o) => `${o.name} = ${text(op.source)} ${o.lag} row${o.lag === 1 ? "" : "s"} before`).join(", ")];
    case "filldown":
      return ["filldown", op.names.join(", ")];
    case "expand":
      return ["expand", `${text(op.source)} into ${op.name}`];
    case "fillmissing":
      return ["fillmissing", `buckets of ${op.amount}${op.unit} in ${op.timeKey}${op.constants.length ? "; " + op.constants.map((c) => `${c.name} = ${JSON.stringify(c.value)}`).join(", ") : ""}`];
    case "relevantfields":
      return ["relevantfields", `${op.fields.length ? op.fields.map((f) => f.name).join(", ") : "every field"} where ${text(op.cond)}`];
    case "join":
      return [`join (${op.inner ? "inner" : "left"})`, `${text(op.leftKey)} = ${op.right}.${op.rightKey}, ${op.right} from a subquery${op.wholeEvents ? " (whole events)" : ""}: ${subText(op.sub)}`];
    case "appendcols":
      return ["appendcols", `${op.sub.columns.map((c) => c.name).join(", ")} by row position${op.override ? ", overriding" : ""} from: ${subText(op.sub)}`];
    case "cidrlookup":
      return ["cidrlookup", `${op.table} on the subnet holding ${text(op.ip)} → ${op.outputs.map((o) => o.name).join(", ")}${op.onlyNew ? " (only empty fields)" : ""}`];
    case "lookup":
      return ["lookup", `${op.table} on ${op.keys.map(text).join(", ")} → ${op.outputs.map((o) => o.name).join(", ")}${op.onlyNew ? " (only empty fields)" : ""}`];
    case "addtotals": {
      const parts: string[] = [];
      if (op.rowTotal) parts.push(`${op.rowTotal.name} = ${op.rowTotal.fields.join(" + ")}`);
      if (op.columnTotals) parts.push(`a last row of totals of ${op.columnTotals.join(", ")}`);
      return ["addtotals", parts.join("; ")];
    }
  }
}

/**
 * What the scan reads of each event: every field when a command reads whole events; else the
 * fields the query names, and those the scan reads for itself (the time, the eventID it skips
 * copies by, SOURCE's accounts and regions: --account, --region and --keep-duplicates change those).
 */
function scanReads(plan: Plan): string {
  const reads = eventReads(plan);
  if (!reads.paths) return "events, parsed whole (a command reads every field)";
  const own = [...ALWAYS_READ, "eventID", ...(plan.source?.accounts ? ["recipientAccountId"] : []), ...(plan.source?.regions ? ["awsRegion"] : [])];
  const named = [...reads.names].sort();
  return `events, reading ${named.length ? named.join(", ") : "no field"} for the query, and ${own.join(", ")} for the scan itself`;
}

export function explainPlan(plan: Plan): string {
  const lines = [`query: ${oneLine(plan.query.source)}`, ""];
  const rows: [string, string][] = [];
  if (plan.source) {
    const s = plan.source;
    const parts = [
      s.accounts ? `accounts ${s.accounts.join(", ")}` : "",
      s.regions ? `regions ${s.regions.join(", ")}` : "",
      s.start !== undefined ? `from ${new Date(s.start).toISOString()}` : "",
      s.end !== undefined ? `to ${new Date(s.end).toISOString()}` : "",
    ].filter(Boolean);
    rows.push(["source", parts.join(", ") || "all inputs"]);
  }
  rows.push(["scan", scanReads(plan)]);
  for (const op of plan.ops) rows.push(describe(op));
  rows.push(["output", plan.columns.map((c) => (c.type === "time" ? `${c.name} (time)` : c.name)).join(", ")]);
  const w = Math.max(...rows.map(([a]) => a.length));
  rows.forEach(([a, b], i) => lines.push(`${String(i + 1).padStart(2)}. ${a.padEnd(w)}  ${b}`));
  if (plan.timeSeries) lines.push("", "the result is a time series (stats by a time bucket)");
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  return lines.join("\n") + "\n";
}
