// A text as a string literal of the query language: what the lexer reads back as that same text.
// The lexer knows the escapes \n, \r, \t, \uXXXX and a backslash before any other character (that
// character); every other character is written as it is (a backslash doubled, so that `\u0041` in
// the text stays text).

/** `"..."` with backslashes, double quotes and line ends escaped. */
export function quoteString(s: string): string {
  return `"${s.replace(/[\\"]/g, "\\$&").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")}"`;
}
