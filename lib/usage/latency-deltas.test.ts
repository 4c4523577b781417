import { describe, expect, it } from "vitest";
import { ALL_MODELS, bucketStart, NONE_ID } from "./buckets";
import { addEncoded, bucketIndex, emptyHistogram, histogramTotal } from "./histogram";
import { buildLatencyDeltas, mergeLatencyRow, type LatencySource } from "./latency-deltas";
import { groupLatencyRows, percentilePoints } from "./latency-aggregate";

const PROVIDER = "11111111-1111-4111-8111-111111111111";
const MODEL = "22222222-2222-4222-8222-222222222222";
const base: LatencySource = { occurredAt: new Date("2026-11-20T10:15:00Z"), providerId: PROVIDER, modelId: MODEL, latencyMs: 400, ttftMs: 120, status: "OK", errorClass: null };

describe("UTC buckets", () => {
  it("truncates to the UTC hour and day", () => {
    expect(bucketStart(new Date("2026-11-20T10:59:59.999Z"), "hour").toISOString()).toBe("2026-11-20T10:00:00.000Z");
    expect(bucketStart(new Date("2026-11-20T23:59:59.999Z"), "day").toISOString()).toBe("2026-11-20T00:00:00.000Z");
  });
});

describe("latency deltas", () => {
  it("counts requests, errors by class and both histograms per hour, provider and model, and per provider", () => {
    const deltas = buildLatencyDeltas(
      [base, { ...base, latencyMs: 900, ttftMs: null }, { ...base, status: "ERROR", errorClass: "rate_limit", modelId: null }, { ...base, status: "ERROR", errorClass: null }],
      "hour",
    );
    expect(deltas.map((d) => [d.modelId, d.requests, d.errors, d.errorsByClass])).toEqual([
      [NONE_ID, 1, 1, { rate_limit: 1 }],
      [MODEL, 3, 1, { unknown: 1 }],
      [ALL_MODELS, 4, 2, { rate_limit: 1, unknown: 1 }],
    ]);
    expect(histogramTotal(deltas[2]!.latency)).toBe(4);
    const model = deltas[1]!;
    expect(histogramTotal(model.latency)).toBe(3);
    expect(histogramTotal(model.ttft)).toBe(2);
    expect(model.latency[bucketIndex(900)]).toBe(1);
  });

  it("orders groups by time, provider and model so concurrent batches lock rows in one order", () => {
    const later = { ...base, occurredAt: new Date("2026-11-20T11:00:00Z") };
    expect(buildLatencyDeltas([later, base], "hour").map((d) => `${d.bucket} ${d.modelId.slice(0, 4)}`)).toEqual([
      "2026-11-20T10:00:00.000Z 2222", "2026-11-20T10:00:00.000Z ffff", "2026-11-20T11:00:00.000Z 2222", "2026-11-20T11:00:00.000Z ffff",
    ]);
    expect(buildLatencyDeltas([later, base], "day")).toHaveLength(2);
  });

  it("merges a delta into a stored row: counts add, histograms add bucket by bucket", () => {
    const [first] = buildLatencyDeltas([base, { ...base, status: "ERROR", errorClass: "timeout" }], "day");
    const stored = mergeLatencyRow({ requests: 0, errors: 0, errorsByClass: {}, latencyHist: null, ttftHist: Buffer.alloc(0) }, first!);
    const [second] = buildLatencyDeltas([{ ...base, latencyMs: 2000 }, { ...base, status: "ERROR", errorClass: "timeout" }], "day");
    const merged = mergeLatencyRow(stored, second!);
    expect(merged).toMatchObject({ requests: 4, errors: 2, errorsByClass: { timeout: 2 } });
    const latency = addEncoded(emptyHistogram(), merged.latencyHist);
    expect(latency[bucketIndex(400)]).toBe(3);
    expect(latency[bucketIndex(2000)]).toBe(1);
  });
});

describe("latency chart points", () => {
  it("merges the models of a provider per period before reading percentiles", () => {
    const [a] = buildLatencyDeltas(Array.from({ length: 50 }, (_, i) => ({ ...base, latencyMs: 10 + i })), "day");
    const [b] = buildLatencyDeltas(Array.from({ length: 50 }, (_, i) => ({ ...base, modelId: NONE_ID, latencyMs: 60 + i })), "day");
    const row = (delta: typeof a, modelId: string) => {
      const merged = mergeLatencyRow({ requests: 0, errors: 0, errorsByClass: {}, latencyHist: null, ttftHist: null }, delta!);
      return { period: "2026-11-20", providerId: PROVIDER, modelId, requests: merged.requests, errors: 0, errorsByClass: {}, latencyHist: merged.latencyHist, ttftHist: merged.ttftHist };
    };
    const groups = groupLatencyRows([row(a, MODEL), row(b, NONE_ID)], "provider");
    expect(groups).toHaveLength(1);
    const [point] = percentilePoints(groups, "latency");
    // Values 10..109, all below 100 ms or in 1-2 ms buckets: percentile_cont gives 59.5.
    expect(point).toMatchObject({ count: 100, p50: 59.5 });
    expect(groupLatencyRows([row(a, MODEL), row(b, NONE_ID)], "model")).toHaveLength(2);
  });
});
