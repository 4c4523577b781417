// The request id of the request being served, for log lines. proxy.ts puts it on every request as
// `x-request-id` (keeping a well-formed one from a reverse proxy, else a fresh UUID) and on the
// response, so a log line, the client's error report and the proxy's access log can be matched.
import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external";

export const REQUEST_ID_HEADER = "x-request-id";

const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The incoming id when it is safe to echo into logs and headers, otherwise a new one. */
export function requestIdFrom(incoming: string | null | undefined): string {
  return incoming && VALID_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}

/**
 * Synchronous on purpose: the logger writes a line per call and cannot await. Reads the request
 * headers from Next's request store (what `headers()` from next/headers reads); outside a request
 * (scripts, tests, scheduled jobs) or if that store ever changes shape, there is no id.
 */
export function currentRequestId(): string | undefined {
  try {
    const store = workUnitAsyncStorage.getStore();
    if (!store || store.type !== "request") return undefined;
    const id = store.headers.get(REQUEST_ID_HEADER);
    return id && VALID_REQUEST_ID.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
