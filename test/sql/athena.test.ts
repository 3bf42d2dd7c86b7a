// Golden tests of the Athena SQL text: each test/sql/athena/<name>.query (with `# args:` for the time
// range, accounts and regions, as `trailq sql` takes them) against <name>.sql. Regenerate on purpose
// with TRAILQ_UPDATE_GOLDEN=1 and review the diff. Refusals are checked at the end.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseQuery } from "../../src/lang/index.js";
import { buildPlan } from "../../src/plan/build.js";
import { parseTimeRange } from "../../src/time/range.js";
import { translatePlan } from "../../src/sql/translate.js";
import { Untranslatable, sqlRegex } from "../../src/sql/expr.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DIR = join(ROOT, "test", "sql", "athena");
const NOW = Date.parse("2026-11-05T00:00:00Z");
const UPDATE = process.env["TRAILQ_UPDATE_GOLDEN"] === "1";

/** `--start X --account a,b --keep-duplicates` → options as the sql command parses them. */
function args(query: string): Record<string, string | string[] | true> {
  const line = /^#\s*args:\s*(.+)$/m.exec(query)?.[1] ?? "";
  const words = line.split(/\s+/).filter(Boolean);
  const out: Record<string, string | string[] | true> = {};
  for (let i = 0; i < words.length; i++) {
    const name = words[i]!.replace(/^--/, "");
    const value = words[i + 1];
    if (value === undefined || value.startsWith("--")) out[name] = true;
    else out[name] = name === "account" || name === "region" ? words[++i]!.split(",") : words[++i]!;
  }
  return out;
}

function athena(query: string, a: Record<string, string | string[] | true> = {}): string {
  const plan = buildPlan(parseQuery(query), { now: NOW });
  const range = parseTimeRange({ ...(a["start"] ? { start: a["start"] as string } : {}), ...(a["end"] ? { end: a["end"] as string } : {}), ...(a["since"] ? { since: a["since"] as string } : {}) }, NOW);
  return translatePlan(plan, {
    dialect: "athena",
    range,
    ...(a["account"] ? { accounts: a["account"] as string[] } : {}),
    ...(a["region"] ? { regions: a["region"] as string[] } : {}),
    ...(a["keep-duplicates"] ? { keepDuplicates: true } : {}),
  }).sql;
}

const files = readdirSync(DIR).filter((f) => f.endsWith(".query")).sort();

test("the Athena golden set is not empty", () => assert.ok(files.length >= 15));

for (const f of files) {
  const name = f.replace(/\.query$/, "");
  test(`athena sql: ${name}`, () => {
    const query = readFileSync(join(DIR, f), "utf8");
    const sql = athena(query, args(query));
    const expected = join(DIR, `${name}.sql`);
    if (UPDATE) return writeFileSync(expected, sql);
    assert.ok(existsSync(expected), `${name}.sql is missing:\n${sql}`);
    assert.equal(sql, readFileSync(expected, "utf8"));
  });
}

test("the Athena SQL calls only functions Trino has: no trunc() (truncate there), whatever query made it", () => {
  for (const f of files) {
    const sql = athena(readFileSync(join(DIR, f), "utf8"));
    assert.doesNotMatch(sql, /\btrunc\(/, f);
  }
});

const REFUSED: [string, RegExp][] = [
  ["unnest resources into r | fields r.type", /can't translate unnest to SQL/],
  ["fields @message", /@message has no column/],
  ["pattern eventName", /can't translate pattern/],
  ["fields @logStream", /@logStream has no column/],
  ["fields nope", /nope is not a column of the CloudTrail table/],
  ["fields userIdentity.identityProvider", /identityProvider is not in the table's useridentity struct/],
  ["stats histogram(strlen(eventName), 3) as h", /the aggregate histogram\(\)/],
  ["parse @message /\"x\":\"([^\"]+)\"/ as x multi | fields x", /parse \.\.\. multi/],
  ["fields isValidIpV6(sourceIPAddress) as v6", /isValidIpV6\(\)/],
  ["stats count(*) by bin(2mo)", /only 1mo periods/],
  ["fields regexReplace(eventName, \"(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\", \"$10\") as r", /two-digit groups do not translate/],
  ["fields regexReplace(eventName, \"x\", \"$'\") as r", /has no SQL equivalent/],
];

for (const [query, message] of REFUSED) {
  test(`refused, with the reason: ${query}`, () => {
    assert.throws(() => athena(query), (e: unknown) => e instanceof Untranslatable && message.test(e.message));
  });
}

test("a regex's group names go in SQL, but only where a group opens: not after an escape, not in a class", () => {
  assert.equal(sqlRegex({ source: "^(?<g0>[a-z]+)/(?<g1>\\d+)", flags: "" }), "^([a-z]+)/(\\d+)");
  // an escaped backslash before the group: the group still opens there
  assert.equal(sqlRegex({ source: "\\\\(?<g0>x)", flags: "i" }), "(?i)\\\\(x)");
  // escaped parenthesis and a class: the text stays as written
  assert.equal(sqlRegex({ source: "\\(?<g0>x\\)[(?<g1>]", flags: "" }), "\\(?<g0>x\\)[(?<g1>]");
});
