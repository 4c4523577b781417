import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateMasterKeyEntry } from "@/lib/crypto/keyring";
import { canOpen, envelopeKeyId, fingerprint, open, seal, UndecryptableError } from "@/lib/crypto/seal";

const K1 = generateMasterKeyEntry("k1");
const K2 = generateMasterKeyEntry("k2");
const AAD = "provider_keys:row-1:provider-1";
let saved: string | undefined;

beforeEach(() => {
  saved = process.env.CONSOLE_MASTER_KEYS;
  process.env.CONSOLE_MASTER_KEYS = K1;
});
afterEach(() => {
  process.env.CONSOLE_MASTER_KEYS = saved;
});

function flipByte(envelope: string, index: number): string {
  const [version, keyId, payload] = envelope.split(":") as [string, string, string];
  const bytes = Buffer.from(payload, "base64url");
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return `${version}:${keyId}:${bytes.toString("base64url")}`;
}

describe("seal/open", () => {
  it("round-trips and names the sealing key in the envelope", () => {
    const sealed = seal("sk-secret-value", AAD);
    expect(sealed.envelope.startsWith("v1:k1:")).toBe(true);
    expect(sealed.envelope).not.toContain("sk-secret-value");
    expect(envelopeKeyId(sealed.envelope)).toBe("k1");
    expect(open(sealed.envelope, AAD)).toBe("sk-secret-value");
  });

  it("fails on a flipped byte anywhere: nonce, ciphertext or tag", () => {
    const { envelope } = seal("sk-secret-value", AAD);
    const length = Buffer.from(envelope.split(":")[2]!, "base64url").length;
    for (const index of [0, 11, 12, 20, length - 1]) {
      expect(() => open(flipByte(envelope, index), AAD)).toThrow(UndecryptableError);
      expect(canOpen(flipByte(envelope, index), AAD)).toBe(false);
    }
  });

  it("fails when the ciphertext is moved to another row (other associated data)", () => {
    const { envelope } = seal("sk-secret-value", AAD);
    expect(() => open(envelope, "provider_keys:row-2:provider-1")).toThrow(/failed authentication/);
    expect(() => open(envelope, "provider_keys:row-1:provider-2")).toThrow(UndecryptableError);
  });

  it("fails with a typed error for an unknown key id or a malformed envelope", () => {
    const { envelope } = seal("x", AAD);
    process.env.CONSOLE_MASTER_KEYS = K2;
    const error = (() => {
      try {
        open(envelope, AAD);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UndecryptableError);
    expect((error as UndecryptableError).reason).toBe("unknown-key");
    expect(() => open("garbage", AAD)).toThrow(UndecryptableError);
    expect(() => open("v1:k2:AAAA", AAD)).toThrow(UndecryptableError);
  });

  it("decrypts with an older key after the keyring gains a new current key", () => {
    const { envelope } = seal("sk-old", AAD);
    process.env.CONSOLE_MASTER_KEYS = `${K2},${K1}`;
    expect(open(envelope, AAD)).toBe("sk-old");
    expect(seal("sk-new", AAD).keyId).toBe("k2");
  });

  it("never repeats a nonce over 100k encryptions", () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 100_000; i += 1) {
      const payload = seal("same plaintext", AAD).envelope.split(":")[2]!;
      nonces.add(Buffer.from(payload, "base64url").subarray(0, 12).toString("hex"));
    }
    expect(nonces.size).toBe(100_000);
  }, 120_000);
});

describe("fingerprint", () => {
  it("is deterministic per master key, differs between keys and never contains the secret", () => {
    process.env.CONSOLE_MASTER_KEYS = `${K2},${K1}`;
    expect(fingerprint("sk-a")).toBe(fingerprint("sk-a", "k2"));
    expect(fingerprint("sk-a")).not.toBe(fingerprint("sk-b"));
    expect(fingerprint("sk-a", "k1")).not.toBe(fingerprint("sk-a", "k2"));
    expect(fingerprint("sk-a")).toMatch(/^[0-9a-f]{64}$/);
  });
});
