// The scan's order and early stop: a query keeping the newest (oldest) n events reads the files
// newest (oldest) first and stops when no file left can hold a better one; the rows are the same.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { queryRows } from "../../src/api.js";

const SAMPLE = join(fileURLToPath(new URL("../../../", import.meta.url)), "fixtures", "sample-trail");

for (const [order, agg] of [["desc", "max"], ["asc", "min"]] as const) {
  test(`sort @timestamp ${order} | limit 5 reads only the files it needs, and gets the ${order === "desc" ? "newest" : "oldest"} events`, async () => {
    const top = await queryRows(`fields @timestamp, eventID | sort @timestamp ${order} | limit 5`, [SAMPLE]);
    const all = await queryRows(`stats ${agg}(@timestamp) as t, count(*) as n`, [SAMPLE]);
    assert.equal(top.rows.length, 5);
    assert.equal(top.rows[0]!["@timestamp"], all.rows[0]!["t"]);
    assert.ok(top.result.read.filesUnneeded > 1000, `${top.result.read.filesUnneeded} files not read`);
    assert.ok(top.result.read.eventsRead < 200);
    // the same five as a scan of every file finds (sorting on a computed column reads them all)
    const full = await queryRows(`fields @timestamp as t, eventID | sort t ${order} | limit 5`, [SAMPLE]);
    assert.equal(full.result.read.filesUnneeded, 0);
    assert.deepEqual(top.rows.map((r) => [r["@timestamp"], r["eventID"]]), full.rows.map((r) => [r["t"], r["eventID"]]));
  });
}

test("a filter before the limit: the early stop still finds the newest matching events", async () => {
  const top = await queryRows('filter eventName = "ConsoleLogin" | fields @timestamp, eventID | limit 3', [SAMPLE]);
  const all = await queryRows('filter eventName = "ConsoleLogin" | fields @timestamp as t, eventID | sort t desc | limit 3', [SAMPLE]);
  assert.deepEqual(top.rows.map((r) => [r["@timestamp"], r["eventID"]]), all.rows.map((r) => [r["t"], r["eventID"]]));
  assert.ok(top.result.read.filesUnneeded > 0);
});

test("a sort on @timestamp without a limit hands on rows as the scan goes: the same rows as a sort of all", async () => {
  // Events of the same second may come in another order (files are read in time order): compare the
  // times in order, and the events as sets.
  const same = (a: Record<string, unknown>[], b: Record<string, unknown>[]): void => {
    assert.deepEqual(a.map((r) => r["@timestamp"]), b.map((r) => r["t"]));
    assert.deepEqual(a.map((r) => r["eventID"]).sort(), b.map((r) => r["eventID"]).sort());
  };
  const q = 'filter eventSource = "s3.amazonaws.com" | fields @timestamp, eventID';
  const whole = (dir: string): string => `filter eventSource = "s3.amazonaws.com" | fields @timestamp as t, eventID | sort t ${dir}`;
  const streamed = await queryRows(q, [SAMPLE]);
  assert.ok(streamed.rows.length > 500);
  same(streamed.rows, (await queryRows(whole("desc"), [SAMPLE])).rows);
  same((await queryRows(`${q} | sort @timestamp asc`, [SAMPLE])).rows, (await queryRows(whole("asc"), [SAMPLE])).rows);
});

test("--account keeps the events a filter on recipientAccountId keeps; --region also those of the region's folders", async () => {
  const account = "111122223333";
  const selected = await queryRows("stats count(*) as n by eventSource", [SAMPLE], { accounts: [account] });
  const filtered = await queryRows(`filter recipientAccountId = "${account}" | stats count(*) as n by eventSource`, [SAMPLE]);
  assert.ok(selected.rows.length > 3);
  assert.deepEqual(selected.rows, filtered.rows);
  // --region reads the region's folders (CloudTrail/<region>/) and keeps their events of the region
  const region = await queryRows("stats count(*) as n by eventSource", [SAMPLE], { regions: ["eu-west-1"] });
  const folder = await queryRows('filter awsRegion = "eu-west-1" and @log like ":eu-west-1" | stats count(*) as n by eventSource', [SAMPLE]);
  assert.ok(region.rows.length > 3);
  assert.deepEqual(region.rows, folder.rows);
});

test("a later sort is not mistaken for the sort on @timestamp the files are ordered for", async () => {
  const tail = "| dedup eventName | sort eventID asc | limit 3";
  const timed = await queryRows(`fields @timestamp, eventName, eventID | sort @timestamp desc ${tail}`, [SAMPLE]);
  const plain = await queryRows(`fields @timestamp as t, eventName, eventID | sort t desc ${tail}`, [SAMPLE]);
  assert.equal(timed.rows.length, 3);
  assert.deepEqual(timed.rows.map((r) => r["eventID"]), plain.rows.map((r) => r["eventID"]));
  assert.equal(timed.result.read.filesUnneeded, 0);
});

test("a sort after a sort is stable: ties keep the order the first sort gave", async () => {
  const q = "fields awsRegion, eventName | sort eventName asc | sort awsRegion asc | limit 400";
  for (const workers of ["0", "2"]) {
    process.env["TRAILQ_WORKERS"] = workers;
    try {
      const { rows } = await queryRows(q, [SAMPLE]);
      assert.equal(rows.length, 400);
      for (let i = 1; i < rows.length; i++) {
        const [a, b] = [rows[i - 1]!, rows[i]!];
        if (a["awsRegion"] === b["awsRegion"]) assert.ok(String(a["eventName"]) <= String(b["eventName"]), `${workers} workers, row ${i}: ${a["eventName"]} before ${b["eventName"]}`);
      }
    } finally {
      delete process.env["TRAILQ_WORKERS"];
    }
  }
});

test("timeOrder: newest (or oldest) first, rows without a time last either way, ties by scan position", async () => {
  const { timeOrder } = await import("../../src/exec/scan.js");
  const rows: [number, number][] = [[NaN, 5], [10, 3], [NaN, 1], [20, 4], [10, 2]];
  const sorted = (desc: boolean): number[] => [...rows].sort((a, b) => timeOrder(a[0], a[1], b[0], b[1], desc)).map((r) => r[1]);
  assert.deepEqual(sorted(true), [4, 2, 3, 1, 5]);
  assert.deepEqual(sorted(false), [2, 3, 4, 1, 5]);
});
