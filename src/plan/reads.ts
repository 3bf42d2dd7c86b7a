// What a plan reads of each event: the fields its expressions name before the first stats (after it,
// rows are groups, not events). The scan extracts only these (src/sources/project.ts); explain prints them.
import { someNode, type RExpr } from "../check/rexpr.js";
import { opExprs } from "./walk.js";
import type { Plan } from "./plan.js";

/**
 * What every scan extracts: eventTime (@timestamp; and a file none of whose first records has one is
 * read the careful way, which tells CloudTrail by eventTime, eventName or eventSource).
 */
export const ALWAYS_READ = ["eventTime"] as const;

export interface EventReads {
  /** Event paths (`userIdentity.arn`) and system fields (`@timestamp`) named, for explain. */
  names: Set<string>;
  /**
   * The event paths to extract, or undefined when the whole event is needed (relevantfields
   * discovering fields, join's `left.*`).
   */
  paths: string[][] | undefined;
  /** The event paths the commands and output name, each once (the scan notes which some event had: exec/facts.ts). */
  fields: string[][];
  /** Names with `-` written without backticks, which are subtractions (the scan notes whether events have them as keys). */
  dashed: DashedName[];
  /** @message is read: each event's text as written is kept beside it (ReaderOptions.raw). */
  raw: boolean;
}

/**
 * `requestParameters.object-lock` without backticks: a chain of `-` between event fields written with
 * no space, which the language reads as a subtraction (of requestParameters.object and lock).
 */
export interface DashedName {
  /** As written: `requestParameters.object-lock`. */
  text: string;
  /** The path it would be in backticks: ["requestParameters", "object-lock"]. */
  path: string[];
  /** The fields the subtraction reads, in order: requestParameters.object, lock. */
  reads: string[];
}

/** The fields a chain of `-` between event fields reads, or undefined when it is anything else. */
function subtracted(e: RExpr): string[] | undefined {
  if (e.k === "event") return [e.path.join(".")];
  if (e.k !== "binary" || e.op !== "-") return undefined;
  const l = subtracted(e.left);
  const r = l && subtracted(e.right);
  return l && r ? [...l, ...r] : undefined;
}

/** A name that may hold `-`: no spaces, backticks or other operators. */
const DASHED = /^[\w.@]+(-[\w.@]+)+$/;

/** Commands that look at the whole event rather than named fields. */
const WHOLE_EVENT_OPS = new Set(["relevantfields", "join", "appendcols"]);

/**
 * What the plan's commands from `from` on (and its output) read of the events. The scan's paths
 * (from 0) include ALWAYS_READ; a parallel scan sends its workers' rows on with only what the
 * commands after its barrier read.
 */
export function eventReads(plan: Plan, from = 0): EventReads {
  const names = new Set<string>();
  const paths: string[][] = from === 0 ? ALWAYS_READ.map((k) => [k]) : [];
  const fields = new Map<string, string[]>();
  const dashed = new Map<string, DashedName>();
  let whole = false;
  const collect = (e: RExpr): void => {
    someNode(e, (n) => {
      if (n.k === "event") {
        names.add(n.path.join("."));
        paths.push(n.path);
        fields.set(JSON.stringify(n.path), n.path);
      } else if (n.k === "binary" && n.op === "-" && DASHED.test(n.ast.text) && !dashed.has(n.ast.text)) {
        const reads = subtracted(n);
        if (reads) dashed.set(n.ast.text, { text: n.ast.text, path: n.ast.text.split("."), reads });
      }
      else if (n.k === "system") names.add(n.name);
      else if (n.k === "call" && n.fn.name === "bin") names.add("@timestamp");
      return false;
    });
  };
  let stats = false;
  for (const op of plan.ops.slice(from)) {
    if (WHOLE_EVENT_OPS.has(op.op)) whole = true;
    for (const e of opExprs(op)) collect(e);
    // OUTPUTNEW reads the value a field has now, to keep it: read, but not a field the query asks
    // events to have (no "no event has" hint for a field the table adds)
    if ((op.op === "lookup" || op.op === "cidrlookup") && op.onlyNew) {
      for (const o of op.outputs) someNode(o.current, (n) => (n.k === "event" && paths.push(n.path), false));
    }
    if (op.op === "stats") {
      stats = true;
      break;
    }
  }
  if (!stats) for (const c of plan.columns) collect(c.expr);
  // @message is the event's text as the file has it, kept beside the event (not built from it);
  // @log falls back to recipientAccountId and awsRegion.
  if (names.has("@log")) paths.push(["recipientAccountId"], ["awsRegion"]);
  // the scan extracts the keys a dashed name may have meant, to tell whether events have them
  if (from === 0) for (const d of dashed.values()) paths.push(d.path);
  return { names, paths: whole ? undefined : paths, fields: [...fields.values()], dashed: [...dashed.values()], raw: names.has("@message") };
}

/** Row-local commands: they keep, change or multiply the rows one at a time, never look across rows. */
export const ROW_LOCAL = new Set(["filter", "compute", "parse", "parseFormat", "unnest", "lookup", "cidrlookup", "expand"]);

/** A `like` needle whose JSON spelling is the same in any JSON writer's output (no spaces, quotes or escapes). */
const PLAIN_NEEDLE = /^[\w.@/+=-]+$/;
/** A needle a number's text (String(n): digits, `.`, `e`, `+`, `-`, `Infinity`) may hold. */
const NUMBER_TEXT = /^[\d.e+Infinity-]+$/;

