// unmask: Logs Insights shows masked data in full; CloudTrail logs have none, so it plans as nothing
// but says so.
import type { GenericCmd } from "../../lang/ast.js";
import type { PlanBuilder } from "../builder.js";

export function planUnmask(_cmd: GenericCmd, b: PlanBuilder): void {
  b.warnings.push("unmask does nothing here: CloudTrail logs have no masked data");
}
