import Link from "@/components/ui/link";

export default function GatewayNotFound() {
  return (
    <div className="rounded-lg bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
      <h1 className="text-lg font-semibold text-slate-900">Not found</h1>
      <p className="mt-2 text-sm text-slate-600">There is no such gateway key, or the link is wrong.</p>
      <Link href="/gateway/keys" className="mt-4 inline-block text-sm font-medium text-indigo-600 hover:underline">
        Back to gateway keys
      </Link>
    </div>
  );
}
