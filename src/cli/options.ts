// The command-line options, validated with zod: commander parses the words, these schemas decide
// what the values may be. A bad value is a usage error naming the option.
import { z } from "../zod.js";
import { ExitCode, UserError } from "../errors.js";
import { FORMAT_NAMES } from "../output/names.js";
import { TEMPLATE_CATEGORIES } from "../templates/template.js";
import { MIN_MEMORY, formatBytes, heapAllowance, parseMemorySize } from "../exec/memory.js";
import { UTC, parseZone, setDisplayZone, type TimeZone } from "../time/zone.js";
import { ACCOUNT_ID_FORM, REGION_NAME_FORM } from "../plan/commands/source.js";

/** A string matching a pattern, with the message a bad value gets. */
export const matching = (re: RegExp, message: string) => z.string().check(z.regex(re, message));

/**
 * A number written in decimal digits, then checked as `inner` checks it: Number() would also read
 * `0x50` (a port 80), `1e3` and an empty text (0).
 */
export const digits = (inner: z.ZodMiniType<number, unknown>, fraction = false) =>
  z.pipe(matching(fraction ? /^\s*\d+(\.\d+)?\s*$/ : /^\s*-?\d+\s*$/, fraction ? "not a number written in digits" : "not a whole number written in digits"), inner as z.ZodMiniType<number, string>);

export const ACCOUNT_ID = matching(ACCOUNT_ID_FORM.pattern, ACCOUNT_ID_FORM.message);
export const REGION_NAME = matching(REGION_NAME_FORM.pattern, REGION_NAME_FORM.message);

export const COLOR_WHEN = ["auto", "always", "never"] as const;
export const TEMPLATE_LIST_FORMATS = ["text", "json"] as const;
export const CHART_TYPES = ["line", "area", "bar", "pie"] as const;
export const ENGINES = ["native", "duckdb"] as const;
export const SQL_DIALECTS = ["athena", "duckdb"] as const;

export const TemplatesOptionsSchema = z.object({
  json: z._default(z.boolean(), false),
  format: z._default(z.enum(TEMPLATE_LIST_FORMATS), "text"),
  category: z.optional(z.enum(TEMPLATE_CATEGORIES)),
  templates: z.optional(z.string()),
});

/** The options of s3:// inputs (query, run, repl, detect). */
export const S3_OPTIONS = {
  profile: z.optional(z.string().check(z.minLength(1))),
  endpointUrl: z.optional(matching(/^https?:\/\/[^\s/]+/i, "not a URL such as http://127.0.0.1:9000")),
  cache: z._default(z.boolean(), true),
  refresh: z._default(z.boolean(), false),
  s3Concurrency: z.optional(digits(z.coerce.number().check(z.int(), z.positive(), z.maximum(64)))),
  verbose: z._default(z.boolean(), false),
};
export const S3OptionsSchema = z.object(S3_OPTIONS);
export type S3CliOptions = z.infer<typeof S3OptionsSchema>;

/** What a scan selects (--start, --end, --since, --account, --region), and the zone of its times (--tz): query, run, detect, sql. */
export const SELECTION_OPTIONS = {
  tz: z.optional(z.string()),
  start: z.optional(z.string()),
  end: z.optional(z.string()),
  since: z.optional(z.string()),
  account: z.optional(z.array(ACCOUNT_ID)),
  region: z.optional(z.array(REGION_NAME)),
};

export const ZoneOptionSchema = z.object({ tz: SELECTION_OPTIONS.tz });

/** --keep-duplicates, for the commands whose options are not QueryOptionsSchema's (the prompt). */
export const DuplicatesOptionSchema = z.object({ keepDuplicates: z._default(z.boolean(), false) });

/**
 * --tz: the zone times print in and a --start or --end without a zone is read in (time/zone.ts), for
 * the whole run; UTC without it.
 */
export function zoneOption(opts: { tz?: string | undefined }): TimeZone {
  const zone = opts.tz === undefined ? UTC : parseZone(opts.tz);
  setDisplayZone(zone);
  return zone;
}

/** --memory: a size such as 512M (memoryBudget() checks its bounds). */
export const MEMORY_SIZE = z.string().check(z.refine((s) => parseMemorySize(s) !== undefined, "not a size such as 512M or 2G"));

