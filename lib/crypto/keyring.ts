// Parsing and generating the master keyring. Pure (no server-only) so the start script can
// validate it before the server boots; only lib/crypto/seal.ts ever uses the key bytes.
import { randomBytes } from "node:crypto";

export type MasterKey = { id: string; key: Buffer };
export type Keyring = { current: MasterKey; all: ReadonlyMap<string, Buffer> };

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
export const MASTER_KEY_BYTES = 32;

export class KeyringError extends Error {}

/**
 * Parses `id:base64key[,id:base64key...]`, current key first, older keys after it (used only to
 * decrypt). Each key must decode to exactly 32 bytes; ids must be unique.
 */
export function parseKeyring(text: string): Keyring {
  const entries = text.split(/[,\s]+/).filter(Boolean);
  if (entries.length === 0) throw new KeyringError("CONSOLE_MASTER_KEYS is empty.");
  const all = new Map<string, Buffer>();
  const keys: MasterKey[] = [];
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(":");
    const id = colon > 0 ? entry.slice(0, colon) : "";
    const encoded = colon > 0 ? entry.slice(colon + 1) : "";
    if (!KEY_ID.test(id)) {
      throw new KeyringError(
        `Master key #${index + 1} must look like "id:base64key" with an id of 1-32 letters, digits, "-" or "_".`,
      );
    }
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) {
      throw new KeyringError(`Master key "${id}" is not base64.`);
    }
    const key = Buffer.from(encoded, encoded.includes("-") || encoded.includes("_") ? "base64url" : "base64");
    if (key.length !== MASTER_KEY_BYTES) {
      throw new KeyringError(
        `Master key "${id}" decodes to ${key.length} bytes; it must be exactly ${MASTER_KEY_BYTES} (generate one with \`openssl rand -base64 32\`).`,
      );
    }
    if (all.has(id)) throw new KeyringError(`Master key id "${id}" appears twice.`);
    all.set(id, key);
    keys.push({ id, key });
  }
  return { current: keys[0] as MasterKey, all };
}

export function generateMasterKeyEntry(id = `k${new Date().toISOString().slice(0, 10).replaceAll("-", "")}`): string {
  return `${id}:${randomBytes(MASTER_KEY_BYTES).toString("base64")}`;
}
