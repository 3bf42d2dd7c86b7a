// The console's guard: every request must come to the address the server listens on (a Host header
// naming anything else is a DNS-rebinding page, refused) and carry the token printed at start (as
// ?token= or the X-Trailq-Token header), compared in constant time. Every response gets a strict
// Content-Security-Policy: the page runs its own script only, reaches this server only.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** A fresh token: 24 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

/**
 * The policy of the page: its own script, styles and images, requests to itself, nothing framed, no
 * forms. The editor writes its styles into a <style> element: the page's one, allowed by a nonce
 * made anew for each page served (pageCsp).
 */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export function pageCsp(nonce: string): string {
  return CSP.replace("style-src 'self'", `style-src 'self' 'nonce-${nonce}'`);
}

/** What a chart image may do: nothing but draw (its styles are attributes). */
export const IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";

export function securityHeaders(res: ServerResponse, csp = CSP): void {
  res.setHeader("Content-Security-Policy", csp);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  res.setHeader("Cache-Control", "no-store");
}

export interface Guard {
  token: string;
  /** The one Host header accepted: `127.0.0.1:PORT`. */
  host: string;
}

/** Why a request is refused (status and message), or undefined when it may go on. */
export function refusal(req: IncomingMessage, url: URL, g: Guard): { status: number; message: string } | undefined {
  if (req.headers.host !== g.host) return { status: 421, message: "wrong Host: this server answers only to " + g.host };
  // a page of another origin may send requests here (a form, an image): its Origin says so
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${g.host}`) return { status: 403, message: "requests from other origins are refused" };
  const given = req.headers["x-trailq-token"] ?? url.searchParams.get("token") ?? "";
  if (typeof given !== "string" || !sameToken(given, g.token)) return { status: 403, message: "missing or wrong token: open the address trailq ui printed" };
  return undefined;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
