// Running a plan over inputs: events from the reader are pushed through the pipeline, results go
// to the sink. Returns the figures the summary line reports.
import type { Plan } from "../plan/plan.js";
import type { Reader, ReadStats } from "../sources/index.js";
import { buildPipeline, type ResultSink } from "./pipeline.js";
import { Row } from "./row.js";

export interface RunResult {
  read: ReadStats;
  rowsOut: number;
  elapsedMs: number;
  /** Compile-time and plan warnings. */
  warnings: string[];
  /** The run was stopped before the inputs ended (Ctrl-C, or the output closed). */
  interrupted: boolean;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Called after each batch (progress display). */
  onProgress?: (read: ReadStats) => void;
}

export async function runPlan(plan: Plan, reader: Reader, sink: ResultSink, opts: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const pipeline = buildPipeline(plan, sink);
  const head = pipeline.head;
  let interrupted = false;
  for await (const batch of reader.batches()) {
    const { events, file, firstIndex } = batch;
    for (let i = 0; i < events.length; i++) head.push(new Row(events[i]!, file, firstIndex + i));
    opts.onProgress?.(reader.stats);
    if (opts.signal?.aborted) {
      interrupted = true;
      break;
    }
  }
  head.end();
  return {
    read: reader.stats,
    rowsOut: pipeline.rowsOut,
    elapsedMs: performance.now() - started,
    warnings: [...plan.warnings, ...pipeline.warnings],
    interrupted,
  };
}
