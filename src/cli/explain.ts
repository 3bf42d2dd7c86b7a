// `trailq explain QUERY`: the checked plan, without reading anything.
import { parseQuery } from "../lang/index.js";
import { buildPlan } from "../plan/build.js";
import { explainPlan } from "../plan/explain.js";
import { writeText } from "./io.js";

export function explainCommand(queryText: string): void {
  writeText(explainPlan(buildPlan(parseQuery(queryText))));
}
