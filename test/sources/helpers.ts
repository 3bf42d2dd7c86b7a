// Shared by the reader tests: run a Reader to the end and collect what it gave.
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { Reader, type EventBatch, type ReaderOptions, type ReadStats } from "../../src/sources/index.js";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const INPUTS = join(ROOT, "fixtures", "inputs");
export const GOOD = join(INPUTS, "good");
export const BAD = join(INPUTS, "bad");
export const SHARED_DATA = join(ROOT, "..", "shared", "data");

export interface Got {
  /** Every event with where it came from. */
  events: { display: string; index: number; id: unknown; ev: Record<string, unknown> }[];
  batches: EventBatch[];
  warnings: string[];
  stats: ReadStats;
}

export async function readAll(inputs: string[], opts: Partial<ReaderOptions> = {}): Promise<Got> {
  const warnings: string[] = [];
  const reader = new Reader(inputs, { ...opts, warn: (m) => warnings.push(m) });
  const got: Got = { events: [], batches: [], warnings, stats: reader.stats };
  for await (const b of reader.batches()) {
    got.batches.push(b);
    b.events.forEach((ev, i) => got.events.push({ display: b.file.display, index: b.firstIndex + i, id: ev["eventID"], ev }));
  }
  return got;
}

/** The eventID of the hand-made fixture event number n (see fixtures/inputs/make.mjs). */
export const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** Checks the batch invariants every reader run must keep. */
export function batchInvariants(batches: EventBatch[], max = 2000): string | undefined {
  for (const b of batches) {
    if (b.events.length === 0) return `an empty batch for ${b.file.display}`;
    if (b.events.length > max) return `a batch of ${b.events.length} events`;
  }
  return undefined;
}
