// The golden corpus: each test/golden/<area>/<name>.query is run over its input and its rows are
// compared with <name>.json (or, for a query that must fail, its message with <name>.error).
// A query's header comments choose the input: `# input: <path from the repo root>`; the default is
// fixtures/golden/events.jsonl (hand-written events); `# lookup: NAME=<path>` gives a lookup table.
// Regenerate expected files on purpose with
// TRAILQ_UPDATE_GOLDEN=1 npm test, then review the diff.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, existsSync, unlinkSync } from "node:fs";
import { relative } from "node:path";
import { QueryError } from "../src/errors.js";
import { GOLDEN, ROOT, cases, nativeRun } from "./corpus.js";
import { duckdbAgreementTests } from "./sql/duckdb-agree.js";

const UPDATE = process.env["TRAILQ_UPDATE_GOLDEN"] === "1";

/** Rows as JSON, one row a line, so diffs show which row changed. */
function show(rows: unknown[]): string {
  return rows.length === 0 ? "[]\n" : "[\n" + rows.map((r) => "  " + JSON.stringify(r)).join(",\n") + "\n]\n";
}

for (const file of cases(GOLDEN)) {
  const name = relative(GOLDEN, file).replace(/\.query$/, "");
  test(`golden ${name}`, async () => {
    const query = readFileSync(file, "utf8");
    const base = file.replace(/\.query$/, "");
    const expectJson = base + ".json";
    const expectError = base + ".error";
    const expectWarn = base + ".warnings";
    let actual: string;
    let kind: "json" | "error";
    let warnings: string[] = [];
    try {
      const r = await nativeRun(file);
      actual = show(r.rows);
      warnings = r.warnings;
      kind = "json";
    } catch (e) {
      if (!(e instanceof QueryError)) throw e;
      actual = e.format(query) + "\n";
      kind = "error";
    }
    const expectedFile = kind === "json" ? expectJson : expectError;
    const otherFile = kind === "json" ? expectError : expectJson;
    const warnText = warnings.length ? warnings.join("\n") + "\n" : "";
    if (UPDATE) {
      writeFileSync(expectedFile, actual);
      if (existsSync(otherFile)) unlinkSync(otherFile);
      if (warnText) writeFileSync(expectWarn, warnText);
      else if (existsSync(expectWarn)) unlinkSync(expectWarn);
      return;
    }
    assert.ok(existsSync(expectedFile), `${name}: the query gave ${kind === "json" ? "rows" : "an error"} but ${relative(ROOT, expectedFile)} does not exist:\n${actual}`);
    assert.equal(actual, readFileSync(expectedFile, "utf8"), `${name}: output differs`);
    assert.equal(warnText, existsSync(expectWarn) ? readFileSync(expectWarn, "utf8") : "", `${name}: warnings differ`);
  });
}

// The DuckDB engine over the same corpus (sql/duckdb-agree.ts), after the golden tests: it compares
// DuckDB's rows with the native runs above, made once for both.
duckdbAgreementTests();
