// Numeric and conversion functions. Numbers held in strings are numbers here.
import { isNull, toNumber, type Value } from "../exec/values.js";
import type { FunctionDef } from "./types.js";
import { numFn } from "./helpers.js";

const present = (args: Value[]): number[] => args.filter((a) => !isNull(a)).map(toNumber).filter((n): n is number => n !== undefined);
const RAD = Math.PI / 180;
/** A whole number in a two's-complement range of `limit` each side (-limit to limit - 1), else undefined (null). */
const inRange = (t: number, limit: number): number | undefined => (t >= -limit && t < limit ? t : undefined);

/**
 * round()'s leeway below a half, relative to the scaled value (two to four units in the last binary
 * place; the SQL translation's too): 1.005 * 100 is 100.49999999999999 in binary and rounds as the
 * decimal it was written as (101), while 2.4999999995 stays below the half. A whole value never
 * moves: past 2^49 the leeway is more than a half (a nudge of the value itself turned
 * 562949953421312 into ...313 and epoch microseconds up by 2).
 */
export const ROUND_LEEWAY = 2 ** -51;

export const numericFunctions: FunctionDef[] = [
  numFn("abs", "abs(n)", "absolute value", 1, 1, Math.abs),
  numFn("ceil", "ceil(n)", "rounds up to an integer", 1, 1, Math.ceil),
  numFn("floor", "floor(n)", "rounds down to an integer", 1, 1, Math.floor),
  {
    kind: "scalar", category: "numeric", name: "greatest", signature: "greatest(a, b, ...)",
    description: "the largest number among the arguments (nulls ignored)", minArgs: 1, maxArgs: Infinity, returns: "number",
    impl: (...args) => { const n = present(args); return n.length ? Math.max(...n) : undefined; },
  },
  {
    kind: "scalar", category: "numeric", name: "least", signature: "least(a, b, ...)",
    description: "the smallest number among the arguments (nulls ignored)", minArgs: 1, maxArgs: Infinity, returns: "number",
    impl: (...args) => { const n = present(args); return n.length ? Math.min(...n) : undefined; },
  },
  numFn("log", "log(n)", "natural logarithm", 1, 1, (n) => (n > 0 ? Math.log(n) : undefined)),
  numFn("sqrt", "sqrt(n)", "square root", 1, 1, (n) => (n >= 0 ? Math.sqrt(n) : undefined)),
  numFn("round", "round(n [, digits])", "rounds half away from zero, to an integer or to digits decimals", 1, 2, (n, d = 0) => {
    // to tens, hundreds...: divided by 10^k and multiplied back (an exact power of ten: a product
    // by 10^-k is none, and round(383453, -5) was 400000.00000000006)
    const k = Math.trunc(d);
    const f = 10 ** Math.abs(k);
    const m = k >= 0 ? Math.abs(n) * f : Math.abs(n) / f;
    // past the double's range at that many decimals: the value has no digit there to round
    if (!Number.isFinite(m)) return n;
    const whole = Math.floor(m);
    const part = m - whole;
    const up = part > 0 && part >= 0.5 - m * ROUND_LEEWAY;
    const rounded = Math.sign(n) * (up ? whole + 1 : whole);
    const r = k >= 0 ? rounded / f : rounded * f;
    return Object.is(r, -0) ? 0 : r;
  }),
  numFn("haversine", "haversine(lat1, lon1, lat2, lon2)", "great-circle distance in km between two points in degrees", 4, 4, (la1, lo1, la2, lo2) => {
    const a = Math.sin(((la2 - la1) * RAD) / 2) ** 2 + Math.cos(la1 * RAD) * Math.cos(la2 * RAD) * Math.sin(((lo2 - lo1) * RAD) / 2) ** 2;
    return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
  }),
  numFn("toNumber", "toNumber(value)", "the number a value holds", 1, 1, (n) => n, { category: "conversion" }),
  numFn("toDouble", "toDouble(value)", "the number a value holds, as a double", 1, 1, (n) => n, { category: "conversion" }),
  numFn("toInt", "toInt(value)", "the value as a 32-bit integer (truncated)", 1, 1, (n) => inRange(Math.trunc(n), 2 ** 31), { category: "conversion" }),
  numFn("toLong", "toLong(value)", "the value as a 64-bit integer (truncated; exact up to 2^53)", 1, 1, (n) => inRange(Math.trunc(n), 2 ** 63), { category: "conversion" }),
];
