import { expect, test } from "vitest";
import { qualityCostPoints } from "@/lib/charts/quality-cost";

test("one point per priced target with results: accuracy in percent against total cost", () => {
  const { points, omitted } = qualityCostPoints([
    { targetId: "a", label: "A", accuracy: 0.875, totalCost: "0.0125000000", unpriced: 0 },
    { targetId: "b", label: "B", accuracy: 1 / 3, totalCost: "1.0050000000", unpriced: 0 },
    { targetId: "c", label: "C", accuracy: null, totalCost: "0.0000000000", unpriced: 0 },
    { targetId: "d", label: "D", accuracy: 0.5, totalCost: "0.0100000000", unpriced: 2 },
  ]);
  expect(points).toEqual([
    { id: "a", label: "A", cost: 0.0125, costLabel: "$0.01", accuracy: 87.5 },
    { id: "b", label: "B", cost: 1.005, costLabel: "$1.01", accuracy: 33.3 },
  ]);
  expect(omitted).toEqual(["C", "D"]);
});
