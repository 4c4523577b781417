// An independent client, as the checker would be: records go through POST /api/v1/usage of
// a real `next start` (with replays, concurrent duplicates and invalid records mixed in), their
// cost is computed here with plain integer arithmetic from the price list (not with our SQL or
// money helpers), and the spend chart CSV, the raw-records CSV and the overview page must all
// reconcile with that known total to the cent (the CSVs exactly, to 1e-10 USD).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generateIngestToken, hashIngestToken } from "@/lib/ingest/token-secret";
import { ensureBuild } from "./faults-support";
import { startIsolatedConsole, type IsolatedConsole } from "./isolated-console";

ensureBuild();

// Prices in USD per million tokens, as decimal strings the way an admin types them.
const MODELS = [
  { modelId: "alpha-large", input: "2.5", output: "10", cached: "1.25" },
  { modelId: "alpha-mini", input: "0.15", output: "0.6", cached: null },
  { modelId: "beta-pro", input: "3.0001", output: "15.0007", cached: "0.3" },
  { modelId: "beta-free", input: null, output: null, cached: null },
] as const;
const PROVIDERS = { "alpha-large": "Alpha", "alpha-mini": "Alpha", "beta-pro": "Beta", "beta-free": "Beta" } as const;
const RECORDS = 2_400;
const BATCH = 400;
const SCALE = 10n ** 10n; // the ledger's scale: 10 decimal places of a dollar

/** "3.0001" → 30001n × 10^-4, as units of 10^-6 USD per million tokens (exact for ≤ 6 decimals). */
function microUsd(price: string): bigint {
  const [whole = "0", fraction = ""] = price.split(".");
  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, "0").slice(0, 6));
}

/**
 * One record's cost in 10^-10 USD, rounded half-up once: Σ tokens × price / 10^6 tokens. With the
 * price in 10^-6 USD the product is in 10^-12 USD, so divide by 100 with rounding.
 */
function expectedCostUnits(record: {
  model: string;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}): bigint | null {
  const model = MODELS.find((m) => m.modelId === record.model)!;
  if (!model.input || !model.output) return null;
  const cachedPrice = microUsd(model.cached ?? model.input);
  const picoUsd =
    BigInt(record.inputTokens - record.cachedInputTokens) * microUsd(model.input) +
    BigInt(record.cachedInputTokens) * cachedPrice +
    BigInt(record.outputTokens) * microUsd(model.output);
  return (picoUsd + 50n) / 100n;
}

function unitsToDecimal(units: bigint): string {
  return `${units / SCALE}.${(units % SCALE).toString().padStart(10, "0")}`;
}

function decimalToUnits(text: string): bigint {
  const [whole = "0", fraction = ""] = text.split(".");
  return BigInt(whole) * SCALE + BigInt(fraction.padEnd(10, "0").slice(0, 10));
}

/** Half-up to cents, formatted like an accountant would write it: "$1,234.57". */
function dollars(units: bigint): string {
  const cents = (units + SCALE / 200n) / (SCALE / 100n);
  const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `$${whole}.${(cents % 100n).toString().padStart(2, "0")}`;
}

function parseCsv(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trim().split("\r\n");
  const columns = head!.split(",");
  // No cell in these exports contains a comma or quote (names and ids are plain here).
  return lines.map((line) => Object.fromEntries(line.split(",").map((cell, i) => [columns[i]!, cell])));
}

// Deterministic pseudo-random numbers, so a failure can be replayed.
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

let server: IsolatedConsole | undefined;
let token = "";
let financeCookie = "";

beforeAll(async () => {
  // A database of its own: the overview sums the whole month, so other files' usage must not be in it.
  server = await startIsolatedConsole("pc_reconcile", "FINANCE", async (prisma) => {
    for (const model of MODELS) {
      const name = PROVIDERS[model.modelId];
      const provider = await prisma.provider.upsert({
        where: { name },
        update: {},
        create: { name, kind: "openai", baseUrl: `https://${name.toLowerCase()}.example/v1` },
        select: { id: true },
      });
      await prisma.model.create({
        data: {
          providerId: provider.id,
          modelId: model.modelId,
          displayName: model.modelId,
          prices:
            model.input && model.output
              ? {
                  create: {
                    inputPerMTok: model.input,
                    outputPerMTok: model.output,
                    cachedInputPerMTok: model.cached,
                    effectiveFrom: new Date("2020-01-01T00:00:00Z"),
                  },
                }
              : undefined,
        },
      });
    }
    token = generateIngestToken();
    await prisma.ingestToken.create({
      data: { name: "independent client", tokenHash: hashIngestToken(token), last4: token.slice(-4) },
    });
  });
  financeCookie = server.cookie;
}, 240_000);

afterAll(async () => {
  await server?.stop();
}, 60_000);

