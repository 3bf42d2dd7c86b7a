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

export async function discoverFields(inputs: string[], sample = 2000): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let seen = 0;
  const walk = (v: unknown, prefix: string): void => {
    if (v === null || typeof v !== "object") {
      if (prefix) counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
      return;
    }
    if (Array.isArray(v)) v.slice(0, 3).forEach((x, i) => walk(x, `${prefix}.${i}`));
    else for (const [k, x] of Object.entries(v)) walk(x, prefix ? `${prefix}.${k}` : k);
  };
  const stop = new AbortController();
  const reader = new Reader(inputs.filter(sampleable), { warn: () => {}, signal: stop.signal, raw: false });
  for await (const b of reader.batches()) {
    for (const ev of b.events) {
      walk(ev, "");
      if (++seen >= sample) break;
    }
    if (seen >= sample) {
      stop.abort();
      break;
    }
  }
  return new Map([...counts].map(([k, n]) => [k, n / Math.max(1, seen)]));
}
