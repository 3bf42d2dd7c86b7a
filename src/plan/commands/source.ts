// SOURCE: which inputs a query reads, from the AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD
// layout. Forms: `SOURCE logGroups(accountIdentifiers: ['111122223333'], regions: ['us-east-1'])`,
// options `account=`/`accounts=`, `region=`/`regions=` (a string or a list), and the time range
// `START=-7d END=now` (relative or ISO 8601), as the console writes it.
import { QueryError, UserError, quoteText } from "../../errors.js";
import type { Expr, GenericArg, SourceCmd } from "../../lang/ast.js";
import { parseInstant } from "../../time/range.js";
import { displayZone } from "../../time/zone.js";

/** What an account id and a region name look like, and what a value that does not is told (SOURCE's and --account's, --region's). */
export const ACCOUNT_ID_FORM = { pattern: /^\d{12}$/, message: "an account id has 12 digits" };
export const REGION_NAME_FORM = { pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, message: "not a region name such as us-east-1" };

export interface SourceSelection {
  accounts?: string[];
  regions?: string[];
  start?: number;
  end?: number;
}

/**
 * The accounts or regions a value names, each checked as --account and --region check theirs: a
 * value that names none (`'US-EAST-1'`, `'us-east-1,eu-west-1'`, 11 digits, an empty list) would
 * select nothing without a word.
 */
function names(e: Expr, what: string, form: { pattern: RegExp; message: string }): string[] {
  if (e.kind === "list") {
    if (e.items.length === 0) throw new QueryError(`${what}: an empty list selects nothing`, e.span);
    return e.items.flatMap((i) => names(i, what, form));
  }
  const text = e.kind === "string" ? e.value : e.kind === "number" ? e.text : e.kind === "field" ? e.name : undefined;
  if (text === undefined) throw new QueryError(`${what} must be a string or a list of strings`, e.span);
  if (!form.pattern.test(text)) throw new QueryError(`${what}: ${quoteText(text)}: ${form.message}`, e.span);
  return [text];
}

function instant(a: Extract<GenericArg, { kind: "option" }>, now: number): number {
  const v = a.value;
  const text = v.kind === "string" ? v.value : v.kind === "word" ? v.text : v.text;
  try {
    // a date or date-time without a zone is in --tz's zone, as --start and --end read it; its
    // date and time may be parted by a space as theirs may (a relative time's spaces go)
    const relative = /^\s*[-+]?\s*\d+(\.\d+)?\s*[a-zA-Z]+\s*$/.test(text);
    return parseInstant(relative ? text.replace(/\s+/g, "") : text.trim(), now, a.name, displayZone());
  } catch (e) {
    if (e instanceof UserError) throw new QueryError(`${a.name}= needs a time: relative like -7d or 0s, or ISO 8601 like "2026-11-01"`, a.span);
    throw e;
  }
}

export function sourceSelection(cmd: SourceCmd, now: number, warn: (m: string) => void): SourceSelection {
  const sel: SourceSelection = {};
  const add = (key: "accounts" | "regions", values: string[]): void => {
    sel[key] = [...(sel[key] ?? []), ...values];
  };
  for (const a of cmd.args) {
    if (a.kind === "comma") continue;
    if (a.kind === "option") {
      const k = a.name.toLowerCase();
      if (k === "start") sel.start = instant(a, now);
      else if (k === "end") sel.end = instant(a, now);
      else if ((k === "account" || k === "accounts") && a.value.kind !== "word") add("accounts", names(a.value, a.name, ACCOUNT_ID_FORM));
      else if ((k === "region" || k === "regions") && a.value.kind !== "word") add("regions", names(a.value, a.name, REGION_NAME_FORM));
      else throw new QueryError(`SOURCE takes accounts=, regions=, START= and END=, not ${a.name}=`, a.span);
      continue;
    }
    if (a.kind === "expr" && a.expr.kind === "call" && a.expr.name.toLowerCase() === "loggroups") {
      a.expr.args.forEach((arg, i) => {
        const name = (a.expr as Extract<Expr, { kind: "call" }>).argNames?.[i]?.toLowerCase();
        if (name === "accountidentifiers") add("accounts", names(arg, "accountIdentifiers", ACCOUNT_ID_FORM));
        else if (name === "regions") add("regions", names(arg, "regions", REGION_NAME_FORM));
        else warn(`SOURCE logGroups(${name ?? "…"}: …) does not apply to CloudTrail files: ignored`);
      });
      continue;
    }
    if (a.kind === "expr" && (a.expr.kind === "string" || a.expr.kind === "field")) {
      // `SOURCE '/aws/lambda/x'`: a log group name; CloudTrail files have none
      warn(`SOURCE ${a.expr.text}: log group names don't apply to CloudTrail files: ignored`);
      continue;
    }
    throw new QueryError("SOURCE takes logGroups(accountIdentifiers: [...]), accounts=, regions=, START= and END=", a.span);
  }
  if (sel.start !== undefined && sel.end !== undefined && sel.start > sel.end) throw new QueryError("SOURCE: START is after END", cmd.span);
  return sel;
}
