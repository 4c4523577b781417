import "server-only";
import { isIP } from "node:net";
import { Agent, errors as undiciErrors, type Dispatcher } from "undici";
import { assertEgressAllowed } from "@/lib/provider-clients/egress";
import { boundedMemo } from "@/lib/cache/bounded-memo";
import { guardedLookup } from "@/lib/provider-clients/provider-fetch";

// The gateway's connection to providers: undici's pooled keep-alive client (the fastest HTTP
// client Node has; provider-fetch.ts's web Response wrapping costs too much per request here)
// with the same rules as every other provider call: the egress policy checked on each address
// connected to, no redirects followed, and only the provider's own base URL origin is reachable
// (the URL is always built from the registered base URL, never from the caller's request).

const agent = new Agent({
  keepAliveTimeout: 30_000,
  // HTTP/1.1 carries one request per connection: this is how many calls (streams mostly) one
  // instance runs at once per provider origin; more wait inside undici with no byte to the caller.
  connections: Number(process.env.GATEWAY_UPSTREAM_CONNECTIONS ?? 2048),
  connect: { lookup: guardedLookup },
  // Streams stay open as long as the provider sends; the request deadline is the caller's signal.
  bodyTimeout: 0,
  headersTimeout: Number(process.env.GATEWAY_UPSTREAM_HEADERS_TIMEOUT_MS ?? 120_000),
});

export type UpstreamRequest = {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
  method?: "POST" | "GET";
};

export type UpstreamResponse = Dispatcher.ResponseData;

export class UpstreamRedirectError extends Error {
  override name = "UpstreamRedirectError";
}

// Parsed upstream URLs (built from registered base URLs, so few distinct ones): parsing each
// request's URL again was measurable on the hot path.
const targetOf = boundedMemo(1024, (href: string) => {
  const url = new URL(href);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return { origin: url.origin, path: url.pathname + url.search, literal: isIP(host) ? host : null };
});

export async function upstreamRequest(request: UpstreamRequest): Promise<UpstreamResponse> {
  const target = targetOf(request.url);
  // A literal address is connected to without a lookup, so it is checked here (each request: the
  // policy may have changed).
  if (target.literal !== null) assertEgressAllowed(target.literal);
  const response = await agent.request({
    origin: target.origin,
    path: target.path,
    method: request.method ?? "POST",
    headers: request.headers,
    body: request.method === "GET" ? undefined : request.body,
    signal: request.signal,
  });
  if (response.statusCode >= 300 && response.statusCode < 400) {
    response.body.resume();
    throw new UpstreamRedirectError(
      `The provider answered HTTP ${response.statusCode} (a redirect); the gateway never follows redirects.`,
    );
  }
  return response;
}

export function isUpstreamTimeout(error: unknown): boolean {
  return (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    (error instanceof Error && error.name === "TimeoutError")
  );
}

export async function closeUpstream(): Promise<void> {
  await agent.close();
}
