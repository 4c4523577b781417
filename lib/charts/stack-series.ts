import { sumDecimals } from "@/lib/usage/money";

// Turns (period, series, cost) rows into what a stacked chart and its table both show: the same
// exact decimal strings, so the table, the tooltip and the CSV agree to the cent.

export type SeriesRow = { period: string; seriesId: string; cost: string; unpriced: number; requests: number };

export type StackedSeries = {
  periods: string[];
  series: { id: string; label: string; total: string; unpriced: number; requests: number }[];
  /** cells[period][seriesId] */
  cells: Record<string, Record<string, { cost: string; unpriced: number; requests: number }>>;
  periodTotals: Record<string, { cost: string; unpriced: number; requests: number }>;
  total: { cost: string; unpriced: number; requests: number };
};

export function stackSeries(rows: readonly SeriesRow[], labelOf: (id: string) => string): StackedSeries {
  const periods = [...new Set(rows.map((row) => row.period))].sort();
  const cells: StackedSeries["cells"] = {};
  const bySeries = new Map<string, SeriesRow[]>();
  for (const row of rows) {
    (cells[row.period] ??= {})[row.seriesId] = { cost: row.cost, unpriced: row.unpriced, requests: row.requests };
    bySeries.set(row.seriesId, [...(bySeries.get(row.seriesId) ?? []), row]);
  }
  const series = [...bySeries.entries()]
    .map(([id, list]) => ({
      id,
      label: labelOf(id),
      total: sumDecimals(list.map((row) => row.cost)),
      unpriced: list.reduce((sum, row) => sum + row.unpriced, 0),
      requests: list.reduce((sum, row) => sum + row.requests, 0),
    }))
    // Biggest spender first (and at the bottom of the stack); ties by label for a stable legend.
    .sort((a, b) => Number(b.total) - Number(a.total) || a.label.localeCompare(b.label));
  const periodTotals: StackedSeries["periodTotals"] = {};
  for (const period of periods) {
    const values = Object.values(cells[period] ?? {});
    periodTotals[period] = {
      cost: sumDecimals(values.map((cell) => cell.cost)),
      unpriced: values.reduce((sum, cell) => sum + cell.unpriced, 0),
      requests: values.reduce((sum, cell) => sum + cell.requests, 0),
    };
  }
  return {
    periods,
    series,
    cells,
    periodTotals,
    total: {
      cost: sumDecimals(rows.map((row) => row.cost)),
      unpriced: rows.reduce((sum, row) => sum + row.unpriced, 0),
      requests: rows.reduce((sum, row) => sum + row.requests, 0),
    },
  };
}

/** Plot points for recharts: floats only for bar heights; labels and tooltips use the strings. */
export function chartPoints(stacked: StackedSeries): Record<string, string | number>[] {
  return stacked.periods.map((period) => {
    const point: Record<string, string | number> = { period };
    for (const { id } of stacked.series) point[id] = Number(stacked.cells[period]?.[id]?.cost ?? 0);
    return point;
  });
}
