import type { Row } from "../row.js";
import type { Value } from "../values.js";
import type { Operator } from "./operator.js";

/** fields / display items with an alias or a computation: evaluates them into columns. */
export class ComputeOp implements Operator {
  constructor(
    private readonly items: { name: string; eval: (row: Row) => Value }[],
    private readonly next: Operator,
  ) {}
  push(row: Row): void {
    // All items see the row as it was before this command.
    const values = this.items.map((i) => i.eval(row));
    for (let i = 0; i < values.length; i++) row.set(this.items[i]!.name, values[i]);
    this.next.push(row);
  }
  end(): void {
    this.next.end();
  }
}
