// The web console's server: 127.0.0.1 only, every request checked (security.ts), routed to one
// handler each. startServer gives the address to print and a close that cancels the runs.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { newToken, refusal, securityHeaders, type Guard } from "./security.js";
import { Assets } from "./assets.js";
import { HttpError, sendJson, sendText } from "./http.js";
import { Runs } from "./runs.js";
import { runRoute, type RunContext } from "./stream.js";
import { checkRoute } from "./check.js";
import { exportRoute } from "./export.js";
import { chartRoute } from "./chart.js";
import { detectRoute } from "./detect.js";
import { eventRoute } from "./event.js";
import { history, meta, saveRoute, templates } from "./library.js";
import { discoverFields } from "../repl/fields.js";
import { z } from "../zod.js";
import { readJson } from "./http.js";

export interface ServerOptions {
  inputs: string[];
  /** Sigma rule files and folders the detect tab runs besides the bundled templates (`--rules`). */
  rules?: string[];
  /** 0: a free port. */
  port: number;
  /** Every copy of an event met in several files is kept (`--keep-duplicates`). */
  keepDuplicates?: boolean;
  /** The page's folder (tests may give another). */
  pageDir?: string;
  /** Where the page's queries are remembered (default: the prompt's history file). */
  history?: string;
}

export interface UiServer {
  url: string;
  port: number;
  token: string;
  runs: Runs;
  close(): Promise<void>;
}

const CancelSchema = z.object({ id: z.string() });

export async function startServer(o: ServerOptions): Promise<UiServer> {
  const token = newToken();
  const assets = new Assets(token, o.pageDir);
  const runs = new Runs();
  let fields = new Map<string, number>();
  void discoverFields(o.inputs).then((f) => (fields = f), () => {});
  const keepDuplicates = o.keepDuplicates === true;
  const ctx: RunContext = { inputs: o.inputs, runs, keepDuplicates, ...(o.history ? { history: o.history } : {}) };
  const guard: Guard = { token, host: "" };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    securityHeaders(res);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const refused = refusal(req, url, guard);
    if (refused) return sendText(res, refused.status, refused.message + "\n");
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case "POST /api/run":
        return runRoute(req, res, ctx);
      case "POST /api/cancel": {
        const { id } = await readJson(req, CancelSchema);
        return sendJson(res, 200, { cancelled: runs.cancel(id) });
      }
      case "POST /api/check":
        return checkRoute(req, res);
      case "GET /api/meta":
        return sendJson(res, 200, meta({ inputs: o.inputs, rules: o.rules ?? [], fields: () => fields }));
      case "GET /api/templates":
        return sendJson(res, 200, templates());
      case "GET /api/history":
        return sendJson(res, 200, history());
      case "POST /api/saved":
        return saveRoute(req, res);
      case "GET /api/export":
        return exportRoute(url, res, ctx);
      case "GET /api/chart":
        return chartRoute(url, res, runs);
      case "POST /api/detect":
        return detectRoute(req, res, { inputs: o.inputs, runs, rules: o.rules ?? [], keepDuplicates });
      case "GET /api/event":
        return eventRoute(url, res, o.inputs);
    }
    if (req.method === "GET" && assets.serve(url.pathname, res)) return;
    sendText(res, 404, "not found\n");
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (e instanceof HttpError) {
        if (!res.headersSent) sendText(res, e.status, e.message + "\n");
        else res.end();
        return;
      }
      process.stderr.write(`trailq ui: internal error (a bug: please report it)\n${e instanceof Error ? e.stack : String(e)}\n`);
      if (!res.headersSent) sendText(res, 500, "internal error\n");
      else res.end();
    });
  });
  server.headersTimeout = 20_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  guard.host = `127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    runs,
    close: () =>
      new Promise<void>((resolve) => {
        runs.cancelAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
