// The query text the console adds when a field of an opened row is clicked: the field's path and
// a filter for its value, as the query language reads them back (no DOM: a unit test runs it).
import { quoteString } from "../../lang/quote.js";

/** A field path as the query language writes it: `quoted` where a part is not a plain name. */
export function fieldPath(parts: string[]): string {
  return parts.map((p) => (/^[A-Za-z_@][\w@]*$/.test(p) && !/^\d/.test(p) ? p : "`" + p.replace(/`/g, "``") + "`")).join(".");
}

/** The filter command for a field's value. */
export function filterFor(path: string, value: unknown): string {
  if (value === null || value === undefined) return `| filter ispresent(${path}) = 0`;
  if (typeof value === "number" || typeof value === "boolean") return `| filter ${path} = ${typeof value === "boolean" ? (value ? 1 : 0) : value}`;
  return `| filter ${path} = ${quoteString(String(value))}`;
}
