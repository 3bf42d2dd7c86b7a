// `trailq completion bash|zsh|fish`: a shell completion script, made from the program's own
// definition (subcommands and their options, the values an option takes) and the template ids, so
// that it never drifts from what the command accepts. Template ids are checked by the template
// schema (lower-case letters, digits and -), so they are safe in a script.
import type { Command, Option } from "commander";
import { ExitCode, UserError } from "../errors.js";
import { FORMAT_NAMES } from "../output/names.js";
import { TEMPLATE_CATEGORIES } from "../templates/template.js";
import { CHART_TYPES, COLOR_WHEN, ENGINES, SQL_DIALECTS, TEMPLATE_LIST_FORMATS } from "./options.js";

export const SHELLS = ["bash", "zsh", "fish"] as const;

/** The values an option takes (the lists its schema checks), by subcommand and option. */
function valuesOf(words: string[], long: string | undefined): readonly string[] | undefined {
  switch (long) {
    case "--format":
      return words[0] === "templates" ? TEMPLATE_LIST_FORMATS : FORMAT_NAMES;
    case "--color":
      return COLOR_WHEN;
    case "--chart-type":
      return CHART_TYPES;
    case "--engine":
      return ENGINES;
    case "--dialect":
      return SQL_DIALECTS;
    case "--category":
      return TEMPLATE_CATEGORIES;
    default:
      return undefined;
  }
}

/** The options whose value is a file or folder (the others take words the shell cannot guess: times, ids). */
const PATH_OPTIONS = new Set(["--chart", "--lookup", "--query-file", "--templates", "--out"]);

/** A subcommand as the script sees it: its words ("templates show"), its options, what its first argument completes to. */
interface Sub {
  words: string[];
  options: { long?: string; short?: string; values?: readonly string[]; path: boolean; takesValue: boolean }[];
  /** What the first argument completes to: template ids, shells, paths, nothing. */
  firstArg: "templates" | "shells" | "files" | "none";
}

function subcommands(program: Command, templateCommands: Set<string>): Sub[] {
  const out: Sub[] = [];
  const visit = (c: Command, words: string[]): void => {
    for (const sub of c.commands) {
      const w = [...words, sub.name()];
      const options = sub.options.map((o: Option) => {
        const values = valuesOf(w, o.long);
        return { ...(o.long ? { long: o.long } : {}), ...(o.short ? { short: o.short } : {}), ...(values ? { values } : {}), path: PATH_OPTIONS.has(o.long ?? ""), takesValue: o.required || o.optional };
      });
      const name = w.join(" ");
      const firstArg = templateCommands.has(name) ? "templates" : name === "completion" ? "shells" : sub.registeredArguments.length > 0 ? "files" : "none";
      out.push({ words: w, options, firstArg });
      visit(sub, w);
    }
  };
  visit(program, []);
  return out;
}

export function completionScript(shell: string, program: Command, templateIds: string[]): string {
  if (!(SHELLS as readonly string[]).includes(shell)) throw new UserError(`bad value for shell "${shell}": must be one of: ${SHELLS.join(", ")}`, ExitCode.usage);
  const subs = subcommands(program, new Set(["run", "templates show"]));
  return shell === "fish" ? fish(subs, templateIds) : bashLike(subs, templateIds, shell === "zsh");
}

function bashLike(subs: Sub[], ids: string[], zsh: boolean): string {
  const top = subs.filter((s) => s.words.length === 1).map((s) => s.words[0]);
  const cases = subs.map((s) => {
    const flags = s.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined));
    const values = s.options
      .filter((o) => o.takesValue)
      .map((o) => `      ${[o.long, o.short].filter(Boolean).join("|")}) ${o.values ? `COMPREPLY=($(compgen -W "${o.values.join(" ")}" -- "$cur"))` : o.path ? 'COMPREPLY=($(compgen -f -- "$cur"))' : "COMPREPLY=()"}; return ;;`);
    const words = s.firstArg === "templates" ? '"$ids"' : s.firstArg === "shells" ? `"${SHELLS.join(" ")}"` : undefined;
    const first = words ? `      if [ "$cword" -eq ${s.words.length + 1} ] && [[ "$cur" != -* ]]; then COMPREPLY=($(compgen -W ${words} -- "$cur")); return; fi` : "";
    const rest = s.firstArg === "files" || s.firstArg === "templates" ? "" : "      files=no";
    return [`    "${s.words.join(" ")}")`, '      case "$prev" in', ...values, "      esac", first, rest, `      opts="${flags.join(" ")}" ;;`].filter(Boolean).join("\n");
  });
  return `# trailq completion for ${zsh ? "zsh" : "bash"}: source it (eval "$(trailq completion ${zsh ? "zsh" : "bash"})")
${zsh ? "autoload -U +X bashcompinit && bashcompinit\n" : ""}_trailq() {
  local cur prev cword sub opts ids files=yes
  cword=$COMP_CWORD
  cur="\${COMP_WORDS[cword]}"
  prev="\${COMP_WORDS[cword-1]}"
  ids="${ids.join(" ")}"
  if [ "$cword" -eq 1 ]; then COMPREPLY=($(compgen -W "${top.join(" ")}" -- "$cur")); return; fi
  sub="\${COMP_WORDS[1]}"
  if [ "$sub" = templates ] && [ "\${COMP_WORDS[2]}" = show ]; then sub="templates show"; fi
  if [ "$sub" = templates ] && [ "$cword" -eq 2 ] && [[ "$cur" != -* ]]; then COMPREPLY=($(compgen -W "show" -- "$cur")); return; fi
  opts=""
  case "$sub" in
${cases.join("\n")}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); elif [ "$files" = yes ]; then COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -o filenames -F _trailq trailq
`;
}

function fish(subs: Sub[], ids: string[]): string {
  const lines = ["# trailq completion for fish: trailq completion fish > ~/.config/fish/completions/trailq.fish", "complete -c trailq -f"];
  const top = subs.filter((s) => s.words.length === 1);
  lines.push(`complete -c trailq -n __fish_use_subcommand -a "${top.map((s) => s.words[0]).join(" ")}"`);
  for (const s of subs) {
    const cond = s.words.length === 1 ? `__fish_seen_subcommand_from ${s.words[0]}` : `__fish_seen_subcommand_from ${s.words.at(-1)}`;
    for (const o of s.options) {
      const parts = [`complete -c trailq -n "${cond}"`];
      if (o.long) parts.push(`-l ${o.long.slice(2)}`);
      if (o.short) parts.push(`-s ${o.short.slice(1)}`);
      if (o.takesValue) parts.push(o.values ? `-x -a "${o.values.join(" ")}"` : o.path ? "-r -F" : "-x");
      lines.push(parts.join(" "));
    }
    if (s.firstArg === "templates") lines.push(`complete -c trailq -n "${cond}" -a "${ids.join(" ")}"`);
    else if (s.firstArg === "shells") lines.push(`complete -c trailq -n "${cond}" -a "${SHELLS.join(" ")}"`);
    else if (s.firstArg === "files") lines.push(`complete -c trailq -n "${cond}" -F`);
  }
  lines.push('complete -c trailq -n "__fish_seen_subcommand_from templates" -a show');
  return lines.join("\n") + "\n";
}
