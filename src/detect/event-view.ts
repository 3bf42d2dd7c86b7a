// One event as the rules see it: the values of a dotted field (arrays fanned out, objects as their
// JSON text), lower-cased once for case-insensitive matching, and the event's whole JSON text for
// keywords. Everything is computed when a rule first asks and kept for the other rules.
//
// Fields are numbered when rules are compiled (fieldId): a view keeps a field's values in arrays by
// that number, stamped with the event they were read for, so that one view serves event after
// event (reset) without a Map or an object per event. The value lists it hands out are good until
// the next reset (a field's single value goes in the same one-value array each event): the rules
// use them at once and keep none.
import { foldCase } from "./fold.js";

export type Event = Record<string, unknown>;

/** A field's leaf values as text: null stays null (it matches only `null`). */
export type Texts = readonly (string | null)[];

const NONE: Texts = [];

/**
 * A dotted field's names, and the keys each step may take: from name i, the key of names i..j joined
 * by dots for each j (`a.b.c` from 0: `a`, `a.b`, `a.b.c`).
 */
interface FieldPath {
  keys: string[][];
}

function fieldPath(field: string): FieldPath {
  const parts = field.split(".");
  return { keys: parts.map((_, i) => parts.slice(i).map((__, j) => parts.slice(i, i + j + 1).join("."))) };
}

/** The fields numbered so far, and their paths by number. Their names come from rules, not from logs. */
const IDS = new Map<string, number>();
const PATHS: FieldPath[] = [];

/** The field's number (given once, when a rule that reads it is compiled). */
export function fieldId(field: string): number {
  let id = IDS.get(field);
  if (id === undefined) {
    id = PATHS.push(fieldPath(field)) - 1;
    IDS.set(field, id);
  }
  return id;
}

/** The text a leaf value is matched as: strings as they are, numbers and booleans as JSON writes them, objects as their JSON. */
export function leafText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v) ?? null;
}

/** Where walk() puts what it finds. */
interface Found {
  leaves: unknown[];
  present: boolean;
}

function walk(v: unknown, i: number, keys: readonly string[][], out: Found, depth: number): void {
  if (depth > 64) return;
  if (i === keys.length) {
    out.present = true;
    if (Array.isArray(v)) for (const e of v) out.leaves.push(e);
    else out.leaves.push(v);
    return;
  }
  if (Array.isArray(v)) {
    // a whole number is the element at that place, as the query language reads `resources.0.ARN`;
    // any other name is looked for in every element
    const at = keys[i]![0]!;
    if (/^(?:0|[1-9]\d*)$/.test(at)) {
      if (Number(at) < v.length) walk(v[Number(at)], i + 1, keys, out, depth + 1);
      return;
    }
    for (const e of v) walk(e, i, keys, out, depth + 1);
    return;
  }
  if (v === null || typeof v !== "object") return;
  // the shortest key first, then the longer ones a name with dots may be
  const ks = keys[i]!;
  for (let j = 0; j < ks.length; j++) if (Object.hasOwn(v, ks[j]!)) walk((v as Record<string, unknown>)[ks[j]!], i + j + 1, keys, out, depth + 1);
}

const texts = (leaves: readonly unknown[]): Texts => (leaves.length === 0 ? NONE : leaves.map(leafText));

/** Texts lower-cased, in a new array (lowerOf hands a single text out in the field's one-value array). */
function lowered(t: Texts): Texts {
  if (t.length === 0) return NONE;
  return t.map((s) => (s === null ? null : foldCase(s)));
}

export class EventView {
  /** The event being judged: reset() moves to the next one. */
  private event = 0;
  /** Per field number: the event its values (and presence), its lower-cased values were read for. */
  private readonly got: number[] = [];
  private readonly gotLower: number[] = [];
  private readonly texts: Texts[] = [];
  private readonly lowers: Texts[] = [];
  /**
   * Per field number, the one-value arrays its values and lower-cased values are handed out in when
   * it has one value (most fields, most events): filled again for each event, not made anew.
   */
  private readonly one: [string | null][] = [];
  private readonly oneLower: [string | null][] = [];
  private readonly presence: boolean[] = [];
  private json: string | undefined;
  private jsonLower: string | undefined;

  constructor(public ev: Event) {}

  /** The view of another event (what was read of the last one is forgotten). */
  reset(ev: Event): void {
    this.ev = ev;
    this.event++;
    this.json = this.jsonLower = undefined;
  }

  /**
   * Reads the field's values: each name an own property (a name with dots is also tried whole,
   * `a.b.c` as `a` then `b.c`...), an array on the way or at the end fanned out to its elements;
   * present when the field exists at all (even null).
   */
  private read(id: number): void {
    const keys = PATHS[id]!.keys;
    while (this.got.length <= id) {
      this.got.push(-1);
      this.gotLower.push(-1);
      this.texts.push(NONE);
      this.lowers.push(NONE);
      this.one.push([null]);
      this.oneLower.push([null]);
      this.presence.push(false);
    }
    this.got[id] = this.event;
    // the common case: a path of plain objects, no key with dots, the leaf not a list
    let v: unknown = this.ev;
    let i = 0;
    for (; i < keys.length; i++) {
      if (v === null || typeof v !== "object" || Array.isArray(v)) break;
      const ks = keys[i]!;
      let others = false;
      for (let j = 1; j < ks.length; j++) if (Object.hasOwn(v, ks[j]!)) others = true;
      if (others) break;
      if (!Object.hasOwn(v, ks[0]!)) {
        this.texts[id] = NONE;
        this.presence[id] = false;
        return;
      }
      v = (v as Record<string, unknown>)[ks[0]!];
    }
    if (i === keys.length) {
      this.presence[id] = true;
      if (Array.isArray(v)) this.texts[id] = texts(v);
      else {
        const one = this.one[id]!;
        one[0] = leafText(v);
        this.texts[id] = one;
      }
      return;
    }
    const out: Found = { leaves: [], present: false };
    walk(v, i, keys, out, 0);
    this.texts[id] = texts(out.leaves);
    this.presence[id] = out.present;
  }

  /** The field's leaf values as text (empty when absent), by its number. */
  valuesOf(id: number): Texts {
    if (this.got[id] !== this.event) this.read(id);
    return this.texts[id]!;
  }

  /** The same, lower-cased. */
  lowerOf(id: number): Texts {
    if (this.gotLower[id] === this.event) return this.lowers[id]!;
    const v = this.valuesOf(id);
    let t: Texts;
    if (v.length === 1) {
      const s = v[0]!;
      const one = this.oneLower[id]!;
      one[0] = s === null ? null : foldCase(s);
      t = one;
    } else t = lowered(v);
    this.lowers[id] = t;
    this.gotLower[id] = this.event;
    return t;
  }

  /** Whether the field is there (even when null), by its number. */
  existsOf(id: number): boolean {
    if (this.got[id] !== this.event) this.read(id);
    return this.presence[id]!;
  }

  /** The field's leaf values as text (empty when absent). */
  values(field: string): Texts {
    return this.valuesOf(fieldId(field));
  }

  /** The same, lower-cased. */
  lower(field: string): Texts {
    return this.lowerOf(fieldId(field));
  }

  /** Whether the field is there (even when null). */
  exists(field: string): boolean {
    return this.existsOf(fieldId(field));
  }

  /** The whole event as JSON text (keywords are matched in it), lower-cased or not. */
  text(lower: boolean): string {
    this.json ??= JSON.stringify(this.ev);
    if (!lower) return this.json;
    return (this.jsonLower ??= foldCase(this.json));
  }
}
