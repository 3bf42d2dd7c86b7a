import type { Accumulator, AggregateFn } from "../../functions/types.js";
import { Row } from "../row.js";
import { KEY_SEPARATOR, groupKey, isNull, keyPart, type Value } from "../values.js";
import { MeanSize, MemoryError, collectSpilled, valueBytes, type MemoryAccount, type MemoryBudget } from "../memory.js";
import { EXPANSION, Partitions, RecordReader, RecordWriter, eachPartition, mergeSources, type RecordSource } from "../spill.js";
import type { Operator } from "./operator.js";
import { setOwn } from "../own.js";

/** One aggregate call of a stats command: how to make its accumulator and read its argument. */
export interface AggregateSlot {
  fn: AggregateFn;
  /** The aggregate as written (`count_distinct(userAgent)`), for the warning when its answer is an estimate. */
  text: string;
  /** The argument (undefined for count(*)). */
  arg?: (row: Row) => Value;
  params: Value[];
  star: boolean;
}

interface Group {
  keys: Value[];
  accs: Accumulator[];
  /** The smallest Row.pos of the group's rows: where a single-threaded scan would have made it. */
  first: number;
  /** When this operator made the group (its place in the Map's order). */
  seq: number;
}

/** A group's partial state, as a worker thread hands it over (structured-cloneable). */
export interface PartialGroup {
  id: string | number;
  keys: Value[];
  first: number;
  /** Each accumulator's own data fields (its functions are the registry's, made again on merge). */
  accs: Record<string, unknown>[];
}

/** An accumulator's own data fields: what crosses to another thread or into a spill file. */
function accState(a: Accumulator): Record<string, unknown> {
  return Object.fromEntries(Object.entries(a).filter(([, v]) => typeof v !== "function"));
}

/** The accumulator of a slot with the data fields of accState(). */
function restoreAcc(s: AggregateSlot, state: Record<string, unknown>): Accumulator {
  return Object.assign(s.fn.create(s.params, s.star), state);
}

/** A group in a spill partition: id, keys, first, seq, accumulator states. */
type GroupRecord = [string | number, Value[], number, number, Record<string, unknown>[]];
/** An output row in a spilled stats' run: first, seq, columns. */
type OutputRecord = [number, number, Record<string, Value>];

/** Groups per message when a worker hands its groups over. */
const DRAIN_SLICE = 8192;
/** A group's own bytes besides its keys: the Map entry, the Group, its arrays. */
const GROUP_BYTES = 120;
/** An accumulator's bytes (count, sum, min... hold a few numbers). */
const ACC_BYTES = 40;

/**
 * stats: groups rows by the key values and folds each group's rows into accumulators; at the end,
 * emits one row per group (in order of first appearance) with the keys, then the items, which
 * read the aggregate results and earlier items. A null key value forms its own group and is left
 * out of the output row.
 *
 * Past the memory budget, the groups held are written to partitions by a hash of their id and
 * dropped (a group may be written several times, in parts); the end merges each partition's parts
 * (every part of a group is in one partition) into output rows, sorted into a run file per
 * partition, and merges the runs: the rows and their order are those of the groups held in memory.
 */
export class StatsOp implements Operator {
  private readonly groups = new Map<string | number, Group>();
  /** Whether any aggregate reads @timestamp (parsing eventTime costs; most don't need it). */
  private readonly needsTimestamp: boolean;
  /** Groups came from several workers: emit them in the order of their first rows. */
  private merged = false;
  /** The key values of the row being added. */
  private readonly scratch: Value[] = [];
  /** Groups made so far. */
  private seq = 0;
  private readonly account: MemoryAccount | undefined;
  /** The mean size of a group (with its keys and accumulators). */
  private readonly size = new MeanSize();
  /** Bytes a row may add to its group's accumulators (pct and histogram keep every value). */
  private readonly growth: number;
  private grown = 0;
  /** The spilled groups, once the budget was passed. */
  private parts: Partitions<GroupRecord> | undefined;
  /** Groups output, and per aggregate the groups whose answer is an estimate, and how it was made. */
  private outputs = 0;
  private readonly estimates: ({ groups: number; how: string } | undefined)[] = [];
  /**
   * A worker thread's: past its share of the budget, the groups held go to the main thread (which
   * merges them) instead of a spill file.
   */
  flush: ((groups: PartialGroup[]) => void) | undefined;

