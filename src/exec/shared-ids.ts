// Each event once, on many threads: the eventIDs a parallel scan met, in memory its workers share
// (the fingerprints and the single-thread table are in event-ids.ts). No thread in between: a worker
// adds its rows' ids as it reads them, and passes a row on once every file before the row's has its
// ids in, if the row's file is still the first to hold that id.
//
// Each slot of the table holds a fingerprint (lo, hi) and its claim: 1 + the ordinal (place in the
// scan order) of the first file known to hold the id. A file lowers the claim when it comes before
// the claimant, so once every file before file k has its ids in, a row of file k is the first of
// its id in scan order exactly when the claim is still k's and the row was the first of its file to
// claim it: the row the single-thread scan keeps. Which worker reads which file, and when, changes
// nothing.
//
// A slot is taken by one compare-and-swap of its lo (0 to lo: no half of a fingerprint is 0); hi and
// the claim follow as plain writes, and a reader that meets them still 0 waits the few nanoseconds
// until they are in. Each word goes from 0 to its value once (the claim then only down), so a plain
// read that sees a value sees the right one, or a claim higher than it is now, which the claim's
// compare-and-swap corrects. (Atomics on every word made a claim three times slower.)
//
// The table grows (doubles, every id placed anew) while no worker is inside it: a worker opens a
// section before touching the table and closes it after (a file's ids at a time, a few
// microseconds), and one that finds the table too full for its ids closes the gate, waits for the
// open sections to close, grows it, and opens the gate again. The buffer is a growable
// SharedArrayBuffer: every worker sees the new size at once.
// How full the table may be: event-ids.ts' fits, three quarters (at half full a million events would
// need 48 MB, not 24).
import { fits, slotHash, slotsFor } from "./event-ids.js";

/** Words a slot: lo, hi, claim. */
const SLOT = 3;
const FIRST_SLOTS = 1 << 16;
/** Slots at first at most, however many events the files may hold (24 MB; it grows past that). */
const MAX_FIRST_SLOTS = 1 << 21;
/** The table's size at most: 2 GiB (2^27 slots: 100 million events). */
const MAX_TABLE_BYTES = 2 ** 31;
/**
 * Files a ring of "ids in" marks covers: file k's mark is at k mod RING. Files are handed out in
 * scan order and a file's results come back only once every file before it is in, so the files in
 * flight are at most workers × messages × files a message (a few thousand), far fewer than this.
 */
const RING = 1 << 18;

// The control words.
/** 0: open; 1: a worker is growing the table (sections wait). */
const GATE = 0;
/** Sections open. */
const ACTIVE = 1;
/** Ids the open sections may add at most (the table is kept within fits() with them). */
const RESERVED = 2;
/** Slots used. */
const USED = 3;
/** Slots - 1. */
const MASK = 4;
/** Grows so far: a slot found before a grow is looked up again after it. */
const EPOCH = 5;
/** Threads waiting for a file to be in (a mark wakes them only when some are: a wake costs microseconds). */
const WAITERS = 6;
const CONTROL_WORDS = 7;

/** The memory of a scan's shared ids, made by the main thread and handed to each worker. */
export interface SharedIdsMemory {
  table: SharedArrayBuffer;
  ring: SharedArrayBuffer;
  control: SharedArrayBuffer;
}

/** The memory for a scan of about `events` events (a guess: the table grows as it must). */
export function sharedIdsMemory(events: number): SharedIdsMemory {
  const slots = slotsFor(events, FIRST_SLOTS, MAX_FIRST_SLOTS);
  const table = new (SharedArrayBuffer as GrowableConstructor)(slots * SLOT * 4, { maxByteLength: MAX_TABLE_BYTES });
  const control = new SharedArrayBuffer(CONTROL_WORDS * 4);
  new Int32Array(control)[MASK] = slots - 1;
  return { table, ring: new SharedArrayBuffer(RING * 4), control };
}

/** ES2024's growable SharedArrayBuffer (node 20 has it; the TypeScript lib here is ES2023). */
type GrowableConstructor = new (length: number, options: { maxByteLength: number }) => SharedArrayBuffer;
type Growable = SharedArrayBuffer & { grow(length: number): void; readonly maxByteLength: number };
/** ES2024's Atomics.waitAsync (in node since 16). */
type AtomicsWaitAsync = typeof Atomics & { waitAsync(a: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> } };

/** A slot found for a row: -1 when the row is a copy already, -2 when it has no eventID. */
export const COPY = -1;
export const NO_ID = -2;

