// The command-line options, validated with zod: commander parses the words, these schemas decide
// what the values may be. A bad value is a usage error naming the option.
import { z } from "../zod.js";
import { ExitCode, UserError } from "../errors.js";
import { FORMAT_NAMES } from "../output/names.js";
import { MIN_MEMORY, formatBytes, heapAllowance, parseMemorySize } from "../exec/memory.js";

/** A string matching a pattern, with the message a bad value gets. */
export const matching = (re: RegExp, message: string) => z.string().check(z.regex(re, message));

export const ACCOUNT_ID = matching(/^\d{12}$/, "an account id has 12 digits");
export const REGION_NAME = matching(/^[a-z]{2}(-[a-z]+)+-\d$/, "not a region name such as us-east-1");

export const QueryOptionsSchema = z.object({
  format: z._default(z.enum(FORMAT_NAMES), "table"),
  maxRows: z.optional(z.coerce.number().check(z.int(), z.positive())),
  quiet: z._default(z.boolean(), false),
  start: z.optional(z.string()),
  end: z.optional(z.string()),
  since: z.optional(z.string()),
  strict: z._default(z.boolean(), false),
  lookup: z._default(z.array(z.string()), []),
  chart: z.optional(matching(/\.(svg|html)$/i, "the chart file must end in .svg or .html")),
  chartType: z.optional(z.enum(["line", "area", "bar", "pie"])),
  fill: z._default(z.boolean(), false),
  engine: z._default(z.enum(["native", "duckdb"]), "native"),
  account: z.optional(z.array(ACCOUNT_ID)),
  region: z.optional(z.array(REGION_NAME)),
  keepDuplicates: z._default(z.boolean(), false),
  memory: z.optional(z.string().check(z.refine((s) => parseMemorySize(s) !== undefined, "not a size such as 512M or 2G"))),
});
export type QueryOptions = z.infer<typeof QueryOptionsSchema>;

export const GenerateOptionsSchema = z.object({
  out: z.string().check(z.minLength(1)),
  events: z._default(z.coerce.number().check(z.int(), z.positive()), 20000),
  seed: z._default(z.coerce.number().check(z.int()), 1),
  start: z._default(z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)), "not a date")), "2026-11-01T00:00:00Z"),
  days: z._default(z.coerce.number().check(z.positive()), 3),
  eventsPerFile: z.optional(z.coerce.number().check(z.int(), z.positive())),
});

/** Parse options with a schema, turning the first problem into a usage error. */
export function parseOptions<T extends z.ZodMiniType>(schema: T, raw: unknown): z.infer<T> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const opt = issue.path.map((p) => "--" + String(p).replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())).join(" ");
  const allowed = issue.code === "invalid_value" && "values" in issue ? ` (one of: ${(issue.values as unknown[]).join(", ")})` : "";
  throw new UserError(`bad value for ${opt || "options"}: ${issue.message}${allowed}`, ExitCode.usage);
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
