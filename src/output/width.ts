// How many terminal columns text takes, and text cut to a number of columns: East Asian Wide and
// Fullwidth characters (CJK, most emoji) take 2, combining marks, joiners, variation selectors and
// the other default-ignorable characters 0, the rest 1. Both functions walk the text once, from the
// start, and stop as soon as they know the answer: a 50 MB value cut to 40 columns costs 40
// columns' work, not 50 MB's (no spread into an array of characters).
import { eastAsianWidth } from "get-east-asian-width";

/** Characters that take no column of their own: marks that combine with the one before, and the default-ignorable ones (joiners, variation selectors, tags). */
const ZERO = /^(?:\p{Mn}|\p{Me}|\p{Default_Ignorable_Code_Point}|\p{Cc})$/u;
const ZWJ = 0x200d;
const PICTOGRAPHIC = /^\p{Extended_Pictographic}$/u;

const isRegional = (cp: number): boolean => cp >= 0x1f1e6 && cp <= 0x1f1ff;
const isSkinTone = (cp: number): boolean => cp >= 0x1f3fb && cp <= 0x1f3ff;

/**
 * A walk over a text's columns: `step` takes the code point at `i` and returns the columns it adds
 * (0 for one that joins the character before: a mark, a joiner, the emoji after a joiner, a skin
 * tone after an emoji, the second of a flag's regional indicators).
 */
class Columns {
  private prev = 0;
  private joined = false;
  private regional = false;

  step(cp: number): number {
    if (cp >= 0x20 && cp < 0x7f) {
      this.prev = cp;
      this.joined = false;
      this.regional = false;
      return 1;
    }
    const prev = this.prev;
    // the common cases without a table: Latin-1 letters, CJK ideographs, Hangul syllables
    if ((cp >= 0xa0 && cp < 0x300 && cp !== 0xad) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7a3)) {
      this.prev = cp;
      this.joined = false;
      this.regional = false;
      return cp < 0x300 ? 1 : 2;
    }
    const c = String.fromCodePoint(cp);
    const joined = this.joined;
    this.prev = cp;
    this.joined = cp === ZWJ;
    if (cp === ZWJ || ZERO.test(c)) return 0;
    // an emoji ZWJ sequence is one picture (👩‍💻), a skin tone colours the emoji before it
    if (joined && PICTOGRAPHIC.test(c)) return 0;
    if (isSkinTone(cp) && prev !== 0 && PICTOGRAPHIC.test(String.fromCodePoint(prev))) return 0;
    // a flag is a pair of regional indicators, one picture two columns wide
    if (isRegional(cp)) {
      this.regional = !this.regional;
      return this.regional ? 2 : 0;
    }
    this.regional = false;
    return eastAsianWidth(cp);
  }
}

function codePointAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
  }
  return c;
}

/** Plain printable ASCII: as many columns as characters. */
/** Printable ASCII only: text that is its own visible() and as wide as it is long. */
export const ASCII = /^[\x20-\x7e]*$/;

/**
 * The columns `s` takes on a terminal. With `limit`, counting stops once the width is past it:
 * the answer is then some number greater than `limit` (the text is wider than that), found in time
 * proportional to `limit`.
 */
export function displayWidth(s: string, limit = Infinity): number {
  // plain ASCII: one test of the text (native, no allocation), if testing all of it is not more than the limit asks
  if ((limit === Infinity || s.length <= 4 * limit + 64) && ASCII.test(s)) return s.length;
  const cols = new Columns();
  let w = 0;
  for (let i = 0; i < s.length; ) {
    const cp = codePointAt(s, i);
    i += cp > 0xffff ? 2 : 1;
    w += cols.step(cp);
    if (w > limit) return w;
  }
  return w;
}

/**
 * `s` cut to at most `max` columns: when it is wider (or `more` says it goes on past what `s`
 * holds), the characters that fit in `max - 1` columns and `…`. A character is never split, nor
 * a mark from the one it follows. Reads no further into `s` than `max` columns and the marks after.
 */
export function cutToWidth(s: string, max: number, more = false): string {
  max = Math.max(1, max);
  if (!more && s.length <= max && ASCII.test(s)) return s;
  const cols = new Columns();
  let w = 0;
  /** Where the text shown before `…` ends: the last place whose width is at most max - 1. */
  let keep = 0;
  for (let i = 0; i < s.length; ) {
    const cp = codePointAt(s, i);
    const next = i + (cp > 0xffff ? 2 : 1);
    w += cols.step(cp);
    if (w > max) return s.slice(0, keep) + "…";
    if (w <= max - 1) keep = next;
    i = next;
  }
  return more ? s.slice(0, keep) + "…" : s;
}

/**
 * `s` cut to at most `max` columns in its middle: its start, `…`, and its end (two long names that
 * differ at their ends stay apart: `requestParameters.buc…ReplicaSource`). A character is never split.
 */
export function cutMiddle(s: string, max: number): string {
  if (displayWidth(s, max) <= max) return s;
  const head = cutToWidth(s, Math.ceil(max / 2), true);
  const room = max - displayWidth(head);
  let tail = "";
  for (let k = 1; k <= Math.min(s.length, 2 * room); k++) {
    const c = s.charCodeAt(s.length - k);
    // not from the second half of a surrogate pair, a joiner or a mark, nor from after a joiner (👩‍💻's 💻)
    if ((c >= 0xdc00 && c <= 0xdfff) || c === 0x200d || (c >= 0x300 && c <= 0x36f) || (c >= 0xfe00 && c <= 0xfe0f) || s.charCodeAt(s.length - k - 1) === 0x200d) continue;
    const t = s.slice(s.length - k);
    if (displayWidth(t, room) > room) break;
    tail = t;
  }
  return head + tail;
}

/** `s` padded with spaces to `width` columns (on the right; `left`: on the left). */
export function padToWidth(s: string, width: number, left = false): string {
  const pad = width - displayWidth(s, width);
  if (pad <= 0) return s;
  return left ? " ".repeat(pad) + s : s + " ".repeat(pad);
}

/**
 * The first code units of `s` that can fill `columns` columns (every character takes at most 2
 * code units and, but for the zero-width ones, at least 1 column), cut at a character's edge;
 * undefined when `s` is no longer than that. Makes escaping and cutting a huge value cost what is
 * shown.
 */
export function headOf(s: string, columns: number): string | undefined {
  const room = 4 * columns + 64;
  if (s.length <= room) return undefined;
  const c = s.charCodeAt(room - 1);
  return s.slice(0, c >= 0xd800 && c <= 0xdbff ? room - 1 : room);
}
