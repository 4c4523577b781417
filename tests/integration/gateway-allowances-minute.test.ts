import { afterEach, describe, expect, it, vi } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { pool } from "@/lib/db/client";
import { returnAllowances, takeAllowance } from "@/lib/gateway/allowances";
import { seedGatewayKey } from "./gateway-support";

// Admission by slices keeps a minute's leftover requests only until 50 ms before the minute ends
// (so they are never spent in the next one). The request whose claim lands in that margin must
// still be admitted by its own grant: it was counted in the minute it was granted in. Before the
// fix every such request claimed three times and failed with a 500 (bench:gateway saw 14-23 per
// run). Only Date is faked, to place this process in the margin of PostgreSQL's current minute.

afterEach(async () => {
  vi.useRealTimers();
  await returnAllowances();
});

async function databaseMinuteStart(): Promise<number> {
  for (;;) {
    const { rows } = await pool.query<{ start: number; left: number }>(
      `SELECT extract(epoch FROM date_trunc('minute', clock_timestamp())) * 1000 AS start,
              extract(epoch FROM date_trunc('minute', clock_timestamp()) + interval '1 minute' - clock_timestamp()) * 1000 AS left`,
    );
    // Far enough from the real boundary that the claims below fall in the same database minute.
    if (Number(rows[0]!.left) > 2_000) return Number(rows[0]!.start);
    await new Promise((resolve) => setTimeout(resolve, Number(rows[0]!.left) + 100));
  }
}

describe("gateway allowances at the end of a minute", () => {
  it("admits limited requests whose claim lands in the minute's last 50 ms", async () => {
    const key = await seedGatewayKey({ rpmLimit: 1_000, tpmLimit: 1_000_000 });
    const month = `${new Date().toISOString().slice(0, 7)}-01`;
    const start = await databaseMinuteStart();
    vi.useFakeTimers({ toFake: ["Date"], now: start + 59_980 });
    const need = {
      keyId: key.id,
      month,
      scopes: [],
      rpm: 1_000,
      tpm: 1_000_000,
      parallel: null,
      tokens: 20,
      amount: new Prisma.Decimal(0),
    };
    const taken = await Promise.all(Array.from({ length: 5 }, () => takeAllowance(need)));
    for (const outcome of taken) expect(outcome).not.toHaveProperty("reason");
    expect(taken).toHaveLength(5);
  });
});
