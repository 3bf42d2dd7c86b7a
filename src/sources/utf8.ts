// Bytes that are not UTF-8 (Latin-1 text, an overlong form, a surrogate encoded): Buffer's decoder
// reads each as U+FFFD without a word, so a value holding one no longer matches its text (a filter
// on "josé" missed a Latin-1 userName) and eventIDs differing there were taken for copies. The
// readers decode as before and check the bytes only when the text holds U+FFFD (a text of one-byte
// characters is looked at in a few nanoseconds; the bytes at about 25 GB/s): the fast path then
// leaves the file to the careful reader, which reads it and says so once.
import { isUtf8 } from "node:buffer";

/** Texts decoded in this thread whose bytes were not UTF-8 (the careful reader compares it before and after a file). */
export const notUtf8 = { texts: 0 };

/** Whether `text`, decoded from `bytes`, holds a U+FFFD that stands for bytes that are not UTF-8. */
export function replacedBytes(text: string, bytes: Uint8Array): boolean {
  return text.includes("\ufffd") && !isUtf8(bytes);
}

/** The bytes' text, or undefined when they are not UTF-8 (the fast path then leaves the file to the careful reader). */
export function strictUtf8(b: Buffer, start = 0, end = b.length): string | undefined {
  const s = b.toString("utf8", start, end);
  return replacedBytes(s, b.subarray(start, end)) ? undefined : s;
}

/** The bytes' text as Buffer decodes it (a byte that is not UTF-8 as U+FFFD), counted in notUtf8 when that happened. */
export function utf8Text(b: Buffer, start = 0, end = b.length): string {
  const s = b.toString("utf8", start, end);
  if (replacedBytes(s, b.subarray(start, end))) notUtf8.texts++;
  return s;
}

/** The warning's words for a file that held such bytes (or, in UTF-16, half a surrogate pair: split.ts). */
export const NOT_UTF8 = "bytes that are not UTF-8 (Latin-1 text?), or in UTF-16 half a surrogate pair, read as U+FFFD \ufffd: values holding them do not match their text, and eventIDs that differ only there are taken for copies";
