// The results table's sort, in a Web Worker (dist/ui/sort.js): a million rows sorted on the page's
// main thread would hold it for seconds. The page sends a column's cells as it needs them (sorter.ts),
// then asks for the order (sort-order.ts).
import { sortOrder } from "./sort-order.js";

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
