// The order of a column of the results table (the sort worker's, sort-worker.ts): the rows' indexes
// sorted by the column's cells, numbers as numbers when every present cell is one, times written in a
// zone (`trailq ui --tz`) as the instants they name, else as text; absent cells last either way, ties
// in the order the rows came.
import { isNumericString } from "../../exec/values.js";

type Cell = string | null;

/** A time as the server writes it outside UTC: `2026-11-01 01:30:00.000 -04:00`. */
const ZONED_TIME = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) ([+-]\d\d:\d\d)$/;

/**
 * The cells' keys as numbers when each present cell has one: a number, or a time in a zone (the
 * written times of the hour that a change back from summer time repeats do not sort as their
 * instants do); undefined when some cell is other text.
 */
function numberKeys(cells: readonly Cell[], n: number): Float64Array | undefined {
  const keys = new Float64Array(n);
  let numbers = true;
  let times = true;
  for (let i = 0; i < n && (numbers || times); i++) {
    const v = cells[i] ?? null;
    if (v === null) {
      keys[i] = NaN;
      continue;
    }
    // a number as the engine reads one (decimal, an exponent): not 0x1F, 0b1 or Infinity, which
    // Number() reads and `sort` takes for text
    if (numbers && isNumericString(v) && Number.isFinite(Number(v))) {
      keys[i] = Number(v);
      times = false;
      continue;
    }
    numbers = false;
    const t = times ? ZONED_TIME.exec(v) : null;
    if (!t) return undefined;
    keys[i] = Date.parse(`${t[1]}T${t[2]}${t[3]}`);
  }
  return numbers || times ? keys : undefined;
}

export function sortOrder(cells: readonly Cell[], n: number, desc: boolean): Uint32Array {
  const sign = desc ? -1 : 1;
  const order = Array.from({ length: n }, (_, i) => i);
  const keys = numberKeys(cells, n);
  if (keys) {
    order.sort((a, b) => {
      const x = keys[a]!;
      const y = keys[b]!;
      // absent values last either way; ties in the order the rows came
      if (x !== x || y !== y) return x !== x && y !== y ? a - b : x !== x ? 1 : -1;
      return x === y ? a - b : (x - y) * sign;
    });
  } else {
    order.sort((a, b) => {
      const x = cells[a] ?? null;
      const y = cells[b] ?? null;
      if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
      return x === y ? a - b : x < y ? -sign : sign;
    });
  }
  return Uint32Array.from(order);
}
