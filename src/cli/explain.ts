// `trailq explain QUERY`: the checked plan, without reading anything. --tz reads SOURCE's times
// without a zone as query does; --lookup names the lookup command's tables as query's does.
import { parseQuery } from "../lang/index.js";
import { buildPlan } from "../plan/build.js";
import { explainPlan } from "../plan/explain.js";
import { LookupTables } from "../lookup/tables.js";
import { writeText } from "./io.js";
import { parseOptions, ZoneOptionSchema, zoneOption } from "./options.js";

export function explainCommand(queryText: string, rawOpts: Record<string, unknown> = {}): void {
  zoneOption(parseOptions(ZoneOptionSchema, rawOpts));
  const lookups = new LookupTables(rawOpts["lookup"] as string[] | undefined);
  writeText(explainPlan(buildPlan(parseQuery(queryText), { lookups })));
}
