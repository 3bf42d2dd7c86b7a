// Property tests (fast-check): whatever the text, parse → check → plan → explain (and the SQL
// translation) gives a plan or a QueryError pointing into the query, never another exception (a
// stack overflow, a TypeError...) — the promise the command makes with its exit codes. The texts
// are the repository's real queries (corpus.ts) taken apart and put back wrong, queries generated
// from the grammar, deep nestings on both sides of the limit, and long chains.
//
// Each property runs for a bounded time (TIME_MS), so CI stays fast; a failure prints fast-check's
// seed and path to replay it (fc.assert's `seed` and `path` options). Longer runs:
// TRAILQ_FUZZ_MS=60000 node --test dist/test/lang/fuzz.test.js
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseQuery } from "../../src/lang/index.js";
import { ALL_TOKENS, QueryLexer } from "../../src/lang/lexer.js";
import { Lexer } from "../../src/lang/chevrotain.js";
import { MAX_DEPTH } from "../../src/lang/nodes.js";
import { buildPlan } from "../../src/plan/build.js";
import { explainPlan } from "../../src/plan/explain.js";
import { translatePlan } from "../../src/sql/translate.js";
import { QueryError, UserError, spanAt } from "../../src/errors.js";
import { LookupTables } from "../../src/lookup/tables.js";
import { functionNames } from "../../src/functions/registry.js";
import { COMMAND_NAMES } from "../../src/lang/index.js";
import { corpus } from "./corpus.js";

const TIME_MS = Number(process.env["TRAILQ_FUZZ_MS"] ?? 1500);
const NOW = Date.parse("2026-11-05T00:00:00Z");
const LOOKUPS = new LookupTables([]);

/**
 * What the command does with a query before reading anything. Returns "plan" or "error"; throws
 * (failing the property) on anything but a QueryError with a span inside the text.
 */
function check(q: string): "plan" | "error" {
  try {
    const plan = buildPlan(parseQuery(q), { now: NOW, lookups: LOOKUPS });
    explainPlan(plan);
    try {
      translatePlan(plan, { dialect: "athena" });
    } catch (e) {
      // what SQL can't say is a message about the translation, not a crash
      if (!(e instanceof UserError) || e instanceof QueryError) throw e;
    }
    return "plan";
  } catch (e) {
    if (!(e instanceof QueryError)) throw e;
    const { start, end, line, col } = e.span;
    assert.ok(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= q.length && end > start, `span ${JSON.stringify(e.span)} of ${q.length} characters: ${e.message}`);
    const at = spanAt(q, start);
    assert.deepEqual([line, col], [at.line, at.col], `line and column of ${JSON.stringify(e.span)}: ${e.message}`);
    const shown = e.format(q).split("\n");
    // the message and the line each on one line, the caret under the spot
    assert.ok(shown.length === 3 || (shown.length === 4 && shown[3]!.startsWith("hint: ")), shown.join("\n"));
    assert.match(shown[2]!, /^ +\^+$/);
    assert.doesNotMatch(shown.join(""), /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    return "error";
  }
}

/** `least`: how many texts a run must get through in its time (the big ones are slow). */
function run(name: string, arb: fc.Arbitrary<string>, least = 50): void {
  test(name, (t) => {
    const outcomes = { plan: 0, error: 0 };
    fc.assert(
      fc.property(arb, (q) => {
        outcomes[check(q)]++;
      }),
      { numRuns: 1_000_000, interruptAfterTimeLimit: TIME_MS },
    );
    t.diagnostic(JSON.stringify(outcomes));
    // it ran, and not only into errors (a property over errors alone would test little)
    assert.ok(outcomes.plan >= least / 10 && outcomes.plan + outcomes.error >= least, JSON.stringify(outcomes));
  });
}

// ---------------------------------------------------------------------------------------------
// Real queries taken apart

// the texts that are queries (the docs quote fragments too), templates' {{parameters}} given a
// value so that their mutants get as far as the planner
const SEEDS = corpus()
  .map((q) => q.replace(/\{\{\s*\w+\s*\}\}/g, "10"))
  .filter((q) => {
    try {
      parseQuery(q);
      return true;
    } catch {
      return false;
    }
  });
const TOKENIZED = SEEDS.map((q) => QueryLexer.tokenize(q).tokens.map((t) => t.image)).filter((ts) => ts.length > 0);

/** Odd things to put in: tokens of every kind, characters the lexer refuses, whitespace of all sorts. */
const VOCABULARY = [
  "(", ")", "[", "]", ",", "|", ".", ".x", ":", "=", "==", "!=", "<", "<=", ">", ">=", "=~", "+", "-", "*", "/", "%", "^", "!",
  "and", "or", "not", "in", "like", "as", "by", "asc", "desc", "true", "false", "not like", "not in",
  "0", "-1", "1.5", "1e999", "5m", "1h", "2 hours", '"x"', "'y'", '"', "'", "`", "`a b`", "/re/", "/(/", "{{p}}", "{{", "}}", "#",
  "@timestamp", "@message", "@x", "eventName", "a.b.c", "x[0]", "count(*)", "bin(5m)", "f(", "abs(", "(fields x)", "(filter x = 1",
  "\t", "\n", "\r\n", "\u0000", "\u001b[31m", "\u00a0", "\u2028", "\u202e", "é", "名前", "😀", "§",
  ...COMMAND_NAMES, ...functionNames().slice(0, 40),
];

const mutated: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...TOKENIZED),
    fc.array(
      fc.tuple(fc.constantFrom("insert", "delete", "duplicate", "swap", "vocabulary"), fc.nat(), fc.nat(), fc.constantFrom(...VOCABULARY)),
      { minLength: 1, maxLength: 4 },
    ),
    fc.constantFrom(" ", "", "\n", "\t"),
  )
  .map(([tokens, edits, sep]) => {
    const ts = [...tokens];
    for (const [kind, i, j, word] of edits) {
      const k = i % (ts.length + 1);
      const other = ts[j % Math.max(1, ts.length)] ?? "x";
      if (kind === "insert") ts.splice(k, 0, other);
      else if (kind === "delete") ts.splice(k, 1);
      else if (kind === "duplicate") ts.splice(k, 0, ...ts.slice(k, k + 1 + (j % 4)));
      else if (kind === "swap" && ts.length > 1) [ts[k % ts.length], ts[j % ts.length]] = [ts[j % ts.length]!, ts[k % ts.length]!];
      else ts.splice(k, 0, word);
    }
    return ts.join(sep);
  });

