import { z } from "zod";
import { storableText } from "@/lib/validation/text";

// The audit page's filters live in the URL (?actor=&action=&target=&from=&to=&before=) so a view
// can be shared as a link. A hand-edited or stale URL must never break the page: each bad
// parameter is dropped and named in a notice, and the rest still apply.

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_BIGINT = 9_223_372_036_854_775_807n;

const day = z
  .string()
  .regex(DAY)
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  });

const fields = {
  // NUL would fail the query (PostgreSQL text cannot hold it): such a filter is dropped instead.
  actor: storableText(z.string()).trim().min(1).max(254),
  action: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/),
  target: storableText(z.string()).trim().min(1).max(200),
  from: day,
  to: day,
  before: z
    .string()
    .regex(/^[1-9]\d{0,18}$/)
    .transform((value) => BigInt(value))
    .refine((value) => value <= MAX_BIGINT),
};

export const AUDIT_FILTER_LABEL: Record<keyof typeof fields, string> = {
  actor: "actor",
  action: "action",
  target: "target",
  from: "from date",
  to: "to date",
  before: "page position",
};

export type AuditFilters = { [K in keyof typeof fields]?: z.output<(typeof fields)[K]> };
export type AuditSearch = { filters: AuditFilters; ignored: string[] };

type RawSearchParams = Record<string, string | string[] | undefined>;

export function parseAuditSearchParams(raw: RawSearchParams): AuditSearch {
  const filters: AuditFilters = {};
  const ignored: string[] = [];
  for (const key of Object.keys(fields) as (keyof typeof fields)[]) {
    const value = raw[key];
    const first = Array.isArray(value) ? value[0] : value;
    if (first === undefined || first.trim() === "") continue;
    const parsed = fields[key].safeParse(first);
    if (parsed.success) Object.assign(filters, { [key]: parsed.data });
    else ignored.push(AUDIT_FILTER_LABEL[key]);
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    delete filters.to;
    ignored.push(AUDIT_FILTER_LABEL.to);
  }
  return { filters, ignored };
}

/** Day bounds in UTC: `from` is inclusive from midnight, `to` includes the whole day. */
export function dayRange(filters: Pick<AuditFilters, "from" | "to">): { gte?: Date; lt?: Date } {
  const range: { gte?: Date; lt?: Date } = {};
  if (filters.from) range.gte = new Date(`${filters.from}T00:00:00Z`);
  if (filters.to) range.lt = new Date(new Date(`${filters.to}T00:00:00Z`).getTime() + 24 * 60 * 60 * 1000);
  return range;
}

/** The URL of the same view with some parameters changed; undefined or empty removes one. */
export function auditHref(
  filters: AuditFilters,
  change: Partial<Record<keyof AuditFilters, string | undefined>> = {},
): string {
  const params = new URLSearchParams();
  const merged: Record<string, string | undefined> = {
    actor: filters.actor,
    action: filters.action,
    target: filters.target,
    from: filters.from,
    to: filters.to,
    before: filters.before?.toString(),
    ...change,
  };
  for (const [key, value] of Object.entries(merged)) if (value) params.set(key, value);
  const query = params.toString();
  return query ? `/audit?${query}` : "/audit";
}