/**
 * What an event must hold to pass the query's filters: clauses that must all hold, each a list of
 * alternatives one of which must. An alternative is a text its JSON must hold and, when it comes
 * from `field = "value"` or `field in [...]`, that field and value. Only filters before any command
 * that looks across rows count (a file without a match then contributes nothing to the result).
 */
function neededClauses(plan: Plan): Needed[][] {
  const clauses: Needed[][] = [];
  for (const op of plan.ops) {
    if (!ROW_LOCAL.has(op.op)) break;
    if (op.op === "filter") clauses.push(...needs(op.pred));
  }
  return clauses;
}

/**
 * The text an event's JSON must hold to pass the query's filters (sources/prefilter.ts): clauses
 * that must all hold, each a list of alternatives (JSON text) one of which must appear. Empty when
 * no filter gives one.
 */
export function requiredText(plan: Plan): string[][] {
  return neededClauses(plan).map((alts) => [...new Set(alts.map((a) => a.text))]);
}

/** A string an event field must equal: `eventName = "ConsoleLogin"` → eventName, ConsoleLogin. */
export interface FieldValue {
  path: string[];
  value: string;
}

/**
 * The field values the query's filters need (sources/field-index.ts): clauses that must all hold,
 * each a list of field values one of which the event must have. A clause with an alternative that
 * is not a field's value (a `like`) is left out: it rules out no file by the fields' values.
 */
export function requiredValues(plan: Plan): FieldValue[][] {
  return neededClauses(plan)
    .filter((alts) => alts.every((a) => a.field))
    .map((alts) => alts.map((a) => a.field!));
}

/** A condition on one event field alone: the event passes only if its value of `path` passes `pred`. */
export interface FieldCondition {
  path: string[];
  pred: RExpr;
}

/** Nodes a field condition may hold besides its field: constants and what computes from them. */
const PURE = new Set<RExpr["k"]>(["const", "period", "regex", "list", "call", "unary", "binary", "member", "index"]);

/**
 * The conditions of the query's filters (the `and`ed parts of those before any command that looks
 * across rows) that read one event field and nothing else of the row (no other field, system
 * field, column or subquery): `eventName like /^Delete/`, `ispresent(errorCode)`,
 * `strlen(userAgent) > 200`. An event that fails one can't pass the filter.
 */
export function fieldConditions(plan: Plan): FieldCondition[] {
  const out: FieldCondition[] = [];
  const conjuncts = (e: RExpr): RExpr[] => (e.k === "binary" && e.op === "and" ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e]);
  for (const op of plan.ops) {
    if (!ROW_LOCAL.has(op.op)) break;
    if (op.op !== "filter") continue;
    for (const c of conjuncts(op.pred)) {
      const paths = new Set<string>();
      let path: string[] | undefined;
      const other = someNode(c, (n) => {
        if (n.k === "event") {
          paths.add(JSON.stringify(n.path));
          path = n.path;
          return false;
        }
        return !PURE.has(n.k);
      });
      // `field = "value"` and `field in [...]`: requiredValues has them
      const exact = needs(c).some((alts) => alts.every((a) => a.field));
      if (!other && paths.size === 1 && !exact) out.push({ path: path!, pred: c });
    }
  }
  return out;
}

/** An alternative of a clause: the JSON text the event holds, and the field value it is when it is one. */
interface Needed {
  text: string;
  field?: FieldValue;
}

/** The JSON text of a string an event field must equal: not a number or a boolean in disguise. */
function exactText(e: RExpr): string | undefined {
  if (e.k !== "const" || typeof e.value !== "string") return undefined;
  const s = e.value;
  if (s === "true" || s === "false" || s.trim() === "" || !Number.isNaN(Number(s)) || !PLAIN_NEEDLE.test(s)) return undefined;
  return JSON.stringify(s);
}

/**
 * `field = "value"` as needed: the value's JSON text, and the field and value (`=` holds for such
 * a value only when the field is that very string: values.ts equals).
 */
function fieldValue(field: RExpr, lit: RExpr): Needed | undefined {
  if (field.k !== "event") return undefined;
  const text = exactText(lit);
  return text === undefined ? undefined : { text, field: { path: field.path, value: JSON.parse(text) as string } };
}

function needs(e: RExpr): Needed[][] {
  if (e.k !== "binary") return [];
  switch (e.op) {
    case "and":
      return [...needs(e.left), ...needs(e.right)];
    case "or": {
      const [a] = needs(e.left);
      const [b] = needs(e.right);
      return a && b ? [[...a, ...b]] : [];
    }
    case "=": {
      const alt = e.left.k === "event" ? fieldValue(e.left, e.right) : fieldValue(e.right, e.left);
      return alt ? [[alt]] : [];
    }
    case "in": {
      if (e.left.k !== "event" || e.right.k !== "list" || e.right.items.length === 0) return [];
      const field = e.left;
      const alts = e.right.items.map((item) => fieldValue(field, item));
      return alts.every((a) => a !== undefined) ? [alts as Needed[]] : [];
    }
    case "like": {
      // The text of the value holds the needle; a number's text may be spelled otherwise in the
      // file (1e3 for 1000, 1000000000000000000000 for 1e+21, 1e400 for Infinity), so a needle is
      // used on a field only when a number's text can't hold it. @message is the event's text as
      // the file has it (less whitespace between tokens, which no needle spans).
      const message = e.left.k === "system" && e.left.name === "@message";
      const needle = e.right.k === "const" && typeof e.right.value === "string" ? e.right.value : undefined;
      if (needle === undefined || !PLAIN_NEEDLE.test(needle)) return [];
      return message || (e.left.k === "event" && !NUMBER_TEXT.test(needle)) ? [[{ text: needle }]] : [];
    }
    default:
      return [];
  }
}
