import { describe, expect, it } from "vitest";
import { ALL_MODELS, bucketStart, NONE_ID } from "./buckets";
import {
  addEncoded,
  bucketIndex,
  emptyHistogram,
  encodeHistogram,
  histogramTotal,
  mergeIntoEncoded,
} from "./histogram";
import { buildLatencyDeltas, mergeLatencyRow, type LatencySource } from "./latency-deltas";
import { groupLatencyRows, percentilePoints } from "./latency-aggregate";

const PROVIDER = "11111111-1111-4111-8111-111111111111";
const MODEL = "22222222-2222-4222-8222-222222222222";
const base: LatencySource = {
  occurredAt: new Date("2026-11-20T10:15:00Z"),
  providerId: PROVIDER,
  modelId: MODEL,
  latencyMs: 400,
  ttftMs: 120,
  status: "OK",
  errorClass: null,
};
const EMPTY = { requests: 0, errors: 0, errorsByClass: {}, latencyHist: null, ttftHist: null };
const total = (delta: Map<number, number>) => [...delta.values()].reduce((a, b) => a + b, 0);

describe("UTC buckets", () => {
  it("truncates to the UTC hour and day", () => {
    expect(bucketStart(new Date("2026-11-20T10:59:59.999Z"), "hour").toISOString()).toBe("2026-11-20T10:00:00.000Z");
    expect(bucketStart(new Date("2026-11-20T23:59:59.999Z"), "day").toISOString()).toBe("2026-11-20T00:00:00.000Z");
  });
});

describe("latency deltas", () => {
  it("counts requests, errors by class and both histograms per hour, provider and model, and per provider", () => {
    const { hour, day } = buildLatencyDeltas([
      base,
      { ...base, latencyMs: 900, ttftMs: null },
      { ...base, status: "ERROR", errorClass: "rate_limit", modelId: null },
      { ...base, status: "ERROR", errorClass: null },
    ]);
    expect(hour.map((d) => [d.modelId, d.requests, d.errors, d.errorsByClass])).toEqual([
      [NONE_ID, 1, 1, { rate_limit: 1 }],
      [MODEL, 3, 1, { unknown: 1 }],
      [ALL_MODELS, 4, 2, { rate_limit: 1, unknown: 1 }],
    ]);
    expect(day.map((d) => d.bucket)).toEqual(Array(3).fill("2026-11-20T00:00:00.000Z"));
    const model = hour[1]!;
    expect(total(model.latency)).toBe(3);
    expect(total(model.ttft)).toBe(2);
    expect(model.latency.get(bucketIndex(900))).toBe(1);
    expect(total(hour[2]!.latency)).toBe(4);
  });

  it("orders groups by time, provider and model so concurrent batches lock rows in one order", () => {
    const later = { ...base, occurredAt: new Date("2026-11-20T11:00:00Z") };
    const { hour, day } = buildLatencyDeltas([later, base]);
    expect(hour.map((d) => `${d.bucket} ${d.modelId.slice(0, 4)}`)).toEqual([
      "2026-11-20T10:00:00.000Z 2222",
      "2026-11-20T10:00:00.000Z ffff",
      "2026-11-20T11:00:00.000Z 2222",
      "2026-11-20T11:00:00.000Z ffff",
    ]);
    expect(day).toHaveLength(2);
  });

  it("merges a delta into a stored row: counts add, histograms add bucket by bucket", () => {
    const first = buildLatencyDeltas([base, { ...base, status: "ERROR", errorClass: "timeout" }]).day[0]!;
    const stored = mergeLatencyRow({ ...EMPTY, ttftHist: Buffer.alloc(0) }, first);
    const second = buildLatencyDeltas([
      { ...base, latencyMs: 2000 },
      { ...base, latencyMs: 5 },
      { ...base, status: "ERROR", errorClass: "timeout" },
    ]).day[0]!;
    const merged = mergeLatencyRow(stored, second);
    expect(merged).toMatchObject({ requests: 5, errors: 2, errorsByClass: { timeout: 2 } });
    const latency = addEncoded(emptyHistogram(), merged.latencyHist);
    expect([latency[bucketIndex(5)], latency[bucketIndex(400)], latency[bucketIndex(2000)]]).toEqual([1, 3, 1]);
    expect(histogramTotal(latency)).toBe(5);
  });

  it("merges sparse deltas exactly like dense addition", () => {
    const dense = emptyHistogram();
    for (const ms of [1, 1, 99, 150, 150, 8000]) dense[bucketIndex(ms)] = dense[bucketIndex(ms)]! + 1;
    const delta = new Map([
      [bucketIndex(1), 2],
      [bucketIndex(120), 1],
      [bucketIndex(8000), 4],
      [bucketIndex(700_000), 1],
    ]);
    const expected = Float64Array.from(dense);
    for (const [index, count] of delta) expected[index] = expected[index]! + count;
    expect(mergeIntoEncoded(encodeHistogram(dense), delta)).toEqual(encodeHistogram(expected));
    expect(mergeIntoEncoded(null, delta)).toEqual(
      encodeHistogram(addEncoded(emptyHistogram(), mergeIntoEncoded(Buffer.alloc(0), delta))),
    );
  });
});

describe("latency chart points", () => {
  it("merges the models of a provider per period before reading percentiles", () => {
    const a = buildLatencyDeltas(Array.from({ length: 50 }, (_, i) => ({ ...base, latencyMs: 10 + i }))).day[0]!;
    const b = buildLatencyDeltas(Array.from({ length: 50 }, (_, i) => ({ ...base, modelId: null, latencyMs: 60 + i })))
      .day[0]!;
    const row = (delta: typeof a, modelId: string) => {
      const merged = mergeLatencyRow(EMPTY, delta);
      return {
        period: "2026-11-20",
        providerId: PROVIDER,
        modelId,
        requests: merged.requests,
        errors: 0,
        errorsByClass: {},
        latencyHist: merged.latencyHist,
        ttftHist: merged.ttftHist,
      };
    };
    const groups = groupLatencyRows([row(a, MODEL), row(b, NONE_ID)], "provider");
    expect(groups).toHaveLength(1);
    const [point] = percentilePoints(groups, "latency");
    // Values 10..109, all below 100 ms or in 1-2 ms buckets: percentile_cont gives 59.5.
    expect(point).toMatchObject({ count: 100, p50: 59.5 });
    expect(groupLatencyRows([row(a, MODEL), row(b, NONE_ID)], "model")).toHaveLength(2);
  });
});
