// The CloudTrail table for DuckDB over local files: a WITH clause that reads the files as JSON
// objects (a `{"Records": [...]}` document, a JSON array or JSON lines, gzip or plain), makes one row
// per event, and gives each the columns and types of the Athena table (structs for userIdentity,
// JSON text for requestParameters...), with the partitions taken from the AWSLogs layout of the
// path (or from the event when the path has none).
import { lit } from "./dialect.js";
import { DEFAULT_TABLE, PARTITIONS, TABLE_COLUMNS, quoteIdent, sqlName, type ColumnType } from "./schema.js";

/** The json_transform structure of a struct or array type. */
function shape(t: ColumnType): unknown {
  switch (t.k) {
    case "struct":
      return Object.fromEntries(t.fields.map((f) => [f.key, shape(f.type)]));
    case "array":
      return [shape(t.of)];
    default:
      return "VARCHAR";
  }
}

function column(key: string, t: ColumnType): string {
  const path = lit(`$.${key}`);
  switch (t.k) {
    case "string":
    case "bool":
      return `json_extract_string(ev, ${path})`;
    case "json":
      return `nullif(CAST(json_extract(ev, ${path}) AS VARCHAR), 'null')`;
    default:
      return `json_transform(json_extract(ev, ${path}), ${lit(JSON.stringify(shape(t)))})`;
  }
}

/** `WITH ... <table> AS (...)` over the files (paths or globs). */
export function duckdbView(files: string[], table = DEFAULT_TABLE): string {
  // DuckDB has no catalog here: a schema-qualified name becomes the view's plain name
  table = table.split(".").pop()!;
  const source = files.length
    ? `read_json_objects([${files.map(lit).join(", ")}], format = 'auto', filename = true, ignore_errors = true, maximum_object_size = 1073741824)`
    : "(SELECT CAST(NULL AS JSON) AS json, CAST(NULL AS VARCHAR) AS filename WHERE false)";
  const layout = (group: string, n: number): string => `nullif(regexp_extract(filename, ${lit(`/(\\d{12})/CloudTrail/([A-Za-z0-9-]+)/(\\d{4}/\\d{2}/\\d{2})/[^/]*$`)}, ${n}), '')${group}`;
  const cols = TABLE_COLUMNS.map((c) => `${column(c.key, c.type)} AS ${quoteIdent(sqlName(c.key))}`);
  cols.push(
    `coalesce(${layout("", 1)}, json_extract_string(ev, '$.recipientAccountId')) AS ${quoteIdent(PARTITIONS.account)}`,
    // a region folder whatever its case, as trailq's own scan reads it
    `coalesce(lower(${layout("", 2)}), json_extract_string(ev, '$.awsRegion')) AS ${quoteIdent(PARTITIONS.region)}`,
    // the input order, as trailq reads the files: rows that tie in a sort keep it
    "ord AS __ord",
    // outside the layout, the day of the event's time in UTC (an offset moves it to another day)
    `coalesce(${layout("", 3)}, strftime(timezone('UTC', try_cast(json_extract_string(ev, '$.eventTime') AS TIMESTAMPTZ)), '%Y/%m/%d')) AS ${quoteIdent(PARTITIONS.day)}`,
  );
  return [
    "WITH cloudtrail_files AS (",
    `  SELECT filename, row_number() OVER () AS file_ord, CASE WHEN json_type(json, '$.Records') = 'ARRAY' THEN CAST(json -> '$.Records' AS JSON[]) ELSE [json] END AS records`,
    `  FROM ${source}`,
    "), cloudtrail_records AS (",
    "  SELECT filename, file_ord * 1000000000 + generate_subscripts(records, 1) AS ord, unnest(records) AS ev",
    "  FROM cloudtrail_files",
    `), ${quoteIdent(table)} AS (`,
    `  SELECT ${cols.join(",\n    ")}`,
    "  FROM cloudtrail_records",
    "  WHERE json_type(ev) = 'OBJECT'",
    "    AND (json_extract(ev, '$.eventTime') IS NOT NULL OR json_extract(ev, '$.eventName') IS NOT NULL OR json_extract(ev, '$.eventSource') IS NOT NULL)",
    ")",
  ].join("\n");
}
