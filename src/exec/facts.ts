// What a scan learns on the way, for the warnings at the end of a run (hints.ts): under a time range,
// how many events fell in it and the span of the times of those that did not (to say where the data
// are when none did). Cheap: a time is compared only when outside the range.
// A parallel scan's workers gather their own and hand them over per file (take); this thread adds
// them up in the files' scan order (add), so the facts are those of a single-threaded scan.

/** A worker's facts of one file. */
export interface FileFacts {
  inRange: number;
  first: number;
  last: number;
}

export class ScanFacts {
  /** Events whose @timestamp fell in the time range (a ranged scan only). */
  inRange = 0;
  /** The earliest and latest times of the events outside the range (±Infinity: none). */
  first = Infinity;
  last = -Infinity;

  /** A worker's facts since the last take (one file's), and a fresh start for the next file. */
  take(): FileFacts {
    const f: FileFacts = { inRange: this.inRange, first: this.first, last: this.last };
    this.inRange = 0;
    this.first = Infinity;
    this.last = -Infinity;
    return f;
  }

  /** Adds a worker's facts of one file. */
  add(f: FileFacts): void {
    this.inRange += f.inRange;
    this.first = Math.min(this.first, f.first);
    this.last = Math.max(this.last, f.last);
  }
}
