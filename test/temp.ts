// Temporary folders for tests: made under the system's temporary folder and removed when the test
// process exits, whether its tests passed, failed or left a server running.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made: string[] = [];

/** A new empty folder `trailq-<name>-XXXXXX`, removed at the process's exit. */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `trailq-${name}-`));
  if (made.push(dir) === 1) process.once("exit", removeAll);
  return dir;
}

function removeAll(): void {
  for (const dir of made) {
    try {
      chmodSync(dir, 0o755); // a test may have made it unreadable
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // left for the system to clean
    }
  }
}
