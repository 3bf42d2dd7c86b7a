// A Sigma rule as a trailq (Logs Insights) query: `trailq sigma RULE.yml`. The rule becomes a typed
// filter tree (qnode.ts) with the matcher's semantics, built from the same checked entries
// (modifiers.ts analyzeEntry), then printed with every field name, string and regex escaped; the
// text is parsed and planned again before it is shown, so a rule cannot change the query's shape.
//
//   field: value         (field like /(?is)^value$/ or jsonStringify(field) like /(?is)^value$/)
//                        a map or a list is matched on its JSON text, as the matcher does (the
//                        second half is left out for the fields CloudTrail logs as text)
//   field: null          not ispresent(field)
//   field|exists: true   ispresent(field)
//   field|re: x          field like /x/ (its flags), on the JSON text too
//   field|cidr: n        isIpInSubnet(field, "n")
//   field|gt: 5          field > 5
//   a|fieldref: b        tolower(a) = tolower(b)
//   keywords             @message like /(?is)keyword/
import { parseQuery } from "../lang/index.js";
import { buildPlan } from "../plan/build.js";
import { analyzeEntry } from "./modifiers.js";
import { literalText, patternRegex, type Pattern } from "./pattern.js";
import { RuleRefusal } from "./refusal.js";
import { refuseEmpty, splitKey } from "./search.js";
import { ruleCondition, isCloudTrail } from "./sigma.js";
import { authorText, type DetectionRule, type Search, type SearchMap, type Scalar } from "./rule.js";
import type { Cond } from "./condition.js";
import { and, not, or, type QNode, type QTarget } from "./qnode.js";
import { fieldText, quoteString } from "../lang/quote.js";
import { isVisible, spacedOut } from "../output/safe.js";

/** Fields CloudTrail always logs as text (or a number, or a boolean): their JSON-text clause is left out. */
const SCALAR_FIELDS = new Set([
  "eventVersion", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress", "userAgent", "errorCode", "errorMessage",
  "requestID", "eventID", "readOnly", "eventType", "managementEvent", "recipientAccountId", "eventCategory", "sharedEventID",
  "vpcEndpointId", "apiVersion", "sessionCredentialFromConsole", "userIdentity.type", "userIdentity.principalId", "userIdentity.arn",
  "userIdentity.accountId", "userIdentity.accessKeyId", "userIdentity.userName", "userIdentity.invokedBy",
]);

function patternNode(field: string | null, p: Pattern, lower: boolean): QNode {
  const regex = patternRegex(p);
  const flags = lower ? "is" : "s";
  if (field === null) return { k: "like", target: { k: "message" }, regex, flags };
  const nodes: QNode[] = [{ k: "like", target: { k: "field", name: field }, regex, flags }];
  if (!SCALAR_FIELDS.has(field)) nodes.push({ k: "like", target: { k: "json", name: field }, regex, flags });
  // booleans: the query language shows them as 1 and 0, the matcher as true and false
  const t = literalText(p)?.toLowerCase();
  if (t === "true" || t === "false") nodes.push({ k: "bool", field, value: t === "true" });
  return or(nodes);
}

function entryNode(key: string, value: Scalar | Scalar[]): QNode {
  const { field, mods } = splitKey(key);
  const values = Array.isArray(value) ? value : [value];
  const e = analyzeEntry(field, mods, values);
  const per = e.values.map((v): QNode => {
    if (v.kind === "compare") return e.compare!.query(v.value, field!, e.ctx);
    if (v.kind === "null") return not({ k: "present", field: field! });
    return or(v.patterns.map((p) => patternNode(field, p, e.lower)));
  });
  const node = e.all ? and(per) : or(per);
  return e.neq ? not(node) : node;
}

function mapNode(m: SearchMap): QNode {
  return and(Object.entries(m).map(([k, v]) => entryNode(k, v)));
}

function searchNode(s: Search): QNode {
  refuseEmpty(s);
  if (!Array.isArray(s)) return mapNode(s);
  const keywords = s.filter((x): x is Scalar => x === null || typeof x !== "object");
  const maps = s.filter((x): x is SearchMap => x !== null && typeof x === "object");
  const nodes = maps.map(mapNode);
  if (keywords.length) nodes.push(entryNode("", keywords));
  return or(nodes);
}

function condNode(c: Cond, searches: Map<string, QNode>): QNode {
  switch (c.k) {
    case "id":
      return searches.get(c.name)!;
    case "not":
      return not(condNode(c.item, searches));
    case "and":
      return and(c.items.map((x) => condNode(x, searches)));
    case "or":
      return or(c.items.map((x) => condNode(x, searches)));
    case "of": {
      const items = c.names.map((n) => searches.get(n)!);
      return c.all ? and(items) : or(items);
    }
  }
}

