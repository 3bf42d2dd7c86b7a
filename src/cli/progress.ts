// The progress bar on standard error: for scans longer than about a second, on a terminal, unless
// --quiet. Files done of the files planned, events, MB read, rates and an ETA, redrawn at most ten
// times a second on one line, cleared at the end. Before the scan (s3:// inputs being listed) the
// line says what the listing found so far; while S3 is waited for, a timer redraws it.
import type { ReadStats } from "../sources/index.js";
import { terminalColumns } from "./io.js";

/** How often the line is redrawn while nothing else tells it to (s3:// inputs: a slow listing or fetch). */
export const PROGRESS_TICK_MS = 250;

export interface ProgressTotals {
  files: number;
  bytes: number;
}

/**
 * The progress line, as text (a pure function: tests call it with fixed figures). Without `read`
 * (nothing read yet: s3:// inputs being listed), `extra` and the time so far.
 */
export function progressLine(read: ReadStats | undefined, total: ProgressTotals | undefined, elapsedMs: number, width: number, extra?: string): string {
  const secs = Math.max(elapsedMs / 1000, 0.001);
  if (!read) return cut(`${extra ? `${extra} · ` : ""}${duration(secs)}`, width);
  const mb = read.bytesRead / 1e6;
  const files = read.filesRead + read.filesSkipped + read.filesEmpty;
  const rate = `${fmt(read.eventsRead / secs)} ev/s, ${(mb / secs).toFixed(1)} MB/s`;
  let bar = "";
  let eta = "";
  if (total && total.bytes > 0) {
    const done = Math.min(1, read.bytesRead / total.bytes);
    const cells = Math.max(10, Math.min(30, width - 90));
    const full = Math.round(done * cells);
    bar = `[${"█".repeat(full)}${"░".repeat(cells - full)}] ${String(Math.floor(done * 100)).padStart(3)}% `;
    if (done > 0.02 && done < 1) eta = ` · ETA ${duration(((1 - done) * secs) / done)}`;
  }
  const of = total ? `/${fmt(total.files)}` : "";
  return cut(`${bar}${fmt(files)}${of} files · ${fmt(read.eventsRead)} events · ${mb.toFixed(1)} MB · ${rate}${eta}${extra ? ` · ${extra}` : ""}`, width);
}

/** A line that fits the terminal's width (the last column left free: no wrap). */
function cut(line: string, width: number): string {
  return line.length > width - 1 ? line.slice(0, width - 2) + "…" : line;
}

function fmt(n: number): string {
  if (n >= 1e6) return (n / 1e6).toFixed(1) + "M";
  if (n >= 1e4) return Math.round(n / 1e3) + "k";
  return String(Math.round(n));
}

function duration(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, "0")}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

export interface Progress {
  /** Draws the line with these figures (without: the last ones given, or none yet). */
  update(read?: ReadStats): void;
  /** Erase the line, if drawn, before something else prints (a warning, rows); the next update draws it again. Says whether it was drawn. */
  clear(): boolean;
  /** Clear the line for good (the summary follows): later updates draw nothing. */
  done(): void;
}

const SILENT: Progress = { update() {}, clear: () => false, done() {} };

export function createProgress(opts: {
  enabled: boolean;
  stream: NodeJS.WriteStream;
  total?: Promise<ProgressTotals | undefined>;
  now?: () => number;
  /** Draw nothing before this many ms. */
  delayMs?: number;
  /** More to say at the end of the line (s3:// inputs: objects and bytes listed and fetched). */
  extra?: () => string | undefined;
  /** Redraw this often with the last figures (a timer, stopped by done()). */
  tickMs?: number;
}): Progress {
  if (!opts.enabled) return SILENT;
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const delay = opts.delayMs ?? 1000;
  let last = -Infinity;
  let drawn = false;
  let finished = false;
  let total: ProgressTotals | undefined;
  let read: ReadStats | undefined;
  void opts.total?.then((t) => (total = t)).catch(() => {});
  const progress: Progress = {
    update(stats) {
      if (stats) read = stats;
      const t = now();
      if (finished || t - started < delay || t - last < 100) return;
      last = t;
      drawn = true;
      opts.stream.write(`\r\x1b[2K${progressLine(read, total, t - started, terminalColumns(opts.stream, 100), opts.extra?.())}`);
    },
    clear() {
      if (!drawn) return false;
      opts.stream.write("\r\x1b[2K");
      drawn = false;
      return true;
    },
    done() {
      finished = true;
      if (ticker) clearInterval(ticker);
      progress.clear();
    },
  };
  const ticker = opts.tickMs ? setInterval(() => progress.update(), opts.tickMs) : undefined;
  ticker?.unref();
  return progress;
}
