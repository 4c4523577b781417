import "server-only";
import { headers } from "next/headers";
import { ORIGIN_REFUSED, requestOriginAllowed } from "@/lib/request/origin";

// The Origin rule itself lives in lib/request/origin.ts (pure, so proxy.ts can run it as well).
export { ORIGIN_REFUSED, originAllowed, requestOriginAllowed } from "@/lib/request/origin";

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
