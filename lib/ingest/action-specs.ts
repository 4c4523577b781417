import "server-only";
import { db } from "@/lib/db/client";
import { writeAudit } from "@/lib/audit/write-audit";
import type { ActionSpec } from "@/lib/actions/define-action";
import { notFound } from "@/lib/errors/domain-error";
import { createIngestTokenSchema, revokeIngestTokenSchema } from "@/lib/ingest/schemas";
import { insertIngestToken } from "@/lib/ingest/tokens";

// Ingest tokens are an admin matter (settings:write): whoever holds one can add spend to the books.

const TOKENS_PATH = "/usage/tokens";

export type CreatedIngestToken = { id: string; name: string; last4: string; token: string };

export const createIngestTokenSpec: ActionSpec<typeof createIngestTokenSchema, CreatedIngestToken> = {
  name: "ingestTokens.create",
  capability: "settings:write",
  schema: createIngestTokenSchema,
  revalidate: [TOKENS_PATH],
  successMessage: "Token created. Copy it now: it is shown only once.",
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const { row, token } = await insertIngestToken({ name: input.name, createdById: actor.id }, tx);
      await writeAudit(
        {
          actor,
          action: "ingest_token.created",
          targetType: "ingest_token",
          targetId: row.id,
          details: { name: row.name, last4: row.last4 },
        },
        tx,
      );
      return { id: row.id, name: row.name, last4: row.last4, token };
    }),
};

export const revokeIngestTokenSpec: ActionSpec<typeof revokeIngestTokenSchema, { name: string; changed: boolean }> = {
  name: "ingestTokens.revoke",
  capability: "settings:write",
  schema: revokeIngestTokenSchema,
  revalidate: [TOKENS_PATH],
  successMessage: (data) =>
    data?.changed ? `${data.name} is revoked: requests with it now get 401.` : "That token was already revoked.",
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      const token = await tx.ingestToken.findUnique({
        where: { id: input.tokenId },
        select: { id: true, name: true, last4: true, revokedAt: true },
      });
      if (!token) throw notFound("Ingest token");
      if (token.revokedAt) return { name: token.name, changed: false };
      await tx.ingestToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
      await writeAudit(
        {
          actor,
          action: "ingest_token.revoked",
          targetType: "ingest_token",
          targetId: token.id,
          details: { name: token.name, last4: token.last4 },
        },
        tx,
      );
      return { name: token.name, changed: true };
    }),
};

export const ingestTokenActionSpecs = [createIngestTokenSpec, revokeIngestTokenSpec] as const;
