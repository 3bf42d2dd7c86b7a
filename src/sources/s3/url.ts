// s3:// inputs: `s3://bucket`, `s3://bucket/prefix/`, `s3://bucket/key.json.gz`. A URL that is not
// one of these is a path error (exit 2) before anything is listed.
import { ExitCode, UserError } from "../../errors.js";

export interface S3Location {
  bucket: string;
  /** The key prefix, as given after the bucket ("" for the whole bucket); no leading slash. */
  prefix: string;
  /** The input as the user wrote it (messages name it). */
  input: string;
}

/** Whether an input names S3 rather than the file system. */
export function isS3Url(input: string): boolean {
  return /^s3:\/\//i.test(input);
}

/** Bucket names as S3 allows them (3 to 63 of a-z, 0-9, dot and hyphen; dotted names too). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseS3Url(input: string): S3Location {
  const m = /^s3:\/\/([^/]*)(?:\/(.*))?$/is.exec(input);
  const bucket = m?.[1] ?? "";
  if (!m || !BUCKET.test(bucket) || bucket.includes("..")) {
    throw new UserError(`${input}: not an S3 location: write s3://bucket or s3://bucket/prefix (a bucket name is 3 to 63 lowercase letters, digits, dots and hyphens)`, ExitCode.path);
  }
  const prefix = (m[2] ?? "").replace(/^\/+/, "");
  return { bucket, prefix, input };
}

/** How messages name an object: s3://bucket/key. */
export function objectUrl(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
