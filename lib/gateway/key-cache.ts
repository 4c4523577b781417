import "server-only";
import { BlockList, isIP } from "node:net";
import { pool } from "@/lib/db/client";
import { hashGatewayKey, looksLikeGatewayKey } from "@/lib/gateway-keys/key-material";
import { limitsIdSql } from "@/lib/gateway-keys/lineage";
import { logger } from "@/lib/log/logger";

// Gateway keys by hash, cached per instance. A change to a key or its team (revoke, rotate, new
// limits) bumps updated_at; every GATEWAY_KEY_REFRESH_MS (default 250 ms) each instance asks for
// rows changed since it last looked and drops them, so a revocation takes effect on every instance
// well within a second. Unknown hashes are remembered for a second too (a flood of wrong keys
// costs one lookup per second per key, not one per request).

export type GatewayKeyRecord = {
  id: string;
  /**
   * The id its monthly budget and rate limits are counted under: its rotation chain's first key
   * (itself unless it replaced another), so a rotation neither resets nor doubles them.
   */
  limitsId: string;
  teamId: string;
  name: string;
  allowedModels: readonly string[];
  monthlyBudgetUsd: string | null;
  teamBudgetUsd: string | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
  maxParallel: number | null;
  allowedIps: BlockList | null;
  expiresAt: number | null;
  /** Rotation grace end: the key works until then. */
  retiresAt: number | null;
  revoked: boolean;
  /** greatest(key.updated_at, team.updated_at) when read: a newer one means the cache is stale. */
  version: number;
};

type Row = {
  id: string;
  limits_id: string;
  team_id: string;
  name: string;
  allowed_models: string[];
  monthly_budget_usd: string | null;
  team_budget_usd: string | null;
  rpm_limit: number | null;
  tpm_limit: number | null;
  max_parallel: number | null;
  allowed_ips: string[];
  expires_at: Date | null;
  retires_at: Date | null;
  status: "ACTIVE" | "REVOKED";
  version: Date;
};

const NEGATIVE_TTL_MS = 1000;
type Entry = { record: GatewayKeyRecord | null; at: number };
const byHash = new Map<string, Entry>();
const hashById = new Map<string, string>();
let watermark = new Date(0);
let timer: NodeJS.Timeout | undefined;

