import { db } from "@/lib/db/client";
import { generateGatewayKey } from "@/lib/gateway-keys/key-material";
import { letters } from "./test-calls-support";

// Teams and gateway keys for gateway tests, written straight to the tables (the console's own
// forms for them are tested in gateway-keys.test.ts).

export type SeededGatewayKey = { id: string; key: string; teamId: string };

export async function seedGatewayKey(
  options: {
    teamId?: string;
    teamBudgetUsd?: string | null;
    monthlyBudgetUsd?: string | null;
    rpmLimit?: number | null;
    tpmLimit?: number | null;
    maxParallel?: number | null;
    allowedModels?: string[];
    allowedIps?: string[];
    expiresAt?: Date | null;
  } = {},
): Promise<SeededGatewayKey> {
  const teamId =
    options.teamId ??
    (
      await db.team.create({
        data: { name: `team-${letters()}`, monthlyBudgetUsd: options.teamBudgetUsd ?? null },
        select: { id: true },
      })
    ).id;
  const material = generateGatewayKey();
  const row = await db.gatewayKey.create({
    data: {
      teamId,
      name: `app-${letters()}`,
      keyHash: material.hash,
      last4: material.last4,
      monthlyBudgetUsd: options.monthlyBudgetUsd ?? null,
      rpmLimit: options.rpmLimit ?? null,
      tpmLimit: options.tpmLimit ?? null,
      maxParallel: options.maxParallel ?? null,
      allowedModels: options.allowedModels ?? [],
      allowedIps: options.allowedIps ?? [],
      expiresAt: options.expiresAt ?? null,
    },
    select: { id: true },
  });
  return { id: row.id, key: material.key, teamId };
}

export async function providerSlug(providerId: string): Promise<string> {
  const row = await db.provider.findUniqueOrThrow({ where: { id: providerId }, select: { slug: true } });
  return row.slug;
}

/** Records the gateway wrote for a key (the writer flushes every 100 ms). */
export async function gatewayUsageOf(gatewayKeyId: string, expected: number, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const rows = await db.usageRecord.findMany({ where: { gatewayKeyId, source: "GATEWAY" }, orderBy: { id: "asc" } });
    if (rows.length >= expected || Date.now() > until) return rows;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
