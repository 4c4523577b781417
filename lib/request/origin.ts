import { trustedForwardedHost, trustedProxyHops } from "@/lib/request/forwarding";

// Server actions (and state-changing route handlers) are POSTs any page on any site can aim at the
// console with the visitor's cookie. The Origin's host must be the console's public host: Host, or
// X-Forwarded-Host when a trusted proxy sets it (a client-supplied one proves nothing), or an
// origin listed in ALLOWED_ORIGINS. Browsers always send Origin on a POST, so a missing one means
// a replayed or hand-made request. Pure (no server-only): proxy.ts runs it too.

export const ORIGIN_REFUSED = "This request did not come from the console's own pages. Reload the page and try again.";

function allowedOrigins(): Set<string> {
  return new Set(
    (process.env.ALLOWED_ORIGINS ?? "")
      .split(",")
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean),
  );
}

function hostOf(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === "http:" || url.protocol === "https:" ? url.host.toLowerCase() : null;
  } catch {
    return null;
  }
}

/**
 * Pure check, for tests. Like Next's own check, a trusted X-Forwarded-Host replaces Host rather
 * than adding to it (Next refuses an Origin matching Host when X-Forwarded-Host differs).
 */
export function originAllowed(
  origin: string | null,
  host: string | null,
  forwardedHost: string | null,
  allowed = allowedOrigins(),
  hops = trustedProxyHops(),
): boolean {
  if (!origin) return false;
  const originHost = hostOf(origin);
  if (!originHost) return false;
  if (allowed.has(origin.toLowerCase()) || allowed.has(originHost)) return true;
  const publicHost = (trustedForwardedHost(forwardedHost, hops) ?? host?.trim() ?? "").toLowerCase();
  return publicHost !== "" && publicHost === originHost;
}

/** The same check on a request's own headers: route handlers and the proxy get theirs from the Request. */
export function requestOriginAllowed(requestHeaders: Headers): boolean {
  return originAllowed(
    requestHeaders.get("origin"),
    requestHeaders.get("host"),
    requestHeaders.get("x-forwarded-host"),
  );
}
