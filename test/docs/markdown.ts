// What the docs show, read out of their markdown: fenced blocks (with the prose before each), the
// inline code spans of the prose and tables, and the tables themselves. Used by examples.test.ts.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export interface Block {
  /** the file, relative to the project folder */
  file: string;
  /** the line of the opening fence (1-based) */
  line: number;
  /** the fence's info string: the language and any words after it (`console exit=2`) */
  info: string;
  /** the lines inside the fence, without the fence's own indentation */
  lines: string[];
  /** the prose between the block before (or the start of the file) and this one */
  before: string;
}

export interface Span {
  file: string;
  line: number;
  text: string;
}

export interface Table {
  file: string;
  line: number;
  rows: { line: number; cells: string[] }[];
}

export interface Doc {
  file: string;
  text: string;
  blocks: Block[];
  /** code spans outside fenced blocks */
  spans: Span[];
  tables: Table[];
}

/** README.md and every docs/*.md, in that order. */
export function docFiles(root: string): string[] {
  return ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
}

/**
 * The cells of a table row as GitHub reads them: split at every `|` not escaped with `\`, code
 * spans included (a `|` inside backticks still ends a cell there).
 */
export function cells(row: string): string[] {
  let s = row.trim();
  if (s.startsWith("|")) s = s.slice(1);
  if (s.endsWith("|") && !s.endsWith("\\|")) s = s.slice(0, -1);
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\" && s[i + 1] === "|") {
      cur += "|";
      i++;
    } else if (s[i] === "|") {
      out.push(cur.trim());
      cur = "";
    } else cur += s[i];
  }
  out.push(cur.trim());
  return out;
}

/** Code spans of a line of prose (single or double backticks, as CommonMark pairs them). */
export function codeSpans(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] !== "`") {
      i++;
      continue;
    }
    let n = 0;
    while (line[i + n] === "`") n++;
    const fence = "`".repeat(n);
    let j = i + n;
    let end = -1;
    while (j < line.length) {
      const k = line.indexOf(fence, j);
      if (k < 0) break;
      if (line[k + n] !== "`" && line[k - 1] !== "`") {
        end = k;
        break;
      }
      j = k + 1;
      while (line[j] === "`") j++;
    }
    if (end < 0) {
      i += n;
      continue;
    }
    let text = line.slice(i + n, end);
    if (text.startsWith(" ") && text.endsWith(" ") && text.trim() !== "") text = text.slice(1, -1);
    out.push(text);
    i = end + n;
  }
  return out;
}

export function readDoc(root: string, file: string): Doc {
  const text = readFileSync(join(root, file), "utf8");
  const lines = text.split("\n");
  const blocks: Block[] = [];
  const spans: Span[] = [];
  const tables: Table[] = [];
  let prose: string[] = [];
  let table: Table | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = /^(\s*)```(.*)$/.exec(line);
    if (open) {
      const indent = open[1]!.length;
      const body: string[] = [];
      let j = i + 1;
      while (j < lines.length && lines[j]!.trim() !== "```") {
        body.push(lines[j]!.slice(Math.min(indent, lines[j]!.length - lines[j]!.trimStart().length)));
        j++;
      }
      blocks.push({ file, line: i + 1, info: open[2]!.trim(), lines: body, before: prose.join("\n") });
      prose = [];
      table = undefined;
      i = j;
      continue;
    }
    prose.push(line);
    const inTable = /^\s*\|/.test(line);
    // in a table, `\|` is a | inside a cell, code spans included
    for (const s of codeSpans(line)) spans.push({ file, line: i + 1, text: inTable ? s.replace(/\\\|/g, "|") : s });
    if (inTable) {
      if (!table) tables.push((table = { file, line: i + 1, rows: [] }));
      table.rows.push({ line: i + 1, cells: cells(line) });
    } else table = undefined;
  }
  return { file, text, blocks, spans, tables };
}
