import { parseAndValidateFlightRouterState } from "next/dist/server/app-render/parse-and-validate-flight-router-state";

// Request shapes Next.js itself fails on with a bare 500 (and a logged error) after the proxy has
// let them through: a path segment that is not valid percent-encoding (a dynamic segment's value
// is decoded while rendering) and an RSC request whose router-state header does not parse. Both
// are the client's doing, so they are answered as a 400 in the one error shape instead: the path
// by proxy.ts, the router state by the forwarding guard (Next strips the RSC headers from what the
// proxy sees). Next's own parser checks the header, so what passes is exactly what Next accepts.

export const MALFORMED_ADDRESS = "This address is not valid.";
export const MALFORMED_ROUTER_STATE = "This request's router state could not be read. Reload the page.";

/** MALFORMED_ADDRESS when a segment of the (still encoded) path does not decode, else null. */
export function malformedPath(pathname: string): string | null {
  for (const segment of pathname.split("/")) {
    try {
      decodeURIComponent(segment);
    } catch {
      return MALFORMED_ADDRESS;
    }
  }
  return null;
}

/** MALFORMED_ROUTER_STATE for an RSC request whose next-router-state-tree Next could not parse, else null. */
export function malformedRouterState(
  rsc: string | string[] | undefined,
  state: string | string[] | undefined,
): string | null {
  if (state === undefined || rsc !== "1") return null;
  try {
    parseAndValidateFlightRouterState(state);
  } catch {
    return MALFORMED_ROUTER_STATE;
  }
  return null;
}
