// Runs made once and read by several tests (a scan the tests compare with): a promise per key,
// made by the first test that asks. A run that fails is handled here as well, so that it is not
// reported as an unhandled rejection before the tests that await it fail with it.

/** A cache of runs by key: `run(key, make)` gives the promise made for `key`, making it the first time. */
export function sharedRuns<V>(): (key: string, make: () => Promise<V>) => Promise<V> {
  const runs = new Map<string, Promise<V>>();
  return (key, make) => {
    let run = runs.get(key);
    if (!run) {
      runs.set(key, (run = make()));
      run.catch(() => {});
    }
    return run;
  };
}
