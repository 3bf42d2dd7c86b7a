// The AWS SDK for JavaScript v3 (@aws-sdk/client-s3), loaded only when an s3:// input is given: it
// is kept out of the bundle and the start-up snapshot (src/build/bundle.ts marks it external) and
// required from the package's node_modules here. Credentials and region come from the SDK's own
// chain (environment, shared config and credentials files, --profile, SSO, instance and container
// roles); an endpoint (--endpoint-url, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL) is addressed
// path-style, as S3-compatible servers expect. The SDK's notices to the process (its Node-version
// warning) and its logger are kept off the terminal.
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as S3Sdk from "@aws-sdk/client-s3";
import { PACKAGE_ROOT } from "../../root.js";
import { ExitCode, UserError } from "../../errors.js";

export type Sdk = typeof S3Sdk;
export type { S3Client } from "@aws-sdk/client-s3";

let loaded: Sdk | undefined;

/** Whether the SDK was loaded in this process (tests check that a local query does not). */
export function sdkLoaded(): boolean {
  return loaded !== undefined;
}

/** Process warnings the SDK emits (its Node-version support notice): not the user's concern. */
const SDK_NOTICE = /AWS SDK|NodeVersionSupportWarning|@aws-sdk|@smithy/;

function quietNotices(): void {
  const emit = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning.message;
    if (SDK_NOTICE.test(text)) return;
    (emit as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}

export function loadSdk(): Sdk {
  if (loaded) return loaded;
  try {
    loaded = createRequire(join(PACKAGE_ROOT, "package.json"))("@aws-sdk/client-s3") as Sdk;
  } catch {
    throw new UserError("s3:// inputs need the AWS SDK package: npm install @aws-sdk/client-s3", ExitCode.usage);
  }
  quietNotices();
  return loaded;
}

export interface ClientOptions {
  /** A named profile of the shared config and credentials files (--profile). */
  profile?: string;
  /** An S3-compatible server (--endpoint-url); else AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL. */
  endpoint?: string;
  /** Attempts per request, the first included (throttling and 5xx answers are retried with backoff). */
  maxAttempts?: number;
  /** Milliseconds a request may go without a byte before it fails (a slow or stuck answer). */
  timeoutMs?: number;
}

const SILENT = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** The S3-compatible server asked (--endpoint-url, else AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL), checked; undefined: AWS. */
export function endpointOf(o: ClientOptions): string | undefined {
  const endpoint = o.endpoint ?? process.env["AWS_ENDPOINT_URL_S3"] ?? process.env["AWS_ENDPOINT_URL"];
  if (!endpoint) return undefined;
  try {
    new URL(endpoint);
  } catch {
    throw new UserError(`bad value for --endpoint-url ${JSON.stringify(endpoint)}: not a URL such as http://127.0.0.1:9000`, ExitCode.usage);
  }
  return endpoint;
}

export function makeClient(o: ClientOptions): S3Sdk.S3Client {
  const sdk = loadSdk();
  const endpoint = endpointOf(o);
  // without a region anywhere in the chain, us-east-1: S3 redirects a bucket's requests to its region
  const region = process.env["AWS_REGION"] ?? process.env["AWS_DEFAULT_REGION"];
  const config: S3Sdk.S3ClientConfig = {
    logger: SILENT,
    followRegionRedirects: true,
    maxAttempts: o.maxAttempts ?? 4,
    // a request that goes quiet for the timeout fails (and is retried), rather than only logging it
    requestHandler: { connectionTimeout: o.timeoutMs ?? 30_000, requestTimeout: o.timeoutMs ?? 30_000, throwOnRequestTimeout: true } as S3Sdk.S3ClientConfig["requestHandler"],
  };
  if (region) config.region = region;
  else if (endpoint) config.region = "us-east-1";
  if (o.profile) config.profile = o.profile;
  if (endpoint) {
    config.endpoint = endpoint;
    config.forcePathStyle = true;
  }
  return new sdk.S3Client(config);
}

/** What an SDK error says, briefly: its code and HTTP status ("AccessDenied (403)"), or its message. */
export function sdkProblem(e: unknown): { reason: string; detail: string; status?: number; code?: string } {
  const err = e as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  const status = err?.$metadata?.httpStatusCode;
  const code = err?.Code ?? err?.name ?? "Error";
  const name = err?.name ?? "";
  if (name === "CredentialsProviderError" || /Could not load credentials/i.test(err?.message ?? "")) {
    return { reason: "no credentials", detail: "no AWS credentials found (environment, shared files, --profile, SSO or an instance role)", code: "NoCredentials" };
  }
  if (name === "TimeoutError" || /timed? ?out|ETIMEDOUT|socket hang up/i.test(err?.message ?? "")) return { reason: "timeout", detail: `timed out (${err?.message ?? code})`, code: "Timeout" };
  const reason = status === 403 ? "access denied" : status === 404 ? "not found" : status !== undefined && status >= 500 ? "server error" : "S3 error";
  const what = status !== undefined ? `${code} (HTTP ${status})` : `${code}: ${err?.message ?? String(e)}`;
  return { reason, detail: what, ...(status !== undefined ? { status } : {}), code };
}
