import { randomBytes, randomUUID } from "node:crypto";
import { test, expect } from "@playwright/test";
import { query } from "./support/db";
import { createUser } from "./support/factories";
import { signInViaApi } from "./support/auth";
import {
  CURRENT_KEY,
  OLD_KEY,
  fingerprintWith,
  openEnvelope,
  providerKeyAssociatedData,
  sealWith,
} from "./support/master-keys";

// Re-encryption with two master keys (playwright.config.ts: e2e2 current, e2e1 older): rows sealed
// under e2e1 must end up under e2e2 with the same secret, and the page must report exactly the
// rows it moved and the ones that could not be opened (other specs leave some of those behind).

type KeyRow = { id: string; provider_id: string; ciphertext: string; master_key_id: string; fingerprint: string };

test("ADMIN re-encrypts rows under the old master key with the current one; counts move", async ({ page, context }) => {
  const [provider] = await query<{ id: string }>(
    `INSERT INTO providers (id, name, kind, base_url, updated_at) VALUES (gen_random_uuid(), $1, 'openai', 'http://127.0.0.1:9/v1', now()) RETURNING id`,
    [`rewrap-${randomBytes(4).toString("hex")}`],
  );
  const providerId = provider!.id;
  const secrets = new Map<string, string>();
  for (const [index, label] of ["old one", "old two", "old three"].entries()) {
    const id = randomUUID();
    const secret = `sk-rewrap-${randomBytes(12).toString("hex")}`;
    secrets.set(id, secret);
    await query(
      `INSERT INTO provider_keys (id, provider_id, label, ciphertext, master_key_id, last4, fingerprint, status, is_primary)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'ACTIVE', $8)`,
      [
        id,
        providerId,
        label,
        sealWith(OLD_KEY, secret, providerKeyAssociatedData(id, providerId)),
        OLD_KEY.id,
        secret.slice(-4),
        fingerprintWith(OLD_KEY, secret),
        index === 0,
      ],
    );
  }
  // One row under the old key that does not open (tampered): reported, left as it is.
  const tamperedId = randomUUID();
  const tampered = sealWith(
    OLD_KEY,
    "sk-tampered-0123456789",
    providerKeyAssociatedData(tamperedId, "00000000-0000-4000-8000-000000000000"),
  );
  await query(
    `INSERT INTO provider_keys (id, provider_id, label, ciphertext, master_key_id, last4, fingerprint, status, is_primary)
     VALUES ($1, $2, 'tampered', $3, $4, '6789', 'x', 'ACTIVE', false)`,
    [tamperedId, providerId, tampered, OLD_KEY.id],
  );

  // What the run must do, worked out from the database with the spec's own envelope code.
  const before = await query<KeyRow>(
    `SELECT id::text, provider_id::text, ciphertext, master_key_id, fingerprint FROM provider_keys`,
  );
  const toMove = before.filter((row) => row.master_key_id !== CURRENT_KEY.id);
  const opens = toMove.filter(
    (row) => openEnvelope(row.ciphertext, providerKeyAssociatedData(row.id, row.provider_id)) !== null,
  );
  const stuck = toMove.length - opens.length;
  expect(opens.length).toBeGreaterThanOrEqual(3);
  expect(stuck).toBeGreaterThanOrEqual(1);

  const admin = await createUser("ADMIN");
  await signInViaApi(context, admin.email, admin.password);
  await page.goto("/settings");
  await page.getByRole("button", { name: "Re-encrypt with the current master key" }).click();
  await expect(
    page.getByText(`Done with problems: ${stuck} secret(s) could not be decrypted and were left unchanged.`),
  ).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("rewrap-moved")).toHaveText(String(opens.length));
  await expect(page.getByRole("status")).toContainText(`undecryptable: ${stuck}`);
  const underCurrent = before.length - stuck;
  await expect(page.getByRole("status")).toContainText(
    `provider_keys.ciphertext: ${OLD_KEY.id} ${stuck}, ${CURRENT_KEY.id} ${underCurrent}`,
  );

  // The database agrees: the seeded rows are on the current key, hold the same secret, and carry the
  // fingerprint under that key; only the rows that do not open are left on the old one.
  const after = await query<KeyRow>(
    `SELECT id::text, provider_id::text, ciphertext, master_key_id, fingerprint FROM provider_keys WHERE provider_id = $1`,
    [providerId],
  );
  for (const [id, secret] of secrets) {
    const row = after.find((candidate) => candidate.id === id)!;
    expect(row.master_key_id).toBe(CURRENT_KEY.id);
    expect(row.ciphertext.startsWith(`v1:${CURRENT_KEY.id}:`)).toBe(true);
    expect(openEnvelope(row.ciphertext, providerKeyAssociatedData(id, providerId))).toBe(secret);
    expect(row.fingerprint).toBe(fingerprintWith(CURRENT_KEY, secret));
  }
  expect(after.find((row) => row.id === tamperedId)).toMatchObject({ master_key_id: OLD_KEY.id, ciphertext: tampered });
  const counts = await query<{ master_key_id: string; n: string }>(
    `SELECT master_key_id, count(*)::text AS n FROM provider_keys GROUP BY 1 ORDER BY 1`,
  );
  expect(Object.fromEntries(counts.map((row) => [row.master_key_id, Number(row.n)]))).toEqual({
    [OLD_KEY.id]: stuck,
    [CURRENT_KEY.id]: underCurrent,
  });

  // A second run has nothing left to move.
  await page.reload();
  await page.getByRole("button", { name: "Re-encrypt with the current master key" }).click();
  await expect(
    page.getByText(`Done with problems: ${stuck} secret(s) could not be decrypted and were left unchanged.`),
  ).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("rewrap-moved")).toHaveText("0");
});
