// Values and the rules every operator and function shares: null-ness, numbers held in strings,
// equality, ordering, truth. One copy of each rule, used everywhere (docs/language.md, "Values").

/**
 * A value in a row. `undefined` is an absent field, `null` a JSON null; both behave as null.
 * Timestamps are epoch-millisecond numbers: whether a column holds times is static (see
 * src/check/types.ts), so no value carries a type tag at run time.
 */
export type Value = undefined | null | string | number | boolean | Value[] | ValueMap;
export interface ValueMap {
  [key: string]: Value;
}

export function isNull(v: Value): v is null | undefined {
  return v === undefined || v === null;
}

export function isStructure(v: Value): v is Value[] | ValueMap {
  return typeof v === "object" && v !== null;
}

// One way to read each string (`\d+\.?\d*` had many for a long run of digits: 50 s on 50 KB).
const NUMERIC = /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** The number a value stands for: numbers, booleans (1/0) and numeric strings; else undefined. */
export function toNumber(v: Value): number | undefined {
  switch (typeof v) {
    case "number":
      return Number.isNaN(v) ? undefined : v;
    case "boolean":
      return v ? 1 : 0;
    case "string":
      return isNumericString(v) ? Number(v) : undefined;
    default:
      return undefined;
  }
}

/**
 * Whether a string is a number written out (`42`, `-1.5`, `1e3`). Its ends are looked at before the
 * pattern: a number starts and ends with a digit, a point or a space (any non-ASCII character may
 * be one), or starts with a sign; most texts (eventIDs, ARNs, names) are told apart there.
 */
export function isNumericString(s: string): boolean {
  const end = (c: number): boolean => (c >= 48 && c <= 57) || c === 46 || c === 32 || (c >= 9 && c <= 13) || c > 127;
  const first = s.charCodeAt(0);
  return (end(first) || first === 43 || first === 45) && end(s.charCodeAt(s.length - 1)) && NUMERIC.test(s);
}

/** The text of a scalar value as string functions see it; structures and null give undefined. */
export function toText(v: Value): string | undefined {
  switch (typeof v) {
    case "string":
      return v;
    case "number":
      return formatNumber(v);
    case "boolean":
      return v ? "1" : "0";
    default:
      return undefined;
  }
}

/** Numbers print as integers without a decimal point, other numbers in shortest round-trip form. */
export function formatNumber(n: number): string {
  // the shortest digits that read back as the same number, as JSON writes it: an integer past 2^53
  // (12345678901234567890, held as the double nearest it) is 12345678901234567000 in every format,
  // where toFixed wrote that double's every digit (...567168)
  return String(n);
}

/**
 * Equality as `=` sees it. Null on either side is false, so `!=` (its negation) is true on null.
 * Booleans equal 1/0 and "true"/"false"; a number and a numeric string compare as numbers;
 * two strings compare exactly; structures equal nothing.
 */
export function equals(a: Value, b: Value): boolean {
  if (isNull(a) || isNull(b) || isStructure(a) || isStructure(b)) return false;
  const ta = typeof a;
  const tb = typeof b;
  if (ta === "string" && tb === "string") return a === b;
  if (ta === "boolean" || tb === "boolean") {
    const s = ta === "string" ? (a as string) : tb === "string" ? (b as string) : undefined;
    if (s === "true" || s === "false") {
      const bool = ta === "boolean" ? (a as boolean) : (b as boolean);
      return (s === "true") === bool;
    }
  }
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  return toText(a) === toText(b);
}

/**
 * Two texts in the order of their UTF-16 code units, as `sort` orders strings: the same on every
 * machine. (localeCompare follows the locale node takes from LANG and LC_ALL: ties in `pattern`'s
 * counts, and so `pattern ... | limit 1`, came out in another order under da_DK than under C.)
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Order for `<`, `<=`, `>`, `>=` (min and max go by a total order: aggregate.ts extremeOrder):
 * negative, zero or positive, or undefined when the values cannot be ordered: a null, a structure,
 * or a number (a boolean, a time) against a string that holds no number (`"redacted" >
 * 500000000000` is false, as in SQL, not a comparison of texts). Two strings order as text by code
 * unit; numbers, and numbers held in strings against them, numerically.
 */
