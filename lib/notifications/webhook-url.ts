import { isIP } from "node:net";
import { egressPolicy, refusedRangeOf } from "@/lib/provider-clients/egress";

// Which webhook URLs the console will call. Checked when a channel is saved and again before each
// send; the transport (createProviderFetch) also checks every address it actually connects to, so
// a name that resolves to an internal address is refused at connect time as well.

const METADATA_HOSTS = new Set(["metadata.google.internal", "metadata", "instance-data", "metadata.azure.internal"]);

/** The console's own origins (NEXTAUTH_URL, ALLOWED_ORIGINS): a webhook must never call back into it. */
export function consoleOrigins(env: NodeJS.ProcessEnv = process.env): Set<string> {
  const origins = new Set<string>();
  for (const value of [env.NEXTAUTH_URL ?? "", ...(env.ALLOWED_ORIGINS ?? "").split(",")]) {
    try {
      if (value.trim()) origins.add(new URL(value.trim()).origin);
    } catch {
      // Not a URL: nothing to compare against.
    }
  }
  return origins;
}

/** Null when the URL may be called, else why not (a message for the person entering it). */
export function webhookUrlRefusal(text: string, env: NodeJS.ProcessEnv = process.env): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "Enter a full URL, such as https://hooks.example.com/console.";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Use an https:// (or http://) URL.";
  if (url.username || url.password) return "Put credentials in the signing secret, not in the URL.";
  if (consoleOrigins(env).has(url.origin)) return "A webhook cannot point at the console itself.";
  return hostRefusal(url.hostname);
}

/**
 * The host part of the policy, shared by webhook URLs and SMTP servers: null when the host may be
 * reached, else why not. Metadata names and link-local addresses always; loopback, private and
 * other internal literals unless EGRESS_ALLOWED_NETWORKS allows them. A name is checked again
 * at connect time against the address it resolves to.
 */
export function hostRefusal(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (METADATA_HOSTS.has(host)) return "Cloud metadata addresses are refused.";
  const literal = isIP(host) ? host : host === "localhost" || host.endsWith(".localhost") ? "127.0.0.1" : null;
  if (literal) {
    const range = refusedRangeOf(literal);
    // Link-local (cloud metadata lives there) is never allowed, whatever EGRESS_ALLOWED_NETWORKS says.
    if (range?.startsWith("link-local")) return "Link-local and cloud metadata addresses are refused.";
    if (range !== undefined) {
      const allowed = egressPolicy().allowed.check(literal, isIP(literal) === 6 ? "ipv6" : "ipv4");
      if (!allowed)
        return `That is a ${range} address; internal addresses are refused unless an administrator allows them in EGRESS_ALLOWED_NETWORKS.`;
    }
  }
  return null;
}
