// The parser: AST shapes, every AWS sample query, and errors in user words.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseQuery } from "../../src/lang/index.js";
import { QueryParser } from "../../src/lang/parser.js";
import { makeLexer } from "../../src/lang/lexer.js";
import type { Command, Expr } from "../../src/lang/ast.js";
import { QueryError } from "../../src/errors.js";
import { queryRows } from "../../src/api.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const EXAMPLES = JSON.parse(readFileSync(ROOT + "test/lang/aws-examples.json", "utf8")) as { section: string; query: string }[];

/** An expression as compact text: (op left right), for asserting tree shapes. */
function sx(e: Expr): string {
  switch (e.kind) {
    case "binary":
      return `(${e.op} ${sx(e.left)} ${sx(e.right)})`;
    case "unary":
      return `(${e.op} ${sx(e.operand)})`;
    case "call":
      return `${e.name}(${e.star ? "*" : e.args.map(sx).join(" ")})`;
    case "field":
      return e.segments.join("|");
    case "number":
      return String(e.value);
    case "string":
      return JSON.stringify(e.value);
    case "regex":
      return `/${e.pattern}/`;
    case "period":
      return `${e.amount}${e.unit}`;
    case "bool":
      return String(e.value);
    case "list":
      return `[${e.items.map(sx).join(" ")}]`;
    case "member":
      return `${sx(e.target)}.${e.key}`;
    case "index":
      return `${sx(e.target)}[${sx(e.index)}]`;
    case "subquery":
      return "(subquery)";
    case "param":
      return `{{${e.name}}}`;
  }
}

function filterExpr(q: string): string {
  const c = parseQuery(q).commands[0] as Extract<Command, { kind: "filter" }>;
  return sx(c.expr);
}

function parseError(q: string): QueryError {
  try {
    parseQuery(q);
  } catch (e) {
    if (e instanceof QueryError) return e;
    throw e;
  }
  assert.fail(`expected a syntax error for ${q}`);
}

test("operator precedence: or < and < not < comparison < + - < * / % < ^ < unary minus", () => {
  assert.equal(filterExpr("filter a = 1 or b = 2 and not c = 3"), "(or (= a 1) (and (= b 2) (not (= c 3))))");
  assert.equal(filterExpr("filter a + b * c ^ d ^ e > -f"), "(> (+ a (* b (^ c (^ d e)))) (- f))");
  assert.equal(filterExpr("filter (a or b) and c"), "(and (or a b) c)");
  assert.equal(filterExpr("filter x not like /a/ and y not in [1, 'b'] and z =~ /c/"), '(and (and (not like x /a/) (not in y [1 "b"])) (=~ z /c/))');
});

test("literals: numbers, strings with escapes, regexes, periods, booleans, lists", () => {
  assert.equal(filterExpr(`filter a = -1.5 or b = 1e3 or c = "x\\"y\\n" or d = 'it\\'s'`), `(or (or (or (= a -1.5) (= b 1000)) (= c "x\\"y\\n")) (= d "it's"))`);
  assert.equal(filterExpr("filter a like /a\\/b(?i)/"), "(like a /a/b(?i)/)");
  assert.equal(filterExpr("filter x = true and y = FALSE"), "(and (= x true) (= y false))");
  assert.equal(filterExpr("filter userIdentity.accessKeyId = {{ accessKeyId }} and n > {{min}}"), "(and (= userIdentity|accessKeyId {{accessKeyId}}) (> n {{min}}))");
  const periods = (parseQuery("stats count(*) by bin(5m), bin(100ms), bin(2hours), bin(1mo), bin(1q), bin(3mins), bin(1y)").commands[0] as Extract<Command, { kind: "stats" }>).by.map((p) => sx(p.expr));
  assert.deepEqual(periods, ["bin(5m)", "bin(100ms)", "bin(2h)", "bin(1mo)", "bin(1q)", "bin(3m)", "bin(1y)"]);
});

test("field names: dotted, array indexes, backticks, system fields, command words as fields", () => {
  const f = parseQuery("fields userIdentity.sessionContext.sessionIssuer.userName, resources[0].ARN, resources.1.type, `requestParameters.x-amz-id-2`, m.`odd.key`, @`aws.tag`, source, status, pattern")
    .commands[0] as Extract<Command, { kind: "fields" }>;
  assert.deepEqual(f.items.map((i) => sx(i.expr)), [
    "userIdentity|sessionContext|sessionIssuer|userName",
    "resources|0|ARN",
    "resources|1|type",
    "requestParameters.x-amz-id-2",
    "m|odd.key",
    "@aws.tag",
    "source",
    "status",
    "pattern",
  ]);
  assert.equal(f.items[1]!.expr.text, "resources[0].ARN");
});

