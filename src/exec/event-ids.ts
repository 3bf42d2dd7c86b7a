// Each event once: CloudTrail delivers a global service event (IAM, STS, CloudFront, Route 53...) to
// every single-region trail that includes them, and copied buckets overlap, so a trail read from
// disk can hold the same event (the same eventID) in several files. The scan skips an eventID it
// has met before (the first in scan order is kept); --keep-duplicates turns that off.
//
// The set holds a 64-bit fingerprint of each eventID, not the text: 22 bytes per event at most
// (just after the table doubled; 11 at its fullest), where a Set of strings costs about 80. Two
// different eventIDs share a fingerprint with a chance of about n²/2^65: 3 in 100 million for a
// trail of a million events.

import type { EventBatch } from "../sources/types.js";

/** A fingerprint's two 32-bit halves (int32), neither ever 0 (0 marks an empty slot, "no eventID", and a slot being written). */
export type Fingerprint = [hi: number, lo: number];

/**
 * The fingerprint of an eventID, written into `out` (no allocation): two 32-bit hashes (murmur3's
 * rounds, and the same with other constants) of its characters taken four to a 32-bit word, each
 * finished with murmur3's mixing so that ids differing in one character differ in every bit. An id
 * of ASCII is hashed over its bytes, four a word, as project.wat hashes them where it finds them (a
 * word at a time: a character at a time took 78 ns an id); any other, two UTF-16 code units a word,
 * from other seeds.
 */
export function fingerprint(id: string, out: Fingerprint): void {
  const n = id.length;
  let ascii = true;
  for (let i = 0; i < n; i++) if (id.charCodeAt(i) > 127) ascii = false;
  let a = ascii ? SEED_A : SEED_A ^ WIDE;
  let b = ascii ? SEED_B : SEED_B ^ WIDE;
  a ^= n;
  b ^= n;
  const per = ascii ? 4 : 2;
  const shift = ascii ? 8 : 16;
  for (let i = 0; i < n; i += per) {
    let w = 0;
    for (let k = Math.min(per, n - i) - 1; k >= 0; k--) w = (w << shift) | id.charCodeAt(i + k);
    a = roundA(a, w);
    b = roundB(b, w);
  }
  out[0] = mix(a ^ n) || 1;
  out[1] = mix(b ^ n) || 1;
}

/** The seeds of the two hashes (project.wat's $fingerprint has them too), and what an id not of ASCII changes them by. */
const SEED_A = 0x2f6b4a1d;
const SEED_B = 0x5b3c81e7;
const WIDE = 0x6a09e667;

/** murmur3's round: a word into the hash. */
function roundA(h: number, w: number): number {
  return round(h, w, 0xcc9e2d51, 15, 0x1b873593, 13, 5, 0xe6546b64);
}

/** The same round with other constants and turns (a second, independent half). */
function roundB(h: number, w: number): number {
  return round(h, w, 0x85ebca77, 17, 0xc2b2ae3d, 11, 9, 0x27d4eb2f);
}

/** A round of murmur3's kind: the word multiplied, turned, multiplied, into the hash, which is turned, multiplied and added to. */
function round(h: number, w: number, c1: number, r1: number, c2: number, r2: number, m: number, add: number): number {
  let k = Math.imul(w, c1);
  k = (k << r1) | (k >>> (32 - r1));
  h ^= Math.imul(k, c2);
  h = (h << r2) | (h >>> (32 - r2));
  return (Math.imul(h, m) + add) | 0;
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16); // an int32: what Int32Array holds without converting
}

/** The eventID of a record, when it has one (a string: CloudTrail's are UUIDs). */
export function eventIdOf(ev: Record<string, unknown> | null): string | undefined {
  const id = ev?.["eventID"];
  return typeof id === "string" && id !== "" ? id : undefined;
}

/**
 * The fingerprint of an event's eventID into `out`: false when it has none. `fps`, `k`: the event's
 * batch's fingerprints (EventBatch.fps) and its place there, where the projector made it from the
 * bytes (no string built); else it is made from the event's eventID.
 */
export function eventFingerprint(ev: Record<string, unknown> | null, fps: Int32Array | undefined, k: number, out: Fingerprint): boolean {
  const hi = fps ? fps[2 * k]! : 0;
  if (hi !== 0) {
    out[0] = hi;
    out[1] = fps![2 * k + 1]!;
    return true;
  }
  const id = eventIdOf(ev);
  if (id === undefined) return false;
  fingerprint(id, out);
  return true;
}

/** Where a fingerprint's probe starts in a table of fingerprints (masked by its size). */
export function slotHash(hi: number, lo: number): number {
  return hi ^ Math.imul(lo, 0x9e3779b1);
}

/**
 * Whether `ids` ids fit a table of `slots` slots: three quarters full at most (a new id's probe
 * then meets about 8 slots, most of them in its first cache line). Every page of a table is written
 * as ids come, and a page's first write costs the kernel 2-12 µs: at half full the 352,000 events a
 * table is made for on the small-file trail took 8 MB, 2,048 pages, not 4.
 */
