// The DuckDB baseline: `node baseline-duckdb.js DIR SQL` runs SQL (which reads the view `ct`, one row
// per CloudTrail record of the gzip files under DIR, schema inferred by read_json_auto as a user
// without a hand-written schema would) and writes the result as JSON to /dev/null, as the bench
// runs trailq with its output going nowhere. DuckDB uses every core (two threads here).
import { DuckDBInstance } from "@duckdb/node-api";

const [dir, sql] = process.argv.slice(2);
const db = await DuckDBInstance.create(":memory:");
const con = await db.connect();
// sample_size=-1: infer from every record; with the default sample, records whose nested objects
// have keys the sample lacked fail the read.
await con.run(
  `CREATE VIEW ct AS SELECT unnest(Records, max_depth := 2) FROM read_json_auto('${dir}/**/*.json.gz', sample_size = -1, maximum_sample_files = -1)`,
);
await con.run(`COPY (${sql}) TO '/dev/null' (FORMAT json)`);
