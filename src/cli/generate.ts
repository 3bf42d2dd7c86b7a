// `trailq generate --out DIR`: write a seeded synthetic CloudTrail trail (the sample trail's maker).
import { generateTrail } from "../generator/index.js";
import { GenerateOptionsSchema, parseOptions } from "./options.js";

export async function generateCommand(rawOpts: Record<string, unknown>): Promise<void> {
  const o = parseOptions(GenerateOptionsSchema, rawOpts);
  const summary = await generateTrail({
    outDir: o.out,
    events: o.events,
    seed: o.seed,
    start: o.start,
    days: o.days,
    ...(o.eventsPerFile !== undefined ? { eventsPerFile: o.eventsPerFile } : {}),
  });
  process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
}