/** The rule's filter as a tree. */
export function ruleNode(rule: DetectionRule): QNode {
  if (!isCloudTrail(rule)) throw new RuleRefusal("not CloudTrail", "its logsource is not aws/cloudtrail");
  const { condition: _c, ...searches } = rule.detection;
  const cond = ruleCondition(rule);
  const nodes = new Map<string, QNode>();
  for (const [name, s] of Object.entries(searches)) {
    try {
      nodes.set(name, searchNode(s));
    } catch (e) {
      if (e instanceof RuleRefusal) throw new RuleRefusal(e.kind, `${name}: ${e.message}`, e.modifier);
      throw e;
    }
  }
  return condNode(cond, nodes);
}

// --- printing ---

export function printField(name: string): string {
  // a query's @ names are its own fields (@message is the event's text), never a key of the event
  if (name.startsWith("@")) throw new RuleRefusal("bad rule", `the field name ${JSON.stringify(name)} cannot be written in a query: @ names are the query language's own fields`);
  // a carriage return would break the printed query's line, though the lexer reads it
  const text = /\r/.test(name) ? undefined : fieldText(name.split("."));
  if (text === undefined) throw new RuleRefusal("bad rule", `the field name ${JSON.stringify(name)} cannot be written in a query`);
  return text;
}

/**
 * A regex literal the lexer reads back as `(?flags)source`: its unescaped slashes escaped, and the
 * characters visible() would escape written `\x{H..}` (the same regex), so that a line break or a
 * bidi override in a rule's regex does not make the printed query look like other commands.
 */
export function printRegex(source: string, flags: string): string {
  let out = flags ? `(?${flags})` : "";
  // by characters, not code units: a pair of surrogates is one character
  const chars = [...source];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === "\\") {
      // an escaped character the escapes can't show is the character itself, written by its code
      const next = chars[++i] ?? "";
      out += isVisible(next) ? c + next : hexEscape(next);
    } else out += c === "/" ? "\\/" : isVisible(c) ? c : hexEscape(c);
  }
  return `/${out}/`;
}

/** `\x{H..}`: a character as RE2 and the language's regexes write it by its code. */
const hexEscape = (c: string): string => `\\x{${c.codePointAt(0)!.toString(16)}}`;

function printNumber(n: number): string {
  const s = String(n);
  if (!Number.isFinite(n) || /e/i.test(s)) throw new RuleRefusal("bad rule", `the number ${s} cannot be written in a query`);
  return s;
}

function printTarget(t: QTarget): string {
  return t.k === "message" ? "@message" : t.k === "json" ? `jsonStringify(${printField(t.name)})` : printField(t.name);
}

export function printNode(n: QNode, parent: "and" | "or" | "not" | "top" = "top"): string {
  switch (n.k) {
    case "const":
      return n.value ? "1 = 1" : "1 = 0";
    case "like":
      return `${printTarget(n.target)} like ${printRegex(n.regex, n.flags)}`;
    case "cmp":
      return `${printField(n.field)} ${n.op} ${printNumber(n.value)}`;
    case "present":
      return `ispresent(${printField(n.field)})`;
    case "subnet":
      return `isIpInSubnet(${printField(n.field)}, ${quoteString(n.cidr)})`;
    case "sameAs":
      return n.lower ? `tolower(${printField(n.a)}) = tolower(${printField(n.b)})` : `${printField(n.a)} = ${printField(n.b)}`;
    case "bool":
      return `${printField(n.field)} = ${n.value}`;
    case "not":
      return `not (${printNode(n.item, "not")})`;
    case "and":
    case "or": {
      const text = n.items.map((i) => printNode(i, n.k)).join(` ${n.k} `);
      return parent === "top" || parent === "not" || parent === n.k ? text : `(${text})`;
    }
  }
}

/** Comment text: one line, nothing visible() would escape (a rule's title cannot start a new line of the query, nor reorder it). */
function commentText(s: string): string {
  return spacedOut(s).trim();
}

/** The fields a rule's query shows: what a finding shows. */
const SHOWN = ["@timestamp", "eventName", "userIdentity.arn", "sourceIPAddress", "awsRegion", "recipientAccountId", "eventID"];

/** The rule as query text (checked: it parses and plans). */
export function ruleQuery(rule: DetectionRule): string {
  const filter = printNode(ruleNode(rule));
  const header = [
    `# Sigma: ${commentText(rule.title)}${rule.id ? ` (${commentText(rule.id)})` : ""}`,
    ...(rule.author ? [`# author: ${commentText(authorText(rule.author))}`] : []),
    `# level: ${rule.level ?? "medium"}`,
  ];
  const text = `${header.join("\n")}\nfilter ${filter}\n| fields ${SHOWN.join(", ")}`;
  try {
    const q = parseQuery(text);
    if (q.commands.length !== 2 || q.commands[0]!.kind !== "filter" || q.commands[1]!.kind !== "fields") throw new Error("the query's shape changed");
    buildPlan(q, { now: 0 });
  } catch (e) {
    throw new RuleRefusal("bad rule", `its query does not check: ${e instanceof Error ? e.message : String(e)}`);
  }
  return text;
}
