import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadTable, LookupTables } from "../../src/lookup/tables.js";
import { parseCsv } from "../../src/csv.js";
import { UserError } from "../../src/errors.js";
import { tempDir } from "../temp.js";

test("CSV: quotes, doubled quotes, commas and newlines in fields, CRLF", () => {
  assert.deepEqual(parseCsv('a,b\r\n"x, y","say ""hi"""\n"multi\nline",\n'), [["a", "b"], ["x, y", 'say "hi"'], ["multi\nline", ""]]);
});

test("a bad header is a clear error naming the table and file", () => {
  const dir = tempDir("lookup");
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
  const dir = tempDir("lookup");
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
    // two files of one name in the folder (the case of .csv apart): which is meant is not guessed
    writeFileSync(join(dir, "lookups", "accounts.CSV"), "id,name\n1,other\n");
    assert.throws(() => new LookupTables([], join(dir, "lookups")).get("accounts"), /lookup table accounts: the lookups folder holds it twice \(accounts\.CSV, accounts\.csv\): rename one, or give --lookup accounts=FILE/);
    assert.equal(new LookupTables([`accounts=${join(dir, "other.csv")}`], join(dir, "lookups")).get("accounts")!.rows[0]![1], "flag", "--lookup names which");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a malformed table is an error naming its line, never a silent guess", () => {
  const dir = tempDir("lookup");
  const table = (text: string): string => {
    const f = join(dir, "t.csv");
    writeFileSync(f, text);
    return f;
  };
  const fails = (text: string, message: RegExp): void => {
    assert.throws(() => loadTable("t", table(text)), (e: unknown) => e instanceof UserError && message.test(e.message), JSON.stringify(text));
  };
  try {
    // a quote left open would take the rest of the file into one cell
    fails('id,name\n1,"alice\n2,bob\n3,carol\n', /^lookup table t \(.*t\.csv\): line 2: a quoted field starts on this line and is never closed$/);
    fails('id,name\n1,"a""b" c\n', /: line 2: text after the closing quote of a field \(a quote inside a quoted field is written ""\)$/);
    // a field too many or too few would shift the columns; lines count the line ends inside quotes
    fails('id,name\n1,"two\nlines"\n2,bob,extra\n', /: line 4 has 3 fields, the header 2$/);
    fails("id,name\r\n1,alice\r\n2\r\n", /: line 3 has 1 field, the header 2$/);
    // well-formed: blank lines skipped, quotes and line ends inside quoted fields, a bare quote kept
    const ok = loadTable("t", table('id,name\n\n1,"say ""hi"",\nthen go"\n2,5" disk\r\n"",x\n'));
    assert.deepEqual(ok.rows, [["1", 'say "hi",\nthen go'], ["2", '5" disk'], ["", "x"]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("parse ... csv on log data stays lenient: the text is read as it comes", () => {
  assert.deepEqual(parseCsv('a,"b'), [["a", "b"]]);
  assert.deepEqual(parseCsv('"a"b,c'), [["ab", "c"]]);
});
