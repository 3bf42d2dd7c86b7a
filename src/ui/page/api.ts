// The page's way to its server: the token (put in the page by the server) goes with every request.
const meta = document.querySelector('meta[name="trailq-token"]');
export const TOKEN = meta?.getAttribute("content") ?? "";
/** The nonce the page's style policy allows (the editor's <style> element). */
export const NONCE = document.querySelector('meta[name="trailq-nonce"]')?.getAttribute("content") ?? "";

/** An address of the server with the token (for an <img> or a download link). */
export function withToken(path: string, params: Record<string, string> = {}): string {
  const q = new URLSearchParams({ ...params, token: TOKEN });
  return `${path}?${q.toString()}`;
}

export async function getJson<T>(path: string): Promise<T> {
  const r = await fetch(path, { headers: { "X-Trailq-Token": TOKEN } });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

export async function postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const r = await fetch(path, { method: "POST", headers: { "X-Trailq-Token": TOKEN, "Content-Type": "application/json" }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

/** A POST whose answer is JSON lines, each handed to `line` as it comes. */
export async function postLines(path: string, body: unknown, signal: AbortSignal, line: (o: unknown) => void): Promise<void> {
  const r = await fetch(path, { method: "POST", headers: { "X-Trailq-Token": TOKEN, "Content-Type": "application/json" }, body: JSON.stringify(body), signal });
  if (!r.ok || !r.body) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
  let rest = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    rest += value;
    // each line once: a chunk of many lines is cut without copying what is left after each
    let from = 0;
    let nl: number;
    while ((nl = rest.indexOf("\n", from)) >= 0) {
      if (nl > from) line(JSON.parse(rest.slice(from, nl)));
      from = nl + 1;
    }
    rest = rest.slice(from);
  }
  if (rest.trim()) line(JSON.parse(rest));
}

export interface FunctionInfo {
  name: string;
  aliases: string[];
  signature: string;
  description: string;
  category: string;
}

export interface Meta {
  inputs: string[];
  /** The detect tab's Sigma rules (trailq ui --rules). */
  rules: string[];
  commands: string[];
  functions: FunctionInfo[];
  fields: { name: string; share: number }[];
  templates: string[];
  /** The zone times show in (trailq ui --tz): `UTC`, `Europe/Paris`, `+05:30`. */
  zone: string;
}

export interface TemplateInfo {
  id: string;
  title: string;
  category: string;
  description: string;
  doesNotCover?: string;
  params: { name: string; type: string; default?: string; description?: string }[];
  query: string;
  origin: string;
}

export interface CheckError {
  message: string;
  hint?: string;
  from?: number;
  to?: number;
}