  constructor(
    private readonly keyNames: string[],
    private readonly keyEvals: ((row: Row) => Value)[],
    private readonly slots: AggregateSlot[],
    private readonly items: { name: string; eval: (row: Row) => Value }[],
    private readonly next: Operator,
    /** The run's warnings: an estimate made is said there (sayEstimates). */
    private readonly warnings: string[],
    memory?: MemoryBudget,
  ) {
    this.needsTimestamp = slots.some((s) => s.fn.usesTimestamp);
    this.account = memory?.account();
    this.growth = slots.reduce((n, s) => n + (s.fn.bytesPerValue ?? 0), 0);
  }

  /** A new group in the Map (its accumulators new, or given). */
  private newGroup(id: string | number, keys: Value[], first: number, accs?: Accumulator[]): Group {
    const g: Group = { keys, accs: accs ?? this.slots.map((s) => s.fn.create(s.params, s.star)), first, seq: this.seq++ };
    this.groups.set(id, g);
    if (this.account && this.size.wants()) this.size.add(GROUP_BYTES + (typeof id === "string" ? valueBytes(id) : 0) + valueBytes(keys) + ACC_BYTES * this.slots.length);
    return g;
  }

  /** Counts what is held, and spills (or flushes) past the budget. */
  private held(account: MemoryAccount): void {
    account.set(this.groups.size * this.size.mean + this.grown);
    if (!account.shouldSpill) return;
    if (this.flush) this.drain(this.flush);
    else {
      this.spill(account);
      this.groups.clear();
      this.grown = 0;
      account.set(0);
    }
    collectSpilled();
  }

  /**
   * Hands the groups held to `send` a slice at a time (a worker's, to the main thread, which merges
   * them: no copy of them all at once), and drops them.
   */
  drain(send: (groups: PartialGroup[]) => void): void {
    let slice: PartialGroup[] = [];
    for (const [id, g] of this.groups) {
      slice.push({ id, keys: g.keys, first: g.first, accs: g.accs.map(accState) });
      this.groups.delete(id);
      if (slice.length === DRAIN_SLICE) {
        send(slice);
        slice = [];
      }
    }
    if (slice.length > 0) send(slice);
    this.grown = 0;
    this.account?.set(0);
  }

  /** Folds another thread's groups into these. */
  merge(parts: PartialGroup[]): void {
    this.merged = true;
    for (const p of parts) {
      const accs = this.slots.map((s, i) => restoreAcc(s, p.accs[i]!));
      // the values the part's accumulators hold (count_distinct's, pct's) come with it, as a row's do in push
      if (this.growth > 0) this.slots.forEach((s, i) => (this.grown += (s.fn.bytesPerValue ?? 0) * (accs[i]!.held?.() ?? 0)));
      const g = this.groups.get(p.id);
      if (!g) this.newGroup(p.id, p.keys, p.first, accs);
      else {
        g.accs.forEach((a, i) => a.merge(accs[i]!));
        g.first = Math.min(g.first, p.first);
      }
      if (this.account) this.held(this.account);
    }
  }

