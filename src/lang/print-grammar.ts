// Writes grammar/grammar.json: the parser's grammar as chevrotain serialises it. A test checks the
// committed file against the parser, so a grammar change is always seen in review.
// Run: node dist/src/lang/print-grammar.js
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parserInstance } from "./parser.js";

export function serializedGrammar(): string {
  return JSON.stringify(parserInstance.getSerializedGastProductions(), null, 1) + "\n";
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = fileURLToPath(new URL("../../../grammar/grammar.json", import.meta.url));
  writeFileSync(out, serializedGrammar());
  process.stdout.write(`wrote ${out}\n`);
}
