// Field discovery: sample the first events of the inputs and count every leaf path. Only files and
// folders are sampled: reading standard input or a named pipe would take the events from the query.
import { statSync } from "node:fs";
import { Reader } from "../sources/index.js";

function sampleable(input: string): boolean {
  try {
    const st = statSync(input);
    return st.isFile() || st.isDirectory();
  } catch {
    return false;
  }
}

/** Each field path's share of the events sampled (0 to 1), and how many events were sampled. */
export class FieldShares extends Map<string, number> {
  events = 0;
}

/**
 * The paths of the first `sample` events of the inputs (each copy of an event once, as queries see
 * it), with the share of them where each is present as `ispresent` has it: a JSON null is not there,
 * an empty object or list is. A path is counted once an event (a key `"a.b"` beside `"a": {"b"}` is
 * one path); lists are looked into at their first three elements.
 */
export async function discoverFields(inputs: string[], sample = 2000): Promise<FieldShares> {
  const counts = new Map<string, number>();
  let seen = 0;
  const ids = new Set<unknown>();
  let paths = new Set<string>();
  /** The paths listed: those that hold a value that is no structure, or an empty one, in some event. */
  const leaves = new Set<string>();
  const walk = (v: unknown, prefix: string): void => {
    if (v === null) return;
    // present in this event, whatever it holds (a path empty here and filled elsewhere counts in both)
    if (prefix) paths.add(prefix);
    if (typeof v !== "object" || (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0)) {
      if (prefix) leaves.add(prefix);
      return;
    }
    if (Array.isArray(v)) v.slice(0, 3).forEach((x, i) => walk(x, `${prefix}.${i}`));
    else for (const [k, x] of Object.entries(v)) walk(x, prefix ? `${prefix}.${k}` : k);
  };
  const stop = new AbortController();
  const reader = new Reader(inputs.filter(sampleable), { warn: () => {}, signal: stop.signal, raw: false });
  for await (const b of reader.batches()) {
    for (const ev of b.events) {
      const id = ev["eventID"];
      if (typeof id === "string" && id !== "") {
        if (ids.has(id)) continue;
        ids.add(id);
      }
      paths = new Set();
      walk(ev, "");
      for (const p of paths) counts.set(p, (counts.get(p) ?? 0) + 1);
      if (++seen >= sample) break;
    }
    if (seen >= sample) {
      stop.abort();
      break;
    }
  }
  const shares = new FieldShares([...counts].filter(([k]) => leaves.has(k)).map(([k, n]) => [k, n / Math.max(1, seen)]));
  shares.events = seen;
  return shares;
}
