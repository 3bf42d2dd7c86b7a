// The planted scenarios: what security queries look for, a handful of events each, at seeded times.
// Each is named (the summary counts events per scenario) and documented in docs/sample-trail.md.
import type { ApiCall, Json } from "./catalog.js";
import type { EventSpec } from "./event.js";
import { hashId, type Principal } from "./identities.js";
import type { Rng } from "./rng.js";

export interface World {
  rng: Rng;
  accounts: string[];
  regions: string[];
  start: number;
  end: number;
  principalsOf: (account: string) => Principal[];
}

const s = (x: string) => `${x}.amazonaws.com`;
const call = (service: string, name: string, readOnly = false): ApiCall => ({ source: s(service), name, readOnly });

function named(w: World, account: string, name: string): Principal {
  return w.principalsOf(account).find((p) => p.name === name)!;
}

function root(account: string): Principal {
  return {
    name: "root",
    weight: 0,
    ips: ["198.51.100.23"],
    agents: ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"],
    userIdentity: () => ({ type: "Root", principalId: account, arn: `arn:aws:iam::${account}:root`, accountId: account, accessKeyId: "ASIA" + hashId("root" + account).slice(0, 16) }),
  };
}

function at(w: World, fraction: number): number {
  return Math.floor(w.start + (w.end - w.start) * fraction) + w.rng.int(0, 59) * 1000;
}

/** A series of changes by one principal: one event per API name, a few minutes apart. */
function changes(w: World, account: string, who: Principal, service: string, names: string[], t0: number, params: (n: string) => Json): EventSpec[] {
  return names.map((name, i) => ({
    time: t0 + i * 97_000,
    account,
    region: w.regions[0]!,
    principal: who,
    call: call(service, name),
    requestParameters: params(name),
  }));
}

function consoleLogin(w: World, account: string, who: Principal, t: number, ok: boolean, mfa: boolean, ip?: string): EventSpec {
  const spec: EventSpec = {
    time: t,
    account,
    region: "us-east-1",
    principal: who,
    call: call("signin", "ConsoleLogin"),
    eventType: "AwsConsoleSignIn",
    requestParameters: null,
    responseElements: { ConsoleLogin: ok ? "Success" : "Failure" },
    additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home", MobileVersion: "No", MFAUsed: mfa ? "Yes" : "No" },
    userAgent: who.agents.find((a) => a.startsWith("Mozilla")) ?? "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
  };
  if (ip) spec.sourceIPAddress = ip;
  if (!ok) spec.error = { code: "", message: "Failed authentication" };
  return spec;
}

export type Scenario = (w: World) => EventSpec[];

