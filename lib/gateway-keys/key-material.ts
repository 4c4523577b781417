import { createHash, randomBytes } from "node:crypto";

// Gateway keys: 256 random bits, base64url, behind a recognisable prefix so secret scanners and
// people can tell one apart from a provider key. Only the SHA-256 is stored: the key has full
// entropy, so a fast hash leaves nothing to brute-force and the lookup is an index hit.
export const GATEWAY_KEY_PREFIX = "pcgw-";
const KEY_SHAPE = /^pcgw-[A-Za-z0-9_-]{43}$/;
/** For redaction of free text (logs, errors). */
export const GATEWAY_KEY_PATTERN = /\bpcgw-[A-Za-z0-9_-]{16,}/g;

export function generateGatewayKey(): { key: string; hash: string; last4: string } {
  const key = GATEWAY_KEY_PREFIX + randomBytes(32).toString("base64url");
  return { key, hash: hashGatewayKey(key), last4: key.slice(-4) };
}

export function hashGatewayKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Cheap shape check before any lookup: anything else is not one of ours. */
export function looksLikeGatewayKey(value: string): boolean {
  return KEY_SHAPE.test(value);
}
