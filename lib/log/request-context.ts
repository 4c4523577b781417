// The request id of the request being served, for log lines. Pages get it from proxy.ts, which
// puts it on the request as `x-request-id` (keeping a well-formed one from a reverse proxy, else a
// fresh UUID) and on the response; route handlers, which skip the proxy, get the same from
// apiRoute (lib/http/api-route.ts). A log line, the client's error report and the reverse proxy's
// access log can then be matched.
import { AsyncLocalStorage } from "node:async_hooks";
import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external";

export const REQUEST_ID_HEADER = "x-request-id";

const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The incoming id when it is safe to echo into logs and headers, otherwise a new one. */
export function requestIdFrom(incoming: string | null | undefined): string {
  return incoming && VALID_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}

const routeRequestIds = new AsyncLocalStorage<string>();

/** Runs a route handler with its request id visible to currentRequestId(). */
export function runWithRequestId<T>(id: string, run: () => T): T {
  return routeRequestIds.run(id, run);
}

/**
 * Synchronous on purpose: the logger writes a line per call and cannot await. Reads the request
 * headers from Next's request store (what `headers()` from next/headers reads); outside a request
 * (scripts, tests, scheduled jobs) or if that store ever changes shape, there is no id.
 */
export function currentRequestId(): string | undefined {
  const routeId = routeRequestIds.getStore();
  if (routeId) return routeId;
  try {
    const store = workUnitAsyncStorage.getStore();
    if (!store || store.type !== "request") return undefined;
    const id = store.headers.get(REQUEST_ID_HEADER);
    return id && VALID_REQUEST_ID.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
