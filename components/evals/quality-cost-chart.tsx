"use client";

import { CartesianGrid, LabelList, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import { CHART_COLOURS } from "@/components/charts/stacked-bar-chart";
import type { QualityCostPoint } from "@/lib/charts/quality-cost";

// A thin recharts leaf for lib/charts/quality-cost.ts: one point per target, up and to the left is better.
export function QualityCostChart({ points }: { points: QualityCostPoint[] }) {
  return (
    <div role="img" aria-label="Accuracy against total cost per target" className="h-72 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <ScatterChart margin={{ top: 16, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="cost"
            name="Total cost"
            tick={{ fontSize: 11 }}
            tickFormatter={(value: number) => `$${value}`}
          />
          <YAxis type="number" dataKey="accuracy" name="Accuracy" unit=" %" domain={[0, 100]} tick={{ fontSize: 11 }} />
          <Tooltip
            formatter={(value, name) => [
              name === "Total cost" ? `$${String(value)}` : `${String(value)} %`,
              String(name),
            ]}
          />
          <Scatter data={points} fill={CHART_COLOURS[0]} isAnimationActive={false}>
            <LabelList dataKey="label" position="top" style={{ fontSize: 11 }} />
          </Scatter>
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}
