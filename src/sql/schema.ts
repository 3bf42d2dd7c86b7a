// The shape of the CloudTrail table the SQL targets: the columns of the Athena table (the one the DDL
// creates, close to the AWS documentation's), their types, and the CloudTrail JSON key each comes
// from. The DDL, the DuckDB view over local files and the translation of field paths all read it.

/** A column or struct field type. `bool` is stored as the text 'true'/'false' (as the SerDe does). */
export type ColumnType =
  | { k: "string" }
  | { k: "bool" }
  /** A nested object kept as its JSON text (requestParameters and friends): read with json functions. */
  | { k: "json" }
  | { k: "struct"; fields: Field[] }
  | { k: "array"; of: ColumnType };

export interface Field {
  /** The key in the CloudTrail JSON (case matters there). */
  key: string;
  type: ColumnType;
}

const S: ColumnType = { k: "string" };
const struct = (...fields: [string, ColumnType][]): ColumnType => ({ k: "struct", fields: fields.map(([key, type]) => ({ key, type })) });

const SESSION_ISSUER = struct(["type", S], ["principalId", S], ["arn", S], ["accountId", S], ["userName", S]);

/** The table's columns, in DDL order. The SQL name of each is its key in lower case. */
export const TABLE_COLUMNS: Field[] = [
  { key: "eventVersion", type: S },
  {
    key: "userIdentity",
    type: struct(
      ["type", S], ["principalId", S], ["arn", S], ["accountId", S], ["invokedBy", S], ["accessKeyId", S], ["userName", S],
      ["onBehalfOf", struct(["userId", S], ["identityStoreArn", S])],
      ["sessionContext", struct(
        ["attributes", struct(["mfaAuthenticated", S], ["creationDate", S])],
        ["sessionIssuer", SESSION_ISSUER],
        ["ec2RoleDelivery", S],
        ["webIdFederationData", struct(["federatedProvider", S])],
      )],
    ),
  },
  { key: "eventTime", type: S },
  { key: "eventSource", type: S },
  { key: "eventName", type: S },
  { key: "awsRegion", type: S },
  { key: "sourceIPAddress", type: S },
  { key: "userAgent", type: S },
  { key: "errorCode", type: S },
  { key: "errorMessage", type: S },
  { key: "requestParameters", type: { k: "json" } },
  { key: "responseElements", type: { k: "json" } },
  { key: "additionalEventData", type: { k: "json" } },
  { key: "requestID", type: S },
  { key: "eventID", type: S },
  { key: "readOnly", type: { k: "bool" } },
  { key: "resources", type: { k: "array", of: struct(["ARN", S], ["accountId", S], ["type", S]) } },
  { key: "eventType", type: S },
  { key: "apiVersion", type: S },
  { key: "managementEvent", type: { k: "bool" } },
  { key: "recipientAccountId", type: S },
  { key: "serviceEventDetails", type: { k: "json" } },
  { key: "sharedEventID", type: S },
  { key: "vpcEndpointId", type: S },
  { key: "eventCategory", type: S },
  { key: "tlsDetails", type: struct(["tlsVersion", S], ["cipherSuite", S], ["clientProvidedHostHeader", S]) },
  { key: "sessionCredentialFromConsole", type: S },
];

/** The partition columns (partition projection): account and region enums, the day `YYYY/MM/DD`. */
export const PARTITIONS = { account: "account", region: "region", day: "timestamp" } as const;

export const DEFAULT_TABLE = "cloudtrail_logs";

/** The SQL name of a column or struct field: lower case (Athena's catalog is case-insensitive). */
export function sqlName(key: string): string {
  return key.toLowerCase();
}

export function findColumn(key: string): Field | undefined {
  return TABLE_COLUMNS.find((c) => c.key === key);
}

/** Whether a name is a word SQL reserves (then it is quoted as a column; a table may not be named so). */
export function isReservedWord(name: string): boolean {
  return RESERVED.has(name.toLowerCase());
}

/** A column name that needs quoting in SQL (a reserved word or a name with odd characters). */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

const RESERVED = new Set([
  "timestamp", "order", "by", "group", "select", "from", "where", "limit", "and", "or", "not", "in", "like", "as", "case",
  "when", "then", "else", "end", "null", "true", "false", "table", "join", "on", "union", "all", "distinct", "having", "is", "between",
  "values", "with", "date", "time", "interval", "key", "array", "map", "row", "partition", "over", "window", "range", "rows", "first",
  "last", "asc", "desc", "nulls", "cast", "exists", "current", "user", "position", "filter", "escape", "any", "some", "left", "right",
  "full", "inner", "outer", "cross", "natural", "using", "into", "create", "drop", "delete", "insert", "update", "set", "default",
  // the rest of Trino's reserved words, and DuckDB's that a column name can't be
  "alter", "constraint", "cube", "current_catalog", "current_date", "current_path", "current_role", "current_schema", "current_time",
  "current_timestamp", "current_user", "deallocate", "describe", "except", "execute", "extract", "for", "function", "grouping",
  "intersect", "json_array", "json_exists", "json_object", "json_query", "json_table", "json_value", "listagg", "localtime",
  "localtimestamp", "normalize", "prepare", "recursive", "rollup", "skip", "trim", "uescape", "unnest", "offset", "qualify",
  "fetch", "lateral", "pivot", "unpivot", "returning", "collate", "references", "check", "primary", "foreign", "unique", "analyse",
  "analyze", "asymmetric", "symmetric", "both", "leading", "trailing", "column", "do", "only", "placing", "variadic", "window",
]);
