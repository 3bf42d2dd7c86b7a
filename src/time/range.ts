// The query time range, like the Logs Insights time picker: --start/--end as ISO 8601 or relative
// (`-2h`, `-7d`, `now`), and --since 24h (start = now − 24h). Both ends are inclusive.
import { UserError, ExitCode } from "../errors.js";
import { FIXED_UNIT_MS, periodUnit } from "./periods.js";
import { isTime } from "./bounds.js";
import { UTC, wallToInstant, type TimeZone } from "./zone.js";
import { isoNamesZone, parseEventTime } from "./event-time.js";

export interface TimeRange {
  /** epoch ms, inclusive; undefined = unbounded */
  start?: number;
  end?: number;
}

const RELATIVE = /^([-+]?)(\d+(?:\.\d+)?)\s*([a-zA-Z]+)$/;

/** Milliseconds of a duration such as `24h`, `7d`, `90m`, `2w` (fixed units only). */
export function parseDuration(text: string, option: string): number {
  const m = RELATIVE.exec(text.trim());
  // a sign is a point's (--start -2h), not a length's: --since -2h read as 2h would hide the slip
  if (m?.[1]) throw new UserError(`bad value for ${option}: "${text}" is a length of time, without a sign (such as 2h)`, ExitCode.usage);
  // M: minutes to the units (m), months to many a reader (which have no fixed length)
  if (m?.[3] === "M") throw new UserError(`bad value for ${option}: "${text}" could be minutes or months: write ${m[2]}m for minutes (a month has no fixed length: give days, such as 30d)`, ExitCode.usage);
  const unit = m ? periodUnit(m[3]!) : undefined;
  const ms = unit ? FIXED_UNIT_MS[unit] : undefined;
  if (!m || ms === undefined) {
    throw new UserError(`bad value for ${option}: "${text}" is not a duration such as 30m, 24h or 7d`, ExitCode.usage);
  }
  return Number(m[2]) * ms;
}

/**
 * A point in time: `now`, a relative offset from now (`-2h`, `-7d`, `+1d`), or an ISO 8601 date or
 * date-time, in `zone` (UTC by default) unless it names its own: `2026-11-01`, `2026-11-01T06:00`,
 * `2026-11-01T06:00:00+02:00`, `2026-11-01T06:00Z`.
 */
export function parseInstant(text: string, now: number, option: string, zone: TimeZone = UTC): number {
  const t = text.trim();
  if (t.toLowerCase() === "now") return now;
  // a bare duration (`0s`, `15m`, as the console writes END=0s) is that long ago
  if (/^\d+(?:\.\d+)?\s*[a-zA-Z]+$/.test(t)) return held(now - parseDuration(t, option), option, text);
  if (/^[-+]\d/.test(t)) {
    const sign = t.startsWith("-") ? -1 : 1;
    return held(now + sign * parseDuration(t.slice(1), option), option, text);
  }
  // ISO 8601 read as eventTime is (a day that is not in its month is not a time); a date, or a
  // date-time without a zone, is a wall time in `zone`
  const zoned = isoNamesZone(t);
  const ms = zoned === undefined ? NaN : parseEventTime(t);
  if (Number.isNaN(ms)) {
    throw new UserError(`bad value for ${option}: "${text}" is not a time (use ISO 8601 like 2026-11-01T06:00Z, or relative like -2h)`, ExitCode.usage);
  }
  return zoned ? ms : wallToInstant(ms, zone);
}

/**
 * 1 when a time's fraction has digits past the millisecond that are not all 0 (.0001), else 0: a
 * time keeps its milliseconds, so a start rounds up, and no event before it is kept.
 */
function pastTheMillisecond(text: string): number {
  return /[T ]\d{2}:\d{2}(?::\d{2})?[.,]\d{3}\d*[1-9]/.test(text) ? 1 : 0;
}

/** A time JavaScript can hold (±100,000,000 days from 1970), else a usage error naming the option. */
function held(at: number, option: string, text: string): number {
  if (!isTime(at)) throw new UserError(`bad value for ${option}: "${text}" is further than a time can be`, ExitCode.usage);
  return at;
}

/** The range of --start, --end and --since; a date-time without a zone is in `zone` (--tz). */
export function parseTimeRange(opts: { start?: string | undefined; end?: string | undefined; since?: string | undefined }, now: number, zone: TimeZone = UTC): TimeRange {
  const range: TimeRange = {};
  if (opts.since !== undefined) {
    if (opts.start !== undefined) throw new UserError("--since and --start both set the start: give one", ExitCode.usage);
    range.start = held(now - parseDuration(opts.since, "--since"), "--since", opts.since);
  }
  if (opts.start !== undefined) range.start = parseInstant(opts.start, now, "--start", zone) + pastTheMillisecond(opts.start);
  if (opts.end !== undefined) range.end = parseInstant(opts.end, now, "--end", zone);
  if (range.start !== undefined && range.end !== undefined && range.start > range.end) {
    throw new UserError(`${opts.since !== undefined ? "--since" : "--start"} is after --end`, ExitCode.usage);
  }
  // a date is its first instant: `--start D --end D` would keep the events of one millisecond
  const day = /^\s*\d{4}-\d{2}-\d{2}\s*$/;
  if (opts.start !== undefined && opts.end !== undefined && day.test(opts.end) && range.start === range.end) {
    const next = new Date(Date.parse(`${opts.end.trim()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    throw new UserError(`--start and --end are both the first instant of ${opts.end.trim()}: a date means its midnight; for the whole day write --end ${next}`, ExitCode.usage);
  }
  return range;
}
