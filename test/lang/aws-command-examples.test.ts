// The examples of the AWS page of every command (collected in test/lang/aws-command-examples.json),
// run over the hand-written events: what each gives is kept as a golden file, so a change in how
// any of them parses, checks or runs shows in review.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { queryRows } from "../../src/api.js";
import { QueryError } from "../../src/errors.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const EXAMPLES = JSON.parse(readFileSync(join(ROOT, "test", "lang", "aws-command-examples.json"), "utf8")) as { section: string; query: string }[];
const GOLDEN = join(ROOT, "test", "lang", "aws-command-examples.expected.txt");

test("every AWS command-page example parses, and runs or gives a clear error", async () => {
  const lines: string[] = [];
  let ran = 0;
  for (const { section, query } of EXAMPLES) {
    let outcome: string;
    try {
      const r = await queryRows(query, [join(ROOT, "fixtures", "golden", "events.jsonl")], { now: Date.parse("2026-11-05T00:00:00Z"), lookups: [] });
      outcome = `${r.rows.length} rows: ${r.columns.map((c) => c.name).join(", ")}`;
      ran++;
    } catch (e) {
      assert.ok(e instanceof QueryError, `${query}: ${String(e)}`);
      assert.doesNotMatch(e.message, /^expected|^unexpected/, `${query} should parse: ${e.message}`);
      outcome = `error: ${e.message}`;
    }
    lines.push(`[${section}] ${query.replace(/\s*\n\s*/g, " ")}\n  → ${outcome}`);
  }
  const text = lines.join("\n") + "\n";
  if (process.env["TRAILQ_UPDATE_GOLDEN"] === "1") writeFileSync(GOLDEN, text);
  assert.equal(text, readFileSync(GOLDEN, "utf8"));
  assert.ok(ran >= EXAMPLES.length * 0.7, `${ran} of ${EXAMPLES.length} run`);
});
