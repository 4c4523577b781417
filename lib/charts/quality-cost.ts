import { roundToCents } from "@/lib/usage/money";

// The quality-against-cost chart of an evaluation run: one point per target, accuracy (percent)
// against total cost. Targets with nothing finished or an unpriced call are left out of the chart
// (they have no position on the cost axis) and listed in `omitted`; the table beside the chart
// shows every target. Cost on the axis is a number for placement only; labels keep the exact
// decimal rounded to cents.

export type QualityCostInput = {
  targetId: string;
  label: string;
  accuracy: number | null;
  totalCost: string;
  unpriced: number;
};
export type QualityCostPoint = { id: string; label: string; cost: number; costLabel: string; accuracy: number };

export function qualityCostPoints(targets: readonly QualityCostInput[]) {
  const points: QualityCostPoint[] = [];
  const omitted: string[] = [];
  for (const target of targets) {
    if (target.accuracy === null || target.unpriced > 0) {
      omitted.push(target.label);
      continue;
    }
    points.push({
      id: target.targetId,
      label: target.label,
      cost: Number(target.totalCost),
      costLabel: `$${roundToCents(target.totalCost)}`,
      accuracy: Math.round(target.accuracy * 1000) / 10,
    });
  }
  return { points, omitted };
}
