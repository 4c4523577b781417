import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db, pool } from "@/lib/db/client";
import { bearerToken, generateIngestToken, hashIngestToken } from "@/lib/ingest/token-secret";

// Ingest token storage. The plaintext exists only in the return value of createIngestToken (shown
// once); lists and audit rows carry the name and the last four characters.

export const ingestTokenSelect = {
  id: true,
  name: true,
  last4: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} satisfies Prisma.IngestTokenSelect;

export type IngestTokenRow = Prisma.IngestTokenGetPayload<{ select: typeof ingestTokenSelect }>;

type TokenClient = Pick<Prisma.TransactionClient, "ingestToken">;

export async function insertIngestToken(
  input: { name: string; createdById: string | null },
  client: TokenClient = db,
): Promise<{ row: IngestTokenRow; token: string }> {
  const token = generateIngestToken();
  const row = await client.ingestToken.create({
    data: {
      name: input.name,
      tokenHash: hashIngestToken(token),
      last4: token.slice(-4),
      createdById: input.createdById,
    },
    select: ingestTokenSelect,
  });
  return { row, token };
}

export async function listIngestTokens(): Promise<IngestTokenRow[]> {
  return db.ingestToken.findMany({
    select: ingestTokenSelect,
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
  });
}

// last_used_at is informational: refreshed at most once a minute so concurrent batches on one
// token do not queue on its row. Lookup and touch in one round trip (every batch runs this).
const AUTHENTICATE_SQL = `WITH t AS (SELECT id FROM ingest_tokens WHERE token_hash = $1 AND revoked_at IS NULL),
  touched AS (UPDATE ingest_tokens SET last_used_at = now()
    WHERE id IN (SELECT id FROM t) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))
  SELECT id::text FROM t`;

/** The token id for a valid, unrevoked bearer token; null otherwise (the caller answers 401). */
export async function authenticateIngestToken(authorization: string | null): Promise<string | null> {
  const token = bearerToken(authorization);
  if (!token) return null;
  // An equality lookup on the hash: timing reveals nothing useful about a 256-bit secret's hash.
  const { rows } = await pool.query<{ id: string }>(AUTHENTICATE_SQL, [hashIngestToken(token)]);
  return rows[0]?.id ?? null;
}
