// The Sigma value modifiers (`field|contains|all: ...`), one registry entry each: to support another,
// add it here. An entry is one of
//   - a transform: a value (as a pattern, see pattern.ts) → its alternatives (contains wraps it in
//     `*`, base64offset gives three encodings, windash makes the dashes interchangeable);
//   - a comparison: how the values are compared with the field (re, cidr, lt, exists, fieldref...);
//     at most one per field, and only after transforms that keep its meaning;
//   - a flag (all, cased, neq, the re flags i, m, s);
//   - a refusal: the modifier is known and not run, with the reason (the rule is reported, not run).
import { isNumericString } from "../exec/values.js";
import { parseCidr, ipBytes, inSubnet, type Subnet } from "../functions/ip.js";
import { ANY, DASH, DASHES, compileRegex, literal, literalText, normalize, parsePattern, patternTest, type Pattern } from "./pattern.js";
import { RuleRefusal } from "./refusal.js";
import type { Scalar } from "./rule.js";
import { fieldId, type EventView, type Texts } from "./event-view.js";
import { not, or, type QNode } from "./qnode.js";
import { foldCase } from "./fold.js";

/** What a value becomes before it is compared: its alternatives (one of them must match), and bytes for the encoders. */
export interface Alt {
  pattern: Pattern;
  /** The value as bytes, when an encoding modifier made it (utf16le...): base64 encodes these. */
  bytes?: Buffer;
}

/** How the values of one field entry are compared. */
export interface CompareContext {
  field: string | null;
  modifier: string;
  cased: boolean;
  reFlags: string;
  /** The names of the modifiers given, in order. */
  given: readonly string[];
}

/** Whether the field's texts satisfy one value (`vals` the field's leaf values, lower-cased when not cased). */
export type ValueTest = (vals: Texts, view: EventView) => boolean;

export type ModifierDef =
  | { kind: "transform"; name: string; doc: string; transform(a: Alt, given: readonly string[]): Alt[] }
  | {
      kind: "compare";
      name: string;
      doc: string;
      compare(value: Scalar, ctx: CompareContext): ValueTest;
      /** The same comparison in the query language (query.ts); `field` is the entry's field. */
      query(value: Scalar, field: string, ctx: CompareContext): QNode;
      caseMatters?: boolean;
    }
  | { kind: "flag"; name: string; doc: string }
  | { kind: "refused"; name: string; doc: string; reason: string };

function wrap(before: boolean, after: boolean) {
  return (a: Alt): Alt[] => {
    const p = [...a.pattern];
    if (before && p[0] !== ANY) p.unshift(ANY);
    if (after && p[p.length - 1] !== ANY) p.push(ANY);
    return [{ pattern: p }];
  };
}

/** A text as JSON writes it inside a string: its quotes, backslashes and control characters escaped. */
const jsonInString = (t: string): string => JSON.stringify(t).slice(1, -1);

function plainBytes(a: Alt, name: string): Buffer {
  if (a.bytes) return a.bytes;
  const t = literalText(a.pattern);
  if (t === undefined) throw new RuleRefusal("modifier", `${name} cannot encode a value with wildcards`, name);
  return Buffer.from(t, "utf8");
}

function utf16(name: string, be: boolean, bom: boolean) {
  return (a: Alt): Alt[] => {
    const t = literalText(a.pattern);
    if (t === undefined) throw new RuleRefusal("modifier", `${name} cannot encode a value with wildcards`, name);
    let b = Buffer.from(t, "utf16le");
    if (be) b.swap16();
    if (bom) b = Buffer.concat([Buffer.from(be ? [0xfe, 0xff] : [0xff, 0xfe]), b]);
    return [{ pattern: literal(t), bytes: b }];
  };
}

