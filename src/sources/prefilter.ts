// The raw-text prefilter: a query whose filter can only keep events holding some literal (an
// `eventName = "ConsoleLogin"`, an `in [...]`, a `like "text"`) needs none of a file whose decoded text
// holds none of them, so the file is not parsed at all. Clauses come from src/plan/reads.ts; each is a
// list of alternatives, and every clause must have one alternative in the text.
import { BACKSLASH } from "./json-bytes.js";

/**
 * JSON may spell any character as a \u escape, and `/` as `\/`: a text holding a backslash followed
 * by `u` or `/` may hold a literal in disguise. One pass from backslash to backslash (memchr, about
 * 20 GB/s here) in place of a search for each two-byte text (about 11 GB/s each): the text of a
 * file that none of a filtered query's literals are in is gone through once for them, once for this.
 */
function mayDisguise(text: Buffer): boolean {
  for (let p = text.indexOf(BACKSLASH); p >= 0; p = text.indexOf(BACKSLASH, p + 1)) {
    const next = text[p + 1];
    if (next === LETTER_U || next === SLASH) return true;
  }
  return false;
}
const LETTER_U = 0x75;
const SLASH = 0x2f;

/** Shorter common parts are not worth a pass of their own over the text. */
const MIN_COMMON = 4;

/** The longest text every alternative holds (`"CreateSecurityGroup"`, `"DeleteSecurityGroup"` → `SecurityGroup`). */
export function commonPart(alts: string[]): string {
  const shortest = alts.reduce((a, b) => (b.length < a.length ? b : a));
  for (let len = shortest.length; len >= MIN_COMMON; len--) {
    for (let i = 0; i + len <= shortest.length; i++) {
      const part = shortest.slice(i, i + len);
      if (alts.every((a) => a.includes(part))) return part;
    }
  }
  return "";
}

interface Clause {
  alternatives: Buffer[];
  /**
   * What all the alternatives hold (`part`): they are looked for only where it is, each at its
   * offset (where the alternative first holds it), so that the text is gone through once, not once
   * an alternative.
   */
  common?: { part: Buffer; offsets: number[] };
}

export class Prefilter {
  private readonly clauses: Clause[];

  constructor(clauses: string[][]) {
    this.clauses = clauses.map((alts) => {
      const clause: Clause = { alternatives: alts.map((a) => Buffer.from(a)) };
      const common = alts.length > 1 ? commonPart(alts) : "";
      if (common) {
        const part = Buffer.from(common);
        clause.common = { part, offsets: clause.alternatives.map((a) => a.indexOf(part)) };
      }
      return clause;
    });
  }

  /** Whether an event of this text might pass the filter (false only when none can). */
  mayMatch(text: Buffer): boolean {
    for (const c of this.clauses) {
      if (!holdsOne(text, c)) return mayDisguise(text);
    }
    return true;
  }
}

/** Whether the text holds one of the clause's alternatives. */
function holdsOne(text: Buffer, c: Clause): boolean {
  const { common, alternatives } = c;
  if (!common) return alternatives.some((a) => text.includes(a));
  const { part, offsets } = common;
  for (let p = text.indexOf(part); p >= 0; p = text.indexOf(part, p + 1)) {
    for (let k = 0; k < alternatives.length; k++) {
      const a = alternatives[k]!;
      const at = p - offsets[k]!;
      if (at >= 0 && at + a.length <= text.length && text.compare(a, 0, a.length, at, at + a.length) === 0) return true;
    }
  }
  return false;
}
