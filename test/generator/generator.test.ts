// The seeded generator: same seed, same bytes; the CloudTrail layout. That the committed sample trail
// is what sample-trail.md's command makes, byte for byte, is test/docs/examples' (the command as
// documented, through the built binary).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gunzipSync } from "node:zlib";
import { generateTrail } from "../../src/generator/index.js";
import { stampFromName } from "../../src/sources/index.js";
import { tempDir } from "../temp.js";

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

function sameTree(a: string, b: string): void {
  const fa = files(a);
  assert.deepEqual(fa, files(b));
  for (const f of fa) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f);
}

test("same seed, same bytes; another seed, other files; exactly the events asked for", async () => {
  const [a, b, c] = [0, 1, 2].map(() => tempDir("gen"));
  try {
    const opts = { events: 3000, start: "2026-03-01T00:00:00Z", days: 1 };
    const s = await generateTrail({ ...opts, outDir: a!, seed: 7 });
    await generateTrail({ ...opts, outDir: b!, seed: 7 });
    await generateTrail({ ...opts, outDir: c!, seed: 8 });
    sameTree(a!, b!);
    assert.notDeepEqual(files(a!), files(c!));
    assert.equal(s.events, 3000);
    let events = 0;
    const types = new Set<string>();
    const layout = /^AWSLogs\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{8}T\d{4}Z)_[A-Za-z0-9]{16}\.json\.gz$/;
    for (const f of files(a!)) {
      const m = layout.exec(f);
      assert.ok(m, f);
      assert.equal(m[1], m[6]);
      assert.equal(m[2], m[7]);
      assert.equal(`${m[3]}${m[4]}${m[5]}`, m[8]!.slice(0, 8), "the folder date is the stamp's date");
      const stamp = stampFromName(f)!;
      const doc = JSON.parse(gunzipSync(readFileSync(join(a!, f))).toString()) as { Records: Record<string, unknown>[] };
      for (const ev of doc.Records) {
        events++;
        const t = Date.parse(ev["eventTime"] as string);
        assert.ok(t <= stamp && t >= stamp - 35 * 60_000, `${f}: ${ev["eventTime"]} is within 35 minutes before its stamp`);
        types.add((ev["userIdentity"] as { type: string }).type);
      }
    }
    assert.equal(events, 3000);
    for (const t of ["IAMUser", "AssumedRole", "Root", "AWSService", "AWSAccount", "FederatedUser", "IdentityCenterUser", "SAMLUser", "WebIdentityUser"]) assert.ok(types.has(t), t);
  } finally {
    for (const d of [a, b, c]) rmSync(d!, { recursive: true, force: true });
  }
});
