import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";

// Only redirects anonymous visitors to the sign-in page. Authorisation happens in every page,
// server action and route handler itself: this is a convenience, not a security boundary.
const PUBLIC_PREFIXES = ["/login", "/setup", "/api/auth", "/api/health", "/api/v1"];

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (PUBLIC_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`))) {
    return NextResponse.next();
  }
  const token = await getToken({ req: request, secret: process.env.NEXTAUTH_SECRET });
  if (token) return NextResponse.next();
  if (pathname.startsWith("/api/")) {
    return NextResponse.json({ ok: false, message: "Sign in first." }, { status: 401 });
  }
  const login = new URL("/login", request.url);
  if (pathname !== "/") login.searchParams.set("callbackUrl", `${pathname}${search}`);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
