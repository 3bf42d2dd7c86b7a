// The last line on standard error: what was scanned, how many rows came out, how long it took.
import type { RunResult } from "../exec/run.js";
import { formatBytes } from "../exec/memory.js";

/** A count with thousands separators, 1,234,567 (toLocaleString would load ICU's number formats: 11 ms). */
export function grouped(x: number): string {
  const digits = String(x);
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += "," + digits.slice(i, i + 3);
  return out;
}

export function summaryLine(r: RunResult, totalRows: number, shownRows: number): string {
  const parts = [
    `${grouped(r.read.eventsRead)} events scanned in ${grouped(r.read.filesRead)} file${r.read.filesRead === 1 ? "" : "s"}`,
    shownRows < totalRows ? `${grouped(shownRows)} of ${grouped(totalRows)} rows shown (--max-rows)` : `${grouped(totalRows)} row${totalRows === 1 ? "" : "s"}`,
    `${(r.elapsedMs / 1000).toFixed(2)} s`,
  ];
  if (r.read.filesUnmatched > 0) parts.push(`${grouped(r.read.filesUnmatched)} file${r.read.filesUnmatched === 1 ? "" : "s"} without a match, not parsed`);
  if (r.read.filesUnneeded > 0) parts.push(`${grouped(r.read.filesUnneeded)} file${r.read.filesUnneeded === 1 ? "" : "s"} not needed (older than the rows kept)`);
  if (r.read.eventsDuplicate > 0) parts.push(`${grouped(r.read.eventsDuplicate)} duplicate event${r.read.eventsDuplicate === 1 ? "" : "s"} skipped (same eventID; --keep-duplicates keeps them)`);
  if (r.read.filesPruned > 0) parts.push(`${grouped(r.read.filesPruned)} file${r.read.filesPruned === 1 ? "" : "s"} pruned by name`);
  if (r.read.skipped.length > 0) {
    // One entry per wholly skipped file, and one per bad line or record of a file read in part.
    const reasons = new Map<string, number>();
    for (const s of r.read.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
    const what = [...reasons].map(([k, v]) => `${v} ${k}`).join(", ");
    parts.push(`${grouped(r.read.filesSkipped)} file${r.read.filesSkipped === 1 ? "" : "s"} skipped, problems: ${what}`);
  }
  if (r.spilled > 0) parts.push(`${formatBytes(r.spilled)} spilled to temporary files (past the --memory budget)`);
  if (r.interrupted) parts.push("interrupted");
  return parts.join(" · ");
}
