// How one value prints: as text (table, csv, markdown) or as a JSON value (json, jsonl).
// Time columns print as `YYYY-MM-DD HH:MM:SS.mmm` in UTC, or in the zone of --tz with its offset
// after (`2026-11-01 07:00:00.000 +01:00`); booleans as 1/0; structures as JSON.
import type { ValueType } from "../functions/types.js";
import { formatNumber, isNull, type Value } from "../exec/values.js";
import { displayZone, inDisplayZone } from "../time/zone.js";
import { isTime } from "../time/bounds.js";
import { setOwn } from "../exec/own.js";
import { safeJson } from "./safe.js";

const DAY_MS = 86_400_000;
/** The date part of the last day formatted (rows come in time order more often than not), as text and as bytes. */
let lastDay = NaN;
let lastDayText = "";
let lastDayBytes = new Uint8Array(0);

const pad2 = (n: number): string => (n < 10 ? "0" : "") + n;
const pad3 = (n: number): string => (n < 10 ? "00" : n < 100 ? "0" : "") + n;

/** The day of an instant read as UTC (its date part set as the last day's), and the milliseconds into it. */
function dayOf(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) {
    lastDay = day;
    // the date before the "T": a year past 9999 or before 0 is written with its sign and six digits
    const iso = new Date(day * DAY_MS).toISOString();
    lastDayText = iso.slice(0, iso.indexOf("T")) + " ";
    lastDayBytes = Buffer.from(lastDayText, "latin1");
  }
  return ms - day * DAY_MS;
}

/** `YYYY-MM-DD HH:MM:SS.mmm` in the zone times are shown in (UTC unless --tz), with the zone's offset when it is not UTC. */
export function formatTime(ms: number): string {
  return inDisplayZone(ms, wallTime);
}

/** `YYYY-MM-DD HH:MM:SS.mmm` of an instant read as UTC: the date once per day, the time by arithmetic. */
function wallTime(ms: number): string {
  ms = Math.trunc(ms); // as Date does
  let rest = dayOf(ms);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  return lastDayText + pad2(h) + ":" + pad2(m) + ":" + pad2(s) + "." + pad3(rest - s * 1000);
}

/**
 * formatTime's text written as bytes into `buf` at `at` (room for 32 bytes needed), no string made
 * (a row's time was five of them, a fifth of what `fields @timestamp, ...` allocated); the bytes
 * written, or 0 when the display zone is not UTC (its offset: formatTime then).
 */
export function putTime(ms: number, buf: Uint8Array, at: number): number {
  if (!displayZone().utc) return 0;
  ms = Math.trunc(ms);
  let rest = dayOf(ms);
  const day = lastDayBytes;
  for (let i = 0; i < day.length; i++) buf[at + i] = day[i]!;
  let p = at + day.length;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  rest -= s * 1000;
  buf[p++] = ZERO + Math.floor(h / 10);
  buf[p++] = ZERO + (h % 10);
  buf[p++] = COLON;
  buf[p++] = ZERO + Math.floor(m / 10);
  buf[p++] = ZERO + (m % 10);
  buf[p++] = COLON;
  buf[p++] = ZERO + Math.floor(s / 10);
  buf[p++] = ZERO + (s % 10);
  buf[p++] = DOT;
  buf[p++] = ZERO + Math.floor(rest / 100);
  buf[p++] = ZERO + (Math.floor(rest / 10) % 10);
  buf[p++] = ZERO + (rest % 10);
  return p - at;
}

const ZERO = 0x30;
const COLON = 0x3a;
const DOT = 0x2e;

/**
 * The text of a value; null/absent give undefined, and so do NaN and a time that is no time. A
 * number past the double's range (1e400 in the data, an overflow) is Infinity or -Infinity: printed
 * so, as JavaScript, Python and Athena print it.
 */
export function renderText(v: Value, type: ValueType): string | undefined {
  if (isNull(v)) return undefined;
  switch (typeof v) {
    case "number":
      if (!Number.isFinite(v)) return type === "time" || Number.isNaN(v) ? undefined : String(v);
      if (type === "time") return isTime(v) ? formatTime(v) : undefined;
      return formatNumber(v);
    case "boolean":
      return v ? "1" : "0";
    case "string":
      return v;
    default: {
      // JSON.stringify writes Infinity as null: only a text with a null may hold one. safeJson: a
      // lone surrogate in a key as U+FFFD, as -f json writes it (`\ud800` is no JSON to jq)
      const text = JSON.stringify(v);
      return safeJson(text.includes("null") && holdsInfinity(v) ? JSON.stringify(finiteJson(v)) : text);
    }
  }
}

/**
 * The JSON value of a value; undefined means "leave the key out". JSON has no number past the
 * double's range: Infinity and -Infinity are written as those strings (JSON.stringify would write
 * null), alone or inside a structure.
 */
export function renderJson(v: Value, type: ValueType): unknown {
  if (isNull(v)) return undefined;
  switch (typeof v) {
    case "number":
      if (!Number.isFinite(v)) return type === "time" || Number.isNaN(v) ? undefined : String(v);
      if (type === "time") return isTime(v) ? formatTime(v) : undefined;
      return v;
    case "boolean":
      return v ? 1 : 0;
    case "object":
      return finiteJson(v);
    default:
      return v;
  }
}

/** A structure as it is, or, when it holds a number past the double's range, a copy with it as a string ("Infinity"). */
function finiteJson(v: unknown): unknown {
  if (typeof v === "number") return Number.isFinite(v) || Number.isNaN(v) ? v : String(v);
  if (typeof v !== "object" || v === null || !holdsInfinity(v)) return v;
  if (Array.isArray(v)) return v.map(finiteJson);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) setOwn(out, k, finiteJson(x));
  return out;
}

/** Whether a value holds Infinity or -Infinity, at any depth (a walk that makes nothing: every structure printed is walked). */
function holdsInfinity(v: unknown): boolean {
  if (typeof v === "number") return v === Infinity || v === -Infinity;
  if (typeof v !== "object" || v === null) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (holdsInfinity(v[i])) return true;
    return false;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) if (Object.hasOwn(o, k) && holdsInfinity(o[k])) return true;
  return false;
}
