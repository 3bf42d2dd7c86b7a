// General and conditional functions.
import { isNull, isNumericString, isTruthy, toText, type Value } from "../exec/values.js";
import type { FunctionDef, ValueType } from "./types.js";

/**
 * The type of a function that returns one of its arguments: theirs when they share one; a time when
 * one is and the others are texts or event fields (`coalesce(@timestamp, "none")`,
 * `coalesce(requestParameters.startTime, @timestamp)`: a number it gives is taken for a time, and
 * prints as one, a text as it is), not when another is a number; else any.
 */
const firstType = (types: ValueType[]): ValueType => {
  if (types.every((t) => t === types[0])) return types[0]!;
  return types.includes("time") && types.every((t) => t === "time" || t === "string" || t === "any") ? "time" : "any";
};

export const generalFunctions: FunctionDef[] = [
  {
    kind: "scalar", category: "general", name: "ispresent", signature: "ispresent(field)",
    description: "1 if the field is present (not absent, not JSON null), else 0",
    minArgs: 1, maxArgs: 1, returns: "bool",
    impl: (v) => !isNull(v),
  },
  {
    kind: "scalar", category: "general", name: "coalesce", signature: "coalesce(a, b, ...)",
    description: "the first argument that is not null",
    minArgs: 1, maxArgs: Infinity, returns: firstType,
    impl: (...args) => args.find((a) => !isNull(a)),
  },
  {
    kind: "scalar", category: "general", name: "isempty", signature: "isempty(field)",
    description: "1 if the field is missing, null or the empty string",
    minArgs: 1, maxArgs: 1, returns: "bool",
    impl: (v) => isNull(v) || v === "",
  },
  {
    kind: "scalar", category: "general", name: "isblank", signature: "isblank(field)",
    description: "1 if the field is missing, null, empty or only whitespace",
    minArgs: 1, maxArgs: 1, returns: "bool",
    impl: (v) => isNull(v) || (typeof v === "string" && v.trim() === ""),
  },
  {
    kind: "scalar", category: "general", name: "isNumeric", signature: "isNumeric(field)",
    description: "1 if the value is a number, or text that holds one (\"42\", \" -1.5 \", \"1e3\")",
    minArgs: 1, maxArgs: 1, returns: "bool",
    impl: (v) => (typeof v === "number" ? !Number.isNaN(v) : typeof v === "string" && isNumericString(v)),
  },
  {
    kind: "scalar", category: "general", name: "messageSize", signature: "messageSize(field)",
    description: "the byte length (UTF-8) of the value's text (messageSize(@message): the event's)",
    minArgs: 1, maxArgs: 1, returns: "number",
    impl: (v) => {
      const t = toText(v);
      return t === undefined ? undefined : Buffer.byteLength(t, "utf8");
    },
  },
  {
    kind: "scalar", category: "general", name: "if", signature: "if(condition, then, else)",
    description: "then when the condition is true, else otherwise",
    minArgs: 3, maxArgs: 3, returns: (t) => firstType([t[1]!, t[2]!]),
    compile: ([c, a, b]) => (row) => (isTruthy(c!.eval(row)) ? a!.eval(row) : b!.eval(row)),
  },
  {
    kind: "scalar", category: "general", name: "case", signature: "case(cond1, value1, cond2, value2, ..., [default])",
    description: "the value of the first true condition, else the default (or null)",
    // the values: every second argument, and the default
    minArgs: 2, maxArgs: 21, returns: (t) => firstType(t.filter((_, i) => i % 2 === 1 || (i === t.length - 1 && t.length % 2 === 1))),
    compile: (args) => (row) => {
      let i = 0;
      for (; i + 1 < args.length; i += 2) if (isTruthy(args[i]!.eval(row))) return args[i + 1]!.eval(row);
      return i < args.length ? args[i]!.eval(row) : undefined;
    },
  },
  {
    kind: "scalar", category: "general", name: "unmask", signature: "unmask(field)",
    description: "the field unchanged (CloudTrail has no masked data)",
    minArgs: 1, maxArgs: 1, returns: (t) => t[0]!,
    impl: (v: Value) => v,
  },
];
