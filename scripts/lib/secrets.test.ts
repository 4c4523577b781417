import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

let dataDir: string;
const saved = { ...process.env };

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-secrets-"));
  process.env.CONSOLE_DATA_DIR = dataDir;
  delete process.env.NEXTAUTH_SECRET;
  delete process.env.CONSOLE_MASTER_KEYS;
  vi.resetModules();
});

afterEach(() => {
  process.env = { ...saved };
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function load() {
  return import("./secrets");
}

describe("ensureSecrets", () => {
  it("generates a session secret and a master key once, mode 0600, and reuses them", async () => {
    const { ensureSecrets } = await load();
    const lines: string[] = [];
    const first = ensureSecrets(true, (line) => lines.push(line));
    const second = ensureSecrets(true, (line) => lines.push(line));
    expect(second).toEqual(first);
    expect(lines).toHaveLength(2);
    expect(fs.statSync(path.join(dataDir, "master-keys")).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dataDir, "auth-secret")).mode & 0o777).toBe(0o600);
    expect(first.CONSOLE_MASTER_KEYS).toMatch(/^k\d{8}:[A-Za-z0-9+/]{43}=$/);
  });

  it("refuses to start against an external database without a keyring", async () => {
    const { ensureSecrets } = await load();
    expect(() => ensureSecrets(false, () => undefined)).toThrow(/CONSOLE_MASTER_KEYS is not set/);
    expect(fs.existsSync(path.join(dataDir, "master-keys"))).toBe(false);
  });

  it("refuses a malformed or short keyring with a clear message", async () => {
    const { ensureSecrets } = await load();
    process.env.CONSOLE_MASTER_KEYS = `k1:${Buffer.alloc(16).toString("base64")}`;
    expect(() => ensureSecrets(false, () => undefined)).toThrow(/decodes to 16 bytes; it must be exactly 32/);
    process.env.CONSOLE_MASTER_KEYS = "no-colon-here";
    expect(() => ensureSecrets(false, () => undefined)).toThrow(/must look like "id:base64key"/);
  });

  it("accepts a configured keyring with an older key after the current one", async () => {
    const { ensureSecrets } = await load();
    const key = (byte: number) => Buffer.alloc(32, byte).toString("base64");
    process.env.CONSOLE_MASTER_KEYS = `k2:${key(2)},k1:${key(1)}`;
    expect(ensureSecrets(false, () => undefined).CONSOLE_MASTER_KEYS).toBe(process.env.CONSOLE_MASTER_KEYS);
  });
});
