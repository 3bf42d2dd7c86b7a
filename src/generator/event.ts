// Building one CloudTrail record with the real field set and order.
import type { ApiCall, Json } from "./catalog.js";
import type { Principal } from "./identities.js";
import type { Rng } from "./rng.js";

export interface EventSpec {
  time: number;
  account: string;
  region: string;
  principal: Principal;
  call: ApiCall;
  error?: { code: string; message: string };
  /** Overrides for fields the scenario controls. */
  sourceIPAddress?: string;
  userAgent?: string;
  requestParameters?: Json;
  responseElements?: Json;
  additionalEventData?: Json;
  eventType?: string;
  tlsVersion?: string;
}

export function isoTime(t: number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
}

const CIPHERS: Record<string, string> = {
  "TLSv1.3": "TLS_AES_128_GCM_SHA256",
  "TLSv1.2": "ECDHE-RSA-AES128-GCM-SHA256",
  "TLSv1.1": "ECDHE-RSA-AES128-SHA",
  TLSv1: "ECDHE-RSA-AES128-SHA",
};

export function buildEvent(rng: Rng, e: EventSpec): Record<string, Json> {
  const ctx = { rng, account: e.account, region: e.region };
  const p = e.principal;
  const source = e.call.source;
  const global = source === "iam.amazonaws.com" || source === "organizations.amazonaws.com" || source === "signin.amazonaws.com";
  const region = global ? "us-east-1" : e.region;
  const eventType = e.eventType ?? "AwsApiCall";
  const ev: Record<string, Json> = {
    eventVersion: rng.chance(0.7) ? "1.09" : "1.08",
    userIdentity: p.userIdentity(e.time),
    eventTime: isoTime(e.time),
    eventSource: source,
    eventName: e.call.name,
    awsRegion: region,
    sourceIPAddress: e.sourceIPAddress ?? rng.pick(p.ips),
    userAgent: e.userAgent ?? rng.pick(p.agents),
  };
  if (e.error) {
    // A failed console login has an errorMessage and no errorCode, as CloudTrail logs it.
    if (e.error.code) ev["errorCode"] = e.error.code;
    ev["errorMessage"] = e.error.message;
  }
  ev["requestParameters"] = e.requestParameters !== undefined ? e.requestParameters : e.call.request ? e.call.request(ctx) : null;
  ev["responseElements"] = e.responseElements !== undefined ? e.responseElements : e.error ? null : e.call.response ? e.call.response(ctx) : null;
  if (e.additionalEventData !== undefined) ev["additionalEventData"] = e.additionalEventData;
  if (eventType !== "AwsConsoleSignIn") ev["requestID"] = rng.uuid();
  ev["eventID"] = rng.uuid();
  ev["readOnly"] = e.call.readOnly;
  const res = e.call.resources?.(ctx);
  if (res) ev["resources"] = res;
  ev["eventType"] = eventType;
  ev["managementEvent"] = !e.call.data;
  ev["recipientAccountId"] = e.account;
  if (p.service) ev["sharedEventID"] = rng.uuid();
  ev["eventCategory"] = e.call.data ? "Data" : "Management";
  if (!p.service && eventType === "AwsApiCall") {
    const v = e.tlsVersion ?? (rng.chance(0.35) ? "TLSv1.3" : "TLSv1.2");
    const host = source.replace(".amazonaws.com", "") + (global ? "" : "." + region) + ".amazonaws.com";
    ev["tlsDetails"] = { tlsVersion: v, cipherSuite: CIPHERS[v]!, clientProvidedHostHeader: host };
    if (rng.chance(0.05) && p.agents.some((a) => a.startsWith("Mozilla"))) ev["sessionCredentialFromConsole"] = "true";
  }
  return ev;
}
