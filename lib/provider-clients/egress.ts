import { BlockList, isIP } from "node:net";
import { boundedMemo } from "@/lib/cache/bounded-memo";

// The egress policy for every outbound provider request: a provider's base URL must not reach the
// console's own machine, its private networks or a cloud metadata service, or a key test becomes a
// probe of internal services. An administrator opts networks in with EGRESS_ALLOWED_NETWORKS
// (CIDRs, comma-separated, e.g. "127.0.0.0/8,::1/128" for a local Ollama). The check runs on the
// address actually connected to (provider-fetch.ts), so DNS rebinding cannot get around it.

type Range = { network: string; prefix: number; family: "ipv4" | "ipv6"; name: string };

const REFUSED: Range[] = [
  { network: "0.0.0.0", prefix: 8, family: "ipv4", name: "unspecified" },
  { network: "10.0.0.0", prefix: 8, family: "ipv4", name: "private" },
  { network: "100.64.0.0", prefix: 10, family: "ipv4", name: "carrier-grade NAT" },
  { network: "127.0.0.0", prefix: 8, family: "ipv4", name: "loopback" },
  { network: "169.254.0.0", prefix: 16, family: "ipv4", name: "link-local / metadata" },
  { network: "172.16.0.0", prefix: 12, family: "ipv4", name: "private" },
  { network: "192.0.0.0", prefix: 24, family: "ipv4", name: "IETF protocol assignments" },
  { network: "192.168.0.0", prefix: 16, family: "ipv4", name: "private" },
  { network: "198.18.0.0", prefix: 15, family: "ipv4", name: "benchmarking" },
  { network: "224.0.0.0", prefix: 4, family: "ipv4", name: "multicast" },
  { network: "240.0.0.0", prefix: 4, family: "ipv4", name: "reserved" },
  { network: "::", prefix: 128, family: "ipv6", name: "unspecified" },
  { network: "::1", prefix: 128, family: "ipv6", name: "loopback" },
  { network: "fc00::", prefix: 7, family: "ipv6", name: "unique local (includes fd00:ec2::254 metadata)" },
  { network: "fe80::", prefix: 10, family: "ipv6", name: "link-local" },
  { network: "fec0::", prefix: 10, family: "ipv6", name: "site-local" },
  { network: "ff00::", prefix: 8, family: "ipv6", name: "multicast" },
  { network: "100::", prefix: 64, family: "ipv6", name: "discard" },
];

const refusedLists = REFUSED.map((range) => {
  const list = new BlockList();
  list.addSubnet(range.network, range.prefix, range.family);
  return { list, range };
});

/** IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16). */
function embeddedIpv4(address: string): string | undefined {
  const expanded = expandIpv6(address);
  if (!expanded) return undefined;
  const groups = expanded as [number, number, number, number, number, number, number, number];
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return v4(groups[6], groups[7]);
  // IPv4-compatible (deprecated ::a.b.c.d), still routed to IPv4 by some stacks; ::1 and :: are excluded.
  if (zeros(0, 6) && (groups[6] !== 0 || groups[7] > 1)) return v4(groups[6], groups[7]);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return v4(groups[6], groups[7]);
  if (groups[0] === 0x2002) return v4(groups[1], groups[2]);
  return undefined;
}

function expandIpv6(address: string): number[] | undefined {
  let text = address
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "");
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const quad = dotted[1]!;
    const [a = 0, b = 0, c = 0, d = 0] = quad.split(".").map(Number);
    text = `${text.slice(0, -quad.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return undefined;
  const all = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...tailGroups];
  const numbers = all.map((g) => Number.parseInt(g, 16));
  return numbers.length === 8 && numbers.every((n) => Number.isInteger(n) && n >= 0 && n <= 0xffff)
    ? numbers
    : undefined;
}

/** Why an address is refused by default ("loopback", "private"…), or undefined for a public one. */
export function refusedRangeOf(address: string): string | undefined {
  const family = isIP(address.replace(/^\[|\]$/g, ""));
  if (family === 0) return "not an IP address";
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (family === 6) {
    const v4 = embeddedIpv4(bare);
    if (v4) return refusedRangeOf(v4);
  }
  const type = family === 4 ? "ipv4" : "ipv6";
  return refusedLists.find(({ list, range }) => range.family === type && list.check(bare, type))?.range.name;
}

export type EgressPolicy = { allowed: BlockList; describe: string };

/** Parses a CIDR list ("127.0.0.0/8, ::1/128, 10.1.2.3"); invalid entries are reported, not skipped. */
export function parseAllowedNetworks(text: string | undefined): EgressPolicy {
  const allowed = new BlockList();
  const entries = (text ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [network = "", prefixText] = entry.split("/");
    const family = isIP(network);
    if (family === 0) throw new Error(`EGRESS_ALLOWED_NETWORKS: "${entry}" is not an IP address or CIDR.`);
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (
      !Number.isInteger(prefix) ||
      prefix < 0 ||
      prefix > max ||
      (prefixText !== undefined && !/^\d+$/.test(prefixText))
    ) {
      throw new Error(`EGRESS_ALLOWED_NETWORKS: "${entry}" has an invalid prefix length.`);
    }
    allowed.addSubnet(network, prefix, family === 4 ? "ipv4" : "ipv6");
  }
  return { allowed, describe: entries.join(", ") };
}

let cached: { text: string | undefined; policy: EgressPolicy } | undefined;

/** The policy from EGRESS_ALLOWED_NETWORKS, re-read when the variable changes (tests set it). */
export function egressPolicy(): EgressPolicy {
  const text = process.env.EGRESS_ALLOWED_NETWORKS;
  if (!cached || cached.text !== text) cached = { text, policy: parseAllowedNetworks(text) };
  return cached.policy;
}

function isAllowed(policy: EgressPolicy, address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(bare);
  if (family === 0) return false;
  if (policy.allowed.check(bare, family === 4 ? "ipv4" : "ipv6")) return true;
  // An allowed 127.0.0.0/8 also covers ::ffff:127.0.0.1, the same destination.
  const v4 = family === 6 ? embeddedIpv4(bare) : undefined;
  return v4 !== undefined && policy.allowed.check(v4, "ipv4");
}

export class EgressRefusedError extends Error {
  override name = "EgressRefusedError";
  constructor(
    readonly address: string,
    readonly range: string,
  ) {
    super(
      `The provider's address ${address} is ${/^[aeiou]/i.test(range) ? "an" : "a"} ${range} address; provider calls to internal networks are refused unless an administrator allows them in EGRESS_ALLOWED_NETWORKS.`,
    );
  }
}

// Verdicts per address for each policy: a check walks every refused range and BlockList.check
// builds a native SocketAddress per range, which the gateway paid on every request (and its GC
// promoted them). The verdict is a pure function of the address and the policy.
const verdicts = new WeakMap<EgressPolicy, (address: string) => string | null>();

function refusedUnderPolicy(address: string, policy: EgressPolicy): string | null {
  let verdictOf = verdicts.get(policy);
  if (!verdictOf) {
    verdictOf = boundedMemo(1024, (candidate: string) => {
      const range = refusedRangeOf(candidate);
      return range === undefined || isAllowed(policy, candidate) ? null : range;
    });
    verdicts.set(policy, verdictOf);
  }
  return verdictOf(address);
}

/** Throws EgressRefusedError unless the connected-to address is public or explicitly allowed. */
export function assertEgressAllowed(address: string, policy: EgressPolicy = egressPolicy()): void {
  const range = refusedUnderPolicy(address, policy);
  if (range !== null) throw new EgressRefusedError(address, range);
}