export function compareValues(a: Value, b: Value): number | undefined {
  if (isNull(a) || isNull(b) || isStructure(a) || isStructure(b)) return undefined;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  const na = toNumber(a);
  const nb = toNumber(b);
  // not na - nb: Infinity - Infinity is NaN, and every order between equal infinities was false
  return na !== undefined && nb !== undefined ? (na < nb ? -1 : na > nb ? 1 : 0) : undefined;
}

/** Whether a filter keeps a row: true, a non-zero number, or the strings "true" / non-zero numbers. */
export function isTruthy(v: Value): boolean {
  switch (typeof v) {
    case "boolean":
      return v;
    case "number":
      return v !== 0 && !Number.isNaN(v);
    case "string": {
      if (v === "true") return true;
      const n = toNumber(v);
      return n !== undefined && n !== 0;
    }
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Natural sort (the AWS `-Sort` page): values that are numbers sort after all other values and
// compare numerically; other values compare chunk by chunk, digit runs as the numbers they write
// (`007` before `8`; by length without leading zeros, then digit by digit), other runs by code
// point. Text that differs only in leading zeros (`a01`, `a1`) is the same place in the order, then
// the one with more zeros first (the page lists `0 01 1 2 3`), so that the order is total. Nulls sort last in both directions
// (the caller handles direction).

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * The natural order of two texts, read in one pass without splitting them (a sort compares each
 * value some 20 times: chunks made as strings were most of a sort's time on text keys).
 */
export function naturalCompareText(a: string, b: string): number {
  const na = a.length;
  const nb = b.length;
  let i = 0;
  let j = 0;
  let zeros = 0;
  while (i < na && j < nb) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    const da = isDigit(ca);
    if (da !== isDigit(cb)) return ca < cb ? -1 : 1; // a digit run against other text: by code point
    if (da) {
      let ie = i;
      while (ie < na && isDigit(a.charCodeAt(ie))) ie++;
      let je = j;
      while (je < nb && isDigit(b.charCodeAt(je))) je++;
      // the numbers the runs write: without leading zeros (one digit at least), by length, then digit by digit
      let is = i;
      while (is < ie - 1 && a.charCodeAt(is) === 48) is++;
      let js = j;
      while (js < je - 1 && b.charCodeAt(js) === 48) js++;
      if (ie - is !== je - js) return ie - is - (je - js);
      for (let k = 0; k < ie - is; k++) {
        const x = a.charCodeAt(is + k);
        const y = b.charCodeAt(js + k);
        if (x !== y) return x - y;
      }
      // the same number: the first run written with more zeros goes first, if nothing after decides
      if (zeros === 0) zeros = je - j - (ie - i);
      i = ie;
      j = je;
    } else {
      // other runs: by code point, a run that ends first (a prefix of the other) before it
      while (i < na && j < nb) {
        const x = a.charCodeAt(i);
        const y = b.charCodeAt(j);
        const xd = isDigit(x);
        const yd = isDigit(y);
        if (xd || yd) {
          if (xd && yd) break; // both runs end here
          return xd ? -1 : 1;
        }
        if (x !== y) return x < y ? -1 : 1;
        i++;
        j++;
      }
    }
  }
  if (i < na || j < nb) return i < na ? 1 : -1; // the one with chunks left after the other's last
  return zeros;
}

/** Ascending natural order of two present values. Use sortCompare for nulls and direction. */
export function naturalCompare(a: Value, b: Value): number {
  const na = typeof a === "number" ? a : typeof a === "boolean" ? (a ? 1 : 0) : typeof a === "string" && isNumericString(a) ? Number(a) : undefined;
  const nb = typeof b === "number" ? b : typeof b === "boolean" ? (b ? 1 : 0) : typeof b === "string" && isNumericString(b) ? Number(b) : undefined;
  // two texts that are not numbers (eventIDs, ARNs, names): the common case of a sort on text
  if (na === undefined && nb === undefined && typeof a === "string" && typeof b === "string") return naturalCompareText(a, b);
  if (na !== undefined && nb !== undefined) {
    if (na !== nb) return na - nb;
    // equal values written differently (`01` and `1`): the longer text first, as the AWS page
    // lists `0 01 1 2 3`, so that the order is total and stable
    return (toText(b) ?? "").length - (toText(a) ?? "").length;
  }
  if (na !== undefined) return 1;
  if (nb !== undefined) return -1;
  const sa = isStructure(a) ? JSON.stringify(a) : (toText(a) ?? "");
  const sb = isStructure(b) ? JSON.stringify(b) : (toText(b) ?? "");
  return naturalCompareText(sa, sb);
}

/** The order of `sort`: natural order, reversed for desc, nulls last either way. */
export function sortCompare(a: Value, b: Value, desc: boolean): number {
  // numbers (times, counts): the common case, and equal ones need no tie-break
  if (typeof a === "number" && typeof b === "number" && a === a && b === b) return a === b ? 0 : (a < b) === desc ? 1 : -1;
  const an = isNull(a);
  const bn = isNull(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  const c = naturalCompare(a, b);
  return desc ? -c : c;
}

/**
 * A part of a key of several values, written so that the parts joined with KEY_SEPARATOR make an
 * id no other parts make: in text, \u0002 is written \u0002\u0002 and \u0001 \u0002\u0001 (a
 * userAgent holding \u0001 could make ("p", "q\u0001sr") one group with ("p\u0001sq", "r")).
 */
export function keyPart(k: string | number): string | number {
  // two includes: 19 ns a part of 30 characters against 48 for a regex test
  return typeof k === "string" && (k.includes("\u0001") || k.includes("\u0002")) ? k.replace(KEY_MARKS, "\u0002$&") : k;
}

/** Between the parts of a key of several values (keyPart). */
export const KEY_SEPARATOR = "\u0001";
const KEY_MARKS = /[\u0001\u0002]/g;

/** The parts joined into one id (keyPart). */
export function joinedKey(parts: readonly (string | number)[]): string {
  let id = "";
  for (let i = 0; i < parts.length; i++) id += (i === 0 ? "" : KEY_SEPARATOR) + keyPart(parts[i]!);
  return id;
}

/**
 * A key that makes equal values of one kind collide in a Map, for stats groups and dedup: a boolean
 * with the number it equals (true, 1). A string stays apart from the number or boolean it may equal
 * by `=` ("100" and 100, "true" and true), as `=` across kinds is not transitive ("100" = 100 = "1e2",
 * yet "100" != "1e2"): such groups print alike, and the docs say so.
 */
export function groupKey(v: Value): string | number {
  switch (typeof v) {
    case "number":
      return v;
    case "boolean":
      return v ? 1 : 0;
    case "string":
      return "s" + v;
    case "undefined":
      return "\u0000null";
    default:
      return v === null ? "\u0000null" : "j" + structureKey(v);
  }
}

/**
 * A structure's JSON text as a group's key: JSON.stringify's, but where it would write a number
 * that is not finite as null (1e400 in a record is Infinity), that number as no JSON text writes
 * a finite one (`1e999`, `-1e999`, `NaN`): {"n":1e400}, {"n":-1e400} and {"n":null} are three groups.
 */
function structureKey(v: object): string {
  const text = JSON.stringify(v);
  return text.includes("null") ? exactJson(v) : text;
}

function exactJson(v: unknown): string {
  if (typeof v === "number") return Number.isFinite(v) ? JSON.stringify(v) : v > 0 ? "1e999" : v < 0 ? "-1e999" : "NaN";
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return "[" + v.map((x) => (x === undefined ? "null" : exactJson(x))).join(",") + "]";
  const parts: string[] = [];
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) parts.push(JSON.stringify(k) + ":" + exactJson(x));
  }
  return "{" + parts.join(",") + "}";
}
