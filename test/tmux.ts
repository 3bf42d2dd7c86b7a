// A program run in a real terminal: a tmux session of a given size, keys sent as a person types
// them, and the screen read back (capture-pane) until it shows what a test waits for.
import { execFileSync, spawnSync } from "node:child_process";
import assert from "node:assert/strict";

export const hasTmux = spawnSync("tmux", ["-V"]).status === 0;

export interface Terminal {
  /** The screen's text (with `history` lines of scrollback). */
  screen(): string;
  keys(...keys: string[]): void;
  /** Waits until the screen matches; fails with the screen when it never does. */
  until(re: RegExp, what: string): Promise<string>;
  close(): void;
}

let sessions = 0;

/** Starts `command` (a shell command) in a new tmux session of width × height. */
export function terminal(command: string, width: number, height = 40): Terminal {
  const session = `trailq-term-${process.pid}-${sessions++}`;
  const tmux = (...args: string[]): string => execFileSync("tmux", args, { encoding: "utf8" });
  tmux("new-session", "-d", "-s", session, "-x", String(width), "-y", String(height), command);
  const screen = (): string => tmux("capture-pane", "-p", "-t", session, "-S", "-200");
  return {
    screen,
    keys: (...keys) => void tmux("send-keys", "-t", session, ...keys),
    async until(re, what) {
      for (let i = 0; i < 600; i++) {
        const s = screen();
        if (re.test(s)) return s;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.fail(`${what}: the screen never showed ${re}:\n${screen()}`);
    },
    close() {
      spawnSync("tmux", ["kill-session", "-t", session]);
    },
  };
}
