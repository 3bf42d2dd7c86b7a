// The command-line options, validated with zod: commander parses the words, these schemas decide
// what the values may be. A bad value is a usage error naming the option.
import { z } from "zod";
import { ExitCode, UserError } from "../errors.js";
import { FORMATS } from "../output/index.js";

const formatNames = Object.keys(FORMATS) as [string, ...string[]];

export const QueryOptionsSchema = z.object({
  format: z.enum(formatNames).default("table"),
  maxRows: z.coerce.number().int().positive().optional(),
  quiet: z.boolean().default(false),
  start: z.string().optional(),
  end: z.string().optional(),
  since: z.string().optional(),
  strict: z.boolean().default(false),
  lookup: z.array(z.string()).default([]),
  chart: z.string().regex(/\.(svg|html)$/i, "the chart file must end in .svg or .html").optional(),
  chartType: z.enum(["line", "area", "bar", "pie"]).optional(),
  fill: z.boolean().default(false),
  engine: z.enum(["native", "duckdb"]).default("native"),
  account: z.array(z.string().regex(/^\d{12}$/, "an account id has 12 digits")).optional(),
  region: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "not a region name such as us-east-1")).optional(),
});
export type QueryOptions = z.infer<typeof QueryOptionsSchema>;

export const GenerateOptionsSchema = z.object({
  out: z.string().min(1),
  events: z.coerce.number().int().positive().default(20000),
  seed: z.coerce.number().int().default(1),
  start: z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not a date").default("2026-11-01T00:00:00Z"),
  days: z.coerce.number().positive().default(3),
  eventsPerFile: z.coerce.number().int().positive().optional(),
});

/** Parse options with a schema, turning the first problem into a usage error. */
export function parseOptions<T extends z.ZodTypeAny>(schema: T, raw: unknown): z.infer<T> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const opt = issue.path.map((p) => "--" + String(p).replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())).join(" ");
  const allowed = issue.code === "invalid_value" && "values" in issue ? ` (one of: ${(issue.values as unknown[]).join(", ")})` : "";
  throw new UserError(`bad value for ${opt || "options"}: ${issue.message}${allowed}`, ExitCode.usage);
}
