// The fingerprint that "a refused request wrote nothing" rests on must notice a change in any column
// of any table, including tables without updated_at and changes that keep the row count.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db/client";
import { dbFingerprint, UNHASHED_COLUMNS, UNHASHED_TABLES } from "../support/db-fingerprint";

describe("dbFingerprint", () => {
  test("an unchanged database gives the same fingerprint twice", async () => {
    expect(await dbFingerprint()).toBe(await dbFingerprint());
  });

  test("a revoke (one column, no updated_at, same row count) changes it", async () => {
    const token = await db.ingestToken.create({ data: { name: "fp", tokenHash: randomUUID(), last4: "abcd" } });
    const before = await dbFingerprint();
    await db.ingestToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    expect(await dbFingerprint()).not.toBe(before);
    await db.ingestToken.delete({ where: { id: token.id } });
  });

  test("a rewritten value in a table with updated_at, keeping updated_at, changes it", async () => {
    const user = await db.user.create({ data: { email: `fp-${randomUUID()}@example.test`, passwordHash: "x" } });
    const before = await dbFingerprint();
    // Raw SQL so @updatedAt is not bumped: only the content differs.
    await db.$executeRawUnsafe(`UPDATE users SET password_hash = 'y' WHERE id = $1::uuid`, user.id);
    expect(await dbFingerprint()).not.toBe(before);
    await db.user.delete({ where: { id: user.id } });
  });

  test("a delete and an insert that keep the row count and the content change it", async () => {
    const user = await db.user.create({ data: { email: `fp-${randomUUID()}@example.test`, passwordHash: "x" } });
    const before = await dbFingerprint();
    // The same row deleted and inserted again in one statement: same count, same text.
    await db.$executeRawUnsafe(
      `WITH gone AS (DELETE FROM users WHERE id = $1::uuid RETURNING *) INSERT INTO users SELECT * FROM gone`,
      user.id,
    );
    expect(await dbFingerprint()).not.toBe(before);
    await db.user.delete({ where: { id: user.id } });
  });

  test("every table is hashed except the ones named as changing on refused requests", async () => {
    const tables = await db.$queryRawUnsafe<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const hashed = (await dbFingerprint()).split(";").map((part) => part.split("=")[0]);
    const expected = tables.map((row) => row.table_name).filter((name) => !UNHASHED_TABLES.has(name));
    expect(hashed.sort()).toEqual(expected.sort());
    expect([...UNHASHED_TABLES]).toEqual(["rate_limits"]);
    expect([...UNHASHED_COLUMNS]).toEqual(["ingest_tokens.last_used_at"]);
  });

  test("a left-out column is ignored, the rest of its row is not", async () => {
    const token = await db.ingestToken.create({ data: { name: "fp2", tokenHash: randomUUID(), last4: "abcd" } });
    const before = await dbFingerprint();
    await db.ingestToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } });
    expect(await dbFingerprint()).toBe(before);
    await db.ingestToken.update({ where: { id: token.id }, data: { name: "fp3" } });
    expect(await dbFingerprint()).not.toBe(before);
    await db.ingestToken.delete({ where: { id: token.id } });
  });
});
