// One event as the rules see it: the values of a dotted field (arrays fanned out, objects as their
// JSON text), lower-cased once for case-insensitive matching, and the event's whole JSON text for
// keywords. Everything is computed when a rule first asks and kept for the other rules.

export type Event = Record<string, unknown>;

/** A field's leaf values as text: null stays null (it matches only `null`). */
export type Texts = readonly (string | null)[];

const NONE: Texts = [];

/** Field names split at their dots, once (rules name few fields, every event asks for them). */
const PARTS = new Map<string, string[]>();

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
export function fieldLeaves(ev: unknown, parts: readonly string[]): { leaves: unknown[]; present: boolean } {
  const leaves: unknown[] = [];
  let present = false;
  const walk = (v: unknown, i: number, depth: number): void => {
    if (depth > 64) return;
    if (i === parts.length) {
      present = true;
      if (Array.isArray(v)) for (const e of v) leaves.push(e);
      else leaves.push(v);
      return;
    }
    if (Array.isArray(v)) {
      for (const e of v) walk(e, i, depth + 1);
      return;
    }
    if (v === null || typeof v !== "object") return;
    // the shortest key first, then the longer ones a name with dots may be
    let key = "";
    for (let j = i; j < parts.length; j++) {
      key = j === i ? parts[j]! : `${key}.${parts[j]}`;
      if (Object.hasOwn(v, key)) walk((v as Record<string, unknown>)[key], j + 1, depth + 1);
    }
  };
  walk(ev, 0, 0);
  return { leaves, present };
}

export class EventView {
  private texts: Map<string, Texts> | undefined;
  private lowers: Map<string, Texts> | undefined;
  private presence: Map<string, boolean> | undefined;
  private json: string | undefined;
  private jsonLower: string | undefined;

  constructor(readonly ev: Event) {}

  private read(field: string): void {
    let parts = PARTS.get(field);
    if (!parts) {
      parts = field.split(".");
      if (PARTS.size < 10_000) PARTS.set(field, parts);
    }
    const { leaves, present } = fieldLeaves(this.ev, parts);
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
