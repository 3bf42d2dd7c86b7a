// The web console's tests: a server started in this process, requests with any Host header (fetch
// would not send one), the JSON lines of a run.
import { request } from "node:http";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, type UiServer } from "../../src/ui/server.js";
import { tempDir } from "../temp.js";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const SAMPLE = join(ROOT, "fixtures", "sample-trail");

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Req {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Left out: the server's own address. */
  host?: string;
}

export function call(s: UiServer, path: string, o: Req = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = o.body === undefined ? undefined : JSON.stringify(o.body);
    const r = request(
      {
        host: "127.0.0.1",
        port: s.port,
        path,
        method: o.method ?? (body ? "POST" : "GET"),
        headers: { Host: o.host ?? `127.0.0.1:${s.port}`, ...(body ? { "Content-Type": "application/json" } : {}), ...o.headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on("error", reject);
      },
    );
    r.on("error", reject);
    if (body) r.write(body);
    r.end();
  });
}

/** An API call with the token. */
export function api(s: UiServer, path: string, o: Req = {}): Promise<Reply> {
  return call(s, path, { ...o, headers: { "X-Trailq-Token": s.token, ...o.headers } });
}

export type Line = { t: string } & Record<string, unknown>;

export function lines(body: string): Line[] {
  return body.split("\n").filter(Boolean).map((l) => JSON.parse(l) as Line);
}

/** Runs a query (or a template; or a detection, at /api/detect) and gives its lines. */
export async function run(s: UiServer, spec: Record<string, unknown>, path = "/api/run"): Promise<Line[]> {
  const r = await api(s, path, { body: spec });
  if (r.status !== 200) throw new Error(`run: ${r.status} ${r.body}`);
  return lines(r.body);
}

/** A server over these inputs (and Sigma rules for its detect tab) whose history and saved queries go to a fresh folder. */
export async function server(inputs: string[], rules: string[] = []): Promise<UiServer> {
  const state = tempDir("ui-state");
  process.env["XDG_STATE_HOME"] = join(state, "state");
  process.env["XDG_CONFIG_HOME"] = join(state, "config");
  return startServer({ inputs, port: 0, rules });
}

/** A run's lines as they come (`seen`), and when its answer ends (`done`). */
export function streaming(s: UiServer, path: string, body: unknown): { seen: Line[]; done: Promise<void> } {
  const seen: Line[] = [];
  let text = "";
  const done = new Promise<void>((resolve, reject) => {
    const r = request({ host: "127.0.0.1", port: s.port, path, method: "POST", headers: { Host: `127.0.0.1:${s.port}`, "X-Trailq-Token": s.token, "Content-Type": "application/json" } }, (res) => {
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        text += c;
        const parts = text.split("\n");
        text = parts.pop()!;
        for (const p of parts) if (p) seen.push(JSON.parse(p) as Line);
      });
      res.on("end", resolve);
      res.on("error", reject);
    });
    r.end(JSON.stringify(body));
  });
  return { seen, done };
}

/** Waits until `cond` holds, looking every 20 ms for at most 20 s. */
export async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never happened: ${what}`);
}

/**
 * A named pipe whose scan never ends: these events written to it, and its writer left open (opened
 * for reading and writing, so the open never waits for a reader: a run may be cancelled before it
 * opens the pipe). Destroy the writer at the end.
 */
export function endlessPipe(events: Record<string, unknown>[]): { path: string; writer: WriteStream } {
  const path = join(tempDir("ui-fifo"), "events.jsonl");
  assert.equal(spawnSync("mkfifo", [path]).status, 0);
  const writer = createWriteStream(path, { flags: "r+" });
  writer.on("error", () => {});
  writer.write(events.map((e) => JSON.stringify(e) + "\n").join(""));
  return { path, writer };
}
