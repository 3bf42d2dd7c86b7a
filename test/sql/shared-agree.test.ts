// The native engine and its DuckDB translation over the real trails in ../shared/data (skipped when
// they are absent): the same rows for a set of investigation queries. These trails hold what the
// corpus's fixtures do not: copies of events (the Panther test events reuse eventIDs), eventIDs
// whose digit runs have leading zeros, events that tie on their time. Each disagreement this set
// first found was a bug (copies counted by the SQL, the natural order of zeros, ties in earliest).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { queryRows } from "../../src/api.js";
import { rowObject } from "../../src/output/index.js";
import { loadDuckdb, toValue, type DuckdbConnection } from "../../src/sql/duckdb.js";
import { DEFAULT_TABLE } from "../../src/sql/schema.js";
import { translatePlan } from "../../src/sql/translate.js";
import { duckdbView } from "../../src/sql/view.js";
import { Reader } from "../../src/sources/index.js";
import { ROOT } from "../bin.js";
import { rowKey } from "./duckdb-agree.js";

const DATA = join(ROOT, "..", "shared", "data");
// (the OTRF folder's zip, which DuckDB does not open, left out: its JSON file holds the same events)
const TRAILS = ["invictus-aws-dataset", "stratus-detonation-logs", "panther-rule-tests/cloudtrail_test_events.ndjson", "otrf-ec2-proxy-s3-exfiltration/ec2_proxy_s3_exfiltration_2020-09-14011940.json"].map((t) => join(DATA, t));

const QUERIES = [
  "stats count(*) as n by eventSource, eventName | sort n desc, eventSource, eventName | limit 20",
  "stats count(*) as n, count_distinct(sourceIPAddress) as ips by userIdentity.arn",
  "filter ispresent(errorCode) | stats count(*) as n by errorCode, eventName",
  "stats min(@timestamp) as first, max(@timestamp) as last by awsRegion",
  "stats count(*) as n by bin(1h) as hour",
  "fields eventName, strlen(eventName) as len | stats max(len) as m, avg(len) as a by eventSource",
  "filter requestParameters.bucketName != \"\" | stats count(*) as n by requestParameters.bucketName",
  "filter eventName in [\"GetObject\", \"PutObject\", \"ListBuckets\", \"AssumeRole\"] | stats count(*) as n by eventName, userIdentity.type",
  "fields eventID | sort eventID asc | limit 20",
  "filter not ispresent(userIdentity.arn) | stats count(*) as n by eventName",
  "stats earliest(eventName) as e, latest(eventName) as l by eventSource",
  "parse userAgent /^(?<tool>[A-Za-z0-9_.-]+)\\// | stats count(*) as n by tool",
  "stats count(*) as n by resources.0.type",
  "filter errorMessage like /not authorized/ | stats count(*) as n by eventName",
  "dedup eventName | stats count(*) as n",
  "stats count(*) as n by coalesce(errorCode, \"ok\") as status, if(ispresent(errorCode), \"error\", \"ok\") as s",
  "stats count(*) as n by datefloor(@timestamp, 1h) as h, isIpv4InSubnet(sourceIPAddress, \"10.0.0.0/8\") as internal",
  "parse userAgent \"*/*\" as tool, rest | stats count(*) as n by tool",
  "stats count(*) as n by eventSource | stats max(n) as most, sum(n) as total",
  "dedup userIdentity.arn | fields userIdentity.arn | sort userIdentity.arn",
  "stats count(*) as n by requestParameters.maxResults | sort requestParameters.maxResults",
];

let connection: Promise<DuckdbConnection> | undefined;
const tables = new Map<string, Promise<string>>();
/** Each trail made a DuckDB table once, through the view --engine duckdb reads files with. */
function tableOf(trail: string): Promise<string> {
  let t = tables.get(trail);
  if (!t) {
    t = (async () => {
      connection ??= (async () => (await (await loadDuckdb()).DuckDBInstance.create(":memory:")).connect())();
      const name = `trail_${tables.size}`;
      const files = [...new Reader([trail], { warn: () => {} }).files()].map((f) => f.path);
      await (await connection).runAndReadAll(`CREATE TABLE ${name} AS ${duckdbView(files)}\nSELECT * FROM ${DEFAULT_TABLE}`);
      return name;
    })();
    tables.set(trail, t);
  }
  return t;
}

after(async () => {
  if (connection) (await connection).closeSync?.();
});

for (const trail of TRAILS) {
  const name = trail.slice(DATA.length + 1);
  test(`native and DuckDB agree over ${name}`, { skip: !existsSync(trail) && `${name} is not in ../shared/data` }, async () => {
    for (const q of QUERIES) {
      const native = await queryRows(q, [trail]);
      const translation = translatePlan(native.plan, { dialect: "duckdb", table: await tableOf(trail) });
      const result = await (await connection!).runAndReadAll(translation.sql);
      const rows = result.getRows().map((r) => rowObject(native.plan.columns, r.map((v, i) => toValue(v, translation.columns[i]!))));
      const sorted = native.plan.ops.some((o) => o.op === "sort");
      const [a, b] = [rows.map(rowKey), native.rows.map(rowKey)];
      if (sorted) assert.deepEqual(a, b, `${name}: ${q}`);
      else assert.deepEqual(a.sort(), b.sort(), `${name}: ${q}`);
    }
  });
}
