// An independent client over HTTP against a real `next start`: batches of valid usage records
// with every known kind of malformed record among them (issues #11/#12). The answer is 200 with
// a per-record error for each bad record, never a 5xx; the valid records are in the database
// with the costs this file computes itself in exact decimal arithmetic (BigInt), not the app's.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generateIngestToken, hashIngestToken } from "@/lib/ingest/token-secret";
import { ensureBuild } from "./faults-support";
import { startIsolatedConsole, type IsolatedConsole } from "./isolated-console";

ensureBuild();

type Price = { input: bigint; cached: bigint; output: bigint }; // micro-dollars per 1M tokens
const PRICE: Price = { input: 2_500_000n, cached: 1_250_000n, output: 10_000_000n }; // $2.50 / $1.25 / $10.00
const HUGE_PRICE = 999_999_999_999_500_000n; // $999,999,999,999.50 per 1M tokens, the most a price field takes

let server: IsolatedConsole | undefined;
let token = "";
const suffix = randomUUID().slice(0, 8);
const providerName = `http-ingest-${suffix}`;
const modelName = `priced-${suffix}`;
const hugeModelName = `huge-${suffix}`;

beforeAll(async () => {
  // A database of its own: the file counts every row of usage_records.
  server = await startIsolatedConsole("pc_ingest_http", "ADMIN", async (prisma) => {
    const provider = await prisma.provider.create({
      data: { name: providerName, kind: "openai", baseUrl: "https://api.openai.example/v1" },
    });
    const model = await prisma.model.create({
      data: { providerId: provider.id, modelId: modelName, displayName: "Priced" },
    });
    const huge = await prisma.model.create({
      data: { providerId: provider.id, modelId: hugeModelName, displayName: "Huge" },
    });
    const micros = (value: bigint) => `${value / 1_000_000n}.${(value % 1_000_000n).toString().padStart(6, "0")}`;
    await prisma.modelPrice.create({
      data: {
        modelId: model.id,
        inputPerMTok: micros(PRICE.input),
        cachedInputPerMTok: micros(PRICE.cached),
        outputPerMTok: micros(PRICE.output),
        effectiveFrom: new Date("2020-01-01T00:00:00Z"),
      },
    });
    await prisma.modelPrice.create({
      data: {
        modelId: huge.id,
        inputPerMTok: micros(HUGE_PRICE),
        outputPerMTok: micros(HUGE_PRICE),
        effectiveFrom: new Date("2020-01-01T00:00:00Z"),
      },
    });
    token = generateIngestToken();
    await prisma.ingestToken.create({
      data: { name: "http test", tokenHash: hashIngestToken(token), last4: token.slice(-4) },
    });
  });
}, 300_000);

afterAll(async () => {
  await server?.stop();
}, 60_000);

/** cost = Σ tokens × price / 1M, rounded half away from zero to 10 places, as text with 10 decimals. */
function expectedCost(inputTokens: number, cachedInputTokens: number, outputTokens: number, price: Price): string {
  // tokens × micro-dollars is 1e-12 dollars; one unit of the 10th decimal is 1e-10 dollars = 100 of them.
  const picos =
    BigInt(inputTokens - cachedInputTokens) * price.input +
    BigInt(cachedInputTokens) * price.cached +
    BigInt(outputTokens) * price.output;
  const tenths = (picos + 50n) / 100n;
  return `${tenths / 10_000_000_000n}.${(tenths % 10_000_000_000n).toString().padStart(10, "0")}`;
}

// A small deterministic generator, so the expected costs vary without depending on the app.
function numbers(seed: number) {
  let state = seed >>> 0;
  return (max: number) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % (max + 1);
  };
}

type Sent = Record<string, unknown>;

function validRecord(next: (max: number) => number, index: number): Sent {
  const inputTokens = next(200_000);
  return {
    id: `http-${suffix}-${index}`,
    occurredAt: new Date(Date.UTC(2026, 0, 1 + next(300), next(23), next(59), next(59), next(999))).toISOString(),
    provider: providerName,
    model: modelName,
    tag: `t${next(3)}`,
    inputTokens,
    cachedInputTokens: next(inputTokens),
    outputTokens: next(50_000),
    latencyMs: next(30_000),
    status: next(9) === 0 ? "error" : "ok",
    ...(next(1) ? { ttftMs: next(2_000) } : {}),
  };
}

async function ingest(records: Sent[]): Promise<{
  status: number;
  body: {
    created: number;
    errors: number;
    duplicates: number;
    results: { index: number; status: string; errors?: Record<string, string[]> }[];
  };
}> {
  const response = await fetch(`${server!.url}/api/v1/usage`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ records }),
  });
  const text = await response.text();
  return { status: response.status, body: text.startsWith("{") ? JSON.parse(text) : { text } };
}

