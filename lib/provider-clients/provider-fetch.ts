import dns, { type LookupAddress, type LookupOptions } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import zlib from "node:zlib";

import { assertEgressAllowed } from "@/lib/provider-clients/egress";

// The one transport every request to a provider goes through (completions, streams, model lists,
// key verification, health checks, playground). A fetch-compatible function over node:http(s) so
// that: the egress policy is checked on each address actually connected to (the agents' lookup),
// a redirect is never followed (3xx is an error of its own class, since following one would carry
// the key's header to another host), and a request can only go to the origin it was built for.

export class ProviderRedirectError extends Error {
  override name = "ProviderRedirectError";
  constructor(
    readonly status: number,
    readonly location: string | null,
  ) {
    super(
      `The provider answered HTTP ${status} (a redirect); provider requests never follow redirects. Check the base URL.`,
    );
  }
}

export class ForeignOriginError extends Error {
  override name = "ForeignOriginError";
  constructor(readonly origin: string) {
    super("A request was about to leave the provider's origin; it was not sent.");
  }
}

export class UnexpectedContentTypeError extends Error {
  override name = "UnexpectedContentTypeError";
  constructor(readonly contentType: string) {
    super(`The provider answered with content type "${contentType.slice(0, 60) || "none"}", not an API response.`);
  }
}

// Refuses the connection when any resolved address (also the gateway's transport, lib/gateway/upstream.ts) is outside the policy (a name that resolves to
// a public and a private address is refused too: the connection could pick either).
export const guardedLookup = ((hostname: string, options: LookupOptions, callback: (...args: unknown[]) => void) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error);
    try {
      if (addresses.length === 0) throw Object.assign(new Error(`${hostname} did not resolve`), { code: "ENOTFOUND" });
      for (const entry of addresses) assertEgressAllowed(entry.address);
    } catch (refused) {
      return callback(refused);
    }
    const first = addresses[0]!;
    if (options.all) callback(null, addresses);
    else callback(null, first.address, first.family);
  });
}) as LookupFunction;

const state = globalThis as unknown as { providerAgents?: { http: http.Agent; https: https.Agent } };
const agents = (state.providerAgents ??= {
  http: new http.Agent({ keepAlive: true, lookup: guardedLookup }),
  https: new https.Agent({ keepAlive: true, lookup: guardedLookup }),
});

async function bodyBytes(body: BodyInit | null | undefined): Promise<Buffer | undefined> {
  if (body === null || body === undefined) return undefined;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  return Buffer.from(await new Response(body).arrayBuffer());
}

function decoded(response: http.IncomingMessage): Readable {
  switch ((response.headers["content-encoding"] ?? "").toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return response.pipe(zlib.createGunzip());
    case "deflate":
      return response.pipe(zlib.createInflate());
    case "br":
      return response.pipe(zlib.createBrotliDecompress());
    default:
      return response;
  }
}

export type ProviderFetchOptions = {
  /** Every request must go to this origin ("https://api.example.com"); others are refused unsent. */
  allowedOrigin?: string;
  /** For 2xx answers: the content types (prefixes) that count as an API answer. */
  expectContentTypes?: readonly string[];
};

function requestParts(input: RequestInfo | URL, init?: RequestInit) {
  const request = input instanceof Request ? input : undefined;
  const url = new URL(request ? request.url : input instanceof URL ? input.href : String(input));
  const headers = new Headers(request?.headers);
  new Headers(init?.headers).forEach((value, name) => headers.set(name, value));
  const method = (init?.method ?? request?.method ?? "GET").toUpperCase();
  const signal = init?.signal ?? request?.signal ?? undefined;
  return { url, headers, method, signal, body: init?.body ?? (request?.body ? (request.body as BodyInit) : undefined) };
}

/** A fetch for provider traffic: egress policy, no redirects, one origin. */
export function createProviderFetch(options: ProviderFetchOptions = {}): typeof fetch {
  const providerFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const { url, headers, method, signal, body } = requestParts(input, init);
    if (url.protocol !== "https:" && url.protocol !== "http:")
      throw new TypeError(`Unsupported protocol ${url.protocol}`);
    if (options.allowedOrigin !== undefined && url.origin !== options.allowedOrigin)
      throw new ForeignOriginError(url.origin);
    signal?.throwIfAborted();
    // A literal address is connected to without a lookup, so it is checked here.
    const literal = url.hostname.replace(/^\[|\]$/g, "");
    if (isIP(literal)) assertEgressAllowed(literal);
    // A ReadableStream body (a fine-tuning file on its way through, lib/fine-tuning/upload.ts) is
    // streamed as it is read, chunked, never buffered; any other body is sent with its length.
    const streamed = typeof ReadableStream !== "undefined" && body instanceof ReadableStream ? body : undefined;
    const payload = streamed ? undefined : await bodyBytes(body);
    if (!headers.has("accept-encoding")) headers.set("accept-encoding", "gzip, deflate, br");
    if (payload !== undefined) headers.set("content-length", String(payload.length));

    return new Promise<Response>((resolve, reject) => {
      const secure = url.protocol === "https:";
      const request = (secure ? https : http).request(url, {
        method,
        headers: Object.fromEntries(headers),
        agent: secure ? agents.https : agents.http,
      });
      let stream: Readable | undefined;
      const onAbort = () => {
        const reason = signal?.reason instanceof Error ? signal.reason : new DOMException("Aborted", "AbortError");
        request.destroy(reason);
        // Mid-body the reader sees the caller's reason (a TimeoutError stays a timeout).
        stream?.destroy(reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const done = () => signal?.removeEventListener("abort", onAbort);
      request.on("error", (error) => {
        done();
        reject(signal?.aborted ? (signal.reason ?? error) : error);
      });
      request.on("response", (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          response.resume();
          done();
          reject(new ProviderRedirectError(status, response.headers.location ?? null));
          return;
        }
        const contentType = response.headers["content-type"] ?? "";
        if (
          status >= 200 &&
          status < 300 &&
          options.expectContentTypes &&
          !options.expectContentTypes.some((type) => contentType.toLowerCase().startsWith(type))
        ) {
          response.resume();
          done();
          reject(new UnexpectedContentTypeError(contentType));
          return;
        }
        const responseHeaders = new Headers();
        for (let i = 0; i + 1 < response.rawHeaders.length; i += 2)
          responseHeaders.append(response.rawHeaders[i]!, response.rawHeaders[i + 1]!);
        stream = decoded(response);
        // Destroying the socket on abort errors the body stream, as fetch does mid-body.
        stream.on("end", done).on("error", done).on("close", done);
        const nullBody = method === "HEAD" || status === 204 || status === 205 || status === 304;
        if (nullBody) response.resume();
        resolve(
          new Response(
            nullBody
              ? null
              : (Readable.toWeb(stream) as NodeReadableStream<Uint8Array> as unknown as ReadableStream<Uint8Array>),
            {
              status,
              statusText: response.statusMessage,
              headers: responseHeaders,
            },
          ),
        );
      });
      if (streamed) {
        const source = Readable.fromWeb(streamed as NodeReadableStream<Uint8Array>);
        // A failing source (the caller aborting the upload) ends the request unfinished.
        source.on("error", (error) => request.destroy(error));
        source.pipe(request);
      } else request.end(payload);
    });
  };
  return providerFetch as typeof fetch;
}

/** The origin a base URL's requests go to, or undefined when it is not a URL. */
export function originOf(baseUrl: string): string | undefined {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return undefined;
  }
}