function blockListOf(ranges: readonly string[]): BlockList | null {
  if (ranges.length === 0) return null;
  const list = new BlockList();
  for (const range of ranges) {
    const [address = "", bits] = range.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (!isIP(address)) continue;
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return list;
}

function toRecord(row: Row): GatewayKeyRecord {
  return {
    id: row.id,
    limitsId: row.limits_id,
    teamId: row.team_id,
    name: row.name,
    allowedModels: row.allowed_models,
    monthlyBudgetUsd: row.monthly_budget_usd,
    teamBudgetUsd: row.team_budget_usd,
    rpmLimit: row.rpm_limit,
    tpmLimit: row.tpm_limit,
    maxParallel: row.max_parallel,
    allowedIps: blockListOf(row.allowed_ips),
    expiresAt: row.expires_at?.getTime() ?? null,
    retiresAt: row.retires_at?.getTime() ?? null,
    revoked: row.status === "REVOKED",
    version: row.version.getTime(),
  };
}

const SELECT = `SELECT k.id::text, ${limitsIdSql("k")}::text AS limits_id, k.team_id::text, k.name, k.allowed_models, k.monthly_budget_usd::text,
  t.monthly_budget_usd::text AS team_budget_usd, k.rpm_limit, k.tpm_limit, k.max_parallel, k.allowed_ips,
  k.expires_at, k.retires_at, k.status::text AS status, greatest(k.updated_at, t.updated_at) AS version
  FROM gateway_keys k JOIN teams t ON t.id = k.team_id`;

async function lookup(hash: string): Promise<GatewayKeyRecord | null> {
  const { rows } = await pool.query<Row>({
    name: "gateway-key-by-hash",
    text: `${SELECT} WHERE k.key_hash = $1`,
    values: [hash],
  });
  const row = rows[0];
  return row ? toRecord(row) : null;
}

export type KeyCheck =
  { ok: true; key: GatewayKeyRecord } | { ok: false; status: 401 | 403; message: string; code: string };

const INVALID: KeyCheck = {
  ok: false,
  status: 401,
  message: "Invalid gateway key. Use a key created on the console's Gateway keys page.",
  code: "invalid_api_key",
};

/** The caller's key from `Authorization: Bearer …` or `x-api-key`. */
export function presentedKey(authorization: string | undefined, xApiKey: string | undefined): string | undefined {
  if (authorization && /^bearer\s+/i.test(authorization)) return authorization.replace(/^bearer\s+/i, "").trim();
  return xApiKey?.trim() || undefined;
}

export async function checkGatewayKey(presented: string | undefined, clientAddress: string): Promise<KeyCheck> {
  if (!presented) {
    return {
      ok: false,
      status: 401,
      message: "Missing gateway key: send it as `Authorization: Bearer <key>`.",
      code: "missing_api_key",
    };
  }
  if (!looksLikeGatewayKey(presented)) return INVALID;
  const hash = hashGatewayKey(presented);
  const now = Date.now();
  let entry = byHash.get(hash);
  if (!entry || (entry.record === null && now - entry.at > NEGATIVE_TTL_MS)) {
    entry = { record: await lookup(hash), at: now };
    byHash.set(hash, entry);
    if (entry.record) hashById.set(entry.record.id, hash);
  }
  const key = entry.record;
  if (!key) return INVALID;
  if (key.revoked)
    return { ok: false, status: 401, message: "This gateway key has been revoked.", code: "revoked_api_key" };
  if (key.expiresAt !== null && key.expiresAt <= now)
    return { ok: false, status: 401, message: "This gateway key has expired.", code: "expired_api_key" };
  if (key.retiresAt !== null && key.retiresAt <= now)
    return {
      ok: false,
      status: 401,
      message: "This gateway key was rotated and its grace period has ended.",
      code: "rotated_api_key",
    };
  if (key.allowedIps) {
    const family = isIP(clientAddress) === 6 ? "ipv6" : "ipv4";
    const mapped = clientAddress.startsWith("::ffff:") ? clientAddress.slice(7) : null;
    const allowed =
      key.allowedIps.check(clientAddress, family) || (mapped !== null && key.allowedIps.check(mapped, "ipv4"));
    if (!allowed)
      return {
        ok: false,
        status: 403,
        message: "This gateway key may not be used from this address.",
        code: "address_not_allowed",
      };
  }
  return { ok: true, key };
}

/** Whether the key may call this model (an empty list allows every model). */
export function modelAllowed(key: GatewayKeyRecord, gatewayName: string, bareId: string): boolean {
  return (
    key.allowedModels.length === 0 || key.allowedModels.includes(gatewayName) || key.allowedModels.includes(bareId)
  );
}

// updated_at is stamped when a statement runs, not when it commits: a slow transaction can commit
// a stamp older than one already seen. Looking back OVERLAP_MS each time (and comparing versions,
// so unchanged rows are not dropped) catches those.
const OVERLAP_MS = 5000;

async function refresh(): Promise<void> {
  const since = new Date(watermark.getTime() - OVERLAP_MS);
  const { rows } = await pool.query<{ id: string; version: Date }>(
    `SELECT k.id::text, greatest(k.updated_at, t.updated_at) AS version FROM gateway_keys k JOIN teams t ON t.id = k.team_id
      WHERE k.updated_at > $1 OR t.updated_at > $1`,
    [since],
  );
  for (const row of rows) {
    const hash = hashById.get(row.id);
    const cached = hash ? byHash.get(hash)?.record : undefined;
    if (hash && cached && cached.version !== row.version.getTime()) byHash.delete(hash);
    if (row.version > watermark) watermark = row.version;
  }
}

export function startKeyRefresh(intervalMs = Number(process.env.GATEWAY_KEY_REFRESH_MS ?? 250)): void {
  if (timer) return;
  // Start from the database's clock so no change between now and the first tick is missed.
  const first = pool
    .query<{ now: Date }>("SELECT now() AS now")
    .then(({ rows }) => {
      watermark = rows[0]?.now ?? new Date(0);
    })
    .catch(() => undefined);
  const tick = () =>
    void refresh()
      .catch((error: unknown) => logger.warn("gateway key refresh failed", { error }))
      .finally(() => {
        timer = setTimeout(tick, intervalMs);
        timer.unref();
      });
  void first.then(() => {
    timer = setTimeout(tick, intervalMs);
    timer.unref();
  });
}

export function stopKeyRefresh(): void {
  if (timer) clearTimeout(timer);
  timer = undefined;
}

// last_used_at for the keys page, stamped at most every ten seconds per key and without touching
// updated_at (a raw UPDATE), so it never invalidates the caches above.
const STAMP_EVERY_MS = 10_000;
const stamped = new Map<string, number>();

export function stampKeyUsed(keyId: string): void {
  const now = Date.now();
  if (now - (stamped.get(keyId) ?? 0) < STAMP_EVERY_MS) return;
  stamped.set(keyId, now);
  pool
    .query({
      name: "gateway-key-used",
      text: "UPDATE gateway_keys SET last_used_at = now() WHERE id = $1",
      values: [keyId],
    })
    .catch(() => stamped.delete(keyId));
}
