// Small HTTP helpers the routes share: a JSON body read with a size limit, JSON and text answers.
import type { IncomingMessage, ServerResponse } from "node:http";
import { QueryError, UserError } from "../errors.js";
import { z } from "../zod.js";
import { jsonText } from "../output/safe.js";

/** The largest request body taken (a query, a template's parameters). */
const MAX_BODY = 1 << 20;

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function readJson<T extends z.ZodMiniType>(req: IncomingMessage, schema: T): Promise<z.infer<T>> {
  if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) throw new HttpError(415, "send application/json");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) throw new HttpError(413, "request body too large");
    chunks.push(c);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "the body is not JSON");
  }
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, `bad request: ${r.error.issues[0]?.path.join(".") ?? ""} ${r.error.issues[0]?.message ?? ""}`.trim());
  return r.data;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  // as the CLI's JSON: a lone surrogate of the data as U+FFFD, controls and bidi marks escaped
  const text = jsonText(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** A user error as the page shows it: the message, and for a query error its place and hint. */
export interface ErrorBody {
  message: string;
  hint?: string;
  /** Offsets into the query text (QueryError only). */
  from?: number;
  to?: number;
}

/** The body of an error the user can fix; undefined for anything else (a bug: the caller rethrows). */
export function userErrorBody(e: unknown): ErrorBody | undefined {
  if (e instanceof QueryError) return { message: e.message, ...(e.hint ? { hint: e.hint } : {}), from: e.span.start, to: Math.max(e.span.end, e.span.start + 1) };
  if (e instanceof UserError) return { message: e.message };
  return undefined;
}
