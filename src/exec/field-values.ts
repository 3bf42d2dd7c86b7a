// The task `trailq index` runs in the scan's threads instead of a plan's commands (tasks.ts): for
// each file, how many events it holds, the values each indexed field takes in them as a string, and
// the fields some event holds as another kind of value (sources/field-index.ts), read as a query
// reads the field, so that `field = "value"` holds for an event of the file only when the value is
// among them.
import { eventPath } from "./compile.js";
import type { ScanTask } from "./tasks.js";
import { INDEXED_FIELDS } from "../sources/field-index.js";

/** What the task gives for each file. */
export interface FileValues {
  events: number;
  /** The strings each indexed field holds in the file's events (INDEXED_FIELDS' order). */
  values: string[][];
  /** The fields (their numbers) some event holds as a number, a boolean, an object or an array. */
  others: number[];
  /** The events' first and last @timestamp (epoch ms); NaN when an event has none. */
  first: number;
  last: number;
  /** An event's eventTime is there but no time (a warning the file's reading gives: the index reads such a file always). */
  badTime: boolean;
}

export function fieldValuesTask(): ScanTask {
  const read = INDEXED_FIELDS.map((p) => eventPath([...p]));
  let seen = read.map(() => new Set<string>());
  let others = new Set<number>();
  let events = 0;
  let first = Infinity;
  let last = -Infinity;
  /** An event of the file has no time: the file is never left out by a time range. */
  let timeless = false;
  let badTime = false;
  return {
    head: {
      push(row) {
        events++;
        const t = row.timestamp;
        if (Number.isNaN(t)) {
          timeless = true;
          if (row.ev?.["eventTime"] !== undefined) badTime = true;
        } else {
          if (t < first) first = t;
          if (t > last) last = t;
        }
        for (let k = 0; k < read.length; k++) {
          const v = read[k]!(row);
          if (typeof v === "string") seen[k]!.add(v);
          else if (v !== undefined && v !== null) others.add(k);
        }
      },
      end() {},
    },
    endFile(): FileValues {
      const done = { events, values: seen.map((s) => [...s]), others: [...others], first: timeless ? NaN : first, last: timeless ? NaN : last, badTime };
      seen = read.map(() => new Set<string>());
      others = new Set();
      events = 0;
      first = Infinity;
      last = -Infinity;
      timeless = false;
      badTime = false;
      return done;
    },
  };
}
