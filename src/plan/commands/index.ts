// The registry of the commands the parser reads as generic (src/lang/lexer.ts GENERIC_COMMANDS):
// each command word, lower-case (aliases too), to its planner, which lives with its command family
// in this folder. build.ts plans a generic command by looking it up here; adding one is its planner
// and a line here, plus its tests.
import type { GenericPlanner } from "../builder.js";
import { planAddtotals } from "./addtotals.js";
import { planEstimate } from "./estimate.js";
import { planAppendcols, planJoin } from "./join.js";
import { planJson } from "./json.js";
import { planCidrlookup, planLookup } from "./lookup.js";
import { planAnomaly, planDiff, planLogcompare, planPattern } from "./pattern.js";
import { planRelevantfields } from "./relevantfields.js";
import { planSearch } from "./search.js";
import { planUnmask } from "./unmask.js";
import { planAccum, planAutoregress, planCountFrequent, planExpand, planFilldown, planFillmissing, planOutlier, planSessionize } from "./window.js";

export const GENERIC_PLANNERS: ReadonlyMap<string, GenericPlanner> = new Map([
  ["lookup", planLookup],
  ["cidrlookup", planCidrlookup],
  ["join", planJoin],
  ["appendcols", planAppendcols],
  ["search", planSearch],
  ["pattern", planPattern],
  ["diff", planDiff],
  ["anomaly", planAnomaly],
  ["logcompare", planLogcompare],
  ["relevantfields", planRelevantfields],
  ["json", planJson],
  ["addtotals", planAddtotals],
  ["accum", planAccum],
  ["autoregress", planAutoregress],
  ["expand", planExpand],
  ["filldown", planFilldown],
  ["fillmissing", planFillmissing],
  ["countfrequent", planCountFrequent],
  ["count_frequent", planCountFrequent],
  ["sessionize", planSessionize],
  ["outlier", planOutlier],
  ["estimate", planEstimate],
  ["unmask", planUnmask],
]);
