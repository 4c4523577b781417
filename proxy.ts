import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { contentSecurityPolicy, HSTS_HEADER, STATIC_SECURITY_HEADERS } from "@/lib/http/security-headers";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/lib/log/request-context";
import { checkPagePost, checkServerActionRequest } from "@/lib/http/server-action-body";
import { ORIGIN_REFUSED, requestOriginAllowed } from "@/lib/request/origin";
import { malformedPath } from "@/lib/request/malformed";
import { REBOUND_HOST_REFUSED, hostCannotBeRebound } from "@/lib/request/rebinding";
import { trustedForwardedHost } from "@/lib/request/forwarding";

// Redirects anonymous visitors to the sign-in page and sets security headers, with a per-request
// CSP nonce, on pages. Authorisation happens in every page, server action and route handler
// itself: this is a convenience, not a security boundary. Route handlers (/api) skip the proxy,
// whose mere presence cost a bare Next.js app 4–5 ms of CPU per request on the slower test CPU
// (README, Load): they check the session themselves, take their request id from apiRoute
// (lib/http/api-route.ts) and their headers from next.config.ts.
const PUBLIC_PREFIXES = ["/login", "/setup"];

function isPublic(pathname: string): boolean {
  return PUBLIC_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

function withSecurityHeaders(response: NextResponse, request: NextRequest, csp?: string): NextResponse {
  response.headers.set(REQUEST_ID_HEADER, requestIdOf(request));
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  if (csp) response.headers.set("Content-Security-Policy", csp);
  const https = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  if (https) response.headers.set("Strict-Transport-Security", HSTS_HEADER);
  return response;
}

// One id per request, shared by the forwarded request (for log lines) and the response.
const requestIds = new WeakMap<NextRequest, string>();
function requestIdOf(request: NextRequest): string {
  let id = requestIds.get(request);
  if (!id) requestIds.set(request, (id = requestIdFrom(request.headers.get(REQUEST_ID_HEADER))));
  return id;
}

function forwardedHeaders(request: NextRequest): Headers {
  const headers = new Headers(request.headers);
  headers.set(REQUEST_ID_HEADER, requestIdOf(request));
  return headers;
}

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;

  // A POST to a page is a server action (with or without JavaScript). Next refuses a foreign Origin
  // itself, but by throwing: a 500. Refused here first, as a 403, before any session or body work.
  if (request.method === "POST" && !requestOriginAllowed(request.headers)) {
    return withSecurityHeaders(NextResponse.json({ ok: false, message: ORIGIN_REFUSED }, { status: 403 }), request);
  }

  // First-run setup is the one change a page without a session can make: refused on a host an
  // attacker could have rebound to this console (lib/request/rebinding.ts).
  if (request.method === "POST" && (pathname === "/setup" || pathname.startsWith("/setup/"))) {
    const publicHost = trustedForwardedHost(request.headers.get("x-forwarded-host")) ?? request.headers.get("host");
    if (!hostCannotBeRebound(publicHost))
      return withSecurityHeaders(
        NextResponse.json({ ok: false, message: REBOUND_HOST_REFUSED }, { status: 403 }),
        request,
      );
  }

  // A segment that is not valid percent-encoding would reach Next and end as a bare 500.
  const malformed = malformedPath(pathname);
  if (malformed)
    return withSecurityHeaders(NextResponse.json({ ok: false, message: malformed }, { status: 400 }), request);

  if (!isPublic(pathname)) {
    const token = await getToken({ req: request, secret: process.env.NEXTAUTH_SECRET });
    if (!token) {
      const login = new URL("/login", request.url);
      if (pathname !== "/") login.searchParams.set("callbackUrl", `${pathname}${search}`);
      return withSecurityHeaders(NextResponse.redirect(login), request);
    }
  }

  // Server-action bodies Next could not decode would end as 500s inside Next: refuse them here.
  if (request.method === "POST") {
    const verdict = request.headers.has("next-action")
      ? await checkServerActionRequest(request)
      : await checkPagePost(request);
    if (!verdict.ok)
      return withSecurityHeaders(
        NextResponse.json({ ok: false, message: verdict.message }, { status: verdict.status }),
        request,
      );
  }

  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = forwardedHeaders(request);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  return withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), request, csp);
}

export const config = {
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