/** One thread's view of the shared ids (the workers', and the listing thread's, which grows the table early). */
export class SharedIds {
  /** The table as it is in this epoch (a view of a fixed length: quicker than one that tracks the buffer's). */
  private table: Int32Array;
  /**
   * Its slots - 1, read with it: not read from the control words at each claim, whose cache line the
   * other workers write at each section they open and close (reading it there cost each claim a miss
   * between cores: 340 ns an id on the 1M trail, against 50-75 in a loop alone).
   */
  private mask: number;
  private tableEpoch = 0;
  private readonly ring: Int32Array;
  private readonly control: Int32Array;
  /** Every file before this one has its ids in. */
  private low = 0;
  /** Ids this worker added in the open section (counted in USED when it closes). */
  private added = 0;

  constructor(readonly memory: SharedIdsMemory) {
    this.ring = new Int32Array(memory.ring);
    this.control = new Int32Array(memory.control);
    // a grow under way now is seen at the first enter(), by its epoch
    this.mask = Atomics.load(this.control, MASK);
    this.table = new Int32Array(memory.table, 0, (this.mask + 1) * SLOT);
  }

  /** The grows so far (in an open section): a slot claimed under another epoch is looked up again (find). */
  get epoch(): number {
    return this.tableEpoch;
  }

  /**
   * Opens a section in which up to `ids` ids may be added (the table first grows if they might
   * not fit). Never left open across an await: others may wait on it.
   */
  enter(ids: number): void {
    const c = this.control;
    for (;;) {
      if (Atomics.load(c, GATE) !== 0) {
        Atomics.wait(c, GATE, 1);
        continue;
      }
      const reserved = Atomics.add(c, RESERVED, ids) + ids;
      Atomics.add(c, ACTIVE, 1);
      if (Atomics.load(c, GATE) === 0 && fits(Atomics.load(c, USED) + reserved, c[MASK]! + 1)) {
        const epoch = Atomics.load(c, EPOCH);
        if (epoch !== this.tableEpoch) {
          this.mask = c[MASK]!;
          this.table = new Int32Array(this.memory.table, 0, (this.mask + 1) * SLOT);
          this.tableEpoch = epoch;
        }
        return;
      }
      // a grow began, or the ids might not fit: step out, and grow (or wait for the grow under way)
      this.close(ids);
      this.grow(ids);
    }
  }

  /** Closes the section opened by enter(ids). */
  leave(ids: number): void {
    Atomics.add(this.control, USED, this.added);
    this.added = 0;
    this.close(ids);
  }

  private close(ids: number): void {
    const c = this.control;
    Atomics.sub(c, RESERVED, ids);
    if (Atomics.sub(c, ACTIVE, 1) === 1) Atomics.notify(c, ACTIVE);
  }

  /** Doubles the table until `ids` more fit, once no section is open; or waits for another worker's grow. */
  private grow(ids: number): void {
    this.resize((used, slots) => slotsFor(used + ids, slots));
  }

  /**
   * Grows the table now, while it holds few ids, when about `events` more are to come (the thread
   * that lists the files says so as it finds them): workers then seldom wait for a grow.
   */
  expect(events: number): void {
    const slots = this.control[MASK]! + 1;
    if (slots >= MAX_FIRST_SLOTS || fits(events, slots)) return;
    this.resize((used, slots) => slotsFor(used + events, slots, MAX_FIRST_SLOTS));
  }

  /** Gives the table the number of slots `size` asks for, alone in it (no section open); or nothing, if another thread is at it. */
  private resize(size: (used: number, slots: number) => number): void {
    const c = this.control;
    if (Atomics.compareExchange(c, GATE, 0, 1) !== 0) return;
    try {
      for (let open = Atomics.load(c, ACTIVE); open !== 0; open = Atomics.load(c, ACTIVE)) Atomics.wait(c, ACTIVE, open);
      const slots = size(Atomics.load(c, USED), c[MASK]! + 1);
      if (slots > c[MASK]! + 1) this.rehash(slots);
    } finally {
      Atomics.store(c, GATE, 0);
      Atomics.notify(c, GATE);
    }
  }

  private rehash(slots: number): void {
    const bytes = slots * SLOT * 4;
    if (bytes > MAX_TABLE_BYTES) {
      throw new RangeError("too many distinct eventIDs to skip copies of events in memory (the table would pass 2 GiB): use --keep-duplicates");
    }
    // an empty table (the listing's early grows) has nothing to place anew
    const old = Atomics.load(this.control, USED) > 0 ? new Int32Array(this.memory.table).slice() : undefined;
    (this.memory.table as Growable).grow(bytes);
    const mask = slots - 1;
    if (old) {
      const t = new Int32Array(this.memory.table);
      t.fill(0, 0, old.length);
      for (let at = 0; at < old.length; at += SLOT) {
        const lo = old[at]!;
        if (lo === 0) continue;
        let i = slotHash(old[at + 1]!, lo) & mask;
        while (t[i * SLOT] !== 0) i = (i + 1) & mask;
        t[i * SLOT] = lo;
        t[i * SLOT + 1] = old[at + 1]!;
        t[i * SLOT + 2] = old[at + 2]!;
      }
    }
    this.control[MASK] = mask;
    Atomics.add(this.control, EPOCH, 1);
  }

