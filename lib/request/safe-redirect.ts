// Where sign-in may send the browser afterwards: only a path on the console itself. A prefix check
// is not enough: browsers read "\" as "/" and drop tabs and newlines inside URLs, so "/\evil.example"
// or "/\t/evil.example" would leave the site. The value is parsed against the console's origin and
// kept only if the origin is unchanged; backslashes and control characters are refused outright.
// Pure: the sign-in form (client), the login page and next-auth's redirect callback share it.

const UNSAFE = /[\\\u0000-\u001f\u007f-\u009f]/;

/** The value as a same-origin path (path + query + hash), or null when it points anywhere else. */
export function sameOriginPath(value: unknown, consoleOrigin: string): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048 || UNSAFE.test(value)) return null;
  let base: URL;
  let target: URL;
  try {
    base = new URL(consoleOrigin);
    target = new URL(value, base.origin);
  } catch {
    return null;
  }
  if (target.origin !== base.origin || (target.protocol !== "http:" && target.protocol !== "https:")) return null;
  // Dot segments can leave a path that starts with "//" ("/..//evil.example" parses to the path
  // "//evil.example"): as a Location or window.location value that is another host.
  if (target.pathname.startsWith("//")) return null;
  return `${target.pathname}${target.search}${target.hash}`;
}

// Any fixed origin works for checking a relative value: only a change of origin matters.
const PLACEHOLDER_ORIGIN = "http://console.invalid";

/** A callbackUrl from the query string: a same-origin path, or "/" for anything else. */
export function safeCallbackPath(value: unknown, consoleOrigin = PLACEHOLDER_ORIGIN): string {
  return sameOriginPath(value, consoleOrigin) ?? "/";
}
