// The template library: every bundled template loads, binds and runs; the CIS alarms find exactly
// the scenarios planted in the sample trail; bad templates are reported; users override; no value
// can change a query's structure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadLibrary } from "../../src/templates/library.js";
import { bindTemplate } from "../../src/templates/bind.js";
import { parseTemplate, usesAnchor, type Template } from "../../src/templates/template.js";
import { findAnchor } from "../../src/templates/anchor.js";
import { parseQuery, type Query } from "../../src/lang/index.js";
import { buildPlan } from "../../src/plan/build.js";
import type { Plan } from "../../src/plan/plan.js";
import { runPlan, scanReaderOptions } from "../../src/exec/run.js";
import { Reader } from "../../src/sources/index.js";
import type { Value } from "../../src/exec/values.js";
import { UserError } from "../../src/errors.js";
import { rowObject } from "../../src/output/index.js";
import { hashId } from "../../src/generator/identities.js";
import { refreshedDoc, TEMPLATES_DOC } from "../../src/templates/catalogue.js";
import { queryRows } from "../../src/api.js";
import { sharedRuns } from "../shared-runs.js";
import { tempDir } from "../temp.js";
import { trailq } from "../bin.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SAMPLE = join(ROOT, "fixtures", "sample-trail");
const GOLDEN = join(ROOT, "test", "golden-templates");

const NOW = Date.parse("2026-12-05T00:00:00Z");

/** A template bound as `trailq run` binds it over the sample trail: {{@anchor}} is its newest event. */
async function bound(t: Template, values: Record<string, string>): Promise<Query> {
  const query = parseQuery(t.query);
  if (!usesAnchor(t)) return bindTemplate(t, query, values);
  const anchor = await findAnchor(query, [SAMPLE], { range: {}, now: NOW });
  assert.equal(anchor.from, "last event");
  return bindTemplate(t, query, values, { anchor: anchor.at });
}

/** A template's run over the sample trail, reading as `trailq run` reads: its plan's columns and its rows. */
async function runTemplate(t: Template, values: Record<string, string>): Promise<{ columns: Plan["columns"]; rows: Value[][] }> {
  const plan = buildPlan(await bound(t, values), { now: NOW });
  const out: Value[][] = [];
  await runPlan(plan, new Reader([SAMPLE], { warn: () => {}, ...scanReaderOptions(plan, {}, [SAMPLE]) }), { row: (v) => out.push(v), end: () => {} });
  return { columns: plan.columns, rows: out };
}

/**
 * Each bundled template's run with its defaults (EXAMPLE_VALUES for the few that need a value), made
 * once: the golden rows, the CIS counts and the parameters' defaults below read the same run (each
 * run scans the whole sample trail).
 */
const defaultRuns = sharedRuns<Awaited<ReturnType<typeof runTemplate>>>();
const defaultRun = (t: Template): ReturnType<typeof runTemplate> => defaultRuns(t.id, () => runTemplate(t, EXAMPLE_VALUES[t.id] ?? {}));

/** A bundled template's rows: with its defaults (the shared run) unless values are given. */
async function rows(id: string, values?: Record<string, string>): Promise<Value[][]> {
  const t = loadLibrary(undefined).templates.get(id)!;
  return (values ? await runTemplate(t, values) : await defaultRun(t)).rows;
}

test("at least 40 bundled templates, every one valid, in every category", () => {
  const lib = loadLibrary(undefined);
  assert.deepEqual(lib.problems, []);
  assert.ok(lib.templates.size >= 40, `${lib.templates.size} templates`);
  const cats = new Set([...lib.templates.values()].map((t) => t.category));
  for (const c of ["cis", "detection", "investigation", "operations"] as const) assert.ok(cats.has(c), c);
  const cis = [...lib.templates.values()].filter((t) => t.category === "cis");
  assert.equal(cis.length, 16);
  for (const t of cis) assert.ok(t.metricFilter?.startsWith("{"), `${t.id} keeps its metric-filter pattern`);
  // an empty result never reads as "all clear" beyond a template's scope: each says what it misses
  for (const t of lib.templates.values()) assert.ok(t.doesNotCover, `${t.id} says what it does not cover (# does-not-cover: ...)`);
});

test("# does-not-cover: one sentence, optional in your templates", () => {
  const head = "# id: probe\n# title: probe\n# category: custom\n# description: a probe template\n";
  assert.equal(parseTemplate(head + "# does-not-cover: anything but ConsoleLogin, in CloudWatch.3 terms.\nfilter eventName = 'ConsoleLogin'", "probe", "user").doesNotCover, "anything but ConsoleLogin, in CloudWatch.3 terms.");
  assert.equal(parseTemplate(head + "filter eventName = 'ConsoleLogin'", "probe", "user").doesNotCover, undefined);
  // a byte-order mark before the first header line (Notepad writes one) is no part of it
  assert.equal(parseTemplate("\ufeff" + head + "filter eventName = 'ConsoleLogin'", "probe", "user").id, "probe");
  assert.throws(() => parseTemplate(head + "# does-not-cover: failures. Nor successes.\nfilter eventName = 'x'", "probe", "user"), /doesNotCover: one sentence ending with a full stop/);
  assert.throws(() => parseTemplate(head + "# does-not-cover: failed sign-ins\nfilter eventName = 'x'", "probe", "user"), /doesNotCover: one sentence ending with a full stop/);
});

/** Values for the templates that need one (the entities planted in the sample trail). */
const EXAMPLE_VALUES: Record<string, Record<string, string>> = {
  "activity-by-access-key": { accessKeyId: "AKIA" + hashId("deploy-bot111122223333").slice(0, 16) },
  "activity-by-principal": { principalArn: "arn:aws:iam::111122223333:user/deploy-bot" },
  "activity-by-source-ip": { ip: "185.220.101.45" },
  "activity-on-resource": { resourceId: "sg-0a1b2c3d4e5f6a7b8" },
};

