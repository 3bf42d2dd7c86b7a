// One event as the rules see it: the values of a dotted field (arrays fanned out, objects as their
// JSON text), lower-cased once for case-insensitive matching, and the event's whole JSON text for
// keywords. Everything is computed when a rule first asks and kept for the other rules.

export type Event = Record<string, unknown>;

/** A field's leaf values as text: null stays null (it matches only `null`). */
export type Texts = readonly (string | null)[];

const NONE: Texts = [];

/**
 * A dotted field's names, and the keys each step may take: from name i, the key of names i..j joined
 * by dots for each j (`a.b.c` from 0: `a`, `a.b`, `a.b.c`). Made once per field (rules name few
 * fields, every event asks for them).
 */
interface FieldPath {
  keys: string[][];
}

const PATHS = new Map<string, FieldPath>();

function fieldPath(field: string): FieldPath {
  let p = PATHS.get(field);
  if (!p) {
    const parts = field.split(".");
    p = { keys: parts.map((_, i) => parts.slice(i).map((__, j) => parts.slice(i, i + j + 1).join("."))) };
    if (PATHS.size < 10_000) PATHS.set(field, p);
  }
  return p;
}

/** The text a leaf value is matched as: strings as they are, numbers and booleans as JSON writes them, objects as their JSON. */
export function leafText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v) ?? null;
}

/**
 * The values a dotted field reaches: each name an own property (a name with dots is also tried whole,
 * `a.b.c` as `a` then `b.c`...), an array on the way or at the end fanned out to its elements.
 * `present` says whether the field exists at all (even when null).
 */
function fieldLeaves(ev: unknown, path: FieldPath): { leaves: unknown[]; present: boolean } {
  const keys = path.keys;
  // the common case: a path of plain objects, no key with dots, the leaf not a list
  let v = ev;
  let i = 0;
  for (; i < keys.length; i++) {
    if (v === null || typeof v !== "object" || Array.isArray(v)) break;
    const ks = keys[i]!;
    let others = false;
    for (let j = 1; j < ks.length; j++) if (Object.hasOwn(v, ks[j]!)) others = true;
    if (others) break;
    if (!Object.hasOwn(v, ks[0]!)) return { leaves: [], present: false };
    v = (v as Record<string, unknown>)[ks[0]!];
  }
  if (i === keys.length) return { leaves: Array.isArray(v) ? [...(v as unknown[])] : [v], present: true };
  const out = { leaves: [] as unknown[], present: false };
  walk(v, i, keys, out, 0);
  return out;
}

function walk(v: unknown, i: number, keys: readonly string[][], out: { leaves: unknown[]; present: boolean }, depth: number): void {
  if (depth > 64) return;
  if (i === keys.length) {
    out.present = true;
    if (Array.isArray(v)) for (const e of v) out.leaves.push(e);
    else out.leaves.push(v);
    return;
  }
  if (Array.isArray(v)) {
    for (const e of v) walk(e, i, keys, out, depth + 1);
    return;
  }
  if (v === null || typeof v !== "object") return;
  // the shortest key first, then the longer ones a name with dots may be
  const ks = keys[i]!;
  for (let j = 0; j < ks.length; j++) if (Object.hasOwn(v, ks[j]!)) walk((v as Record<string, unknown>)[ks[j]!], i + j + 1, keys, out, depth + 1);
}

export class EventView {
  private texts: Map<string, Texts> | undefined;
  private lowers: Map<string, Texts> | undefined;
  private presence: Map<string, boolean> | undefined;
  private json: string | undefined;
  private jsonLower: string | undefined;

  constructor(readonly ev: Event) {}

  private read(field: string): void {
    const { leaves, present } = fieldLeaves(this.ev, fieldPath(field));
    (this.texts ??= new Map()).set(field, leaves.length === 0 ? NONE : leaves.map(leafText));
    (this.presence ??= new Map()).set(field, present);
  }

  /** The field's leaf values as text (empty when absent). */
  values(field: string): Texts {
    let t = this.texts?.get(field);
    if (t === undefined) {
      this.read(field);
      t = this.texts!.get(field)!;
    }
    return t;
  }

  /** The same, lower-cased. */
  lower(field: string): Texts {
    let t = this.lowers?.get(field);
    if (t === undefined) {
      const v = this.values(field);
      t = v.length === 0 ? NONE : v.map((s) => (s === null ? null : s.toLowerCase()));
      (this.lowers ??= new Map()).set(field, t);
    }
    return t;
  }

  /** Whether the field is there (even when null). */
  exists(field: string): boolean {
    if (this.presence?.get(field) === undefined) this.read(field);
    return this.presence!.get(field)!;
  }

  /** The whole event as JSON text (keywords are matched in it), lower-cased or not. */
  text(lower: boolean): string {
    this.json ??= JSON.stringify(this.ev);
    if (!lower) return this.json;
    return (this.jsonLower ??= this.json.toLowerCase());
  }
}
