import "server-only";
import { cache } from "react";
import { loadLatencyGroups } from "@/lib/usage/latency-series";
import { latencyQuery, latencyStep, type LatencyParams } from "@/lib/usage/latency-params";
import { percentilePoints, type LatencyGroup, type LatencyPoint } from "@/lib/usage/latency-aggregate";

// The latency page's data, loaded once per request (React cache) and shared by its cards: one read
// of the latency rollups gives the latency and TTFT lines and the error classes.

export type LatencyReport = {
  step: "hour" | "day";
  groups: LatencyGroup[];
  latency: LatencyPoint[];
  ttft: LatencyPoint[];
};

const load = cache(async (key: string): Promise<LatencyReport> => {
  const params = JSON.parse(key) as LatencyParams;
  const step = latencyStep(params);
  const groups = await loadLatencyGroups(latencyQuery(params, step));
  return { step, groups, latency: percentilePoints(groups, "latency"), ttft: percentilePoints(groups, "ttft") };
});

export function loadLatencyReport(params: LatencyParams): Promise<LatencyReport> {
  return load(JSON.stringify(params));
}
