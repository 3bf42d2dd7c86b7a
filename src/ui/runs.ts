// The runs the page started (queries and detections): each has an id, a way to cancel it, and what
// it was asked (so that an export runs the same query again rather than holding its rows). A grouped result's rows are kept
// for the Visualization tab, up to CHART_ROWS: what --chart holds.
import type { Plan } from "../plan/plan.js";
import type { Value } from "../exec/values.js";
import type { RunSpec } from "./prepare.js";
import { randomBytes } from "node:crypto";

export const CHART_ROWS = 10_000;
/** How many finished runs are remembered (for export and charts). */
const KEPT = 20;

/** A query (exported, charted) or a detection (only cancelled). */
export type RunKind = "query" | "detect";

export interface RunEntry {
  id: string;
  kind: RunKind;
  spec: RunSpec;
  controller: AbortController;
  running: boolean;
  /** The instant the run began: a relative range (the last 1h) and now() are measured from it, also when its results are exported later. */
  now: number;
  /** A stats result's rows, for the chart; undefined when there are none or too many. */
  chart?: { plan: Plan; rows: Value[][] };
  /** The run was cancelled or stopped: its rows are partial (its export would run the whole query). */
  interrupted?: boolean;
}

export class Runs {
  private readonly entries = new Map<string, RunEntry>();

  begin(spec: RunSpec, kind: RunKind): RunEntry {
    const e: RunEntry = { id: randomBytes(8).toString("hex"), kind, spec, controller: new AbortController(), running: true, now: Date.now() };
    this.entries.set(e.id, e);
    for (const [id, old] of this.entries) {
      if (this.entries.size <= KEPT) break;
      if (!old.running) this.entries.delete(id);
    }
    return e;
  }

  get(id: string): RunEntry | undefined {
    return this.entries.get(id);
  }

  /** Cancels a run; false when there is no such run running. */
  cancel(id: string): boolean {
    const e = this.entries.get(id);
    if (!e?.running) return false;
    e.controller.abort();
    return true;
  }

  /** Cancels every run (the server is stopping). */
  cancelAll(): void {
    for (const e of this.entries.values()) if (e.running) e.controller.abort();
  }

  get active(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.running) n++;
    return n;
  }
}
