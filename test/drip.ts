// A scan that is still running when a test presses Ctrl-C, however fast trailq gets: events as JSON
// lines dripped into a pipe, 200 every 10 ms, over and over, by a feeder that ignores Ctrl-C.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Reader } from "../src/sources/index.js";

/** Writes the events of `trail` as JSON lines into dir/events.jsonl; returns its path. */
export async function eventLines(trail: string, dir: string): Promise<string> {
  const lines: string[] = [];
  for await (const b of new Reader([trail], { warn: () => {} }).batches()) for (const ev of b.events) lines.push(JSON.stringify(ev));
  const file = join(dir, "events.jsonl");
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

// (the reader gone, the write fails: the feeder ends quietly, not with a stack trace on the test's terminal)
const DRIP = `process.on("SIGINT",()=>{});process.stdout.on("error",()=>process.exit(0));const l=require("fs").readFileSync(process.argv[1],"utf8").split("\\n").filter(Boolean);let i=0;setInterval(()=>{let s="";for(let k=0;k<200;k++)s+=l[i++%l.length]+"\\n";process.stdout.write(s)},10)`;

/** A shell command that writes the lines of `file` to its standard output until the reader goes away. */
export function dripCommand(file: string): string {
  return `${JSON.stringify(process.execPath)} -e '${DRIP}' ${JSON.stringify(file)}`;
}