/** The three base64 forms of a value that may start at any byte of an encoded text (Sigma's base64offset). */
export function base64Offsets(b: Buffer): string[] {
  const starts = [0, 2, 3];
  const ends = [0, -3, -2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const enc = Buffer.concat([Buffer.alloc(i, 0x20), b]).toString("base64");
    const end = ends[(b.length + i) % 3]!;
    out.push(enc.slice(starts[i], end === 0 ? undefined : end));
  }
  return out;
}

/**
 * A field's texts as numbers: numbers, and strings that are decimal numbers as the query language
 * reads them (isNumericString: not `0x10`, `0b1` or `Infinity`, which Number() takes), so that the
 * rule's query (`field > 10`) finds the events detect finds.
 */
function numbers(vals: Texts): number[] {
  const out: number[] = [];
  for (const v of vals) if (v !== null && isNumericString(v)) out.push(Number(v));
  return out;
}

function numeric(name: string, test: (a: number, b: number) => boolean) {
  return (value: Scalar): ValueTest => {
    // a text as a field's text is read (numbers): `0x10` and `Infinity` are no number there either
    const b = typeof value === "number" ? value : typeof value === "string" && isNumericString(value) ? Number(value) : NaN;
    if (!Number.isFinite(b)) throw new RuleRefusal("modifier", `${name} needs a decimal number, not ${JSON.stringify(value)}`, name);
    return (vals) => numbers(vals).some((a) => test(a, b));
  };
}

