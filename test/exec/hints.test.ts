// What counts as a likely misspelling, and how unknown @ names are checked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { damerauLevenshtein, likelyName } from "../../src/errors.js";
import { parseQuery } from "../../src/lang/index.js";
import { buildPlan } from "../../src/plan/build.js";
import { eventReads } from "../../src/plan/reads.js";
import { QueryError } from "../../src/errors.js";
import { shortTime } from "../../src/exec/hints.js";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { queryRows } from "../../src/api.js";
import { tempDir } from "../temp.js";

test("Damerau-Levenshtein: a swap of neighbours is one edit", () => {
  assert.equal(damerauLevenshtein("eventNmae", "eventName"), 1);
  assert.equal(damerauLevenshtein("eventname", "eventName"), 1);
  assert.equal(damerauLevenshtein("", "abc"), 3);
  assert.equal(damerauLevenshtein("abc", "abc"), 0);
  assert.equal(damerauLevenshtein("ca", "abc"), 3); // the optimal string alignment form
});

test("a likely name: a change of case, or a small edit for a long enough name; the closest, then the commonest", () => {
  const have = ["eventName", "eventTime", "userIdentity.userName", "requestID", "sourceIPAddress", "arn", "ip", "errorCode", "recipientAccountId"];
  const cases: [string, string | undefined][] = [
    ["eventname", "eventName"],
    ["EVENTNAME", "eventName"],
    ["eventNmae", "eventName"],
    ["evntName", "eventName"],
    ["userIdentity.username", "userIdentity.userName"],
    ["useridentity.username", "userIdentity.userName"],
    ["sourceIpAddres", "sourceIPAddress"],
    ["@requestId", "requestID"],
    ["ARN", "arn"], // short names: case only
    ["id", undefined],
    ["arm", undefined],
    ["request", undefined], // a word of its own, not a typo of requestID
    ["errorMessage", undefined],
    ["eventName", undefined], // itself is not a suggestion
    ["recipientAcountID", "recipientAccountId"], // two edits (and case) in a long name
  ];
  // siblings two edits apart are other fields, not typos
  assert.equal(likelyName("eventType", ["eventTime", "eventName"]), undefined);
  for (const [name, want] of cases) assert.equal(likelyName(name, have), want, name);
  // the closest without case, then with case, then the commonest
  const counts = new Map([["userName", 3], ["username", 40], ["eventName", 3], ["eventNames", 40]]);
  const weight = (c: string): number => counts.get(c)!;
  assert.equal(likelyName("UserName", counts.keys(), weight), "userName");
  assert.equal(likelyName("usrname", counts.keys(), weight), "username");
  assert.equal(likelyName("eventNameX", counts.keys(), weight), "eventNames");
});

test("an @ name that is not a system field is read from the events; a near miss of one is an error", () => {
  const plan = buildPlan(parseQuery("filter @type = 'REPORT' | fields @requestId, @duration"));
  assert.deepEqual(eventReads(plan).fields, [["@type"], ["@requestId"], ["@duration"]]);
  for (const [q, hint] of [["fields @timestmp", "`@timestamp`"], ["fields @Message", "`@message`"], ["fields @logstream", "`@logStream`"]] as const) {
    assert.throws(() => buildPlan(parseQuery(q)), (e: unknown) => e instanceof QueryError && /unknown system field/.test(e.message) && e.hint === `did you mean ${hint}?`, q);
  }
});

test("dashed names: a - between fields written without spaces is noted with the key it may mean", () => {
  const reads = eventReads(buildPlan(parseQuery("filter requestParameters.object-lock = 1 and a - b > 0 | fields x-y-z, `p-q`, c-1")));
  assert.deepEqual(
    reads.dashed.map((d) => [d.text, d.path, d.reads]),
    [
      ["requestParameters.object-lock", ["requestParameters", "object-lock"], ["requestParameters.object", "lock"]],
      ["x-y-z", ["x-y-z"], ["x", "y", "z"]],
      ["x-y", ["x-y"], ["x", "y"]],
    ],
  );
  // the scan extracts the keys they may mean
  assert.ok(reads.paths!.some((p) => p.join("/") === "requestParameters/object-lock"));
});

test("times in the range warning: to the minute, to the second when it has seconds", () => {
  assert.equal(shortTime(Date.parse("2024-01-01T00:00:00Z")), "2024-01-01 00:00");
  assert.equal(shortTime(Date.parse("2024-01-01T10:20:30.456Z")), "2024-01-01 10:20:30");
});

