// The one registry of functions: every scalar and aggregate function, found by name
// (case-insensitive). Adding a function = one entry in its category file + its tests.
import type { FunctionDef } from "./types.js";
import { generalFunctions } from "./general.js";
import { stringFunctions } from "./string.js";
import { numericFunctions } from "./numeric.js";
import { datetimeFunctions } from "./datetime.js";
import { ipFunctions } from "./ip.js";
import { hashFunctions } from "./hash.js";
import { jsonFunctions } from "./json.js";
import { aggregateFunctions } from "./aggregate.js";

export const ALL_FUNCTIONS: readonly FunctionDef[] = [
  ...generalFunctions,
  ...stringFunctions,
  ...numericFunctions,
  ...datetimeFunctions,
  ...ipFunctions,
  ...hashFunctions,
  ...jsonFunctions,
  ...aggregateFunctions,
];

const BY_NAME = new Map<string, FunctionDef>();
for (const fn of ALL_FUNCTIONS) {
  for (const name of [fn.name, ...(fn.aliases ?? [])]) {
    const key = name.toLowerCase();
    if (BY_NAME.has(key)) throw new Error(`function ${name} is defined twice`);
    BY_NAME.set(key, fn);
  }
}

export function findFunction(name: string): FunctionDef | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Every name a user may write (canonical names and aliases), for did-you-mean and completion. */
export function functionNames(): string[] {
  return ALL_FUNCTIONS.flatMap((f) => [f.name, ...(f.aliases ?? [])]);
}
