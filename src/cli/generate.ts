// `trailq generate --out DIR`: write a seeded synthetic CloudTrail trail (the sample trail's maker).
import { generateTrail } from "../generator/index.js";
import { GenerateOptionsSchema, parseOptions } from "./options.js";
import { parseInstant } from "../time/range.js";

export async function generateCommand(rawOpts: Record<string, unknown>): Promise<void> {
  const o = parseOptions(GenerateOptionsSchema, rawOpts);
  // read as --start of a query reads it (UTC without a zone): the same options give the same files on every machine
  const start = new Date(parseInstant(o.start, Date.now(), "--start")).toISOString();
  const summary = await generateTrail({
    outDir: o.out,
    events: o.events,
    seed: o.seed,
    start,
    days: o.days,
    ...(o.eventsPerFile !== undefined ? { eventsPerFile: o.eventsPerFile } : {}),
  });
  process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
}