test("a name some event has is never called missing, though no event parsed had it; a name most files lack is still found in a trail of small files", async () => {
  const dir = tempDir("hints-files");
  try {
    const ev = (n: number, extra: Record<string, unknown>): Record<string, unknown> => ({ eventTime: `2024-01-01T00:00:${String(n).padStart(2, "0")}Z`, eventID: `h${n}`, eventSource: "iam.amazonaws.com", ...extra });
    writeFileSync(join(dir, "a.json"), JSON.stringify({ Records: [1, 2, 3].map((n) => ev(n, { eventName: "ConsoleLogin", requestParameters: null })) }));
    writeFileSync(join(dir, "b.json"), JSON.stringify({ Records: [ev(4, { eventName: "CreateUser", requestParameters: { userName: "m" } }), ev(5, { eventName: "AdminGetUser", requestParameters: { username: "x" } })] }));
    // b.json is ruled out by the filter's text: userName is in it all the same
    const r = await queryRows('filter eventName = "ConsoleLogin" | stats count(*) by requestParameters.userName', [dir]);
    assert.deepEqual(r.warnings.filter((w) => /did you mean/.test(w)), []);
    // 300 files of one event each, 10 of them with errorCode: the misspelling is named
    const many = join(dir, "many");
    mkdirSync(many);
    for (let i = 0; i < 300; i++) writeFileSync(join(many, `f${String(i).padStart(3, "0")}.json`), JSON.stringify({ Records: [ev(i % 60, { eventName: "GetObject", eventID: `m${i}`, ...(i % 30 === 11 ? { errorCode: "AccessDenied" } : {}) })] }));
    const m = await queryRows("stats count(*) by errorcode", [many]);
    assert.ok(m.warnings.some((w) => w === "no event has errorcode; did you mean errorCode?"), m.warnings.join("\n"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("no 'no events between' when the filter ruled files out unparsed: they may hold events in the range", async () => {
  const dir = tempDir("hints-range");
  try {
    const ev = (t: string, eventName: string): Record<string, unknown> => ({ eventTime: t, eventID: t + eventName, eventSource: "s3.amazonaws.com", eventName });
    writeFileSync(join(dir, "early.json"), JSON.stringify({ Records: [ev("2024-01-01T00:00:00Z", "ConsoleLogin")] }));
    writeFileSync(join(dir, "late.json"), JSON.stringify({ Records: [ev("2024-01-02T00:00:00Z", "GetObject")] }));
    const range = { start: Date.parse("2024-01-01T12:00:00Z"), end: Date.parse("2024-01-03T00:00:00Z") };
    const filtered = await queryRows('filter eventName = "ConsoleLogin" | stats count(*) as n', [dir], { range });
    assert.deepEqual(filtered.rows, [{ n: 0 }]);
    assert.deepEqual(filtered.warnings.filter((w) => w.startsWith("no events")), []);
    // with nothing ruled out, the range itself is what left nothing
    const empty = await queryRows("stats count(*) as n", [dir], { range: { start: Date.parse("2025-01-01T00:00:00Z") } });
    assert.ok(empty.warnings.some((w) => w.startsWith("no events at or after 2025-01-01 00:00")), empty.warnings.join("\n"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a region with no files and a time range: the region is named, not the range blamed; a range outside a region's files gives their span", async () => {
  const sample = join(process.cwd(), "fixtures", "sample-trail");
  const range = { start: Date.parse("2026-11-02T10:00:00Z"), end: Date.parse("2026-11-02T11:00:00Z") };
  const none = await queryRows("stats count(*) as n", [sample], { range, regions: ["ap-south-1"] });
  assert.deepEqual(none.rows, [{ n: 0 }]);
  assert.deepEqual(none.warnings.filter((w) => w.startsWith("no events")), [
    "no events between 2026-11-02 10:00 and 2026-11-02 11:00 from region ap-south-1: no file of the trail's layout is from it (1,246 files of other accounts or regions pruned by name)",
  ]);
  const late = await queryRows("stats count(*) as n", [sample], { range: { start: Date.parse("2027-01-01T00:00:00Z") }, regions: ["us-east-1"] });
  assert.ok(late.warnings.some((w) => /^no events at or after 2027-01-01 00:00; the files hold events within 2026-1/.test(w)), late.warnings.join("\n"));
});

test("an account or region that selects nothing is said, with no time range too: no file of it, or the events read of others; events without a time that a range leaves out are counted", async () => {
  const sample = join(process.cwd(), "fixtures", "sample-trail");
  for (const workers of ["0", "2"]) {
    process.env["TRAILQ_WORKERS"] = workers;
    try {
      const none = await queryRows("stats count(*) as n", [sample], { regions: ["ap-south-1"] });
      assert.deepEqual(none.rows, [{ n: 0 }]);
      assert.deepEqual(none.warnings.filter((w) => w.startsWith("no events")), ["no events from region ap-south-1: no file of the trail's layout is from it (1,246 files of other accounts or regions pruned by name)"], workers);
      const dir = tempDir("hints-selection");
      try {
        // an export: no folder to prune by, the events' own fields decide
        writeFileSync(join(dir, "export.jsonl"), [
          { eventTime: "2026-11-01T01:00:00Z", eventID: "a", awsRegion: "us-east-1", recipientAccountId: "111122223333" },
          { eventTime: "2026-11-01T02:00:00Z", eventID: "b", awsRegion: "eu-west-1", recipientAccountId: "111122223333" },
          { eventID: "c", eventName: "GetObject", awsRegion: "us-east-1", recipientAccountId: "111122223333" },
        ].map((e) => JSON.stringify(e)).join("\n") + "\n");
        const other = await queryRows("stats count(*) as n", [dir], { regions: ["ap-south-1"] });
        assert.deepEqual(other.warnings.filter((w) => w.startsWith("no events")), ['no events from region ap-south-1: the 3 events read are of other accounts or regions, by their recipientAccountId and awsRegion (a global event a trail of another region wrote in its folder is in no --region answer: filter awsRegion = "..." reads every folder)'], workers);
        const some = await queryRows("stats count(*) as n", [dir], { regions: ["us-east-1"] });
        assert.deepEqual(some.rows, [{ n: 2 }]);
        assert.deepEqual(some.warnings.filter((w) => w.startsWith("no events")), []);
        const ranged = await queryRows("stats count(*) as n", [dir], { range: { start: Date.parse("2026-11-01T00:00:00Z") } });
        assert.deepEqual(ranged.rows, [{ n: 2 }]);
        assert.ok(ranged.warnings.includes("1 event without a usable eventTime is in no time range: --start/--end (or SOURCE's) left it out"), ranged.warnings.join("\n"));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      delete process.env["TRAILQ_WORKERS"];
    }
  }
});

test("a name pasted with letters that only look like others (Cyrillic, an en dash, a no-break space, a zero-width joiner) is named, its odd characters escaped, with the name it looks like", async () => {
  const dir = tempDir("hints-lookalike");
  try {
    const ev = { eventTime: "2024-01-01T00:00:00Z", eventID: "k1", eventSource: "s3.amazonaws.com", eventName: "GetObject", userIdentity: { arn: "arn:aws:iam::1:user/a" }, requestParameters: { "x-amz-id-2": "abc" } };
    writeFileSync(join(dir, "a.json"), JSON.stringify({ Records: [ev] }));
    const cases: [string, string][] = [
      ["`\u0435ventN\u0430me`", "no event has \\u0435ventN\\u0430me: it holds U+0435, U+0430, which look like other characters or show nothing (pasted text?); did you mean eventName?"],
      ["`userIdentity.\u0430rn`", "no event has userIdentity.\\u0430rn: it holds U+0430, which look like other characters or show nothing (pasted text?); did you mean userIdentity.arn?"],
      ["requestParameters.`x\u2013amz\u2013id\u20132`", "no event has requestParameters.x\\u2013amz\\u2013id\\u20132: it holds U+2013, which look like other characters or show nothing (pasted text?); did you mean requestParameters.x-amz-id-2?"],
      ["`eventName\u00a0`", "no event has eventName\\u00a0: it holds U+00A0, which look like other characters or show nothing (pasted text?); did you mean eventName?"],
      ["`event\u200dName`", "no event has event\\u200dName: it holds U+200D, which look like other characters or show nothing (pasted text?); did you mean eventName?"],
    ];
    for (const [field, warning] of cases) {
      const r = await queryRows(`stats count(*) by ${field}`, [dir]);
      assert.deepEqual(r.warnings.filter((w) => /did you mean/.test(w)), [warning], field);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a likely name of the data that holds a bidi control or a character that shows nothing is suggested escaped, and said to be so", async () => {
  const dir = tempDir("hints-hidden-name");
  try {
    const ev = { eventTime: "2024-01-01T00:00:00Z", eventID: "k1", eventName: "GetObject", requestParameters: { "na\u202eme": "x" } };
    writeFileSync(join(dir, "a.json"), JSON.stringify({ Records: [ev] }));
    const r = await queryRows("fields requestParameters.name", [dir]);
    assert.deepEqual(r.warnings.filter((w) => /did you mean/.test(w)), [
      "no event has requestParameters.name; did you mean requestParameters.na\\u202eme? (the events' name holds U+202E: written here as \\u escapes, not text to type)",
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
