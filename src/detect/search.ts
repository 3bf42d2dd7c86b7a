// A search identifier's value as a test of an event: a map (every entry holds), a list of maps (one
// holds), a list of keywords (one appears in the event's text). Each entry `field|mods: values` is
// compiled by the modifier registry (modifiers.ts).
import { compileEntry } from "./modifiers.js";
import { RuleRefusal } from "./refusal.js";
import type { FieldValue, Scalar, Search, SearchMap } from "./rule.js";
import type { EventView } from "./event-view.js";
import { parsePattern, literalText } from "./pattern.js";
import { foldCase } from "./fold.js";

export type Test = (view: EventView) => boolean;

/** A `field|mod|mod` key: the field (null for keywords: `|contains`) and the modifiers. */
export function splitKey(key: string): { field: string | null; mods: string[] } {
  const [field, ...mods] = key.split("|");
  return { field: field ? field : null, mods };
}

function valuesOf(v: FieldValue): Scalar[] {
  return Array.isArray(v) ? v : [v];
}

/**
 * An empty map or list means nothing in Sigma: refused, by detect and by the rule's query
 * (query.ts) alike, so that neither reads it as "every event" or "none"; so is an empty field name,
 * which neither reads as keywords.
 */
export function refuseEmpty(search: Search): void {
  const empty = (m: SearchMap): boolean => {
    // a key of no field and no modifier is no Sigma form (keywords are a list, or a `|modifier` key)
    if (Object.hasOwn(m, "")) throw new RuleRefusal("bad rule", "an empty field name ('')");
    return Object.keys(m).length === 0;
  };
  if (!Array.isArray(search)) {
    if (empty(search)) throw new RuleRefusal("bad rule", "an empty selection");
    return;
  }
  if (search.length === 0) throw new RuleRefusal("bad rule", "an empty list");
  for (const s of search) if (s !== null && typeof s === "object" && empty(s)) throw new RuleRefusal("bad rule", "an empty selection");
}

function mapTest(map: SearchMap): Test {
  const entries = Object.entries(map);
  const tests = entries.map(([key, value]) => {
    const { field, mods } = splitKey(key);
    const values = valuesOf(value);
    if (values.length === 0) throw new RuleRefusal("bad rule", `${key}: an empty list of values`);
    return compileEntry(field, mods, values);
  });
  if (tests.length === 1) return tests[0]!;
  return (view) => {
    for (const t of tests) if (!t(view)) return false;
    return true;
  };
}

export function compileSearch(search: Search): Test {
  refuseEmpty(search);
  if (!Array.isArray(search)) return mapTest(search);
  const keywords = search.filter((s): s is Scalar => s === null || typeof s !== "object");
  const maps = search.filter((s): s is SearchMap => s !== null && typeof s === "object");
  const tests: Test[] = maps.map(mapTest);
  if (keywords.length) tests.push(compileEntry(null, [], keywords));
  if (tests.length === 1) return tests[0]!;
  return (view) => {
    for (const t of tests) if (t(view)) return true;
    return false;
  };
}

/**
 * The event names an event must have for the search to hold, lower-cased (undefined: any): from an
 * `eventName` entry without modifiers whose values have no wildcard. Rules are dispatched by it.
 */
export function searchEventNames(search: Search): Set<string> | undefined {
  const ofMap = (m: SearchMap): Set<string> | undefined => {
    for (const [key, value] of Object.entries(m)) {
      const { field, mods } = splitKey(key);
      if (field !== "eventName" || mods.some((x) => x.toLowerCase() !== "cased")) continue;
      const names = new Set<string>();
      for (const v of valuesOf(value)) {
        if (typeof v !== "string") return undefined;
        const t = literalText(parsePattern(v));
        if (t === undefined) return undefined;
        names.add(foldCase(t));
      }
      if (names.size > 0) return names;
    }
    return undefined;
  };
  if (!Array.isArray(search)) return ofMap(search);
  const out = new Set<string>();
  for (const s of search) {
    if (s === null || typeof s !== "object") return undefined;
    const n = ofMap(s);
    if (!n) return undefined;
    for (const x of n) out.add(x);
  }
  return out.size ? out : undefined;
}