/** What each template finds of the scenarios planted in the sample trail (src/generator/scenarios.ts): text its rows hold. */
const PLANTED: Record<string, string[]> = {
  "access-denied-recon": ["assumed-role/readonly"],
  "access-key-created-for-other-user": ['"targetUser":"alice"'],
  "access-key-multiple-source-ips": ['user/deploy-bot","distinctIps":3'],
  "activity-by-access-key": ["185.220.101.45"],
  "activity-by-principal": ["185.220.101.45"],
  "activity-by-source-ip": ["user/deploy-bot"],
  "activity-on-resource": ["AuthorizeSecurityGroupIngress"],
  "admin-privileges-granted": ["AdministratorAccess", '"requestParameters.groupName":"Admins"', "mallory-all", "break-glass"],
  "assume-role-anomalies": ['"requestParameters.roleArn":"arn:aws:iam::111122223333:role/Admin"'],
  "cis-aws-config-changes": ["StopConfigurationRecorder"],
  "cis-cloudtrail-config-changes": ["StopLogging"],
  "cis-cmk-disabled-or-scheduled-deletion": ["ScheduleKeyDeletion"],
  "cis-console-auth-failures": ["45.155.205.7"],
  "cis-console-signin-without-mfa": ['"userIdentity.userName":"alice"'],
  "cis-iam-policy-changes": ["mallory-all", "AWSCompromisedKeyQuarantineV2"],
  "cis-nacl-changes": ["acl-0f1e2d3c4b5a69788"],
  "cis-network-gateway-changes": ["igw-0123abcd4567ef890"],
  "cis-organizations-changes": ["LeaveOrganization"],
  "cis-root-account-usage": ["198.51.100.23"],
  "cis-root-signin-without-mfa": ["198.51.100.23"],
  "cis-route-table-changes": ["rtb-0aa11bb22cc33dd44"],
  "cis-s3-bucket-policy-changes": ["web-assets-public"],
  "cis-security-group-changes": ['"opensToInternet":1'],
  "cis-unauthorized-api-calls": ["assumed-role/readonly"],
  "cis-vpc-changes": ["vpc-0fedcba9876543210"],
  "cloudtrail-logging-tampered": ["StopLogging"],
  "console-login-new-source-ip": ["102.129.234.5"],
  "console-password-spraying": ['"distinctUsers":7'],
  "deprecated-tls-callers": ["aws-sdk-java/1.11.30"],
  "discovery-burst": ["5.188.206.18"],
  "ec2-userdata-harvesting": ['"instances":12'],
  "ec2-userdata-modified": ["i-0abcdef1234567890"],
  "first-seen-api-per-principal": ['"eventName":"DeactivateMFADevice"', '"eventName":"PutRolePolicy"'],
  "getcalleridentity-recon": ["Pacu/1.5.2"],
  "iam-identities-and-credentials-created": ['"requestParameters.userName":"alice"'],
  "login-profile-changed-for-other-user": ['"targetUser":"alice"'],
  "mfa-removed-or-key-quarantined": ["DeactivateMFADevice", "AWSCompromisedKeyQuarantineV2"],
  "org-and-account-tampering": ["LeaveOrganization"],
  "root-console-sign-in": ["198.51.100.23"],
  "s3-bucket-made-public": ["web-assets-public"],
  "secrets-mass-retrieval": ['"distinctSecrets":22'],
  "security-monitoring-disabled": ["StopConfigurationRecorder"],
  "self-assuming-roles": ["role/lambda-exec"],
  "snapshot-or-image-shared": ["snap-0123456789abcdef0"],
  "suspicious-user-agents": ["TruffleHog"],
  "throttling-by-api-and-caller": ['"eventName":"PutItem","awsRegion":"us-east-1","userIdentity.arn":"arn:aws:sts::111122223333:assumed-role/app-role'],
};

/** The templates that summarise everyday traffic: nothing is planted for them. */
const BACKGROUND = new Set([
  "api-errors-per-hour-by-errorcode", "cloudtrail-ingest-volume-contributors", "console-logins-per-day", "console-write-activity",
  "cross-account-callers", "ec2-instance-lifecycle-changes", "ec2-large-instance-launches", "ec2-launches-by-instance-type-per-day",
  "errors-per-principal", "event-volume-by-service-and-region", "kms-and-secrets-request-hotspots", "last-use-per-access-key",
  "session-stitch", "sigma-high-risk-event-watchlist", "top-talkers", "unapproved-region-activity",
]);

test("every bundled template runs over the sample trail and finds what was planted for it (golden rows)", async () => {
  const lib = loadLibrary(undefined);
  // only the templates that can't run without a value get one: the others run with their defaults
  for (const id of Object.keys(EXAMPLE_VALUES)) assert.ok(lib.templates.get(id)!.params.some((p) => p.default === undefined), `${id} runs with its defaults`);
  for (const t of lib.templates.values()) {
    const run = await defaultRun(t);
    const out = run.rows.map((v) => rowObject(run.columns, v));
    assert.ok(out.length >= 1, `${t.id} finds nothing in the sample trail`);
    const text = "[\n" + out.map((r) => "  " + JSON.stringify(r)).join(",\n") + "\n]\n";
    assert.ok(PLANTED[t.id] || BACKGROUND.has(t.id), `${t.id}: say what the sample trail plants for it (PLANTED), or that it summarises everyday traffic (BACKGROUND)`);
    for (const m of PLANTED[t.id] ?? []) assert.ok(text.includes(m), `${t.id} misses what was planted for it: ${m}`);
    const file = join(GOLDEN, `${t.id}.json`);
    if (process.env["TRAILQ_UPDATE_GOLDEN"] === "1") writeFileSync(file, text);
    assert.equal(text, readFileSync(file, "utf8"), `${t.id}: rows differ from ${file}`);
  }
});

test("the CIS alarms find exactly the scenarios planted in the sample trail", async () => {
  const expected: Record<string, number> = {
    "cis-security-group-changes": 4,
    "cis-nacl-changes": 6,
    "cis-network-gateway-changes": 6,
    "cis-route-table-changes": 7,
    "cis-vpc-changes": 11,
    // 16 IAM policy changes, the admin grant, the quarantine policy, the 4 inline policies of
    // inline-admin-policy, and the Organizations CreatePolicy/DeletePolicy: the CIS pattern names no
    // eventSource
    "cis-iam-policy-changes": 24,
    "cis-cloudtrail-config-changes": 5,
    "cis-cmk-disabled-or-scheduled-deletion": 2,
    // DeletePublicAccessBlock is not in the CIS pattern
    "cis-s3-bucket-policy-changes": 9,
    "cis-aws-config-changes": 4,
    "cis-organizations-changes": 18,
    "cis-root-account-usage": 3,
    "cis-console-signin-without-mfa": 3,
    // root's sign-in without MFA (root-activity), which the CloudWatch.3 pattern leaves out
    "cis-root-signin-without-mfa": 1,
  };
  for (const [id, n] of Object.entries(expected)) assert.equal((await rows(id)).length, n, id);
});

