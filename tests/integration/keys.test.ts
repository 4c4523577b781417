import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { generateMasterKeyEntry } from "@/lib/crypto/keyring";
import { rewrapAll } from "@/lib/crypto/rewrap";
import { open } from "@/lib/crypto/seal";
import { providerKeyAssociatedData } from "@/lib/crypto/encrypted-columns";
import { invalidateSecretsScan, scanSecrets } from "@/lib/crypto/secrets-health";
import { checkHealth } from "@/lib/health/check-health";
import {
  addKeySpec,
  keyActionSpecs,
  revokeKeySpec,
  rotateKeySpec,
  setPrimaryKeySpec,
  testKeySpec,
} from "@/lib/keys/action-specs";
import { rewrapBatchSpec } from "@/lib/keys/rewrap-action-spec";
import { expireKeys } from "@/lib/keys/expire-keys";
import { keysNeedingAttention, keyStatusByProvider, listProviderKeys } from "@/lib/keys/queries";
import { withDecryptedKey } from "@/lib/keys/with-decrypted-key";
import { createActor } from "../support/actors";

const suffix = () => randomUUID().slice(0, 8);
const secret = () => `sk-test-${randomUUID().replaceAll("-", "")}`;
let admin: Actor;
let fakeProvider: http.Server;
let fakeBaseUrl = "";
// Nothing listens on port 9 (discard): verification fails with a network error.
const UNREACHABLE = "http://127.0.0.1:9/v1";

async function createProvider(baseUrl = UNREACHABLE) {
  return db.provider.create({ data: { name: `keys-${suffix()}`, kind: "openai", baseUrl }, select: { id: true } });
}
const keysOf = (providerId: string) =>
  db.providerKey.findMany({
    where: { providerId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      status: true,
      isPrimary: true,
      retireAt: true,
      revokedAt: true,
      ciphertext: true,
      masterKeyId: true,
    },
  });

async function addKey(providerId: string, apiKey = secret(), extra: Record<string, unknown> = {}) {
  const result = await executeAction(addKeySpec, admin, { providerId, label: `label-${suffix()}`, apiKey, ...extra });
  expect(result.ok, result.message).toBe(true);
  return { id: result.data!.keyId, apiKey };
}