export function fits(ids: number, slots: number): boolean {
  return 4 * ids <= 3 * slots;
}

/** The fewest slots, `slots` doubled, that `ids` ids fit (fits), up to `most`. */
export function slotsFor(ids: number, slots: number, most = Infinity): number {
  while (!fits(ids, slots) && slots < most) slots *= 2;
  return slots;
}

/** Bytes on disk an event, about, in gzipped CloudTrail files: what a table of eventIDs is first sized by. */
export const EVENT_BYTES = 150;
/** Slots a table is first made with at most, however many events the files may hold (16 MB; it grows past that). */
const MAX_EXPECTED_SLOTS = 1 << 21;

/** The eventIDs met so far, as fingerprints in an open-addressing table (linear probing). */
export class EventIds {
  /**
   * Slot i holds hi at 2i and lo at 2i + 1; lo is never 0 in a used slot. Int32, not Uint32: values
   * past 2^31 in a Uint32Array are doubles to V8, which made the table 4 times slower.
   */
  private slots = new Int32Array(2 * 1024);
  private mask = 1023;
  private used = 0;

  get size(): number {
    return this.used;
  }

  /** Slots in the table (at most three quarters of them used: fits). */
  get capacity(): number {
    return this.mask + 1;
  }

  /** The word where the probe of a fingerprint starts (see Deduper.prefetch). */
  probeStart(hi: number, lo: number): number {
    return this.slots[2 * (slotHash(hi, lo) & this.mask) + 1]!;
  }

  /** Adds a fingerprint: true when it is new, false when it was met before. */
  add(hi: number, lo: number): boolean {
    const s = this.slots;
    let i = slotHash(hi, lo) & this.mask;
    for (;;) {
      const l = s[2 * i + 1]!;
      if (l === 0) break;
      if (l === lo && s[2 * i] === hi) return false;
      i = (i + 1) & this.mask;
    }
    s[2 * i] = hi;
    s[2 * i + 1] = lo;
    if (!fits(++this.used, this.mask + 1)) this.resize(2 * (this.mask + 1));
    return true;
  }

  /**
   * Makes room now for about `events` ids (up to MAX_EXPECTED_SLOTS), so that the table does not
   * grow, placing every id anew, as they come (doubling from 1,024 slots over the 200,000 events of
   * the small-file trail took 53 ms), in one step: doubling an empty table to its size read every
   * page of every smaller one.
   */
  expect(events: number): void {
    const slots = slotsFor(events, this.mask + 1, MAX_EXPECTED_SLOTS);
    if (slots > this.mask + 1) this.resize(slots);
  }

  /** A table of `slots` slots (a power of two), every fingerprint placed anew. */
  private resize(slots: number): void {
    const old = this.slots;
    const mask = slots - 1;
    const s = new Int32Array(2 * slots);
    for (let j = 0; j < old.length; j += 2) {
      const hi = old[j]!;
      const lo = old[j + 1]!;
      if (lo === 0) continue;
      let i = slotHash(hi, lo) & mask;
      while (s[2 * i + 1] !== 0) i = (i + 1) & mask;
      s[2 * i] = hi;
      s[2 * i + 1] = lo;
    }
    this.slots = s;
    this.mask = mask;
  }
}

/** The scan's eventIDs and how many events it skipped as copies of one met before. */
export class Deduper {
  readonly ids = new EventIds();
  skipped = 0;
  private readonly fp: Fingerprint = [0, 0];

  /** Makes room for the events of files of `bytes` bytes on disk. */
  expect(bytes: number): void {
    this.ids.expect(bytes / EVENT_BYTES);
  }

  /**
   * Reads the table where the probe of each event's eventID starts, ahead of first() for each: the
   * loads do not wait on each other, so the processor fetches those cache lines together, and
   * first() finds them in cache. One at a time, each was a miss of its own (a table of a million
   * ids is 16 MB, whose pages the processor's TLB does not cover): 325 against about 190 ms over the
   * 1M trail's group-by on one thread (the claims of a parallel scan read ahead the same way).
   */
  prefetch(batch: EventBatch): void {
    const { events, fps } = batch;
    let touched = 0;
    for (let k = 0; k < events.length; k++) if (eventFingerprint(events[k]!, fps, k, this.fp)) touched |= this.ids.probeStart(this.fp[0], this.fp[1]);
    this.touched = touched;
  }

  /** What prefetch read, kept so that its loop is not optimized away. */
  private touched = 0;

  /**
   * Whether the event is the first with its eventID (one without an eventID always is); counts the
   * copies. `fps`, `k`: its batch's fingerprints and its place there (eventFingerprint).
   */
  first(ev: Record<string, unknown> | null, fps: Int32Array | undefined, k: number): boolean {
    if (!eventFingerprint(ev, fps, k, this.fp)) return true;
    if (this.ids.add(this.fp[0], this.fp[1])) return true;
    this.skipped++;
    return false;
  }
}
