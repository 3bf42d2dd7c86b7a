// The minimal hand-written pipeline the benchmark compares with: walk the files, gunzip, JSON.parse,
// count by eventSource, eventName, awsRegion in a Map. Single-threaded, no error handling.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (name.endsWith(".json.gz")) out.push(p);
  }
  return out;
}

const counts = new Map<string, number>();
for (const f of files(process.argv[2]!)) {
  const doc = JSON.parse(gunzipSync(readFileSync(f)).toString()) as { Records: Record<string, string>[] };
  for (const r of doc.Records) {
    const k = `${r["eventSource"]}\u0001${r["eventName"]}\u0001${r["awsRegion"]}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
}
process.stdout.write(`${counts.size} groups\n`);
