import "server-only";
import { db } from "@/lib/db/client";
import { registerHealthCheck } from "@/lib/health/check-health";
import {
  ENCRYPTED_COLUMNS,
  quoteIdentifier,
  rowFilter,
  selectList,
  toEncryptedRow,
} from "@/lib/crypto/encrypted-columns";
import { canOpen, currentKeyring } from "@/lib/crypto/seal";
import { writeAudit } from "@/lib/audit/write-audit";
import { expireKeysIfDue } from "@/lib/keys/expire-keys";
import { writeNotificationEvent } from "@/lib/notifications/outbox";

// Counts stored secrets that do not open (tampered, moved, or sealed by a master key missing
// from the keyring) so /api/health reports "degraded" instead of calls failing silently later.

export type ColumnHealth = {
  rows: number;
  undecryptable: number;
  unknownKeyIds: Record<string, number>;
  undecryptableIds: string[];
};
export type SecretsHealth = Record<string, ColumnHealth>;

const CACHE_MS = 15_000;
let cache: { at: number; keyring: string; report: SecretsHealth } | undefined;

export async function scanSecrets(options: { fresh?: boolean } = {}): Promise<SecretsHealth> {
  const keyringSource = process.env.CONSOLE_MASTER_KEYS ?? "";
  if (!options.fresh && cache && cache.keyring === keyringSource && Date.now() - cache.at < CACHE_MS)
    return cache.report;
  const known = currentKeyring().all;
  const report: SecretsHealth = {};
  for (const column of ENCRYPTED_COLUMNS) {
    const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT ${selectList(column)} FROM ${quoteIdentifier(column.table)}${rowFilter(column, "WHERE")}`,
    );
    const health: ColumnHealth = { rows: rows.length, undecryptable: 0, unknownKeyIds: {}, undecryptableIds: [] };
    for (const raw of rows) {
      const row = toEncryptedRow(column, raw);
      if (!known.has(row.keyId)) health.unknownKeyIds[row.keyId] = (health.unknownKeyIds[row.keyId] ?? 0) + 1;
      if (!canOpen(row.ciphertext, column.associatedData(row))) {
        health.undecryptable += 1;
        if (health.undecryptableIds.length < 20) health.undecryptableIds.push(row.id);
      }
    }
    report[column.name] = health;
  }
  cache = { at: Date.now(), keyring: keyringSource, report };
  return report;
}

/** Forgets the cached scan (after a rewrap or a key change the page wants fresh numbers). */
export function invalidateSecretsScan(): void {
  cache = undefined;
}

// Each undecryptable row gets one audit event and one notification (secret.undecryptable) the
// first time a scan sees it, so people learn a secret became unreadable before a call needs it.
export async function auditNewlyUndecryptable(report: SecretsHealth): Promise<void> {
  for (const [name, health] of Object.entries(report)) {
    if (health.undecryptableIds.length === 0) continue;
    const targetType = name === "provider_keys.ciphertext" ? "provider_key" : name;
    const known = await db.auditEvent.findMany({
      where: { action: "key.undecryptable", targetType, targetId: { in: health.undecryptableIds } },
      select: { targetId: true },
    });
    const seen = new Set(known.map((event) => event.targetId));
    for (const id of health.undecryptableIds.filter((rowId) => !seen.has(rowId))) {
      // The notification's unique dedupe key decides, so two instances scanning at once write
      // one event and one audit row.
      await db.$transaction(async (tx) => {
        const event = await writeNotificationEvent(tx, {
          kind: "secret.undecryptable",
          severity: "CRITICAL",
          dedupeKey: `secret.undecryptable:${name}:${id}`,
          data: { column: name, target_type: targetType, row_id: id },
        });
        if (!event) return;
        await writeAudit(
          {
            actor: null,
            action: "key.undecryptable",
            targetType,
            targetId: id,
            details: { column: name, source: "health check" },
          },
          tx,
        );
      });
    }
  }
}

/** The health check body: null when every stored secret opens. Also applies due key expiries. */
export async function secretsHealthProblem(): Promise<Record<string, unknown> | null> {
  // Load balancers poll this every few seconds: one indexed read, the sweep only when a key is due.
  await expireKeysIfDue();
  const report = await scanSecrets();
  await auditNewlyUndecryptable(report);
  const problems: Record<string, unknown> = {};
  for (const [name, health] of Object.entries(report)) {
    if (health.undecryptable > 0 || Object.keys(health.unknownKeyIds).length > 0) {
      problems[name] = {
        undecryptable: health.undecryptable,
        unknownKeyIds: health.unknownKeyIds,
        rowIds: health.undecryptableIds,
      };
    }
  }
  return Object.keys(problems).length ? { undecryptableSecrets: problems } : null;
}

/** The minute job: a scan (cached 15 s) and its first-seen events, without waiting for /api/health. */
export async function announceUndecryptableSecrets(): Promise<void> {
  await auditNewlyUndecryptable(await scanSecrets());
}

registerHealthCheck("secrets", secretsHealthProblem);
