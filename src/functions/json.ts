// JSON and structure functions. CloudTrail's nested objects and arrays are already structures
// (`requestParameters`, `resources`); jsonParse makes them from JSON text (such as @message).
import { isStructure, toText, type Value } from "../exec/values.js";
import type { FunctionDef } from "./types.js";

function parse(v: Value): Value {
  if (isStructure(v)) return v;
  const s = toText(v);
  if (s === undefined) return undefined;
  const t = s.trimStart();
  if (t[0] !== "{" && t[0] !== "[") return undefined;
  try {
    return JSON.parse(s) as Value;
  } catch {
    return undefined;
  }
}

export const jsonFunctions: FunctionDef[] = [
  {
    kind: "scalar", category: "json", name: "jsonParse", signature: "jsonParse(str)",
    description: "the map or list a JSON object or array string holds (a structure stays as it is); else null",
    minArgs: 1, maxArgs: 1, returns: "any",
    impl: parse,
  },
  {
    kind: "scalar", category: "json", name: "jsonStringify", signature: "jsonStringify(value)",
    description: "a map or list as compact JSON text",
    minArgs: 1, maxArgs: 1, returns: "string",
    impl: (v) => (isStructure(v) ? JSON.stringify(v) : undefined),
  },
  {
    kind: "scalar", category: "json", name: "jsonArraySize", signature: "jsonArraySize(list)",
    description: "the number of elements of a JSON array (a list, or JSON text)",
    minArgs: 1, maxArgs: 1, returns: "number",
    impl: (v) => {
      const p = parse(v);
      return Array.isArray(p) ? p.length : undefined;
    },
  },
  {
    kind: "scalar", category: "json", name: "jsonArrayContains", signature: "jsonArrayContains(list, value)",
    description: "1 if the JSON array holds the value (case-sensitive), else 0",
    minArgs: 2, maxArgs: 2, returns: "bool",
    impl: (v, x) => {
      const p = parse(v);
      return Array.isArray(p) && p.some((e) => e === x || (typeof e !== "object" && toText(e) === toText(x)));
    },
  },
];
