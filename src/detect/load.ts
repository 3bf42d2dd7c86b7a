// Reading Sigma rule files: `--rules DIR|FILE` (folders walked for .yml and .yaml, sorted), each file
// one or more YAML documents (`---`), each document a detection rule or a correlation rule,
// validated with zod. A file or document that cannot be read is one problem naming it; the others load.
import { readdirSync, realpathSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments, visit, type Document } from "yaml";
import { CorrelationRuleSchema, DetectionRuleSchema, firstIssue, type CorrelationRule, type DetectionRule } from "./rule.js";
import type { RefusalKind } from "./refusal.js";
import type { RulesCache } from "./rules-cache.js";
import { readTextFile, TextFileError } from "../text-file.js";

/** Rule files bigger than this are not read (a rule is a few KB). */
export const MAX_RULE_FILE = 4 * 1024 * 1024;

export type LoadedDoc =
  | { kind: "detection"; rule: DetectionRule; file: string; index: number }
  | { kind: "correlation"; rule: CorrelationRule; file: string; index: number };

/** A rule (or file) read but not run, and why. */
export interface NotRun {
  file: string;
  /** The rule's title (or `document N` when it has none). */
  rule: string;
  id?: string;
  kind: RefusalKind;
  reason: string;
  modifier?: string;
}

/** Folders below a --rules folder at most (deeper ones are reported, not walked). */
const MAX_RULE_DEPTH = 32;

/**
 * The rule files below a path, each once: a folder or file met again through a symlink (`ln -s .
 * loop`: the rule loaded 33 times, three such links without end) is not read again. A link that
 * leads nowhere or in a loop, and a folder past MAX_RULE_DEPTH, is a problem, not skipped unsaid.
 */
function ruleFiles(path: string, out: Map<string, string>, problems: NotRun[], seen: Set<string>, depth = 0): void {
  const st = statSync(path);
  if (!st.isDirectory()) {
    const real = realpathSync(path);
    if (!out.has(real)) out.set(real, path);
    return;
  }
  const real = realpathSync(path);
  if (seen.has(real)) return;
  seen.add(real);
  if (depth > MAX_RULE_DEPTH) {
    problems.push({ file: shownPath(path), rule: "(folder)", kind: "bad rule", reason: `more than ${MAX_RULE_DEPTH} folders deep: not read` });
    return;
  }
  for (const name of readdirSync(path).sort()) {
    if (name.startsWith(".")) continue;
    const p = join(path, name);
    let s;
    try {
      s = statSync(p);
    } catch (e) {
      if (/\.ya?ml$/i.test(name)) problems.push({ file: shownPath(p), rule: "(file)", kind: "bad rule", reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)} (a link that leads nowhere, or in a loop)` });
      continue;
    }
    if (s.isDirectory()) ruleFiles(p, out, problems, seen, depth + 1);
    else if (/\.ya?ml$/i.test(name)) ruleFiles(p, out, problems, seen, depth + 1);
  }
}

/** The rule files a --rules path names, each once (an error for a path that is not there), and what could not be walked. */
export function listRuleFiles(paths: readonly string[]): { files: string[]; problems: NotRun[] } {
  const out = new Map<string, string>();
  const problems: NotRun[] = [];
  const seen = new Set<string>();
  for (const p of paths) ruleFiles(p, out, problems, seen);
  return { files: [...out.values()], problems };
}

/** The name a problem shows for a file: relative to the working folder when inside it. */
export function shownPath(file: string): string {
  const r = relative(process.cwd(), file);
  return r && !r.startsWith("..") ? r : file;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function titleOf(v: unknown, index: number): string {
  const t = isMap(v) ? v["title"] : undefined;
  return typeof t === "string" && t.trim() ? t.trim().slice(0, 200) : `document ${index + 1}`;
}

function idOf(v: unknown): string | undefined {
  const t = isMap(v) ? v["id"] : undefined;
  return typeof t === "string" ? t : undefined;
}

/** A rule file's YAML documents as values (or why one could not be read); or why the file could not be. */
export type YamlFile = { docs: ({ value: unknown } | { problem: { rule: string; reason: string } })[] } | { problem: string };

/** The YAML documents of a rule file's text (what the rules cache keeps: rules-cache.ts). */
export function readYaml(text: string): YamlFile {
  let parsed;
  try {
    parsed = parseAllDocuments(text, { prettyErrors: false });
  } catch (e) {
    return { problem: `not YAML: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!Array.isArray(parsed)) return { problem: "not YAML documents" };
  return {
    docs: parsed.map((doc, index) => {
      if (doc.errors.length > 0) return { problem: { rule: `document ${index + 1}`, reason: `YAML: ${doc.errors[0]!.message.split("\n")[0]}` } };
      try {
        keepNumberText(doc);
        return { value: doc.toJS({ maxAliasCount: 50 }) as unknown };
      } catch (e) {
        return { problem: { rule: `document ${index + 1}`, reason: `YAML: ${e instanceof Error ? e.message : String(e)}` } };
      }
    }),
  };
}

/** Digits with a leading zero: an account id (`012345678901`), not a number. */
const LEADING_ZERO = /^0[0-9]+$/;

/** Digits (with a sign) that a double does not hold exactly. */
const INTEGER = /^[-+]?[0-9]+$/;

/**
 * A plain scalar of digits with a leading zero stays the text it is: YAML 1.2 reads
 * `012345678901` as the number 12345678901, whose id never matches (PyYAML, which the reference
 * Sigma tools use, reads it as text when it holds an 8 or a 9, and as an octal number when not:
 * neither is the account id written). So does an integer past 2^53, which a double would round
 * (9007199254740993 matched 9007199254740992): Sigma's values are texts, and PyYAML keeps its
 * digits. (Other numbers are as YAML 1.2 reads them: `1.10` is 1.1, as in PyYAML.)
 */
function keepNumberText(doc: Document): void {
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== "number" || node.type !== "PLAIN" || node.source === undefined) return;
      if (LEADING_ZERO.test(node.source) || (INTEGER.test(node.source) && !Number.isSafeInteger(node.value))) node.value = node.source;
    },
  });
}

