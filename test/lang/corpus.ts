// Every query text the repository holds, for tests that take real queries apart: the bundled
// templates, the golden queries, the AWS examples, and the queries quoted in the docs (inline code
// and `trailq query '...'` lines; some are fragments, which is fine for mutation).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

function files(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p, ext));
    else if (e.name.endsWith(ext)) out.push(p);
  }
  return out.sort();
}

/** Inline code spans and shell-quoted query arguments of a markdown file. */
function docQueries(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/trailq (?:query|explain|sql) '((?:[^'\\]|'\\'')+)'/g)) out.push(m[1]!.replace(/'\\''/g, "'"));
  for (const m of text.matchAll(/(?<!`)`([^`\n]{3,})`(?!`)/g)) out.push(m[1]!);
  return out;
}

export function corpus(): string[] {
  const qs = new Set<string>();
  for (const f of files(join(ROOT, "templates"), ".logsinsights")) qs.add(readFileSync(f, "utf8"));
  for (const f of files(join(ROOT, "test", "golden"), ".query")) qs.add(readFileSync(f, "utf8"));
  for (const name of ["aws-examples.json", "aws-command-examples.json"]) {
    for (const e of JSON.parse(readFileSync(join(ROOT, "test", "lang", name), "utf8")) as { query: string }[]) qs.add(e.query);
  }
  for (const f of [...files(join(ROOT, "docs"), ".md"), join(ROOT, "README.md")]) for (const q of docQueries(readFileSync(f, "utf8"))) qs.add(q);
  return [...qs];
}
