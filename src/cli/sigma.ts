// `trailq sigma RULE.yml [--sql]`: each detection rule of the file as a trailq (Logs Insights)
// query, or as Athena SQL through the existing translation; a rule with no query form says why.
import { statSync } from "node:fs";
import { readTextFile, TextFileError } from "../text-file.js";
import { ExitCode, UserError } from "../errors.js";
import { visible } from "../output/safe.js";
import { loadRuleText, MAX_RULE_FILE } from "../detect/load.js";
import { ruleQuery } from "../detect/query.js";
import { compileSigma, type CompiledSigma } from "../detect/sigma.js";
import { compileCorrelation } from "../detect/correlation.js";
import { RuleRefusal } from "../detect/refusal.js";
import { warn, writeText } from "./io.js";

/** The queries of a rule file's detection rules, and what could not be made a query. */
export function sigmaQueries(file: string): { queries: { title: string; query: string }[]; problems: string[] } {
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new UserError(`${file} is a folder: give one rule file (trailq detect --rules takes a folder)`, ExitCode.path);
    text = readTextFile(file, MAX_RULE_FILE);
  } catch (e) {
    if (e instanceof UserError) throw e;
    if (e instanceof TextFileError) throw new UserError(`${file}: ${e.message}`, ExitCode.path);
    throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`, ExitCode.path);
  }
  const { docs, problems } = loadRuleText(text, file);
  const out: string[] = problems.map((p) => `${p.file}: ${p.rule}: ${p.reason}`);
  const queries: { title: string; query: string }[] = [];
  const compiled: CompiledSigma[] = [];
  for (const d of docs) {
    if (d.kind === "correlation") continue;
    try {
      // what detect refuses has no query either: the query form of a modifier does not check its
      // values (`exists: 'True'`, a string, printed as `not ispresent(...)`, the opposite)
      compiled.push(compileSigma(d.rule, file));
      queries.push({ title: d.rule.title, query: ruleQuery(d.rule) });
    } catch (e) {
      if (!(e instanceof RuleRefusal)) throw e;
      out.push(`${file}: ${d.rule.title}: ${e.message}`);
    }
  }
  // a correlation has no single query: whether detect runs it, or why not (its rules may be in other files)
  const correlationNames = new Set(docs.flatMap((d) => (d.kind === "correlation" ? [d.rule.id, d.rule.name, d.rule.title].filter((n): n is string => !!n) : [])));
  for (const d of docs) {
    if (d.kind !== "correlation") continue;
    let why = "trailq detect runs it";
    try {
      compileCorrelation(d.rule, file, compiled, correlationNames);
    } catch (e) {
      if (!(e instanceof RuleRefusal)) throw e;
      why = /not among the rules run/.test(e.message) ? `${e.message}: trailq detect runs it given the files that hold its rules` : `${e.message}: trailq detect does not run it`;
    }
    out.push(`${file}: ${d.rule.title}: a correlation rule has no single query (${why})`);
  }
  return { queries, problems: out };
}

export async function sigmaCommand(file: string, opts: Record<string, unknown>): Promise<void> {
  const { queries, problems } = sigmaQueries(file);
  for (const p of problems) warn(`${p} (no query)`);
  if (queries.length === 0) throw new UserError(`${file}: no rule that can be written as a query`, ExitCode.query);
  if (opts["table"] !== undefined && !opts["sql"]) throw new UserError("--table goes with --sql", ExitCode.usage);
  if (opts["sql"]) {
    const { sqlCommand, sqlOptions } = await import("./sql.js");
    // the table's name checked before any rule's SQL is printed
    sqlOptions({ table: opts["table"] });
    for (const [i, q] of queries.entries()) {
      if (i > 0) process.stdout.write("\n");
      writeText(`-- ${visible(q.title)}\n`);
      sqlCommand(q.query, [], { table: opts["table"] });
    }
    return;
  }
  writeText(queries.map((q) => q.query).join("\n\n") + "\n");
}
