// DNS rebinding: a page on an attacker's domain re-resolves that domain to the console's address,
// so the browser posts to the console with Host and Origin both naming the attacker's domain, and
// the Origin check passes. Without a session cookie (the browser keeps those per host) the only
// thing such a page can change is first-run setup: it could create the first admin of a fresh
// console. Setup therefore accepts only hosts no attacker can point at the console: the console's
// own (NEXTAUTH_URL's host, ALLOWED_ORIGINS, the trusted forwarded host), localhost and IP literals.

function hostname(host: string): string | null {
  try {
    return new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}

function configuredHostnames(env: NodeJS.ProcessEnv): Set<string> {
  const names = new Set<string>();
  for (const value of [env.NEXTAUTH_URL ?? "", ...(env.ALLOWED_ORIGINS ?? "").split(",")]) {
    const entry = value.trim();
    if (!entry) continue;
    const name = hostname(entry.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").split("/")[0] ?? "");
    if (name) names.add(name);
  }
  return names;
}

export const REBOUND_HOST_REFUSED = "Open the console at its own address to finish setup.";

/** False when `host` (the public host the request names) is a DNS name other than the console's own. */
export function hostCannotBeRebound(host: string | null, env: NodeJS.ProcessEnv = process.env): boolean {
  const name = host ? hostname(host.trim()) : null;
  if (!name) return false;
  // URL parsing makes every IPv4 form dotted-quad (127.1, 2130706433) and brackets IPv6.
  const ipLiteral = /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.startsWith("[");
  if (ipLiteral || name === "localhost" || name.endsWith(".localhost")) return true;
  return configuredHostnames(env).has(name);
}
