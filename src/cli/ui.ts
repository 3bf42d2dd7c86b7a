// `trailq ui [PATH...]`: the web console. Starts the server on 127.0.0.1, prints the address (with
// its token), opens the browser unless --no-open, and runs until Ctrl-C (or SIGTERM), which cancels
// the running queries and closes the server. --rules: the Sigma rules of the detect tab.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExitCode, UserError } from "../errors.js";
import { z } from "../zod.js";
import { DuplicatesOptionSchema, ZoneOptionSchema, digits, parseOptions, zoneOption } from "./options.js";
import { SAMPLE_TRAIL, checkInputs, note } from "./io.js";
import { startServer } from "../ui/server.js";
import { workersSetting } from "../exec/parallel.js";
import { checkRulePaths } from "./detect.js";

const UiOptionsSchema = z.object({
  ...ZoneOptionSchema.shape,
  port: z._default(digits(z.coerce.number().check(z.int(), z.gte(0), z.lte(65535))), 0),
  open: z._default(z.boolean(), true),
  rules: z._default(z.array(z.string()), []),
  ...DuplicatesOptionSchema.shape,
});

/**
 * A page of the user's own (a folder only they can read) that sends the browser on to `url`: the
 * browser is given its path, not the address. A command line is anyone's to read (/proc/PID/cmdline,
 * `ps`), and the address holds the token: another user of the machine read it from xdg-open's and
 * the browser's, and queried the trail. The folder goes when the process ends.
 */
export function redirectPage(url: string): string {
  const dir = mkdtempSync(join(tmpdir(), "trailq-ui-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "open.html");
  const href = url.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
  writeFileSync(file, `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}"><title>trailq</title><a href="${href}">trailq ui</a>\n`, { mode: 0o600 });
  return file;
}

/** The system's way to open an address in the browser, through redirectPage; errors are a note, never a failure. */
function openBrowser(url: string): void {
  const page = redirectPage(url);
  const [cmd, args] = process.platform === "darwin" ? ["open", [page]] : process.platform === "win32" ? ["cmd", ["/c", "start", "", page]] : ["xdg-open", [page]];
  try {
    const child = spawn(cmd, args as string[], { stdio: "ignore", detached: true });
    child.on("error", () => note(`could not open a browser (${cmd}): open the address above`));
    child.unref();
  } catch {
    note("could not open a browser: open the address above");
  }
}

export async function uiCommand(paths: string[], rawOpts: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(UiOptionsSchema, rawOpts);
  workersSetting(); // a bad TRAILQ_WORKERS is an error before the console starts, not in each query
  // the table's times, the histogram's and the range picker's are the zone's
  zoneOption(opts);
  checkInputs(paths);
  checkRulePaths(opts.rules);
  const inputs = paths.length ? paths : [SAMPLE_TRAIL];
  if (!paths.length) note(`no input given: the console reads the bundled sample trail (${SAMPLE_TRAIL})`);
  let server;
  try {
    server = await startServer({ inputs, port: opts.port, rules: opts.rules, keepDuplicates: opts.keepDuplicates });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new UserError(`port ${opts.port} is in use: give another with --port, or none for a free one`, ExitCode.usage);
    if (code === "EACCES") throw new UserError(`port ${opts.port} needs privileges: give one above 1023, or none for a free one`, ExitCode.usage);
    throw e;
  }
  process.stdout.write(`trailq ui: ${server.url}\n`);
  process.stderr.write("trailq: the address holds a token: anyone with it can query these files. Ctrl-C stops the server.\n");
  if (opts.open) openBrowser(server.url);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      // a second Ctrl-C ends at once
      process.once("SIGINT", () => process.exit(ExitCode.interrupted));
      void server.close().then(() => {
        process.stderr.write("trailq: the console is stopped\n");
        resolve();
      });
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
