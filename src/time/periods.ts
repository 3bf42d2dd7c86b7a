// Time periods (`5m`, `1h`, `1mo`, `2 hours`): unit names and calendar-correct flooring in UTC.
import type { PeriodUnit } from "../lang/ast.js";

/** Every spelling Logs Insights accepts for each unit; multi-letter spellings also take a plural `s`. */
const UNIT_SPELLINGS: Record<PeriodUnit, string[]> = {
  ms: ["ms", "msec", "millisecond"],
  s: ["s", "sec", "second"],
  m: ["m", "min", "minute"],
  h: ["h", "hr", "hour"],
  d: ["d", "day"],
  w: ["w", "week"],
  mo: ["mo", "mon", "month"],
  q: ["q", "qtr", "quarter"],
  y: ["y", "yr", "year"],
};

const UNIT_BY_SPELLING = new Map<string, PeriodUnit>();
for (const [unit, spellings] of Object.entries(UNIT_SPELLINGS) as [PeriodUnit, string[]][]) {
  for (const s of spellings) {
    UNIT_BY_SPELLING.set(s, unit);
    if (s.length > 1) UNIT_BY_SPELLING.set(s + "s", unit);
  }
}

/** The unit a spelling stands for (case-insensitive), or undefined. `ms` is milliseconds, `m` minutes. */
export function periodUnit(spelling: string): PeriodUnit | undefined {
  return UNIT_BY_SPELLING.get(spelling.toLowerCase());
}

/** All spellings, longest first (for a lexer pattern). */
export function unitSpellings(): string[] {
  return [...UNIT_BY_SPELLING.keys()].sort((a, b) => b.length - a.length);
}

/** Fixed length of a unit in milliseconds; months, quarters and years have none. */
export const FIXED_UNIT_MS: Partial<Record<PeriodUnit, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** The cap Logs Insights silently applies to a unit's amount (bin(300s) acts as 60 s there). */
export const LOGS_INSIGHTS_CAP: Partial<Record<PeriodUnit, number>> = { ms: 1000, s: 60, m: 60, h: 24 };
