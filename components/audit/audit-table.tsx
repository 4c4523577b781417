import { requirePageActor } from "@/lib/auth/session";
import Link from "@/components/ui/link";
import { listAuditEvents } from "@/lib/audit/queries";
import { auditHref, type AuditFilters } from "@/lib/audit/schemas";
import { AuditDetails } from "@/components/audit/audit-details";

const time = (at: Date) => `${at.toISOString().replace("T", " ").slice(0, 19)} UTC`;

export async function AuditTable({ filters }: { filters: AuditFilters }) {
  await requirePageActor("audit:read");
  const { events, olderBefore } = await listAuditEvents(filters);
  if (events.length === 0) {
    return (
      <p className="text-sm text-slate-600">{filters.before ? "No older events." : "No events match these filters."}</p>
    );
  }
  return (
    <>
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Audit events, newest first</caption>
          <thead>
            <tr className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <th scope="col" className="py-2 pr-4">
                Time
              </th>
              <th scope="col" className="py-2 pr-4">
                Actor
              </th>
              <th scope="col" className="py-2 pr-4">
                Action
              </th>
              <th scope="col" className="py-2 pr-4">
                Target
              </th>
              <th scope="col" className="py-2">
                Details
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 align-top">
            {events.map((event) => (
              <tr key={event.id} data-event-id={event.id}>
                <td className="whitespace-nowrap py-2 pr-4 tabular-nums text-slate-600">
                  <time dateTime={event.at.toISOString()}>{time(event.at)}</time>
                </td>
                <td className="py-2 pr-4">{event.actorEmail ?? <span className="text-slate-400">system</span>}</td>
                <td className="py-2 pr-4 font-mono text-xs">{event.action}</td>
                <td className="py-2 pr-4">
                  <span className="text-slate-500">{event.targetType}</span>
                  {event.targetId ? (
                    <span className="block font-mono text-xs text-slate-700">{event.targetId}</span>
                  ) : null}
                </td>
                <td className="py-2">
                  <AuditDetails details={event.details} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Audit pages" className="mt-4 flex gap-4 text-sm">
        {filters.before ? (
          <Link
            href={auditHref(filters, { before: undefined })}
            className="font-medium text-indigo-600 hover:underline"
          >
            ← Newest
          </Link>
        ) : null}
        {olderBefore ? (
          <Link
            href={auditHref(filters, { before: olderBefore })}
            className="font-medium text-indigo-600 hover:underline"
          >
            Older →
          </Link>
        ) : null}
      </nav>
    </>
  );
}
