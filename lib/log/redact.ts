// Pure redaction used by the logger: keys, tokens, passwords and Authorization headers never
// reach a log line, whatever shape the value has.

const SECRET_FIELD = /pass(word)?|secret|token|api[-_]?key|authorization|cookie|ciphertext|plaintext|^key$/i;

// Provider key shapes (OpenAI sk-..., Anthropic sk-ant-..., Google AIza..., bearer tokens) and
// key-bearing query parameters, for secrets that appear inside free text such as error messages.
const SECRET_PATTERNS: RegExp[] = [
  /\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  /\b(gsk|xai|pc)_[A-Za-z0-9_-]{8,}/g,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /([?&](key|api_key|apikey|token|access_token)=)[^&\s"']+/gi,
];

export const REDACTED = "[redacted]";

export function redactText(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of extraSecrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, ...groups) => {
      const prefix = typeof groups[0] === "string" && /^(Bearer\s+|[?&])/i.test(groups[0]) ? groups[0] : "";
      return `${prefix}${REDACTED}`;
    });
  }
  return out;
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return "[depth]";
  if (typeof value === "string") return redactText(value);
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message), stack: value.stack ? redactText(value.stack) : undefined };
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
