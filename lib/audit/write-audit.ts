import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { redact } from "@/lib/log/redact";

export type AuditInput = {
  actor: { id: string; email: string } | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  details?: Record<string, unknown>;
};

type AuditClient = Pick<Prisma.TransactionClient, "auditEvent">;

/**
 * Writes one audit event. Pass the transaction client so the event commits or rolls back with the
 * change it describes. Details go through redact() as a second line of defence: callers never
 * pass key material, but a field named like a secret is blanked anyway.
 */
export async function writeAudit(input: AuditInput, client: AuditClient = db): Promise<void> {
  await client.auditEvent.create({
    data: {
      actorId: input.actor?.id ?? null,
      actorEmail: input.actor?.email ?? null,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId ?? null,
      details: (redact(input.details ?? {}) ?? {}) as Prisma.InputJsonValue,
    },
  });
}
