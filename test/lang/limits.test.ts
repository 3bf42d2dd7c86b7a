// The limits of docs/language.md ("Errors and limits"): how deep a query may nest, how long it may
// be, and that every stage after the parser survives what the parser lets through; and that every
// error of a query comes before anything is read.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseQuery } from "../../src/lang/index.js";
import { MAX_DEPTH, MAX_QUERY_DEPTH } from "../../src/lang/nodes.js";
import { buildPlan } from "../../src/plan/build.js";
import { explainPlan } from "../../src/plan/explain.js";
import { translatePlan } from "../../src/sql/translate.js";
import { buildPipeline } from "../../src/exec/pipeline.js";
import { bindTemplate } from "../../src/templates/bind.js";
import { queryRows } from "../../src/api.js";
import { QueryError, UserError } from "../../src/errors.js";
import { LookupTables } from "../../src/lookup/tables.js";
import { ROOT, trailq } from "../bin.js";

const EVENTS = join(ROOT, "fixtures", "golden", "events.jsonl");
const NOW = Date.parse("2026-11-05T00:00:00Z");
const LOOKUPS = new LookupTables([]);

function plan(q: string): ReturnType<typeof buildPlan> {
  return buildPlan(parseQuery(q), { now: NOW, lookups: LOOKUPS });
}

function queryError(f: () => unknown): QueryError {
  try {
    f();
  } catch (e) {
    if (e instanceof QueryError) return e;
    throw e;
  }
  assert.fail("expected a QueryError");
}

/** `n` levels of `open ... close` around `inner`. */
const nest = (open: string, close: string, n: number, inner: string): string => open.repeat(n) + inner + close.repeat(n);

/** Expressions MAX_DEPTH high, one of each kind of level (the tree's height, as nodes.ts counts it). */
const AT_LIMIT: Record<string, string> = {
  not: "filter " + nest("not ", "", MAX_DEPTH - 1, "eventName"),
  "unary minus": "fields " + nest("- ", "", MAX_DEPTH - 1, "eventVersion"),
  // a left-deep chain is a level a term after the first
  "a - chain": "fields " + Array(MAX_DEPTH).fill("eventVersion").join(" - "),
  "^": "fields " + Array(MAX_DEPTH).fill("1").join(" ^ "),
  calls: "fields " + nest("abs(", ")", MAX_DEPTH - 1, "eventVersion"),
  "calls of two arguments": "fields " + nest("concat(eventName, ", ")", MAX_DEPTH - 1, '"x"'),
  lists: "filter eventName in " + nest("[", "]", MAX_DEPTH - 2, '"ConsoleLogin"'),
  indexes: "fields " + nest("x[", "]", MAX_DEPTH - 1, "eventName"),
  members: "fields jsonParse(@message)" + ".a".repeat(MAX_DEPTH - 2),
  "in a subquery": "filter eventName in (filter " + nest("not ", "", MAX_DEPTH - 3, "x") + " | fields eventName)",
  "an aggregate's argument": "stats sum(" + nest("abs(", ")", MAX_DEPTH - 2, "eventVersion") + ")",
  "a sort key": "sort " + nest("- ", "", MAX_DEPTH - 1, "eventVersion"),
  "not and": "filter " + nest("not (x and ", ")", (MAX_DEPTH - 1) / 2, "x"),
};

test(`every stage takes expressions ${MAX_DEPTH} levels high, with Node's default stack`, () => {
  for (const [kind, q] of Object.entries(AT_LIMIT)) {
    const ast = parseQuery(q);
    const p = buildPlan(ast, { now: NOW, lookups: LOOKUPS });
    assert.match(explainPlan(p), /^query: /, kind);
    for (const dialect of ["athena", "duckdb"] as const) {
      try {
        translatePlan(p, { dialect });
      } catch (e) {
        // SQL may not say everything (a message), but must not overflow
        if (!(e instanceof UserError)) throw e;
      }
    }
    buildPipeline(p, { row() {}, end() {} });
    bindTemplate({ id: "t", params: [] } as never, ast, {});
    // what a parallel scan sends its workers
    structuredClone(ast);
  }
});

