import { toUnits } from "@/lib/usage/money";

// "Top N by spend" for the overview lists: exact decimal comparison (a float cannot tell two large
// amounts a cent apart), more requests first on equal spend, then the id for a stable order.

export type RankedSpend = { seriesId: string; cost: string; requests: number };

export function topBySpend<T extends RankedSpend>(
  rows: readonly T[],
  limit: number,
  exclude: ReadonlySet<string> = new Set(),
): T[] {
  return rows
    .filter((row) => !exclude.has(row.seriesId))
    .map((row) => ({ row, units: toUnits(row.cost) }))
    .sort(
      (a, b) =>
        (a.units < b.units ? 1 : a.units > b.units ? -1 : 0) ||
        b.row.requests - a.row.requests ||
        (a.row.seriesId < b.row.seriesId ? -1 : a.row.seriesId > b.row.seriesId ? 1 : 0),
    )
    .slice(0, Math.max(0, limit))
    .map(({ row }) => row);
}
