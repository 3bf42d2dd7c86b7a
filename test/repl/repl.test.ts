// The prompt: continuation rules, completion, and a real session in a pseudo-terminal (tmux).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { needsMore } from "../../src/repl/input.js";
import { complete } from "../../src/repl/complete.js";
import { dripCommand, eventLines } from "../drip.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

test("a line continues after a trailing |, an open quote, parenthesis or bracket", () => {
  assert.equal(needsMore("filter a = 1 |"), true);
  assert.equal(needsMore('filter a = "x'), true);
  assert.equal(needsMore("filter a in [1,"), true);
  assert.equal(needsMore("stats count(*"), true);
  assert.equal(needsMore('filter a = "|" and b = 1'), false);
  assert.equal(needsMore("filter a = 1 # a comment with ( and |"), false);
  assert.equal(needsMore("stats count(*) by eventName"), false);
});

test("completion: commands, functions with their ( , fields, dot commands, template ids", () => {
  const src = { fields: () => ["userIdentity.sessionContext.sessionIssuer.userName", "userIdentity.type", "eventName"], templates: () => ["cis-root-account-usage", "cis-nacl-changes"] };
  assert.deepEqual(complete("sta", src), [["stats"], "sta"]);
  assert.deepEqual(complete("filter x | so", src), [["SOURCE", "sort"], "so"]);
  assert.deepEqual(complete("fields userIdentity.sess", src), [["userIdentity.sessionContext.sessionIssuer.userName"], "userIdentity.sess"]);
  assert.deepEqual(complete("filter isValidIpV", src)[0], ["isValidIpV4(", "isValidIpV6("]);
  assert.deepEqual(complete(".ti", src), [[".timer"], ".ti"]);
  assert.deepEqual(complete(".run cis-r", src), [["cis-root-account-usage"], "cis-r"]);
});

const hasTmux = spawnSync("tmux", ["-V"]).status === 0;

test("a session in a real terminal: multi-line query, Tab, Ctrl-C, history across restarts", { skip: !hasTmux && "tmux is not installed" }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "trailq-repl-"));
  const pipe = join(dir, "events.pipe");
  const session = `trailq-repl-${process.pid}`;
  let feeder: ChildProcess | undefined;
  const tmux = (...args: string[]): string => execFileSync("tmux", args, { encoding: "utf8" });
  const screen = (): string => tmux("capture-pane", "-p", "-t", session, "-S", "-200");
  const until = async (re: RegExp, what: string): Promise<string> => {
    for (let i = 0; i < 300; i++) {
      const s = screen();
      if (re.test(s)) return s;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`${what}: the screen never showed ${re}:\n${screen()}`);
  };
  const start = (): void => {
    tmux("new-session", "-d", "-s", session, "-x", "150", "-y", "50", `cd ${ROOT} && XDG_STATE_HOME=${dir} NO_COLOR=1 ./bin/trailq repl`);
  };
  try {
    // A named pipe that keeps giving events: the scan of it is still running when Ctrl-C comes.
    execFileSync("mkfifo", [pipe]);
    feeder = spawn("sh", ["-c", `${dripCommand(await eventLines(join(ROOT, "fixtures", "sample-trail"), dir))} > ${pipe}`], { stdio: "ignore" });
    start();
    await until(/^trailq>\s*$/m, "the prompt");
    tmux("send-keys", "-t", session, 'filter eventSource = "kms.amazonaws.com" |', "Enter");
    await until(/^\s+\.\.\.>\s*$/m, "the continuation prompt");
    tmux("send-keys", "-t", session, 'stats count(*) as n by eventName | sort n desc | limit 2', "Enter");
    await until(/Decrypt\s+│\s+\d+[\s\S]*\(2 rows, 18627 events parsed, 326 files ruled out by the filter.s text\)/, "the result");
    tmux("send-keys", "-t", session, "sta", "Tab");
    await until(/^trailq> stats\s*$/m, "Tab completes sta");
    // Tab completes as far as the discovered paths agree, then on to the full path
    tmux("send-keys", "-t", session, "C-u", "fields userIdentity.sess", "Tab");
    await until(/^trailq> fields userIdentity\.sessionContext\.\s*$/m, "Tab completes userIdentity.sess");
    tmux("send-keys", "-t", session, "sessionI", "Tab");
    await until(/^trailq> fields userIdentity\.sessionContext\.sessionIssuer\.\s*$/m, "Tab completes sessionI");
    tmux("send-keys", "-t", session, "userN", "Tab");
    await until(/^trailq> fields userIdentity\.sessionContext\.sessionIssuer\.userName\s*$/m, "Tab completes to the full path");
    tmux("send-keys", "-t", session, "C-u", `.source ${pipe}`, "Enter");
    tmux("send-keys", "-t", session, "stats count(*) by eventName, sourceIPAddress, userAgent", "Enter");
    await until(/files · .*events/, "the scan's progress");
    tmux("send-keys", "-t", session, "C-c");
    await until(/cancelled\)/, "Ctrl-C cancels the scan");
    tmux("send-keys", "-t", session, ".source fixtures/sample-trail", "Enter");
    tmux("send-keys", "-t", session, "stats count(*) as total", "Enter");
    await until(/20000\n\(1 row, 20000 events parsed\)/, "another query in the same session");
    tmux("send-keys", "-t", session, "C-d");
    await new Promise((r) => setTimeout(r, 300));
    const saved = readFileSync(join(dir, "trailq", "history"), "utf8");
    assert.match(saved, /stats count\(\*\) as total/);
    // Ctrl-D ended the prompt, and with it the tmux session
    spawnSync("tmux", ["kill-session", "-t", session]);
    start();
    await until(/^trailq>\s*$/m, "the prompt again");
    tmux("send-keys", "-t", session, "Up");
    await until(/trailq> stats count\(\*\) as total/, "history survives a restart");
  } finally {
    feeder?.kill();
    try {
      tmux("kill-session", "-t", session);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