export const QueryOptionsSchema = z.object({
  format: z._default(z.enum(FORMAT_NAMES), "table"),
  maxRows: z.optional(digits(z.coerce.number().check(z.int(), z.positive()))),
  quiet: z._default(z.boolean(), false),
  ...SELECTION_OPTIONS,
  strict: z._default(z.boolean(), false),
  lookup: z._default(z.array(z.string()), []),
  chart: z.optional(matching(/\.(svg|html)$/i, "the chart file must end in .svg or .html")),
  chartType: z.optional(z.enum(CHART_TYPES)),
  fill: z._default(z.boolean(), false),
  csvRaw: z._default(z.boolean(), false),
  engine: z._default(z.enum(ENGINES), "native"),
  keepDuplicates: z._default(z.boolean(), false),
  color: z._default(z.enum(COLOR_WHEN), "auto"),
  queryFile: z.optional(z.string()),
  memory: z.optional(MEMORY_SIZE),
  ...S3_OPTIONS,
});
export type QueryOptions = z.infer<typeof QueryOptionsSchema>;

export const GenerateOptionsSchema = z.object({
  out: z.string().check(z.minLength(1)),
  events: z._default(digits(z.coerce.number().check(z.int(), z.positive())), 20000),
  seed: z._default(digits(z.coerce.number().check(z.int())), 1),
  // an ISO 8601 date or date-time (UTC without a zone): checked, and made an instant, by generate.ts
  start: z._default(matching(/^\s*\d{4}-\d{2}-\d{2}/, "not an ISO 8601 date such as 2026-11-01T00:00:00Z"), "2026-11-01T00:00:00Z"),
  // up to ten years of windows, each a few minutes long
  days: z._default(digits(z.coerce.number().check(z.positive(), z.maximum(3660)), true), 3),
  eventsPerFile: z.optional(digits(z.coerce.number().check(z.int(), z.positive()))),
});

/** Parse options with a schema, turning the first problem into a usage error in trailq's words. */
export function parseOptions<T extends z.ZodMiniType>(schema: T, raw: unknown): z.infer<T> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  // the option's name (a repeatable option's path also holds the index of the bad value)
  const name = issue.path.find((p) => typeof p === "string");
  const opt = name === undefined ? "options" : "--" + name.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
  const value = issue.path.reduce<unknown>((v, p) => (v as Record<PropertyKey, unknown> | undefined)?.[p], raw);
  const shown = typeof value === "string" ? ` ${JSON.stringify(value)}` : "";
  throw new UserError(`bad value for ${opt}${shown}: ${problem(issue)}`, ExitCode.usage);
}

/** What is wrong with a value, in trailq's words (zod's are for programmers: "expected number, received NaN"). */
function problem(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.expected === "number" ? "not a number" : issue.expected === "int" ? "not a whole number" : `not a ${issue.expected}`;
    case "too_small":
      return issue.minimum === 0 && !issue.inclusive ? "must be more than 0" : `must be at least ${String(issue.minimum)}`;
    case "too_big":
      return `must be at most ${String(issue.maximum)}`;
    case "invalid_value":
      return `must be one of: ${issue.values.map(String).join(", ")}`;
    default:
      // our own checks (regex, refine) carry their message
      return issue.message;
  }
}

/**
 * Whether output to `stream` gets ANSI colour: --color always / never, else (auto) FORCE_COLOR set
 * (and not 0 or false) says yes, NO_COLOR set says no (https://no-color.org), else a terminal does.
 */
export function colorWanted(when: (typeof COLOR_WHEN)[number], stream: { isTTY?: boolean }): boolean {
  if (when !== "auto") return when === "always";
  const force = process.env["FORCE_COLOR"];
  if (force !== undefined && force !== "0" && force !== "false") return true;
  if (process.env["NO_COLOR"]) return false;
  return stream.isTTY === true;
}

/**
 * --memory's bytes: at least MIN_MEMORY, and at most what this process's V8 heap can carry (a
 * larger budget would let V8 abort the run before the budget stops it).
 */
export function memoryBudget(text: string): number {
  const bytes = parseMemorySize(text)!;
  if (bytes < MIN_MEMORY) throw new UserError(`bad value for --memory: ${text} is less than the smallest budget, ${formatBytes(MIN_MEMORY)}`, ExitCode.usage);
  const most = heapAllowance();
  if (bytes > most) {
    throw new UserError(
      `bad value for --memory: ${text} is more than node's heap allows here (at most ${formatBytes(most)}, half its limit; NODE_OPTIONS=--max-old-space-size=MB raises the limit)`,
      ExitCode.usage,
    );
  }
  return bytes;
}
