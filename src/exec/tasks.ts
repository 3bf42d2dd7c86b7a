// Work a parallel scan's workers can run on the rows they admit instead of a plan's commands:
// detection mode's rules (src/detect/judge.ts), the values `trailq index` keeps (field-values.ts).
// Found by name and loaded when a worker is given one, so that a query's workers load none of it.
import type { Operator } from "./operators/operator.js";

/** What the workers are told: the task's name and its data (copied to each worker). */
export interface TaskInit {
  name: keyof typeof TASKS;
  data: unknown;
}

/** A task in a worker: the rows admitted go to `head`; endFile() is what the main thread gets of each file (FileDone.task). */
export interface ScanTask {
  head: Operator;
  endFile(): unknown;
}

const TASKS = {
  detect: async (data: unknown): Promise<ScanTask> => (await import("../detect/judge.js")).judgeFromData(data),
  fieldValues: async (): Promise<ScanTask> => (await import("./field-values.js")).fieldValuesTask(),
};

export function startTask(t: TaskInit): Promise<ScanTask> {
  return TASKS[t.name](t.data);
}
