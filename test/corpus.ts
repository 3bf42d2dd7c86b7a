// The golden corpus (test/golden/<area>/<name>.query), as golden.test.ts and the DuckDB agreement
// tests it registers (sql/duckdb-agree.ts) read it: the query files, their headers, and each query's
// run by the native engine, made once and shared by both.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { queryRows } from "../src/api.js";
import { sharedRuns } from "./shared-runs.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const GOLDEN = join(ROOT, "test", "golden");
export const DEFAULT_INPUT = "fixtures/golden/events.jsonl";
export const NOW = Date.parse("2026-11-05T00:00:00Z");

export function* cases(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* cases(p);
    else if (e.name.endsWith(".query")) yield p;
  }
}

export function header(query: string, key: string): string | undefined {
  const m = new RegExp(`^#\\s*${key}:\\s*(.+)$`, "m").exec(query);
  return m?.[1]?.trim();
}

/** The input a query's header names (`# input: <path from the repo root>`), else the default. */
export const inputOf = (query: string): string => join(ROOT, header(query, "input") ?? DEFAULT_INPUT);

const nativeRuns = sharedRuns<Awaited<ReturnType<typeof queryRows>>>();
/**
 * A corpus query run by the native engine over its input, with its lookup tables (`# lookup:
 * NAME=<path>`), made once per query file: the golden test and the DuckDB agreement test of a query
 * read the same run.
 */
export function nativeRun(file: string): ReturnType<typeof queryRows> {
  // a query that must fail rejects: each test that reads it awaits it
  return nativeRuns(file, () => {
    const query = readFileSync(file, "utf8");
    const lookups = [...query.matchAll(/^#\s*lookup:\s*(\S+?)=(\S+)\s*$/gm)].map((m) => `${m[1]}=${join(ROOT, m[2]!)}`);
    return queryRows(query, [inputOf(query)], { now: NOW, lookups });
  });
}