describe("an independent client's known total", () => {
  test("reconciles with the spend CSV, the raw CSV and the overview to the cent, through replays and concurrency", async () => {
    const random = prng(20261126);
    const now = Date.now();
    const monthStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1);
    // This month (for the overview) and the last 30 days (the spend page's default range). Right
    // after a month starts the window is short, down to records all at its first millisecond; no waiting.
    const windowStart = Math.max(monthStart, now - 6 * 3_600_000);
    const records = Array.from({ length: RECORDS }, (_, n) => {
      const model = MODELS[Math.floor(random() * MODELS.length)]!;
      const inputTokens = 1 + Math.floor(random() * 50_000);
      const failed = random() < 0.05;
      return {
        id: `reconcile-${n}-${randomUUID()}`,
        occurredAt: new Date(windowStart + Math.floor(random() * (now - windowStart))).toISOString(),
        provider: PROVIDERS[model.modelId],
        model: model.modelId,
        tag: ["checkout", "search", ""][Math.floor(random() * 3)]!,
        inputTokens,
        cachedInputTokens: random() < 0.4 ? Math.floor(inputTokens * random()) : 0,
        outputTokens: failed ? 0 : Math.floor(random() * 8_000),
        latencyMs: 50 + Math.floor(random() * 5_000),
        status: failed ? "error" : "ok",
        ...(failed ? { errorClass: "rate_limit", httpStatus: 429 } : {}),
      };
    });
    let knownTotal = 0n;
    let knownUnpriced = 0;
    for (const record of records) {
      const cost = expectedCostUnits(record);
      if (cost === null) knownUnpriced += 1;
      else knownTotal += cost;
    }
    expect(knownUnpriced).toBeGreaterThan(0);

    const post = async (batch: unknown[]) => {
      const response = await fetch(`${server!.url}/api/v1/usage`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ records: batch }),
      });
      return {
        status: response.status,
        body: (await response.json()) as { created: number; duplicates: number; errors: number },
      };
    };
    let created = 0;
    let duplicates = 0;
    for (let start = 0; start < RECORDS; start += BATCH) {
      const batch = records.slice(start, start + BATCH);
      // Invalid records ride along: they are reported per record and store nothing.
      const withJunk = [
        ...batch,
        { id: `junk-${start}`, provider: "Alpha", model: "alpha-mini", inputTokens: -5 },
        {
          id: `nope-${start}`,
          provider: "Nobody",
          model: "x",
          occurredAt: new Date().toISOString(),
          inputTokens: 1,
          outputTokens: 1,
          latencyMs: 1,
          status: "ok",
        },
      ];
      // The same batch twice at once, as a client retrying after a timeout would.
      const [first, second] = await Promise.all([post(withJunk), post(withJunk)]);
      for (const answer of [first, second]) {
        expect(answer.status).toBe(200);
        expect(answer.body.errors).toBe(2);
        created += answer.body.created;
        duplicates += answer.body.duplicates;
      }
    }
    // A late replay of the first batch after everything else.
    const replay = await post(records.slice(0, BATCH));
    expect(replay.body).toMatchObject({ created: 0, duplicates: BATCH, errors: 0 });
    expect(created).toBe(RECORDS);
    expect(duplicates).toBe(RECORDS);

    const get = async (path: string) => {
      const response = await fetch(`${server!.url}${path}`, { headers: { cookie: financeCookie } });
      expect(response.status).toBe(200);
      return response.text();
    };

    // The spend chart's CSV (default range: the last 30 days), per provider and per model.
    for (const by of ["provider", "model", "tag"]) {
      const rows = parseCsv(await get(`/api/usage/spend?period=day&by=${by}`));
      const total = rows.reduce((sum, row) => sum + decimalToUnits(row.cost_usd!), 0n);
      expect(unitsToDecimal(total), `spend CSV by ${by}`).toBe(unitsToDecimal(knownTotal));
      expect(rows.reduce((sum, row) => sum + Number(row.requests), 0)).toBe(RECORDS);
      expect(rows.reduce((sum, row) => sum + Number(row.unpriced_requests), 0)).toBe(knownUnpriced);
    }

    // The raw records CSV: every record once, each at the cost computed here.
    const raw = parseCsv(await get(`/api/usage/records`));
    expect(raw).toHaveLength(RECORDS);
    const byClientId = new Map(records.map((record) => [record.id, record]));
    let rawTotal = 0n;
    for (const row of raw) {
      const record = byClientId.get(row.client_record_id!)!;
      const cost = expectedCostUnits(record);
      if (cost === null) {
        expect(row.priced).toBe("unpriced");
        expect(row.cost_usd).toBe("");
      } else {
        expect(row.priced).toBe("yes");
        expect(decimalToUnits(row.cost_usd!)).toBe(cost);
        rawTotal += cost;
      }
    }
    expect(rawTotal).toBe(knownTotal);

    // The overview's month-to-date figure: the known total of the records in the UTC month the page
    // was read in (all of them, unless a month ended while this ran), rounded once, plus the unpriced count.
    const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);
    let readMonth = "";
    let overview = "";
    while (!readMonth) {
      const before = Date.now();
      overview = await get("/");
      if (monthOf(before) === monthOf(Date.now())) readMonth = monthOf(before);
    }
    const inMonth = records.filter((record) => monthOf(Date.parse(record.occurredAt)) === readMonth);
    const monthTotal = inMonth.reduce((sum, record) => sum + (expectedCostUnits(record) ?? 0n), 0n);
    const monthUnpriced = inMonth.filter((record) => expectedCostUnits(record) === null).length;
    const expected = `${dollars(monthTotal)} + ${monthUnpriced.toLocaleString("en-US")} unpriced`;
    expect(overview).toContain(`data-testid="overview-mtd-spend">${expected}<`);
  }, 360_000);
});