beforeAll(async () => {
  admin = await createActor("ADMIN");
  fakeProvider = http.createServer((request, response) => {
    const ok =
      request.headers.authorization === "Bearer sk-good-key-for-fake-provider" ||
      request.headers.authorization?.startsWith("Bearer sk-good-");
    response.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
    response.end(
      ok
        ? JSON.stringify({ data: [{ id: "gpt-test" }] })
        : JSON.stringify({ error: { message: "Incorrect API key provided" } }),
    );
  });
  await new Promise<void>((resolve) => fakeProvider.listen(0, "127.0.0.1", resolve));
  fakeBaseUrl = `http://127.0.0.1:${(fakeProvider.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => fakeProvider.close(() => resolve())));

describe("adding keys", () => {
  it("seals the key bound to its row, makes the first key primary and never echoes or logs it", async () => {
    const provider = await createProvider();
    const { id, apiKey } = await addKey(provider.id);
    const row = await db.providerKey.findUniqueOrThrow({ where: { id } });
    expect(row.ciphertext).not.toContain(apiKey);
    expect(row.isPrimary).toBe(true);
    expect(row.last4).toBe(apiKey.slice(-4));
    expect(open(row.ciphertext, providerKeyAssociatedData(id, provider.id))).toBe(apiKey);
    const audit = await db.auditEvent.findMany({ where: { targetId: id }, select: { action: true, details: true } });
    expect(audit.map((event) => event.action)).toEqual(["key.added"]);
    expect(JSON.stringify(audit)).not.toContain(apiKey);
    expect(JSON.stringify(audit)).not.toContain(row.ciphertext);

    const list = await listProviderKeys(provider.id);
    expect(list).toHaveLength(1);
    expect(Object.keys(list[0]!)).not.toContain("ciphertext");
    expect(JSON.stringify(list)).not.toContain(apiKey);
    expect(list[0]).toMatchObject({ last4: apiKey.slice(-4), undecryptable: false, createdByEmail: admin.email });
  });

  it("refuses a duplicate with the stored label and keeps the field out of the echoed values", async () => {
    const provider = await createProvider();
    const { apiKey } = await addKey(provider.id, secret(), { label: "Production" });
    const other = await createProvider();
    const result = await executeAction(addKeySpec, admin, { providerId: other.id, label: "Again", apiKey });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('already stored as "Production"');
    expect(result.values).toMatchObject({ label: "Again" });
    expect(JSON.stringify(result)).not.toContain(apiKey);
    const invalid = await executeAction(addKeySpec, admin, {
      providerId: other.id,
      label: "",
      apiKey: "sk-still-secret-value",
    });
    expect(invalid.ok).toBe(false);
    expect(JSON.stringify(invalid)).not.toContain("sk-still-secret-value");
    expect(await db.providerKey.count({ where: { providerId: other.id } })).toBe(0);
  });
});

describe("rotating keys", () => {
  it("changes nothing when verification fails unless save anyway is ticked", async () => {
    const provider = await createProvider();
    const first = await addKey(provider.id);
    const refused = await executeAction(rotateKeySpec, admin, {
      providerId: provider.id,
      label: "next",
      apiKey: secret(),
      graceDays: "7",
    });
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/Verification failed \(network\)/);
    expect((await keysOf(provider.id)).map((key) => key.id)).toEqual([first.id]);

    const saved = await executeAction(rotateKeySpec, admin, {
      providerId: provider.id,
      label: "next",
      apiKey: secret(),
      graceDays: "7",
      saveAnyway: "on",
    });
    expect(saved.ok, saved.message).toBe(true);
    const [old, fresh] = await keysOf(provider.id);
    expect(old).toMatchObject({ id: first.id, status: "RETIRING", isPrimary: false });
    const graceMs = old!.retireAt!.getTime() - Date.now();
    expect(graceMs).toBeGreaterThan(6.9 * 86_400_000);
    expect(graceMs).toBeLessThan(7.1 * 86_400_000);
    expect(fresh).toMatchObject({ status: "ACTIVE", isPrimary: true });
  });

  it("a verified rotation with 0 grace days revokes the old key at once", async () => {
    const provider = await createProvider(fakeBaseUrl);
    const first = await addKey(provider.id);
    const result = await executeAction(rotateKeySpec, admin, {
      providerId: provider.id,
      label: "verified",
      apiKey: `sk-good-${suffix()}xyz`,
      graceDays: 0,
    });
    expect(result.ok, result.message).toBe(true);
    expect(result.message).toBe("Key verified and rotated.");
    const [old, fresh] = await keysOf(provider.id);
    expect(old).toMatchObject({ id: first.id, status: "REVOKED", isPrimary: false });
    expect(old!.revokedAt).not.toBeNull();
    expect(fresh).toMatchObject({ status: "ACTIVE", isPrimary: true });
    const bad = await executeAction(rotateKeySpec, admin, {
      providerId: provider.id,
      label: "bad",
      apiKey: "sk-wrong-key-123456",
      graceDays: 3,
    });
    expect(bad.message).toMatch(/invalid_key/);
    expect(bad.message).not.toContain("sk-wrong-key-123456");
  });

  it("two concurrent rotations leave exactly one active primary", async () => {
    const provider = await createProvider();
    await addKey(provider.id);
    const rotate = () =>
      executeAction(rotateKeySpec, admin, {
        providerId: provider.id,
        label: `r-${suffix()}`,
        apiKey: secret(),
        graceDays: 5,
        saveAnyway: true,
      });
    const results = await Promise.all([rotate(), rotate(), rotate()]);
    expect(results.every((result) => result.ok)).toBe(true);
    const keys = await keysOf(provider.id);
    expect(keys.filter((key) => key.status === "ACTIVE" && key.isPrimary)).toHaveLength(1);
    expect(keys.filter((key) => key.status === "RETIRING")).toHaveLength(3);
  });

  it("the same key added to several providers at the same instant is stored once", async () => {
    const providers = await Promise.all([createProvider(), createProvider(), createProvider()]);
    const apiKey = secret();
    const results = await Promise.all(
      providers.map((provider) =>
        executeAction(addKeySpec, admin, {
          providerId: provider.id,
          label: `same-${suffix()}`,
          apiKey,
          saveAnyway: true,
        }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    for (const refused of results.filter((result) => !result.ok)) expect(refused.message).toMatch(/already stored/);
    const stored = await db.providerKey.count({
      where: { providerId: { in: providers.map((provider) => provider.id) } },
    });
    expect(stored).toBe(1);
  });
});

describe("revoking, primary and expiry", () => {
  it("a revoked key is never used by withDecryptedKey after the revocation commits", async () => {
    const provider = await createProvider();
    const first = await addKey(provider.id);
    const second = await addKey(provider.id);
    expect(
      await withDecryptedKey({ providerId: provider.id }, async (apiKey, key) => ({ apiKey, keyId: key.keyId })),
    ).toEqual({ apiKey: first.apiKey, keyId: first.id });

    const unconfirmed = await executeAction(revokeKeySpec, admin, { keyId: first.id });
    expect(unconfirmed.ok).toBe(false);
    expect((await keysOf(provider.id))[0]!.status).toBe("ACTIVE");

    expect((await executeAction(revokeKeySpec, admin, { keyId: first.id, confirm: "on" })).ok).toBe(true);
    await expect(withDecryptedKey({ keyId: first.id }, async () => "used")).rejects.toThrow(/no usable key/);
    expect(await withDecryptedKey({ providerId: provider.id }, async (_apiKey, key) => key.keyId)).toBe(second.id);
    const row = await db.providerKey.findUniqueOrThrow({ where: { id: second.id }, select: { lastUsedAt: true } });
    expect(row.lastUsedAt).not.toBeNull();
  });

  it("set primary moves the flag; only active keys qualify", async () => {
    const provider = await createProvider();
    const first = await addKey(provider.id);
    const second = await addKey(provider.id);
    expect((await executeAction(setPrimaryKeySpec, admin, { keyId: second.id })).ok).toBe(true);
    const keys = await keysOf(provider.id);
    expect(keys.map((key) => key.isPrimary)).toEqual([false, true]);
    await executeAction(revokeKeySpec, admin, { keyId: first.id, confirm: "on" });
    const refused = await executeAction(setPrimaryKeySpec, admin, { keyId: first.id });
    expect(refused).toMatchObject({ ok: false, message: "Only an active key can be the primary key." });
    const audit = await db.auditEvent.findMany({ where: { targetId: second.id }, select: { action: true } });
    expect(audit.map((event) => event.action)).toContain("key.primary_changed");
  });

  it("keys past expires_at become EXPIRED and retiring keys past retire_at become REVOKED", async () => {
    const provider = await createProvider();
    const first = await addKey(provider.id);
    const second = await addKey(provider.id);
    await db.providerKey.update({ where: { id: first.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await db.providerKey.update({
      where: { id: second.id },
      data: { status: "RETIRING", isPrimary: false, retireAt: new Date(Date.now() - 1000) },
    });
    await expect(withDecryptedKey({ providerId: provider.id }, async () => "used")).rejects.toThrow(/no usable key/);
    await expireKeys();
    const keys = await keysOf(provider.id);
    expect(keys.map((key) => [key.status, key.isPrimary])).toEqual([
      ["EXPIRED", false],
      ["REVOKED", false],
    ]);
    const audit = await db.auditEvent.findMany({
      where: { targetId: { in: [first.id, second.id] }, actorId: null },
      select: { action: true },
    });
    expect(audit.map((event) => event.action).sort()).toEqual(["key.expired", "key.revoked"]);
    const list = await listProviderKeys(provider.id);
    expect(list.map((key) => key.status)).toEqual(expect.arrayContaining(["EXPIRED", "REVOKED"]));
  });

  it("reading key lists sweeps keys that just came due, and writes nothing when none are", async () => {
    const provider = await createProvider();
    const key = await addKey(provider.id);
    await expireKeys();
    const eventsBefore = await db.auditEvent.count({ where: { actorId: null } });
    // Nothing due: the read paths only look (no UPDATE, no audit event).
    await keyStatusByProvider();
    await keysNeedingAttention();
    expect(await db.auditEvent.count({ where: { actorId: null } })).toBe(eventsBefore);
    expect((await keysOf(provider.id))[0]?.status).toBe("ACTIVE");

    await db.providerKey.update({ where: { id: key.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const badges = await keyStatusByProvider();
    expect(badges.get(provider.id)).toMatchObject({ hasActivePrimary: false, expired: 1, active: 0 });
    expect((await keysNeedingAttention()).find((row) => row.id === key.id)).toMatchObject({
      status: "EXPIRED",
      providerId: provider.id,
    });
    const audit = await db.auditEvent.findMany({
      where: { targetId: key.id, actorId: null },
      select: { action: true },
    });
    expect(audit.map((event) => event.action)).toEqual(["key.expired"]);
  });

  it("the health check sweeps a key that came due, and records no event when none is", async () => {
    const provider = await createProvider();
    const key = await addKey(provider.id);
    await expireKeys();
    const eventsBefore = await db.auditEvent.count({ where: { actorId: null } });
    expect((await checkHealth()).status).toBe("ok");
    expect(await db.auditEvent.count({ where: { actorId: null } })).toBe(eventsBefore);

    await db.providerKey.update({ where: { id: key.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await checkHealth();
    expect((await keysOf(provider.id))[0]?.status).toBe("EXPIRED");
    const audit = await db.auditEvent.findMany({
      where: { targetId: key.id, actorId: null },
      select: { action: true },
    });
    expect(audit.map((event) => event.action)).toEqual(["key.expired"]);
  });
});

describe("role refusals", () => {
  it.each(["FINANCE", "VIEWER", "anonymous"] as const)(
    "every key action refuses %s and changes nothing",
    async (role) => {
      const actor = role === "anonymous" ? null : await createActor(role);
      const provider = await createProvider();
      const existing = await addKey(provider.id);
      const inputs: Record<string, unknown> = {
        "keys.add": { providerId: provider.id, label: "x", apiKey: secret() },
        "keys.rotate": { providerId: provider.id, label: "x", apiKey: secret(), graceDays: 1, saveAnyway: true },
        "keys.revoke": { keyId: existing.id, confirm: "on" },
        "keys.setPrimary": { keyId: existing.id },
        "keys.test": { keyId: existing.id },
        "keys.rebind": { keyId: existing.id, password: "any-password", confirm: "on" },
        "keys.returnToRotation": { keyId: existing.id },
        "masterkey.rewrap": {},
      };
      const before = {
        keys: await db.providerKey.findMany({ orderBy: { id: "asc" } }),
        audit: await db.auditEvent.count(),
      };
      for (const spec of keyActionSpecs) {
        expect(inputs[spec.name], spec.name).toBeDefined();
        const result = await executeAction(spec as typeof addKeySpec, actor, inputs[spec.name]);
        expect(result.ok, spec.name).toBe(false);
        expect(result.message, spec.name).toMatch(role === "anonymous" ? /session has ended/ : /role does not allow/);
      }
      expect({
        keys: await db.providerKey.findMany({ orderBy: { id: "asc" } }),
        audit: await db.auditEvent.count(),
      }).toEqual(before);
    },
  );

  it("ADMIN may run the test action", async () => {
    const provider = await createProvider(fakeBaseUrl);
    const { id } = await addKey(provider.id, `sk-good-${suffix()}abcd`);
    const result = await executeAction(testKeySpec, admin, { keyId: id });
    expect(result).toMatchObject({ ok: true, data: { ok: true } });
  });
});

describe("master-key rotation", () => {
  it("K1 → K2,K1 decrypts everything; rewrap moves every row to K2; K2 alone leaves nothing undecryptable", async () => {
    const k1 = process.env.CONSOLE_MASTER_KEYS!;
    const k2 = generateMasterKeyEntry(`k2${suffix().slice(0, 4)}`);
    const k2Id = k2.split(":")[0]!;
    const provider = await createProvider();
    const keys = [await addKey(provider.id), await addKey(provider.id), await addKey(provider.id)];
    try {
      process.env.CONSOLE_MASTER_KEYS = `${k2},${k1}`;
      expect(await withDecryptedKey({ keyId: keys[1]!.id }, async (apiKey) => apiKey)).toBe(keys[1]!.apiKey);
      expect(Object.values(await scanSecrets({ fresh: true })).every((column) => column.undecryptable === 0)).toBe(
        true,
      );

      const summary = await rewrapAll();
      expect(summary.moved).toBeGreaterThanOrEqual(3);
      expect(summary.undecryptable).toBe(0);
      expect(Object.keys(summary.after["provider_keys.ciphertext"]!)).toEqual([k2Id]);
      expect((await rewrapAll()).moved).toBe(0);

      process.env.CONSOLE_MASTER_KEYS = k2;
      const scan = await scanSecrets({ fresh: true });
      expect(scan["provider_keys.ciphertext"]).toMatchObject({ undecryptable: 0, unknownKeyIds: {} });
      for (const key of keys)
        expect(await withDecryptedKey({ keyId: key.id }, async (apiKey) => apiKey)).toBe(key.apiKey);
      // Duplicate detection still works after the fingerprints were recomputed under K2.
      const duplicate = await executeAction(addKeySpec, admin, {
        providerId: provider.id,
        label: "dup",
        apiKey: keys[0]!.apiKey,
      });
      expect(duplicate.message).toMatch(/already stored/);
      // The page's batch action walks the same way and reports counts per key id.
      const batch = await executeAction(rewrapBatchSpec, admin, {});
      expect(batch).toMatchObject({ ok: true, data: { moved: 0, cursor: null, currentKeyId: k2Id } });
    } finally {
      // Leave every row readable under the original keyring for the files that run after this one.
      process.env.CONSOLE_MASTER_KEYS = `${k1},${k2}`;
      await rewrapAll();
    }
  });
});

describe("health", () => {
  it("reports undecryptable rows after tampering and moving, and recovers when fixed", async () => {
    const provider = await createProvider();
    const { id } = await addKey(provider.id);
    const other = await addKey(provider.id);
    const original = await db.providerKey.findUniqueOrThrow({ where: { id }, select: { ciphertext: true } });
    const otherRow = await db.providerKey.findUniqueOrThrow({ where: { id: other.id }, select: { ciphertext: true } });
    const tampered = original.ciphertext.slice(0, -2) + (original.ciphertext.endsWith("A") ? "BA" : "AA");
    try {
      await db.providerKey.update({ where: { id }, data: { ciphertext: tampered } });
      // Moved: another row's valid ciphertext copied over, which its associated data refuses.
      await db.providerKey.update({ where: { id: other.id }, data: { ciphertext: original.ciphertext } });
      invalidateSecretsScan();
      const report = await checkHealth();
      expect(report.status).toBe("degraded");
      const details = (
        report.details?.secrets as { undecryptableSecrets: Record<string, { undecryptable: number; rowIds: string[] }> }
      ).undecryptableSecrets;
      expect(details["provider_keys.ciphertext"]!.rowIds).toEqual(expect.arrayContaining([id, other.id]));
      const list = await listProviderKeys(provider.id);
      expect(list.every((key) => key.undecryptable)).toBe(true);
      // The scan records each newly unreadable row once; a failed use records itself too.
      invalidateSecretsScan();
      await checkHealth();
      expect(await db.auditEvent.count({ where: { targetId: other.id, action: "key.undecryptable" } })).toBe(1);
      await expect(withDecryptedKey({ keyId: id }, async () => "used")).rejects.toThrow(/authentication/);
      expect(await db.auditEvent.count({ where: { targetId: id, action: "key.undecryptable" } })).toBe(2);
    } finally {
      await db.providerKey.update({ where: { id }, data: { ciphertext: original.ciphertext } });
      await db.providerKey.update({ where: { id: other.id }, data: { ciphertext: otherRow.ciphertext } });
      invalidateSecretsScan();
    }
    expect((await checkHealth()).status).toBe("ok");
  });
});
