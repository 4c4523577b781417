import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";

// What the playground's pickers offer: enabled providers, their chat models, and their usable
// keys as metadata (label, last 4). No ciphertext is selected.

const catalogSelect = {
  id: true,
  name: true,
  kind: true,
  models: {
    where: { enabled: true, type: { not: "EMBEDDING" } },
    select: { id: true, modelId: true, displayName: true },
    orderBy: { displayName: "asc" },
  },
  keys: {
    where: { status: { in: ["ACTIVE", "RETIRING"] } },
    select: { id: true, label: true, last4: true, isPrimary: true, expiresAt: true },
    orderBy: [{ isPrimary: "desc" }, { createdAt: "desc" }],
  },
} satisfies Prisma.ProviderSelect;

type CatalogRow = Prisma.ProviderGetPayload<{ select: typeof catalogSelect }>;

export type PlaygroundProvider = Omit<CatalogRow, "keys"> & {
  keys: { id: string; label: string; last4: string; isPrimary: boolean }[];
};

export async function playgroundCatalog(now: Date = new Date()): Promise<PlaygroundProvider[]> {
  const rows = await db.provider.findMany({
    where: { enabled: true, archivedAt: null },
    select: catalogSelect,
    orderBy: { name: "asc" },
  });
  return rows
    .map(({ keys, ...provider }) => ({
      ...provider,
      keys: keys
        .filter((key) => !key.expiresAt || key.expiresAt > now)
        .map((key) => ({ id: key.id, label: key.label, last4: key.last4, isPrimary: key.isPrimary })),
    }))
    .filter((provider) => provider.models.length > 0);
}
