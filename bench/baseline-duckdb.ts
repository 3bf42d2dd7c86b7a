// The DuckDB baseline: `node baseline-duckdb.js DIR SQL` runs SQL over the view `ct` (column `r`, one
// JSON value per CloudTrail record of the gzip files under DIR) and writes the result as JSON to
// /dev/null, as the bench runs trailq with its output going nowhere. DuckDB uses every core.
//
// Records are read as JSON values, fields taken with ->>: the fastest way that answers any query
// without writing a schema for it. read_json_auto (schema inference) fails on CloudTrail with its
// default sample (nested objects whose keys vary between events) and takes about 7 times as long
// with sample_size = -1; a hand-written struct of only the fields one query needs is faster, and is
// measured once in docs/performance.md.
import { DuckDBInstance } from "@duckdb/node-api";

const [dir, sql] = process.argv.slice(2);
const db = await DuckDBInstance.create(":memory:");
const con = await db.connect();
await con.run(`CREATE VIEW ct AS SELECT unnest(Records) AS r FROM read_json('${dir}/**/*.json.gz', columns = {Records: 'JSON[]'})`);
await con.run(`COPY (${sql}) TO '/dev/null' (FORMAT json)`);
