// The query text the console adds when a field of an opened row is clicked: the field's path and
// a filter for its value, as the query language reads them back (no DOM: a unit test runs it).
import { fieldText, quoteString } from "../../lang/quote.js";

/**
 * A field path as the query language writes it (fieldText), or undefined when the language can't
 * name it: a part it can't write, or a first part starting with @ (the language's @ names are its
 * own fields).
 */
export function fieldPath(parts: string[]): string | undefined {
  return parts[0]?.startsWith("@") ? undefined : fieldText(parts);
}

/**
 * The filter command for a field's value; undefined for an object or an array (an empty one is
 * what the event view shows as a field), which a comparison with a value does not match.
 */
export function filterFor(path: string, value: unknown): string | undefined {
  if (value === null || value === undefined) return `| filter ispresent(${path}) = 0`;
  if (typeof value === "object") return undefined;
  if (typeof value === "number" || typeof value === "boolean") return `| filter ${path} = ${typeof value === "boolean" ? (value ? 1 : 0) : value}`;
  return `| filter ${path} = ${quoteString(String(value))}`;
}