test("member and index access on calls", () => {
  const f = parseQuery("fields jsonParse(@message).a.b, split(x, ',')[0]").commands[0] as Extract<Command, { kind: "fields" }>;
  assert.deepEqual(f.items.map((i) => sx(i.expr)), ["jsonParse(@message).a.b", 'split(x ",")[0]']);
});

test("division and regex are told apart by position", () => {
  assert.equal(filterExpr("filter a / 2 > b / c"), "(> (/ a 2) (/ b c))");
  assert.equal(filterExpr("filter (a) / 2 = 1 and x like /re/"), "(and (= (/ a 2) 1) (like x /re/))");
});

test("a regex may follow the command word search; search as a field still divides", () => {
  for (const q of ["fields x | search /a/ or /b/", "filter x in (search /a/ | fields x)"]) assert.doesNotThrow(() => parseQuery(q), q);
  const first = parseQuery("search /a|b/").commands[0] as Extract<Command, { kind: "generic" }>;
  assert.deepEqual(first.args.map((a) => (a.kind === "expr" ? sx(a.expr) : a.kind)), ["/a|b/"]);
  assert.equal(filterExpr("filter search / 2 > x / 4"), "(> (/ search 2) (/ x 4))");
});

test("every command's shape", () => {
  const q = parseQuery(`
    fields a, b as c
    | display d
    | where e > 1 | filterIndex f = "g"
    | stats count(*) as n, avg(x) by bin(1h) as t, h offset 30m
    | order n desc, t
    | parse @message "[*] *" as level, msg
    | parse /(?<code>\\d+)/ multi
    | parse m logfmt as lf
    | dedup a, b
    | unnest list into item
    | limit any 5 | head 2 | tail 3
    | lookup users id OUTPUT name, email
    | SOURCE logGroups(namePrefix: ["x"]) START=-1w END=0s`);
  const kinds = q.commands.map((c) => `${c.kind}:${c.keyword}`);
  assert.deepEqual(kinds, [
    "fields:fields", "display:display", "filter:where", "filter:filterIndex", "stats:stats", "sort:order", "parse:parse", "parse:parse", "parse:parse",
    "dedup:dedup", "unnest:unnest", "limit:limit", "limit:head", "limit:tail", "generic:lookup", "source:SOURCE",
  ]);
  const stats = q.commands[4] as Extract<Command, { kind: "stats" }>;
  assert.deepEqual(stats.aggs.map((a) => [a.expr.text, a.alias]), [["count(*)", "n"], ["avg(x)", undefined]]);
  assert.deepEqual(stats.by.map((a) => [a.expr.text, a.alias]), [["bin(1h)", "t"], ["h", undefined]]);
  assert.equal(stats.offset?.text, "30m");
  const sort = q.commands[5] as Extract<Command, { kind: "sort" }>;
  assert.deepEqual(sort.keys.map((k) => k.dir), ["desc", undefined]);
  const [glob, regex, logfmt] = q.commands.slice(6, 9) as Extract<Command, { kind: "parse" }>[];
  assert.deepEqual([glob!.mode, glob!.pattern, glob!.names, glob!.source?.text], ["glob", "[*] *", ["level", "msg"], "@message"]);
  assert.deepEqual([regex!.mode, regex!.pattern, regex!.multi, regex!.source], ["regex", "(?<code>\\d+)", true, undefined]);
  assert.deepEqual([logfmt!.mode, logfmt!.names], ["logfmt", ["lf"]]);
  const limit = q.commands[11] as Extract<Command, { kind: "limit" }>;
  assert.deepEqual([limit.count, limit.any], [5, true]);
  const lookup = q.commands[14] as Extract<Command, { kind: "generic" }>;
  assert.deepEqual(lookup.args.map((a) => a.kind), ["expr", "expr", "keyword", "expr", "comma", "expr"]);
  const source = q.commands[15] as Extract<Command, { kind: "source" }>;
  assert.deepEqual(source.args.map((a) => a.kind + (a.kind === "option" ? ":" + a.name : "")), ["expr", "option:START", "option:END"]);
});

