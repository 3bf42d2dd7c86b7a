// What a run's answer as JSON lines is made of, for a query (stream.ts) and for detection
// (detect.ts): the run registered (so that POST /api/cancel finds it), stopped when the page goes
// away, rows sent in lines of at most BATCH, progress at most four times a second, the inputs'
// warnings capped, a user error as an error line and a bug as an internal error line.
import { jsonText } from "../output/safe.js";
import type { ServerResponse } from "node:http";
import type { ReadStats } from "../sources/index.js";
import { sendJson, userErrorBody } from "./http.js";
import type { RunEntry, RunKind, Runs } from "./runs.js";
import type { RunSpec } from "./prepare.js";

/** Rows sent in one line at most. */
const BATCH = 500;
/** The inputs' warnings sent at most (the rest are counted). */
const WARNINGS = 100;

export interface LineStream {
  entry: RunEntry;
  signal: AbortSignal;
  send(o: unknown): void;
  res: ServerResponse;
}

/**
 * Runs that may go at once: each has its worker threads and its memory budget (twenty requests at
 * once took the server past 2 GB, and on). One more is answered 429.
 */
export const MAX_RUNNING = 3;

/** Answers a run with JSON lines written by `body`; the run ends (and the response) when it returns. */
export async function streamRun(res: ServerResponse, runs: Runs, spec: RunSpec, kind: RunKind, body: (s: LineStream) => Promise<void>): Promise<void> {
  if (runs.active >= MAX_RUNNING) return sendJson(res, 429, { message: `${MAX_RUNNING} runs are going: wait for one to end, or cancel one` });
  const entry = runs.begin(spec, kind);
  res.on("error", () => {});
  // the page went away (or cancelled its fetch): stop reading
  res.on("close", () => {
    if (!res.writableFinished) entry.controller.abort();
  });
  res.writeHead(200, { "Content-Type": "application/x-ndjson; charset=utf-8" });
  // safeJson's text, as the CLI's JSON: a lone surrogate of the data as U+FFFD, controls and bidi marks escaped
  const send = (o: unknown): void => {
    if (!res.destroyed) res.write(jsonText(o) + "\n");
  };
  try {
    await body({ entry, signal: entry.controller.signal, send, res });
  } catch (e) {
    const error = userErrorBody(e);
    if (!error) {
      send({ t: "error", message: "internal error (a bug in trailq: the server's output has the details)" });
      process.stderr.write(`trailq ui: internal error\n${e instanceof Error ? e.stack : String(e)}\n`);
    } else send({ t: "error", ...error });
  } finally {
    entry.running = false;
    res.end();
  }
}

/** Rows gathered into lines of at most BATCH. */
export class RowLines {
  private batch: (string | null)[][] = [];
  count = 0;

  constructor(private readonly send: (o: unknown) => void) {}

  push(cells: (string | null)[]): void {
    this.count++;
    this.batch.push(cells);
    if (this.batch.length >= BATCH) this.flush();
  }

  flush(): void {
    if (this.batch.length) this.send({ t: "rows", rows: this.batch });
    this.batch = [];
  }
}

/**
 * What to do after each batch read: the rows so far sent, and the figures at most four times a
 * second (`also` runs with them: more of the answer that goes with the figures).
 */
export function progressLines(send: (o: unknown) => void, rows: RowLines, also?: () => void): (read: ReadStats) => void {
  let told = 0;
  return (read) => {
    rows.flush();
    const now = performance.now();
    if (now - told < 250) return;
    told = now;
    send({ t: "progress", events: read.eventsRead, files: read.filesRead });
    also?.();
  };
}

/** The inputs' warnings as the end line gives them (the first WARNINGS, then how many more), then the run's own. */
export function shownWarnings(inputs: string[], own: string[] = []): string[] {
  // each once: a subquery reads the inputs again, and meets the same bad file first
  const once = [...new Set(inputs)];
  const more = once.length - WARNINGS;
  return [...once.slice(0, WARNINGS), ...(more > 0 ? [`… and ${more} more warnings`] : []), ...own];
}