describe("an independent client's batches with malformed records among valid ones, over HTTP", () => {
  test("200 with a per-record error for each malformed record; every valid record stored with its exact Decimal cost", async () => {
    const next = numbers(20261201);
    const malformed: { record: Sent; field: string }[] = [];
    const bad = (field: string, overrides: Sent) =>
      malformed.push({ record: { ...validRecord(next, 100_000 + malformed.length), ...overrides }, field });
    bad("occurredAt", { occurredAt: "2026-11-20" });
    bad("occurredAt", { occurredAt: "2026-11-20 10:15" });
    bad("occurredAt", { occurredAt: "0000-06-01T00:00:00Z" });
    bad("occurredAt", { occurredAt: "1969-07-20T20:17:40Z" });
    bad("id", { id: `nul-${suffix}\u0000` });
    bad("tag", { tag: "a\u0000b" });
    bad("provider", { provider: `${providerName}\u0000` });
    bad("id", { id: `surrogate-${suffix}-\uD800` });
    bad("id", { id: `surrogate-${suffix}-\uDFFF` });
    bad("id", { id: `http-${suffix}-0 ` });
    bad("_form", { model: hugeModelName, inputTokens: 2_000_000_000, cachedInputTokens: 0, outputTokens: 0 });
    bad("inputTokens", { inputTokens: 4_294_967_296 });

    // Three batches of 300 valid records, every malformed kind in each, at spread-out positions.
    const batches: { record: Sent; field: string | null }[][] = [];
    const valid: Sent[] = [];
    for (let b = 0; b < 3; b += 1) {
      const batch: { record: Sent; field: string | null }[] = [];
      for (let i = 0; i < 300; i += 1) {
        const record = validRecord(next, b * 300 + i);
        valid.push(record);
        batch.push({ record, field: null });
      }
      malformed.forEach((item, k) => batch.splice(10 + k * 23, 0, item));
      batches.push(batch);
    }

    for (const batch of batches) {
      const { status, body } = await ingest(batch.map(({ record }) => record));
      expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
      expect(body).toMatchObject({ created: 300, duplicates: 0, errors: malformed.length });
      expect(body.results.map((result) => result.index)).toEqual(batch.map((_, index) => index));
      for (const result of body.results) {
        const { record, field } = batch[result.index]!;
        if (field) {
          expect(result.status, JSON.stringify(record).slice(0, 100)).toBe("error");
          expect(Object.keys(result.errors ?? {}), JSON.stringify(record).slice(0, 100)).toContain(field);
        } else {
          expect(result.status).toBe("created");
        }
      }
    }

    const rows = await server!.prisma.usageRecord.findMany({
      select: {
        clientRecordId: true,
        cost: true,
        occurredAt: true,
        inputTokens: true,
        cachedInputTokens: true,
        outputTokens: true,
      },
    });
    expect(rows.length).toBe(valid.length);
    const byId = new Map(rows.map((row) => [row.clientRecordId, row]));
    let total = 0n;
    for (const record of valid) {
      const row = byId.get(record.id as string);
      expect(row, `valid record ${String(record.id)}`).toBeDefined();
      const cost = expectedCost(
        record.inputTokens as number,
        record.cachedInputTokens as number,
        record.outputTokens as number,
        PRICE,
      );
      expect(row!.cost?.toFixed(10), String(record.id)).toBe(cost);
      expect(row!.occurredAt.toISOString()).toBe(record.occurredAt);
      total += BigInt(cost.replace(".", ""));
    }
    // The rollups the pages read hold the same total to the last decimal.
    const [rollup] = await server!.prisma.$queryRawUnsafe<{ cost: string }[]>(
      "SELECT coalesce(sum(cost_sum), 0)::numeric(30,10)::text AS cost FROM usage_rollup_daily",
    );
    expect(rollup!.cost.replace(".", "").replace(/^0+(?=\d)/, "")).toBe(total.toString());

    // A replay of the same batch: duplicates and the same errors, nothing new stored.
    const replay = await ingest(batches[0]!.map(({ record }) => record));
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ created: 0, duplicates: 300, errors: malformed.length });
    expect(await server!.prisma.usageRecord.count()).toBe(valid.length);
    const log = server!.log();
    expect(log.split("\n").filter((line) => line.includes("⨯") || line.includes('"level":"error"'))).toEqual([]);
  }, 120_000);
});
