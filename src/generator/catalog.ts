// What the background traffic is made of: API calls by service with a Zipf-like popularity, and
// how each call logs its requestParameters / responseElements / resources.
import type { Rng } from "./rng.js";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json | undefined };

export interface CallContext {
  rng: Rng;
  account: string;
  region: string;
}

export interface ApiCall {
  source: string;
  name: string;
  readOnly: boolean;
  /** Data events (S3 objects, DynamoDB items, Lambda invokes) are not management events. */
  data?: boolean;
  request?: (c: CallContext) => Json;
  response?: (c: CallContext) => Json;
  resources?: (c: CallContext) => Json[];
}

const s = (source: string) => `${source}.amazonaws.com`;
const bucket = (c: CallContext): string => c.rng.pick(["app-logs", "data-lake", "backups", "web-assets", "cloudtrail-archive"]) + "-" + c.account.slice(-4);
const instanceId = (c: CallContext): string => "i-0" + c.rng.hex(16);
const keyArn = (c: CallContext): string => `arn:aws:kms:${c.region}:${c.account}:key/${c.rng.uuid()}`;
const table = (c: CallContext): string => c.rng.pick(["orders", "sessions", "users", "inventory"]);
const fn = (c: CallContext): string => c.rng.pick(["ingest", "resize-images", "notify", "nightly-report"]);

