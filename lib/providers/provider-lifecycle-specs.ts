import "server-only";
import type { ActionSpec } from "@/lib/actions/define-action";
import { conflict, notFound } from "@/lib/errors/domain-error";
import { writeAudit } from "@/lib/audit/write-audit";
import { db } from "@/lib/db/client";
import { snapshot } from "@/lib/providers/audit-diff";
import { lockProvider } from "@/lib/providers/locks";
import { planProviderDelete, providerReferences } from "@/lib/providers/provider-references";
import { providerIdSchema } from "@/lib/providers/schemas";

// Delete (which may archive or refuse, see delete-policy.ts) and restore.

type DeleteOutcome = { outcome: "archived" | "deleted" };

export const deleteProviderSpec = {
  name: "providers.delete",
  capability: "providers:write",
  schema: providerIdSchema,
  handler: async ({ providerId }, actor) =>
    db.$transaction(async (tx): Promise<DeleteOutcome> => {
      const { archived } = await lockProvider(tx, providerId);
      const plan = await planProviderDelete(providerId, tx);
      if (plan.outcome === "refuse") throw conflict(plan.message);
      if (plan.outcome === "archive") {
        if (archived)
          throw conflict(
            "This provider is already archived. It cannot be deleted while revoked keys or usage refer to it.",
          );
        await tx.provider.update({
          where: { id: providerId },
          data: { archivedAt: new Date(), enabled: false },
          select: { id: true },
        });
        const references = await providerReferences(providerId, tx);
        await writeAudit(
          {
            actor,
            action: "provider.archived",
            targetType: "provider",
            targetId: providerId,
            details: { reason: plan.message, references },
          },
          tx,
        );
        return { outcome: "archived" };
      }
      const before = await tx.provider.findUnique({
        where: { id: providerId },
        select: {
          name: true,
          kind: true,
          baseUrl: true,
          tags: true,
          enabled: true,
          _count: { select: { models: true } },
        },
      });
      if (!before) throw notFound("Provider");
      const { _count, ...fields } = before;
      // Models and their prices cascade with the provider row.
      await tx.provider.delete({ where: { id: providerId }, select: { id: true } });
      await writeAudit(
        {
          actor,
          action: "provider.deleted",
          targetType: "provider",
          targetId: providerId,
          details: { before: snapshot(fields), deletedModels: _count.models },
        },
        tx,
      );
      return { outcome: "deleted" };
    }),
  revalidate: (input) => ["/", "/providers", `/providers/${input.providerId}`],
  successMessage: (data) =>
    data?.outcome === "archived" ? "Provider archived: it is disabled and hidden from the list." : "Provider deleted.",
} satisfies ActionSpec<typeof providerIdSchema, DeleteOutcome>;

export const restoreProviderSpec = {
  name: "providers.restore",
  capability: "providers:write",
  schema: providerIdSchema,
  handler: async ({ providerId }, actor) =>
    db.$transaction(async (tx) => {
      const { archived } = await lockProvider(tx, providerId);
      if (!archived) throw conflict("This provider is not archived.");
      // Restored providers stay disabled: an admin turns them on deliberately.
      await tx.provider.update({ where: { id: providerId }, data: { archivedAt: null }, select: { id: true } });
      await writeAudit(
        {
          actor,
          action: "provider.restored",
          targetType: "provider",
          targetId: providerId,
          details: { changes: { archived: { before: true, after: false } } },
        },
        tx,
      );
    }),
  revalidate: (input) => ["/", "/providers", `/providers/${input.providerId}`],
  successMessage: "Provider restored. It is disabled until you enable it.",
} satisfies ActionSpec<typeof providerIdSchema, void>;
