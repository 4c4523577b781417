// The e2e server's keyring: e2e2 is current, e2e1 is an older key kept for decryption, so the
// re-encryption spec has rows under an old key to move. Shared by playwright.config.ts and specs.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";

export const CURRENT_KEY = { id: "e2e2", key: Buffer.from("NI7EX9pFvpVQSZNqgs/cF3wN2EYMSiDejljDovrbTWk=", "base64") };
export const OLD_KEY = { id: "e2e1", key: Buffer.from("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "base64") };
export const E2E_MASTER_KEYS = [CURRENT_KEY, OLD_KEY].map(({ id, key }) => `${id}:${key.toString("base64")}`).join(",");

// The v1 envelope written out here rather than imported from lib/crypto/seal.ts, so the specs
// check the product's format instead of sharing its code: v1:<keyId>:<base64url(nonce|ciphertext|tag)>.
export function sealWith(master: { id: string; key: Buffer }, plaintext: string, associatedData: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", master.key, nonce);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `v1:${master.id}:${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64url")}`;
}

/** The plaintext, or null when the envelope does not open under the e2e keyring. */
export function openEnvelope(envelope: string, associatedData: string): string | null {
  const [version, keyId, payload] = envelope.split(":");
  const master = [CURRENT_KEY, OLD_KEY].find((candidate) => candidate.id === keyId);
  if (version !== "v1" || !master || !payload) return null;
  const bytes = Buffer.from(payload, "base64url");
  if (bytes.length < 28) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", master.key, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(associatedData, "utf8"));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** The duplicate-detection fingerprint of a key under one master key (HKDF-derived HMAC-SHA256). */
export function fingerprintWith(master: { key: Buffer }, plaintext: string): string {
  const derived = Buffer.from(hkdfSync("sha256", master.key, Buffer.alloc(0), "console-fingerprint-v1", 32));
  return createHmac("sha256", derived).update(plaintext, "utf8").digest("hex");
}

export const providerKeyAssociatedData = (id: string, providerId: string) => `provider_keys:${id}:${providerId}`;
