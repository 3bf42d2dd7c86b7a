// The project's folder (bundled templates, the sample trail), found from wherever the running code
// lives: dist/src/... when compiled, dist/bundle/ when bundled. The first folder upwards whose
// package.json names trailq.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "trailq") return dir;
    if (dirname(dir) === dir) throw new Error(`trailq's package.json is not above ${from}`);
  }
}

export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
