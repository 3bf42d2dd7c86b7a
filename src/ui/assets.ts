// The page and its files, built by `npm run build` into dist/ui/ (src/build/bundle.ts bundles
// src/ui/page/ with CodeMirror): index.html (the token put into its asset addresses and a meta tag,
// with a new style nonce each time it is served), app.js, app.css and sort.js (the table's sort
// worker). Nothing else is served from the disk.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import { PACKAGE_ROOT } from "../root.js";
import { pageCsp } from "./security.js";
import { ExitCode, UserError } from "../errors.js";

export const PAGE_DIR = join(PACKAGE_ROOT, "dist", "ui");

const FILES: Record<string, string> = {
  "/app.js": "text/javascript; charset=utf-8",
  "/app.css": "text/css; charset=utf-8",
  "/sort.js": "text/javascript; charset=utf-8",
};

export class Assets {
  private readonly cache = new Map<string, Buffer>();

  constructor(token: string, dir = PAGE_DIR) {
    // a missing build is said at start, not on the first request
    for (const f of ["index.html", ...Object.keys(FILES).map((k) => k.slice(1))]) {
      try {
        this.cache.set("/" + f, readFileSync(join(dir, f)));
      } catch {
        throw new UserError(`the web console is not built (${join(dir, f)} is missing): run \`npm run build\``, ExitCode.usage);
      }
    }
    const html = this.cache.get("/index.html")!.toString("utf8").replaceAll("__TOKEN__", token);
    this.cache.set("/index.html", Buffer.from(html));
  }

  /** Serves a path of the page; false when it is not one. */
  serve(path: string, res: ServerResponse): boolean {
    const key = path === "/" ? "/index.html" : path;
    let body = this.cache.get(key);
    if (!body) return false;
    if (key === "/index.html") {
      // the nonce that lets the editor's <style> element in, new for each page
      const nonce = randomBytes(16).toString("base64");
      body = Buffer.from(body.toString("utf8").replaceAll("__NONCE__", nonce));
      res.setHeader("Content-Security-Policy", pageCsp(nonce));
    }
    const type = key === "/index.html" ? "text/html; charset=utf-8" : FILES[key]!;
    res.writeHead(200, { "Content-Type": type, "Content-Length": body.length });
    res.end(body);
    return true;
  }
}
