import http, { type IncomingMessage } from "node:http";
import { GUARD_INSTALLED, trustedProxyHops } from "@/lib/request/forwarding";
import { malformedRouterState } from "@/lib/request/malformed";
import { API_SECURITY_HEADERS } from "@/lib/http/security-headers";

// Next.js believes X-Forwarded-For and X-Forwarded-Host as the client sent them (it only fills them
// in from the socket and Host when absent), and so would next-auth, the sign-in limits and Next's
// own server-action origin check. With no trusted proxy, the guard drops what the client sent
// before Next sees the request and writes the socket's address itself. X-Forwarded-Proto and -Port
// stay: they only shape the sender's own response (HSTS, the scheme of a redirect), never whom a
// limit counts or which origin an action is checked against.
const UNSUPPORTED_METHODS = new Set(["TRACE", "TRACK", "CONNECT"]);
const FORWARDING_HEADERS = ["x-forwarded-for", "x-forwarded-host", "x-real-ip", "forwarded"];

export function normaliseForwardedHeaders(request: IncomingMessage, hops = trustedProxyHops()): void {
  if (hops > 0) return;
  for (const name of FORWARDING_HEADERS) delete request.headers[name];
  const peer = request.socket?.remoteAddress;
  if (peer) request.headers["x-forwarded-for"] = peer;
}

function refuse(
  response: http.ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): true {
  response.writeHead(status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    ...API_SECURITY_HEADERS,
    ...headers,
  });
  response.end(JSON.stringify({ ok: false, message }));
  return true;
}

/**
 * Runs the guard on every request any http.Server in this process receives (next start creates its
 * server before instrumentation runs and offers no hook of its own). Installed once per process.
 */
export function installForwardedHeaderGuard(): void {
  const registry = globalThis as Record<symbol, unknown>;
  if (registry[GUARD_INSTALLED]) return;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emitWithGuard(
    this: http.Server,
    event: string | symbol,
    ...args: unknown[]
  ): boolean {
    if (event === "request" || event === "checkContinue") {
      const [request, response] = args as [IncomingMessage, http.ServerResponse];
      // Node parses TRACE, TRACK and CONNECT, but Next fails on them with a 500 and a logged stack;
      // likewise on an RSC router state it cannot parse (lib/request/malformed.ts).
      if (UNSUPPORTED_METHODS.has(request.method ?? ""))
        return refuse(response, 405, "This method is not supported.", { allow: "GET, HEAD, POST" });
      const malformed = malformedRouterState(request.headers.rsc, request.headers["next-router-state-tree"]);
      if (malformed) return refuse(response, 400, malformed);
      normaliseForwardedHeaders(request);
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
  registry[GUARD_INSTALLED] = true;
}
