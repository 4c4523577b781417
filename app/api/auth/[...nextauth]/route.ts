import { NextResponse, type NextRequest } from "next/server";
import NextAuth from "next-auth";
import { z } from "zod";
import { authOptions } from "@/lib/auth/options";
import { logger } from "@/lib/log/logger";
import { apiRoute } from "@/lib/http/api-route";
import { currentActor, isSafeCallbackUrl } from "@/lib/auth/session";
import { ORIGIN_REFUSED, requestOriginAllowed } from "@/lib/request/origin";
import { OIDC_PROVIDER_ID } from "@/lib/auth/oidc-provider-id";
import { SSO_CALLBACK_RULE, countAttempt } from "@/lib/auth/rate-limit";
import { clientAddress, limitBucket } from "@/lib/request/forwarding";

const handler = NextAuth(authOptions);

type Context = { params: Promise<{ nextauth: string[] }> };

const jsonObject = z.record(z.string(), z.unknown());

const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

// next-auth renews any cookie that decrypts and is within its lifetime. A session that was ended
// (signed out, user disabled, password reset, role changed) must get no session and no fresh
// cookie: the same check pages use decides, and the cookie (and any chunks of it) is cleared.
async function endedSession(request: NextRequest): Promise<Response | null> {
  const cookies = request.cookies.getAll().filter((cookie) => SESSION_COOKIE.test(cookie.name));
  if (cookies.length === 0 || (await currentActor())) return null;
  const response = NextResponse.json({}, { headers: { "Cache-Control": "private, no-cache, no-store" } });
  for (const { name } of cookies) {
    response.cookies.set(name, "", {
      path: "/",
      maxAge: 0,
      httpOnly: true,
      sameSite: "lax",
      secure: name.startsWith("__Secure-"),
    });
  }
  return response;
}

const refuse = (status: number, message: string, headers?: HeadersInit) =>
  NextResponse.json({ ok: false, message }, { status, headers });

// next-auth answers bad input with 500s of its own: a GET to the credentials callback, a
// callbackUrl (query, body or cookie) pointing off-site, a malformed JSON body it parses without a
// guard. Those are the client's mistakes, so they become 400s here; a real failure inside
// next-auth still throws and is handled (and logged) as one.
async function guarded(request: NextRequest, context: Context): Promise<Response> {
  const [action, provider] = (await context.params).nextauth ?? [];
  // The client-side logger endpoint: we do not use it, and it would let anyone write our logs.
  if (action === "_log") return new Response(null, { status: 204 });
  // next-auth's CSRF token is a double-submit cookie, and a page on another port of the same host
  // can overwrite cookies (they ignore ports), so it alone does not stop a same-site sign-in or
  // sign-out. A browser names the page's origin on every cross-origin POST: a foreign or opaque
  // one is refused. (A POST without Origin is no browser's cross-site request: scripts, tests.)
  if (request.method === "POST" && request.headers.has("origin") && !requestOriginAllowed(request.headers)) {
    return refuse(403, ORIGIN_REFUSED);
  }
  if (action === "callback" && provider === "credentials" && request.method !== "POST") {
    return refuse(405, "Sign in by posting the sign-in form.", { Allow: "POST" });
  }
  // Counted before next-auth looks at it (a forged one still costs the token call and an audit row);
  // the browser that went over is sent to the sign-in page, which says when to try again.
  if (action === "callback" && provider === OIDC_PROVIDER_ID) {
    const counted = await countAttempt(
      `sso-callback:${limitBucket(clientAddress(request.headers))}`,
      SSO_CALLBACK_RULE,
    );
    if (counted.count > SSO_CALLBACK_RULE.limit) {
      const wait = counted.blockedSeconds || SSO_CALLBACK_RULE.blockSeconds;
      return new Response(null, {
        status: 303,
        headers: { Location: "/login?error=TooManyAttempts", "Retry-After": String(wait) },
      });
    }
  }
  const contentType = request.headers.get("content-type") ?? "";
  let bodyCallback: unknown;
  if (request.method === "POST" && contentType.includes("application/json")) {
    let body: unknown;
    try {
      body = JSON.parse(await request.clone().text());
    } catch {
      body = undefined;
    }
    const parsed = jsonObject.safeParse(body);
    if (!parsed.success) return refuse(400, "Send a JSON object or a form.");
    bodyCallback = (parsed.data as Record<string, unknown>).callbackUrl;
  } else if (request.method === "POST" && contentType.includes("application/x-www-form-urlencoded")) {
    bodyCallback = new URLSearchParams(await request.clone().text()).get("callbackUrl") ?? undefined;
  }
  // A callbackUrl that is neither a path nor an http(s) URL: next-auth would answer with its
  // "Configuration" error page, which blames the server for the client's input.
  for (const callback of [request.nextUrl.searchParams.get("callbackUrl"), bodyCallback]) {
    if (callback === null || callback === undefined) continue;
    if (typeof callback !== "string" || !isSafeCallbackUrl(callback))
      return refuse(400, "This sign-in request is not valid. Open the sign-in page and try again.");
  }
  if (action === "session") {
    const ended = await endedSession(request);
    if (ended) return ended;
  }
  const response = await handler(request, context);
  if (response.status >= 500) {
    logger.warn("next-auth refused a request", { action, status: response.status });
    const refused = refuse(400, "This sign-in request is not valid. Open the sign-in page and try again.");
    // A stored off-site callback URL would fail every later request too: drop it so a retry works.
    for (const name of ["next-auth.callback-url", "__Secure-next-auth.callback-url"]) {
      if (request.cookies.has(name))
        refused.cookies.set(name, "", { path: "/", maxAge: 0, secure: name.startsWith("__Secure-") });
    }
    return refused;
  }
  // next-auth refuses an unknown action ("/api/auth/nope") with its own error's text ("Error: This
  // action with HTTP GET is not supported…"): answered in the one error shape instead.
  if (response.status >= 400 && (response.headers.get("content-type") ?? "").startsWith("text/plain")) {
    return refuse(
      response.status === 405 ? 405 : 400,
      "This sign-in request is not valid. Open the sign-in page and try again.",
    );
  }
  return response;
}

const route = apiRoute(guarded);
export { route as GET, route as POST };
