// A program run in a real terminal: a tmux session of a given size, keys sent as a person types
// them, and the screen read back (capture-pane) until it shows what a test waits for.
import { execFileSync, spawnSync } from "node:child_process";
import assert from "node:assert/strict";

export const hasTmux = spawnSync("tmux", ["-V"]).status === 0;

export interface Terminal {
  /** The screen's text (with `history` lines of scrollback). */
  screen(): string;
  keys(...keys: string[]): void;
  /** The pane's title, as an escape sequence in the output could set it. */
  title(): string;
  /** Waits until the screen matches; fails with the screen when it never does. */
  until(re: RegExp, what: string): Promise<string>;
  close(): void;
}

let sessions = 0;
/**
 * A tmux server of this test process's own (tmux -L): a server exits when its last session closes,
 * and a session started on a shared server at that moment failed ("server exited unexpectedly")
 * when other test files, or other checkouts' suites, used tmux at the same time. Within the process,
 * a new session is tried again if the server is still exiting.
 */
const SOCKET = ["-L", `trailq-test-${process.pid}`];

export interface TerminalOptions {
  /** Lines of scrollback the screen includes (0: the visible screen only). Default 200. */
  history?: number;
  /** Lines the terminal wrapped are read as one (capture-pane -J). */
  join?: boolean;
  /** Looks at the screen, 50 ms apart, before `until` fails. Default 600. */
  tries?: number;
}

/** Starts `command` (a shell command) in a new tmux session of width × height. */
export function terminal(command: string, width: number, height = 40, opts: TerminalOptions = {}): Terminal {
  const session = `trailq-term-${process.pid}-${sessions++}`;
  const tmux = (...args: string[]): string => execFileSync("tmux", [...SOCKET, ...args], { encoding: "utf8" });
  // the server of the session closed just before may still be exiting: a new session is tried again
  for (let attempt = 1; ; attempt++) {
    try {
      tmux("new-session", "-d", "-s", session, "-x", String(width), "-y", String(height), command);
      break;
    } catch (e) {
      if (attempt === 3 || !String((e as Error).message).includes("server exited unexpectedly")) throw e;
      spawnSync("sleep", ["0.2"]);
    }
  }
  const history = opts.history ?? 200;
  const capture = ["capture-pane", "-p", ...(opts.join ? ["-J"] : []), "-t", session, ...(history > 0 ? ["-S", String(-history)] : [])];
  const screen = (): string => tmux(...capture);
  const tries = opts.tries ?? 600;
  return {
    screen,
    keys: (...keys) => void tmux("send-keys", "-t", session, ...keys),
    title: () => tmux("display-message", "-p", "-t", session, "#{pane_title}").trim(),
    async until(re, what) {
      for (let i = 0; i < tries; i++) {
        const s = screen();
        if (re.test(s)) return s;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.fail(`${what}: the screen never showed ${re}:\n${screen()}`);
    },
    close() {
      spawnSync("tmux", [...SOCKET, "kill-session", "-t", session]);
    },
  };
}
