import { test } from "node:test";
import assert from "node:assert/strict";
import { FORMATS } from "../../src/output/index.js";
import { FORMAT_NAMES } from "../../src/output/names.js";
import { isVisible, jsonString, jsonText, visible } from "../../src/output/safe.js";
import { Rng } from "../../src/generator/rng.js";

test("the format names the command line lists are the writers there are", () => {
  assert.deepEqual([...FORMAT_NAMES].sort(), Object.keys(FORMATS).sort());
});

test("formatTime prints what Date's ISO form says, before and after 1970, with fractions", async () => {
  const { formatTime } = await import("../../src/output/render.js");
  const iso = (ms: number): string => {
    const s = new Date(ms).toISOString();
    return `${s.slice(0, 10)} ${s.slice(11, 23)}`;
  };
  const rng = new Rng(12345);
  for (let i = 0; i < 20_000; i++) {
    const ms = (rng.next() - 0.3) * 4e12 + (i % 3 === 0 ? 0.6 : 0);
    assert.equal(formatTime(ms), iso(ms), String(ms));
  }
  assert.equal(formatTime(Date.UTC(2026, 10, 30, 23, 59, 59, 7)), "2026-11-30 23:59:59.007");
});

test("a time written as bytes (putTime) is formatTime's text, in every year; outside UTC it is left to formatTime", async () => {
  const { formatTime, putTime } = await import("../../src/output/render.js");
  const { byteOut } = await import("../../src/output/index.js");
  const { parseZone, setDisplayZone, displayZone } = await import("../../src/time/zone.js");
  const buf = Buffer.alloc(64);
  const rng = new Rng(777);
  const times = [0, -1, 86_399_999, Date.UTC(2026, 10, 30, 23, 59, 59, 7), -62_198_755_200_000, 253_402_300_799_999, 8.64e15, -8.64e15, 1.9];
  for (let i = 0; i < 20_000; i++) times.push((rng.next() - 0.5) * (i % 2 ? 4e12 : 1.7e16));
  for (const ms of times) assert.equal(buf.toString("latin1", 0, putTime(ms, buf, 0)), formatTime(ms), String(ms));
  const before = displayZone();
  setDisplayZone(parseZone("+01:00"));
  try {
    assert.equal(putTime(0, buf, 0), 0);
    const chunks: Buffer[] = [];
    const out = byteOut((b) => (chunks.push(Buffer.from(b)), true));
    const w = FORMATS["jsonl"]!([{ name: "@timestamp", type: "time" as never, expr: undefined as never }], out, {});
    w.row([0] as never);
    w.end();
    assert.equal(Buffer.concat(chunks).toString(), '{"@timestamp":"1970-01-01 01:00:00.000 +01:00"}\n');
  } finally {
    setDisplayZone(before);
  }
});

