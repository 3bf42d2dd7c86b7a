// unnest and jsonParse answer the same questions as plain field paths do.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { queryRows } from "../../src/api.js";

const SAMPLE = fileURLToPath(new URL("../../../fixtures/sample-trail", import.meta.url));

test("unnest resources agrees with counting resources.0/1/2.type", async () => {
  const unnested = await queryRows("unnest resources into r | stats count(*) as n by r.type", [SAMPLE]);
  const byType = new Map<string, number>();
  for (const i of [0, 1, 2, 3]) {
    const r = await queryRows(`filter ispresent(resources.${i}.type) | stats count(*) as n by resources.${i}.type as t`, [SAMPLE]);
    for (const row of r.rows) byType.set(row["t"] as string, (byType.get(row["t"] as string) ?? 0) + (row["n"] as number));
  }
  assert.ok(byType.size >= 3);
  assert.deepEqual(new Map(unnested.rows.map((r) => [r["r.type"] as string, r["n"] as number])), byType);
});

test("jsonParse(@message) sees the same fields as the event", async () => {
  const viaJson = await queryRows('fields jsonParse(@message) as m | filter m.userIdentity.type = "Root" | stats count(*) as n', [SAMPLE]);
  const direct = await queryRows('filter userIdentity.type = "Root" | stats count(*) as n', [SAMPLE]);
  assert.deepEqual(viaJson.rows, direct.rows);
  assert.deepEqual(direct.rows, [{ n: 3 }]);
});
