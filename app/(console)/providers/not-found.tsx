import Link from "@/components/ui/link";

export default function ProviderNotFound() {
  return (
    <div className="rounded-lg bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
      <h1 className="text-lg font-semibold text-slate-900">Not found</h1>
      <p className="mt-2 text-sm text-slate-600">
        There is no such provider or model. It may have been deleted, or the link is wrong.
      </p>
      <Link href="/providers" className="mt-4 inline-block text-sm font-medium text-indigo-600 hover:underline">
        Back to providers
      </Link>
    </div>
  );
}
