// Sigma rule documents as read from YAML: the structure of a detection rule and of a correlation
// rule, validated with zod (the Sigma specification's JSON schemas, in this project's zod). Only the
// structure is checked here; what a detection means is compiled in search.ts and condition.ts.
import { z } from "../zod.js";

/** Sigma's levels, lowest first (the order --min-level and --fail-level compare in). */
export const LEVELS = ["informational", "low", "medium", "high", "critical"] as const;
export type Level = (typeof LEVELS)[number];

export function levelRank(l: Level): number {
  return LEVELS.indexOf(l);
}

/** A value a field is compared with. */
export const ScalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof ScalarSchema>;

/** `field|modifier: value` or `field: [values]`. */
export const FieldValueSchema = z.union([ScalarSchema, z.array(ScalarSchema)]);
export type FieldValue = z.infer<typeof FieldValueSchema>;

/** A selection as a map (every entry must hold). */
export const SearchMapSchema = z.record(z.string(), FieldValueSchema);
export type SearchMap = z.infer<typeof SearchMapSchema>;

/** A search identifier's value: a map, a list of maps (one must hold), or a list of keywords. */
export const SearchSchema = z.union([SearchMapSchema, z.array(z.union([SearchMapSchema, ScalarSchema]))]);
export type Search = z.infer<typeof SearchSchema>;

export const DetectionSchema = z.catchall(
  z.object({
    condition: z.union([z.string(), z.array(z.string()).check(z.minLength(1))]),
  }),
  SearchSchema,
);
export type Detection = z.infer<typeof DetectionSchema>;

const tagList = z.optional(z.array(z.string()));
const levelSchema = z.optional(z.enum(LEVELS));

const common = {
  title: z.string().check(z.minLength(1), z.maxLength(256)),
  id: z.optional(z.string()),
  name: z.optional(z.string()),
  status: z.optional(z.string()),
  description: z.optional(z.nullable(z.string())),
  author: z.optional(z.nullable(z.union([z.string(), z.array(z.string())]))),
  tags: tagList,
  level: levelSchema,
};

export const DetectionRuleSchema = z.looseObject({
  ...common,
  logsource: z.looseObject({
    product: z.optional(z.nullable(z.string())),
    service: z.optional(z.nullable(z.string())),
    category: z.optional(z.nullable(z.string())),
  }),
  detection: DetectionSchema,
});
export type DetectionRule = z.infer<typeof DetectionRuleSchema>;

/** `gte: 100`, several joined by AND; value_count also names its `field`. */
export const CorrelationConditionSchema = z.looseObject({
  gt: z.optional(z.number()),
  gte: z.optional(z.number()),
  lt: z.optional(z.number()),
  lte: z.optional(z.number()),
  eq: z.optional(z.number()),
  neq: z.optional(z.number()),
  field: z.optional(z.union([z.string(), z.array(z.string())])),
});
export type CorrelationCondition = z.infer<typeof CorrelationConditionSchema>;

export const CORRELATION_TYPES = ["event_count", "value_count", "temporal", "temporal_ordered"] as const;

export const CorrelationRuleSchema = z.looseObject({
  ...common,
  correlation: z.looseObject({
    /** Any type is read: the ones not run (value_sum, value_avg, value_percentile) are reported by name. */
    type: z.string(),
    rules: z.union([z.string(), z.array(z.string()).check(z.minLength(1))]),
    "group-by": z.optional(z.union([z.string(), z.array(z.string())])),
    timespan: z.string().check(z.regex(/^\d+[smhdwMy]$/, "a timespan is a number and s, m, h or d (90m)")),
    condition: z.optional(CorrelationConditionSchema),
    aliases: z.optional(z.record(z.string(), z.record(z.string(), z.string()))),
    generate: z.optional(z.boolean()),
  }),
  generate: z.optional(z.boolean()),
});
export type CorrelationRule = z.infer<typeof CorrelationRuleSchema>;

/** The people a rule names, as one string (the DRL asks that they stay with what the rule shows). */
export function authorText(a: string | string[] | null | undefined): string {
  return Array.isArray(a) ? a.join(", ") : (a ?? "");
}

/** The first problem zod found, as `path: message`. */
export function firstIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  if (!issue) return "not a Sigma rule";
  const where = issue.path.map(String).join(".");
  return where ? `${where}: ${issue.message}` : issue.message;
}
