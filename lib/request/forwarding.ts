// Which request headers about the client and the public host can be believed. A forwarding header
// (X-Forwarded-For, X-Forwarded-Host, …) is only as good as whoever set it: without a reverse proxy
// in front, the client sets it and can name any address or host it likes. So they are believed
// only when TRUSTED_PROXY_HOPS says how many proxies append to them; by default (0) the console
// uses the socket's address and the Host header (lib/request/forwarding-guard.ts).

export const GUARD_INSTALLED = Symbol.for("provider-console.forwarded-header-guard");

/** The number of reverse proxies in front that append to X-Forwarded-For; 0 (the default) trusts none. */
export function trustedProxyHops(value = process.env.TRUSTED_PROXY_HOPS): number {
  const hops = Number(value ?? 0);
  return Number.isInteger(hops) && hops > 0 ? Math.min(hops, 16) : 0;
}

type HeaderBag = Record<string, unknown> | Headers | undefined;

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers instanceof Headers ? headers.get(name) : headers?.[name];
  if (Array.isArray(value)) return typeof value[0] === "string" ? value[0] : undefined;
  return typeof value === "string" ? value : undefined;
}

let warnedNoGuard = false;

/**
 * The client's address. With no trusted proxy it is the socket's address, which the guard puts in
 * X-Forwarded-For (replacing whatever the client sent). With N proxies, each appends the address
 * it saw, so the entry N from the right was written by the nearest one and no client can forge it.
 */
export function clientAddress(headers: HeaderBag, hops = trustedProxyHops()): string {
  const entries = (header(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (
    hops === 0 &&
    !(globalThis as Record<symbol, unknown>)[GUARD_INSTALLED] &&
    !warnedNoGuard &&
    process.env.NEXT_RUNTIME
  ) {
    warnedNoGuard = true;
    // Loaded only here: proxy.ts imports this module and need not carry the logger's dependencies.
    void import("@/lib/log/logger").then(({ logger }) =>
      logger.warn(
        "forwarding-header guard not installed: X-Forwarded-For may be client-supplied (instrumentation.ts installs it)",
      ),
    );
  }
  const trusted = hops === 0 ? entries.at(-1) : entries[Math.max(0, entries.length - hops)];
  const real = hops > 0 ? header(headers, "x-real-ip")?.trim() : undefined;
  return (trusted || real || "local").slice(0, 64);
}

/** X-Forwarded-Host's first entry when proxies are trusted and it is present, else null (use Host). */
export function trustedForwardedHost(
  forwardedHost: string | null | undefined,
  hops = trustedProxyHops(),
): string | null {
  if (hops === 0 || !forwardedHost) return null;
  return forwardedHost.split(",")[0]?.trim() || null;
}

/**
 * The address as the rate limits count it. One IPv6 client usually holds a whole /64 and can
 * change address within it at will, so IPv6 addresses count by their /64; IPv4-mapped IPv6
 * (what a dual-stack socket reports for IPv4 clients) counts as the IPv4 address.
 */
export function limitBucket(address: string): string {
  const plain = address.trim().toLowerCase().replace(/%.*$/, "");
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(plain);
  if (mapped) return mapped[1]!;
  if (!plain.includes(":") || !/^[0-9a-f:.]+$/.test(plain)) return plain;
  const [head = "", tail, ...rest] = plain.split("::");
  if (rest.length > 0) return plain;
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  if (groups.length < 4) return plain;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
