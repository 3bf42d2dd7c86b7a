// The module a thread starts from: the bundle's beside the bundle, the compiled one beside the
// compiled program, or the bundle's when `npm test` asks for it (TRAILQ_THREADS_FROM_BUNDLE=1).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { threadModule } from "../../src/exec/threads.js";

test("a thread's module: beside a bundle, beside the compiled program, or the bundle's when asked", () => {
  const saved = process.env["TRAILQ_THREADS_FROM_BUNDLE"];
  try {
    assert.equal(threadModule("worker", "file:///p/dist/bundle/main.mjs").href, "file:///p/dist/bundle/worker.mjs");
    delete process.env["TRAILQ_THREADS_FROM_BUNDLE"];
    const compiled = new URL("../../src/exec/parallel.js", import.meta.url).href;
    assert.equal(threadModule("worker", compiled).href, new URL("../../src/exec/worker.js", import.meta.url).href);
    process.env["TRAILQ_THREADS_FROM_BUNDLE"] = "1";
    const bundled = threadModule("read-ahead-worker", new URL("../../src/sources/read-ahead.js", import.meta.url).href);
    assert.equal(bundled.href, new URL("../../bundle/read-ahead-worker.mjs", import.meta.url).href);
    for (const name of ["worker", "read-ahead-worker"]) assert.ok(existsSync(fileURLToPath(threadModule(name, compiled))), `${name}.mjs is in the bundle`);
  } finally {
    if (saved === undefined) delete process.env["TRAILQ_THREADS_FROM_BUNDLE"];
    else process.env["TRAILQ_THREADS_FROM_BUNDLE"] = saved;
  }
});
