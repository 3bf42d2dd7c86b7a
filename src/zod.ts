// zod for every schema (options, templates, lookup tables), in its functional form zod/mini: it loads
// in a third of the time of the chained API, and every command pays that at start-up. zod/mini comes
// without messages; these are the English ones ("expected number, received NaN").
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

z.config(en());

export { z };
