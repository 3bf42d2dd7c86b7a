// The output format names, without loading the writers (the command line lists them in its help).
export const FORMAT_NAMES = ["table", "json", "jsonl", "csv", "markdown", "vertical", "chart"] as const;
