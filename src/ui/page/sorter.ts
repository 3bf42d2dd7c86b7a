// The page's side of the sort worker (sort-worker.ts): a column's cells go to the worker in chunks,
// a task each (so that no step holds the page), only those it has not had yet; then the order comes
// back as a transferred array. The worker is started at the first sort and ended by reset (a new
// run), which also drops a sort still on its way.
import { withToken } from "./api.js";
import type { FromSortWorker, ToSortWorker } from "./sort-worker.js";

type Cell = string | null;

/** Cells sent in one message at most. */
const CHUNK = 50_000;

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export class Sorter {
  private worker: Worker | undefined;
  /** Per column, how many of its cells the worker has. */
  private readonly sent = new Map<number, number>();
  private seq = 0;
  private readonly waiting = new Map<number, { resolve(o: Uint32Array | undefined): void; reject(e: Error): void }>();

  /** The order of `rows` by column `col`; undefined when a newer sort or a reset came first. */
  async order(rows: readonly (readonly Cell[])[], col: number, desc: boolean): Promise<Uint32Array | undefined> {
    const seq = ++this.seq;
    const worker = this.start();
    const n = rows.length;
    for (let from = this.sent.get(col) ?? 0; from < n; from += CHUNK) {
      const cells: Cell[] = [];
      for (let i = from; i < Math.min(n, from + CHUNK); i++) cells.push(rows[i]![col] ?? null);
      worker.postMessage({ t: "cells", col, from, cells } satisfies ToSortWorker);
      this.sent.set(col, from + cells.length);
      await nextTask();
      if (seq !== this.seq) return undefined;
    }
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      worker.postMessage({ t: "sort", seq, col, desc, n } satisfies ToSortWorker);
    });
  }

  /** Forgets the rows (a new run): the worker ends, a sort on its way gives undefined. */
  reset(): void {
    this.seq++;
    this.worker?.terminate();
    this.worker = undefined;
    this.sent.clear();
    for (const w of this.waiting.values()) w.resolve(undefined);
    this.waiting.clear();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(withToken("/sort.js"), { type: "module" });
    worker.onmessage = (e: MessageEvent<FromSortWorker>) => {
      const w = this.waiting.get(e.data.seq);
      this.waiting.delete(e.data.seq);
      // an older sort's order is not used
      w?.resolve(e.data.seq === this.seq ? e.data.order : undefined);
    };
    worker.onerror = () => {
      for (const w of this.waiting.values()) w.reject(new Error("the sort worker failed"));
      this.waiting.clear();
      this.reset();
    };
    this.worker = worker;
    return worker;
  }
}
