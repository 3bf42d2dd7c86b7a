// Values come from whoever called AWS: a user agent, a bucket name or an error message can hold
// terminal escapes, spreadsheet formulas or markup. These functions make a value's text inert for
// where it goes; docs/cli.md ("Hostile values") lists what each format does.

/** DEL, the C1 controls (some terminals read U+009B as CSI), the line and paragraph separators, and the bidi marks, embeddings, overrides and isolates (they reorder what a reader sees). */
const REORDERING = "\\x7f-\\x9f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069";
/**
 * The characters that take no room and show nothing, below U+FFFF (`al\u200bice` would look like
 * `alice`): the soft hyphen, the combining grapheme joiner, the Hangul fillers, U+180E, the
 * zero-width space, U+2060–U+2064, U+206A–U+206F, the variation selectors, the byte-order mark.
 * The joiners U+200C and U+200D are left as they are: scripts and emoji sequences are written with
 * them (an emoji's variation selector is escaped with the rest: it shows the same without it).
 */
const HIDDEN = "\\u00ad\\u034f\\u115f\\u1160\\u180e\\u200b\\u2060-\\u2064\\u206a-\\u206f\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0";
/** Those past U+FFFF, as their surrogate pairs: the tag characters (ASCII written invisibly), the variation selectors 17–256, the musical formatting characters. */
const HIDDEN_PAIRS = "\\udb40[\\udc00-\\udc7f\\udd00-\\uddef]|\\ud834[\\udd73-\\udd7a]";

/**
 * The characters a human output never writes as they are: C0 controls, REORDERING, the
 * noncharacters U+FFFE and U+FFFF, lone surrogates (not text: no UTF-8), HIDDEN and HIDDEN_PAIRS.
 * UNSAFE_CHARS is the text of their character class but the pairs and the lone surrogates
 * (errors.ts escapes the same in a query's line, where a surrogate is judged by its pair).
 */
export const UNSAFE_CHARS = `\\x00-\\x1f${REORDERING}\\ufffe\\uffff${HIDDEN}`;
/** UNSAFE_CHARS, HIDDEN_PAIRS and lone surrogates, each a match. */
export const UNSAFE = new RegExp(`[${UNSAFE_CHARS}]|${HIDDEN_PAIRS}|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]`, "g");
/** The gate: one character class (surrogates paired or not), cheaper than UNSAFE's alternation. */
const MAYBE_UNSAFE = new RegExp(`[${UNSAFE_CHARS}\\ud800-\\udfff]`);
const UNSAFE_ONE = new RegExp(UNSAFE.source);

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

const hex = (n: number, digits: number): string => n.toString(16).padStart(digits, "0");

/** Each UTF-16 code unit of `s` as `\uXXXX` (a character past U+FFFF as its two surrogates): JSON and the query language read them back as `s`. */
export function unitEscapes(s: string): string {
  let out = "";
  for (let k = 0; k < s.length; k++) out += `\\u${hex(s.charCodeAt(k), 4)}`;
  return out;
}