test("commands that a later version runs still parse into a generic shape", () => {
  const qs = [
    "fields a | filldown host cpu*",
    "stats count(*) as n by x | addtotals row=true col=true fieldname=Total n",
    "fields @message | pattern @message | anomaly",
    "diff previousWeek",
    "fields a | join type=left left=o right=p where o.id=p.id (SOURCE 'payments' | filter ok = 1)",
    "filter requestId in (SOURCE 'x' | filter status = 'FAILED' | fields requestId) | fields requestId",
    "fields a | appendcols override=true max=10 (stats count(*) as c)",
    "fields x | autoregress bytes p=1-4 | accum bytes as total | sessionize maxspan=30m by user",
    "stats avg(l) as a by bin(1m) | fillmissing with 0 for a",
    "fields b | outlier b | countFrequent b | estimate",
    "SOURCE lg start=-1d end=now | logcompare timeshift 7d",
    "relevantfields Controller, Path where Time > 400",
    "json field=requestContext \"identity.sourceIp\" as caller_ip",
    "fields a | unmask | expand items | cidrlookup nets ip OUTPUT region",
  ];
  for (const q of qs) assert.doesNotThrow(() => parseQuery(q), q);
});

test("every AWS sample query parses (all but the one with a bare URL, which is an error)", () => {
  let parsed = 0;
  for (const { section, query } of EXAMPLES) {
    if (query.includes("http://34.250.27.141/")) {
      const e = parseError(query);
      assert.equal(e.span.line, 2);
      continue;
    }
    assert.doesNotThrow(() => parseQuery(query), `${section}: ${query}`);
    parsed++;
  }
  assert.equal(parsed, EXAMPLES.length - 1);
  assert.ok(parsed >= 60);
});

test("every AWS sample query runs on CloudTrail (all but the one with a bare URL); unknown @ fields are absent, with a warning", async () => {
  // a day of one account and region of the sample trail (the whole trail takes a minute: the glob
  // "* [*] *" of a parse example over every event's JSON is slow)
  const day = ROOT + "fixtures/sample-trail/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01";
  const outcomes = new Map<string, { rows: number; warnings: string[] }>();
  for (const { section, query } of EXAMPLES) {
    if (query.includes("http://34.250.27.141/")) continue;
    const r = await queryRows(query, [day]);
    outcomes.set(query, { rows: r.rows.length, warnings: r.warnings });
    assert.ok(section.startsWith("8.2") ? r.warnings.length === 0 : true, `${query}: ${r.warnings.join("\n")}`);
  }
  assert.equal(outcomes.size, EXAMPLES.length - 1);
  assert.ok(EXAMPLES.filter((e) => e.section.startsWith("8.2")).length >= 10);
  // Lambda's fields are not CloudTrail's: the query runs, finds nothing, and says why
  const lambda = EXAMPLES.filter((e) => e.section.startsWith("8.3")).map((e) => outcomes.get(e.query)!);
  assert.equal(lambda.length, 3);
  for (const o of lambda) assert.match(o.warnings.join("\n"), /has @type.*: .*not system fields/);
  assert.match(lambda[2]!.warnings.join("\n"), /has @requestId; did you mean requestID\?/);
  const parsed = outcomes.get(EXAMPLES.find((e) => e.query.includes("(?<user2>"))!.query)!;
  assert.deepEqual(parsed.warnings, ["no event has @method2 or @user2: they are not system fields (those are @timestamp, @message, @logStream, @log, @ingestionTime, @ptr), so they are absent"]);
  const tls = await queryRows('filter tlsDetails.tlsVersion in [ "TLSv1", "TLSv1.1" ] | stats count(*) as n', [ROOT + "fixtures/sample-trail"]);
  assert.deepEqual(tls.rows, [{ n: 12 }]);
});

test("syntax errors: located, in user words, with a did-you-mean for commands", () => {
  const cases: [string, RegExp, number, number, string?][] = [
    ["stast count(*)", /expected a command .* but found "stast"/, 1, 1, "did you mean `stats`?"],
    ["fields a\n| filtr a = 1", /found "filtr"/, 2, 3, "did you mean `filter`?"],
    ['filter a = "x', /unterminated string/, 1, 12],
    ["filter a like /x", /unterminated regex/, 1, 15],
    ["fields `a", /unterminated `quoted name`/, 1, 8],
    ["filter a = | limit 1", /expected an expression after "=" but found "\|"/, 1, 12],
    ["fields a |", /expected a command after "\|"/, 1, 10],
    ["", /the query is empty/, 1, 1],
    ["fields a | count()", /count\(\) is an aggregate function/, 1, 12],
    ["fields (a", /expected "\)" but found the end of the query/, 1, 10],
    ["fields a b", /unexpected "b"/, 1, 10],
    ["filter x like /a/i", /flags after a regex/, 1, 18],
    ["fields a § b", /unexpected character "§"/, 1, 10],
    ["limit ten", /expected a number/, 1, 7],
    ["parse @message as x", /parse needs a pattern/, 1, 16],
  ];
  for (const [q, msg, line, col, hint] of cases) {
    const e = parseError(q);
    assert.match(e.message, msg, q);
    assert.deepEqual([e.span.line, e.span.col], [line, col], `${q}: ${e.format(q)}`);
    if (hint) assert.equal(e.hint, hint);
  }
});

