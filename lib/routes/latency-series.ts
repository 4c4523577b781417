// A route's targets compared over a window of whole hours, from the hourly rollups of requests
// that named the route: requests, errors, average latency (latency_sum_ms / requests) and
// average time to first token (ttft_sum_ms / ttft_count, only requests that streamed have one).
// Pure: the table and the chart both come from here.

export type RouteRollupRow = {
  bucket: Date;
  /** `${providerId}:${modelId}` */
  targetKey: string;
  requests: number;
  errors: number;
  latencySumMs: number;
  ttftCount: number;
  ttftSumMs: number;
};

export type TargetLatency = {
  targetKey: string;
  label: string;
  /** False for a target an older version of the route had. */
  current: boolean;
  requests: number;
  errors: number;
  avgLatencyMs: number | null;
  avgTtftMs: number | null;
};

export type RouteLatencySeries = {
  table: TargetLatency[];
  /** One row per hour ("HH:00 UTC" as period), each target's average latency or null (a gap). */
  chartRows: Record<string, string | number | null>[];
  series: { id: string; label: string }[];
};

const HOUR_MS = 3_600_000;
const average = (sum: number, count: number) => (count > 0 ? Math.round(sum / count) : null);

export function routeLatencySeries(
  rows: readonly RouteRollupRow[],
  targets: readonly { targetKey: string; label: string }[],
  window: { from: Date; hours: number },
  labelOf: (targetKey: string) => string,
): RouteLatencySeries {
  const start = Math.floor(window.from.getTime() / HOUR_MS) * HOUR_MS;
  const inWindow = rows.filter((row) => {
    const at = row.bucket.getTime();
    return at >= start && at < start + window.hours * HOUR_MS;
  });
  const keys = [...targets.map((target) => target.targetKey)];
  for (const row of inWindow) if (!keys.includes(row.targetKey)) keys.push(row.targetKey);
  const currentKeys = new Set(targets.map((target) => target.targetKey));
  const labels = new Map(targets.map((target) => [target.targetKey, target.label]));

  const table = keys.map((targetKey): TargetLatency => {
    const mine = inWindow.filter((row) => row.targetKey === targetKey);
    const sum = (pick: (row: RouteRollupRow) => number) => mine.reduce((total, row) => total + pick(row), 0);
    const requests = sum((row) => row.requests);
    return {
      targetKey,
      label: labels.get(targetKey) ?? labelOf(targetKey),
      current: currentKeys.has(targetKey),
      requests,
      errors: sum((row) => row.errors),
      avgLatencyMs: average(
        sum((row) => row.latencySumMs),
        requests,
      ),
      avgTtftMs: average(
        sum((row) => row.ttftSumMs),
        sum((row) => row.ttftCount),
      ),
    };
  });

  const chartRows = Array.from({ length: window.hours }, (_, index) => {
    const at = start + index * HOUR_MS;
    const point: Record<string, string | number | null> = {
      period: `${new Date(at).toISOString().slice(11, 13)}:00`,
    };
    for (const targetKey of keys) {
      const mine = inWindow.filter((row) => row.targetKey === targetKey && row.bucket.getTime() === at);
      point[targetKey] = average(
        mine.reduce((total, row) => total + row.latencySumMs, 0),
        mine.reduce((total, row) => total + row.requests, 0),
      );
    }
    return point;
  });

  return { table, chartRows, series: table.map((row) => ({ id: row.targetKey, label: row.label })) };
}
