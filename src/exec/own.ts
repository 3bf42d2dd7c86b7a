// Objects from data (events, the maps of jsonParse and logfmt, columns) are read and written by
// their own properties only: `constructor`, `toString`, `__proto__` and `length` are ordinary keys a
// record may or may not have, never what JavaScript's prototypes hold. Keys known when the query is
// compiled are checked once: most keys no prototype has read as plain indexing.

/** Whether indexing a plain object or an array with k could reach a prototype's property. */
export function inherited(k: string): boolean {
  return k in Object.prototype || k in Array.prototype;
}

/** o[k] among o's own properties (arrays by index only); undefined for anything else. */
export function ownValue(o: unknown, k: string): unknown {
  if (o === null || typeof o !== "object") return undefined;
  if (Array.isArray(o)) return inherited(k) ? undefined : (o as unknown as Record<string, unknown>)[k];
  return Object.hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined;
}

/** A reader of key k (fixed when compiling): ownValue, as plain indexing when no prototype has k. */
export function keyReader(k: string): (o: unknown) => unknown {
  if (inherited(k)) return (o) => ownValue(o, k);
  return (o) => (o !== null && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined);
}

/** o[k] = v as an own property, for the key __proto__ too (an assignment would set the prototype). */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}