const REGISTRY: ModifierDef[] = [
  { kind: "transform", name: "contains", doc: "the value anywhere in the field (`*` around it)", transform: wrap(true, true) },
  { kind: "transform", name: "startswith", doc: "the field starts with the value", transform: wrap(false, true) },
  { kind: "transform", name: "endswith", doc: "the field ends with the value", transform: wrap(true, false) },
  {
    kind: "transform",
    name: "windash",
    doc: "each of - / – — ― stands for any of them",
    transform: (a) => [{ pattern: normalize(a.pattern.flatMap((t) => (typeof t !== "string" ? [t] : splitDashes(t)))) }],
  },
  {
    kind: "transform",
    name: "base64",
    doc: "the value base64-encoded",
    transform: (a) => [{ pattern: literal(plainBytes(a, "base64").toString("base64")) }],
  },
  {
    kind: "transform",
    name: "base64offset",
    doc: "the value's three base64 forms (at any byte offset), usually with contains",
    transform: (a) => base64Offsets(plainBytes(a, "base64offset")).map((s) => ({ pattern: literal(s) })),
  },
  { kind: "transform", name: "utf16le", doc: "the value as UTF-16LE bytes (then base64 or base64offset)", transform: utf16("utf16le", false, false) },
  { kind: "transform", name: "wide", doc: "utf16le", transform: utf16("wide", false, false) },
  { kind: "transform", name: "utf16be", doc: "the value as UTF-16BE bytes (then base64 or base64offset)", transform: utf16("utf16be", true, false) },
  { kind: "transform", name: "utf16", doc: "the value as UTF-16 with a byte order mark (then base64 or base64offset)", transform: utf16("utf16", false, true) },
  { kind: "flag", name: "all", doc: "every value must match (not one of them)" },
  { kind: "flag", name: "cased", doc: "case-sensitive matching" },
  { kind: "flag", name: "neq", doc: "the field differs from every value" },
  { kind: "flag", name: "i", doc: "re: case-insensitive" },
  { kind: "flag", name: "m", doc: "re: ^ and $ at line ends" },
  { kind: "flag", name: "s", doc: "re: . matches a newline" },
  {
    kind: "compare",
    name: "re",
    doc: "a regex (RE2 syntax, linear time), found anywhere in the field; case-sensitive unless |i",
    caseMatters: true,
    compare(value, ctx) {
      if (typeof value !== "string") throw new RuleRefusal("modifier", `re needs a string, not ${JSON.stringify(value)}`, "re");
      const re = compileRegex(value, ctx.reFlags);
      return (vals) => vals.some((v) => v !== null && re.test(v));
    },
    query: (value, field, ctx) =>
      or([
        { k: "like", target: { k: "field", name: field }, regex: String(value), flags: ctx.reFlags },
        { k: "like", target: { k: "json", name: field }, regex: String(value), flags: ctx.reFlags },
      ]),
  },
  {
    kind: "compare",
    name: "cidr",
    doc: "an IPv4 or IPv6 address in the network",
    compare(value) {
      const net: Subnet | undefined = typeof value === "string" ? parseCidr(value) : undefined;
      if (!net) throw new RuleRefusal("modifier", `cidr needs a network such as 10.0.0.0/8, not ${JSON.stringify(value)}`, "cidr");
      return (vals) =>
        vals.some((v) => {
          if (v === null) return false;
          const ip = ipBytes(v);
          return ip !== undefined && inSubnet(ip, net);
        });
    },
    query: (value, field) => ({ k: "subnet", field, cidr: String(value) }),
  },
  { kind: "compare", name: "lt", doc: "a number below the value", compare: numeric("lt", (a, b) => a < b) , query: (value, field) => ({ k: "cmp", field, op: "<", value: Number(value) }) },
  { kind: "compare", name: "lte", doc: "a number at most the value", compare: numeric("lte", (a, b) => a <= b) , query: (value, field) => ({ k: "cmp", field, op: "<=", value: Number(value) }) },
  { kind: "compare", name: "gt", doc: "a number above the value", compare: numeric("gt", (a, b) => a > b) , query: (value, field) => ({ k: "cmp", field, op: ">", value: Number(value) }) },
  { kind: "compare", name: "gte", doc: "a number at least the value", compare: numeric("gte", (a, b) => a >= b) , query: (value, field) => ({ k: "cmp", field, op: ">=", value: Number(value) }) },
  {
    kind: "compare",
    name: "exists",
    doc: "true: the field is there (even null); false: it is not",
    compare(value, ctx) {
      const want = value === true || value === "true" ? true : value === false || value === "false" ? false : undefined;
      if (want === undefined) throw new RuleRefusal("modifier", `exists needs true or false, not ${JSON.stringify(value)}`, "exists");
      const field = fieldId(ctx.field!);
      return (_vals, view) => view.existsOf(field) === want;
    },
    query: (value, field) => (value === true || value === "true" ? { k: "present", field } : not({ k: "present", field })),
  },
  {
    kind: "compare",
    name: "fieldref",
    doc: "the field equals another field of the same event (with startswith, endswith, contains: begins, ends, holds it)",
    compare(value, ctx) {
      if (typeof value !== "string" || value === "") throw new RuleRefusal("modifier", `fieldref needs a field name, not ${JSON.stringify(value)}`, "fieldref");
      const shape = ctx.given.find((g) => g === "startswith" || g === "endswith" || g === "contains");
      const other = fieldId(value);
      const same = (a: string, b: string): boolean =>
        shape === "startswith" ? a.startsWith(b) : shape === "endswith" ? a.endsWith(b) : shape === "contains" ? a.includes(b) : a === b;
      return (vals, view) => {
        const refs = ctx.cased ? view.valuesOf(other) : view.lowerOf(other);
        return vals.some((a) => a !== null && refs.some((b) => b !== null && same(a, b)));
      };
    },
    query(value, field, ctx) {
      if (ctx.given.some((g) => FIELD_SHAPES.has(g))) throw new RuleRefusal("modifier", "fieldref with startswith, endswith or contains has no query form", "fieldref");
      return { k: "sameAs", a: field, b: String(value), lower: !ctx.cased };
    },
  },
  {
    kind: "refused",
    name: "expand",
    doc: "placeholders (%name%) filled by a processing pipeline",
    reason: "expand fills %placeholders% from a processing pipeline's values, and trailq has no pipeline configuration",
  },
  ...(["minute", "hour", "day", "week", "month", "year"] as const).map(
    (name): ModifierDef => ({ kind: "refused", name, doc: "a part of a date", reason: `the time modifier ${name} is not supported (filter on eventTime with trailq query instead)` }),
  ),
];