test("an error prints the line, a caret under the spot, and the hint", () => {
  const q = "filter eventName = 'ConsoleLogin'\n  | stast count(*) by awsRegion";
  assert.equal(
    parseError(q).format(q),
    [
      'error: 2:5: expected a command (fields, filter, stats, sort, limit, parse, dedup, display, ...) but found "stast"',
      "2 |   | stast count(*) by awsRegion",
      "        ^^^^^",
      "hint: did you mean `stats`?",
    ].join("\n"),
  );
});

test("grammar/grammar.json is the parser's grammar (regenerate: node dist/src/lang/print-grammar.js)", async () => {
  const { serializedGrammar } = await import("../../src/lang/print-grammar.js");
  assert.equal(readFileSync(ROOT + "grammar/grammar.json", "utf8"), serializedGrammar());
});

test("docs/language.md documents every function of the registry", async () => {
  const { ALL_FUNCTIONS } = await import("../../src/functions/registry.js");
  // as the tables render: `\|` is a | inside a cell
  const doc = readFileSync(ROOT + "docs/language.md", "utf8").replace(/\\\|/g, "|");
  const missing = ALL_FUNCTIONS.filter((f) => !doc.includes("`" + f.signature + "`")).map((f) => f.name);
  assert.deepEqual(missing, [], "regenerate the function tables of docs/language.md");
});

test("the tokens and the grammar pass chevrotain's checks, at one token of lookahead (the program skips them)", () => {
  assert.doesNotThrow(() => new QueryParser(true));
  assert.deepEqual(makeLexer(true).lexerDefinitionErrors, []);
});

test("a string holding curly quotes (pasted from a document) is one string, and the plan says so: one straight quote among curly ones joined two values", async () => {
  const { buildPlan } = await import("../../src/plan/build.js");
  const q = parseQuery('filter eventName in ["ConsoleLogin\u201d, \u201cGetObject"] | stats count(*)');
  assert.deepEqual(buildPlan(q, { now: 0 }).warnings, [
    'the string "ConsoleLogin\u201d, \u201cGetObject" holds curly quotes (\u201d U+201D, \u201c U+201C), as text pasted from a document does: the language\'s quotes are " and \', so all of it is one string; retype the quotes if it was meant as several',
  ]);
  assert.deepEqual(buildPlan(parseQuery("filter x = '\u2018a\u2019'"), { now: 0 }).warnings.length, 1);
  assert.deepEqual(buildPlan(parseQuery('filter eventName = "ConsoleLogin" # a \u201ccomment\u201d'), { now: 0 }).warnings, []);
});

test("a character pasted from a document gets a hint naming it and what to type", () => {
  const hint = (q: string): string | undefined => {
    try {
      parseQuery(q);
    } catch (e) {
      return (e as { hint?: string }).hint;
    }
    return "parsed";
  };
  assert.equal(hint("filter eventName = \u201cx\u201d"), 'U+201C is a curly quote, as a document or chat writes it: type " (or \')');
  assert.equal(hint("filter readOnly \u2013 1 = 0"), "U+2013 looks like - but is another character (pasted text?): type -");
  assert.equal(hint("filter readOnly \u2212 1 = 0"), "U+2212 looks like - but is another character (pasted text?): type -");
  assert.equal(hint("\ufb01lter eventName = 1"), "U+FB01 looks like fi but is another character (pasted text?): type fi");
  assert.equal(hint("fields eventName \uff5c limit 1"), "U+FF5C looks like | but is another character (pasted text?): type |");
  assert.equal(hint("filter eventN\u0430me = 1"), "U+0430 looks like a but is another character (pasted text?): type a");
  assert.equal(hint("filter a = 1 \\\n| limit 1"), "a query goes on over lines as it is: no \\ is needed at a line's end");
  assert.equal(hint("filter a = 1 \u00a7"), undefined);
});
