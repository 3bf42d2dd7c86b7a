// The summary's figures, counted as findings come (the findings themselves may stream past to the
// timeline's sort and its spill files): per level, per rule, authors, first and last finding.
import type { RuleInfo } from "./sigma.js";

export class Tally {
  findings = 0;
  readonly levels = new Map<string, number>();
  readonly perRule = new Map<RuleInfo, number>();
  readonly authors = new Set<string>();
  first = Infinity;
  last = -Infinity;

  add(rule: RuleInfo, time: number): void {
    this.findings++;
    this.levels.set(rule.level, (this.levels.get(rule.level) ?? 0) + 1);
    this.perRule.set(rule, (this.perRule.get(rule) ?? 0) + 1);
    if (rule.author) this.authors.add(rule.author);
    if (!Number.isNaN(time)) {
      if (time < this.first) this.first = time;
      if (time > this.last) this.last = time;
    }
  }
}
