import "server-only";
import { db } from "@/lib/db/client";
import {
  ENCRYPTED_COLUMNS,
  quoteIdentifier,
  rowFilter,
  selectList,
  toEncryptedRow,
  type EncryptedColumn,
} from "@/lib/crypto/encrypted-columns";
import { currentMasterKeyId, open, seal, UndecryptableError } from "@/lib/crypto/seal";

// Re-seals every registered column's rows under the current master key. Batched with a cursor so
// a page can show progress and a crash resumes where it stopped; idempotent because rows already
// on the current key are skipped; compare-and-set so a row changed meanwhile (e.g. a rotation) is
// left alone rather than overwritten with its old secret.

export type RewrapCursor = { column: number; afterId: string };
export type RewrapBatchResult = {
  moved: number;
  undecryptable: number;
  skippedConcurrent: number;
  next: RewrapCursor | null;
};
export type KeyIdCounts = Record<string, Record<string, number>>;

export const REWRAP_BATCH_SIZE = 200;

export async function countByKeyId(): Promise<KeyIdCounts> {
  const counts: KeyIdCounts = {};
  for (const column of ENCRYPTED_COLUMNS) {
    const keyId = quoteIdentifier(column.keyIdColumn);
    const rows = await db.$queryRawUnsafe<{ key_id: string; n: bigint }[]>(
      `SELECT ${keyId} AS key_id, count(*) AS n FROM ${quoteIdentifier(column.table)}${rowFilter(column, "WHERE")} GROUP BY ${keyId} ORDER BY ${keyId}`,
    );
    counts[column.name] = Object.fromEntries(rows.map((row) => [row.key_id, Number(row.n)]));
  }
  return counts;
}

async function rewrapRow(
  column: EncryptedColumn,
  raw: Record<string, unknown>,
  currentKeyId: string,
): Promise<"moved" | "undecryptable" | "concurrent"> {
  const row = toEncryptedRow(column, raw);
  const associatedData = column.associatedData(row);
  let plaintext: string;
  try {
    plaintext = open(row.ciphertext, associatedData);
  } catch (error) {
    if (error instanceof UndecryptableError) return "undecryptable";
    throw error;
  }
  const sealed = seal(plaintext, associatedData);
  const derived = column.derivedColumns?.(plaintext, currentKeyId) ?? {};
  const sets = [
    `${quoteIdentifier(column.ciphertextColumn)} = $1`,
    `${quoteIdentifier(column.keyIdColumn)} = $2`,
    ...Object.keys(derived).map((name, index) => `${quoteIdentifier(name)} = $${index + 5}`),
  ];
  const changed = await db.$executeRawUnsafe(
    `UPDATE ${quoteIdentifier(column.table)} SET ${sets.join(", ")}
      WHERE ${quoteIdentifier(column.idColumn)}::text = $3 AND ${quoteIdentifier(column.ciphertextColumn)} = $4`,
    sealed.envelope,
    sealed.keyId,
    row.id,
    row.ciphertext,
    ...Object.values(derived),
  );
  return changed === 1 ? "moved" : "concurrent";
}

/** Re-seals up to `limit` rows not on the current key, starting after `cursor`. */
export async function rewrapBatch(cursor: RewrapCursor | null, limit = REWRAP_BATCH_SIZE): Promise<RewrapBatchResult> {
  const currentKeyId = currentMasterKeyId();
  const result: RewrapBatchResult = { moved: 0, undecryptable: 0, skippedConcurrent: 0, next: null };
  let position: RewrapCursor = cursor ?? { column: 0, afterId: "" };
  while (position.column < ENCRYPTED_COLUMNS.length) {
    const column = ENCRYPTED_COLUMNS[position.column]!;
    const id = `${quoteIdentifier(column.idColumn)}::text`;
    const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT ${selectList(column)} FROM ${quoteIdentifier(column.table)}
        WHERE ${quoteIdentifier(column.keyIdColumn)} <> $1 AND ${id} > $2${rowFilter(column, "AND")} ORDER BY ${id} LIMIT $3`,
      currentKeyId,
      position.afterId,
      limit,
    );
    for (const raw of rows) {
      const outcome = await rewrapRow(column, raw, currentKeyId);
      if (outcome === "moved") result.moved += 1;
      else if (outcome === "undecryptable") result.undecryptable += 1;
      else result.skippedConcurrent += 1;
    }
    if (rows.length === limit) {
      result.next = { column: position.column, afterId: String(rows[rows.length - 1]!.id) };
      return result;
    }
    position = { column: position.column + 1, afterId: "" };
  }
  return result;
}

export type RewrapSummary = {
  before: KeyIdCounts;
  after: KeyIdCounts;
  moved: number;
  undecryptable: number;
  skippedConcurrent: number;
  currentKeyId: string;
};

/** Runs batches until every column is done (the CLI and tests; the page drives batches itself). */
export async function rewrapAll(onBatch?: (batch: RewrapBatchResult) => void): Promise<RewrapSummary> {
  const before = await countByKeyId();
  const summary = { moved: 0, undecryptable: 0, skippedConcurrent: 0 };
  let cursor: RewrapCursor | null = null;
  do {
    const batch = await rewrapBatch(cursor);
    summary.moved += batch.moved;
    summary.undecryptable += batch.undecryptable;
    summary.skippedConcurrent += batch.skippedConcurrent;
    onBatch?.(batch);
    cursor = batch.next;
  } while (cursor);
  return { before, after: await countByKeyId(), ...summary, currentKeyId: currentMasterKeyId() };
}