export const SCENARIOS: Record<string, Scenario> = {
  "root-activity": (w) => {
    const a = w.accounts[0]!;
    const r = root(a);
    const t = at(w, 0.31);
    return [
      consoleLogin(w, a, r, t, true, false),
      { time: t + 60_000, account: a, region: w.regions[0]!, principal: r, call: call("iam", "ListUsers", true), requestParameters: null },
      { time: t + 120_000, account: a, region: w.regions[0]!, principal: r, call: call("iam", "CreateAccessKey"), requestParameters: null, responseElements: { accessKey: { accessKeyId: "AKIA" + hashId("rootkey").slice(0, 16), status: "Active", userName: "root" } } },
    ];
  },
  "console-login-without-mfa": (w) =>
    w.accounts.map((a, i) => consoleLogin(w, a, named(w, a, i === 0 ? "alice" : "bob"), at(w, 0.12 + i * 0.2), true, false)),
  "console-login-with-mfa": (w) => w.accounts.map((a, i) => consoleLogin(w, a, named(w, a, "carol"), at(w, 0.2 + i * 0.25), true, true)),
  "failed-console-logins": (w) => {
    const a = w.accounts[0]!;
    const t = at(w, 0.55);
    return Array.from({ length: 8 }, (_, i) => consoleLogin(w, a, named(w, a, "bob"), t + i * 20_000, false, false, "45.155.205.7"));
  },
  "access-denied-burst": (w) => {
    const a = w.accounts[1] ?? w.accounts[0]!;
    const who = named(w, a, "readonly");
    const t = at(w, 0.42);
    const names = ["ListSecrets", "GetSecretValue", "ListBuckets", "GetBucketPolicy", "DescribeInstances", "ListUsers", "ListRoles", "GetAccountAuthorizationDetails", "ListAccessKeys", "DescribeDBInstances", "ListFunctions20150331", "DescribeKey"];
    const svc = ["secretsmanager", "secretsmanager", "s3", "s3", "ec2", "iam", "iam", "iam", "iam", "rds", "lambda", "kms"];
    return names.map((n, i) => ({
      time: t + i * 4000,
      account: a,
      region: w.regions[0]!,
      principal: who,
      call: call(svc[i]!, n, true),
      error: svc[i] === "ec2" ? { code: "Client.UnauthorizedOperation", message: "You are not authorized to perform this operation." } : { code: "AccessDenied", message: `User: arn:aws:sts::${a}:assumed-role/readonly/session-readonly is not authorized to perform: ${svc[i]}:${n}` },
    }));
  },
  "security-group-changes": (w) => {
    const a = w.accounts[0]!;
    return changes(w, a, named(w, a, "deploy-bot"), "ec2", ["CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "RevokeSecurityGroupEgress", "DeleteSecurityGroup"], at(w, 0.25), (n) =>
      n === "AuthorizeSecurityGroupIngress"
        ? { groupId: "sg-0a1b2c3d4e5f6a7b8", ipPermissions: { items: [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, groups: {}, ipRanges: { items: [{ cidrIp: "0.0.0.0/0" }] }, ipv6Ranges: {}, prefixListIds: {} }] } }
        : { groupId: "sg-0a1b2c3d4e5f6a7b8", groupName: "ssh-open" },
    );
  },
  "nacl-changes": (w) => {
    const a = w.accounts[1] ?? w.accounts[0]!;
    return changes(w, a, named(w, a, "deploy-bot"), "ec2", ["CreateNetworkAcl", "CreateNetworkAclEntry", "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation", "DeleteNetworkAclEntry", "DeleteNetworkAcl"], at(w, 0.33), () => ({ networkAclId: "acl-0f1e2d3c4b5a69788", vpcId: "vpc-0123456789abcdef0" }));
  },
  "route-table-changes": (w) => {
    const a = w.accounts[0]!;
    return changes(w, a, named(w, a, "ci-runner"), "ec2", ["CreateRouteTable", "CreateRoute", "ReplaceRoute", "ReplaceRouteTableAssociation", "DisassociateRouteTable", "DeleteRoute", "DeleteRouteTable"], at(w, 0.61), () => ({ routeTableId: "rtb-0aa11bb22cc33dd44", destinationCidrBlock: "0.0.0.0/0" }));
  },
  "network-gateway-changes": (w) => {
    const a = w.accounts[2] ?? w.accounts[0]!;
    return changes(w, a, named(w, a, "Admin"), "ec2", ["CreateCustomerGateway", "DeleteCustomerGateway", "CreateInternetGateway", "AttachInternetGateway", "DetachInternetGateway", "DeleteInternetGateway"], at(w, 0.47), () => ({ internetGatewayId: "igw-0123abcd4567ef890", vpcId: "vpc-0123456789abcdef0" }));
  },
  "vpc-changes": (w) => {
    const a = w.accounts[0]!;
    return changes(w, a, named(w, a, "Admin"), "ec2", ["CreateVpc", "ModifyVpcAttribute", "CreateVpcPeeringConnection", "AcceptVpcPeeringConnection", "RejectVpcPeeringConnection", "DeleteVpcPeeringConnection", "EnableVpcClassicLink", "DisableVpcClassicLink", "AttachClassicLinkVpc", "DetachClassicLinkVpc", "DeleteVpc"], at(w, 0.71), () => ({ vpcId: "vpc-0fedcba9876543210", cidrBlock: "10.42.0.0/16" }));
  },
  "iam-policy-changes": (w) => {
    const a = w.accounts[0]!;
    return changes(w, a, named(w, a, "alice"), "iam", ["CreatePolicy", "CreatePolicyVersion", "AttachRolePolicy", "AttachUserPolicy", "AttachGroupPolicy", "PutRolePolicy", "PutUserPolicy", "PutGroupPolicy", "DetachRolePolicy", "DetachUserPolicy", "DetachGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "DeleteGroupPolicy", "DeletePolicyVersion", "DeletePolicy"], at(w, 0.37), (n) => ({ policyArn: `arn:aws:iam::${a}:policy/ops-admin`, ...(n.includes("Role") ? { roleName: "app-role" } : n.includes("User") ? { userName: "mallory" } : n.includes("Group") ? { groupName: "ops" } : {}), ...(n === "CreatePolicy" ? { policyName: "ops-admin", policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' } : {}) }));
  },
  "cloudtrail-changes": (w) => {
    const a = w.accounts[1] ?? w.accounts[0]!;
    return changes(w, a, named(w, a, "Admin"), "cloudtrail", ["CreateTrail", "UpdateTrail", "StopLogging", "StartLogging", "DeleteTrail"], at(w, 0.83), () => ({ name: `arn:aws:cloudtrail:${w.regions[0]}:${a}:trail/org-trail` }));
  },
  "kms-key-disable-or-delete": (w) => {
    const a = w.accounts[0]!;
    return changes(w, a, named(w, a, "carol"), "kms", ["DisableKey", "ScheduleKeyDeletion"], at(w, 0.66), (n) => ({ keyId: "arn:aws:kms:us-east-1:" + a + ":key/1234abcd-12ab-34cd-56ef-1234567890ab", ...(n === "ScheduleKeyDeletion" ? { pendingWindowInDays: 7 } : {}) }));
  },
  "s3-bucket-policy-changes": (w) => {
    const a = w.accounts[0]!;
    return changes(w, a, named(w, a, "bob"), "s3", ["PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle", "PutBucketReplication", "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle", "DeleteBucketReplication", "DeletePublicAccessBlock"], at(w, 0.52), (n) =>
      n === "PutBucketPolicy"
        ? { bucketName: "web-assets-public", bucketPolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::web-assets-public/*" }] } }
        : { bucketName: "web-assets-public" },
    );
  },
  "config-changes": (w) => {
    const a = w.accounts[2] ?? w.accounts[0]!;
    return changes(w, a, named(w, a, "Admin"), "config", ["StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel", "PutConfigurationRecorder"], at(w, 0.78), () => ({ configurationRecorderName: "default" }));
  },
  "organizations-changes": (w) => {
    const a = w.accounts[0]!;
    return changes(w, a, named(w, a, "Admin"), "organizations", ["CreateAccount", "CreateOrganizationalUnit", "CreatePolicy", "AttachPolicy", "DetachPolicy", "UpdatePolicy", "EnablePolicyType", "DisablePolicyType", "InviteAccountToOrganization", "AcceptHandshake", "DeclineHandshake", "MoveAccount", "UpdateOrganizationalUnit", "RemoveAccountFromOrganization", "DeletePolicy", "DeleteOrganizationalUnit", "LeaveOrganization", "DeleteOrganization"], at(w, 0.88), () => ({ policyId: "p-examplepolicyid111", targetId: "ou-ab12-34cd56ef" }));
  },
  "outdated-tls": (w) =>
    Array.from({ length: 12 }, (_, i) => {
      const a = w.accounts[i % w.accounts.length]!;
      return { time: at(w, 0.05 + i * 0.07), account: a, region: w.regions[i % w.regions.length]!, principal: named(w, a, "ci-runner"), call: call(i % 2 ? "s3" : "sts", i % 2 ? "ListBuckets" : "GetCallerIdentity", true), userAgent: "aws-sdk-java/1.11.30 Linux/3.10 Java_HotSpot(TM)_64-Bit_Server_VM/25.101", tlsVersion: i % 3 ? "TLSv1.1" : "TLSv1", requestParameters: null };
    }),
  "compromised-access-key": (w) => {
    const a = w.accounts[0]!;
    const who = named(w, a, "deploy-bot");
    const t = at(w, 0.9);
    return ["GetCallerIdentity", "ListBuckets", "ListUsers", "GetObject"].map((n, i) => ({ time: t + i * 30_000, account: a, region: w.regions[0]!, principal: who, call: call(n === "GetCallerIdentity" ? "sts" : n === "ListUsers" ? "iam" : "s3", n, true), sourceIPAddress: "185.220.101.45", userAgent: "python-requests/2.31.0" }));
  },
  "enumeration-burst": (w) => {
    const a = w.accounts[1] ?? w.accounts[0]!;
    const who = named(w, a, "bob");
    const t = at(w, 0.58);
    const names: [string, string][] = [["iam", "ListUsers"], ["iam", "ListRoles"], ["iam", "ListPolicies"], ["iam", "GetAccountAuthorizationDetails"], ["ec2", "DescribeInstances"], ["ec2", "DescribeSecurityGroups"], ["ec2", "DescribeVpcs"], ["s3", "ListBuckets"], ["lambda", "ListFunctions20150331"], ["rds", "DescribeDBInstances"], ["secretsmanager", "ListSecrets"], ["ssm", "DescribeParameters"], ["kms", "ListKeys"], ["sns", "ListTopics"], ["sqs", "ListQueues"], ["dynamodb", "ListTables"], ["cloudtrail", "DescribeTrails"], ["guardduty", "ListDetectors"], ["organizations", "DescribeOrganization"], ["iam", "ListAccessKeys"]];
    return names.map(([svc, n], i) => ({ time: t + i * 6000, account: a, region: w.regions[0]!, principal: who, call: call(svc, n, true), userAgent: "aws-cli/1.16.312 Python/3.8.0 Linux/5.4 botocore/1.13.48" }));
  },
  "get-caller-identity-unusual-agent": (w) => {
    const a = w.accounts[2] ?? w.accounts[0]!;
    return [0, 1].map((i) => ({ time: at(w, 0.62 + i * 0.01), account: a, region: w.regions[0]!, principal: named(w, a, "ci-runner"), call: call("sts", "GetCallerIdentity", true), userAgent: i ? "Pacu/1.5.2 (aws-cli/1.22)" : "aws-cli/1.18.69 Python/3.8 Linux/kali", sourceIPAddress: "45.83.64.1", requestParameters: null }));
  },
  "access-key-for-other-user": (w) => {
    const a = w.accounts[0]!;
    return [{ time: at(w, 0.69), account: a, region: w.regions[0]!, principal: named(w, a, "bob"), call: call("iam", "CreateAccessKey"), requestParameters: { userName: "alice" }, responseElements: { accessKey: { userName: "alice", accessKeyId: "AKIA" + hashId("newkey").slice(0, 16), status: "Active", createDate: "Nov 2, 2026, 4:33:10 PM" } } }];
  },
  "role-assumption-chain": (w) => {
    const a = w.accounts[0]!;
    const t = at(w, 0.44);
    return ["app-role", "Admin", "readonly"].map((role, i) => ({ time: t + i * 45_000, account: a, region: w.regions[0]!, principal: named(w, a, i === 0 ? "alice" : i === 1 ? "app-role" : "Admin"), call: call("sts", "AssumeRole", true), requestParameters: { roleArn: `arn:aws:iam::${a}:role/${role}`, roleSessionName: "chain-" + i } }));
  },
  "throttling-burst": (w) => {
    const a = w.accounts[0]!;
    const t = at(w, 0.35);
    return Array.from({ length: 15 }, (_, i) => ({ time: t + i * 1500, account: a, region: w.regions[0]!, principal: named(w, a, "app-role"), call: call("dynamodb", "PutItem"), error: { code: "ThrottlingException", message: "Rate of requests exceeds the allowed throughput." }, requestParameters: { tableName: "orders" } }));
  },
  "admin-privileges-granted": (w) => {
    const a = w.accounts[0]!;
    const who = named(w, a, "bob");
    const t = at(w, 0.74);
    return [
      { time: t, account: a, region: w.regions[0]!, principal: who, call: call("iam", "AttachUserPolicy"), requestParameters: { userName: "mallory", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" } },
      { time: t + 40_000, account: a, region: w.regions[0]!, principal: who, call: call("iam", "AddUserToGroup"), requestParameters: { groupName: "Admins", userName: "mallory" } },
    ];
  },
  "console-password-spraying": (w) => {
    const a = w.accounts[1] ?? w.accounts[0]!;
    const t = at(w, 0.81);
    const users = ["alice", "bob", "carol", "deploy-bot", "ci-runner", "admin", "root-ops"];
    return Array.from({ length: 14 }, (_, i) => {
      const p = { ...named(w, a, "alice"), userIdentity: () => ({ type: "IAMUser", principalId: "AIDA" + hashId(users[i % users.length]!), accountId: a, userName: users[i % users.length]! }) };
      return consoleLogin(w, a, p, t + i * 90_000, false, false, i % 2 ? "91.92.109.8" : "91.92.109.9");
    });
  },
  "ec2-userdata-harvesting": (w) => {
    const a = w.accounts[0]!;
    const who = named(w, a, "readonly");
    const t = at(w, 0.64);
    return Array.from({ length: 12 }, (_, i) => ({ time: t + i * 30_000, account: a, region: w.regions[0]!, principal: who, call: call("ec2", "DescribeInstanceAttribute", true), requestParameters: { instanceId: "i-0" + hashId("ud" + i).toLowerCase().slice(0, 16), attribute: "userData" } }));
  },
  "ec2-userdata-modified": (w) => {
    const a = w.accounts[0]!;
    return [{ time: at(w, 0.66), account: a, region: w.regions[0]!, principal: named(w, a, "readonly"), call: call("ec2", "ModifyInstanceAttribute"), requestParameters: { instanceId: "i-0abcdef1234567890", userData: "<sensitiveDataRemoved>" }, responseElements: { _return: true } }];
  },
  "login-profile-changed-for-other-user": (w) => {
    const a = w.accounts[0]!;
    return [{ time: at(w, 0.7), account: a, region: w.regions[0]!, principal: named(w, a, "bob"), call: call("iam", "UpdateLoginProfile"), requestParameters: { userName: "alice", passwordResetRequired: false } }];
  },
  "mfa-removed-or-key-quarantined": (w) => {
    const a = w.accounts[0]!;
    const t = at(w, 0.91);
    return [
      { time: t, account: a, region: w.regions[0]!, principal: named(w, a, "deploy-bot"), call: call("iam", "DeactivateMFADevice"), requestParameters: { userName: "alice", serialNumber: `arn:aws:iam::${a}:mfa/alice` } },
      { time: t + 600_000, account: a, region: w.regions[0]!, principal: { ...named(w, a, "ec2.amazonaws.com"), userIdentity: () => ({ type: "AWSService", invokedBy: "iam.amazonaws.com" }) }, call: call("iam", "PutUserPolicy"), requestParameters: { userName: "deploy-bot", policyName: "AWSCompromisedKeyQuarantineV2" } },
    ];
  },
  "secrets-mass-retrieval": (w) => {
    const a = w.accounts[0]!;
    const who = named(w, a, "deploy-bot");
    const t = at(w, 0.905);
    return Array.from({ length: 22 }, (_, i) => ({ time: t + i * 20_000, account: a, region: w.regions[0]!, principal: who, call: call("secretsmanager", "GetSecretValue", true), requestParameters: { secretId: `arn:aws:secretsmanager:${w.regions[0]}:${a}:secret:prod/app-${i}-` + hashId("s" + i).slice(0, 6) }, sourceIPAddress: "185.220.101.45", userAgent: "python-requests/2.31.0" }));
  },
  "self-assuming-role": (w) => {
    const a = w.accounts[0]!;
    const who = named(w, a, "lambda-exec");
    const arn = `arn:aws:iam::${a}:role/lambda-exec`;
    return [0, 1].map((i) => ({ time: at(w, 0.2 + i * 0.3), account: a, region: w.regions[0]!, principal: who, call: { ...call("sts", "AssumeRole", true), resources: () => [{ accountId: a, type: "AWS::IAM::Role", ARN: arn }] }, requestParameters: { roleArn: arn, roleSessionName: "self" } }));
  },
  "snapshot-shared-publicly": (w) => {
    const a = w.accounts[1] ?? w.accounts[0]!;
    return [{ time: at(w, 0.86), account: a, region: w.regions[0]!, principal: named(w, a, "Admin"), call: call("ec2", "ModifySnapshotAttribute"), requestParameters: { snapshotId: "snap-0123456789abcdef0", attributeType: "CREATE_VOLUME_PERMISSION", createVolumePermission: { add: { items: [{ group: "all" }] } } }, responseElements: { _return: true } }];
  },
  "secret-scanner-user-agent": (w) => {
    const a = w.accounts[2] ?? w.accounts[0]!;
    const t = at(w, 0.57);
    return ["GetCallerIdentity", "ListBuckets", "ListUsers"].map((n, i) => ({ time: t + i * 5000, account: a, region: w.regions[0]!, principal: named(w, a, "ci-runner"), call: call(n === "GetCallerIdentity" ? "sts" : n === "ListBuckets" ? "s3" : "iam", n, true), userAgent: "TruffleHog", sourceIPAddress: "45.83.64.2" }));
  },
  "recon-tool-sweep": (w) => {
    // What ScoutSuite, Pacu or enumerate-iam do with a key: one read-only call of every service's
    // List/Describe/Get APIs, the regional ones in every Region, 4 s apart, from one host. It starts a
    // minute into a 10-minute bucket, so discovery-burst's default window holds it whole.
    const a = w.accounts[0]!;
    const who = named(w, a, "ci-runner");
    const t0 = Math.floor(at(w, 0.48) / 600_000) * 600_000 + 60_000;
    const global: [string, string][] = [
      ["iam", "ListUsers"], ["iam", "ListRoles"], ["iam", "ListGroups"], ["iam", "ListPolicies"], ["iam", "GetAccountPasswordPolicy"],
      ["iam", "GetAccountSummary"], ["iam", "ListVirtualMFADevices"], ["iam", "GetCredentialReport"],
      ["s3", "ListBuckets"], ["s3", "GetBucketAcl"], ["s3", "GetBucketPolicy"], ["s3", "GetBucketLogging"], ["s3", "GetBucketVersioning"],
      ["s3", "GetBucketEncryption"], ["s3", "GetBucketPublicAccessBlock"], ["route53", "ListHostedZones"],
    ];
    const regional: [string, string][] = [
      ["ec2", "DescribeInstances"], ["ec2", "DescribeSecurityGroups"], ["ec2", "DescribeVpcs"], ["ec2", "DescribeSubnets"], ["ec2", "DescribeSnapshots"],
      ["ec2", "DescribeNetworkAcls"], ["ec2", "DescribeFlowLogs"], ["kms", "ListKeys"], ["kms", "ListAliases"], ["cloudtrail", "DescribeTrails"],
      ["cloudtrail", "GetTrailStatus"], ["config", "DescribeConfigurationRecorders"], ["rds", "DescribeDBInstances"], ["lambda", "ListFunctions20150331"],
      ["sns", "ListTopics"], ["sqs", "ListQueues"], ["monitoring", "DescribeAlarms"], ["logs", "DescribeMetricFilters"], ["guardduty", "ListDetectors"],
      ["secretsmanager", "ListSecrets"], ["elasticloadbalancing", "DescribeLoadBalancers"],
    ];
    const calls = [...global.map((c) => [...c, w.regions[0]!] as const), ...w.regions.flatMap((r) => regional.map((c) => [...c, r] as const))];
    return calls.map(([svc, n, region], i) => ({
      time: t0 + i * 4000,
      account: a,
      region,
      principal: who,
      call: call(svc, n, true),
      requestParameters: svc === "s3" && n !== "ListBuckets" ? { bucketName: "web-assets-public", Host: "web-assets-public.s3.amazonaws.com" } : null,
      sourceIPAddress: "5.188.206.18",
      userAgent: "Boto3/1.34.101 md/Botocore#1.34.101 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.6 cfg/retry-mode#legacy Botocore/1.34.101",
    }));
  },
  "inline-admin-policy": (w) => {
    // Inline policies as CloudTrail logs them: the document is JSON text (compact, pretty-printed,
    // or URL-encoded), Action and Resource a string or a list. Two grant everything; two don't.
    const a = w.accounts[0]!;
    const t = at(w, 0.76);
    const doc = (statement: Json): string => JSON.stringify({ Version: "2012-10-17", Statement: statement });
    const put = (i: number, who: Principal, name: string, target: Record<string, string>, policyName: string, policyDocument: string): EventSpec => ({
      time: t + i * 50_000,
      account: a,
      region: w.regions[0]!,
      principal: who,
      call: call("iam", name),
      requestParameters: { ...target, policyName, policyDocument },
    });
    return [
      put(0, named(w, a, "bob"), "PutUserPolicy", { userName: "mallory" }, "mallory-all", doc([{ Effect: "Allow", Action: "*", Resource: "*" }])),
      put(1, named(w, a, "Admin"), "PutRolePolicy", { roleName: "app-role" }, "break-glass", encodeURIComponent(JSON.stringify({ Version: "2012-10-17", Statement: { Sid: "BreakGlass", Effect: "Allow", Action: ["*"], Resource: ["*"] } }, null, 2))),
      put(2, named(w, a, "bob"), "PutGroupPolicy", { groupName: "ops" }, "deny-all", JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "DenyAll", Effect: "Deny", Action: ["*"], Resource: ["*"] }] }, null, "\t")),
      put(3, named(w, a, "Admin"), "PutRolePolicy", { roleName: "app-role" }, "describe-ec2", doc([{ Effect: "Allow", Action: ["ec2:Describe*"], Resource: "*" }])),
    ];
  },
  "console-login-new-ip": (w) => {
    const a = w.accounts[0]!;
    return [consoleLogin(w, a, named(w, a, "carol"), at(w, 0.93), true, true, "102.129.234.5")];
  },
};

export type { Json };
