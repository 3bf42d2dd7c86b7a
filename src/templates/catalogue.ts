// The catalogue section of docs/templates.md, made from the template files. A test checks that the
// committed page matches; regenerate with: node dist/src/templates/catalogue.js
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Library } from "./library.js";
import { loadLibrary } from "./library.js";
import { PACKAGE_ROOT } from "../root.js";
import { compareText } from "../exec/values.js";

const CATEGORIES: Record<string, string> = {
  cis: "CIS AWS Foundations / Security Hub alarms",
  detection: "Detections and hunts",
  investigation: "Investigations",
  operations: "Operations",
  cost: "Cost",
  "aws-sample": "AWS sample queries",
  "time-series": "Time series",
  custom: "Other",
};

export const CATALOGUE_HEADING = "## The catalogue\n";

export function renderCatalogue(lib: Library): string {
  let out = CATALOGUE_HEADING;
  for (const [c, title] of Object.entries(CATEGORIES)) {
    const ts = [...lib.templates.values()].filter((t) => t.category === c).sort((a, b) => compareText(a.id, b.id));
    if (ts.length === 0) continue;
    out += `\n### ${title} (${ts.length})\n\n| id | what it finds | does not cover | parameters |\n| --- | --- | --- | --- |\n`;
    for (const t of ts) {
      const control = t.tags.find((x) => x.startsWith("CloudWatch."));
      const params = t.params.map((p) => `\`${p.name}\` (${p.type}${p.default === undefined ? ", required" : `, default \`${p.default.replace(/\|/g, "\\|")}\``})`).join(", ") || "—";
      const cell = (text: string): string => text.replace(/\|/g, "\\|");
      out += `| \`${t.id}\` | ${cell(t.title)}${control ? ` (Security Hub ${control})` : ""} | ${cell(t.doesNotCover ?? "—")} | ${params} |\n`;
    }
  }
  return out;
}

export const TEMPLATES_DOC = join(PACKAGE_ROOT, "docs", "templates.md");

/** The page with its catalogue section replaced by a fresh one. */
export function refreshedDoc(page: string, lib: Library): string {
  const at = page.indexOf(CATALOGUE_HEADING);
  return (at < 0 ? page + "\n" : page.slice(0, at)) + renderCatalogue(lib);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(TEMPLATES_DOC, refreshedDoc(readFileSync(TEMPLATES_DOC, "utf8"), loadLibrary(undefined)));
  process.stdout.write(`wrote ${TEMPLATES_DOC}\n`);
}
