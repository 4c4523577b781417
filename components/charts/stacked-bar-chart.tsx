"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

// A thin recharts leaf: series, points and exact tooltip labels are computed on the server.

export const CHART_COLOURS = ["#4f46e5", "#0891b2", "#16a34a", "#ea580c", "#db2777", "#7c3aed", "#ca8a04", "#475569"];

export type StackedBarChartProps = {
  points: Record<string, string | number>[];
  series: { id: string; label: string }[];
  /** Exact formatted values per period and series, for the tooltip. */
  labels: Record<string, Record<string, string>>;
  ariaLabel: string;
  /** What the values are: dollars (default) or percentages. */
  unit?: "usd" | "percent";
};

const AXIS_FORMAT = {
  usd: (value: number) => `$${value.toLocaleString("en-US", { maximumFractionDigits: 2 })}`,
  percent: (value: number) => `${value.toLocaleString("en-US", { maximumFractionDigits: 2 })} %`,
};

export function StackedBarChart({ points, series, labels, ariaLabel, unit = "usd" }: StackedBarChartProps) {
  return (
    <div role="img" aria-label={ariaLabel} className="h-72 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="period" tick={{ fontSize: 11 }} />
          <YAxis tick={{ fontSize: 11 }} tickFormatter={AXIS_FORMAT[unit]} width={70} />
          <Tooltip
            formatter={(_value, name, item) => {
              const period = String((item?.payload as Record<string, unknown> | undefined)?.period ?? "");
              const id = String(item?.dataKey ?? "");
              return [labels[period]?.[id] ?? "", String(name)];
            }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((entry, index) => (
            <Bar
              key={entry.id}
              dataKey={entry.id}
              name={entry.label}
              stackId="spend"
              fill={CHART_COLOURS[index % CHART_COLOURS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
