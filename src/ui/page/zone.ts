// The zone the console shows times in (`trailq ui --tz`, UTC unless given): the table's cells come
// written in it by the server; the histogram's times and the range's label are written here.
import { isTime } from "../../time/bounds.js";

let label = "UTC";
/** A fixed offset's minutes (`+05:30`), when the zone is one. */
let fixed: number | undefined;
/** An IANA zone's clock, when the zone is one. */
let clock: Intl.DateTimeFormat | undefined;

/** Takes the server's zone (`UTC`, `Europe/Paris`, `+05:30`). */
export function setZone(name: string): void {
  label = name;
  fixed = undefined;
  clock = undefined;
  const offset = /^([+-])(\d\d):(\d\d)$/.exec(name);
  if (offset) fixed = (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
  else if (name !== "UTC") {
    clock = new Intl.DateTimeFormat("en-US", { timeZone: name, hourCycle: "h23", era: "short", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }
}

/** The zone's name, as the labels show it. */
export function zoneLabel(): string {
  return label;
}

/** The first `chars` characters of `YYYY-MM-DD HH:MM:SS` for an instant, in the zone. */
export function zoned(t: number, chars: number): string {
  if (clock) {
    const p: Record<string, string> = {};
    for (const part of clock.formatToParts(t)) p[part.type] = part.value;
    const year = isoYear(Number(p["year"]), p["era"] === "BC");
    // `chars` counts a year of four digits
    return `${year}-${p["month"]}-${p["day"]} ${p["hour"]}:${p["minute"]}:${p["second"]}`.slice(0, chars + year.length - 4);
  }
  // at the ends of the times there are, the zone's clock may be past them: the instant in UTC, as the table shows it
  const shifted = t + (fixed ?? 0) * 60_000;
  const iso = new Date(isTime(shifted) ? shifted : t).toISOString().replace("T", " ");
  // a year of more than four digits takes its own: `chars` counts four
  return iso.slice(0, chars + iso.indexOf("-", 1) - 4);
}

/** A year as an ISO date writes it, as the table's times do: four digits (`0050`), past 9999 or before the year 0 (1 BC) with its sign and six. */
function isoYear(year: number, bc: boolean): string {
  const y = bc ? 1 - year : year;
  return y >= 0 && y <= 9999 ? String(y).padStart(4, "0") : `${y < 0 ? "-" : "+"}${String(Math.abs(y)).padStart(6, "0")}`;
}
