// Shared by the query tests: a rule's query run in memory over events (the plan's pipeline, as a
// scan feeds it), beside the matcher's verdict on the same events.
import { parseQuery } from "../../src/lang/index.js";
import { buildPlan } from "../../src/plan/build.js";
import { buildPipeline } from "../../src/exec/pipeline.js";
import { Row } from "../../src/exec/row.js";
import { Reader } from "../../src/sources/index.js";
import { EventView, type Event } from "../../src/detect/event-view.js";
import type { CompiledSigma } from "../../src/detect/sigma.js";
import type { SourceFile } from "../../src/sources/index.js";

const FILE: SourceFile = { path: "mem", display: "mem", size: 0, ingestionTime: 0 };

/** Every event of the inputs (copies too), and where each was (`file#index`, as a finding's @ptr). */
export async function readEvents(inputs: string[]): Promise<Event[]> {
  return (await readEventsAt(inputs)).events;
}

export async function readEventsAt(inputs: string[]): Promise<{ events: Event[]; ptrs: string[] }> {
  const events: Event[] = [];
  const ptrs: string[] = [];
  for await (const b of new Reader(inputs, { warn: () => {}, raw: false }).batches()) {
    b.events.forEach((e, i) => {
      events.push(e);
      ptrs.push(`${b.file.display}#${b.firstIndex + i}`);
    });
  }
  return { events, ptrs };
}

/** The indexes of the events the query keeps. */
export function queryFinds(query: string, events: readonly Event[]): number[] {
  const plan = buildPlan(parseQuery(query), { now: 0 });
  const found: number[] = [];
  const ptr = plan.columns.length;
  // a last column the rows carry: where the event was
  const pipeline = buildPipeline({ ...plan, columns: [...plan.columns, { name: "@ptr", type: "string", expr: { k: "system", name: "@ptr" } as never }] }, {
    row: (values) => found.push(Number(String(values[ptr]).slice(4))),
    end: () => {},
  });
  events.forEach((e, i) => pipeline.head.push(new Row(e, FILE, i)));
  pipeline.head.end();
  return found.sort((a, b) => a - b);
}

/** The indexes of the events the rule matches. */
export function ruleFinds(rule: CompiledSigma, events: readonly Event[]): number[] {
  const out: number[] = [];
  events.forEach((e, i) => {
    if (rule.test(new EventView(e))) out.push(i);
  });
  return out;
}
