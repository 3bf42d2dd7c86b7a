// `trailq explain QUERY`: the checked plan, without reading anything.
import { parseQuery } from "../lang/index.js";
import { buildPlan } from "../plan/build.js";
import { explainPlan } from "../plan/explain.js";

export function explainCommand(queryText: string): void {
  process.stdout.write(explainPlan(buildPlan(parseQuery(queryText))));
}
