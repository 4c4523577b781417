// Budget thresholds that raise an event, from NOTIFY_BUDGET_THRESHOLDS (one list for every budget:
// overall, provider, team and gateway key). Pure.

export const DEFAULT_THRESHOLDS = [80, 100] as const;

/** NOTIFY_BUDGET_THRESHOLDS="80,100": percentages, 1-1000, deduplicated and sorted; bad text → default. */
export function parseThresholds(text: string | undefined, fallback: readonly number[] = [80, 100]): number[] {
  if (!text || !text.trim()) return [...fallback];
  const values = text.split(",").map((part) => Number(part.trim()));
  if (values.some((value) => !Number.isInteger(value) || value < 1 || value > 1000)) return [...fallback];
  return [...new Set(values)].sort((a, b) => a - b);
}
