// `.detect` and `.sigma` at the prompt, in a real terminal (tmux).
import { test } from "node:test";
import { rmSync } from "node:fs";
import { ROOT } from "../bin.js";
import { hasTmux, terminal } from "../tmux.js";
import { tempDir } from "../temp.js";

test(".detect runs detection over the session's inputs; .sigma opens a rule as a query", { skip: !hasTmux && "tmux is not installed" }, async () => {
  const dir = tempDir("detect-repl");
  const t = terminal(`cd ${ROOT} && XDG_STATE_HOME=${dir} NO_COLOR=1 ./bin/trailq repl fixtures/detect/events.jsonl`, 200, 60, { history: 400, join: true, tries: 400 });
  try {
    await t.until(/^trailq>\s*$/m, "the prompt");
    t.keys(".detect fixtures/detect/rules/kali_user_agent.yml", "Enter");
    await t.until(/Offensive distribution user agent/, "the finding");
    await t.until(/rules run: 1 Sigma, 0 correlations, \d+ templates/, "the summary");
    // a template detect does not run is named with the prompt's command, not the shell's
    await t.until(/\(run it with: \.run [a-z0-9-]+\)/, "the prompt's .run in a template's reason");
    t.keys("C-l", ".sigma fixtures/detect/rules/trail_tampering.yml", "Enter");
    await t.until(/# Sigma: Trail stopped or deleted \(fx-trail\)/, "the query");
    await t.until(/d-13[\s\S]*\(1 row, 19 events parsed\)/, "the query's result");
  } finally {
    t.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
