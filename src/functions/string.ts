// String functions. Lengths and positions count code points, as Logs Insights does.
import { QueryError } from "../errors.js";
import { translateRegex, UserRegex } from "../check/regex.js";
import { isNull, isTruthy, toNumber, toText, type Value } from "../exec/values.js";
import type { FunctionDef } from "./types.js";
import { textFn } from "./helpers.js";

/** Decodes UTF-8, failing on bytes that are not (base64decode gives null then). */
const UTF8_STRICT = new TextDecoder("utf-8", { fatal: true });

const EDGE_SPACE_START = /^[\s\u0085]+/;
const EDGE_SPACE_END = /[\s\u0085]+$/;
const EDGE_SPACE_BOTH = /^[\s\u0085]+|[\s\u0085]+$/g;

function trimChars(s: string, chars: string | undefined, left: boolean, right: boolean): string {
  // JavaScript's trim and the next line (U+0085), a line end its trim leaves
  if (chars === undefined) return left && right ? s.replace(EDGE_SPACE_BOTH, "") : left ? s.replace(EDGE_SPACE_START, "") : s.replace(EDGE_SPACE_END, "");
  const set = new Set([...chars]);
  const cps = [...s];
  let a = 0;
  let b = cps.length;
  if (left) while (a < b && set.has(cps[a]!)) a++;
  if (right) while (b > a && set.has(cps[b - 1]!)) b--;
  return cps.slice(a, b).join("");
}

const bit = (b: boolean): number => (b ? 1 : 0);

const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;
const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;

/** The number of code points, counted without making an array of them (a spread of a 50 MB value would take gigabytes). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 1; i < s.length; i++) if (isLow(s.charCodeAt(i)) && isHigh(s.charCodeAt(i - 1))) n--;
  return n;
}

/** The code unit where code point `n` starts (s.length past the end): walks only that far. */
function codePointOffset(s: string, n: number, from = 0): number {
  let i = from;
  for (let k = 0; k < n && i < s.length; k++) i += isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1)) ? 2 : 1;
  return i;
}