/** One unsafe character's visible form: `\n`, `\r`, `\t`, `\x1b` (up to U+00FF), `\u202e`, `\u{e0041}` (past U+FFFF); a lone surrogate is U+FFFD. */
function shown(c: string): string {
  if (c.length === 2) return `\\u{${hex(c.codePointAt(0)!, 5)}}`;
  const code = c.charCodeAt(0);
  if (code >= 0xd800 && code <= 0xdfff) return "\ufffd";
  return NAMED[c] ?? (code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`);
}

/**
 * A value's text for a person to read (table, markdown, the terminal chart, the prompt, SVG and
 * HTML labels, messages on standard error): every unsafe character shown as an escape, so the
 * text is one line and nothing in it acts on the terminal or the page. Backslashes stay as they
 * are: the escapes are for reading; json gives the exact value.
 */
export function visible(s: string): string {
  return MAYBE_UNSAFE.test(s) ? s.replace(UNSAFE, shown) : s;
}

/** Runs of what visible() escapes. */
const UNSAFE_RUNS = new RegExp(`(?:${UNSAFE.source})+`, "g");

/**
 * One line of text where escapes would be noise (a Sigma rule's title in its query's `#` header):
 * each run of the characters visible() escapes becomes a space.
 */
export function spacedOut(s: string): string {
  return MAYBE_UNSAFE.test(s) ? s.replace(UNSAFE_RUNS, " ") : s;
}

/** Whether a text holds nothing visible() would change. */
export function isVisible(s: string): boolean {
  return !UNSAFE_ONE.test(s);
}

/** The characters visible() escapes that JSON text writes as `\u` escapes: all but the C0 controls (JSON.stringify escapes them) and lone surrogates (U+FFFD). */
const JSON_ESCAPED = `${REORDERING}\\ufffe\\uffff${HIDDEN}`;
const JSON_GATE = new RegExp(`[${JSON_ESCAPED}]|${HIDDEN_PAIRS}|\\\\ud[89a-f]`);
const JSON_FIX = new RegExp(`\\\\\\\\|\\\\ud[89a-f][0-9a-f]{2}|[${JSON_ESCAPED}]|${HIDDEN_PAIRS}`, "g");

/**
 * JSON text as JSON.stringify writes it, made safe without changing any value but lone surrogates:
 * JSON.stringify escapes C0 controls and writes a lone surrogate as `\ud800` (which jq and other
 * strict readers reject); here a lone surrogate becomes U+FFFD (as the other formats show it),
 * and the other characters visible() escapes (JSON_ESCAPED) are written as `\u` escapes (the
 * same string to a JSON reader, inert on a terminal).
 */
export function safeJson(text: string): string {
  if (!JSON_GATE.test(text)) return text;
  // `\\` is matched first so that an escaped backslash followed by "ud800" stays text
  return text.replace(JSON_FIX, (m) => (m === "\\\\" ? m : m[0] === "\\" ? "\ufffd" : unitEscapes(m)));
}

/**
 * The characters safeJson changes in a string's JSON text (surrogates included, paired or not: a
 * pair is then left as it is). One character-class test on the string, cheaper than safeJson's own
 * on its longer JSON text.
 */
const JSON_UNSAFE_RAW = new RegExp(`[${JSON_ESCAPED}\\ud800-\\udfff]`);

/**
 * Those, and the characters a string's JSON text escapes (quote, backslash, C0 controls): a string
 * with none is its JSON text quoted, as is.
 */
const JSON_NOT_PLAIN = new RegExp(`[\\x00-\\x1f"\\\\${JSON_ESCAPED}\\ud800-\\udfff]`);

/** A string's JSON text as jsonText gives it, most strings without JSON.stringify (a quarter of its time). */
export function jsonString(s: string): string {
  if (!JSON_NOT_PLAIN.test(s)) return '"' + s + '"';
  return JSON_UNSAFE_RAW.test(s) ? jsonText(s) : JSON.stringify(s);
}

/** JSON.stringify, then safeJson. */
export function jsonText(v: unknown): string {
  return safeJson(JSON.stringify(v));
}

/**
 * A formula's first character (also the full-width and small forms of `=+-@`), also after what a
 * spreadsheet may drop first: white space and double quotes (a space, a no-break space, a
 * byte-order mark, a line end: LibreOffice's "trim spaces"), and the controls and characters that
 * show nothing (U+0085, the separators U+001C–U+001F, the zero-width space, the word joiner...).
 */
const FORMULA_START = /^[\s"\x00-\x1f\x7f-\x9f\u180e\u200b-\u200f\u2060-\u2064]*[=+\-@\uff1d\uff0b\uff0d\uff20\ufe62\ufe63\ufe66\ufe6b]|^[\t\r]/;
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * A CSV cell that a spreadsheet would run as a formula (text beginning with `=`, `+`, `-`, `@` or their
 * full-width forms, which some spreadsheets read alike, after
 * any white space or double quotes, or with tab or carriage return, that is not a number) gets a
 * leading `'`, which spreadsheets read as "text".
 */
export function inertCell(s: string): string {
  return FORMULA_START.test(s) && !NUMBER_TEXT.test(/^[\t\r]/.test(s) ? s : s.trim()) ? "'" + s : s;
}

/** Text for XML or HTML content and (double-quoted) attribute values: visible(), then the markup characters as entities. */
export function xmlText(s: string): string {
  return visible(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Text for a markdown table cell: visible(), then a backslash before every character that
 * markdown reads as structure or markup (`|` ends the cell; `<` starts HTML, `[` a link, `` ` `` code,
 * `*` `_` `~` emphasis, `&` an entity; `\` itself, so a value's backslash cannot escape a `|`).
 */
export function markdownText(s: string): string {
  return visible(s).replace(/[\\|<>[\]`*_~&]/g, "\\$&");
}
