// The second engine proves the translation: every query of the golden corpus that translates is run
// by DuckDB over the same fixtures, and its rows must equal the native engine's (in order when the
// query sorts, as a multiset otherwise). Queries that are refused are counted, with the reason.
// golden.test.ts registers these tests after its own: the native run of each query is made once
// (corpus.ts) and read by both.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { QueryError } from "../../src/errors.js";
import { rowObject } from "../../src/output/index.js";
import { loadDuckdb, toValue, type DuckdbConnection } from "../../src/sql/duckdb.js";
import { DEFAULT_TABLE } from "../../src/sql/schema.js";
import { Untranslatable } from "../../src/sql/expr.js";
import { translatePlan } from "../../src/sql/translate.js";
import { duckdbView } from "../../src/sql/view.js";
import { Reader } from "../../src/sources/index.js";
import { GOLDEN, ROOT, cases, header, inputOf, nativeRun } from "../corpus.js";
import { sharedRuns } from "../shared-runs.js";

/**
 * One DuckDB for the corpus. Each input's records are made a table once, through the view that
 * `--engine duckdb` reads files with (duckdbView: every file of the input), and each query is
 * translated to read that table: the sample trail's 1,246 files were read again for each of its
 * queries, 0.6-1.4 s each. `--engine duckdb` itself, files to rows, is test/sql/cli's.
 */
let connection: Promise<DuckdbConnection> | undefined;
function duckdb(): Promise<DuckdbConnection> {
  connection ??= (async () => (await (await loadDuckdb()).DuckDBInstance.create(":memory:")).connect())();
  return connection;
}
const tables = sharedRuns<string>();
let tablesMade = 0;
/** The table holding an input's records, made on the first query that reads it. */
function tableOf(input: string): Promise<string> {
  return tables(input, async () => {
    const name = `input_${tablesMade++}`;
    const files = [...new Reader([input], { warn: () => {} }).files()].map((f) => f.path);
    await (await duckdb()).runAndReadAll(`CREATE TABLE ${name} AS ${duckdbView(files)}\nSELECT * FROM ${DEFAULT_TABLE}`);
    return name;
  });
}

/**
 * A row as comparable text. Two differences are not disagreements: the keys of a structure come in
 * the table's struct order (resources' ARN first), and a standard deviation may differ in its last
 * bit (SQL computes it another way): numbers compare to 12 significant digits.
 */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v === "number") return Number.isInteger(v) ? v : Number(v.toPrecision(12));
  if (v && typeof v === "object") {
    const entries: [string, unknown][] = Object.entries(v).map(([k, x]) => [k, canonical(x)]);
    return Object.fromEntries(entries.sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  }
  return v;
}
export const rowKey = (r: Record<string, unknown>): string => JSON.stringify(Object.entries(r).map(([k, v]) => [k, canonical(v)]));

/** Registers a test per corpus query, then the test of docs/athena.md's two numbers. */
export function duckdbAgreementTests(): void {
  const agreed: string[] = [];
  const refused: { name: string; why: string }[] = [];

  for (const file of cases(GOLDEN)) {
    const name = relative(GOLDEN, file).replace(/\.query$/, "");
    test(`duckdb agrees: ${name}`, async () => {
      const query = readFileSync(file, "utf8");
      if (header(query, "lookup")) {
        refused.push({ name, why: "uses a lookup table" });
        return;
      }
      const engines = header(query, "engines");
      if (engines?.startsWith("native")) {
        refused.push({ name, why: `native engine only: ${engines.replace(/^native\s*(\(|:)?\s*/, "").replace(/\)$/, "") || "see the query"}` });
        return;
      }
      const input = inputOf(query);
      let native;
      try {
        // without a lookup header, the run has no lookup table
        native = await nativeRun(file);
      } catch (e) {
        if (e instanceof QueryError) return; // an error case of the corpus: nothing to translate
        throw e;
      }
      let translation;
      try {
        translation = translatePlan(native.plan, { dialect: "duckdb", table: await tableOf(input) });
      } catch (e) {
        if (e instanceof Untranslatable) {
          refused.push({ name, why: e.message });
          return;
        }
        throw e;
      }
      const result = await (await duckdb()).runAndReadAll(translation.sql);
      const rows = result.getRows().map((r) => rowObject(native.plan.columns, r.map((v, i) => toValue(v, translation.columns[i]!))));
      const sorted = native.plan.ops.some((o) => o.op === "sort");
      if (sorted) assert.deepEqual(rows.map(rowKey), native.rows.map(rowKey), `${name}: rows differ\n${translation.sql}`);
      else assert.deepEqual(rows.map(rowKey).sort(), native.rows.map(rowKey).sort(), `${name}: rows differ\n${translation.sql}`);
      agreed.push(name);
    });
  }

  // docs/athena.md quotes the two numbers: they are this run's (after every query above has run)
  test("docs/athena.md gives the numbers of queries that agree and that are refused", () => {
    const doc = readFileSync(join(ROOT, "docs", "athena.md"), "utf8").replace(/\s+/g, " ");
    const m = /\((\d+) agree and (\d+) are refused:/.exec(doc);
    assert.ok(m, "athena.md: (N agree and M are refused: ...)");
    assert.deepEqual([Number(m[1]), Number(m[2])], [agreed.length, refused.length], "athena.md's numbers: agree, refused");
  });

  after(async () => {
    if (connection) (await connection).closeSync?.();
    const report = [`${agreed.length} corpus queries translate and agree with the native engine; ${refused.length} are refused:`, ...refused.map((r) => `  ${r.name}: ${r.why}`)].join("\n");
    process.stdout.write(`# ${report.replace(/\n/g, "\n# ")}\n`);
    mkdirSync(join(ROOT, "dist", "test-reports"), { recursive: true });
    writeFileSync(join(ROOT, "dist", "test-reports", "sql-duckdb-agreement.txt"), report + "\n");
  });
}
