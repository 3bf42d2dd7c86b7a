// The results table's sort, in a Web Worker (dist/ui/sort.js): a million rows sorted on the page's
// main thread would hold it for seconds. The page sends a column's cells as it needs them (sorter.ts),
// then asks for the order: the rows' indexes sorted by that column, numbers as numbers when every
// present cell is one, absent cells last either way, ties in the order the rows came.
type Cell = string | null;

export type ToSortWorker =
  /** Cells of column `col` from row `from` on (following those sent before). */
  | { t: "cells"; col: number; from: number; cells: Cell[] }
  /** The order of the first `n` rows by column `col`. */
  | { t: "sort"; seq: number; col: number; desc: boolean; n: number };

export interface FromSortWorker {
  seq: number;
  order: Uint32Array;
}

const columns = new Map<number, Cell[]>();

function sortOrder(cells: readonly Cell[], n: number, desc: boolean): Uint32Array {
  // the keys taken out once: numbers when every present value is one, else the texts
  let numeric = true;
  for (let i = 0; i < n && numeric; i++) {
    const v = cells[i] ?? null;
    if (v !== null && (v.trim() === "" || !Number.isFinite(Number(v)))) numeric = false;
  }
  const sign = desc ? -1 : 1;
  const order = Array.from({ length: n }, (_, i) => i);
  if (numeric) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = cells[i] == null ? NaN : Number(cells[i]);
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

// the worker's side: this file is also what the page's type checker reads, where `self` is a window
const scope = self as unknown as { onmessage: ((e: MessageEvent<ToSortWorker>) => void) | null; postMessage(m: FromSortWorker, transfer: Transferable[]): void };
scope.onmessage = (e) => {
  const m = e.data;
  if (m.t === "cells") {
    let col = columns.get(m.col);
    if (!col) columns.set(m.col, (col = []));
    col.length = m.from;
    for (const c of m.cells) col.push(c);
    return;
  }
  const order = sortOrder(columns.get(m.col) ?? [], m.n, m.desc);
  scope.postMessage({ seq: m.seq, order }, [order.buffer]);
};
