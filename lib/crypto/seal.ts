import "server-only";
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { parseKeyring, type Keyring } from "@/lib/crypto/keyring";

// AES-256-GCM envelopes: `v1:<masterKeyId>:<base64url(nonce | ciphertext | tag)>`. The associated
// data binds a ciphertext to its row (e.g. `provider_keys:<id>:<providerId>`), so a value copied
// into another row fails authentication instead of decrypting under the wrong identity.

const VERSION = "v1";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const FINGERPRINT_INFO = "console-fingerprint-v1";

/** A stored secret that cannot be opened: unknown master key id, tampered data or wrong row. */
export class UndecryptableError extends Error {
  constructor(
    public readonly reason: "malformed" | "unknown-key" | "authentication-failed",
    public readonly keyId: string | null,
  ) {
    super(
      reason === "unknown-key"
        ? `This secret was sealed with master key "${keyId}", which is not in CONSOLE_MASTER_KEYS.`
        : reason === "malformed"
          ? "This secret is not a valid envelope."
          : "This secret failed authentication (tampered, or moved from another row).",
    );
    this.name = "UndecryptableError";
  }
}

// Keyed by the env string so a changed CONSOLE_MASTER_KEYS (tests, a restarted process) is re-read.
let cached: { source: string; keyring: Keyring } | undefined;

export function currentKeyring(): Keyring {
  const source = process.env.CONSOLE_MASTER_KEYS ?? "";
  if (cached?.source !== source) cached = { source, keyring: parseKeyring(source) };
  return cached.keyring;
}

export function currentMasterKeyId(): string {
  return currentKeyring().current.id;
}

export type Sealed = { envelope: string; keyId: string };

export function seal(plaintext: string, associatedData: string): Sealed {
  const { current } = currentKeyring();
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", current.key, nonce);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const payload = Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64url");
  return { envelope: `${VERSION}:${current.id}:${payload}`, keyId: current.id };
}

/** The master key id an envelope names, or null when it is not a v1 envelope. */
export function envelopeKeyId(envelope: string): string | null {
  const parts = envelope.split(":");
  return parts.length === 3 && parts[0] === VERSION && parts[1] ? parts[1] : null;
}

function openToBuffer(envelope: string, associatedData: string): Buffer {
  const parts = envelope.split(":");
  if (parts.length !== 3 || parts[0] !== VERSION || !parts[1] || !parts[2])
    throw new UndecryptableError("malformed", null);
  const keyId = parts[1];
  const key = currentKeyring().all.get(keyId);
  if (!key) throw new UndecryptableError("unknown-key", keyId);
  const payload = Buffer.from(parts[2], "base64url");
  if (payload.length < NONCE_BYTES + TAG_BYTES) throw new UndecryptableError("malformed", keyId);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, payload.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(associatedData, "utf8"));
    decipher.setAuthTag(payload.subarray(payload.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(payload.subarray(NONCE_BYTES, payload.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new UndecryptableError("authentication-failed", keyId);
  }
}

/** Decrypts an envelope; throws UndecryptableError, never returns an empty stand-in. */
export function open(envelope: string, associatedData: string): string {
  return openToBuffer(envelope, associatedData).toString("utf8");
}

/** Whether an envelope opens, without keeping the plaintext around (list views, health). */
export function canOpen(envelope: string, associatedData: string): boolean {
  try {
    openToBuffer(envelope, associatedData).fill(0);
    return true;
  } catch (error) {
    if (error instanceof UndecryptableError) return false;
    throw error;
  }
}

/**
 * HMAC-SHA256 of a secret under a key derived (HKDF, separate info label) from a master key, so
 * duplicates are found without storing or comparing key material. The fingerprint is computed
 * with the same master key that sealed the row (the row's master_key_id) and recomputed by
 * rewrap, which decrypts anyway: that keeps it stable per row without a second long-lived secret.
 * Duplicate checks compute it under every key in the keyring (see fingerprintsForLookup).
 */
export function fingerprint(plaintext: string, keyId = currentKeyring().current.id): string {
  const masterKey = currentKeyring().all.get(keyId);
  if (!masterKey) throw new UndecryptableError("unknown-key", keyId);
  const derived = Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), FINGERPRINT_INFO, 32));
  return createHmac("sha256", derived).update(plaintext, "utf8").digest("hex");
}

/** The fingerprint of a secret under each master key, to match rows sealed by any of them. */
export function fingerprintsForLookup(plaintext: string): { keyId: string; fingerprint: string }[] {
  return [...currentKeyring().all.keys()].map((keyId) => ({ keyId, fingerprint: fingerprint(plaintext, keyId) }));
}
