import "server-only";
import { db } from "@/lib/db/client";

export type ProviderSummaryData = { total: number; enabled: number; models: number };

export async function getProviderSummary(): Promise<ProviderSummaryData> {
  const [total, enabled, models] = await Promise.all([
    db.provider.count({ where: { archivedAt: null } }),
    db.provider.count({ where: { archivedAt: null, enabled: true } }),
    db.model.count({ where: { provider: { archivedAt: null } } }),
  ]);
  return { total, enabled, models };
}