/**
 * A selection's key naming the field `__proto__`, if any: the rule's checked structure would lose
 * it (a JavaScript object's key), and the selection then hold for more events than it says.
 */
function protoField(detection: unknown): string | undefined {
  if (!isMap(detection)) return undefined;
  for (const search of Object.values(detection)) {
    for (const m of Array.isArray(search) ? search : [search]) {
      if (!isMap(m)) continue;
      const key = Object.keys(m).find((k) => k.split("|")[0] === "__proto__");
      if (key !== undefined) return key;
    }
  }
  return undefined;
}

/** A file's documents as rules (their structure validated with zod), and what could not be read. */
export function fileRules(yaml: YamlFile, file: string): { docs: LoadedDoc[]; problems: NotRun[] } {
  const docs: LoadedDoc[] = [];
  const problems: NotRun[] = [];
  const shown = shownPath(file);
  if ("problem" in yaml) {
    problems.push({ file: shown, rule: "(file)", kind: "bad rule", reason: yaml.problem });
    return { docs, problems };
  }
  // a file with an action document is a rule collection: its other documents are parts of rules
  // the action makes (a global one adds its detection to each), wrong on their own
  const collection = yaml.docs.some((d) => "value" in d && isMap(d.value) && "action" in d.value);
  yaml.docs.forEach((doc, index) => {
    if ("problem" in doc) {
      problems.push({ file: shown, ...doc.problem, kind: "bad rule" });
      return;
    }
    const v = doc.value;
    if (v === null || v === undefined) return; // an empty document (a trailing ---)
    const rule = titleOf(v, index);
    const id = idOf(v);
    const base = { file: shown, rule, ...(id ? { id } : {}) };
    if (collection) {
      problems.push({ ...base, kind: "bad rule", reason: "rule collections (action: global, reset, repeat) are not supported: no document of the file is run" });
      return;
    }
    if (!isMap(v)) {
      problems.push({ ...base, kind: "bad rule", reason: "a rule is a YAML map" });
      return;
    }
    const proto = protoField(v["detection"]);
    if (proto) {
      problems.push({ ...base, kind: "bad rule", reason: `${proto}: a field named __proto__ is not supported` });
      return;
    }
    if ("correlation" in v) {
      const r = CorrelationRuleSchema.safeParse(v);
      if (r.success) docs.push({ kind: "correlation", rule: r.data, file, index });
      else problems.push({ ...base, kind: "bad rule", reason: firstIssue(r.error) });
    } else if ("detection" in v) {
      const r = DetectionRuleSchema.safeParse(v);
      if (r.success) docs.push({ kind: "detection", rule: r.data, file, index });
      else problems.push({ ...base, kind: "bad rule", reason: firstIssue(r.error) });
    } else if ("filter" in v) {
      problems.push({ ...base, kind: "bad rule", reason: "Sigma filters (meta filters) are not run" });
    } else {
      problems.push({ ...base, kind: "bad rule", reason: "neither detection nor correlation: not a Sigma rule" });
    }
  });
  return { docs, problems };
}

/** Reads one file's documents: the rules, and what could not be read. */
export function loadRuleText(text: string, file: string): { docs: LoadedDoc[]; problems: NotRun[] } {
  return fileRules(readYaml(text), file);
}

/**
 * Reads every rule file the paths name; with a cache (rules-cache.ts), a file unchanged since it
 * was last read (path, size, modification time) is not parsed again.
 */
export function loadRules(paths: readonly string[], cache?: RulesCache): { docs: LoadedDoc[]; problems: NotRun[]; files: number; cached: number } {
  const { files, problems } = listRuleFiles(paths);
  const docs: LoadedDoc[] = [];
  let cached = 0;
  for (const file of files) {
    let yaml: YamlFile | undefined;
    try {
      const st = statSync(file);
      yaml = st.isFile() ? cache?.get(file, st) : undefined;
      if (yaml) cached++;
      else {
        yaml = readYaml(readTextFile(file, MAX_RULE_FILE));
        cache?.set(file, st, yaml);
      }
    } catch (e) {
      const reason = e instanceof TextFileError ? e.message : `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
      problems.push({ file: shownPath(file), rule: "(file)", kind: "bad rule", reason });
      continue;
    }
    const r = fileRules(yaml, file);
    docs.push(...r.docs);
    problems.push(...r.problems);
  }
  cache?.save();
  return { docs, problems, files: files.length, cached };
}