/** Ordered by popularity: the generator draws index i with weight 1 / (i + 1)^0.9. */
export const CALLS: ApiCall[] = [
  { source: s("sts"), name: "AssumeRole", readOnly: true, request: (c) => ({ roleArn: `arn:aws:iam::${c.account}:role/${c.rng.pick(["app-role", "deploy", "readonly", "lambda-exec"])}`, roleSessionName: "session-" + c.rng.hex(6), durationSeconds: 3600 }), response: (c) => ({ credentials: { accessKeyId: "ASIA" + c.rng.alnum(16), sessionToken: "IQoJb3JpZ2luX2VjE" + c.rng.alnum(12), expiration: "Nov 1, 2026, 1:00:00 AM" }, assumedRoleUser: { assumedRoleId: "AROA" + c.rng.alnum(17) + ":session", arn: `arn:aws:sts::${c.account}:assumed-role/app-role/session` } }) },
  { source: s("s3"), name: "GetObject", readOnly: true, data: true, request: (c) => ({ bucketName: bucket(c), key: `data/${c.rng.hex(8)}.json`, Host: "s3.amazonaws.com" }), resources: (c) => [{ type: "AWS::S3::Object", ARN: `arn:aws:s3:::${bucket(c)}/data/x.json` }, { accountId: c.account, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${bucket(c)}` }] },
  { source: s("kms"), name: "Decrypt", readOnly: true, request: () => ({ encryptionAlgorithm: "SYMMETRIC_DEFAULT" }), resources: (c) => [{ accountId: c.account, type: "AWS::KMS::Key", ARN: keyArn(c) }] },
  { source: s("ec2"), name: "DescribeInstances", readOnly: true, request: (c) => ({ instancesSet: {}, filterSet: { items: [{ name: "instance-state-name", valueSet: { items: [{ value: c.rng.pick(["running", "stopped"]) }] } }] } }) },
  { source: s("sts"), name: "GetCallerIdentity", readOnly: true },
  { source: s("s3"), name: "ListBuckets", readOnly: true, request: () => ({ Host: "s3.amazonaws.com" }) },
  { source: s("kms"), name: "GenerateDataKey", readOnly: true, request: () => ({ keySpec: "AES_256" }), resources: (c) => [{ accountId: c.account, type: "AWS::KMS::Key", ARN: keyArn(c) }] },
  { source: s("logs"), name: "PutLogEvents", readOnly: false, data: true, request: (c) => ({ logGroupName: "/aws/lambda/" + fn(c), logStreamName: "2026/11/01/[$LATEST]" + c.rng.hex(32) }) },
  { source: s("s3"), name: "PutObject", readOnly: false, data: true, request: (c) => ({ bucketName: bucket(c), key: `uploads/${c.rng.hex(10)}`, "x-amz-server-side-encryption": "aws:kms" }) },
  { source: s("dynamodb"), name: "GetItem", readOnly: true, data: true, request: (c) => ({ tableName: table(c), key: { id: { S: c.rng.hex(6) } } }) },
  { source: s("lambda"), name: "Invoke", readOnly: false, data: true, request: (c) => ({ functionName: `arn:aws:lambda:${c.region}:${c.account}:function:${fn(c)}` }) },
  { source: s("ec2"), name: "DescribeSecurityGroups", readOnly: true, request: () => ({ securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} }) },
  { source: s("iam"), name: "GetRole", readOnly: true, request: () => ({ roleName: "app-role" }) },
  { source: s("ssm"), name: "GetParameter", readOnly: true, request: (c) => ({ name: `/app/${c.rng.pick(["db/url", "api/key", "feature/flags"])}`, withDecryption: true }) },
  { source: s("secretsmanager"), name: "GetSecretValue", readOnly: true, request: (c) => ({ secretId: `arn:aws:secretsmanager:${c.region}:${c.account}:secret:prod/db-` + c.rng.alnum(6) }) },
  { source: s("cloudwatch"), name: "PutMetricData", readOnly: false, request: () => ({ namespace: "App" }) },
  { source: s("ec2"), name: "DescribeVolumes", readOnly: true, request: () => ({ volumeSet: {}, filterSet: {} }) },
  { source: s("iam"), name: "ListRoles", readOnly: true, request: () => null },
  { source: s("iam"), name: "ListUsers", readOnly: true, request: () => null },
  { source: s("s3"), name: "GetBucketAcl", readOnly: true, request: (c) => ({ bucketName: bucket(c), acl: "" }) },
  { source: s("ecr"), name: "GetAuthorizationToken", readOnly: true, request: () => null },
  { source: s("ec2"), name: "DescribeSubnets", readOnly: true, request: () => ({ subnetSet: {}, filterSet: {} }) },
  { source: s("cloudformation"), name: "DescribeStacks", readOnly: true, request: (c) => ({ stackName: c.rng.pick(["network", "app", "data"]) }) },
  { source: s("logs"), name: "DescribeLogGroups", readOnly: true, request: () => ({ limit: 50 }) },
  { source: s("dynamodb"), name: "PutItem", readOnly: false, data: true, request: (c) => ({ tableName: table(c) }) },
  { source: s("lambda"), name: "GetFunction20150331v2", readOnly: true, request: (c) => ({ functionName: fn(c) }) },
  { source: s("ec2"), name: "DescribeVpcs", readOnly: true, request: () => ({ vpcSet: {}, filterSet: {} }) },
  { source: s("rds"), name: "DescribeDBInstances", readOnly: true, request: () => null },
  { source: s("sqs"), name: "SendMessage", readOnly: false, data: true, request: (c) => ({ queueUrl: `https://sqs.${c.region}.amazonaws.com/${c.account}/jobs` }) },
  { source: s("sns"), name: "Publish", readOnly: false, request: (c) => ({ topicArn: `arn:aws:sns:${c.region}:${c.account}:alerts`, messageStructure: null }) },
  { source: s("iam"), name: "GetUser", readOnly: true, request: () => null },
  { source: s("ec2"), name: "DescribeImages", readOnly: true, request: () => ({ imagesSet: {}, ownersSet: { items: [{ owner: "self" }] } }) },
  { source: s("autoscaling"), name: "DescribeAutoScalingGroups", readOnly: true, request: () => null },
  { source: s("elasticloadbalancing"), name: "DescribeLoadBalancers", readOnly: true, request: () => null },
  { source: s("ec2"), name: "RunInstances", readOnly: false, request: (c) => ({ instanceType: c.rng.pick(["t3.micro", "m5.large", "c6g.xlarge", "t3.micro", "m5.large", "c5.9xlarge"]), minCount: 1, maxCount: c.rng.int(1, 3), imageId: "ami-0" + c.rng.hex(16) }), response: (c) => ({ instancesSet: { items: [{ instanceId: instanceId(c), currentState: { code: 0, name: "pending" } }] } }) },
  { source: s("ec2"), name: "StartInstances", readOnly: false, request: (c) => ({ instancesSet: { items: [{ instanceId: instanceId(c) }] } }), response: (c) => ({ instancesSet: { items: [{ instanceId: instanceId(c), currentState: { code: 0, name: "pending" }, previousState: { code: 80, name: "stopped" } }] } }) },
  { source: s("ec2"), name: "StopInstances", readOnly: false, request: (c) => ({ instancesSet: { items: [{ instanceId: instanceId(c) }] }, force: false }), response: (c) => ({ instancesSet: { items: [{ instanceId: instanceId(c), currentState: { code: 64, name: "stopping" }, previousState: { code: 16, name: "running" } }] } }) },
  { source: s("ec2"), name: "CreateTags", readOnly: false, request: (c) => ({ resourcesSet: { items: [{ resourceId: instanceId(c) }] }, tagSet: { items: [{ key: "team", value: "platform" }] } }), response: () => ({ _return: true }) },
  { source: s("s3"), name: "DeleteObject", readOnly: false, data: true, request: (c) => ({ bucketName: bucket(c), key: `tmp/${c.rng.hex(8)}` }) },
  { source: s("iam"), name: "CreateRole", readOnly: false, request: (c) => ({ roleName: "svc-" + c.rng.hex(4), assumeRolePolicyDocument: '{"Version":"2012-10-17"}' }), response: (c) => ({ role: { roleName: "svc", arn: `arn:aws:iam::${c.account}:role/svc` } }) },
  { source: s("iam"), name: "CreateUser", readOnly: false, request: (c) => ({ userName: "user-" + c.rng.hex(4) }), response: (c) => ({ user: { userName: "user", arn: `arn:aws:iam::${c.account}:user/user`, createDate: "Nov 1, 2026, 10:00:00 AM" } }) },
  { source: s("lambda"), name: "UpdateFunctionCode20150331v2", readOnly: false, request: (c) => ({ functionName: fn(c), publish: true }) },
  { source: s("cloudformation"), name: "UpdateStack", readOnly: false, request: () => ({ stackName: "app" }) },
  { source: s("kms"), name: "Encrypt", readOnly: true, resources: (c) => [{ accountId: c.account, type: "AWS::KMS::Key", ARN: keyArn(c) }] },
  { source: s("ssm"), name: "UpdateInstanceInformation", readOnly: false, request: (c) => ({ instanceId: instanceId(c), agentVersion: "3.3.40.0", platformType: "Linux" }) },
  { source: s("cloudtrail"), name: "LookupEvents", readOnly: true, request: () => ({ maxResults: 50 }) },
  { source: s("guardduty"), name: "ListFindings", readOnly: true, request: () => ({ detectorId: "d1" }) },
  { source: s("config"), name: "DescribeConfigRules", readOnly: true },
  { source: s("route53"), name: "ListHostedZones", readOnly: true, request: () => null },
  { source: s("eks"), name: "DescribeCluster", readOnly: true, request: () => ({ name: "prod" }) },
];

/** Weight of the call at popularity rank i. */
export const CALL_WEIGHTS = CALLS.map((_, i) => 1 / (i + 1) ** 0.9);

export const ERRORS: { code: string; message: string; weight: number }[] = [
  { code: "AccessDenied", message: "User is not authorized to perform this operation", weight: 5 },
  { code: "Client.UnauthorizedOperation", message: "You are not authorized to perform this operation.", weight: 2 },
  { code: "ThrottlingException", message: "Rate exceeded", weight: 2 },
  { code: "NoSuchEntityException", message: "The role with name app-role cannot be found.", weight: 1 },
  { code: "ResourceNotFoundException", message: "Requested resource not found", weight: 1 },
  { code: "ValidationException", message: "1 validation error detected", weight: 1 },
];
