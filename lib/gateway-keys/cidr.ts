import { isIPv4, isIPv6 } from "node:net";

// Client address ranges a gateway key may be used from, as CIDRs. A bare address means that one
// host (/32 or /128). A range with host bits set ("10.0.0.1/8") is refused with the range it most
// likely meant: silently widening or narrowing an allow-list is worse than asking.

export type CidrResult = { ok: true; cidr: string } | { ok: false; message: string };

const IPV4_BITS = 32;
const IPV6_BITS = 128;

function ipv4ToBigInt(address: string): bigint {
  return address.split(".").reduce((value, part) => (value << 8n) | BigInt(Number(part)), 0n);
}

function bigIntToIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join(".");
}

/** Expands "::", and an embedded IPv4 tail ("::ffff:1.2.3.4"), into eight 16-bit groups. */
function ipv6ToBigInt(address: string): bigint {
  let text = address.toLowerCase();
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    const v4 = ipv4ToBigInt(tail);
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = "", rest] = text.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = rest === undefined ? [] : rest ? rest.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(rest === undefined ? 0 : missing).fill("0"), ...tailGroups];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/** The shortest form: lower case, the longest run of zero groups (two or more) as "::". */
function bigIntToIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, index) => Number((value >> BigInt((7 - index) * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < 8; start += 1) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length += 1;
    if (length > bestLength && length >= 2) [bestStart, bestLength] = [start, length];
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

/** Parses one CIDR (or bare address) into its canonical text, or says what is wrong with it. */
export function parseCidr(input: string): CidrResult {
  const text = input.trim();
  if (!text) return { ok: false, message: "An empty range." };
  const [address = "", prefixText, extra] = text.split("/");
  if (extra !== undefined) return { ok: false, message: `“${text}” has more than one “/”.` };
  const family = isIPv4(address) ? 4 : isIPv6(address) && !address.includes("%") ? 6 : 0;
  if (family === 0) return { ok: false, message: `“${text}” is not an IPv4 or IPv6 address or range.` };
  const bits = family === 4 ? IPV4_BITS : IPV6_BITS;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) {
    return { ok: false, message: `“${text}”: the prefix length after “/” must be a number from 0 to ${bits}.` };
  }
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) {
    return { ok: false, message: `“${text}”: an IPv${family} prefix is at most /${bits}.` };
  }
  const value = family === 4 ? ipv4ToBigInt(address) : ipv6ToBigInt(address);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  const network = value & ~hostMask;
  const format = family === 4 ? bigIntToIpv4 : bigIntToIpv6;
  if (network !== value) {
    return {
      ok: false,
      message: `“${text}” has host bits set: the range is ${format(network)}/${prefix} (or use ${format(value)}/${bits} for the one address).`,
    };
  }
  return { ok: true, cidr: `${format(network)}/${prefix}` };
}

/** Splits a pasted list (lines, commas or spaces) into entries. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** Canonical, de-duplicated CIDRs, or one message per bad entry. */
export function parseCidrList(
  entries: readonly string[],
): { ok: true; cidrs: string[] } | { ok: false; messages: string[] } {
  const cidrs: string[] = [];
  const messages: string[] = [];
  for (const entry of entries) {
    const result = parseCidr(entry);
    if (!result.ok) messages.push(result.message);
    else if (!cidrs.includes(result.cidr)) cidrs.push(result.cidr);
  }
  return messages.length > 0 ? { ok: false, messages } : { ok: true, cidrs };
}
