// Pure redaction used by the logger: keys, tokens, passwords and Authorization headers never
// reach a log line, whatever shape the value has.

import { KEY_SHAPES } from "@/lib/providers/catalog";

const SECRET_FIELD = /pass(word)?|secret|token|api[-_]?key|authorization|cookie|ciphertext|plaintext|^key$/i;

// Key shapes of every provider kind (from the registry, lib/providers/catalog.ts), then generic
// ones: bearer tokens, key-bearing query parameters, and hex or alphanumeric runs of 32+ (blanked
// even when they are only request ids: a missed key costs more than a missing id in an excerpt).
const SECRET_PATTERNS: RegExp[] = [
  ...KEY_SHAPES,
  /\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g,
  /\b(gsk|xai|pc|hf|tgp|pplx)[_-][A-Za-z0-9_-]{8,}/g,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /([?&](key|api_key|apikey|api-key|token|access_token|code|sig)=)[^&\s"']+/gi,
  /\b[0-9a-f]{32,}\b/gi,
  // Letters and digits only: ids with dashes (UUIDs in audit details and logs) must survive.
  /(?<![A-Za-z0-9])(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{32,}(?![A-Za-z0-9])/g,
];

export const REDACTED = "[redacted]";

// A provider may echo part of a key ("key sk-abc…xyz is invalid") or an encoding of it (Basic
// auth, a URL). Every run of this many characters shared with the secret is blanked.
const SHARED_RUN = 10;

function encodings(secret: string): string[] {
  const out = new Set([secret, encodeURIComponent(secret), secret.replace(/\//g, "\\/")]);
  const bytes = Buffer.from(secret);
  // Base64 of the secret at each of the three byte alignments it can have inside a longer value;
  // only the characters that depend on the secret alone (the middle groups) are matched.
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes, Buffer.alloc(3)]).toString("base64");
    const start = offset === 0 ? 0 : 4;
    const end = Math.floor(((offset + bytes.length) * 4) / 3 / 4) * 4;
    const core = encoded.slice(start, end);
    if (core.length >= 8) {
      out.add(core);
      out.add(core.replace(/\+/g, "-").replace(/\//g, "_"));
    }
  }
  return [...out].filter((value) => value.length >= 4);
}

function markSharedRuns(text: string, secret: string, hit: Uint8Array): void {
  if (secret.length < SHARED_RUN || text.length < SHARED_RUN) return;
  const grams = new Set<string>();
  for (let i = 0; i + SHARED_RUN <= secret.length; i += 1) grams.add(secret.slice(i, i + SHARED_RUN));
  for (let i = 0; i + SHARED_RUN <= text.length; i += 1) {
    if (grams.has(text.slice(i, i + SHARED_RUN))) hit.fill(1, i, i + SHARED_RUN);
  }
}

function markAll(text: string, needle: string, hit: Uint8Array): void {
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) hit.fill(1, at, at + needle.length);
}

/**
 * Removes the given secrets (raw, URL-encoded, base64, and any 10-character run of them) and every
 * known key shape. Every match is found on the original text and blanked together, so removing
 * one cannot break another's match. Redact before cutting: a cut first can leave most of a key.
 */
export function redactText(text: string, extraSecrets: readonly string[] = []): string {
  const hit = new Uint8Array(text.length);
  for (const secret of extraSecrets) {
    if (secret.length < 4) continue;
    for (const form of encodings(secret)) markAll(text, form, hit);
    markSharedRuns(text, secret, hit);
  }
  for (const pattern of SECRET_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const prefix = typeof match[1] === "string" && /^(Bearer\s+|[?&])/i.test(match[1]) ? match[1].length : 0;
      hit.fill(1, match.index + prefix, match.index + match[0].length);
    }
  }
  if (!hit.includes(1)) return text;
  let out = "";
  for (let i = 0; i < text.length; i += 1) {
    if (!hit[i]) out += text[i];
    else if (i === 0 || !hit[i - 1]) out += REDACTED;
  }
  return out;
}

/** Redacts, collapses whitespace, then cuts to `maxLength` characters (never the other way round). */
export function redactedExcerpt(text: string, extraSecrets: readonly string[], maxLength: number): string {
  // Only the start is ever shown; bounding the input keeps redaction cheap on a huge error page.
  const window = text.length > 16_384 ? text.slice(0, 16_384) : text;
  const scrubbed = redactText(window, extraSecrets).replace(/\s+/g, " ").trim();
  if (scrubbed.length <= maxLength) return scrubbed;
  // Never end inside a redaction marker, so a cut "[reda" cannot look like key text.
  let cut = scrubbed.slice(0, maxLength);
  const open = cut.lastIndexOf("[");
  if (open >= 0 && !cut.slice(open).includes("]") && REDACTED.startsWith(cut.slice(open))) cut = cut.slice(0, open);
  return `${cut}…`;
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return "[depth]";
  if (typeof value === "string") return redactText(value);
  if (value instanceof Error) {
    return {
      name: value.name,
      message: redactText(value.message),
      stack: value.stack ? redactText(value.stack) : undefined,
    };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [field, inner] of Object.entries(value)) {
      out[field] = SECRET_FIELD.test(field) ? REDACTED : redact(inner, depth + 1);
    }
    return out;
  }
  return value;
}
