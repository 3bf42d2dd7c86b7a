// How one value prints: as text (table, csv, markdown) or as a JSON value (json, jsonl).
// Time columns print as `YYYY-MM-DD HH:MM:SS.mmm` in UTC; booleans as 1/0; structures as JSON.
import type { ValueType } from "../functions/types.js";
import { formatNumber, isNull, type Value } from "../exec/values.js";

export function formatTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.slice(0, 10) + " " + iso.slice(11, 23);
}

/** The text of a value; null/absent (and non-finite numbers) give undefined. */
export function renderText(v: Value, type: ValueType): string | undefined {
  if (isNull(v)) return undefined;
  switch (typeof v) {
    case "number":
      if (!Number.isFinite(v)) return undefined;
      return type === "time" ? formatTime(v) : formatNumber(v);
    case "boolean":
      return v ? "1" : "0";
    case "string":
      return v;
    default:
      return JSON.stringify(v);
  }
}

/** The JSON value of a value; undefined means "leave the key out". */
export function renderJson(v: Value, type: ValueType): unknown {
  if (isNull(v)) return undefined;
  switch (typeof v) {
    case "number":
      if (!Number.isFinite(v)) return undefined;
      return type === "time" ? formatTime(v) : v;
    case "boolean":
      return v ? 1 : 0;
    default:
      return v;
  }
}
