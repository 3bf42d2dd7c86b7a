// The time zone times are shown in (--tz, the prompt's .tz): UTC unless asked, as the Logs Insights
// console offers UTC or the browser's local time. It changes how times print (table, CSV, JSON...,
// the summary's warnings) and what a date-time without a zone means in --start and --end; never how
// the query computes (bin(1d) buckets are UTC days, as in Logs Insights).
import { UserError, ExitCode } from "../errors.js";
import { MAX_TIME_MS } from "./bounds.js";
import { daysFromCivil } from "./event-time.js";

export interface TimeZone {
  /** As given, resolved: `UTC`, `Europe/Paris`, `+05:30`. */
  readonly name: string;
  /** True for UTC: times print as they always did, without an offset. */
  readonly utc: boolean;
  /** The zone's offset from UTC at instant `ms`, in minutes (east positive). */
  offsetAt(ms: number): number;
}

export const UTC: TimeZone = { name: "UTC", utc: true, offsetAt: () => 0 };

/** Offsets change on quarter hours at most: one lookup per quarter hour of the times shown. */
const QUARTER_MS = 900_000;

function fixedZone(minutes: number, name: string): TimeZone {
  return minutes === 0 ? UTC : { name, utc: false, offsetAt: () => minutes };
}

/**
 * An IANA zone, its offsets from Intl (undefined when Intl does not know the name). `name`
 * undefined: the process's own zone, `label` its name when Intl has none for it (a POSIX TZ such
 * as `JST-9`).
 */
function namedZone(name: string | undefined, label = "local"): TimeZone | undefined {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", { timeZone: name, hourCycle: "h23", era: "short", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
  } catch {
    return undefined;
  }
  const resolved = format.resolvedOptions().timeZone as string | undefined;
  // Etc/Unknown: the process's zone when TZ is empty, which POSIX reads as UTC
  if (resolved === "UTC" || resolved === "Etc/UTC" || resolved === "Etc/Unknown") return UTC;
  /** The offset at an instant, in minutes, from the zone's wall clock then (to the second). */
  const offsetOf = (ms: number): number => {
    const at = Math.floor(ms / 1000) * 1000;
    const parts: Record<string, number> = {};
    let bc = false;
    for (const p of format.formatToParts(at)) {
      if (p.type === "era") bc = p.value === "BC";
      else if (p.type !== "literal") parts[p.type] = Number(p.value);
    }
    // the wall clock as if UTC, by arithmetic: the year as a number line has it (1 BC is the year
    // 0; Date.UTC reads 0-99 as 1900-1999), and past the last time a Date holds (the zone's clock
    // there is); with its seconds: a local mean time's offset has some (New York's -04:56:02),
    // rounded to minutes
    const days = daysFromCivil(bc ? 1 - parts["year"]! : parts["year"]!, parts["month"]!, parts["day"]!);
    const wall = days * 86_400_000 + parts["hour"]! * 3_600_000 + parts["minute"]! * 60_000 + parts["second"]! * 1000;
    return Math.round((wall - at) / 60_000);
  };
  let quarter = NaN;
  let offset = 0;
  /** The quarter hour holds a change of offset: each instant's is read. */
  let changes = false;
  return {
    name: resolved ?? label,
    utc: false,
    offsetAt(ms: number): number {
      const q = Math.floor(ms / QUARTER_MS);
      if (q !== quarter) {
        quarter = q;
        offset = offsetOf(q * QUARTER_MS);
        // most changes are on a quarter hour of UTC, not all (St. John's at 03:31 UTC until 2011,
        // Casey, every local mean time's end): one in the quarter is found at its last second
        changes = offsetOf(Math.min((q + 1) * QUARTER_MS - 1000, MAX_TIME_MS)) !== offset;
      }
      return changes ? offsetOf(ms) : offset;
    },
  };
}

/**
 * A zone as --tz takes it: `UTC` (or `Z`), `local` (this machine's zone: TZ, else the system's), an
 * IANA name (`Europe/Paris`, `America/New_York`), or a fixed offset (`+02:00`, `-0530`, `+2`).
 */
export function parseZone(text: string, option = "--tz"): TimeZone {
  const t = text.trim();
  if (/^(utc|z|gmt)$/i.test(t)) return UTC;
  const fixed = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(t);
  if (fixed) {
    const h = Number(fixed[2]);
    const m = Number(fixed[3] ?? 0);
    if (m > 59) throw new UserError(`bad value for ${option}: "${text}" is not an offset from UTC (its minutes are 00 to 59)`, ExitCode.usage);
    if (h > 14) throw new UserError(`bad value for ${option}: "${text}" is not an offset from UTC (at most ±14:00)`, ExitCode.usage);
    const minutes = (fixed[1] === "-" ? -1 : 1) * (h * 60 + m);
    return fixedZone(minutes, offsetText(minutes));
  }
  const zone = t.toLowerCase() === "local" ? localZone(option) : t ? namedZone(t) : undefined;
  if (!zone) {
    throw new UserError(`bad value for ${option}: "${text}" is not a time zone (use UTC, local, a name such as Europe/Paris, or an offset such as +02:00)`, ExitCode.usage);
  }
  return zone;
}

