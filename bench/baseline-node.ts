// The minimal hand-written pipeline the benchmark compares with: walk the files, gunzip (node:zlib),
// JSON.parse the whole document, count in a Map. No error handling, nothing general.
//
//   node baseline-node.js DIR group|login [WORKERS]
//
// group: count by eventSource, eventName, awsRegion. login: eventName = "ConsoleLogin", count by
// userIdentity.userName, sourceIPAddress. WORKERS > 0: that many worker threads take files from a
// shared counter and the main thread merges their Maps.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

type Ev = Record<string, unknown> & { userIdentity?: { userName?: string } };

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (name.endsWith(".json.gz")) out.push(p);
  }
  return out;
}

function count(list: string[], next: () => number, query: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = next(); i < list.length; i = next()) {
    const doc = JSON.parse(gunzipSync(readFileSync(list[i]!)).toString()) as { Records: Ev[] };
    for (const r of doc.Records) {
      let k: string;
      if (query === "login") {
        if (r["eventName"] !== "ConsoleLogin") continue;
        k = `${r.userIdentity?.userName}\u0001${r["sourceIPAddress"]}`;
      } else k = `${r["eventSource"]}\u0001${r["eventName"]}\u0001${r["awsRegion"]}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  return counts;
}

if (isMainThread) {
  const [dir, query = "group", w = "0"] = process.argv.slice(2);
  const list = files(dir!);
  const workers = Number(w);
  if (workers === 0) {
    let i = 0;
    process.stdout.write(`${count(list, () => i++, query).size} groups\n`);
  } else {
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const parts = await Promise.all(
      Array.from({ length: workers }, () => {
        const worker = new Worker(new URL(import.meta.url), { workerData: { list, query, counter } });
        return new Promise<Map<string, number>>((resolve) => worker.once("message", resolve));
      }),
    );
    const total = new Map<string, number>();
    for (const part of parts) for (const [k, v] of part) total.set(k, (total.get(k) ?? 0) + v);
    process.stdout.write(`${total.size} groups\n`);
  }
} else {
  const { list, query, counter } = workerData as { list: string[]; query: string; counter: Int32Array };
  parentPort!.postMessage(count(list, () => Atomics.add(counter, 0, 1), query));
  parentPort!.close();
}
