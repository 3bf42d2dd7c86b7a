// Case folding for Sigma's case-insensitive matching, the same as the printed query's (?i) regex
// does it (RE2's simple case folding), so that `detect` and `trailq sigma`'s query find the same
// events. toLowerCase is that for almost every text, but not for three kinds of letter: those with
// two lower-case forms that fold to one (the Greek final sigma ς and σ: toLowerCase writes ς at a
// word's end, so `ΟΔΟΣ` did not match inside `ΟΔΟΣΤ`; the long s ſ and s; Greek symbol forms; old
// Cyrillic forms), and İ, whose lower case is two characters (i and a combining dot) though it folds
// to nothing else.

/** Lower-case letters that fold to another lower-case letter. */
const OTHER_FORMS: Readonly<Record<string, string>> = {
  "ς": "σ",
  "ſ": "s",
  "ϐ": "β",
  "ϑ": "θ",
  "ϕ": "φ",
  "ϖ": "π",
  "ϰ": "κ",
  "ϱ": "ρ",
  "ϵ": "ε",
  "ẛ": "ṡ",
  "\u1fbe": "ι",
  "µ": "μ",
  "\u0345": "ι",
  "ᲀ": "в",
  "ᲁ": "д",
  "ᲂ": "о",
  "ᲃ": "с",
  "ᲄ": "т",
  "ᲅ": "т",
  "ᲆ": "ъ",
  "ᲇ": "ѣ",
  "ᲈ": "ꙋ",
};
const OTHER_FORM = new RegExp(`[${Object.keys(OTHER_FORMS).join("")}]`, "gu");
const ASCII = /^[\x00-\x7f]*$/;

/** `s` case-folded: lower-cased, each letter to the one form the regex engine folds it to. */
export function foldCase(s: string): string {
  const lower = s.toLowerCase();
  if (ASCII.test(lower)) return lower;
  // İ kept as it is (its lower case is two characters), the rest lower-cased
  const kept = s.includes("İ") ? s.split("İ").map((part) => part.toLowerCase()).join("İ") : lower;
  return kept.replace(OTHER_FORM, (c) => OTHER_FORMS[c]!);
}
