import "server-only";
import type { ActionSpec } from "@/lib/actions/define-action";
import { notFound } from "@/lib/errors/domain-error";
import { writeAudit } from "@/lib/audit/write-audit";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { changedFields, snapshot } from "@/lib/providers/audit-diff";
import { importDefaultModels } from "@/lib/providers/import-defaults";
import {
  assertNameFree,
  assertSlugFree,
  isUniqueViolationOn,
  lockActiveProvider,
  lockProviderNames,
  slugTaken,
} from "@/lib/providers/locks";
import { createProviderSchema, setProviderEnabledSchema, updateProviderSchema } from "@/lib/providers/schemas";

// Create, edit and enable/disable. Each handler writes and audits in one transaction.

const editableSelect = {
  name: true,
  slug: true,
  baseUrl: true,
  allowInsecure: true,
  description: true,
  region: true,
  tags: true,
} as const;

const providerPaths = (providerId?: string) => ["/", "/providers", ...(providerId ? [`/providers/${providerId}`] : [])];

/** A write the slug pre-check let through but the unique index refused (a writer outside the lock). */
async function withSlugCheck<T>(slug: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (slug && isUniqueViolationOn(error, "slug")) throw slugTaken(slug);
    throw error;
  }
}

export const createProviderSpec = {
  name: "providers.create",
  capability: "providers:write",
  schema: createProviderSchema,
  handler: async ({ importDefaults, ...input }, actor) =>
    withSlugCheck(input.slug, () =>
      db.$transaction(async (tx) => {
        await lockProviderNames(tx);
        await assertNameFree(tx, input.name);
        await assertSlugFree(tx, input.slug);
        // An empty slug is filled in by the database trigger: read back what it chose.
        const provider = await tx.provider.create({ data: input, select: { id: true, slug: true } });
        const importedModels = importDefaults ? await importDefaultModels(tx, provider.id, input.kind, actor.id) : [];
        await writeAudit(
          {
            actor,
            action: "provider.created",
            targetType: "provider",
            targetId: provider.id,
            details: { after: snapshot({ ...input, slug: provider.slug }), importedModels },
          },
          tx,
        );
        return { id: provider.id, slug: provider.slug, importedModels: importedModels.length };
      }),
    ),
  revalidate: () => providerPaths(),
  successMessage: (data) =>
    data?.importedModels ? `Provider created with ${data.importedModels} default models.` : "Provider created.",
} satisfies ActionSpec<typeof createProviderSchema, { id: string; slug: string; importedModels: number }>;

export const updateProviderSpec = {
  name: "providers.update",
  capability: "providers:write",
  schema: updateProviderSchema,
  handler: async ({ providerId, ...input }, actor) =>
    withSlugCheck(input.slug, () =>
      db.$transaction(async (tx) => {
        await lockActiveProvider(tx, providerId);
        await lockProviderNames(tx);
        await assertNameFree(tx, input.name, providerId);
        await assertSlugFree(tx, input.slug, providerId);
        const before = await tx.provider.findUnique({ where: { id: providerId }, select: editableSelect });
        if (!before) throw notFound("Provider");
        const changes = changedFields(before, input);
        if (Object.keys(changes).length === 0) return;
        await tx.provider.update({ where: { id: providerId }, data: input, select: { id: true } });
        await writeAudit(
          { actor, action: "provider.updated", targetType: "provider", targetId: providerId, details: { changes } },
          tx,
        );
        // Keys are only sent to the host they were added for: say how many the move leaves unusable.
        const origin = URL.canParse(input.baseUrl) ? new URL(input.baseUrl).origin : "";
        const unboundKeys = await tx.providerKey.count({
          where: {
            providerId,
            status: { in: ["ACTIVE", "RETIRING"] },
            OR: [{ boundOrigin: null }, { boundOrigin: { not: origin } }],
          },
        });
        // Gateway keys allow models by "<slug>/<model id>": after a rename those entries match nothing.
        const staleGatewayKeys = changes.slug ? await countGatewayKeysNamingSlug(tx, before.slug) : 0;
        return { unboundKeys, staleGatewayKeys };
      }),
    ),
  revalidate: (input) => providerPaths(input.providerId),
  successMessage: (data) =>
    [
      "Provider saved.",
      data?.unboundKeys
        ? `${data.unboundKeys} key(s) were added for another host and will not be sent to the new base URL: enter them again or rebind them.`
        : "",
      data?.staleGatewayKeys
        ? `${data.staleGatewayKeys} gateway key(s) allow models under the old slug: update their allowed models.`
        : "",
    ]
      .filter(Boolean)
      .join(" "),
} satisfies ActionSpec<typeof updateProviderSchema, { unboundKeys: number; staleGatewayKeys: number }>;

async function countGatewayKeysNamingSlug(tx: Prisma.TransactionClient, slug: string): Promise<number> {
  const [row] = await tx.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM gateway_keys
    WHERE status = 'ACTIVE' AND EXISTS (SELECT 1 FROM unnest(allowed_models) AS entry WHERE starts_with(entry, ${`${slug}/`}))`;
  return row?.count ?? 0;
}

export const setProviderEnabledSpec = {
  name: "providers.setEnabled",
  capability: "providers:write",
  schema: setProviderEnabledSchema,
  handler: async ({ providerId, enabled }, actor) =>
    db.$transaction(async (tx) => {
      await lockActiveProvider(tx, providerId);
      const before = await tx.provider.findUnique({ where: { id: providerId }, select: { enabled: true } });
      if (!before) throw notFound("Provider");
      // Repeating a click (or a replayed request) is a no-op, not a second audit event.
      if (before.enabled === enabled) return { enabled };
      await tx.provider.update({ where: { id: providerId }, data: { enabled }, select: { id: true } });
      await writeAudit(
        {
          actor,
          action: enabled ? "provider.enabled" : "provider.disabled",
          targetType: "provider",
          targetId: providerId,
          details: { changes: { enabled: { before: before.enabled, after: enabled } } },
        },
        tx,
      );
      return { enabled };
    }),
  revalidate: (input) => providerPaths(input.providerId),
  successMessage: (data) => (data?.enabled ? "Provider enabled." : "Provider disabled."),
} satisfies ActionSpec<typeof setProviderEnabledSchema, { enabled: boolean }>;
