// The raw-text prefilter: a query whose filter can only keep events holding some literal (an
// `eventName = "ConsoleLogin"`, an `in [...]`, a `like "text"`) needs none of a file whose decoded text
// holds none of them, so the file is not parsed at all. Clauses come from src/plan/reads.ts; each is a
// list of alternatives, and every clause must have one alternative in the text.

/**
 * JSON may spell any character as a \u escape, and `/` as `\/`: a text holding one may hold a
 * literal in disguise.
 */
const DISGUISES = [Buffer.from("\\u"), Buffer.from("\\/")];

export class Prefilter {
  private readonly clauses: Buffer[][];

  constructor(clauses: string[][]) {
    this.clauses = clauses.map((alts) => alts.map((a) => Buffer.from(a)));
  }

  /** Whether an event of this text might pass the filter (false only when none can). */
  mayMatch(text: Buffer): boolean {
    for (const alts of this.clauses) {
      if (!alts.some((a) => text.includes(a))) return DISGUISES.some((d) => text.includes(d));
    }
    return true;
  }
}
