// The base URL rule, shared by the form schema and its tests. Plain http only reaches the
// machine itself unless the admin explicitly accepts sending keys unencrypted.

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
export const BASE_URL_MAX_LENGTH = 2048;

export type BaseUrlCheck = { ok: true; url: string } | { ok: false; message: string };

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** Validates and normalises a provider base URL (no trailing slash, no credentials, no query). */
export function checkBaseUrl(input: string, allowInsecure: boolean): BaseUrlCheck {
  const text = input.trim();
  if (!text) return { ok: false, message: "Enter the provider's base URL." };
  if (text.length > BASE_URL_MAX_LENGTH)
    return { ok: false, message: `Use at most ${BASE_URL_MAX_LENGTH} characters.` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: "Enter a full URL such as https://api.example.com/v1." };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, message: "Use an https:// (or, locally, http://) URL." };
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname) && !allowInsecure) {
    return {
      ok: false,
      message:
        "Plain http is only allowed for localhost. Use https, or tick “Allow insecure http” if this network is trusted.",
    };
  }
  // Credentials in the URL would be stored and shown in clear; keys belong in the keys section.
  if (url.username || url.password)
    return { ok: false, message: "Remove the user name and password from the URL; add keys under API keys." };
  if (url.search || url.hash)
    return { ok: false, message: "Remove the query string and fragment; the console adds what each request needs." };
  const normalised = `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  return { ok: true, url: normalised };
}
