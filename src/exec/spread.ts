// Samples of a list: the files an estimate reads, those the end-of-run hints read again.

/**
 * At most `n` items of `items`, spread evenly over it, the first and the last among them (with 5
 * files and 3 wanted: the 1st, 3rd and 5th, not the first three).
 */
export function spreadOver<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  if (n <= 1) return items.slice(0, n);
  return Array.from({ length: n }, (_, k) => items[Math.round((k * (items.length - 1)) / (n - 1))]!);
}
