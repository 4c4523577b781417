import "server-only";
import { headers } from "next/headers";

// Server actions are POSTs any page on any site can aim at the console with the visitor's cookie.
// Next.js compares Origin with Host itself but lets a request with no Origin through; browsers
// always send Origin on a form POST, so a missing one means a replayed or hand-made request.

export const ORIGIN_REFUSED = "This request did not come from the console's own pages. Reload the page and try again.";

function allowedOrigins(): Set<string> {
  return new Set((process.env.ALLOWED_ORIGINS ?? "").split(",").map((entry) => entry.trim().toLowerCase()).filter(Boolean));
}

function hostOf(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === "http:" || url.protocol === "https:" ? url.host.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** Pure check, for tests: the Origin's host must be the request's host or an allowed origin. */
export function originAllowed(origin: string | null, host: string | null, forwardedHost: string | null, allowed = allowedOrigins()): boolean {
  if (!origin) return false;
  const originHost = hostOf(origin);
  if (!originHost) return false;
  if (allowed.has(origin.toLowerCase()) || allowed.has(originHost)) return true;
  // Behind a reverse proxy the public host arrives as X-Forwarded-Host (first entry).
  const candidates = [forwardedHost?.split(",")[0]?.trim(), host?.trim()].filter((value): value is string => !!value).map((value) => value.toLowerCase());
  return candidates.includes(originHost);
}

/** The same check on a request's own headers: route handlers get theirs from the Request. */
export function requestOriginAllowed(requestHeaders: Headers): boolean {
  return originAllowed(requestHeaders.get("origin"), requestHeaders.get("host"), requestHeaders.get("x-forwarded-host"));
}

/**
 * Null when the current request may run a server action, else the refusal message. Outside a
 * Next request (tests calling executeAction) there are no headers and nothing to check.
 */
export async function checkActionOrigin(): Promise<string | null> {
  let requestHeaders: Headers;
  try {
    requestHeaders = await headers();
  } catch {
    return null;
  }
  return requestOriginAllowed(requestHeaders) ? null : ORIGIN_REFUSED;
}
