import "server-only";
import { Client } from "pg";
import { pool } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";

// Route target health shared by every instance (target_cooldowns, functions in migration
// 20261202050500). A healthy target costs no database call: each instance keeps a snapshot of the
// targets that have failed, refreshed every GATEWAY_COOLDOWN_REFRESH_MS (250 ms) and at once when
// any instance opens a cooldown (LISTEN gateway_cooldown). A target with failures goes through
// gateway_target_claim, which lets exactly one caller across the deployment probe it once its
// cooldown is over (half-open), and skips it for everyone else.

type TargetState = { failures: number; openUntil: number | null };

const snapshot = new Map<string, TargetState>();
let timer: NodeJS.Timeout | undefined;
let listener: Client | undefined;

export const targetKey = (providerId: string, modelId: string) => `${providerId}:${modelId}`;

async function refresh(): Promise<void> {
  const { rows } = await pool.query<{ target_key: string; failures: number; open_until: Date | null }>({
    name: "gateway-cooldowns",
    text: "SELECT target_key, failures, open_until FROM target_cooldowns WHERE failures > 0 OR open_until IS NOT NULL",
  });
  snapshot.clear();
  for (const row of rows)
    snapshot.set(row.target_key, { failures: row.failures, openUntil: row.open_until?.getTime() ?? null });
}

export type Claim = "ok" | "probe" | "skip";

/** Whether this request may try the target now. */
export async function claimTarget(key: string, probeMs: number): Promise<Claim> {
  const state = snapshot.get(key);
  if (!state) return "ok";
  // Still cooling down by this instance's own clock: skip without asking.
  if (state.openUntil !== null && state.openUntil > Date.now() + 50) return "skip";
  const { rows } = await pool.query<{ claim: Claim }>({
    name: "gateway-target-claim",
    text: "SELECT gateway_target_claim($1, $2) AS claim",
    values: [key, Math.max(1000, Math.round(probeMs))],
  });
  return rows[0]?.claim ?? "ok";
}

/** An attempt's result; healthy targets that succeed write nothing. */
export async function reportTarget(
  key: string,
  ids: { providerId: string; modelId: string },
  ok: boolean,
  settings: { failures: number; cooldownSeconds: number },
  errorClass: string | null,
): Promise<void> {
  if (ok && !snapshot.has(key)) return;
  const { rows } = await pool.query<{ failures: number; open_until: Date | null }>({
    name: "gateway-target-result",
    text: "SELECT failures, open_until FROM gateway_target_result($1, $2, $3, $4, $5, $6, $7)",
    values: [key, ids.providerId, ids.modelId, ok, settings.failures, settings.cooldownSeconds * 1000, errorClass],
  });
  const row = rows[0];
  if (!row || (row.failures === 0 && row.open_until === null)) snapshot.delete(key);
  else snapshot.set(key, { failures: row.failures, openUntil: row.open_until?.getTime() ?? null });
}

export function startCooldownRefresh(intervalMs = Number(process.env.GATEWAY_COOLDOWN_REFRESH_MS ?? 250)): void {
  if (timer) return;
  const tick = () =>
    void refresh()
      .catch((error: unknown) => logger.warn("gateway cooldown refresh failed", { error }))
      .finally(() => {
        timer = setTimeout(tick, intervalMs);
        timer.unref();
      });
  tick();
  if (!process.env.DATABASE_URL) return;
  listener = new Client({ connectionString: process.env.DATABASE_URL });
  listener.on("error", (error) => logger.warn("gateway cooldown listener error", { error }));
  listener.on("notification", () => void refresh().catch(() => undefined));
  listener
    .connect()
    .then(() => listener?.query("LISTEN gateway_cooldown"))
    .catch((error: unknown) => logger.warn("gateway cooldown listener could not start (polling only)", { error }));
}

export async function stopCooldownRefresh(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = undefined;
  await listener?.end().catch(() => undefined);
  listener = undefined;
}
