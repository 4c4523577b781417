// Hostile values inside otherwise valid usage records, posted with a valid ingest token: the
// batch is never a 5xx, each bad record gets its own error, the valid records beside it are
// stored, and nothing is half-saved (every stored row is in the rollups). The known poison values
// from issue #12/#11 are pinned below; then every field of a record gets every hostile value.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { POST } from "@/app/api/v1/usage/route";
import { db } from "@/lib/db/client";
import { repriceUnpriced } from "@/lib/usage/reprice";
import { asJson, eachFieldHostile, hostileFieldOf } from "../support/arbitraries";
import { hostileSeed } from "../support/hostile-seed";
import { createUsageFixture, reconcile, wireRecord, type UsageFixture, type WireRecord } from "./ingest-support";

type Result = {
  index: number;
  id: string | null;
  status: "created" | "duplicate" | "error";
  errors?: Record<string, string[]>;
};
type Summary = { ok: boolean; created: number; duplicates: number; errors: number; results: Result[] };

const RUNS = Number(process.env.HOSTILE_RUNS ?? 30);

async function post(fixture: UsageFixture, records: unknown[]): Promise<{ status: number; body: Summary }> {
  const response = await POST(
    new Request("http://localhost/api/v1/usage", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${fixture.token}` },
      body: JSON.stringify({ records }),
    }),
  );
  const text = await response.text();
  expect(response.status, text.slice(0, 500)).toBe(200);
  return { status: response.status, body: JSON.parse(text) as Summary };
}

type StoredRow = {
  client_record_id: string;
  occurred_at: Date;
  tag: string;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  latency_ms: number;
  ttft_ms: number | null;
  http_status: number | null;
  cost: string | null;
};

async function rowsOf(providerId: string): Promise<Map<string, StoredRow>> {
  const rows = await db.$queryRawUnsafe<StoredRow[]>(
    `SELECT client_record_id, occurred_at, tag, input_tokens, cached_input_tokens, output_tokens, latency_ms, ttft_ms, http_status, cost::text AS cost
     FROM usage_records WHERE provider_id = $1::uuid`,
    providerId,
  );
  return new Map(rows.map((row) => [row.client_record_id, row]));
}

let fixture: UsageFixture;
let expensiveModel: string;

beforeAll(async () => {
  fixture = await createUsageFixture();
  // The largest price a form accepts (12 integer digits): 2e9 input tokens cost ~2e15, past DECIMAL(20,10).
  const model = await db.model.create({
    data: {
      providerId: fixture.providerId,
      modelId: `expensive-${randomUUID().slice(0, 8)}`,
      displayName: "Expensive",
    },
  });
  await db.modelPrice.create({
    data: {
      modelId: model.id,
      inputPerMTok: "999999999999.500000",
      outputPerMTok: "999999999999.500000",
      effectiveFrom: new Date("2025-01-01T00:00:00Z"),
    },
  });
  expensiveModel = model.modelId;
});

describe("known poison records among valid ones", () => {
  test("each is a per-record error naming its field; the valid records are stored with exact costs", async () => {
    const valid = () => wireRecord(fixture, { id: `valid-${randomUUID()}` });
    const base = `poison-${randomUUID()}`;
    const poison: { record: WireRecord; field: string; message?: RegExp }[] = [
      { record: wireRecord(fixture, { occurredAt: "2026-11-20" }), field: "occurredAt", message: /ISO 8601/ },
      { record: wireRecord(fixture, { occurredAt: "2026-11-20T10:15:00" }), field: "occurredAt", message: /time zone/ },
      {
        record: wireRecord(fixture, { occurredAt: "0000-01-01T00:00:00Z" }),
        field: "occurredAt",
        message: /before 1970/,
      },
      {
        record: wireRecord(fixture, { occurredAt: "1969-12-31T23:59:59.999Z" }),
        field: "occurredAt",
        message: /before 1970/,
      },
      { record: wireRecord(fixture, { occurredAt: "2999-01-01T00:00:00Z" }), field: "occurredAt", message: /future/ },
      { record: wireRecord(fixture, { id: `${base}-nul\u0000` }), field: "id", message: /NUL/ },
      { record: wireRecord(fixture, { tag: "tag\u0000" }), field: "tag", message: /NUL/ },
      { record: wireRecord(fixture, { provider: `${fixture.providerName}\u0000` }), field: "provider", message: /NUL/ },
      {
        record: wireRecord(fixture, { model: `${fixture.pricedModel.modelId}\u0000` }),
        field: "model",
        message: /NUL/,
      },
      // Two ids that UTF-8 encoding would both turn into "…\uFFFD": neither may be stored as the other.
      { record: wireRecord(fixture, { id: `${base}-\uD800` }), field: "id", message: /well-formed Unicode/ },
      { record: wireRecord(fixture, { id: `${base}-\uDBFF` }), field: "id", message: /well-formed Unicode/ },
      { record: wireRecord(fixture, { tag: "\uDC00" }), field: "tag", message: /well-formed Unicode/ },
      { record: wireRecord(fixture, { id: `${base}-space ` }), field: "id", message: /whitespace/ },
      { record: wireRecord(fixture, { id: ` ${base}-space` }), field: "id", message: /whitespace/ },
      {
        record: wireRecord(fixture, { model: expensiveModel, inputTokens: 2_000_000_000, cachedInputTokens: 0 }),
        field: "_form",
        message: /cost/,
      },
      { record: wireRecord(fixture, { inputTokens: 2_147_483_648 }), field: "inputTokens" },
      { record: wireRecord(fixture, { latencyMs: 1e21 }), field: "latencyMs" },
      { record: wireRecord(fixture, { cachedInputTokens: "5" }), field: "cachedInputTokens" },
    ];
    // "x" stored, "x " refused: ids are stored exactly, never trimmed into each other.
    const exact = wireRecord(fixture, { id: `${base}-space` });
    const batch: WireRecord[] = [];
    const expected: { index: number; field: string; message?: RegExp }[] = [];
    const validIds: string[] = [];
    for (const item of poison) {
      const before = valid();
      batch.push(before);
      validIds.push(before.id as string);
      expected.push({ index: batch.length, field: item.field, message: item.message });
      batch.push(item.record);
    }
    batch.push(exact);
    validIds.push(exact.id as string);
    // A valid record on the expensive model, to show the model itself still works.
    const cheapOnExpensive = wireRecord(fixture, {
      id: `valid-${randomUUID()}`,
      model: expensiveModel,
      inputTokens: 1,
      cachedInputTokens: 0,
      outputTokens: 1,
    });
    batch.push(cheapOnExpensive);
    validIds.push(cheapOnExpensive.id as string);
    // …up to a full batch of valid records: 1,000 records, as in the report.
    while (batch.length < 1000) {
      const record = valid();
      batch.push(record);
      validIds.push(record.id as string);
    }

    const { body } = await post(fixture, batch);
    expect(body).toMatchObject({ ok: false, created: validIds.length, duplicates: 0, errors: poison.length });
    const byIndex = new Map(body.results.map((result) => [result.index, result]));
    for (const { index, field, message } of expected) {
      const result = byIndex.get(index)!;
      expect(result.status, `record ${index} (${JSON.stringify(batch[index]).slice(0, 120)})`).toBe("error");
      expect(Object.keys(result.errors ?? {}), `record ${index}`).toContain(field);
      if (message) expect(result.errors![field]!.join(" "), `record ${index}`).toMatch(message);
    }
    // The id reported for a refused record is the one sent, untrimmed.
    expect(byIndex.get(expected.find((item) => item.message?.source === "whitespace")!.index)!.id).toBe(
      `${base}-space `,
    );

    const rows = await rowsOf(fixture.providerId);
    for (const id of validIds) expect(rows.has(id), `valid record ${id} stored`).toBe(true);
    expect([...rows.keys()].filter((id) => id.startsWith(base))).toEqual([`${base}-space`]);
    // Exact Decimal costs, computed here: (1000 × 2.5 + 200 × 1.25 + 300 × 10) / 1M, and (1 + 1) × 999999999999.5 / 1M.
    expect(rows.get(validIds[0]!)!.cost).toBe("0.0057500000");
    expect(rows.get(cheapOnExpensive.id as string)!.cost).toBe("1999999.9999990000");
    const totals = await reconcile(fixture.providerId);
    expect(totals.raw.requests).toBe(rows.size);
    expect(totals.hourly).toEqual(totals.raw);
    expect(totals.daily).toEqual(totals.raw);
  });
});

/** What the stored row must hold for a record the API reported created: what was sent, exactly. */
function storedProblems(sent: WireRecord, row: StoredRow | undefined): string[] {
  if (!row) return ["reported created, but no row"];
  const problems: string[] = [];
  if (row.client_record_id !== sent.id) problems.push(`id stored as ${JSON.stringify(row.client_record_id)}`);
  if (row.occurred_at.getTime() !== Date.parse(sent.occurredAt as string))
    problems.push(`occurredAt stored as ${row.occurred_at.toISOString()}`);
  const tag = typeof sent.tag === "string" ? sent.tag.trim() : "";
  if (row.tag !== tag) problems.push(`tag stored as ${JSON.stringify(row.tag)}`);
  for (const [field, column] of [
    ["inputTokens", "input_tokens"],
    ["outputTokens", "output_tokens"],
    ["latencyMs", "latency_ms"],
  ] as const) {
    if (row[column] !== sent[field]) problems.push(`${field} stored as ${row[column]}`);
  }
  if (row.cached_input_tokens !== (sent.cachedInputTokens ?? 0))
    problems.push(`cachedInputTokens stored as ${row.cached_input_tokens}`);
  if (row.ttft_ms !== (sent.ttftMs ?? null)) problems.push(`ttftMs stored as ${row.ttft_ms}`);
  if (row.http_status !== (sent.httpStatus ?? null)) problems.push(`httpStatus stored as ${row.http_status}`);
  return problems;
}

async function sweep(records: { label: string; record: WireRecord }[]): Promise<string[]> {
  const problems: string[] = [];
  const sentinels = [0, 1, 2].map(() => wireRecord(fixture, { id: `sentinel-${randomUUID()}` }));
  const batch = [
    sentinels[0]!,
    ...records.slice(0, records.length / 2).map((r) => r.record),
    sentinels[1]!,
    ...records.slice(records.length / 2).map((r) => r.record),
    sentinels[2]!,
  ];
  const labels = [
    "sentinel",
    ...records.slice(0, records.length / 2).map((r) => r.label),
    "sentinel",
    ...records.slice(records.length / 2).map((r) => r.label),
    "sentinel",
  ];
  const { body } = await post(fixture, batch);
  expect(body.results.map((result) => result.index)).toEqual(batch.map((_, index) => index));
  const rows = await rowsOf(fixture.providerId);
  body.results.forEach((result, index) => {
    const label = labels[index]!;
    if (label === "sentinel") {
      if (result.status !== "created")
        problems.push(`a valid record beside hostile ones was ${result.status}: ${JSON.stringify(result.errors)}`);
      return;
    }
    if (result.status === "error") {
      const messages = Object.values(result.errors ?? {}).flat();
      if (messages.length === 0 || messages.some((message) => typeof message !== "string" || !message))
        problems.push(`${label}: error without a message`);
    } else if (result.status === "created") {
      for (const problem of storedProblems(batch[index]!, rows.get(batch[index]!.id as string)))
        problems.push(`${label}: ${problem}`);
    } else if (!rows.has(batch[index]!.id as string)) {
      problems.push(`${label}: reported duplicate, but no row has its id`);
    }
  });
  return problems;
}

describe("every field of a record × every hostile value, with a valid token", () => {
  test("never a 5xx; an error with a message, or stored exactly as sent; the valid records beside them stored; rollups equal raw rows", async () => {
    const base = wireRecord(fixture);
    const variants = eachFieldHostile(base).flatMap((variant) => {
      const json = asJson(variant.input);
      if (!json.ok) return [];
      const record = json.value as WireRecord;
      // A fresh id per record unless the id is what is being tried, so records never collide by accident.
      if (variant.field !== "id" && typeof record === "object" && record) record.id = `sweep-${randomUUID()}`;
      return [{ label: variant.label, record }];
    });
    expect(variants.length).toBeGreaterThan(900);
    const problems: string[] = [];
    // Batches of at most 200 (each well under the 2 MB body limit, even with the 100,000-character strings).
    for (let start = 0; start < variants.length; start += 200)
      problems.push(...(await sweep(variants.slice(start, start + 200))));
    expect(problems).toEqual([]);
    const totals = await reconcile(fixture.providerId);
    expect(totals.hourly).toEqual(totals.raw);
    expect(totals.daily).toEqual(totals.raw);
    console.info(JSON.stringify({ hostileIngestFieldVariants: variants.length }));
  }, 120_000);

  test("random hostile fields (HOSTILE_SEED) in valid records: the same", async () => {
    const base = wireRecord(fixture);
    await fc.assert(
      fc.asyncProperty(fc.array(hostileFieldOf(base), { minLength: 1, maxLength: 8 }), async (variants) => {
        const records = variants.flatMap((variant) => {
          const json = asJson(variant.input);
          if (!json.ok) return [];
          const record = json.value as WireRecord;
          if (variant.field !== "id") record.id = `random-${randomUUID()}`;
          return [{ label: variant.label, record }];
        });
        expect(await sweep(records)).toEqual([]);
      }),
      { numRuns: RUNS, seed: hostileSeed() },
    );
    const totals = await reconcile(fixture.providerId);
    expect(totals.hourly).toEqual(totals.raw);
  }, 120_000);
});

describe("a price added later that would overflow a stored record's cost", () => {
  test("repricing leaves that record unpriced and prices the rest, instead of failing as a whole", async () => {
    const model = await db.model.create({
      data: { providerId: fixture.providerId, modelId: `later-${randomUUID().slice(0, 8)}`, displayName: "Later" },
    });
    const big = wireRecord(fixture, {
      id: `big-${randomUUID()}`,
      model: model.modelId,
      inputTokens: 2_000_000_000,
      cachedInputTokens: 0,
      outputTokens: 0,
    });
    const small = wireRecord(fixture, {
      id: `small-${randomUUID()}`,
      model: model.modelId,
      inputTokens: 2,
      cachedInputTokens: 0,
      outputTokens: 0,
    });
    const { body } = await post(fixture, [big, small]);
    expect(body).toMatchObject({ created: 2, errors: 0 });
    await db.modelPrice.create({
      data: {
        modelId: model.id,
        inputPerMTok: "999999999999.500000",
        outputPerMTok: "1.000000",
        effectiveFrom: new Date("2025-01-01T00:00:00Z"),
      },
    });
    const result = await repriceUnpriced(model.id);
    // 2 × 999999999999.5 / 1M, computed here.
    expect(result).toEqual({ repriced: 1, cost: "1999999.9999990000", stillUnpriced: 1 });
    const rows = await rowsOf(fixture.providerId);
    expect(rows.get(big.id as string)!.cost).toBeNull();
    const totals = await reconcile(fixture.providerId);
    expect(totals.hourly).toEqual(totals.raw);
    expect(totals.daily).toEqual(totals.raw);
  });
});
