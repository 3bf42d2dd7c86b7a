// Small shared pieces for defining functions: argument coercions and entry builders.
import { isNull, toNumber, toText, type Value } from "../exec/values.js";
import type { ScalarFn, ValueType } from "./types.js";

/** A scalar function over texts: null when any argument is not text-like. */
export function textFn(
  name: string,
  signature: string,
  description: string,
  minArgs: number,
  maxArgs: number,
  returns: ValueType,
  f: (...args: string[]) => Value,
  extra: Partial<ScalarFn> = {},
): ScalarFn {
  return {
    kind: "scalar", category: "string", name, signature, description, minArgs, maxArgs, returns,
    impl: (...args: Value[]) => {
      const texts: string[] = [];
      for (const a of args) {
        const t = toText(a);
        if (t === undefined) return undefined;
        texts.push(t);
      }
      return f(...texts);
    },
    ...extra,
  };
}

/** A scalar function over numbers (numbers held in strings count): null when any is not a number. */
export function numFn(
  name: string,
  signature: string,
  description: string,
  minArgs: number,
  maxArgs: number,
  f: (...args: number[]) => number | undefined,
  extra: Partial<ScalarFn> = {},
): ScalarFn {
  return {
    kind: "scalar", category: "numeric", name, signature, description, minArgs, maxArgs, returns: "number",
    impl: (...args: Value[]) => {
      const nums: number[] = [];
      for (const a of args) {
        const n = toNumber(a);
        if (n === undefined) return undefined;
        nums.push(n);
      }
      const r = f(...nums);
      // Infinity is a number (printed so); NaN is none
      return r === undefined || Number.isNaN(r) ? undefined : r;
    },
    ...extra,
  };
}

export { isNull, toNumber, toText };
