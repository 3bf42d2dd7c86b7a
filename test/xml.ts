// A strict XML 1.0 well-formedness check, enough for the SVG trailq writes: every character allowed
// (the Char production), tags balanced under one root, attributes quoted and unique, `<` never in
// text or values, `&` only as a predefined or numeric reference, no `]]>` in text. Throws on the
// first problem, naming it and where.

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const REF = /^&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/;

function badChar(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd)) continue;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

function checkRefs(s: string, at: number, where: string): void {
  for (let i = s.indexOf("&"); i >= 0; i = s.indexOf("&", i + 1)) {
    const m = REF.exec(s.slice(i));
    if (!m) throw new Error(`${where} at ${at + i}: a bare & (${JSON.stringify(s.slice(i, i + 12))})`);
    if (m[0].startsWith("&#")) {
      const code = m[0][2] === "x" ? parseInt(m[0].slice(3, -1), 16) : parseInt(m[0].slice(2, -1), 10);
      if (badChar(String.fromCodePoint(code)) >= 0) throw new Error(`${where} at ${at + i}: ${m[0]} is not an XML character`);
    }
  }
}

export function checkWellFormedXml(text: string): void {
  const bad = badChar(text);
  if (bad >= 0) throw new Error(`character U+${text.charCodeAt(bad).toString(16).padStart(4, "0")} at ${bad} is not allowed in XML 1.0`);
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  const text0 = (s: string, at: number): void => {
    if (stack.length === 0 && s.trim() !== "") throw new Error(`text outside the root at ${at}`);
    if (s.includes("]]>")) throw new Error(`]]> in text at ${at}`);
    checkRefs(s, at, "text");
  };
  while (i < text.length) {
    const lt = text.indexOf("<", i);
    if (lt < 0) {
      text0(text.slice(i), i);
      break;
    }
    text0(text.slice(i, lt), i);
    if (text.startsWith("<?", lt)) {
      const end = text.indexOf("?>", lt);
      if (end < 0) throw new Error(`unclosed <? at ${lt}`);
      i = end + 2;
      continue;
    }
    if (text.startsWith("<!--", lt)) {
      const end = text.indexOf("-->", lt + 4);
      if (end < 0 || text.slice(lt + 4, end).includes("--")) throw new Error(`bad comment at ${lt}`);
      i = end + 3;
      continue;
    }
    if (text.startsWith("<![CDATA[", lt)) {
      if (stack.length === 0) throw new Error(`CDATA outside the root at ${lt}`);
      const end = text.indexOf("]]>", lt);
      if (end < 0) throw new Error(`unclosed CDATA at ${lt}`);
      i = end + 3;
      continue;
    }
    if (text.startsWith("</", lt)) {
      const m = NAME.exec(text.slice(lt + 2));
      const name = m?.[0];
      const close = text.indexOf(">", lt);
      if (!name || close < 0 || text.slice(lt + 2 + name.length, close).trim() !== "") throw new Error(`bad end tag at ${lt}`);
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> at ${lt} closes <${open ?? "nothing"}>`);
      i = close + 1;
      continue;
    }
    // a start tag: name, attributes, > or />
    const m = NAME.exec(text.slice(lt + 1));
    if (!m) throw new Error(`a < that starts no tag at ${lt}`);
    const name = m[0];
    let j = lt + 1 + name.length;
    const seen = new Set<string>();
    for (;;) {
      const ws = /^\s*/.exec(text.slice(j))![0].length;
      j += ws;
      if (text.startsWith("/>", j) || text[j] === ">") break;
      if (ws === 0) throw new Error(`no space before an attribute in <${name}> at ${j}`);
      const a = NAME.exec(text.slice(j));
      if (!a) throw new Error(`bad attribute in <${name}> at ${j}`);
      if (seen.has(a[0])) throw new Error(`attribute ${a[0]} twice in <${name}> at ${j}`);
      seen.add(a[0]);
      j += a[0].length;
      const eq = /^\s*=\s*(["'])/.exec(text.slice(j));
      if (!eq) throw new Error(`attribute ${a[0]} without a quoted value at ${j}`);
      j += eq[0].length;
      const end = text.indexOf(eq[1]!, j);
      if (end < 0) throw new Error(`unclosed value of ${a[0]} at ${j}`);
      const value = text.slice(j, end);
      if (value.includes("<")) throw new Error(`< in the value of ${a[0]} at ${j}`);
      checkRefs(value, j, `the value of ${a[0]}`);
      j = end + 1;
    }
    if (stack.length === 0 && roots++ > 0) throw new Error(`a second root element <${name}> at ${lt}`);
    if (text.startsWith("/>", j)) i = j + 2;
    else {
      stack.push(name);
      i = j + 1;
    }
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]}> is never closed`);
  if (roots === 0) throw new Error("no root element");
}