// ---------------------------------------------------------------------------------------------
// Queries from the grammar

const field = fc.constantFrom("eventName", "eventSource", "userIdentity.arn", "requestParameters.bucketName", "@timestamp", "@message", "errorCode", "x", "`a b`", "resources[0].ARN", "n");
const literal = fc.constantFrom("1", "-2.5", "0", '"ConsoleLogin"', "'s3.amazonaws.com'", "/Get.*/", "5m", "1h", "true", "null", "[1, 2]", '["a", "b"]');
const binaryOp = fc.constantFrom("and", "or", "=", "!=", "<", ">=", "like", "not like", "in", "not in", "=~", "+", "-", "*", "/", "%", "^");
const fn = fc.constantFrom(...functionNames());

const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    field,
    literal,
    fc.tuple(tie("expr"), binaryOp, tie("expr")).map(([a, op, b]) => `${a} ${op} ${b}`),
    tie("expr").map((e) => `(${e})`),
    tie("expr").map((e) => `not ${e}`),
    tie("expr").map((e) => `-${e}`),
    fc.tuple(fn, fc.array(tie("expr"), { maxLength: 3 })).map(([f, args]) => `${f}(${args.join(", ")})`),
    fc.array(tie("expr"), { maxLength: 3 }).map((items) => `[${items.join(", ")}]`),
    tie("expr").map((e) => `x in (filter ${e} | fields x)`),
    tie("expr").map((e) => `${e}.key`),
    fc.tuple(tie("expr"), tie("expr")).map(([a, b]) => `${a}[${b}]`),
  ),
}));

const aggregate = fc.tuple(fc.constantFrom("count", "sum", "avg", "min", "max", "count_distinct", "earliest", "latest", "pct", "stddev"), expr).map(([a, e]) => (a === "count" ? "count(*)" : a === "pct" ? `pct(${e}, 90)` : `${a}(${e})`));
const alias = fc.option(fc.constantFrom("n", "t", "x", "`a b`"), { nil: undefined }).map((a) => (a ? ` as ${a}` : ""));
const command = fc.oneof(
  fc.array(fc.tuple(expr, alias).map(([e, a]) => e + a), { minLength: 1, maxLength: 3 }).map((xs) => `fields ${xs.join(", ")}`),
  fc.array(fc.tuple(expr, alias).map(([e, a]) => e + a), { minLength: 1, maxLength: 3 }).map((xs) => `display ${xs.join(", ")}`),
  expr.map((e) => `filter ${e}`),
  fc.tuple(fc.array(fc.tuple(aggregate, alias).map(([e, a]) => e + a), { minLength: 1, maxLength: 2 }), fc.array(expr, { maxLength: 2 })).map(([a, by]) => `stats ${a.join(", ")}${by.length ? ` by ${by.join(", ")}` : ""}`),
  fc.array(fc.tuple(expr, fc.constantFrom("", " asc", " desc")).map(([e, d]) => e + d), { minLength: 1, maxLength: 2 }).map((ks) => `sort ${ks.join(", ")}`),
  fc.nat(100).map((n) => `limit ${n}`),
  fc.tuple(expr, fc.constantFrom('"* *" as a, b', "/(?<code>\\d+)/", "logfmt as m")).map(([e, p]) => `parse ${e} ${p}`),
  expr.map((e) => `dedup ${e}`),
  expr.map((e) => `unnest ${e} into item`),
  fc.constantFrom("search ERROR", "search \"a b\" -c", "pattern @message", "countFrequent eventName", "fillmissing", "addtotals", "filldown n", "accum n", "estimate", "relevantfields"),
);
const generated = fc.array(command, { minLength: 1, maxLength: 4 }).map((cs) => cs.join(" | "));