test("parameters: defaults, given values, and a missing required one", async () => {
  // the defaults (10m, 20 APIs, 50 calls) find the recon tool's sweep, not bob's smaller burst
  const defaults = await rows("discovery-burst");
  assert.deepEqual(defaults.map((r) => r.slice(1, 5)), [["arn:aws:iam::111122223333:user/ci-runner", "5.188.206.18", 79, 37]]);
  const burst = await rows("discovery-burst", { window: "5m", minDistinctApis: "10", minCalls: "10" });
  assert.deepEqual(burst.map((r) => r.slice(1, 3)), [
    ["arn:aws:iam::111122223333:user/ci-runner", "5.188.206.18"],
    ["arn:aws:iam::111122223333:user/ci-runner", "5.188.206.18"],
    ["arn:aws:iam::444455556666:user/bob", "52.208.216.145"],
  ], "lower thresholds: the sweep (across two 5-minute buckets) and the planted enumeration burst");
  const t = loadLibrary(undefined).templates.get("activity-by-access-key")!;
  assert.throws(() => bindTemplate(t, parseQuery(t.query), {}), (e: unknown) => e instanceof UserError && /needs accessKeyId=<string>/.test(e.message));
  assert.throws(() => bindTemplate(t, parseQuery(t.query), { accessKeyId: "x", nope: "1" }), /has no parameter nope/);
  // a list: JSON or commas; written any other way it is refused, not split into items that match nothing
  const regions = loadLibrary(undefined).templates.get("unapproved-region-activity")!;
  const bindList = (v: string): unknown => bindTemplate(regions, parseQuery(regions.query), { allowedRegions: v });
  for (const v of ['["us-east-1", "eu-west-1"]', "us-east-1, eu-west-1", '["with space"]']) assert.doesNotThrow(() => bindList(v), v);
  for (const v of ["['us-east-1','eu-west-1']", "us-east-1 eu-west-1", '"us-east-1"', "[us-east-1]", "us-east-1;eu-west-1", "us-east-1|eu-west-1"]) {
    assert.throws(() => bindList(v), (e: unknown) => e instanceof UserError && /allowedRegions/.test(e.message), v);
  }
  // pasted values: white space around a text is no part of it (a no-break space after an access key
  // found nothing); a character that shows nothing is refused, named, in a text and in a list
  const key = (v: string): unknown => (bindTemplate(t, parseQuery(t.query), { accessKeyId: v }) as { commands: unknown[] }).commands;
  assert.deepEqual(key("AKIAIOSFODNN7EXAMPLE\u00a0"), key("AKIAIOSFODNN7EXAMPLE"));
  assert.deepEqual(key(" AKIAIOSFODNN7EXAMPLE "), key("AKIAIOSFODNN7EXAMPLE"));
  for (const bad of ["AKIAIOSFODNN7EXAMPLE\u200b", "AKIA\u200dIOSFODNN7EXAMPLE"]) {
    assert.throws(() => key(bad), (e: unknown) => e instanceof UserError && /accessKeyId holds U\+200[BD], a character that shows nothing/.test(e.message), JSON.stringify(bad));
  }
  assert.throws(() => bindList("us-east-1,\u200bus-west-2"), /allowedRegions holds U\+200B/);
  // a regex's value is the pattern itself: written with slashes it would look for the slashes
  const admin = loadLibrary(undefined).templates.get("admin-privileges-granted")!;
  assert.throws(() => bindTemplate(admin, parseQuery(admin.query), { adminGroupRegex: "/admin/i" }), (e: unknown) => e instanceof UserError && /adminGroupRegex is the pattern itself, without slashes: give \(\?i\)admin/.test(e.message));
  assert.doesNotThrow(() => bindTemplate(admin, parseQuery(admin.query), { adminGroupRegex: "(?i)admin|a/b" }));
});

