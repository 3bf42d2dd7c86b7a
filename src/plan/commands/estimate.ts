// estimate: instead of the rows, what the query would read (files, bytes, events), from the
// listing and a few files read in full (src/exec/run.ts).
import { QueryError } from "../../errors.js";
import type { GenericCmd } from "../../lang/ast.js";
import type { PlanBuilder } from "../builder.js";

/** The columns of estimate's one row, in the order the run gives its values. */
export const ESTIMATE_COLUMNS = ["files", "bytesOnDisk", "estimatedBytesDecoded", "estimatedEvents", "sampledFiles"];

export function planEstimate(cmd: GenericCmd, b: PlanBuilder): void {
  if (cmd !== b.query.commands[b.query.commands.length - 1]) throw new QueryError("estimate must be the last command", cmd.span);
  b.estimate = true;
}
