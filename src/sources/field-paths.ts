// The dotted paths of events' fields, counted: what the end-of-run hints (exec/hints.ts) compare a
// field the query reads, and no event had, with. Files are read again for them; a stream (standard
// input, a named pipe) cannot be, so the reader counts the paths of a stream's first events as it
// reads them.

/** Events whose paths are counted, at most. */
export const PATH_SAMPLE_EVENTS = 10_000;
/** Array elements looked into, and nesting levels. */
const SAMPLE_ELEMENTS = 3;
const SAMPLE_DEPTH = 8;

/** The paths counted over some events: how many events have each. */
export interface FieldPaths {
  have: Map<string, number>;
  events: number;
}

/** Every dotted path of an event's fields (`userIdentity.userName`, `resources.0.ARN`), counted into `into`. */
export function addPaths(v: unknown, into: Map<string, number>, prefix = "", depth = 0): void {
  if (v === null || typeof v !== "object" || depth > SAMPLE_DEPTH) return;
  const add = (key: string, x: unknown): void => {
    const p = prefix === "" ? key : `${prefix}.${key}`;
    into.set(p, (into.get(p) ?? 0) + 1);
    addPaths(x, into, p, depth + 1);
  };
  if (Array.isArray(v)) for (let i = 0; i < Math.min(v.length, SAMPLE_ELEMENTS); i++) add(String(i), v[i]);
  else for (const k in v) add(k, (v as Record<string, unknown>)[k]);
}
