// Time periods (`5m`, `1h`, `1mo`, `2 hours`): unit names and calendar-correct flooring in UTC.
import type { PeriodUnit } from "../lang/ast.js";
import { utcOf } from "./utc.js";

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

const MONDAY_1970_01_05 = 4 * 86_400_000;

/** Months since 1970-01 of a UTC instant. */
function monthIndex(ms: number): number {
  const d = new Date(ms);
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

function monthStart(index: number): number {
  return utcOf(1970 + Math.floor(index / 12), ((index % 12) + 12) % 12);
}

const MONTHS_PER: Partial<Record<PeriodUnit, number>> = { mo: 1, q: 3, y: 12 };

/**
 * Floor an instant to a multiple of a period, in UTC: fixed units to multiples since the epoch, weeks
 * to Mondays (multiples counted from Monday 1970-01-05), months/quarters/years to calendar
 * boundaries (multiples counted from 1970-01).
 */
export function floorTime(ms: number, amount: number, unit: PeriodUnit): number {
  if (!(amount > 0)) return ms;
  const months = MONTHS_PER[unit];
  if (months !== undefined) {
    const step = Math.max(1, Math.round(amount * months));
    const i = monthIndex(ms);
    return monthStart(Math.floor(i / step) * step);
  }
  const size = amount * FIXED_UNIT_MS[unit]!;
  const origin = unit === "w" ? MONDAY_1970_01_05 : 0;
  return Math.floor((ms - origin) / size) * size + origin;
}

/** Round an instant up to a period boundary; an instant on a boundary stays put. */
export function ceilTime(ms: number, amount: number, unit: PeriodUnit): number {
  const f = floorTime(ms, amount, unit);
  if (f === ms) return ms;
  const months = MONTHS_PER[unit];
  if (months !== undefined) {
    const step = Math.max(1, Math.round(amount * months));
    return monthStart(monthIndex(f) + step);
  }
  return f + amount * FIXED_UNIT_MS[unit]!;
}
