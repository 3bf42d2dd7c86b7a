// The Athena table the SQL targets: CREATE EXTERNAL TABLE over the trail's S3 folders, with
// partition projection (account and region enums, the day as a date partition `YYYY/MM/DD`) so
// Athena lists only the folders a query's partition predicates select.
import { ExitCode, UserError } from "../errors.js";
import { lit } from "./dialect.js";
import { DEFAULT_TABLE, PARTITIONS, TABLE_COLUMNS, sqlName, type ColumnType } from "./schema.js";

/** The commercial regions CloudTrail delivers from (the default of the region enum). */
export const REGIONS = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-south-1", "ap-south-2",
  "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
  "ap-east-2", "ap-northeast-1", "ap-northeast-2",
  "ap-northeast-3", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3",
  "eu-south-1", "eu-south-2", "eu-north-1", "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
];

export interface DdlOptions {
  /** s3://bucket[/prefix]: where the AWSLogs folder is (or the AWSLogs folder itself, or an organization's). */
  bucket: string;
  table?: string;
  accounts?: string[];
  regions?: string[];
  /** The first day of the projection, YYYY/MM/DD. */
  firstDay?: string;
}

/** Hive's spelling of a column type. */
function hiveType(t: ColumnType, depth: number): string {
  switch (t.k) {
    case "string":
    case "bool":
    case "json":
      return "STRING";
    case "array":
      return `ARRAY<${hiveType(t.of, depth)}>`;
    case "struct": {
      const pad = "  ".repeat(depth + 1);
      return `STRUCT<\n${t.fields.map((f) => `${pad}${sqlName(f.key)}: ${hiveType(f.type, depth + 1)}`).join(",\n")}>`;
    }
  }
}

/** The folder that holds the account folders: the bucket's AWSLogs/ unless the path already names one. */
export function accountsFolder(bucket: string): string {
  if (!/^s3:\/\/[a-z0-9][a-z0-9.-]+[a-z0-9](\/.*)?$/.test(bucket)) {
    throw new UserError(`bad value for --bucket: "${bucket}" is not an S3 location such as s3://my-trail-bucket/prefix`, ExitCode.usage);
  }
  const b = bucket.replace(/\/+$/, "");
  return /\/AWSLogs(\/o-[a-z0-9]+)?$/.test(b) ? b : `${b}/AWSLogs`;
}

export function createTableDdl(opts: DdlOptions): string {
  if (!opts.accounts?.length) {
    throw new UserError("the table's account partition needs the account ids: --account 111122223333[,...]", ExitCode.usage);
  }
  const table = opts.table ?? DEFAULT_TABLE;
  const folder = accountsFolder(opts.bucket);
  const columns = TABLE_COLUMNS.map((c) => `  ${sqlName(c.key)} ${hiveType(c.type, 1)}`);
  const props: [string, string][] = [
    ["projection.enabled", "true"],
    [`projection.${PARTITIONS.account}.type`, "enum"],
    [`projection.${PARTITIONS.account}.values`, opts.accounts.join(",")],
    [`projection.${PARTITIONS.region}.type`, "enum"],
    [`projection.${PARTITIONS.region}.values`, (opts.regions?.length ? opts.regions : REGIONS).join(",")],
    [`projection.${PARTITIONS.day}.type`, "date"],
    [`projection.${PARTITIONS.day}.format`, "yyyy/MM/dd"],
    [`projection.${PARTITIONS.day}.range`, `${opts.firstDay ?? "2020/01/01"},NOW`],
    [`projection.${PARTITIONS.day}.interval`, "1"],
    [`projection.${PARTITIONS.day}.interval.unit`, "DAYS"],
    ["storage.location.template", `${folder}/\${${PARTITIONS.account}}/CloudTrail/\${${PARTITIONS.region}}/\${${PARTITIONS.day}}`],
  ];
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${table} (`,
    columns.join(",\n"),
    ")",
    "COMMENT 'CloudTrail records, one row per event (trailq sql --ddl)'",
    `PARTITIONED BY (${PARTITIONS.account} STRING, ${PARTITIONS.region} STRING, \`${PARTITIONS.day}\` STRING)`,
    "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'",
    "STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'",
    "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'",
    `LOCATION ${lit(folder + "/")}`,
    "TBLPROPERTIES (",
    props.map(([k, v]) => `  ${lit(k)} = ${lit(v)}`).join(",\n"),
    ");",
    "",
  ].join("\n");
}
