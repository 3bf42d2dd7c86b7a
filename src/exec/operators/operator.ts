// Operators are push-based: each receives rows with push() and is told end() when its input is
// exhausted; it pushes its own rows to the next operator.
import type { Row } from "../row.js";

export interface Operator {
  push(row: Row): void;
  end(): void;
}