export const stringFunctions: FunctionDef[] = [
  {
    // A missing or null argument (or a structure, which is not text) counts as the empty string:
    // concat(eventName, "@", errorCode) is "ConsoleLogin@" for a call without an error.
    kind: "scalar", category: "string", name: "concat", signature: "concat(a, b, ...)",
    description: "the arguments joined into one string (a missing or null one counts as empty)",
    minArgs: 1, maxArgs: Infinity, returns: "string",
    impl: (...args: Value[]) => {
      let s = "";
      for (const a of args) s += toText(a) ?? "";
      return s;
    },
  },
  textFn("ltrim", "ltrim(str [, chars])", "removes whitespace (or any of chars) from the left", 1, 2, "string", (s, c) => trimChars(s, c, true, false)),
  textFn("rtrim", "rtrim(str [, chars])", "removes whitespace (or any of chars) from the right", 1, 2, "string", (s, c) => trimChars(s, c, false, true)),
  textFn("trim", "trim(str [, chars])", "removes whitespace (spaces, tabs, line ends, Unicode spaces) or any of chars from both ends", 1, 2, "string", (s, c) => trimChars(s, c, true, true)),
  textFn("strlen", "strlen(str)", "length in code points", 1, 1, "number", (s) => codePointLength(s)),
  textFn("toupper", "toupper(str)", "upper case", 1, 1, "string", (s) => s.toUpperCase()),
  textFn("tolower", "tolower(str)", "lower case", 1, 1, "string", (s) => s.toLowerCase()),
  {
    kind: "scalar", category: "string", name: "substr", signature: "substr(str, start [, length])",
    description: "the substring from start (0-based) to the end, or of the given length",
    minArgs: 2, maxArgs: 3, returns: "string",
    impl: (v, start, len) => {
      const s = toText(v);
      // numbers as the language reads them ("0x10" and "" are none)
      const a = toNumber(start);
      if (s === undefined || a === undefined || !Number.isFinite(a)) return undefined;
      const from = codePointOffset(s, Math.max(0, Math.trunc(a)));
      // a length null or absent is none given: to the end (as the SQL translation reads a NULL)
      if (isNull(len)) return s.slice(from);
      const n = toNumber(len);
      if (n === undefined || !Number.isFinite(n)) return undefined;
      // walks to the end of the substring only
      return s.slice(from, codePointOffset(s, Math.max(0, Math.trunc(Math.min(n, s.length))), from));
    },
  },
  textFn("replace", "replace(str, search, replacement)", "replaces every occurrence of search", 3, 3, "string", (s, a, b) => (a === "" ? s : s.split(a).join(b))),
  {
    kind: "scalar", category: "string", name: "strcontains", signature: "strcontains(str, search [, caseInsensitive])",
    description: "1 if str contains search, else 0",
    minArgs: 2, maxArgs: 3, returns: "number",
    impl: (v, w, ci) => {
      const s = toText(v);
      const n = toText(w);
      if (s === undefined || n === undefined) return undefined;
      // the third argument is true as a filter reads truth (1, "true", any non-zero number)
      const insensitive = isTruthy(ci);
      return bit(insensitive ? s.toLowerCase().includes(n.toLowerCase()) : s.includes(n));
    },
  },
  textFn("startsWith", "startsWith(str, prefix)", "1 if str starts with prefix, else 0", 2, 2, "number", (s, p) => bit(s.startsWith(p))),
  textFn("endsWith", "endsWith(str, suffix)", "1 if str ends with suffix, else 0", 2, 2, "number", (s, p) => bit(s.endsWith(p))),
  {
    kind: "scalar", category: "string", name: "regexReplace", signature: 'regexReplace(str, "regex", replacement)',
    description: "replaces every match of the regex ($1 or \\1 refer to groups)",
    minArgs: 3, maxArgs: 3, args: ["value", "regex", "value"], returns: "string",
    compile: ([str, pat, rep], ctx) => {
      let re: UserRegex | undefined;
      if (pat!.constant instanceof UserRegex) re = pat!.constant;
      else if (typeof pat!.constant === "string") {
        try {
          re = translateRegex(pat!.constant, pat!.expr.span).regex;
        } catch (e) {
          if (e instanceof QueryError) ctx.fail(e.message, pat!.expr);
          throw e;
        }
      }
      return (row) => {
        const s = toText(str!.eval(row));
        const r = toText(rep!.eval(row));
        if (s === undefined || r === undefined || !re) return undefined;
        return re.replace(s, r);
      };
    },
  },
  {
    kind: "scalar", category: "string", name: "split", signature: "split(str, delimiter)",
    description: "the list of parts of str between delimiters",
    minArgs: 2, maxArgs: 2, returns: "list",
    impl: (v, d) => {
      const s = toText(v);
      const sep = toText(d);
      if (s === undefined || sep === undefined) return undefined;
      // by "": one part a code point, as strlen counts (split("") parted an emoji's two halves)
      return (sep === "" ? Array.from(s) : s.split(sep)) as Value[];
    },
  },
  textFn("urlencode", "urlencode(str)", "percent-encodes str", 1, 1, "string", (s) => {
    try {
      return encodeURIComponent(s);
    } catch {
      return undefined; // a lone surrogate has no UTF-8 (it stopped the whole run)
    }
  }),
  textFn("urldecode", "urldecode(str)", "decodes percent-encoding", 1, 1, "string", (s) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, " "));
    } catch {
      return undefined;
    }
  }),
  textFn("base64encode", "base64encode(str)", "base64 of the UTF-8 bytes of str", 1, 1, "string", (s) => Buffer.from(s, "utf8").toString("base64")),
  textFn("base64decode", "base64decode(str)", "decodes base64 to UTF-8 text", 1, 1, "string", (s) => {
    // base64 (or its URL form) whole, padding only at the end, and UTF-8 bytes: else null (node
    // decodes up to the first bad character: "aGVsbG8=aGVsbG8=" was "hello")
    const t = s.replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(t) || t.replace(/=+$/, "").length % 4 === 1) return undefined;
    try {
      return UTF8_STRICT.decode(Buffer.from(t, "base64"));
    } catch {
      return undefined;
    }
  }),
  textFn("hexToAscii", "hexToAscii(hex)", "decodes hex digits to text", 1, 1, "string", (s) => {
    const h = s.replace(/^0x/i, "");
    return /^(?:[0-9a-fA-F]{2})*$/.test(h) ? Buffer.from(h, "hex").toString("latin1") : undefined;
  }),
  textFn("hexToDec", "hexToDec(hex)", "the number a hex string stands for", 1, 1, "number", (s) => {
    const m = /^\s*(-?)(?:0[xX])?([0-9a-fA-F]+)\s*$/.exec(s);
    return m ? (m[1] ? -1 : 1) * parseInt(m[2]!, 16) : undefined;
  }),
  {
    kind: "scalar", category: "string", name: "decToHex", signature: "decToHex(number)",
    description: "lower-case hex with a 0x prefix (non-integers are truncated)",
    minArgs: 1, maxArgs: 1, returns: "string",
    impl: (v) => {
      const n = toNumber(v);
      if (n === undefined || !Number.isFinite(n)) return undefined;
      const t = Math.trunc(n);
      return (t < 0 ? "-0x" : "0x") + Math.abs(t).toString(16);
    },
  },
];
