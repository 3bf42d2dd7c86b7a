// The last line on standard error: what was scanned, how many rows came out, how long it took.
import type { RunResult } from "../exec/run.js";

const n = (x: number): string => x.toLocaleString("en-US");

export function summaryLine(r: RunResult, totalRows: number, shownRows: number): string {
  const parts = [
    `${n(r.read.eventsRead)} events scanned in ${n(r.read.filesRead)} file${r.read.filesRead === 1 ? "" : "s"}`,
    shownRows < totalRows ? `${n(shownRows)} of ${n(totalRows)} rows shown (--max-rows)` : `${n(totalRows)} row${totalRows === 1 ? "" : "s"}`,
    `${(r.elapsedMs / 1000).toFixed(2)} s`,
  ];
  if (r.read.filesUnmatched > 0) parts.push(`${n(r.read.filesUnmatched)} file${r.read.filesUnmatched === 1 ? "" : "s"} without a match, not parsed`);
  if (r.read.filesUnneeded > 0) parts.push(`${n(r.read.filesUnneeded)} file${r.read.filesUnneeded === 1 ? "" : "s"} not needed (older than the rows kept)`);
  if (r.read.filesPruned > 0) parts.push(`${n(r.read.filesPruned)} file${r.read.filesPruned === 1 ? "" : "s"} pruned by name`);
  if (r.read.skipped.length > 0) {
    // One entry per wholly skipped file, and one per bad line or record of a file read in part.
    const reasons = new Map<string, number>();
    for (const s of r.read.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
    const what = [...reasons].map(([k, v]) => `${v} ${k}`).join(", ");
    parts.push(`${n(r.read.filesSkipped)} file${r.read.filesSkipped === 1 ? "" : "s"} skipped, problems: ${what}`);
  }
  if (r.interrupted) parts.push("interrupted");
  return parts.join(" · ");
}
