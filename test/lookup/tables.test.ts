import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadTable, LookupTables } from "../../src/lookup/tables.js";
import { parseCsv } from "../../src/csv.js";
import { UserError } from "../../src/errors.js";

test("CSV: quotes, doubled quotes, commas and newlines in fields, CRLF", () => {
  assert.deepEqual(parseCsv('a,b\r\n"x, y","say ""hi"""\n"multi\nline",\n'), [["a", "b"], ["x, y", 'say "hi"'], ["multi\nline", ""]]);
});

test("a bad header is a clear error naming the table and file", () => {
  const dir = mkdtempSync(join(tmpdir(), "trailq-lookup-"));
  try {
    const dup = join(dir, "dup.csv");
    writeFileSync(dup, "id,id\n1,2\n");
    assert.throws(() => loadTable("dup", dup), (e: unknown) => e instanceof UserError && /dup .*dup\.csv.*same name/.test(e.message));
    const empty = join(dir, "empty.csv");
    writeFileSync(empty, "");
    assert.throws(() => loadTable("empty", empty), /header row is empty/);
    assert.throws(() => loadTable("bad name!", dup), /letters, digits/);
    assert.throws(() => loadTable("missing", join(dir, "nope.csv")), /can't read/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("tables come from the lookups folder and --lookup NAME=FILE, which wins", () => {
  const dir = mkdtempSync(join(tmpdir(), "trailq-lookup-"));
  try {
    mkdirSync(join(dir, "lookups"));
    writeFileSync(join(dir, "lookups", "accounts.csv"), "id,name\n1,folder\n");
    writeFileSync(join(dir, "other.csv"), "id,name\n1,flag\n");
    const fromDir = new LookupTables([], join(dir, "lookups"));
    assert.deepEqual(fromDir.names(), ["accounts"]);
    assert.equal(fromDir.get("accounts")!.rows[0]![1], "folder");
    const flagged = new LookupTables([`accounts=${join(dir, "other.csv")}`], join(dir, "lookups"));
    assert.equal(flagged.get("accounts")!.rows[0]![1], "flag");
    assert.throws(() => new LookupTables(["oops"]), /NAME=path\.csv/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
