// Runs a query through the API with TRAILQ_WORKERS set to n (0: on this thread), as the tests that
// compare a parallel scan with a single-threaded one do.
export async function withWorkers<T>(n: number, run: () => Promise<T>): Promise<T> {
  const before = process.env["TRAILQ_WORKERS"];
  process.env["TRAILQ_WORKERS"] = String(n);
  try {
    return await run();
  } finally {
    if (before === undefined) delete process.env["TRAILQ_WORKERS"];
    else process.env["TRAILQ_WORKERS"] = before;
  }
}
