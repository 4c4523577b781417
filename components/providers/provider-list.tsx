import { requirePageActor } from "@/lib/auth/session";
import Link from "@/components/ui/link";
import { providerKind } from "@/lib/providers/catalog";
import { listProviders } from "@/lib/providers/queries";
import { keyStatusByProvider } from "@/lib/keys/queries";
import { ProviderStatusBadge, TagList } from "@/components/providers/provider-status-badge";
import { Badge } from "@/components/ui/card";

type KeyStatus = { hasActivePrimary: boolean; expired: number; active: number };

// Expired keys are flagged here (issue: expired keys stop being used and must be visible on the list).
function KeysCell({ status }: { status: KeyStatus | undefined }) {
  if (!status) return <span className="text-slate-400">none</span>;
  return (
    <span className="flex flex-wrap gap-1">
      <span className="tabular-nums">{status.active} active</span>
      {status.expired > 0 ? <Badge tone="red">{status.expired} expired</Badge> : null}
      {status.active > 0 && !status.hasActivePrimary ? <Badge tone="amber">no primary</Badge> : null}
    </span>
  );
}

export async function ProviderList({ includeArchived, canWrite }: { includeArchived: boolean; canWrite: boolean }) {
  await requirePageActor("providers:read");
  const [providers, keyStatus] = await Promise.all([listProviders({ includeArchived }), keyStatusByProvider()]);
  if (providers.length === 0) {
    return (
      <div className="rounded-lg bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
        <p className="text-sm text-slate-700">No providers {includeArchived ? "at all" : "yet"}.</p>
        {canWrite ? (
          <Link href="/providers/new" className="mt-2 inline-block text-sm font-medium text-indigo-600 hover:underline">
            Register your first provider →
          </Link>
        ) : null}
      </div>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Providers</caption>
        <thead className="bg-slate-50">
          <tr className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <th scope="col" className="px-4 py-3">
              Name
            </th>
            <th scope="col" className="px-4 py-3">
              Slug
            </th>
            <th scope="col" className="px-4 py-3">
              Kind
            </th>
            <th scope="col" className="px-4 py-3">
              Status
            </th>
            <th scope="col" className="px-4 py-3 text-right">
              Models
            </th>
            <th scope="col" className="px-4 py-3">
              Keys
            </th>
            <th scope="col" className="px-4 py-3">
              Tags
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {providers.map((provider) => (
            <tr
              key={provider.id}
              className={provider.archivedAt ? "bg-slate-50/60 text-slate-500" : "text-slate-800 hover:bg-slate-50"}
            >
              <td className="px-4 py-3 font-medium">
                <Link
                  href={`/providers/${provider.id}`}
                  className="text-indigo-700 hover:underline focus-visible:underline"
                >
                  {provider.name}
                </Link>
              </td>
              <td className="px-4 py-3">
                <code className="text-xs">{provider.slug}</code>
              </td>
              <td className="px-4 py-3">{providerKind(provider.kind).label}</td>
              <td className="px-4 py-3">
                <ProviderStatusBadge provider={provider} />
              </td>
              <td className="px-4 py-3 text-right tabular-nums">{provider._count.models}</td>
              <td className="px-4 py-3">
                <KeysCell status={keyStatus.get(provider.id)} />
              </td>
              <td className="px-4 py-3">
                <TagList tags={provider.tags} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="border-t border-slate-100 px-4 py-2 text-xs text-slate-500">
        Applications name a model through the gateway as <code>&lt;slug&gt;/&lt;model id&gt;</code>.
      </p>
    </div>
  );
}
