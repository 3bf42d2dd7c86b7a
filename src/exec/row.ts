// A row flowing through the operators: the event it came from (until stats replaces it), the
// columns made by earlier commands, and where it came from. System fields are computed on demand.
import type { SourceFile } from "../sources/index.js";
import type { RowView } from "../functions/types.js";
import type { Value } from "./values.js";
import { parseEventTime } from "../time/event-time.js";

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
      const t = this.ev?.["eventTime"];
      this.ts = typeof t === "string" ? parseEventTime(t) : typeof t === "number" ? t : NaN;
    }
    return this.ts;
  }

  set timestamp(ms: number) {
    this.ts = ms;
  }

  get(name: string): Value {
    return this.x?.[name];
  }

  set(name: string, v: Value): void {
    (this.x ??= {})[name] = v;
  }

  /** The row as plain data (spill files), its file as `file` (see RowCodec). */
  data(file: number): RowData {
    return [this.ev, this.x, this.ts, this.pos, this.index, file];
  }

  static fromData(d: RowData, file: SourceFile | null): Row {
    const r = new Row(d[0], file, d[4], d[2]);
    r.x = d[1];
    r.pos = d[3];
    return r;
  }

  /** A copy sharing the event, with its own columns (parse multi, unnest). */
  copy(): Row {
    const r = new Row(this.ev, this.file, this.index, this.ts);
    r.pos = this.pos;
    if (this.x) r.x = { ...this.x };
    return r;
  }
}

/** A row as plain data: event, columns, @timestamp when known, pos, index, file number (-1: none). */
export type RowData = [Event | null, Record<string, Value> | null, number | undefined, number, number, number];

/** Rows to plain data and back (spill files): the files are kept here, the data holds their numbers. */
export class RowCodec {
  private readonly ids = new Map<SourceFile, number>();
  private readonly files: SourceFile[] = [];

  encode(row: Row): RowData {
    const f = row.file;
    let id = -1;
    if (f) {
      id = this.ids.get(f) ?? -1;
      if (id < 0) {
        id = this.files.push(f) - 1;
        this.ids.set(f, id);
      }
    }
    return row.data(id);
  }

  decode(d: RowData): Row {
    return Row.fromData(d, d[5] < 0 ? null : this.files[d[5]]!);
  }
}
