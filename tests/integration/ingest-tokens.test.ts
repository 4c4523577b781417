import { describe, expect, it } from "vitest";
import { executeAction } from "@/lib/actions/define-action";
import { db } from "@/lib/db/client";
import { authenticateIngestToken } from "@/lib/ingest/tokens";
import { createIngestTokenSpec, revokeIngestTokenSpec } from "@/lib/ingest/action-specs";
import { hashIngestToken } from "@/lib/ingest/token-secret";
import { createActor } from "../support/actors";

describe("ingest token actions", () => {
  it("an admin creates a token shown once, stored only as a hash, and revokes it", async () => {
    const admin = await createActor("ADMIN");
    const created = await executeAction(createIngestTokenSpec, admin, { name: "checkout-service" });
    expect(created.ok).toBe(true);
    const token = created.data!.token;
    const row = await db.ingestToken.findUnique({
      where: { id: created.data!.id },
      select: { tokenHash: true, last4: true },
    });
    expect(row).toEqual({ tokenHash: hashIngestToken(token), last4: token.slice(-4) });
    const audit = await db.auditEvent.findFirst({
      where: { targetId: created.data!.id, action: "ingest_token.created" },
      select: { details: true },
    });
    expect(JSON.stringify(audit?.details)).not.toContain(token);
    expect(await authenticateIngestToken(`Bearer ${token}`)).toBe(created.data!.id);

    const revoked = await executeAction(revokeIngestTokenSpec, admin, { tokenId: created.data!.id });
    expect(revoked).toMatchObject({ ok: true, data: { changed: true } });
    expect(await authenticateIngestToken(`Bearer ${token}`)).toBeNull();
    expect((await executeAction(revokeIngestTokenSpec, admin, { tokenId: created.data!.id })).data).toMatchObject({
      changed: false,
    });
  });

  for (const role of ["FINANCE", "VIEWER"] as const) {
    it(`refuses ${role} creating or revoking tokens and changes nothing`, async () => {
      const admin = await createActor("ADMIN");
      const existing = await executeAction(createIngestTokenSpec, admin, { name: `keep-${role}` });
      const before = await db.ingestToken.count();
      const actor = await createActor(role);
      expect((await executeAction(createIngestTokenSpec, actor, { name: "sneaky" })).ok).toBe(false);
      expect((await executeAction(revokeIngestTokenSpec, actor, { tokenId: existing.data!.id })).ok).toBe(false);
      expect(await db.ingestToken.count()).toBe(before);
      expect(
        await db.ingestToken.findUnique({ where: { id: existing.data!.id }, select: { revokedAt: true } }),
      ).toEqual({ revokedAt: null });
    });
  }

  it("validates the name and answers an unknown token id with not found", async () => {
    const admin = await createActor("ADMIN");
    expect((await executeAction(createIngestTokenSpec, admin, { name: "  " })).fieldErrors?.name).toBeDefined();
    expect(
      await executeAction(revokeIngestTokenSpec, admin, { tokenId: "00000000-0000-4000-8000-000000000000" }),
    ).toMatchObject({ ok: false, message: "Ingest token was not found." });
  });
});
