// IP address functions. Values that are not addresses (CloudTrail's `cloudtrail.amazonaws.com`)
// give 0, never an error.
import { isIPv4, isIPv6 } from "node:net";
import { toText, type Value } from "../exec/values.js";
import type { CompiledArg, CompileContext, FunctionDef } from "./types.js";

/** An address as 4 or 16 bytes. */
export function ipBytes(s: string): number[] | undefined {
  if (isIPv4(s)) return s.split(".").map(Number);
  if (!isIPv6(s)) return undefined;
  let text = s.split("%")[0]!;
  let tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    tail = v4[1]!.split(".").map(Number);
    text = text.slice(0, -v4[1]!.length) + "0:0";
  }
  const [head, rest] = text.split("::") as [string, string | undefined];
  const h = head ? head.split(":") : [];
  const r = rest !== undefined && rest !== "" ? rest.split(":") : [];
  const groups = rest === undefined ? h : [...h, ...Array(8 - h.length - r.length).fill("0"), ...r];
  const bytes = groups.flatMap((g) => {
    const n = parseInt(g || "0", 16);
    return [n >> 8, n & 255];
  });
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

export interface Subnet {
  bytes: number[];
  prefix: number;
}

export function parseCidr(text: string): Subnet | undefined {
  const parts = text.trim().split("/");
  const [addr, bits] = parts;
  const bytes = addr ? ipBytes(addr) : undefined;
  // the prefix as decimal digits (`10.0.0.0/` is no /0, nor `/0x10` a /16, nor `/8/16` anything)
  if (!bytes || parts.length > 2 || (bits !== undefined && !/^\d{1,3}$/.test(bits))) return undefined;
  const prefix = bits === undefined ? bytes.length * 8 : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bytes.length * 8) return undefined;
  return { bytes, prefix };
}

/** Whether 16 bytes are an IPv4-mapped IPv6 address (::ffff:a.b.c.d). */
const v4Mapped = (b: number[]): boolean => b.length === 16 && b.slice(0, 10).every((x) => x === 0) && b[10] === 255 && b[11] === 255;

export function inSubnet(ip: number[], subnet: Subnet): boolean {
  let a = ip;
  let net = subnet;
  // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is that IPv4 address: it matches IPv4 subnets, and
  // an IPv4 address matches a mapped subnet (::ffff:10.0.0.0/104 is 10.0.0.0/8)
  if (a.length === 16 && net.bytes.length === 4 && v4Mapped(a)) a = a.slice(12);
  else if (a.length === 4 && v4Mapped(net.bytes) && net.prefix >= 96) net = { bytes: net.bytes.slice(12), prefix: net.prefix - 96 };
  if (a.length !== net.bytes.length) return false;
  for (let bit = 0; bit < net.prefix; bit += 8) {
    const left = Math.min(8, net.prefix - bit);
    const mask = (0xff << (8 - left)) & 0xff;
    if ((a[bit / 8]! & mask) !== (net.bytes[bit / 8]! & mask)) return false;
  }
  return true;
}

function subnetFn(name: string, family: 4 | 6 | undefined): FunctionDef {
  return {
    kind: "scalar", category: "ip", name, signature: `${name}(ip, "cidr")`,
    description: `1 if the ${family ? `IPv${family} ` : ""}address is in the subnet (a constant that is no subnet is warned about)`,
    minArgs: 2, maxArgs: 2, returns: "bool",
    compile: ([ip, cidr]: CompiledArg[], ctx: CompileContext) => {
      const fixed = typeof cidr!.constant === "string" ? parseCidr(cidr!.constant) : undefined;
      // a constant that is no subnet makes every row 0: said, not silent (a warning, not an error: a
      // template's parameter may be an address or a block, `sourceIPAddress = {{ip}} or isIpInSubnet(..., {{ip}})`)
      if (typeof cidr!.constant === "string" && !fixed) {
        ctx.warn(`${JSON.stringify(cidr!.constant)} is not a subnet, so ${name} is 0 for every event: write an address and a prefix length, such as "10.0.0.0/8" or "2001:db8::/32"`, cidr!.expr);
      }
      return (row) => {
        const s = toText(ip!.eval(row));
        if (s === undefined) return false;
        if (family === 4 && !isIPv4(s)) return false;
        if (family === 6 && !isIPv6(s)) return false;
        const bytes = ipBytes(s);
        const net = fixed ?? parseCidr(toText(cidr!.eval(row)) ?? "");
        return !!bytes && !!net && inSubnet(bytes, net);
      };
    },
  };
}

