"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { CHART_COLOURS } from "@/components/charts/stacked-bar-chart";
import type { LossPoint } from "@/lib/fine-tuning/loss-series";

// A thin recharts leaf for lib/fine-tuning/loss-series.ts: training (and validation) loss per step.
export function LossChart({ points }: { points: LossPoint[] }) {
  const hasValid = points.some((point) => point.validLoss !== null);
  return (
    <div role="img" aria-label="Training loss per step" className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 16, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="step" type="number" tick={{ fontSize: 11 }} allowDecimals={false} />
          <YAxis tick={{ fontSize: 11 }} domain={["auto", "auto"]} />
          <Tooltip />
          <Legend />
          <Line
            type="monotone"
            dataKey="trainLoss"
            name="Training loss"
            stroke={CHART_COLOURS[0]}
            dot={false}
            isAnimationActive={false}
            connectNulls
          />
          {hasValid ? (
            <Line
              type="monotone"
              dataKey="validLoss"
              name="Validation loss"
              stroke={CHART_COLOURS[1]}
              dot={false}
              isAnimationActive={false}
              connectNulls
            />
          ) : null}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
