import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { DEFAULT_SETTINGS } from "@/lib/health-checks/settings";
import { writeNotificationEvent } from "@/lib/notifications/outbox";

// provider.unhealthy / provider.recovered, written in the transaction that moves a provider's
// failure streak across the flag threshold (lib/health-checks/run-store.ts): the event exists
// exactly when the flag the lists show changed. The dedupe key names the health-check result that
// moved it, so each transition is announced once however many instances record results.

type Tx = Prisma.TransactionClient;

export type StreakChange = {
  providerId: string;
  resultId: string;
  before: number;
  after: number;
  ok: boolean;
  errorClass: string | null;
  message: string | null;
};

export async function announceHealthChange(tx: Tx, change: StreakChange): Promise<void> {
  const [row] = await tx.$queryRaw<{ threshold: number; name: string }[]>(Prisma.sql`
    SELECT coalesce((SELECT failure_threshold FROM test_call_settings WHERE id = 1), ${DEFAULT_SETTINGS.failureThreshold}::int) AS threshold,
      (SELECT name FROM providers WHERE id = ${change.providerId}::uuid) AS name`);
  if (!row?.name) return;
  const { threshold } = row;
  const data = { provider_id: change.providerId, provider_name: row.name, threshold };
  if (change.before < threshold && change.after >= threshold) {
    await writeNotificationEvent(tx, {
      kind: "provider.unhealthy",
      severity: "CRITICAL",
      dedupeKey: `provider.unhealthy:${change.providerId}:${change.resultId}`,
      data: {
        ...data,
        consecutive_failures: change.after,
        error_class: change.errorClass,
        message: change.message,
      },
    });
  } else if (change.ok && change.before >= threshold) {
    await writeNotificationEvent(tx, {
      kind: "provider.recovered",
      severity: "INFO",
      dedupeKey: `provider.recovered:${change.providerId}:${change.resultId}`,
      data: { ...data, failures_before: change.before },
    });
  }
}
