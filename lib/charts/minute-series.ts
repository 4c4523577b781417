// Gateway traffic per minute over a window of whole UTC minutes: the rows the database returns
// (only minutes with requests) filled out to one point per minute, plus the window's totals.

export type MinuteCounts = {
  /** Minutes since the Unix epoch (floor(epoch seconds / 60)): no time zone can shift it. */
  minute: number;
  requests: number;
  errors: number;
  cancelled: number;
};

export type MinuteSeries = {
  /** One point per minute, oldest first, zeros where nothing ran. */
  points: { at: string; requests: number; errors: number }[];
  requests: number;
  errors: number;
  cancelled: number;
  /** Average requests per minute over the whole window (idle minutes count). */
  perMinute: number;
  peakPerMinute: number;
  /** Requests in the window's last minute. */
  lastMinute: number;
};

const MINUTE_MS = 60_000;

/**
 * The `minutes` whole minutes before the minute holding `now`: the current, still-filling minute
 * is left out so the rate is not dragged down by it.
 */
export function minuteWindow(now: Date, minutes = 60): { from: Date; to: Date; minutes: number } {
  const to = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  return { from: new Date(to - minutes * MINUTE_MS), to: new Date(to), minutes };
}

export function minuteSeries(rows: readonly MinuteCounts[], window: { from: Date; minutes: number }): MinuteSeries {
  const first = Math.floor(window.from.getTime() / MINUTE_MS);
  const byMinute = new Map<number, MinuteCounts>();
  // Rows outside the window (a caller's off-by-one) are dropped, not counted.
  for (const row of rows) if (row.minute >= first && row.minute < first + window.minutes) byMinute.set(row.minute, row);
  const points = Array.from({ length: window.minutes }, (_, i) => {
    const row = byMinute.get(first + i);
    return {
      at: new Date((first + i) * MINUTE_MS).toISOString(),
      requests: row?.requests ?? 0,
      errors: row?.errors ?? 0,
    };
  });
  const counted = [...byMinute.values()];
  const requests = counted.reduce((sum, row) => sum + row.requests, 0);
  return {
    points,
    requests,
    errors: counted.reduce((sum, row) => sum + row.errors, 0),
    cancelled: counted.reduce((sum, row) => sum + row.cancelled, 0),
    perMinute: window.minutes ? requests / window.minutes : 0,
    peakPerMinute: points.reduce((peak, point) => Math.max(peak, point.requests), 0),
    lastMinute: points.at(-1)?.requests ?? 0,
  };
}

/** "0.05/min" below 1 (a quiet hour is not "0.0"), "12.4/min" below 100, whole numbers above. */
export function formatPerMinute(value: number): string {
  const shown =
    value < 1 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString("en-US");
  return `${shown}/min`;
}
