import { z } from "zod";
import { parseSpendParams, rangeOf } from "@/lib/usage/spend-params";
import type { LatencyQuery } from "@/lib/usage/latency-series";

// The latency page's URL: date range and provider/model filters as on the spend page, plus the
// series (per provider or per model), the time step and the percentile the charts draw.

const extraSchema = z.object({
  by: z.enum(["provider", "model"]).catch("provider"),
  per: z.enum(["auto", "hour", "day"]).catch("auto"),
  pct: z.enum(["p50", "p95", "p99"]).catch("p95"),
});

export type LatencyParams = {
  from: string;
  to: string;
  provider?: string;
  model?: string;
  by: "provider" | "model";
  per: "auto" | "hour" | "day";
  pct: "p50" | "p95" | "p99";
};

type Search = Record<string, string | string[] | undefined>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;

/** Hourly points up to this many days (at most 72 points per series), daily beyond. */
export const HOURLY_MAX_DAYS = 3;

export function parseLatencyParams(search: Search, now = new Date()): LatencyParams {
  const base = parseSpendParams(search, now);
  const extra = extraSchema.parse({ by: first(search.by), per: first(search.per), pct: first(search.pct) });
  return { from: base.from, to: base.to, provider: base.provider, model: base.model, ...extra };
}

export function latencyStep(params: LatencyParams): "hour" | "day" {
  if (params.per !== "auto") return params.per;
  const { from, to } = rangeOf(params);
  return to.getTime() - from.getTime() <= HOURLY_MAX_DAYS * 86_400_000 ? "hour" : "day";
}

export function latencyQuery(
  params: LatencyParams,
  granularity: LatencyQuery["granularity"] = latencyStep(params),
): LatencyQuery {
  return { ...rangeOf(params), providerId: params.provider, modelId: params.model, granularity, groupBy: params.by };
}

export function latencySearch(params: LatencyParams, change: Partial<LatencyParams> = {}): string {
  const next = { ...params, ...change };
  const search = new URLSearchParams();
  for (const key of ["from", "to", "provider", "model", "by", "per", "pct"] as const) {
    const value = next[key];
    if (value) search.set(key, value);
  }
  return search.toString();
}
