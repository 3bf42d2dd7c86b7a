// Why a rule is not run: thrown while a rule compiles, caught once per rule (the others still run).

/** The short reasons the summary and the tests count rules by. */
export type RefusalKind =
  | "bad rule"
  | "not CloudTrail"
  | "modifier"
  | "condition"
  | "regex"
  | "correlation"
  | "template";

export class RuleRefusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    message: string,
    /** The modifier refused, when that is the reason. */
    readonly modifier?: string,
  ) {
    super(message);
    this.name = "RuleRefusal";
  }
}
