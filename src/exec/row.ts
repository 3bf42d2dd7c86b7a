// A row flowing through the operators: the event it came from (until stats replaces it), the
// columns made by earlier commands, and where it came from. System fields are computed on demand.
import type { SourceFile } from "../sources/index.js";
import type { RowView } from "../functions/types.js";
import type { Value } from "./values.js";
import { eventTimeMs } from "../time/event-time.js";
import { setOwn } from "./own.js";

export type Event = Record<string, unknown>;

export class Row implements RowView {
  /** Columns made by commands (`fields x as y`, parse, stats output), by name. */
  x: Record<string, Value> | null = null;
  /** Aggregate results of the group, while a stats operator evaluates its output items. */
  aggs: Value[] | null = null;
  /**
   * Where the scan met the event: file ordinal × 2^24 + index in the file. Rows meet operators in
   * this order in a single-threaded scan; parallel scans use it to give the same results.
   */
  pos = 0;
  /** The event's text as written in the file (@message), when the scan kept it (a query that reads @message). */
  raw: string | undefined = undefined;
  private ts: number | undefined;

  constructor(
    /** The CloudTrail record; null for rows made by stats. */
    readonly ev: Event | null,
    readonly file: SourceFile | null,
    /** Index of the event within its file. */
    readonly index: number,
    ts?: number,
  ) {
    this.ts = ts;
  }

  /** @timestamp in epoch ms: the event's eventTime (NaN when missing or unparseable). */
  get timestamp(): number {
    if (this.ts === undefined) {
      this.ts = eventTimeMs(this.ev?.["eventTime"]);
    }
    return this.ts;
  }

  set timestamp(ms: number) {
    this.ts = ms;
  }

  get(name: string): Value {
    const x = this.x;
    return x !== null && Object.hasOwn(x, name) ? x[name] : undefined;
  }

  set(name: string, v: Value): void {
    setOwn((this.x ??= {}), name, v);
  }

  /** A copy sharing the event, with its own columns (parse multi, unnest). */
  copy(): Row {
    const r = new Row(this.ev, this.file, this.index, this.ts);
    r.pos = this.pos;
    r.raw = this.raw;
    if (this.x) r.x = { ...this.x };
    return r;
  }
}