  push(row: Row): void {
    const keyEvals = this.keyEvals;
    const n = keyEvals.length;
    // the key values into a scratch array and the group id from them: no allocation for a known group
    const vals = this.scratch;
    let id: string | number = 0;
    if (n === 1) id = groupKey((vals[0] = keyEvals[0]!(row)));
    else if (n > 1) {
      id = "";
      for (let i = 0; i < n; i++) {
        const v = (vals[i] = keyEvals[i]!(row));
        id += i === 0 ? keyPart(groupKey(v)) : KEY_SEPARATOR + keyPart(groupKey(v));
      }
    }
    let g = this.groups.get(id);
    const made = !g;
    if (!g) g = this.newGroup(id, vals.slice(0, n), row.pos);
    else if (row.pos < g.first) g.first = row.pos; // a worker may read a later file first
    const ts = this.needsTimestamp ? row.timestamp : NaN;
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i]!;
      g.accs[i]!.add(s.arg ? s.arg(row) : undefined, ts, row.pos);
    }
    // counted once the row is in its group: a spill writes the group with it
    if (this.account && (made || this.growth > 0)) {
      this.grown += this.growth;
      this.held(this.account);
    }
  }

  /** Writes the groups held to the partitions (made at the first spill). */
  private spill(account: MemoryAccount): void {
    const parts = (this.parts ??= new Partitions<GroupRecord>(account.budget.spill, (r) => r[0]));
    for (const [id, g] of this.groups) parts.add([id, g.keys, g.first, g.seq, g.accs.map(accState)]);
    parts.flush();
  }

  /** The order groups come out in: of their first rows when merged from workers, else as made. */
  private readonly before = (a: { first: number; seq: number }, b: { first: number; seq: number }): number =>
    (this.merged ? a.first - b.first : 0) || a.seq - b.seq;

  end(): void {
    if (this.parts) return this.endSpilled(this.account!);
    // stats without `by` over no rows still gives one row (count(*) = 0).
    if (this.groups.size === 0 && this.keyEvals.length === 0) this.newGroup(0, [], 0);
    const groups = [...this.groups.values()];
    if (this.merged) groups.sort(this.before);
    for (const g of groups) this.next.push(outputRow(this.output(g)));
    this.groups.clear();
    this.account?.set(0);
    this.sayEstimates();
    this.next.end();
  }

  /** One warning per aggregate whose answer is an estimate in some group: never a silent approximation. */
  private sayEstimates(): void {
    this.slots.forEach((s, i) => {
      const e = this.estimates[i];
      if (!e) return;
      const where = this.outputs === 1 ? "" : ` in ${e.groups.toLocaleString("en-US")} of ${this.outputs.toLocaleString("en-US")} groups`;
      this.warnings.push(`${s.text} is an estimate${where}: ${e.how}`);
    });
  }

  /** A group's output columns: the keys that are not null, then the items. */
  private output(g: Group): Record<string, Value> {
    const out = new Row(null, null, 0);
    out.x = {};
    for (let i = 0; i < this.keyNames.length; i++) {
      const v = g.keys[i];
      if (!isNull(v)) setOwn(out.x, this.keyNames[i]!, v);
    }
    this.outputs++;
    out.aggs = g.accs.map((a, i) => {
      const how = a.estimate?.();
      if (how !== undefined) this.estimates[i] = { groups: (this.estimates[i]?.groups ?? 0) + 1, how };
      return a.result();
    });
    for (const item of this.items) {
      const v = item.eval(out);
      if (!isNull(v)) setOwn(out.x, item.name, v);
    }
    return out.x;
  }

  /**
   * The end past the budget: the groups held join the partitions; each partition's parts are
   * merged into groups, whose output rows go, in order, to a run file; the runs are merged.
   */
  private endSpilled(account: MemoryAccount): void {
    this.spill(account);
    this.groups.clear();
    account.set(0);
    const paths = this.parts!.close();
    this.parts = undefined;
    const budget = account.budget;
    const runs: string[] = [];
    eachPartition<GroupRecord>(
      paths,
      { folder: budget.spill, keyOf: (r) => r[0], fits: (bytes) => bytes * EXPANSION <= budget.limit, tooBig: () => { throw new MemoryError("stats", budget.limit); } },
      (records, bytes) => {
        account.set(bytes * EXPANSION);
        const groups = new Map<string | number, Group>();
        for (let r = records.next(); r !== undefined; r = records.next()) {
          const [id, keys, first, seq, states] = r;
          const accs = this.slots.map((s, i) => restoreAcc(s, states[i]!));
          const g = groups.get(id);
          if (!g) groups.set(id, { keys, accs, first, seq });
          else {
            // parts come in the order they were written: the earlier part's rows came first
            g.accs.forEach((a, i) => a.merge(accs[i]!));
            g.first = Math.min(g.first, first);
            g.seq = Math.min(g.seq, seq);
          }
        }
        const w = new RecordWriter<OutputRecord>(budget.spill);
        for (const g of [...groups.values()].sort(this.before)) w.add([g.first, g.seq, this.output(g)]);
        w.close();
        runs.push(w.path);
        account.set(0);
      },
    );
    const sources: RecordSource<OutputRecord>[] = runs.map((p) => new RecordReader<OutputRecord>(p));
    const merged = this.merged;
    mergeSources(sources, (a, b) => (merged ? a[0] - b[0] : 0) || a[1] - b[1], (r) => void this.next.push(outputRow(r[2])));
    this.sayEstimates();
    this.next.end();
  }
}

/** A stats output row with these columns (its @timestamp, when it has one, from them). */
function outputRow(x: Record<string, Value>): Row {
  const out = new Row(null, null, 0);
  out.x = x;
  const t = x["@timestamp"];
  out.timestamp = typeof t === "number" ? t : NaN;
  return out;
}
