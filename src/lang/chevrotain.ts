// chevrotain, loaded from its own single-file build: its package entry is a tree of several hundred
// modules (lodash-es) that takes about 230 ms to load, against 15 ms for the bundle of the same
// version it ships beside it (lib/chevrotain.mjs). Start-up time matters for a command-line tool.
// The package's exports map names only the entry, so the bundle is found next to it.
type Chevrotain = typeof import("chevrotain");

const entry = import.meta.resolve("chevrotain");
const api = (await import(new URL("../chevrotain.mjs", entry).href)) as Chevrotain;

export const { createToken, Lexer, EmbeddedActionsParser, tokenMatcher } = api;