test("rowJsonText gives the row object's JSON text (safeJson's), whatever the values and names", async () => {
  const { rowJsonText, rowObject } = await import("../../src/output/json.js");
  const { jsonText } = await import("../../src/output/safe.js");
  const cols = (names: string[]) => names.map((name, i) => ({ name, type: (i === 0 ? "time" : "any") as never, expr: undefined as never }));
  const rows: unknown[][] = [
    [Date.UTC(2026, 0, 2), "a\"b\\c\u2028", 1.5, null, { k: [1, "x"] }],
    [undefined, NaN, true, -0, "ü"],
    [null, undefined, null, undefined, null],
    // strings JSON.stringify escapes (controls, quote, backslash, lone surrogates) and ones it keeps
    [0, "tab\there\u0001\u001f", "plain GetObject", "😀 pair", "lone \ud800 high"],
    [1, "lone \udc00 low", "\u007f del, \u2029", "", "ends with \\"],
    // C1 and bidi controls (escaped by safeJson), a structure holding them, a pair beside a lone half
    [2, "\u009b31m \u202eevil \u2066i\u2069 \u061c\u200e\u200f", { ["k\u202e"]: ["\ud800", "😀\udc00"] }, "😀", "\\\ud800"],
  ];
  for (const names of [["@timestamp", "eventName", "n", "absent", "m"], ["t", "2", "x", "x", "10"]]) {
    const text = rowJsonText(cols(names));
    for (const r of rows) {
      const t = text(r);
      // the object's text; with names an object reorders (array indexes) or merges (repeated), its members in column order
      const object = jsonText(rowObject(cols(names), r));
      if (names.every((n, i) => !/^\d+$/.test(n) && names.indexOf(n) === i)) assert.equal(t, object, `${names} ${JSON.stringify(r)}`);
      else {
        assert.deepEqual(JSON.parse(t), JSON.parse(object));
        const keys = [...t.matchAll(/(?:^\{|,)"([^"\\]*)":/g)].map((m) => m[1]);
        assert.deepEqual(keys, [...new Set(names)].filter((k) => keys.includes(k)), t);
      }
      // the same values, but lone surrogates (U+FFFD): JSON.stringify's text parsed is the value
      assert.deepEqual(JSON.parse(t), JSON.parse(JSON.stringify(rowObject(cols(names), r)).replace(/\\u(?:d[89a-f][0-9a-f]{2})/g, "\ufffd")));
      assert.ok(!/\\ud[89a-f]|[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/.test(t), t);
    }
  }
  // names that are array indexes, each once: the same members, in column order (an object puts them first)
  const indexes = ["t", "2", "x", "y", "10"];
  const inOrder = rowJsonText(cols(indexes));
  for (const r of rows) {
    const t = inOrder(r);
    assert.deepEqual(JSON.parse(t), JSON.parse(jsonText(rowObject(cols(indexes), r))));
    const keys = [...t.matchAll(/(?:^\{|,)"([^"]*)":/g)].map((m) => m[1]);
    assert.deepEqual(keys, indexes.filter((k) => keys.includes(k)), t);
  }
  assert.equal(inOrder([0, 1, 2, 3, 4]), '{"t":"1970-01-01 00:00:00.000","2":1,"x":2,"y":3,"10":4}');
  const last = rowJsonText(cols(["@timestamp", "eventName", "n", "absent", "m"]));
  assert.equal(last(rows[3]!), '{"@timestamp":"1970-01-01 00:00:00.000","eventName":"tab\\there\\u0001\\u001f","n":"plain GetObject","absent":"😀 pair","m":"lone \ufffd high"}');
  assert.equal(last(rows[4]!), '{"@timestamp":"1970-01-01 00:00:00.001","eventName":"lone \ufffd low","n":"\\u007f del, \\u2029","absent":"","m":"ends with \\\\"}');
});

test("safeJson: lone surrogates become U+FFFD, DEL, C1, separators and bidi controls \\u escapes; an escaped backslash stays text", async () => {
  const { jsonText } = await import("../../src/output/safe.js");
  assert.equal(jsonText("a\ud800b\udfffc\ud83d\ude00"), '"a\ufffdb\ufffdc😀"');
  assert.equal(jsonText("\\ud800 is text"), '"\\\\ud800 is text"');
  assert.equal(jsonText("\\\ud800"), '"\\\\\ufffd"');
  assert.equal(jsonText({ ["k\udc00"]: ["\u009b31m", "\u202eevil", "\u2066x\u2069", "\x1b]0;t\x07"] }), '{"k\ufffd":["\\u009b31m","\\u202eevil","\\u2066x\\u2069","\\u001b]0;t\\u0007"]}');
  assert.deepEqual(JSON.parse(jsonText(["\u009b", "\u202e", "\u007f"])), ["\u009b", "\u202e", "\u007f"]);
  // the noncharacters, which the other formats escape too
  assert.equal(jsonText("a\ufffeb\uffff"), '"a\\ufffeb\\uffff"');
  const { jsonString } = await import("../../src/output/safe.js");
  assert.equal(jsonString("a\ufffeb\uffff"), '"a\\ufffeb\\uffff"');
});

test("a structure's text in the table and csv is safeJson's: a lone surrogate in a key as U+FFFD, as -f json writes it", async () => {
  const { renderText } = await import("../../src/output/render.js");
  assert.equal(renderText({ ["k\ud800"]: "v", n: [1, "\u202e"] }, "any"), '{"k\ufffd":"v","n":[1,"\\u202e"]}');
  let text = "";
  const out = { write: (s: string) => void (text += s), flush: () => {} };
  const csv = FORMATS["csv"]!([{ name: "requestParameters", type: "any" }] as never, out as never, {});
  csv.row([{ ["k\udc00"]: "v" }]);
  csv.end();
  assert.equal(text, 'requestParameters\r\n"{""k\ufffd"":""v""}"\r\n');
});

test("the table sizes its columns over every row, however many (a million-row stream once overflowed the stack)", () => {
  let text = "";
  const out = { write: (s: string) => void (text += s), flush: () => {} };
  const cols = [{ name: "n", type: "any" }, { name: "name", type: "any" }] as never;
  const w = FORMATS["table"]!(cols, out as never, { fitWidth: 40 });
  const n = 300_000;
  for (let i = 0; i < n; i++) w.row([i, i === n - 1 ? "the longest name of all" : "x"]);
  w.end();
  const lines = text.split("\n");
  assert.equal(lines.length, n + 3);
  assert.equal(lines[0], "     n │ name");
  assert.equal(lines[2], "     0 │ x");
  assert.equal(lines[n + 1], "299999 │ the longest name of all");
});

/** A table of a number column and a text column, as `--format table` writes it: its lines. */
async function tableLines(names: [string, string], rows: (i: number) => [number, string], count: number): Promise<string[]> {
  const { tableWriter } = await import("../../src/output/table.js");
  const columns = [
    { name: names[0], type: "number" as const, expr: { kind: "literal" as const, value: 0 } },
    { name: names[1], type: "string" as const, expr: { kind: "literal" as const, value: "" } },
  ];
  let text = "";
  const sink = tableWriter(columns as never, { write: (s) => void (text += s), flush() {} }, {});
  for (let i = 0; i < count; i++) sink.row(rows(i));
  sink.end();
  return text.trimEnd().split("\n");
}

test("a table of 10,000 rows (held in chunks of text until its end) has every row, in order, its cells aligned", async () => {
  const lines = await tableLines(["n", "name"], (i) => [i, i === 7_000 ? "the widest cell of all" : `r${i}`], 10_000);
  assert.equal(lines.length, 10_002);
  assert.equal(lines[0], "   n │ name");
  assert.equal(lines[1], "─────┼─" + "─".repeat("the widest cell of all".length));
  assert.equal(lines[2], "   0 │ r0");
  assert.equal(lines[4_096 + 2], "4096 │ r4096");
  assert.equal(lines[7_000 + 2], "7000 │ the widest cell of all");
  assert.equal(lines[9_999 + 2], "9999 │ r9999");
});

test("a table's held chunks end by length and by count: a cell longer than a chunk, and 40,000 empty cells, come back whole and in order", async () => {
  const long = "x".repeat(100_000);
  const lines = await tableLines(["i", "s"], (i) => [i, i === 20_000 ? long : ""], 40_000);
  assert.equal(lines.length, 40_002);
  assert.equal(lines[2], "    0 │");
  assert.equal(lines[20_000 + 2], "20000 │ " + long);
  assert.equal(lines[39_999 + 2], "39999 │");
  assert.ok(lines.slice(2).every((l, i) => l.startsWith(String(i).padStart(5) + " │")));
});

test("rows written with a run of columns made once (fixedRunRows) are the rows the writers write from the values, wherever the run is, to text and to bytes", async () => {
  const { fixedRunRows, byteOut } = await import("../../src/output/index.js");
  const types = ["time", "string", "any", "list", "number", "any"];
  const columns = types.map((type, i) => ({ name: ["@timestamp", "rule", "=cmd", "tags", "n", "x,\"y\""][i]!, type, expr: undefined }) as never);
  const rows: unknown[][] = [
    [Date.UTC(2026, 0, 2, 3, 4, 5, 6), "AssumeRole", "=1+2", ["a", "b\u202e"], 1.5, null],
    [NaN, null, "plain", [], -0, "comma, \"quote\"\r\nline"],
    [null, "", "\u009b31m \ud800", ["x"], 1e21, { k: [1, "\u2028"] }],
    [undefined, undefined, undefined, undefined, undefined, undefined],
  ];
  // an output of text, and one of bytes (what standard output is), each read back as text
  const outs = {
    text: (got: { s: string }) => ({ write: (s: string) => void (got.s += s), flush() {} }),
    bytes: (got: { s: string }) => byteOut((b) => ((got.s += b.toString("utf8")), true)),
  };
  for (const format of ["json", "jsonl", "csv", "table", "markdown"]) {
    for (const terminal of [false, true]) {
      const opts = { terminal, csvRaw: false };
      const want = { s: "" };
      const w = FORMATS[format]!(columns, outs.text(want), opts);
      for (const r of rows) w.row(r as never);
      w.end();
      for (const [kind, out] of Object.entries(outs)) {
        // every run: from each column, of each length (none included)
        for (let from = 0; from <= 6; from++) {
          for (let to = from; to <= 6; to++) {
            const got = { s: "" };
            const p = fixedRunRows(format, columns, out(got), opts);
            for (const r of rows) p.row([...r.slice(0, from), ...r.slice(to)] as never, p.fixed(r.slice(from, to) as never, from));
            p.end();
            // (bytes are UTF-8: a lone surrogate left in a text is U+FFFD there)
            assert.equal(got.s, kind === "bytes" ? Buffer.from(want.s).toString() : want.s, `${format} ${kind} terminal=${terminal} run ${from}..${to}`);
          }
        }
      }
    }
  }
  // no rows: the same empty output (json's [])
  for (const format of ["json", "jsonl", "csv"]) {
    const want = { s: "" };
    FORMATS[format]!(columns, outs.text(want), {}).end();
    const got = { s: "" };
    fixedRunRows(format, columns, outs.bytes(got), {}).end();
    assert.equal(got.s, want.s, format);
  }
});

test("json and jsonl written straight into bytes (byteOut) are the texts rowJsonText gives, whatever the values, names and chunk edges", async () => {
  const { rowJsonText } = await import("../../src/output/json.js");
  const { byteOut } = await import("../../src/output/index.js");
  const cols = (names: string[]) => names.map((name, i) => ({ name, type: (i === 0 ? "time" : "any") as never, expr: undefined as never }));
  const fixed: unknown[][] = [
    [Date.UTC(2026, 0, 2), "a\"b\\c\u2028", 1.5, null, { k: [1, "x"] }],
    [undefined, NaN, true, -0, "ü"],
    [null, undefined, null, undefined, null],
    [0, "tab\there\u0001\u001f", "plain GetObject", "😀 pair", "lone \ud800 high"],
    [1, "\u007f del", "~ }{ !", "", "ends with \\"],
    [Infinity, 1e400, "x".repeat(70_000), [Infinity, "\u202e"], "\u009b"],
  ];
  // random rows: ASCII most often (the copied path), every kind of character now and then
  const rng = new Rng(11);
  const next = (): number => rng.int(0, 2 ** 31 - 1);
  const chars = ["a", "Z", " ", "~", '"', "\\", "\u0000", "\u001f", "\u007f", "é", "\u202e", "😀", "\ud800", "/", "<"];
  const value = (): unknown => {
    const k = next() % 10;
    if (k === 0) return null;
    if (k === 1) return next() / 7;
    if (k === 2) return { a: "b" };
    return Array.from({ length: next() % 40 }, () => (next() % 4 === 0 ? chars[next() % chars.length] : chars[next() % 4])).join("");
  };
  const rows = [...fixed, ...Array.from({ length: 3000 }, () => [next() * 1000, value(), value(), value(), value()])];
  for (const names of [["@timestamp", "eventName", "n", "absent", "m"], ["t", "é ☃", "x\"y", "<b>", "\u202e"]]) {
    for (const [format, open, sep, after, close] of [["jsonl", "", "", "\n", ""], ["json", "[\n", ",\n", "", "\n]\n"]] as const) {
      const chunks: Buffer[] = [];
      const out = byteOut((b) => (chunks.push(Buffer.from(b)), true));
      assert.ok(out.bytes && out.quoted);
      const w = FORMATS[format]!(cols(names), out, {});
      for (const r of rows) w.row(r as never);
      w.end();
      const text = rowJsonText(cols(names));
      assert.equal(Buffer.concat(chunks).toString("utf8"), open + rows.map((r) => text(r) + after).join(sep) + close, `${format} ${names}`);
    }
  }
});

test("csv written straight into bytes (byteOut) is the text the cell-by-cell writer makes, whatever the values, with or without --csv-raw", async () => {
  const { byteOut } = await import("../../src/output/index.js");
  const cols = ["@timestamp", "a", "b", "c"].map((name, i) => ({ name, type: (i === 0 ? "time" : "any") as never, expr: undefined as never }));
  const texts = ["GetObject", "", " x", "=1+1", "-5", "-x", "+1", "@SUM(A1)", "\tx", "\rx", '"q"', "a,b", "a\nb", "é", "\uff1dx", "x=1", "~!#$%&'()*/:;<>?[\\]^_`{|}", "\u007f", " =x"];
  const rng = new Rng(5);
  const next = (): number => rng.int(0, 2 ** 31 - 1);
  const value = (): unknown => {
    const k = next() % 8;
    if (k === 0) return null;
    if (k === 1) return (next() - 2 ** 30) / 7;
    if (k === 2) return { a: "b,c" };
    if (k === 3) return true;
    return texts[next() % texts.length];
  };
  const times = [0, -1, Date.UTC(2026, 10, 30, 23, 59, 59, 7), -62_167_219_200_001, -62_167_219_200_000, 253_402_300_799_999, 253_402_300_800_000, NaN, Infinity];
  const rows = [...times.map((t) => [t, "a", "b", "c"]), ...Array.from({ length: 3000 }, () => [(next() - 2 ** 30) * 2000, value(), value(), value()])];
  for (const csvRaw of [false, true]) {
    const chunks: Buffer[] = [];
    const direct = byteOut((b) => (chunks.push(Buffer.from(b)), true));
    let text = "";
    const cellByCell = { write: (s: string) => void (text += s), flush() {} };
    for (const [out, opts] of [[direct, { csvRaw }], [cellByCell, { csvRaw }]] as const) {
      const w = FORMATS["csv"]!(cols, out, opts);
      for (const r of rows) w.row(r as never);
      w.end();
    }
    assert.equal(Buffer.concat(chunks).toString("utf8"), text, `csvRaw ${csvRaw}`);
  }
});

test("byteOut hands on the UTF-8 of everything written, in order, and never writes to bytes its writer has not given back", async () => {
  const { byteOut } = await import("../../src/output/index.js");
  const chunks: Buffer[] = [];
  const copies: Buffer[] = [];
  // the buffer is free again every other time
  const out = byteOut((b) => {
    chunks.push(Buffer.from(b));
    copies.push(b);
    return chunks.length % 2 === 0;
  });
  const texts: string[] = [];
  const rng = new Rng(7);
  // short texts are copied a character at a time while ASCII (one past ASCII after ASCII goes to the encoder)
  const pieces = ["a", "é", "😀", "\ud800", "line\n", "x".repeat(70_000), "ü".repeat(30_000), "", ",", "}\n", "abcdefghijk\u00e9", "ab\udc00", "abcdefghijklm"];
  for (let i = 0; i < 5_000; i++) {
    const s = rng.pick(pieces).repeat(i % 7 === 0 ? 3 : 1);
    texts.push(s);
    out.write(s);
  }
  out.flush();
  out.flush();
  assert.equal(Buffer.concat(chunks).toString("utf8"), Buffer.from(texts.join(""), "utf8").toString("utf8"));
  assert.deepEqual(Buffer.concat(chunks), Buffer.from(texts.join(""), "utf8"));
  // what was handed on and not given back was not overwritten by later writes
  chunks.forEach((c, i) => assert.ok(i % 2 === 1 || c.equals(copies[i]!), `chunk ${i}`));
  assert.ok(chunks.every((c) => c.length > 0));
});

test("jsonString is jsonText for every string: quoted as it is when nothing in it is escaped or made safe", async () => {
  const { jsonString, jsonText } = await import("../../src/output/safe.js");
  // code units from each range JSON.stringify or safeJson treats apart, and plain ones
  const units = [0x00, 0x09, 0x1f, 0x20, 0x22, 0x2f, 0x41, 0x5c, 0x7e, 0x7f, 0x85, 0x9f, 0xa0, 0xe9, 0x61c, 0x200e, 0x200f, 0x2028, 0x202e, 0x2066, 0x2069, 0x206a, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffd];
  const rng = new Rng(99);
  for (let i = 0; i < 50_000; i++) {
    let s = "";
    const n = i % 9;
    for (let k = 0; k < n; k++) {
      s += rng.chance(1 / 3) ? "plain" : String.fromCharCode(rng.pick(units));
    }
    assert.equal(jsonString(s), jsonText(s), JSON.stringify(s));
  }
  assert.equal(jsonString("GetObject"), '"GetObject"');
  assert.equal(jsonString("😀 pair"), '"😀 pair"');
  assert.equal(jsonString("lone \ud800"), '"lone \ufffd"');
});

test("a table's header of wide characters lines up with its rows, in a pipe as on a terminal, with rows or none", () => {
  for (const opts of [{}, { fitWidth: 80 }]) {
    for (const rows of [[[12345, "x"]], []]) {
      let text = "";
      const out = { write: (s: string) => void (text += s), flush: () => {} };
      const w = FORMATS["table"]!([{ name: "件数", type: "number" }, { name: "name", type: "any" }] as never, out as never, opts);
      for (const r of rows) w.row(r);
      w.end();
      // the column's rule is as wide as the header (件数: 4 columns), and each row's │ at the same column
      const lines = text.trimEnd().split("\n");
      const bar = (l: string): number => [...l.slice(0, Math.max(l.indexOf("│"), l.indexOf("┼")))].reduce((n, c) => n + (/[\u4e00-\u9fff]/.test(c) ? 2 : 1), 0);
      const at = lines.map(bar);
      assert.ok(at.every((x) => x === at[0]), `${JSON.stringify(opts)} ${rows.length} rows:\n${text}`);
    }
  }
});

test("characters that show nothing are escaped in human outputs and in JSON: the tag characters, the grapheme joiner, the variation selectors, the Hangul fillers", () => {
  const hidden = ["al\u{E0041}ice", "ali\u034fce", "ali\ufe0fce", "al\u3164ice", "al\u{E0100}ice", "\u2764\ufe0f"];
  for (const v of hidden) {
    assert.notEqual(visible(v), v, JSON.stringify(v));
    assert.ok(!isVisible(v));
    const json = jsonText(v);
    assert.ok(/^"[\x20-\x7e]*"$/.test(json.replace(/[\u2764]/g, "")), json);
    assert.equal(JSON.parse(json), v);
    assert.equal(jsonString(v), json);
  }
  assert.equal(visible("al\u{E0041}ice"), "al\\u{e0041}ice");
  // what shows is left as it is: a joiner in an emoji sequence, an accent
  for (const v of ["👩\u200d💻", "e\u0301", "日本語"]) assert.equal(visible(v), v);
});

test("vertical on a terminal: a name keeps what it can of the width, and a cut one keeps its end (two long names stay apart)", () => {
  const run = (names: string[], fitWidth: number): string[] => {
    let text = "";
    const out = { write: (s: string) => void (text += s), flush: () => {} };
    const w = FORMATS["vertical"]!(names.map((name) => ({ name, type: "any" as never, expr: undefined as never })), out, { fitWidth });
    w.row(["attacker-bucket", "good-bucket"] as never);
    w.end();
    return text.split("\n").filter((l) => l.includes("│") || l.includes("|")).map((l) => l.split(/ [│|] /)[0]!.trimEnd());
  };
  const names = ["requestParameters.bucketNameForTheReplicaSource", "requestParameters.bucketNameForTheReplicaDestination"];
  assert.deepEqual(run(names, 80), names);
  const cut = run(names, 50);
  assert.equal(new Set(cut).size, 2, cut.join(" / "));
  assert.ok(cut.every((n) => n.startsWith("requestPara") && n.includes("…")), cut.join(" / "));
  assert.ok(cut[0]!.endsWith("Source") && cut[1]!.endsWith("Destination"), cut.join(" / "));
  // names that differ in their middle: not cut at all, rather than shown alike
  const items = [0, 1].map((i) => `responseElements.instancesSet.items.${i}.networkInterfaceSet.items.0.privateIpAddress`);
  assert.deepEqual(run(items, 80), items);
  // the end kept starts at a whole character: not inside a joined emoji
  const [emoji] = run(["a".repeat(60) + "b👩‍💻" + "c".repeat(3), "x"], 40);
  assert.ok(!emoji!.includes("…💻"), emoji);
});
