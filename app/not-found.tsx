import Link from "@/components/ui/link";

export default function NotFound() {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-3 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-sm text-slate-600">There is nothing at this address, or it was deleted.</p>
      <Link href="/" className="text-sm font-medium text-indigo-600 hover:underline">
        Back to the overview
      </Link>
    </main>
  );
}
