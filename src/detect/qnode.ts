// A rule as a Logs Insights filter: a small typed tree (no text from a rule is ever pasted into
// query text), printed by query.ts with every name, string and regex escaped for the lexer.

/** What a `like` reads: a field's value, its JSON text when it holds a map or a list, or the whole event. */
export type QTarget = { k: "field"; name: string } | { k: "json"; name: string } | { k: "message" };

export type QNode =
  | { k: "and" | "or"; items: QNode[] }
  | { k: "not"; item: QNode }
  /** `target like /(?flags)regex/` (flags: i, s, m). */
  | { k: "like"; target: QTarget; regex: string; flags: string }
  | { k: "cmp"; field: string; op: "<" | "<=" | ">" | ">="; value: number }
  | { k: "present"; field: string }
  | { k: "subnet"; field: string; cidr: string }
  /** Two fields equal (lower-cased first when `lower`). */
  | { k: "sameAs"; a: string; b: string; lower: boolean }
  | { k: "bool"; field: string; value: boolean }
  | { k: "const"; value: boolean };

export const TRUE: QNode = { k: "const", value: true };
export const FALSE: QNode = { k: "const", value: false };

export function and(items: QNode[]): QNode {
  const flat = items.flatMap((i) => (i.k === "and" ? i.items : [i])).filter((i) => !(i.k === "const" && i.value));
  if (flat.some((i) => i.k === "const" && !i.value)) return FALSE;
  return flat.length === 0 ? TRUE : flat.length === 1 ? flat[0]! : { k: "and", items: flat };
}

export function or(items: QNode[]): QNode {
  const flat = items.flatMap((i) => (i.k === "or" ? i.items : [i])).filter((i) => !(i.k === "const" && !i.value));
  if (flat.some((i) => i.k === "const" && i.value)) return TRUE;
  return flat.length === 0 ? FALSE : flat.length === 1 ? flat[0]! : { k: "or", items: flat };
}

export function not(item: QNode): QNode {
  if (item.k === "const") return { k: "const", value: !item.value };
  if (item.k === "not") return item.item;
  return { k: "not", item };
}
