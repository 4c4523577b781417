"use client";

import {
  CartesianGrid,
  Legend,
  Line,
  LineChart as RechartsLineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { CHART_COLOURS } from "@/components/charts/stacked-bar-chart";
import { formatMs } from "@/lib/charts/percentiles";

// A thin recharts leaf for series computed on the server (lib/charts/latency-chart.ts,
// lib/usage/budget-math.ts). Missing points are gaps, not zeros.

export type LineChartProps = {
  rows: Record<string, string | number | null>[];
  series: { id: string; label: string }[];
  ariaLabel: string;
  unit?: "ms" | "usd";
};

const FORMAT = {
  ms: formatMs,
  usd: (value: number) => `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
};

export function LineSeriesChart({ rows, series, ariaLabel, unit = "ms" }: LineChartProps) {
  const format = FORMAT[unit];
  return (
    <div role="img" aria-label={ariaLabel} className="h-72 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <RechartsLineChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="period" tick={{ fontSize: 11 }} />
          <YAxis tick={{ fontSize: 11 }} tickFormatter={(value: number) => format(value)} width={70} />
          <Tooltip formatter={(value, name) => [typeof value === "number" ? format(value) : "—", String(name)]} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((entry, index) => (
            <Line
              key={entry.id}
              dataKey={entry.id}
              name={entry.label}
              stroke={CHART_COLOURS[index % CHART_COLOURS.length]}
              dot={rows.length < 40}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
        </RechartsLineChart>
      </ResponsiveContainer>
    </div>
  );
}