// ---------------------------------------------------------------------------------------------
// Deep and long

const wrapper = fc.constantFrom<[string, string]>(["(", ")"], ["not ", ""], ["- ", ""], ["abs(", ")"], ["[", "]"], ["x[", "]"], ["concat(x, ", ")"], ["!", ""], ["x ^ ", ""], ["x - ", ""]);
/** Nestings around the limit, of one kind or mixed. */
const deep = fc
  .tuple(fc.array(wrapper, { minLength: 1, maxLength: 3 }), fc.integer({ min: MAX_DEPTH - 20, max: MAX_DEPTH + 20 }), fc.constantFrom("filter ", "fields ", "stats count(*) by ", "sort "))
  .map(([ws, n, head]) => {
    let open = "";
    let close = "";
    for (let i = 0; i < n; i++) {
      const [o, c] = ws[i % ws.length]!;
      open += o;
      close = c + close;
    }
    return head + open + "eventName" + close;
  });
const chain = fc
  .tuple(fc.constantFrom("and", "or", "+", "*", "-", "=", "^", ",", "in"), fc.integer({ min: 2, max: 5_000 }), fc.constantFrom("filter ", "fields ", "stats count(*) by ", "display "))
  .map(([op, n, head]) => (op === "in" ? `${head}x in [${Array.from({ length: n }, (_, i) => i).join(", ")}]` : head + Array(n).fill("x").join(` ${op} `)));

run("real queries with tokens inserted, deleted, duplicated, swapped: a plan or a QueryError at a place in the text", mutated);
run("queries from the grammar: a plan or a QueryError at a place in the text", generated);
run("nesting on both sides of the limit, long chains: a plan or a QueryError, never an overflow", fc.oneof(deep, chain), 5);

test("the depth limit is where the docs say: MAX_DEPTH levels read, one more refused at its place", () => {
  for (const [o, c] of [["not ", ""], ["abs(", ")"], ["- ", ""], ["[", "]"], ["x[", "]"]] as const) {
    const q = (n: number): string => `fields ${o.repeat(n)}eventName${c.repeat(n)}`;
    assert.equal(check(q(MAX_DEPTH - 1)), "plan", `${o} × ${MAX_DEPTH - 1}`);
    const text = q(MAX_DEPTH);
    assert.throws(() => parseQuery(text), (e: unknown) => e instanceof QueryError && e.message === `this expression nests more than ${MAX_DEPTH} levels deep`, `${o} × ${MAX_DEPTH}`);
  }
});

test("the lexer reads the same as chevrotain's unoptimised lexer (the program runs the optimised one)", () => {
  const safe = new Lexer(ALL_TOKENS, { ensureOptimizations: false, safeMode: true, positionTracking: "onlyOffset", skipValidations: true });
  const pieces = fc.constantFrom(...VOCABULARY, "a", "Z_9", "@", "`", "1", "9.", ".5", " ", "\u3000", "\ufeff", "\v", "\f", "\u0085", "e", "ms", "x.`y`");
  fc.assert(
    fc.property(fc.array(pieces, { maxLength: 12 }).map((ps) => ps.join("")), (s) => {
      const shape = (r: ReturnType<typeof safe.tokenize>): unknown => [r.tokens.map((t) => [t.tokenType.name, t.startOffset, t.image]), r.errors.map((e) => e.offset)];
      assert.deepEqual(shape(QueryLexer.tokenize(s)), shape(safe.tokenize(s)));
    }),
    { numRuns: 1_000_000, interruptAfterTimeLimit: Math.min(TIME_MS, 800) },
  );
});
