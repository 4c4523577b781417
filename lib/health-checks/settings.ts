import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";

// The singleton row (id 1) holding the health-check schedule and the playground transcript
// switch. A missing row reads as the defaults: checks off, flag after 3 failures, no transcripts.

const settingsSelect = {
  healthCheckIntervalMinutes: true,
  failureThreshold: true,
  storePlaygroundTranscripts: true,
  updatedAt: true,
} satisfies Prisma.TestCallSettingsSelect;

export type TestCallSettingsDto = Prisma.TestCallSettingsGetPayload<{ select: typeof settingsSelect }>;

export const DEFAULT_SETTINGS: TestCallSettingsDto = {
  healthCheckIntervalMinutes: null,
  failureThreshold: 3,
  storePlaygroundTranscripts: false,
  updatedAt: new Date(0),
};

export async function getTestCallSettings(
  client: Pick<Prisma.TransactionClient, "testCallSettings"> = db,
): Promise<TestCallSettingsDto> {
  return (await client.testCallSettings.findUnique({ where: { id: 1 }, select: settingsSelect })) ?? DEFAULT_SETTINGS;
}

export async function saveTestCallSettings(
  tx: Prisma.TransactionClient,
  changes: Partial<
    Pick<TestCallSettingsDto, "healthCheckIntervalMinutes" | "failureThreshold" | "storePlaygroundTranscripts">
  >,
  actorId: string,
): Promise<{ before: TestCallSettingsDto; after: TestCallSettingsDto }> {
  // Row lock (or the insert's unique index) serialises concurrent saves of the singleton.
  await tx.$executeRaw`INSERT INTO test_call_settings (id, updated_at) VALUES (1, now()) ON CONFLICT (id) DO NOTHING`;
  await tx.$queryRaw`SELECT id FROM test_call_settings WHERE id = 1 FOR UPDATE`;
  const before = await getTestCallSettings(tx);
  const after = await tx.testCallSettings.update({
    where: { id: 1 },
    data: { ...changes, updatedById: actorId },
    select: settingsSelect,
  });
  return { before, after };
}
