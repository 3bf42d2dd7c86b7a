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

  /** The row as plain data (spill files), its file as `file` (see RowCodec). */
  data(file: number): RowData {
    return [this.ev, this.x, this.ts, this.pos, this.index, file, this.raw];
  }

  static fromData(d: RowData, file: SourceFile | null): Row {
    const r = new Row(d[0], file, d[4], d[2]);
    r.x = d[1];
    r.pos = d[3];
    r.raw = d[6];
    return r;
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

/** A row as plain data: event, columns, @timestamp when known, pos, index, file number (-1: none), the text as written (@message). */
export type RowData = [Event | null, Record<string, Value> | null, number | undefined, number, number, number, string | undefined];

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
