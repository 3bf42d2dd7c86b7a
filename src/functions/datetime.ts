// Datetime functions. Times are epoch milliseconds; functions that return times say so
// (returns: "time") and the output prints them as dates.
import { toNumber, toText, type Value } from "../exec/values.js";
import { ceilTime, floorTime, FIXED_UNIT_MS, LOGS_INSIGHTS_CAP } from "../time/periods.js";
import type { CompiledArg, CompileContext, FunctionDef } from "./types.js";
import { parseDateText } from "../time/date-text.js";
import { utcOf } from "../time/utc.js";
import { isTime } from "../time/bounds.js";
import { UTC, offsetText, shownOffset, wallToInstant, zoneNamed, type TimeZone } from "../time/zone.js";

/** A time value: a number (epoch ms) or a date string. */
function toTime(v: Value): number | undefined {
  const n = toNumber(v);
  if (n !== undefined) return n;
  if (typeof v === "string") {
    const t = parseDateText(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

function warnCap(p: CompiledArg, ctx: CompileContext, fn: string): void {
  const period = p.period!;
  const cap = LOGS_INSIGHTS_CAP[period.unit];
  if (cap !== undefined && period.amount > cap) {
    ctx.warn(`Logs Insights would read ${fn}(${period.text}) as ${fn}(${cap}${period.unit}); trailq uses ${period.text} as written`, p.expr);
  }
}

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/**
 * strftime in a zone (UTC unless given): %Y %m %d %H %M %S %L (ms) %j %a %A %b %B %y %e %Z (the
 * zone's name) %z (its offset then, +hhmm) %s %F %T %%.
 */
export function strftime(ms: number, pattern: string, zone: TimeZone = UTC): string {
  // at the ends of the times there are, the instant in UTC, as times print
  const offset = shownOffset(zone, ms);
  const wall = ms + offset * 60_000;
  const d = new Date(wall);
  // years before 1000 with four digits, as DuckDB (and ISO 8601) write them
  const year = (): string => {
    const y = d.getUTCFullYear();
    return y >= 0 && y < 1000 ? String(y).padStart(4, "0") : String(y);
  };
  return pattern.replace(/%([a-zA-Z%])/g, (m, c: string) => {
    switch (c) {
      case "Y": return year();
      case "y": return pad(d.getUTCFullYear() % 100);
      case "m": return pad(d.getUTCMonth() + 1);
      case "d": return pad(d.getUTCDate());
      case "e": return String(d.getUTCDate()).padStart(2, " ");
      case "H": return pad(d.getUTCHours());
      case "M": return pad(d.getUTCMinutes());
      case "S": return pad(d.getUTCSeconds());
      case "L": return pad(d.getUTCMilliseconds(), 3);
      case "j": return pad(Math.floor((wall - utcOf(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, 3);
      case "a": return DAYS[d.getUTCDay()]!.slice(0, 3);
      case "A": return DAYS[d.getUTCDay()]!;
      case "b": return MONTHS[d.getUTCMonth()]!.slice(0, 3);
      case "B": return MONTHS[d.getUTCMonth()]!;
      case "F": return `${year()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
      case "T": return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
      case "f": return pad(d.getUTCMilliseconds(), 3) + "000";
      case "I": return pad(d.getUTCHours() % 12 || 12);
      case "p": return d.getUTCHours() < 12 ? "AM" : "PM";
      case "D": return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCFullYear() % 100)}`;
      case "R": return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
      case "u": return String(((d.getUTCDay() + 6) % 7) + 1);
      case "w": return String(d.getUTCDay());
      case "U": return pad(Math.floor((dayOfYear(d) + 7 - d.getUTCDay()) / 7));
      case "V": return pad(isoWeek(d).week);
      case "G": {
        const y = isoWeek(d).year;
        return y >= 0 && y < 1000 ? String(y).padStart(4, "0") : String(y);
      }
      case "s": return String(Math.floor(ms / 1000));
      case "Z": return zone.name;
      case "z": return offsetText(offset).replace(":", "");
      case "%": return "%";
      default: return m;
    }
  });
}

/** The codes strftime writes (any other %x would come out as typed). */
export const STRFTIME_CODES = "YymdeHMSLjaAbBFTfIpDRuwUVGsZz%";

/** The first %x of a pattern that strftime does not write, if any. */
export function unknownStrftimeCode(pattern: string): string | undefined {
  for (const m of pattern.matchAll(/%(.)/gs)) if (!STRFTIME_CODES.includes(m[1]!)) return `%${m[1]}`;
  return undefined;
}

/** The day of the year of a wall clock held as a UTC date, from 0. */
function dayOfYear(d: Date): number {
  return Math.floor((d.getTime() - utcOf(d.getUTCFullYear(), 0, 1)) / 86_400_000);
}

/** ISO 8601's week of a wall clock held as a UTC date: its year is the year of the week's Thursday. */
function isoWeek(d: Date): { year: number; week: number } {
  const monday0 = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(utcOf(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) + (3 - monday0) * 86_400_000);
  return { year: thursday.getUTCFullYear(), week: Math.floor(dayOfYear(thursday) / 7) + 1 };
}

/**
 * Java DateTimeFormatter-style patterns (yyyy MM dd HH mm ss SSS, quoted 'T', X/Z zones) → a parser.
 * A text whose pattern has no zone field is a wall-clock time in `zone` (UTC unless given).
 */
/** The pattern letters javaDateParser reads: any other letter outside quotes is refused (Java reads it, or throws). */
const DATE_LETTERS = "yMdHhmsSaXZ";

/** The first pattern letter outside quotes that javaDateParser does not read (EEE, z, D, YYYY...), if any. */
export function unreadDateLetter(pattern: string): string | undefined {
  const outside = pattern.replace(/'[^']*(?:'|$)/g, "");
  return /[A-Za-z]/.exec(outside.replace(new RegExp(`[${DATE_LETTERS}]`, "g"), ""))?.[0];
}

export function javaDateParser(pattern: string, zone: TimeZone = UTC): (s: string) => number | undefined {
  const fields: string[] = [];
  let re = "";
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === "'") {
      const j = pattern.indexOf("'", i + 1);
      const lit = pattern.slice(i + 1, j < 0 ? undefined : j);
      re += lit.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      i = j < 0 ? pattern.length : j + 1;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    const run = c.repeat(n);
    i += n;
    if (DATE_LETTERS.includes(c)) {
      // yy, as Java reads it: two digits are a year of 2000-2099 (yyyy and y read them as written)
      fields.push(run === "yy" ? "yy" : c);
      re += c === "a" ? "(AM|PM|am|pm)" : c === "X" || c === "Z" ? "(Z|[+-]\\d\\d(?::?\\d\\d)?)" : c === "M" && n >= 3 ? "([A-Za-z]{3,9})" : `(\\d{1,${c === "y" ? 4 : c === "S" ? 9 : 2}})`;
    } else {
      re += run.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }
  }
  const rx = new RegExp("^" + re + "$");
  return (s) => {
    const m = rx.exec(s.trim());
    if (!m) return undefined;
    let y = 1970, mo = 0, d = 1, h = 0, mi = 0, sec = 0, ms = 0, pm: boolean | undefined, off: number | undefined;
    fields.forEach((f, k) => {
      const v = m[k + 1]!;
      switch (f) {
        case "y": y = Number(v); break;
        case "yy": y = Number(v) + (v.length === 2 ? 2000 : 0); break;
        // a name: a month's, whole or its first three letters (-1 otherwise: no date)
        case "M": mo = /^\d+$/.test(v) ? Number(v) - 1 : MONTHS.findIndex((x) => x.toLowerCase() === v.toLowerCase() || x.slice(0, 3).toLowerCase() === v.toLowerCase()); break;
        case "d": d = Number(v); break;
        case "H": case "h": h = Number(v); break;
        case "m": mi = Number(v); break;
        case "s": sec = Number(v); break;
        // past the millisecond cut, not rounded (into the next second), as eventTime is read
        case "S": ms = Number(v.slice(0, 3).padEnd(3, "0")); break;
        case "a": pm = v.toLowerCase() === "pm"; break;
        case "X": case "Z":
          if (v === "Z") off = 0;
          // an offset of hours alone (+01) too, as Java's X reads it
          else { const z = /([+-])(\d\d)(?::?(\d\d))?/.exec(v)!; off = (z[1] === "-" ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? 0)); }
          break;
      }
    });
    // as Java's resolver: a field out of its range is no date (Date.UTC would roll it over)
    if (mo < 0 || mo > 11 || d < 1 || d > new Date(utcOf(y, mo + 1, 0)).getUTCDate() || mi > 59 || sec > 59) return undefined;
    if (pm !== undefined ? h < 1 || h > 12 : h > 23) return undefined;
    if (pm !== undefined) h = (h % 12) + (pm ? 12 : 0);
    const wall = utcOf(y, mo, d, h, mi, sec, ms);
    const t = off === undefined ? wallToInstant(wall, zone) : wall - off * 60_000;
    return Number.isNaN(t) ? undefined : t;
  };
}

/**
 * The zone of parseDate's and formatDate's third argument, as --tz takes one: UTC, local, an IANA
 * name (Europe/Paris) or an offset (+02:00); UTC without one. Any other text is an error: a zone
 * left unread would be a silent UTC.
 */
function zoneArg(z: CompiledArg | undefined, ctx: CompileContext, fn: string): TimeZone {
  if (!z) return UTC;
  return zoneNamed(String(z.constant)) ?? ctx.fail(`${fn}: ${JSON.stringify(z.constant)} is not a time zone: use UTC, local, a name such as Europe/Paris, or an offset such as +02:00`, z.expr);
}

function periodFn(name: string, signature: string, description: string, ceil: boolean): FunctionDef {
  return {
    kind: "scalar", category: "datetime", name, signature, description,
    minArgs: 2, maxArgs: 2, args: ["value", "period"], returns: "time",
    compile: ([t, p], ctx) => {
      warnCap(p!, ctx, name);
      const { amount, unit } = p!.period!;
      const round = ceil ? ceilTime : floorTime;
      return (row) => {
        const ms = toTime(t!.eval(row));
        return ms === undefined ? undefined : round(ms, amount, unit);
      };
    },
  };
}

export const datetimeFunctions: FunctionDef[] = [
  {
    kind: "scalar", category: "datetime", name: "bin", signature: "bin(period)",
    description: "@timestamp rounded down to the period (5m, 1h, 1d, 1w, 1mo, 1q, 1y), UTC",
    minArgs: 1, maxArgs: 1, args: ["period"], returns: "time",
    compile: ([p], ctx) => {
      warnCap(p!, ctx, "bin");
      const { amount, unit } = p!.period!;
      const fixed = FIXED_UNIT_MS[unit];
      if (fixed !== undefined && unit !== "w") {
        const size = amount * fixed;
        return (row) => {
          const t = ctx.timestamp(row);
          return typeof t === "number" ? Math.floor(t / size) * size : undefined;
        };
      }
      return (row) => {
        const t = ctx.timestamp(row);
        return typeof t === "number" ? floorTime(t, amount, unit) : undefined;
      };
    },
  },
  periodFn("datefloor", "datefloor(time, period)", "the time rounded down to the period", false),
  periodFn("dateceil", "dateceil(time, period)", "the time rounded up to the period (a boundary stays put)", true),
  {
    kind: "scalar", category: "datetime", name: "fromMillis", signature: "fromMillis(ms)",
    description: "epoch milliseconds as a time (a fraction of a millisecond cut, as a time's: -0.5 is 1969-12-31 23:59:59.999)", minArgs: 1, maxArgs: 1, returns: "time",
    // a time is within ±8.64e15 ms (as Date holds one): past it, none (it stopped the run, exit 70)
    impl: (v) => { const n = toNumber(v); return n === undefined || !isTime(n) ? undefined : Math.floor(n); },
  },
  {
    kind: "scalar", category: "datetime", name: "toMillis", signature: "toMillis(time)",
    description: "a time as epoch milliseconds", minArgs: 1, maxArgs: 1, returns: "number",
    impl: (v) => toTime(v),
  },
  {
    kind: "scalar", category: "datetime", name: "now", signature: "now()",
    description: "the query's start time in epoch seconds", minArgs: 0, maxArgs: 0, returns: "number",
    compile: (_args, ctx) => {
      const s = Math.floor(ctx.now / 1000);
      return () => s;
    },
  },
  ...queryTimeFunctions(),
  {
    kind: "scalar", category: "datetime", name: "parseDate", signature: 'parseDate(str, "yyyy-MM-dd HH:mm:ss" [, zone])',
    description: "parses text with a Java date pattern to epoch milliseconds; a text without a zone is in the zone given (UTC unless given)",
    minArgs: 2, maxArgs: 3, args: ["value", "literal", "literal"], returns: "time",
    compile: ([s, p, z], ctx) => {
      // a letter left as literal text would match no date, every row null without a word
      const unread = unreadDateLetter(String(p!.constant));
      if (unread !== undefined) ctx.fail(`parseDate: the pattern letter ${unread} is not read (trailq reads y M d H h m s S a X Z; put other text in single quotes: 'T')`, p!.expr);
      const parse = javaDateParser(String(p!.constant), zoneArg(z, ctx, "parseDate"));
      return (row) => {
        const t = toText(s!.eval(row));
        return t === undefined ? undefined : parse(t);
      };
    },
  },
  {
    kind: "scalar", category: "datetime", name: "formatDate", aliases: ["strftime"], signature: 'formatDate(time, "%Y-%m-%d" [, zone])',
    description: "formats a time with strftime codes, in the zone given (UTC unless given)",
    minArgs: 2, maxArgs: 3, args: ["value", "literal", "literal"], returns: "string",
    compile: ([t, p, z], ctx) => {
      const pattern = String(p!.constant);
      // a code it does not write would come out as typed, every row alike (stats by it: one group)
      const unknown = unknownStrftimeCode(pattern);
      if (unknown !== undefined) ctx.fail(`formatDate: ${unknown} is not a code it writes (it writes %${STRFTIME_CODES.slice(0, -1).split("").join(" %")} and %%)`, p!.expr);
      const zone = zoneArg(z, ctx, "formatDate");
      return (row) => {
        const ms = toTime(t!.eval(row));
        // a time past those a date holds (an epoch in nanoseconds) is no time: none, as when printed
        return ms === undefined || !isTime(ms) ? undefined : strftime(ms, pattern, zone);
      };
    },
  },
];

/**
 * queryStartTime(), queryEndTime() and queryTimeRange(): the query's time range in epoch ms, as
 * --start, --end, --since and SOURCE set it (a range with a start and no end ends now, as in Logs
 * Insights). A query with no start has none to give: null, and a warning says why.
 */
function queryTimeFunctions(): FunctionDef[] {
  const start = (ctx: CompileContext): number | undefined => ctx.range?.start;
  const end = (ctx: CompileContext): number | undefined => ctx.range?.end ?? (ctx.range?.start !== undefined ? ctx.now : undefined);
  const fn = (name: string, description: string, of: (ctx: CompileContext) => number | undefined): FunctionDef => ({
    kind: "scalar", category: "datetime", name, signature: `${name}()`, description, minArgs: 0, maxArgs: 0, returns: "number",
    compile: (_args, ctx) => {
      const v = of(ctx);
      if (v === undefined) ctx.warn(`${name}() is null: the query has no time range to give it (--start, --since or SOURCE START=)`);
      return () => v;
    },
  });
  return [
    fn("queryStartTime", "the start of the query's time range, epoch ms (--start, --since, SOURCE START=)", start),
    fn("queryEndTime", "the end of the query's time range, epoch ms (--end; now when only a start is given)", end),
    fn("queryTimeRange", "the length of the query's time range in ms", (ctx) => {
      const a = start(ctx);
      const b = end(ctx);
      return a !== undefined && b !== undefined ? b - a : undefined;
    }),
  ];
}