/**
 * local: the process's zone. TZ as a zone's name (`Europe/Paris`) or unset (the system's) is Intl's;
 * TZ as a POSIX offset without summer time (`IST-5:30`, `JST-9`: east of UTC is minus), which Intl
 * reads as UTC or not at all, is that offset; a POSIX rule with summer time, or a TZ no one knows, is
 * a usage error (read as UTC, times printed and --start read an offset off).
 */
function localZone(option: string): TimeZone {
  const tz = process.env["TZ"]?.trim() || undefined;
  if (tz === undefined) return namedZone(undefined) ?? UTC;
  const posix = POSIX_OFFSET.exec(tz);
  if (posix) {
    const minutes = (posix[1] === "-" ? 1 : -1) * (Number(posix[2]) * 60 + Number(posix[3] ?? 0));
    return fixedZone(minutes, offsetText(minutes));
  }
  // Intl's zone: UTC only when TZ says UTC (else Intl fell back to it); any other that Intl named
  // (TZ=:Asia/Tokyo is Asia/Tokyo), or that TZ names as Intl knows it (TZ=Europe/Paris)
  const zone = namedZone(undefined, tz);
  if (zone && (zone === UTC ? isUtcName(tz) : zone.name !== tz || namedZone(tz) !== undefined)) return zone;
  throw new UserError(`bad value for ${option}: local is TZ=${JSON.stringify(tz)}, which is no zone node knows (a POSIX rule with summer time is not read): give a zone's name (Europe/Paris) or an offset (+05:30)`, ExitCode.usage);
}

/** A POSIX TZ of a standard time alone: a name of 3 letters or more (or <...>), its offset west of UTC. */
const POSIX_OFFSET = /^(?:[A-Za-z]{3,}|<[^>]+>)([+-]?)(\d{1,2})(?::(\d{2}))?(?::\d{2})?$/;

/** Whether a TZ names UTC itself (then Intl's UTC is right, not a fallback). */
function isUtcName(tz: string): boolean {
  return /^(?:UTC|GMT|Z|Etc\/UTC|Etc\/GMT|Universal|Zulu|UCT)$/i.test(tz);
}

/** The zone a text names, as parseZone reads it, or undefined when it names none (the caller says so in its own words). */
export function zoneNamed(text: string): TimeZone | undefined {
  try {
    return parseZone(text);
  } catch (e) {
    if (e instanceof UserError) return undefined;
    throw e;
  }
}

/** `+02:00`, `-05:30`, `+00:00`. */
export function offsetText(minutes: number): string {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? "-" : "+"}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

/**
 * The instant whose wall-clock time in `zone` is `wall` (a date-time read as if UTC). A wall time
 * that a change to summer time skips is read with the offset before the change; one that the
 * change back repeats, as the first of the two.
 */
export function wallToInstant(wall: number, zone: TimeZone): number {
  if (zone.utc) return wall;
  const before = zone.offsetAt(wall - 86_400_000);
  const after = zone.offsetAt(wall + 86_400_000);
  // the earlier of the two readings that give this wall time back, else the one before the change
  for (const offset of before >= after ? [before, after] : [after, before]) {
    const t = wall - offset * 60_000;
    if (zone.offsetAt(t) === offset) return t;
  }
  return wall - before * 60_000;
}

let shown: TimeZone = UTC;

/** The zone times print in, in this process (set once by the command line, or by the prompt's .tz). */
export function displayZone(): TimeZone {
  return shown;
}

export function setDisplayZone(zone: TimeZone): void {
  shown = zone;
}

/**
 * An instant to the second, as a message says it: `2026-11-03 23:59:31 UTC`, or in the display zone
 * `2026-11-04 00:59:31 +01:00` (a template's anchor, the prompt's time range).
 */
export function momentText(ms: number): string {
  return shown.utc ? `${wallClock(ms)} UTC` : inDisplayZone(ms, wallClock);
}

/** `2026-11-03 23:59:31` (`2026-11-03 23:59` without `seconds`) of an instant read as UTC. */
export function wallClock(t: number, seconds = true): string {
  const iso = new Date(t).toISOString();
  // cut after the clock's minutes or seconds, wherever the year's digits end (+010000-01-01)
  const at = iso.indexOf("T");
  return iso.slice(0, at + (seconds ? 9 : 6)).replace("T", " ");
}

/**
 * An instant as the display zone's wall clock: `wall` writes it as if UTC (`2026-11-01 07:00`);
 * outside UTC the time is the zone's and its offset follows (`2026-11-01 08:00 +01:00`).
 */
export function inDisplayZone(ms: number, wall: (ms: number) => string): string {
  if (shown.utc) return wall(ms);
  const offset = shownOffset(shown, ms);
  return `${wall(ms + offset * 60_000)} ${offsetText(offset)}`;
}

/**
 * The zone's offset at an instant, in minutes, for writing the instant as the zone's wall clock: 0 at
 * the ends of the times there are, where that clock would be past them (the instant is then written in UTC).
 */
export function shownOffset(zone: TimeZone, ms: number): number {
  const offset = zone.offsetAt(ms);
  return Math.abs(ms + offset * 60_000) > MAX_TIME_MS ? 0 : offset;
}
