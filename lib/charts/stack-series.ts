import { sumDecimals, toUnits } from "@/lib/usage/money";

// Turns (period, series, cost) rows into what a stacked chart and its table both show: the same
// exact decimal strings, so the table, the tooltip and the CSV agree to the cent. Unpriced and
// tokenizer-estimated requests are counted alongside the money, never folded into it.

export type SeriesCounts = { unpriced: number; estimated: number; requests: number };

export type SeriesRow = SeriesCounts & { period: string; seriesId: string; cost: string };

export type SeriesCell = SeriesCounts & { cost: string };

export type StackedSeries = {
  periods: string[];
  series: (SeriesCounts & { id: string; label: string; total: string })[];
  /** cells[period][seriesId] */
  cells: Record<string, Record<string, SeriesCell>>;
  periodTotals: Record<string, SeriesCell>;
  total: SeriesCell;
};

/** Exact sum of the costs and counts of some rows or cells. */
export function sumCells(cells: readonly SeriesCell[]): SeriesCell {
  return {
    cost: sumDecimals(cells.map((cell) => cell.cost)),
    unpriced: cells.reduce((sum, cell) => sum + cell.unpriced, 0),
    estimated: cells.reduce((sum, cell) => sum + cell.estimated, 0),
    requests: cells.reduce((sum, cell) => sum + cell.requests, 0),
  };
}

const cellOf = (row: SeriesRow): SeriesCell => ({
  cost: row.cost,
  unpriced: row.unpriced,
  estimated: row.estimated,
  requests: row.requests,
});

const compareUnits = (a: bigint, b: bigint) => (a > b ? 1 : a < b ? -1 : 0);

export function stackSeries(rows: readonly SeriesRow[], labelOf: (id: string) => string): StackedSeries {
  const periods = [...new Set(rows.map((row) => row.period))].sort();
  const cells: StackedSeries["cells"] = {};
  const bySeries = new Map<string, SeriesRow[]>();
  for (const row of rows) {
    (cells[row.period] ??= {})[row.seriesId] = cellOf(row);
    bySeries.set(row.seriesId, [...(bySeries.get(row.seriesId) ?? []), row]);
  }
  const series = [...bySeries.entries()]
    .map(([id, list]) => {
      const { cost, ...counts } = sumCells(list);
      return { id, label: labelOf(id), total: cost, ...counts };
    })
    // Biggest spender first (and at the bottom of the stack); ties by label for a stable legend.
    .sort((a, b) => compareUnits(toUnits(b.total), toUnits(a.total)) || a.label.localeCompare(b.label));
  const periodTotals: StackedSeries["periodTotals"] = {};
  for (const period of periods) periodTotals[period] = sumCells(Object.values(cells[period] ?? {}));
  return { periods, series, cells, periodTotals, total: sumCells(rows) };
}

/** Plot points for recharts: floats only for bar heights; labels and tooltips use the strings. */
export function chartPoints(stacked: StackedSeries): Record<string, string | number>[] {
  return stacked.periods.map((period) => {
    const point: Record<string, string | number> = { period };
    for (const { id } of stacked.series) point[id] = Number(stacked.cells[period]?.[id]?.cost ?? 0);
    return point;
  });
}