test("near misses a responder would expect told apart: a user's name in two accounts, a rule opened to every IPv6 address or revoked, a Kali kernel's user agent, a session's own AssumeRole", async () => {
  const ev = (n: number, fields: Record<string, unknown>): string =>
    JSON.stringify({ eventTime: `2023-01-01T00:${String(n).padStart(2, "0")}:00Z`, eventID: `n${n}`, awsRegion: "us-east-1", sourceIPAddress: "198.51.100.7", ...fields });
  const login = (n: number, account: string): string =>
    ev(n, { eventSource: "signin.amazonaws.com", eventName: "ConsoleLogin", recipientAccountId: account, userIdentity: { type: "IAMUser", userName: "admin", accountId: account, arn: `arn:aws:iam::${account}:user/admin` }, responseElements: { ConsoleLogin: "Success" }, additionalEventData: { MFAUsed: "Yes" } });
  const sg = (n: number, eventName: string, cidr: Record<string, string>): string =>
    ev(n, { eventSource: "ec2.amazonaws.com", eventName, recipientAccountId: "111122223333", userIdentity: { arn: "arn:aws:iam::111122223333:user/ops" }, requestParameters: { groupId: `sg-${n}`, ipPermissions: { items: [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, ipRanges: { items: cidr["v4"] ? [{ cidrIp: cidr["v4"] }] : [] }, ipv6Ranges: { items: cidr["v6"] ? [{ cidrIpv6: cidr["v6"] }] : [] } }] } } });
  const lines = [
    login(1, "111111111111"),
    login(40, "222222222222"), // the same name and address, another account: a first login there
    sg(2, "AuthorizeSecurityGroupIngress", { v6: "::/0" }),
    sg(3, "RevokeSecurityGroupIngress", { v4: "0.0.0.0/0" }),
    sg(4, "AuthorizeSecurityGroupIngress", { v4: "10.0.0.0/8" }),
    ev(5, { eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity", userAgent: "Boto3/1.26.0 md/Botocore#1.29.0 ua/2.0 os/linux#6.1.0-kali9-amd64 md/arch#x86_64 lang/python#3.11.2", userIdentity: { arn: "arn:aws:iam::111122223333:user/intruder" } }),
  ];
  const dir = tempDir("near-misses");
  try {
    const file = join(dir, "events.jsonl");
    writeFileSync(file, lines.join("\n") + "\n");
    const fresh = await templateRows("console-login-new-source-ip", [file], { recentHours: "0.5" });
    assert.deepEqual(fresh.map((r) => [r["recipientAccountId"], r["who"]]), [["222222222222", "admin"]]);
    const perDay = await templateRows("console-logins-per-day", [file]);
    assert.deepEqual(perDay.map((r) => [r["recipientAccountId"], r["logins"]]).sort(), [["111111111111", 1], ["222222222222", 1]]);
    const groups = await templateRows("cis-security-group-changes", [file]);
    assert.deepEqual(groups.map((r) => [r["requestParameters.groupId"], r["opensToInternet"]]).sort(), [["sg-2", 1], ["sg-3", 0], ["sg-4", 0]]);
    const agents = await templateRows("suspicious-user-agents", [file]);
    assert.deepEqual(agents.map((r) => r["userIdentity.arn"]), ["arn:aws:iam::111122223333:user/intruder"]);
    // a session that only pivots into another role: its AssumeRole is its own call
    const assume = (n: number, caller: Record<string, unknown>, ip: string, role: string, issued: string): string =>
      ev(n, { eventSource: "sts.amazonaws.com", eventName: "AssumeRole", sourceIPAddress: ip, userIdentity: caller, requestParameters: { roleArn: role }, responseElements: { credentials: { accessKeyId: issued } } });
    writeFileSync(file, [
      assume(10, { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice", accessKeyId: "AKIAALICE" }, "203.0.113.5", "arn:aws:iam::111122223333:role/Dev", "ASIAKEY1"),
      assume(15, { type: "AssumedRole", arn: "arn:aws:sts::111122223333:assumed-role/Dev/s1", accessKeyId: "ASIAKEY1" }, "198.51.100.66", "arn:aws:iam::111122223333:role/Admin", "ASIAKEY2"),
    ].join("\n") + "\n");
    const stitched = await templateRows("session-stitch", [file]);
    assert.deepEqual(stitched.map((r) => [r["sessionKey"], r["obtainedBy"], r["events"], r["sourceIps"]]), [
      ["ASIAKEY2", "arn:aws:sts::111122223333:assumed-role/Dev/s1", 0, 0],
      ["ASIAKEY1", "arn:aws:iam::111122223333:user/alice", 1, 1],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a value can't change the query: it stays one literal", async () => {
  const t = parseTemplate("# id: probe\n# title: probe\n# category: custom\n# description: injection probe\n# param: name string required\nfilter eventName = {{name}} | stats count(*) as n", "probe", "user");
  const evil = '" or 1=1 | stats count(*) as pwned | filter "a" = "a';
  const q = bindTemplate(t, parseQuery(t.query), { name: evil });
  const plan = buildPlan(q);
  assert.deepEqual(plan.columns.map((c) => c.name), ["n"]);
  const out: Value[][] = [];
  await runPlan(plan, new Reader([SAMPLE], { warn: () => {} }), { row: (v) => out.push(v), end: () => {} });
  assert.deepEqual(out, [[0]]);
  assert.throws(() => bindTemplate({ ...t, params: [{ name: "name", type: "number" }] }, parseQuery(t.query), { name: "1 | limit 1" }), /must be a number/);
  for (const v of ["0x10", "0b1", "Infinity", ".5"]) assert.throws(() => bindTemplate({ ...t, params: [{ name: "name", type: "number" }] }, parseQuery(t.query), { name: v }), /must be a number/, v);
  // counts, thresholds and hours: a negative one would find nothing without a word
  assert.throws(() => bindTemplate({ ...t, params: [{ name: "name", type: "number" }] }, parseQuery(t.query), { name: "-24" }), /parameter name must be 0 or more, not -24/);
  // nothing in place of a value (`-p name="$UNSET"`), whatever the type
  for (const type of ["number", "string"] as const) assert.throws(() => bindTemplate({ ...t, params: [{ name: "name", type }] }, parseQuery(t.query), { name: " " }), /parameter name has an empty value \(an unset variable\?\)/, type);
});

test("a bad template is reported with its file and reason; a user template overrides a bundled one", () => {
  const dir = tempDir("templates");
  try {
    writeFileSync(join(dir, "broken.logsinsights"), "# id: Bad Id\n# title: x\nfields a");
    writeFileSync(join(dir, "unknown-param.logsinsights"), "# id: unknown-param\n# title: uses an undeclared parameter\n# category: custom\n# description: the query uses a parameter nobody declared\nfilter a = {{b}}");
    const root = readFileSync(join(ROOT, "templates", "cis-root-account-usage.logsinsights"), "utf8").replace("# title: Root user activity", "# title: Root activity, my way");
    writeFileSync(join(dir, "mine.logsinsights"), root);
    const lib = loadLibrary(dir);
    assert.deepEqual(lib.problems.map((p) => p.file.split("/").pop()), ["broken.logsinsights", "unknown-param.logsinsights"]);
    assert.match(lib.problems[0]!.reason, /id: an id is lower-case/);
    assert.match(lib.problems[1]!.reason, /uses \{\{b\}\} but no "# param: b/);
    const t = lib.templates.get("cis-root-account-usage")!;
    assert.equal(t.title, "Root activity, my way");
    assert.equal(t.origin, "user");
    assert.ok(lib.overridden.has("cis-root-account-usage"));
    assert.ok(lib.templates.size >= 40, "the others still load");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("docs/templates.md's catalogue is made from the template files (node dist/src/templates/catalogue.js)", () => {
  const page = readFileSync(TEMPLATES_DOC, "utf8");
  assert.equal(page, refreshedDoc(page, loadLibrary(undefined)));
});

test("{{@anchor}} binds as a time literal (never text); only trailq run sets it; no other @ name is reserved", async () => {
  const text = "# id: probe\n# title: probe\n# category: custom\n# description: the anchor, bound\nfields {{@anchor}} as anchor, {{@anchor}} - 3600000 as hourBefore | limit 1";
  const t = parseTemplate(text, "probe", "user");
  assert.equal(usesAnchor(t), true);
  assert.equal(usesAnchor(loadLibrary(undefined).templates.get("cis-root-account-usage")!), false);
  const at = Date.parse("2023-03-03T12:34:56.789Z");
  const plan = buildPlan(bindTemplate(t, parseQuery(t.query), {}, { anchor: at }));
  assert.deepEqual(plan.columns.map((c) => [c.name, c.type]), [["anchor", "time"], ["hourBefore", "time"]]);
  const out: Value[][] = [];
  await runPlan(plan, new Reader([SAMPLE], { warn: () => {} }), { row: (v) => out.push(v), end: () => {} });
  assert.deepEqual(out, [[at, at - 3_600_000]]);
  assert.throws(() => bindTemplate(t, parseQuery(t.query), {}), /uses \{\{@anchor\}\}: bind it with its anchor/);
  assert.throws(() => bindTemplate(t, parseQuery(t.query), { "@anchor": "2023-01-01" }, { anchor: at }), (e: unknown) => e instanceof UserError && /@anchor is not a parameter: trailq run sets it/.test(e.message));
  assert.throws(() => parseTemplate(text.replace("{{@anchor}} as anchor", "{{@now}} as anchor"), "probe", "user"), /uses \{\{@now\}\}: the only reserved value is \{\{@anchor\}\}/);
});

test("the anchor: --end (the earlier of it and SOURCE END=), else now for --since, else the newest event read", async () => {
  const q = parseQuery("filter eventName = 'x'");
  assert.deepEqual(await findAnchor(q, [SAMPLE], { range: { end: 5 }, now: NOW }), { at: 5, from: "--end" });
  const withSource = parseQuery("SOURCE END='2026-11-02T00:00:00Z' | filter eventName = 'x'");
  assert.deepEqual(await findAnchor(withSource, [SAMPLE], { range: {}, now: NOW }), { at: Date.parse("2026-11-02T00:00:00Z"), from: "SOURCE END=" });
  assert.deepEqual(await findAnchor(withSource, [SAMPLE], { range: { end: Date.parse("2026-11-03T00:00:00Z") }, now: NOW }), { at: Date.parse("2026-11-02T00:00:00Z"), from: "SOURCE END=" });
  // --since sets only the start: the window ends at the newest event in the range, not at now (a
  // trail a month old judged from today found nothing new, without a word under -q)
  assert.deepEqual(await findAnchor(q, [SAMPLE], { range: { start: NOW - 60 * 86_400_000 }, now: NOW }), { at: Date.parse("2026-11-03T23:59:31Z"), from: "last event" });
  // the newest event of what the query may see: the sample trail's last one, or an account's last one
  const newest = async (query: string): Promise<number> => {
    const r = await queryRows(query, [SAMPLE]);
    return r.rows[0]!["t"] as number;
  };
  const last = await newest("sort @timestamp desc | limit 1 | fields toMillis(@timestamp) as t");
  assert.deepEqual(await findAnchor(q, [SAMPLE], { range: {}, now: NOW }), { at: last, from: "last event" });
  const lastOf = await newest("filter recipientAccountId = '777788889999' | sort @timestamp desc | limit 1 | fields toMillis(@timestamp) as t");
  assert.ok(lastOf < last);
  assert.deepEqual(await findAnchor(q, [SAMPLE], { range: {}, accounts: ["777788889999"], now: NOW }), { at: lastOf, from: "last event" });
  assert.deepEqual(await findAnchor(parseQuery("SOURCE accounts=['777788889999'] | filter eventName = 'x'"), [SAMPLE], { range: {}, now: NOW }), { at: lastOf, from: "last event" });
  assert.deepEqual(await findAnchor(q, [SAMPLE], { range: { start: Date.parse("2030-01-01T00:00:00Z") }, now: NOW }), { at: NOW, from: "no event with a time: now" });
  await assert.rejects(findAnchor(q, ["-"], { range: {}, now: NOW }), /standard input can't be read twice: give --end/);
});

/** A template's rows (as the JSON output writes them) over any inputs. */
async function templateRows(id: string, inputs: string[], values: Record<string, string> = {}): Promise<Record<string, unknown>[]> {
  const t = loadLibrary(undefined).templates.get(id)!;
  const query = parseQuery(t.query);
  // a window's anchor as trailq run finds it: the newest event of the inputs
  const anchor = t.query.includes("{{@anchor}}") ? { anchor: (await findAnchor(query, inputs, { range: {}, now: NOW })).at } : {};
  const plan = buildPlan(bindTemplate(t, query, values, anchor), { now: NOW });
  const out: Record<string, unknown>[] = [];
  // every event counts: Panther's test events (../shared/data) reuse eventIDs, each a case of its own
  await runPlan(plan, new Reader(inputs, { warn: () => {} }), { row: (v) => out.push(rowObject(plan.columns, v)), end: () => {} }, { keepDuplicates: true });
  return out;
}

const iamEvent = (n: number, eventName: string, requestParameters: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ eventTime: `2023-01-01T00:${String(n).padStart(2, "0")}:00Z`, eventSource: "iam.amazonaws.com", eventName, eventID: `e${n}`, requestParameters, ...extra });

test("admin-privileges-granted: inline policies allowing * on * as CloudTrail writes them (JSON text, URL-encoded or not, strings or lists); not Deny, not narrower ones", async () => {
  const doc = (statement: unknown): string => JSON.stringify({ Version: "2012-10-17", Statement: statement });
  const lines = [
    iamEvent(1, "PutUserPolicy", { userName: "u-string", policyName: "p", policyDocument: doc([{ Effect: "Allow", Action: "*", Resource: "*" }]) }),
    // URL-encoded, Statement a single object, Action and Resource lists
    iamEvent(2, "PutRolePolicy", { roleName: "r-encoded", policyName: "p", policyDocument: encodeURIComponent(JSON.stringify({ Version: "2012-10-17", Statement: { Sid: "All", Effect: "Allow", Action: ["*"], Resource: ["*"] } }, null, 2)) }),
    // URL-encoded with a newline before the document
    iamEvent(14, "PutUserPolicy", { userName: "u-encoded-newline", policyName: "p", policyDocument: encodeURIComponent("\n" + doc([{ Effect: "Allow", Action: "*", Resource: "*" }])) }),
    // pretty-printed with tabs, the grant in the second of two statements, with a condition
    iamEvent(3, "PutGroupPolicy", { groupName: "g-second", policyName: "p", policyDocument: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, { Effect: "Allow", Action: ["s3:*", "*"], Resource: ["arn:aws:s3:::b", "*"], Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }] }, null, "\t") }),
    // two granting statements: one row
    iamEvent(4, "PutUserPolicy", { userName: "u-twice", policyName: "p", policyDocument: doc([{ Effect: "Allow", Action: "*", Resource: "*" }, { Effect: "Allow", Action: ["*"], Resource: ["*"] }]) }),
    // not found: a Deny, narrower grants, a failed call, no document, a document that is not JSON
    iamEvent(5, "PutUserPolicy", { userName: "u-deny", policyName: "p", policyDocument: doc([{ Effect: "Deny", Action: ["*"], Resource: ["*"] }]) }),
    iamEvent(6, "PutRolePolicy", { roleName: "r-describe", policyName: "p", policyDocument: doc([{ Effect: "Allow", Action: ["ec2:Describe*"], Resource: "*" }]) }),
    iamEvent(7, "PutRolePolicy", { roleName: "r-bucket", policyName: "p", policyDocument: doc([{ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b/*" }]) }),
    iamEvent(8, "PutUserPolicy", { userName: "u-denied", policyName: "p", policyDocument: doc([{ Effect: "Allow", Action: "*", Resource: "*" }]) }, { errorCode: "AccessDenied" }),
    iamEvent(9, "PutUserPolicy", { userName: "u-nodoc", policyName: "AWSCompromisedKeyQuarantineV2" }),
    iamEvent(10, "PutRolePolicy", { roleName: "r-text", policyName: "p", policyDocument: "Action * Resource *" }),
    // the other two grants the template finds, and one it doesn't
    iamEvent(11, "AttachUserPolicy", { userName: "u-attached", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
    iamEvent(12, "AddUserToGroup", { userName: "u-grouped", groupName: "Admins" }),
    iamEvent(13, "AttachUserPolicy", { userName: "u-readonly", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
  ];
  const dir = tempDir("admin");
  try {
    writeFileSync(join(dir, "iam.jsonl"), lines.join("\n") + "\n");
    const got = await templateRows("admin-privileges-granted", [join(dir, "iam.jsonl")]);
    assert.deepEqual(got.map((r) => [r["eventName"], r["grantee"] ?? r["requestParameters.groupName"]]), [
      ["PutUserPolicy", "u-encoded-newline"],
      ["AddUserToGroup", "u-grouped"],
      ["AttachUserPolicy", "u-attached"],
      ["PutUserPolicy", "u-twice"],
      ["PutGroupPolicy", "g-second"],
      ["PutRolePolicy", "r-encoded"],
      ["PutUserPolicy", "u-string"],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("templates on event names and codes as CloudTrail logs them: EC2's throttling, S3's bucket configuration calls, Lambda's versioned names, a public principal beside others", async () => {
  const ev = (n: number, eventSource: string, eventName: string, extra: Record<string, unknown> = {}): string =>
    JSON.stringify({ eventTime: `2023-01-01T00:${String(n).padStart(2, "0")}:00Z`, eventSource, eventName, eventID: `t${n}`, awsRegion: "us-east-1", userIdentity: { arn: `arn:aws:iam::111122223333:user/u${n}` }, ...extra });
  const policy = (principal: unknown): Record<string, unknown> => ({ bucketName: "b", bucketPolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] } });
  const lines = [
    ev(1, "ec2.amazonaws.com", "DescribeInstances", { errorCode: "Client.RequestLimitExceeded", errorMessage: "Request limit exceeded." }),
    ev(2, "ec2.amazonaws.com", "DescribeInstances", { errorCode: "Client.UnauthorizedOperation" }),
    ev(3, "s3.amazonaws.com", "PutBucketEncryption"),
    ev(4, "s3.amazonaws.com", "PutBucketLifecycle"),
    ev(5, "s3.amazonaws.com", "PutBucketReplication"),
    ev(6, "lambda.amazonaws.com", "CreateFunctionUrlConfig20211031"),
    ev(7, "s3.amazonaws.com", "PutBucketPolicy", { requestParameters: policy({ AWS: "*", Service: "cloudfront.amazonaws.com" }) }),
    ev(8, "s3.amazonaws.com", "PutBucketPolicy", { requestParameters: policy({ Service: "cloudfront.amazonaws.com", AWS: ["arn:aws:iam::111122223333:root", "*"] }) }),
    ev(10, "s3.amazonaws.com", "GetObject", { requestParameters: { bucketName: "b", key: 'odd"key\\x' } }),
    // not public: a named account beside a service
    ev(9, "s3.amazonaws.com", "PutBucketPolicy", { requestParameters: policy({ AWS: "arn:aws:iam::111122223333:root", Service: "cloudfront.amazonaws.com" }) }),
  ];
  const dir = tempDir("cloudtrail-names");
  try {
    const file = join(dir, "events.jsonl");
    writeFileSync(file, lines.join("\n") + "\n");
    const throttled = await templateRows("throttling-by-api-and-caller", [file]);
    assert.deepEqual(throttled.map((r) => [r["eventName"], r["throttled"]]), [["DescribeInstances", 1]]);
    const watched = await templateRows("sigma-high-risk-event-watchlist", [file]);
    assert.deepEqual(watched.map((r) => r["eventName"]).sort(), ["CreateFunctionUrlConfig20211031", "PutBucketEncryption", "PutBucketLifecycle", "PutBucketReplication"]);
    const resource = await templateRows("activity-on-resource", [file], { resourceId: 'odd"key\\x' });
    assert.deepEqual(resource.map((r) => r["eventName"]), ["GetObject"], "an ID with a quote and a backslash, escaped in the event's text");
    const made = await templateRows("s3-bucket-made-public", [file]);
    assert.deepEqual(made.map((r) => r["userIdentity.arn"]).sort(), ["arn:aws:iam::111122223333:user/u7", "arn:aws:iam::111122223333:user/u8"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("admin-privileges-granted on real CloudTrail (../shared/data): the AdministratorAccess attachments; real inline policies (a Deny *, narrower grants) are not grants; real ones rewritten to * on * are", async (t) => {
  const data = join(ROOT, "..", "shared", "data");
  if (!existsSync(data)) {
    t.skip(`${data} is absent`);
    return;
  }
  const inputs = ["invictus-aws-dataset/CloudTrail", "panther-rule-tests/cloudtrail_test_events.ndjson", "stratus-detonation-logs"].map((p) => join(data, p));
  const events: Record<string, unknown>[] = [];
  for await (const b of new Reader(inputs, { warn: () => {} }).batches()) events.push(...b.events);
  const rp = (e: Record<string, unknown>): Record<string, unknown> => (e["requestParameters"] ?? {}) as Record<string, unknown>;
  const ok = (e: Record<string, unknown>): boolean => e["eventSource"] === "iam.amazonaws.com" && e["errorCode"] === undefined;
  const attached = events.filter((e) => ok(e) && /^Attach(User|Role|Group)Policy$/.test(e["eventName"] as string) && rp(e)["policyArn"] === "arn:aws:iam::aws:policy/AdministratorAccess");
  const inline = events.filter((e) => ok(e) && /^Put(User|Role|Group)Policy$/.test(e["eventName"] as string) && typeof rp(e)["policyDocument"] === "string");
  assert.ok(attached.length >= 3, `${attached.length} AdministratorAccess attachments`);
  assert.ok(inline.length >= 5 && inline.some((e) => /"Deny"[\s\S]*"\*"/.test(rp(e)["policyDocument"] as string)), "real inline policies, a Deny of * among them");

  const got = await templateRows("admin-privileges-granted", inputs);
  assert.deepEqual(got.map((r) => r["eventName"]).sort(), attached.map((e) => e["eventName"]).sort());

  // the same real events, their statements rewritten to allow * (a string, then a list) on *, one URL-encoded
  const dir = tempDir("admin-real");
  try {
    const granted = inline.map((e, i): Record<string, unknown> => {
      const text = (rp(e)["policyDocument"] as string)
        .replace(/"Effect"(\s*):(\s*)"Deny"/g, '"Effect"$1:$2"Allow"')
        .replace(/"Action"(\s*):(\s*)(\[[^\]]*\]|"[^"]*")/g, i % 2 ? '"Action"$1:$2"*"' : '"Action"$1:$2[\n  "*"\n]')
        .replace(/"Resource"(\s*):(\s*)(\[[^\]]*\]|"[^"]*")/g, '"Resource"$1:$2"*"');
      return { ...e, eventID: `granted-${i}`, requestParameters: { ...rp(e), policyDocument: i === 0 ? encodeURIComponent(text) : text } };
    });
    writeFileSync(join(dir, "granted.jsonl"), granted.map((e) => JSON.stringify(e)).join("\n") + "\n");
    const found = await templateRows("admin-privileges-granted", [join(dir, "granted.jsonl")]);
    assert.deepEqual(found.map((r) => r["eventName"]).sort(), granted.map((e) => e["eventName"]).sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("cis-root-signin-without-mfa on Panther's test events (../shared/data): its 'No MFA Login - Root User' case and every other successful root sign-in without MFA, which the IAM-user pattern misses", async (t) => {
  const dir = join(ROOT, "..", "shared", "data", "panther-rule-tests");
  if (!existsSync(dir)) {
    t.skip(`${dir} is absent`);
    return;
  }
  const file = join(dir, "cloudtrail_test_events.ndjson");
  const events = readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
  const manifest = readFileSync(join(dir, "manifest.ndjson"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { line: number; ruleId: string; test: string; expectedResult: boolean });
  const oracle = manifest.find((m) => m.ruleId === "AWS.Console.LoginWithoutMFA" && m.test === "No MFA Login - Root User")!;
  assert.equal(oracle.expectedResult, true);
  const noMfa = (type: string): Record<string, any>[] => events.filter((e) => e["eventName"] === "ConsoleLogin" && e["userIdentity"]?.type === type && e["responseElements"]?.ConsoleLogin === "Success" && e["additionalEventData"]?.MFAUsed !== "Yes");
  const rootNoMfa = noMfa("Root");
  assert.ok(rootNoMfa.includes(events[oracle.line - 1]!), "Panther's case is one of them");
  assert.ok(events.some((e) => e["eventName"] === "ConsoleLogin" && e["userIdentity"]?.type === "Root" && e["responseElements"]?.ConsoleLogin === "Failure"), "failed root sign-ins too, which are not found");
  const got = await templateRows("cis-root-signin-without-mfa", [file]);
  assert.deepEqual(got.map((r) => r["userIdentity.arn"]), rootNoMfa.map((e) => e["userIdentity"].arn));
  // the CloudWatch.3 pattern: IAM users only
  const iamUsers = await templateRows("cis-console-signin-without-mfa", [file]);
  assert.ok(iamUsers.length > 0);
  assert.deepEqual(iamUsers.map((r) => r["userIdentity.userName"]).sort(), noMfa("IAMUser").map((e) => e["userIdentity"].userName).sort());
});

test("a template's own text is data too: templates --json escapes what would act on a terminal; show finds a template of --templates DIR", () => {
  const dir = tempDir("templates-hostile");
  try {
    writeFileSync(join(dir, "evil.logsinsights"), "# id: evil\n# title: Evil \u001b]0;PWN\u0007 \u202e title\n# category: custom\n# description: a title that would set the terminal's title and turn the line around\nfields eventName");
    const json = trailq(["templates", "--json", "--templates", dir]);
    assert.equal(json.status, 0, json.stderr);
    assert.ok(!/[\u001b\u0007\u202e]/.test(json.stdout), "no raw control or bidi character");
    assert.match(json.stdout, /"title": "Evil \\u001b\]0;PWN\\u0007 \\u202e title"/);
    const evil = (JSON.parse(json.stdout) as { id: string; title: string }[]).find((t) => t.id === "evil")!;
    assert.equal(evil.title, "Evil \u001b]0;PWN\u0007 \u202e title", "the same text to a JSON reader");
    const show = trailq(["templates", "show", "evil", "--templates", dir]);
    assert.equal(show.status, 0, show.stderr);
    assert.match(show.stdout, /^evil: Evil /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("trailq run --tz: the window's anchor is said in that zone, as the rows' times are", () => {
  const r = trailq(["run", "console-login-new-source-ip", "--tz", "Europe/Paris"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /window anchored at 2026-11-04 00:59:31 \+01:00 \(last event\)/);
  assert.match(trailq(["run", "console-login-new-source-ip"]).stderr, /window anchored at 2026-11-03 23:59:31 UTC \(last event\)/);
});

test("real shapes: root's own access key is no backdoor key; a trail change's network-activity record is no trail change; PutEventSelectors names its trail as trailName; root's failed sign-ins are a user's", async () => {
  const dir = tempDir("tpl-real-shapes");
  try {
    const ev = (id: string, fields: Record<string, unknown>): string => JSON.stringify({ eventVersion: "1.09", eventTime: "2026-11-01T00:00:00Z", eventID: id, awsRegion: "us-east-1", sourceIPAddress: "203.0.113.9", eventType: "AwsApiCall", recipientAccountId: "111122223333", ...fields });
    const root = { type: "Root", arn: "arn:aws:iam::111122223333:root", accountId: "111122223333" };
    const mallory = { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/mallory", userName: "mallory" };
    writeFileSync(join(dir, "events.jsonl"), [
      ev("own-root", { eventSource: "iam.amazonaws.com", eventName: "CreateAccessKey", userIdentity: root, requestParameters: null, responseElements: { accessKey: { accessKeyId: "AKIA1", status: "Active" } } }),
      ev("root-for-bob", { eventSource: "iam.amazonaws.com", eventName: "CreateAccessKey", userIdentity: root, requestParameters: { userName: "bob" }, responseElements: { accessKey: { accessKeyId: "AKIA2", status: "Active", userName: "bob" } } }),
      ev("mallory-for-alice", { eventSource: "iam.amazonaws.com", eventName: "CreateAccessKey", userIdentity: mallory, requestParameters: { userName: "alice" }, responseElements: null }),
      ev("vpce", { eventSource: "cloudtrail.amazonaws.com", eventName: "UpdateTrail", eventType: "AwsVpceEvent", eventCategory: "NetworkActivity", userIdentity: mallory, requestParameters: { name: "t" }, vpcEndpointId: "vpce-1" }),
      ev("selectors", { eventSource: "cloudtrail.amazonaws.com", eventName: "PutEventSelectors", userIdentity: mallory, requestParameters: { trailName: "main-trail", eventSelectors: [{ includeManagementEvents: false }] } }),
      // root's failed sign-ins: root has no userName
      ...[1, 2, 3].map((k) => ev(`root-fail-${k}`, { eventSource: "signin.amazonaws.com", eventName: "ConsoleLogin", userIdentity: root, errorMessage: "Failed authentication", responseElements: { ConsoleLogin: "Failure" } })),
    ].join("\n") + "\n");
    const lib = loadLibrary(undefined);
    const run = async (id: string): Promise<Record<string, unknown>[]> => {
      const t = lib.templates.get(id)!;
      const plan = buildPlan(bindTemplate(t, parseQuery(t.query), {}), { now: NOW });
      const out: Value[][] = [];
      await runPlan(plan, new Reader([dir], { warn: () => {}, ...scanReaderOptions(plan, {}, [dir]) }), { row: (v) => out.push(v), end: () => {} });
      return out.map((v) => rowObject(plan.columns, v));
    };
    assert.deepEqual((await run("access-key-created-for-other-user")).map((r) => r["targetUser"]), ["bob", "alice"]);
    assert.deepEqual((await run("cloudtrail-logging-tampered")).map((r) => [r["eventName"], r["trail"]]), [["PutEventSelectors", "main-trail"]]);
    assert.deepEqual((await run("cis-console-auth-failures")).map((r) => [r["failures"], r["users"]]), [[3, 1]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("real shapes, third pass: event selectors judged by what they select (not a selector's name; a second, data-only selector beside management events); a call without a user agent; a login profile of the caller's own or named in another case; root among a spray's users; a secret read by name and by ARN counted twice, as documented", async () => {
  const dir = tempDir("tpl-real-shapes-3");
  try {
    const ev = (id: string, fields: Record<string, unknown>): string => JSON.stringify({ eventVersion: "1.09", eventTime: "2026-11-01T00:00:00Z", eventID: id, awsRegion: "us-east-1", sourceIPAddress: "203.0.113.9", eventType: "AwsApiCall", recipientAccountId: "111122223333", ...fields });
    const user = (name: string): Record<string, unknown> => ({ type: "IAMUser", arn: `arn:aws:iam::111122223333:user/${name}`, userName: name, accessKeyId: `AKIA${name.toUpperCase()}` });
    const trail = (id: string, requestParameters: Record<string, unknown>): string => ev(id, { eventSource: "cloudtrail.amazonaws.com", eventName: "PutEventSelectors", userIdentity: user("mallory"), requestParameters });
    const dataOnly = { fieldSelectors: [{ field: "eventCategory", equals: ["Data"] }, { field: "resources.type", equals: ["AWS::S3::Object"] }] };
    const lines = [
      trail("named-management", { trailName: "named-management", advancedEventSelectors: [{ name: "Management", ...dataOnly }] }),
      trail("management-kept", { trailName: "management-kept", advancedEventSelectors: [{ name: "all", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] }, { name: "s3", ...dataOnly }] }),
      trail("basic-two", { trailName: "basic-two", eventSelectors: [{ readWriteType: "All", includeManagementEvents: true }, { readWriteType: "All", includeManagementEvents: false, dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::b/"] }] }] }),
      trail("basic-off", { trailName: "basic-off", eventSelectors: [{ readWriteType: "All", includeManagementEvents: false }] }),
      // data resources whose values hold braces, or that have no values: the selector is still judged
      trail("brace-in-prefix", { trailName: "brace-in-prefix", eventSelectors: [{ readWriteType: "All", includeManagementEvents: false, dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::logs/{tmp}/"] }] }] }),
      trail("no-values", { trailName: "no-values", eventSelectors: [{ includeManagementEvents: false, dataResources: [{ type: "AWS::S3::Object" }] }] }),
      // management events kept read-only beside a data-only selector: write events are lost
      trail("read-only-beside-data", { trailName: "read-only-beside-data", eventSelectors: [{ readWriteType: "All", includeManagementEvents: false, dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }] }, { readWriteType: "ReadOnly", includeManagementEvents: true }] }),
      ev("gci-no-ua", { eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity", userIdentity: user("leaked") }),
      ev("gci-cli", { eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity", userIdentity: user("dev"), userAgent: "aws-cli/2.15.0" }),
      ev("own-profile", { eventSource: "iam.amazonaws.com", eventName: "CreateLoginProfile", userIdentity: user("frank"), requestParameters: { passwordResetRequired: false }, responseElements: { loginProfile: { userName: "frank" } } }),
      ev("other-profile", { eventSource: "iam.amazonaws.com", eventName: "UpdateLoginProfile", userIdentity: user("mallory"), requestParameters: { userName: "bob" } }),
      ev("own-key-case", { eventSource: "iam.amazonaws.com", eventName: "CreateAccessKey", userIdentity: user("alice"), requestParameters: { userName: "Alice" }, responseElements: { accessKey: { accessKeyId: "AKIA9", userName: "alice" } } }),
      // a spray: 6 users once each, and root
      ...["u1", "u2", "u3", "u4", "u5", "u6"].flatMap((n) => [1, 2].map((k) => ev(`spray-${n}-${k}`, { eventSource: "signin.amazonaws.com", eventName: "ConsoleLogin", eventType: "AwsConsoleSignIn", userIdentity: user(n), responseElements: { ConsoleLogin: "Failure" } }))),
      ev("spray-root", { eventSource: "signin.amazonaws.com", eventName: "ConsoleLogin", eventType: "AwsConsoleSignIn", userIdentity: { type: "Root", arn: "arn:aws:iam::111122223333:root", accountId: "111122223333" }, responseElements: { ConsoleLogin: "Failure" } }),
      // one secret read by its name and by its ARN
      ev("secret-by-name", { eventSource: "secretsmanager.amazonaws.com", eventName: "GetSecretValue", userIdentity: user("bob"), requestParameters: { secretId: "prod/s0" } }),
      ev("secret-by-arn", { eventSource: "secretsmanager.amazonaws.com", eventName: "GetSecretValue", userIdentity: user("bob"), requestParameters: { secretId: "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/s0-AbCdEf" } }),
    ];
    writeFileSync(join(dir, "events.jsonl"), lines.join("\n") + "\n");
    const lib = loadLibrary(undefined);
    const run = async (id: string, params: Record<string, string> = {}): Promise<Record<string, unknown>[]> => {
      const t = lib.templates.get(id)!;
      const plan = buildPlan(bindTemplate(t, parseQuery(t.query), params), { now: NOW });
      const out: Value[][] = [];
      await runPlan(plan, new Reader([dir], { warn: () => {}, ...scanReaderOptions(plan, {}, [dir]) }), { row: (v) => out.push(v), end: () => {} });
      return out.map((v) => rowObject(plan.columns, v));
    };
    assert.deepEqual((await run("cloudtrail-logging-tampered")).map((r) => r["trail"]).sort(), ["basic-off", "brace-in-prefix", "named-management", "no-values", "read-only-beside-data"]);
    assert.deepEqual((await run("getcalleridentity-recon")).map((r) => r["userIdentity.arn"]).sort(), ["arn:aws:iam::111122223333:user/dev", "arn:aws:iam::111122223333:user/leaked"]);
    assert.deepEqual((await run("getcalleridentity-recon", { uaRegex: "aws-cli" })).map((r) => r["userIdentity.arn"]), ["arn:aws:iam::111122223333:user/dev"]);
    assert.deepEqual((await run("login-profile-changed-for-other-user")).map((r) => r["targetUser"]), ["bob"]);
    assert.deepEqual(await run("access-key-created-for-other-user"), []);
    assert.deepEqual((await run("console-password-spraying", { minUsers: "7", minFailures: "13" })).map((r) => [r["distinctUsers"], r["failures"]]), [[7, 13]]);
    // a secret read by its name and by its ARN counts twice: an ARN's last six characters are not taken off (a name can end so too)
    assert.deepEqual((await run("secrets-mass-retrieval", { minDistinct: "1" })).map((r) => [r["reads"], r["distinctSecrets"]]), [[2, 2]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--templates names a folder that is there: a typo is exit 2 naming it, not the bundled template run in place of the team's", () => {
  const dir = tempDir("templates-folder");
  try {
    writeFileSync(join(dir, "file.logsinsights"), "# id: x\n# title: x\n# category: custom\n# description: x\nfields eventName");
    for (const args of [["run", "cis-root-account-usage", "--templates", join(dir, "nope")], ["templates", "--templates", join(dir, "nope")], ["templates", "show", "cis-root-account-usage", "--templates", join(dir, "nope")]]) {
      assert.deepEqual(trailq(args), { status: 2, stdout: "", stderr: `trailq: --templates ${join(dir, "nope")}: no such folder\n` }, args.join(" "));
    }
    assert.deepEqual(trailq(["templates", "--templates", join(dir, "file.logsinsights")]), { status: 2, stdout: "", stderr: `trailq: --templates ${join(dir, "file.logsinsights")}: not a folder\n` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