function splitDashes(t: string): Pattern {
  const out: Pattern = [];
  let cur = "";
  for (const c of t) {
    if (DASHES.includes(c)) {
      if (cur) out.push(cur);
      cur = "";
      out.push(DASH);
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

export const MODIFIERS: ReadonlyMap<string, ModifierDef> = new Map(REGISTRY.map((m) => [m.name, m]));

/** The modifiers in the registry, for docs and --help. */
export function modifierNames(): string[] {
  return REGISTRY.map((m) => m.name);
}

/** Transforms that change what a comparison would see, and so cannot come before one. */
const FIELD_SHAPES = new Set(["startswith", "endswith", "contains"]);

/** One `field|modifiers: values` entry, checked: what the matcher (compileEntry) and the query (query.ts) both build from. */
export interface Entry {
  field: string | null;
  names: string[];
  compare: Extract<ModifierDef, { kind: "compare" }> | undefined;
  all: boolean;
  cased: boolean;
  neq: boolean;
  reFlags: string;
  /** Values are compared lower-cased (not cased, and not a comparison where case matters). */
  lower: boolean;
  ctx: CompareContext;
  /** Each value: null, or its patterns after the transforms (one must match); a comparison's values as given. */
  values: ({ kind: "null" } | { kind: "patterns"; patterns: Pattern[] } | { kind: "compare"; value: Scalar })[];
}

export function analyzeEntry(field: string | null, mods: readonly string[], values: readonly Scalar[]): Entry {
  const defs = mods.map((name) => {
    const d = MODIFIERS.get(name.toLowerCase());
    if (!d) throw new RuleRefusal("modifier", `unknown modifier ${name}`, name);
    if (d.kind === "refused") throw new RuleRefusal("modifier", `modifier ${name}: ${d.reason}`, name);
    return d;
  });
  const names = defs.map((d) => d.name);
  const compares = defs.filter((d) => d.kind === "compare");
  if (compares.length > 1) throw new RuleRefusal("modifier", `modifiers ${compares.map((c) => c.name).join(" and ")} cannot be combined`, compares[1]!.name);
  const compare = compares[0];
  const all = names.includes("all");
  const cased = names.includes("cased");
  const neq = names.includes("neq");
  const reFlags = names.filter((n) => n === "i" || n === "m" || n === "s").join("");
  if (reFlags && compare?.name !== "re") throw new RuleRefusal("modifier", `the flags i, m, s go with re`, reFlags[0]);
  if (compare && compare.name !== "fieldref") {
    const t = defs.find((d) => d.kind === "transform");
    if (t) throw new RuleRefusal("modifier", `${t.name} cannot be combined with ${compare.name}`, t.name);
  }
  if (compare?.name === "fieldref" && defs.some((d) => d.kind === "transform" && !FIELD_SHAPES.has(d.name))) {
    throw new RuleRefusal("modifier", "fieldref goes with startswith, endswith or contains only", "fieldref");
  }
  if (field === null && compare) throw new RuleRefusal("modifier", `${compare.name} needs a field (keywords are matched on the whole event)`, compare.name);
  if (values.length === 0) throw new RuleRefusal("bad rule", `${field ?? "keywords"}: an empty list of values`);
  const lower = !cased && !(compare?.kind === "compare" && compare.caseMatters);
  const ctx: CompareContext = { field, modifier: compare?.name ?? "", cased, reFlags, given: names };
  const out: Entry["values"] = values.map((value) => {
    if (compare) return { kind: "compare", value };
    if (value === null) {
      // null is a field's absence: a keyword (the event's text) has no field to be absent
      if (field === null) throw new RuleRefusal("bad rule", "keywords: null is not a keyword (null tests that a field is absent)");
      if (defs.some((d) => d.kind === "transform")) throw new RuleRefusal("modifier", `${names.join("|")} cannot apply to null`, names[0]);
      return { kind: "null" };
    }
    let alts: Alt[] = [{ pattern: typeof value === "string" ? parsePattern(value) : literal(String(value)) }];
    for (const d of defs) if (d.kind === "transform") alts = alts.flatMap((a) => d.transform(a, names));
    // keywords are looked for anywhere in the event's text, which is JSON: a keyword's characters
    // as JSON writes them in a string (`admin"` is `admin\"` there), so that a value holding the
    // keyword is found, and a keyword with a quote does not find the quotes around values
    if (field === null) alts = alts.flatMap((a) => wrap(true, true)({ pattern: a.pattern.map((t) => (typeof t === "string" ? jsonInString(t) : t)) }));
    const encoder = alts.some((a) => a.bytes) ? names.filter((n) => (MODIFIERS.get(n)?.kind === "transform" && n.startsWith("utf16")) || n === "wide").pop() : undefined;
    if (encoder) throw new RuleRefusal("modifier", `${encoder} needs base64 or base64offset after it (CloudTrail logs text, not UTF-16)`, encoder);
    return { kind: "patterns", patterns: alts.map((a) => normalize(a.pattern)) };
  });
  return { field, names, compare: compare?.kind === "compare" ? compare : undefined, all, cased, neq, reFlags, lower, ctx, values: out };
}

/**
 * The test of one `field|modifiers: values` entry, or of keywords (field null) against the event's
 * text: every value through the transforms, then compared; one value must match (every one with all).
 */
export function compileEntry(field: string | null, mods: readonly string[], values: readonly Scalar[]): (view: EventView) => boolean {
  const e = analyzeEntry(field, mods, values);
  const { lower, all, neq } = e;
  const tests: ValueTest[] = [];
  /** Values that are plain texts (no wildcard) compared whole: one set, looked up once per leaf (not with all). */
  const equal = new Set<string>();
  for (const v of e.values) {
    if (v.kind === "compare") tests.push(e.compare!.compare(v.value, e.ctx));
    else if (v.kind === "null") tests.push((vals) => vals.length === 0 || vals.includes(null));
    else if (!all && v.patterns.every((p) => p.length === 1 && typeof p[0] === "string")) for (const p of v.patterns) equal.add(lower ? foldCase(p[0] as string) : (p[0] as string));
    else tests.push(anyLeaf(v.patterns.map((p) => patternTest(p, lower))));
  }
  if (equal.size === 1) {
    const [only] = equal;
    tests.push(anyLeaf([(x) => x === only]));
  } else if (equal.size > 1) tests.push(anyLeaf([(x) => equal.has(x)]));

  let read: (view: EventView) => Texts;
  if (field === null) read = lower ? (v) => [v.text(true)] : (v) => [v.text(false)];
  else {
    const id = fieldId(field);
    read = lower ? (v) => v.lowerOf(id) : (v) => v.valuesOf(id);
  }
  let test: (view: EventView) => boolean;
  if (tests.length === 1) {
    const t = tests[0]!;
    test = (view) => t(read(view), view);
  } else if (all)
    test = (view) => {
      const vals = read(view);
      for (const t of tests) if (!t(vals, view)) return false;
      return true;
    };
  else
    test = (view) => {
      const vals = read(view);
      for (const t of tests) if (t(vals, view)) return true;
      return false;
    };
  if (neq) {
    const t = test;
    return (view) => !t(view);
  }
  return test;
}

/** Whether one of a field's texts (not null) passes one of the tests. */
function anyLeaf(fns: ((s: string) => boolean)[]): ValueTest {
  if (fns.length === 1) {
    const f = fns[0]!;
    return (vals) => {
      for (let i = 0; i < vals.length; i++) {
        const x = vals[i]!;
        if (x !== null && f(x)) return true;
      }
      return false;
    };
  }
  return (vals) => {
    for (let i = 0; i < vals.length; i++) {
      const x = vals[i]!;
      if (x === null) continue;
      for (const f of fns) if (f(x)) return true;
    }
    return false;
  };
}