/** Address ranges by name, parsed when a query first asks (not while trailq starts). */
const RANGES = {
  private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
  reserved: [
    "0.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15",
    "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
    "::/128", "::1/128", "fe80::/10", "ff00::/8", "2001:db8::/32", "100::/64",
  ],
};
const parsedRanges = new Map<keyof typeof RANGES, Subnet[]>();
function ranges(name: keyof typeof RANGES): Subnet[] {
  let nets = parsedRanges.get(name);
  if (nets === undefined) parsedRanges.set(name, (nets = RANGES[name].map((c) => parseCidr(c)!)));
  return nets;
}

function classify(v: Value, range: keyof typeof RANGES): boolean | undefined {
  const s = toText(v);
  const b = s === undefined ? undefined : ipBytes(s);
  return b ? ranges(range).some((n) => inSubnet(b, n)) : undefined;
}

export const ipFunctions: FunctionDef[] = [
  { kind: "scalar", category: "ip", name: "isValidIp", signature: "isValidIp(str)", description: "1 if str is an IPv4 or IPv6 address", minArgs: 1, maxArgs: 1, returns: "bool", impl: (v) => { const s = toText(v); return s !== undefined && (isIPv4(s) || isIPv6(s)); } },
  { kind: "scalar", category: "ip", name: "isValidIpV4", signature: "isValidIpV4(str)", description: "1 if str is an IPv4 address", minArgs: 1, maxArgs: 1, returns: "bool", impl: (v) => { const s = toText(v); return s !== undefined && isIPv4(s); } },
  { kind: "scalar", category: "ip", name: "isValidIpV6", signature: "isValidIpV6(str)", description: "1 if str is an IPv6 address", minArgs: 1, maxArgs: 1, returns: "bool", impl: (v) => { const s = toText(v); return s !== undefined && isIPv6(s); } },
  subnetFn("isIpInSubnet", undefined),
  subnetFn("isIpv4InSubnet", 4),
  subnetFn("isIpv6InSubnet", 6),
  { kind: "scalar", category: "ip", name: "isPrivateIP", signature: "isPrivateIP(ip)", description: "1 if the address is private (RFC 1918, or IPv6 unique local)", minArgs: 1, maxArgs: 1, returns: "bool", impl: (v) => classify(v, "private") ?? false },
  { kind: "scalar", category: "ip", name: "isReservedIP", signature: "isReservedIP(ip)", description: "1 if the address is in a reserved range (loopback, link-local, documentation, multicast, ...)", minArgs: 1, maxArgs: 1, returns: "bool", impl: (v) => classify(v, "reserved") ?? false },
  { kind: "scalar", category: "ip", name: "isPublicIP", signature: "isPublicIP(ip)", description: "1 if the address is neither private nor reserved", minArgs: 1, maxArgs: 1, returns: "bool", impl: (v) => { const p = classify(v, "private"); return p === undefined ? false : !p && !classify(v, "reserved"); } },
  { kind: "scalar", category: "ip", name: "ipv4ToNumber", signature: "ipv4ToNumber(ip)", description: "an IPv4 address as a 32-bit number", minArgs: 1, maxArgs: 1, returns: "number", impl: (v) => { const s = toText(v); return s !== undefined && isIPv4(s) ? s.split(".").reduce((n, o) => n * 256 + Number(o), 0) : undefined; } },
];
