// `.detect` and `.sigma` at the prompt, in a real terminal (tmux).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../bin.js";

const hasTmux = spawnSync("tmux", ["-V"]).status === 0;

test(".detect runs detection over the session's inputs; .sigma opens a rule as a query", { skip: !hasTmux && "tmux is not installed" }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "trailq-detect-repl-"));
  const session = `trailq-detect-${process.pid}`;
  const tmux = (...args: string[]): string => execFileSync("tmux", args, { encoding: "utf8" });
  const screen = (): string => tmux("capture-pane", "-p", "-J", "-t", session, "-S", "-400");
  const until = async (re: RegExp, what: string): Promise<void> => {
    for (let i = 0; i < 400; i++) {
      if (re.test(screen())) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`${what}: the screen never showed ${re}:\n${screen()}`);
  };
  try {
    tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "60", `cd ${ROOT} && XDG_STATE_HOME=${dir} NO_COLOR=1 ./bin/trailq repl fixtures/detect/events.jsonl`);
    await until(/^trailq>\s*$/m, "the prompt");
    tmux("send-keys", "-t", session, ".detect fixtures/detect/rules/kali_user_agent.yml", "Enter");
    await until(/Offensive distribution user agent/, "the finding");
    await until(/rules run: 1 Sigma, 0 correlations, \d+ templates/, "the summary");
    tmux("send-keys", "-t", session, "C-l", ".sigma fixtures/detect/rules/trail_tampering.yml", "Enter");
    await until(/# Sigma: Trail stopped or deleted \(fx-trail\)/, "the query");
    await until(/d-13[\s\S]*\(1 row, 19 events parsed\)/, "the query's result");
  } finally {
    try {
      tmux("kill-session", "-t", session);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