test(`one level more is refused where it is passed, as a QueryError`, () => {
  // levels count from the inside (a node's height): the outermost not, call or bracket is the one
  // too many; in a chain, the operator that makes it too long
  const cases: [string, number][] = [
    ["fields " + nest("not ", "", MAX_DEPTH, "x"), 8],
    ["fields " + nest("abs(", ")", MAX_DEPTH, "x"), 8],
    ["fields " + nest("[", "]", MAX_DEPTH, "x"), 8],
    ["fields " + Array(MAX_DEPTH + 1).fill("x").join(" - "), 8 + (MAX_DEPTH - 1) * 4 + 2],
  ];
  for (const [q, col] of cases) {
    const e = queryError(() => parseQuery(q));
    assert.equal(e.message, `this expression nests more than ${MAX_DEPTH} levels deep`);
    assert.deepEqual([e.span.line, e.span.col], [1, col], q.slice(0, 40));
  }
});

test("parentheses add no level: 100,000 of them are read", () => {
  const p = plan("filter " + nest("(", ")", 100_000, 'eventName = "ConsoleLogin"'));
  assert.match(explainPlan(p), /filter +\(+eventName = "ConsoleLogin"\)+/);
});

test(`queries nest ${MAX_QUERY_DEPTH} deep at most (the checker allows one level)`, () => {
  const q = (n: number): string => "filter x in (".repeat(n) + "fields x" + ")".repeat(n);
  assert.match(queryError(() => plan(q(MAX_QUERY_DEPTH - 1))).message, /subqueries can't be nested/);
  const e = queryError(() => parseQuery(q(MAX_QUERY_DEPTH)));
  assert.equal(e.message, `queries nest more than ${MAX_QUERY_DEPTH} deep here`);
  assert.equal(e.span.col, 13 * MAX_QUERY_DEPTH, "at the ( that opens one too many");
});

test("through the built binary: rows at the depth limit, a located error past it, never a stack trace", () => {
  const at = trailq(["query", "filter " + nest("not ", "", MAX_DEPTH - 2, 'eventName = "ConsoleLogin"') + " | fields " + nest("abs(", ")", MAX_DEPTH - 1, "eventVersion") + " as v", EVENTS, "-f", "jsonl", "-q"]);
  assert.equal(at.status, 0, at.stderr.slice(0, 500));
  assert.deepEqual(at.stdout.trim().split("\n").map((l) => JSON.parse(l) as unknown), [{ v: 1.08 }, { v: 1.08 }]);
  for (const args of [["query", "fields " + nest("abs(", ")", MAX_DEPTH, "x"), EVENTS], ["explain", "filter " + nest("not ", "", MAX_DEPTH, "x")]]) {
    const past = trailq(args);
    assert.equal(past.status, 2, past.stderr.slice(0, 500));
    const lines = past.stderr.split("\n");
    assert.equal(lines[0], `error: 1:8: this expression nests more than ${MAX_DEPTH} levels deep`);
    assert.match(lines[1]!, /^1 \| \w+ \w+\W\w+.*…$/, "the line, cut");
    assert.match(lines[2]!, /^ {11}\^{3}$/, "the caret under the outermost not or call");
    assert.doesNotMatch(past.stderr, /internal error|\n\s+at /);
  }
});

/** CPU milliseconds `f` takes (user and system: what the process did, not what the machine's load made it wait). */
function cpuMs(f: () => void): number {
  const before = process.cpuUsage();
  f();
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1000;
}

const CHAINS: Record<string, (n: number) => string> = {
  "a + a + ...": (n) => "fields " + Array(n).fill("eventVersion").join(" + ") + " as s",
  "x or x or ...": (n) => "filter " + Array(n).fill('eventName = "ConsoleLogin"').join(" or "),
  "fields a, a, ...": (n) => "fields " + Array.from({ length: n }, (_, i) => `f${i}`).join(", "),
  "in [1, 2, ...]": (n) => "filter eventVersion in [" + Array.from({ length: n }, (_, i) => i).join(", ") + "]",
};

test("50,000 terms parse, check and plan, in time linear in their number", () => {
  for (const [kind, q] of Object.entries(CHAINS)) {
    const big = q(50_000);
    const small = q(12_500);
    const tSmall = cpuMs(() => plan(small));
    const tBig = cpuMs(() => plan(big));
    // 4 times the terms: about 4 times the time (16 if it were quadratic)
    assert.ok(tBig < Math.max(10 * tSmall, 150), `${kind}: 12,500 terms ${tSmall.toFixed(0)} ms, 50,000 ${tBig.toFixed(0)} ms`);
  }
  // search's terms are joined by and, as a balanced tree too
  assert.match(explainPlan(plan("search " + Array(50_000).fill("x").join(" "))), /filter \(search\) +@message like "x" and/);
});

test("a long chain means what it says: 20,000 terms of + or of or, balanced, give the left-to-right result", async () => {
  const sum = await queryRows("fields " + Array(20_000).fill("1").join(" + ") + " as n | limit 1", [EVENTS], { now: NOW, lookups: [] });
  assert.deepEqual(sum.rows, [{ n: 20_000 }]);
  const many = await queryRows("filter " + Array(20_000).fill('eventName = "Nothing"').join(" or ") + ' or eventName = "ConsoleLogin" | stats count(*) as n', [EVENTS], { now: NOW, lookups: [] });
  assert.deepEqual(many.rows, [{ n: 2 }]);
});

test("a 1 MB query is read or refused in time linear in its length (a quarter of it: about a quarter of the CPU)", () => {
  const sized = (size: number): [string, string, RegExp | undefined][] => {
    const fill = (head: string, unit: string, sep: string): string => head + Array(Math.floor((size - head.length) / (unit.length + sep.length))).fill(unit).join(sep);
    return [
      ["fields a, a, ...", fill("fields ", "a", ", "), undefined],
      ["(((x)))", "filter " + nest("(", ")", size / 2 - 4, "x"), undefined],
      ["unclosed", fill("fields ", "a", ", ") + " )", /no "\(" is open/],
    ];
  };
  const MB = 1 << 20;
  const quarter = sized(MB / 4);
  for (const [i, [kind, q, refused]] of sized(MB).entries()) {
    assert.ok(Math.abs(q.length - MB) < 16, `${kind}: ${q.length}`);
    const ms = (text: string): number =>
      cpuMs(() => {
        if (refused) assert.match(queryError(() => plan(text)).message, refused);
        else plan(text);
      });
    // 4 times the text: about 4 times the CPU (16 if it were quadratic); a second try if a busy
    // machine slowed one of them (CPU time, but a loaded machine's caches slow that too)
    const ratio = (): [number, number] => [ms(quarter[i]![1]), ms(q)];
    let [small, big] = ratio();
    if (big >= Math.max(8 * small, 400)) [small, big] = ratio();
    assert.ok(big < Math.max(8 * small, 400), `${kind}: 256 KB ${small.toFixed(0)} ms, 1 MB ${big.toFixed(0)} ms`);
  }
});

test("errors compiling finds come from the planner, before any file is opened", () => {
  const cases: [string, string, number][] = [
    ["fields 5m", "a time period can only be an argument of bin, datefloor or dateceil", 8],
    ["stats count() by (0s)", "a time period can only be an argument of bin, datefloor or dateceil", 18],
    ["filter f in(y)", 'in needs a list such as ["a", "b"]', 12],
    ["filter x in [/a/]", "a regex can only be used with like, =~, parse or a regex function", 14],
    ["fields regexReplace(eventName, '(', 'x')", "this regex can't be used: missing closing ): `(`", 32],
  ];
  for (const [q, message, col] of cases) {
    const e = queryError(() => plan(q));
    assert.deepEqual([e.message, e.span.col], [message, col], q);
    // the binary says so before it looks at the inputs (there are none here)
    const r = trailq(["query", q, join(ROOT, "no", "such", "folder")]);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.split("\n")[0], `error: 1:${col}: ${message}`);
  }
});
