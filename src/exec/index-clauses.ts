// What a folder's field index is asked (sources/field-index.ts): for a query's filter, the field
// values an event passing it must have. `field = "value"`, `in` and `or` of them name the values
// (plan/reads.ts requiredValues); any other condition on one field alone (`like`, a regex,
// `ispresent`, `strlen(...) > n`: fieldConditions) is compiled as the scan compiles it and tried on
// each value the index holds, on a row that holds that value alone. A condition that passes an
// event without the field (or with null), or that reads the event's time, rules nothing out. The
// selection's accounts and regions (--account, --region, SOURCE) are values of recipientAccountId
// and awsRegion the same way, but for files in the AWSLogs/ layout (their names prune them, and an
// event without the field takes its folder's) and files holding the field as a number: files
// outside the layout are left out by them too.
import type { Plan } from "../plan/plan.js";
import type { SourceSelection } from "../plan/commands/source.js";
import { fieldConditions, requiredValues, type FieldCondition } from "../plan/reads.js";
import type { IndexAlternative } from "../sources/types.js";
import { compilePredicate } from "./compile.js";
import { Row } from "./row.js";

export function indexClauses(plan: Plan, select: SourceSelection): IndexAlternative[][] {
  const clauses: IndexAlternative[][] = requiredValues(plan).map((alts) => alts.map((a) => ({ path: a.path, value: a.value })));
  // the scan admits an event whose recipientAccountId (awsRegion) is one of these very strings
  if (select.accounts?.length) clauses.push(select.accounts.map((a) => ({ path: ["recipientAccountId"], value: a, layout: true })));
  if (select.regions?.length) clauses.push(select.regions.map((r) => ({ path: ["awsRegion"], value: r, layout: true })));
  for (const c of fieldConditions(plan)) {
    const test = fieldTest(c, plan.now);
    if (test) clauses.push([{ path: c.path, test }]);
  }
  return clauses;
}

/** A row that says whether its time was read (bin() reads it without naming a field). */
class ProbeRow extends Row {
  timed = false;
  override get timestamp(): number {
    this.timed = true;
    return NaN;
  }
}

/** The condition as a test of the field's string values, or undefined when it can't rule a value out. */
function fieldTest(c: FieldCondition, now: number): ((value: string) => boolean) | undefined {
  let pred: (row: Row) => boolean;
  try {
    pred = compilePredicate(c.pred, { now, warnings: [] });
  } catch {
    return undefined; // the scan says what is wrong with it
  }
  /** Whether an event whose field is `value` passes (undefined: the condition read the time). */
  const passes = (value: unknown): boolean | undefined => {
    const ev: Record<string, unknown> = {};
    if (value !== undefined) {
      let at = ev;
      c.path.slice(0, -1).forEach((k) => (at = at[k] = {}));
      at[c.path[c.path.length - 1]!] = value;
    }
    const row = new ProbeRow(ev, null, 0);
    const out = pred(row);
    return row.timed ? undefined : out;
  };
  if (passes(undefined) !== false || passes(null) !== false) return undefined;
  return (value) => passes(value) ?? true;
}
