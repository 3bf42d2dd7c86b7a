// The listing cache's record of a region's days and first day (src/sources/s3/listings.ts), which
// a query with no start lists a region from: kept only when every key below the region is a day's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { Listings } from "../../src/sources/s3/listings.js";
import { keyDay, type ListedObject } from "../../src/sources/s3/list.js";
import { tempDir } from "../temp.js";

const REGION = "AWSLogs/111122223333/CloudTrail/us-east-1/";
const object = (rest: string): ListedObject => ({ bucket: "b", key: REGION + rest, size: 10, etag: '"e"', lastModified: 0 });
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);

test("a region's days are kept with its first day when every key is a day's; a key of another form keeps nothing", () => {
  const root = tempDir("listings");
  try {
    const listings = new Listings(root, "http://s3", 60_000, true);
    const objects = [object("2025/03/10/a.json.gz"), object("2025/03/12/b.json.gz")];
    const listedAt = day("2025-04-01");
    assert.equal(listings.saveDays("b", REGION, day("2025-03-10"), day("2025-03-31"), listedAt, objects), true);
    listings.saveFirstDay("b", REGION, day("2025-03-10"));
    assert.equal(listings.firstDay("b", REGION), day("2025-03-10"));
    const got = listings.days("b", REGION, day("2025-03-10"), day("2025-03-31"));
    assert.deepEqual(got.objects.map((o) => o.key), objects.map((o) => o.key));
    // listed at midnight after March 31st: that day is not closed yet (2 hours after it ends)
    assert.equal(got.days, 21);
    assert.equal(got.next, day("2025-03-31"));
    // another region, another bucket: nothing; --refresh (use false): nothing
    assert.equal(listings.firstDay("b", REGION.replace("us-east-1", "eu-west-1")), undefined);
    assert.equal(listings.firstDay("other", REGION), undefined);
    assert.equal(new Listings(root, "http://s3", 60_000, false).firstDay("b", REGION), undefined);
    // a key that is not YYYY/MM/DD/...: the region is listed whole again next time
    assert.equal(listings.saveDays("b", REGION, day("2025-03-10"), day("2025-03-31"), listedAt, [...objects, object("notes.txt")]), false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a key's day below a region", () => {
  assert.equal(keyDay("2025/03/10/x.json.gz"), day("2025-03-10"));
  assert.equal(keyDay("2025/03/x.json.gz"), undefined);
  assert.equal(keyDay("backup/2025/03/10/x.json.gz"), undefined);
});

test("a day listed by a clock that was ahead (its listing time is after now) is not taken for closed: it is listed again", () => {
  const root = tempDir("listings-skew");
  try {
    const listings = new Listings(root, "http://s3", 60_000, true);
    const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    // listed "three days from now": today's folder would have read as closed, and its later objects never seen
    const ahead = Date.now() + 3 * 86_400_000;
    assert.equal(listings.saveDays("b", REGION, today - 86_400_000, today, ahead, [object(new Date(today).toISOString().slice(0, 10).replaceAll("-", "/") + "/a.json.gz")]), true);
    const got = listings.days("b", REGION, today - 86_400_000, today);
    assert.equal(got.days, 0);
    assert.equal(got.next, today - 86_400_000);
    // a folder's listing from after now, neither
    listings.saveFolder("b", "AWSLogs/111122223333/CloudTrail/", ahead, { folders: ["AWSLogs/111122223333/CloudTrail/us-east-1/"], objects: [] });
    assert.equal(listings.folder("b", "AWSLogs/111122223333/CloudTrail/", Date.now()), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