  /**
   * Adds the id (hi, lo) of a row of file `file`, in an open section: the row's slot when it is the
   * first row of its file with this id and no file before it is known to have it (it holds the
   * file's claim: whether it is kept is known once every file before is in), COPY when it is a copy.
   */
  claim(hi: number, lo: number, file: number): number {
    const t = this.table;
    const mask = this.mask;
    const mine = file + 1;
    for (let i = slotHash(hi, lo) & mask; ; i = (i + 1) & mask) {
      const at = i * SLOT;
      let l = t[at]!;
      if (l === 0) {
        l = Atomics.compareExchange(t, at, 0, lo);
        if (l === 0) {
          t[at + 1] = hi;
          t[at + 2] = mine;
          this.added++;
          return i;
        }
      }
      if (l !== lo) continue;
      let h = t[at + 1]!;
      while (h === 0) h = Atomics.load(t, at + 1);
      if (h !== hi) continue;
      let claim = t[at + 2]!;
      while (claim === 0) claim = Atomics.load(t, at + 2);
      // the id is in: lower its claim to this file when this file comes first
      while (claim > mine) {
        const was = Atomics.compareExchange(t, at + 2, claim, mine);
        if (was === claim) return i;
        claim = was;
      }
      return COPY;
    }
  }

  /**
   * claim() for each id of a unit, in an open section: `fps` holds each row's (hi, lo), `slots` gets
   * what claim() returns, but where it holds NO_ID already (a row without an eventID). The table is
   * first read where each probe starts, in a loop of loads that do not wait on each other, so that
   * the processor fetches those cache lines together rather than one claim at a time (about a
   * quarter less time claiming on the 1M trail).
   */
  claimAll(fps: Int32Array, slots: Int32Array, file: number): void {
    const t = this.table;
    const mask = this.mask;
    let touched = 0;
    for (let i = 0; i < slots.length; i++) touched |= t[(slotHash(fps[2 * i]!, fps[2 * i + 1]!) & mask) * SLOT]!;
    this.touched = touched;
    for (let i = 0; i < slots.length; i++) if (slots[i] !== NO_ID) slots[i] = this.claim(fps[2 * i]!, fps[2 * i + 1]!, file);
  }

  /** What claimAll's first loop read, kept so that the loop is not optimized away. */
  private touched = 0;

  /** The slot of an id that is in (after a grow moved it), in an open section. */
  find(hi: number, lo: number): number {
    const t = this.table;
    const mask = this.mask;
    let i = slotHash(hi, lo) & mask;
    while (t[i * SLOT] !== lo || t[i * SLOT + 1] !== hi) i = (i + 1) & mask;
    return i;
  }

  /**
   * Whether file `file` still holds the claim of the slot, in an open section, once every file
   * before it is in (what they wrote came before their marks, which this thread has read).
   */
  holds(slot: number, file: number): boolean {
    return this.table[slot * SLOT + 2] === file + 1;
  }

  /** File `file` has all its ids in (or none to add: not read, stopped): workers waiting on it go on. */
  done(file: number): void {
    const i = file % RING;
    Atomics.store(this.ring, i, file + 1);
    if (Atomics.load(this.control, WAITERS) > 0) Atomics.notify(this.ring, i);
  }

  /** Whether every file before `file` has its ids in. */
  before(file: number): boolean {
    while (this.low < file && Atomics.load(this.ring, this.low % RING) === this.low + 1) this.low++;
    return this.low >= file;
  }

  /** Resolves once the first file not known to be in is in (or at once if it is now). */
  async next(): Promise<void> {
    const i = this.low % RING;
    // counted before the mark is read: a mark made after this read sees the count, and wakes
    Atomics.add(this.control, WAITERS, 1);
    try {
      const seen = Atomics.load(this.ring, i);
      if (seen === this.low + 1) return;
      const wait = (Atomics as AtomicsWaitAsync).waitAsync(this.ring, i, seen);
      if (wait.async) await wait.value;
    } finally {
      Atomics.sub(this.control, WAITERS, 1);
    }
  }
}
