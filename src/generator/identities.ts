// The principals of each account, every userIdentity type CloudTrail logs, with the addresses and
// agents they call from.
import type { Json } from "./catalog.js";
import type { Rng } from "./rng.js";

export interface Principal {
  /** How often this principal calls (relative). */
  weight: number;
  userIdentity: (t: number) => Json;
  ips: string[];
  agents: string[];
  /** Calls as an AWS service on the principal's behalf. */
  service?: boolean;
  /** For the scenarios: the name the principal goes by. */
  name: string;
}

export const AGENTS = {
  cli: ["aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.8", "aws-cli/2.17.2 Python/3.11.9 Darwin/23.5.0 exe/x86_64 prompt/off command/s3.ls"],
  sdk: ["Boto3/1.34.101 md/Botocore#1.34.101 ua/2.0 os/linux#5.10.215 md/arch#x86_64 lang/python#3.12.3 cfg/retry-mode#legacy Botocore/1.34.101", "aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64 api/sts#1.28.6", "aws-sdk-js/3.600.0 ua/2.1 os/linux#5.10 lang/js md/nodejs#20.14.0 api/s3#3.600.0", "aws-sdk-java/2.25.40 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS Java/17.0.11"],
  terraform: ["APN/1.0 HashiCorp/1.0 Terraform/1.8.4 (+https://www.terraform.io) terraform-provider-aws/5.52.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.27.0"],
  console: ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36"],
  consoleService: ["AWS Internal", "console.amazonaws.com"],
};

const iso = (t: number): string => new Date(t - 1800_000).toISOString().replace(/\.\d{3}Z$/, "Z");

export function principals(rng: Rng, account: string, org: string[]): Principal[] {
  const users = ["alice", "bob", "carol", "deploy-bot", "ci-runner"];
  const out: Principal[] = users.map((u, i) => ({
    name: u,
    weight: i < 3 ? 3 : 6,
    ips: [rng.ipv4Public(), rng.ipv4Public()],
    agents: i < 3 ? [...AGENTS.cli, ...AGENTS.console.slice(0, 1)] : [...AGENTS.sdk.slice(0, 2), ...AGENTS.terraform],
    userIdentity: () => ({ type: "IAMUser", principalId: "AIDA" + hashId(account + u), arn: `arn:aws:iam::${account}:user/${u}`, accountId: account, accessKeyId: "AKIA" + hashId(u + account).slice(0, 16), userName: u }),
  }));
  for (const [role, weight, ips, agents] of [
    ["app-role", 20, ["10.0." + rng.int(0, 9) + "." + rng.int(2, 250), "10.0." + rng.int(10, 19) + "." + rng.int(2, 250)], AGENTS.sdk],
    ["lambda-exec", 12, ["10.1.0." + rng.int(2, 250)], AGENTS.sdk.slice(2, 3)],
    ["Admin", 2, [rng.ipv4Public()], AGENTS.console],
    ["readonly", 3, [rng.ipv4Public()], AGENTS.cli],
  ] as const) {
    out.push({
      name: role,
      weight,
      ips: [...ips],
      agents: [...agents],
      userIdentity: (t) => ({
        type: "AssumedRole",
        principalId: `AROA${hashId(role + account)}:${role === "Admin" ? "carol@example.com" : "session-" + role}`,
        arn: `arn:aws:sts::${account}:assumed-role/${role}/${role === "Admin" ? "carol@example.com" : "session-" + role}`,
        accountId: account,
        accessKeyId: "ASIA" + hashId(role + t).slice(0, 16),
        sessionContext: {
          sessionIssuer: { type: "Role", principalId: "AROA" + hashId(role + account), arn: `arn:aws:iam::${account}:role/${role}`, accountId: account, userName: role },
          attributes: { creationDate: iso(t), mfaAuthenticated: role === "Admin" ? "true" : "false" },
          ...(role === "lambda-exec" ? {} : {}),
        },
        ...(role === "lambda-exec" ? { invokedBy: "lambda.amazonaws.com" } : {}),
      }),
    });
  }
  out.push({ name: "ec2.amazonaws.com", weight: 4, ips: ["ec2.amazonaws.com"], agents: ["ec2.amazonaws.com"], service: true, userIdentity: () => ({ type: "AWSService", invokedBy: "ec2.amazonaws.com" }) });
  out.push({ name: "cloudtrail.amazonaws.com", weight: 3, ips: ["cloudtrail.amazonaws.com"], agents: ["cloudtrail.amazonaws.com"], service: true, userIdentity: () => ({ type: "AWSService", invokedBy: "cloudtrail.amazonaws.com" }) });
  const other = org.find((a) => a !== account) ?? account;
  out.push({ name: "cross-account", weight: 1, ips: [rng.ipv4Public()], agents: AGENTS.sdk, userIdentity: () => ({ type: "AWSAccount", principalId: "AIDA" + hashId(other), accountId: other }) });
  out.push({ name: "federated", weight: 1, ips: [rng.ipv4Public()], agents: AGENTS.cli, userIdentity: (t) => ({ type: "FederatedUser", principalId: `${account}:dev-fed`, arn: `arn:aws:sts::${account}:federated-user/dev-fed`, accountId: account, accessKeyId: "ASIA" + hashId("fed" + t).slice(0, 16), sessionContext: { sessionIssuer: { type: "IAMUser", principalId: "AIDA" + hashId(account + "alice"), arn: `arn:aws:iam::${account}:user/alice`, accountId: account, userName: "alice" }, attributes: { creationDate: iso(t), mfaAuthenticated: "false" } } }) });
  out.push({ name: "sso-user", weight: 1, ips: [rng.ipv4Public()], agents: AGENTS.console, userIdentity: () => ({ type: "IdentityCenterUser", accountId: account, onBehalfOf: { userId: rng.uuid(), identityStoreArn: "arn:aws:identitystore::" + account + ":identitystore/d-9067" + hashId(account).slice(0, 6).toLowerCase() }, credentialId: hashId("cred" + account) }) });
  out.push({ name: "saml-user", weight: 1, ips: [rng.ipv4Public()], agents: AGENTS.console, userIdentity: () => ({ type: "SAMLUser", principalId: "SAMLExample:dave@example.com", userName: "dave@example.com", identityProvider: "bdGOnTesti4+ExamplevE8w=" }) });
  out.push({ name: "web-identity", weight: 1, ips: [rng.ipv4Public()], agents: AGENTS.sdk.slice(2, 3), userIdentity: () => ({ type: "WebIdentityUser", principalId: "accounts.google.com:app.apps.googleusercontent.com:1234", userName: "1234", identityProvider: "accounts.google.com" }) });
  return out;
}

/** A stable uppercase id from a string (not random: the same principal keeps its id). */
export function hashId(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    h1 = Math.imul(h1 ^ s.charCodeAt(i), 0x01000193);
    h2 = Math.imul(h2 ^ s.charCodeAt(i), 0x5bd1e995);
  }
  return ((h1 >>> 0).toString(36) + (h2 >>> 0).toString(36)).toUpperCase().padEnd(17, "X").slice(0, 17);
}
