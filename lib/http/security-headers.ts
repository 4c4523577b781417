// Headers for every HTML response. The CSP uses a per-request nonce (Next applies it to its own
// scripts when it sees the header on the request), so no 'unsafe-inline' or 'unsafe-eval' for
// scripts in production. Styles keep 'unsafe-inline': React and recharts set style attributes.
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const STATIC_SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
  "Cross-Origin-Opener-Policy": "same-origin",
};

/** Route handlers answer JSON, CSV and streams, never pages: nothing in them may load or frame. */
export const API_SECURITY_HEADERS: Record<string, string> = {
  ...STATIC_SECURITY_HEADERS,
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
};

export const HSTS_HEADER = "max-age=31536000; includeSubDomains";
