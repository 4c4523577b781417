import { requirePageActor } from "@/lib/auth/session";
import Link from "@/components/ui/link";
import { getProviderSummary } from "@/lib/providers/summary";

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <p className="text-sm text-slate-500">{label}</p>
      <p className="mt-1 text-3xl font-semibold tabular-nums">{value}</p>
    </div>
  );
}

export async function ProviderSummary() {
  await requirePageActor("providers:read");
  const summary = await getProviderSummary();
  if (summary.total === 0) {
    return (
      <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200 lg:col-span-3">
        <p className="text-sm text-slate-700">No providers yet.</p>
        <Link href="/providers/new" className="mt-2 inline-block text-sm font-medium text-indigo-600 hover:underline">
          Register your first provider →
        </Link>
      </div>
    );
  }
  return (
    <>
      <Stat label="Providers" value={summary.total} />
      <Stat label="Enabled providers" value={summary.enabled} />
      <Stat label="Models" value={summary.models} />
    </>
  );
}
