import { z } from "zod";
import { DIMENSIONS, type Dimension } from "@/lib/usage/usage-filters";
import { storableText } from "@/lib/validation/text";

// The spend/latency pages keep their filters in the URL (?from=&to=&period=&by=&provider=…) so a
// view can be shared as a link. Dates are UTC calendar days; `to` is inclusive in the URL and
// exclusive in queries.

const DAY_MS = 86_400_000;
// Years past 9998 would make the exclusive end (`to` + 1 day) a five-digit year PostgreSQL refuses.
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && value >= "1970-01-01" && value <= "9998-12-31");
const optionalUuid = z.uuid().optional().catch(undefined);

const paramsSchema = z.object({
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  period: z.enum(["day", "week", "month"]).catch("day"),
  by: z.enum(DIMENSIONS).catch("provider"),
  provider: optionalUuid,
  model: optionalUuid,
  key: optionalUuid,
  // The nil UUID is a valid filter here: "No team" / "Direct (no gateway key)".
  team: optionalUuid,
  gatewayKey: optionalUuid,
  // A tag with NUL cannot exist in PostgreSQL text (and would fail the query): no such filter.
  tag: storableText(z.string().max(100)).optional().catch(undefined),
});

export type SpendParams = {
  from: string;
  to: string;
  period: "day" | "week" | "month";
  by: Dimension;
  provider?: string;
  model?: string;
  key?: string;
  tag?: string;
  team?: string;
  gatewayKey?: string;
};

const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/** Parses page/route search params; anything invalid falls back to the default (last 30 days). */
export function parseSpendParams(search: Record<string, string | string[] | undefined>, now = new Date()): SpendParams {
  const flat = Object.fromEntries(
    Object.entries(search)
      .map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])
      .filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = paramsSchema.parse(flat);
  const today = Date.parse(`${isoDay(now.getTime())}T00:00:00Z`);
  let to = parsed.to ? Date.parse(`${parsed.to}T00:00:00Z`) : today;
  let from = parsed.from ? Date.parse(`${parsed.from}T00:00:00Z`) : to - 29 * DAY_MS;
  if (from > to) [from, to] = [to, from];
  // A bounded range keeps every view a rollup read of at most ~2 years of days.
  if (to - from > 731 * DAY_MS) from = to - 731 * DAY_MS;
  return {
    from: isoDay(from),
    to: isoDay(to),
    period: parsed.period,
    by: parsed.by,
    provider: parsed.provider,
    model: parsed.model,
    key: parsed.key,
    tag: parsed.tag,
    team: parsed.team,
    gatewayKey: parsed.gatewayKey,
  };
}

export function rangeOf(params: Pick<SpendParams, "from" | "to">): { from: Date; to: Date } {
  return { from: new Date(`${params.from}T00:00:00Z`), to: new Date(Date.parse(`${params.to}T00:00:00Z`) + DAY_MS) };
}

export function spendSearch(params: SpendParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  return search.toString();
}
