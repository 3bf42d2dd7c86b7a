// Saved queries: the file the prompt and the console share.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readSaved, saveQuery } from "../../src/repl/saved.js";
import { tempDir } from "../temp.js";

test("a query saved after a line cut short (a full disk) starts a line of its own, and is listed", () => {
  const file = join(tempDir("saved"), "saved-queries");
  saveQuery({ name: "first", query: "stats count(*)" }, file);
  // what a write stopped by a full disk leaves: part of a line, no line end
  appendFileSync(file, '{"');
  saveQuery({ name: "params", query: "fields requestParameters" }, file);
  assert.deepEqual(readSaved(file).map((q) => q.name), ["first", "params"]);
  // an empty file, or one ending in a line end, takes no blank line
  const clean = join(tempDir("saved-clean"), "saved-queries");
  writeFileSync(clean, "");
  saveQuery({ name: "a", query: "limit 1" }, clean);
  saveQuery({ name: "b", query: "limit 2" }, clean);
  assert.deepEqual(readSaved(clean).map((q) => q.name), ["a", "b"]);
});
